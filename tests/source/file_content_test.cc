// Tests for the settle decision (is a listed file still being written?) and the prefix
// fingerprint inlet.loadAppendedBytes checks an append against.
#include "inlet/source/file_content.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace inlet::source {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kNow = 1'700'000'000'000;
constexpr int64_t kSettle = 5000;

DiscoveredFile ModifiedAgo(int64_t ago_ms) { return DiscoveredFile{"/landing/a.json", 10, kNow - ago_ms}; }

FileTail Torn() { return FileTail{false, false, true}; }
FileTail Whole() { return FileTail{false, true, true}; }

TEST(SettleDecision, TornLastLineModifiedWithinTheSettleTimeIsStillBeingWritten) {
  EXPECT_TRUE(IsStillBeingWritten(ModifiedAgo(100), Torn(), kNow, kSettle));
  EXPECT_TRUE(IsStillBeingWritten(ModifiedAgo(kSettle - 1), Torn(), kNow, kSettle));
}

TEST(SettleDecision, TornLastLineOlderThanTheSettleTimeIsLoadedAsARecord) {
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(kSettle), Torn(), kNow, kSettle));
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(60'000), Torn(), kNow, kSettle));
}

TEST(SettleDecision, FreshFileEndingWithANewlineIsLoaded) {
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(0), Whole(), kNow, kSettle));
}

TEST(SettleDecision, FreshEmptyFileWaitsAFreshCompressedOneDoesNot) {
  EXPECT_TRUE(IsStillBeingWritten(ModifiedAgo(10), FileTail{true, false, true}, kNow, kSettle));
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(10), FileTail{false, false, false}, kNow, kSettle));
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(kSettle + 1), FileTail{true, false, true}, kNow, kSettle));
}

TEST(SettleDecision, ModificationTimeInTheFutureCountsAsFresh) {
  EXPECT_TRUE(IsStillBeingWritten(ModifiedAgo(-30'000), Torn(), kNow, kSettle));
}

TEST(SettleDecision, ZeroSettleTimeNeverWaits) {
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(0), Torn(), kNow, 0));
  EXPECT_FALSE(IsStillBeingWritten(ModifiedAgo(0), FileTail{true, false, true}, kNow, 0));
}

class FileContentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-file-content-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = root_ + "/" + name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::string root_;
};

bool NdjsonEnd(char c) { return c == '\n'; }
bool DocumentEnd(char c) { return c == '\n' || c == '}' || c == ']'; }

TEST_F(FileContentTest, TailSaysWhetherTheLastLineIsWhole) {
  EXPECT_TRUE(ReadFileTail(Write("a.json", "{\"a\":1}\n"), NdjsonEnd)->complete);
  EXPECT_FALSE(ReadFileTail(Write("b.json", "{\"a\":1}\n{\"a\""), NdjsonEnd)->complete);
  EXPECT_TRUE(ReadFileTail(Write("c.json", ""), NdjsonEnd)->empty);
  // A multiLine document may end at its closing bracket.
  EXPECT_FALSE(ReadFileTail(Write("d.json", "[{\"a\":1}]"), NdjsonEnd)->complete);
  EXPECT_TRUE(ReadFileTail(Write("d.json", "[{\"a\":1}]"), DocumentEnd)->complete);
  EXPECT_FALSE(ReadFileTail(Write("e.json.gz", "x"), NdjsonEnd)->inspectable);
  EXPECT_FALSE(ReadFileTail(root_ + "/gone.json", NdjsonEnd).ok());
}

TEST_F(FileContentTest, FingerprintOfTheLoadedPrefixSurvivesAnAppendOnly) {
  const std::string loaded = "{\"a\":1}\n{\"a\":2}\n";
  std::string path = Write("a.json", loaded);
  auto before = FingerprintPrefix(path, static_cast<int64_t>(loaded.size()));
  ASSERT_TRUE(before.ok() && before->has_value());
  EXPECT_TRUE((*before)->ends_at_line);

  Write("a.json", loaded + "{\"a\":3}\n");
  auto appended = FingerprintPrefix(path, static_cast<int64_t>(loaded.size()));
  ASSERT_TRUE(appended.ok() && appended->has_value());
  EXPECT_EQ((*appended)->hash, (*before)->hash);

  Write("a.json", "{\"a\":9}\n{\"a\":2}\n{\"a\":3}\n");  // rewritten, same length prefix
  auto rewritten = FingerprintPrefix(path, static_cast<int64_t>(loaded.size()));
  ASSERT_TRUE(rewritten.ok() && rewritten->has_value());
  EXPECT_NE((*rewritten)->hash, (*before)->hash);

  Write("a.json", "{\"a\":1}\n");  // truncated below what was loaded
  auto truncated = FingerprintPrefix(path, static_cast<int64_t>(loaded.size()));
  ASSERT_TRUE(truncated.ok());
  EXPECT_FALSE(truncated->has_value());
}

TEST_F(FileContentTest, FingerprintCatchesAChangeInTheTailOfALargePrefix) {
  std::string big(200 << 10, 'x');
  big += "\n";
  std::string path = Write("big.json", big);
  auto before = *FingerprintPrefix(path, static_cast<int64_t>(big.size()));
  std::string changed = big;
  changed[big.size() - 10] = 'y';
  Write("big.json", changed + "more\n");
  auto after = *FingerprintPrefix(path, static_cast<int64_t>(big.size()));
  EXPECT_NE(after->hash, before->hash);
}

TEST_F(FileContentTest, PrefixEndingMidLineIsNotALineBoundary) {
  std::string path = Write("a.json", "{\"a\":1}\n{\"a\":");
  auto print = *FingerprintPrefix(path, 13);
  ASSERT_TRUE(print.has_value());
  EXPECT_FALSE(print->ends_at_line);
}

}  // namespace
}  // namespace inlet::source
