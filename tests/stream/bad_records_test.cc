// The bad-records folder of a batch: where it goes, what a line holds, and that a redone
// attempt replaces an earlier one instead of adding to it.
#include "inlet/stream/bad_records.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "inlet/util/ids.h"

namespace inlet::stream {
namespace {

namespace fs = std::filesystem;

class BadRecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("inlet-bad-" + NewUuid());
    plan_.batch_id = 3;
    plan_.planned_at_ms = 1764066713000;  // 2025-11-25T10:31:53Z
  }
  void TearDown() override { fs::remove_all(root_); }

  static formats::BadRecord Record(int64_t line, std::string raw) {
    formats::BadRecord record;
    record.file_path = "/landing/x.json";
    record.line = line;
    record.byte_offset = 100 * line;
    record.reason = "invalid JSON: TAPE_ERROR";
    record.raw = std::move(raw);
    return record;
  }

  std::vector<nlohmann::json> Lines() const {
    std::vector<nlohmann::json> lines;
    std::ifstream in(fs::path(BadRecordsBatchDir(root_.string(), plan_)) / "bad_records" / "part-00000.json");
    for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
    return lines;
  }

  fs::path root_;
  BatchPlan plan_;
};

TEST_F(BadRecordsTest, BatchFolderIsNamedByPlannedTimeAndBatchId) {
  EXPECT_EQ(BadRecordsBatchDir("/bad", plan_), "/bad/20251125T103153-batch-3");
}

TEST_F(BadRecordsTest, EachRecordIsOneJsonLineWithWhereWhyAndWhat) {
  auto writer = BadRecordsWriter::Open(root_.string(), plan_);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(Record(4, "{\"a\": oops")).ok());
  formats::BadRecord truncated = Record(9, "\xff\xfe not utf-8");
  truncated.raw_truncated = true;
  ASSERT_TRUE((*writer)->Add(truncated).ok());
  auto count = (*writer)->Finish();
  ASSERT_TRUE(count.ok()) << count.status().ToString();
  EXPECT_EQ(*count, 2);
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["path"], "/landing/x.json");
  EXPECT_EQ(lines[0]["line"], 4);
  EXPECT_EQ(lines[0]["byteOffset"], 400);
  EXPECT_EQ(lines[0]["reason"], "invalid JSON: TAPE_ERROR");
  EXPECT_EQ(lines[0]["record"], "{\"a\": oops");
  EXPECT_EQ(lines[0]["recordTruncated"], false);
  EXPECT_EQ(lines[0]["batchId"], 3);
  // Invalid UTF-8 cannot be a JSON string: it is replaced, the line still parses.
  EXPECT_EQ(lines[1]["record"], "\xEF\xBF\xBD\xEF\xBF\xBD not utf-8");
  EXPECT_EQ(lines[1]["recordTruncated"], true);
}

TEST_F(BadRecordsTest, NoBadRecordsLeavesNoFolder) {
  auto writer = BadRecordsWriter::Open(root_.string(), plan_);
  ASSERT_TRUE(writer.ok());
  auto count = (*writer)->Finish();
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 0);
  EXPECT_FALSE(fs::exists(BadRecordsBatchDir(root_.string(), plan_)));
}

TEST_F(BadRecordsTest, ARedoneAttemptReplacesWhatAnEarlierOneLeft) {
  {
    auto first = BadRecordsWriter::Open(root_.string(), plan_);
    ASSERT_TRUE(first.ok());
    ASSERT_TRUE((*first)->Add(Record(1, "x")).ok());
    ASSERT_TRUE((*first)->Finish().ok());
  }
  auto second = BadRecordsWriter::Open(root_.string(), plan_);
  ASSERT_TRUE(second.ok());
  ASSERT_TRUE((*second)->Add(Record(2, "y")).ok());
  ASSERT_TRUE((*second)->Finish().ok());
  auto lines = Lines();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["line"], 2);
}

TEST_F(BadRecordsTest, DiscardRemovesAnUnpublishedAttempt) {
  auto writer = BadRecordsWriter::Open(root_.string(), plan_);
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE((*writer)->Add(Record(1, "x")).ok());
  (*writer)->Discard();
  EXPECT_FALSE(fs::exists(BadRecordsBatchDir(root_.string(), plan_)));
}

}  // namespace
}  // namespace inlet::stream
