// Parsing a batch's files on several threads: totals, the first error, the first new
// field, missing files and cancellation come out as one thread in plan order would give.
#include "inlet/stream/parallel_parse.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "inlet/formats/registry.h"
#include "inlet/schema/ddl.h"
#include "inlet/util/ids.h"

namespace inlet::stream {
namespace {

namespace fs = std::filesystem;

class ParallelParseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inlet-parallel-" + NewUuid());
    fs::create_directories(dir_ / "table");
    schema_ = ParseDdlSchema("id BIGINT, _rescued_data STRING").ValueOrDie();
    options_.rescued_data_column = "_rescued_data";
  }
  void TearDown() override { fs::remove_all(dir_); }

  // File i holds `rows` records with ids i*1000 .. i*1000+rows-1.
  void AddFile(int i, int rows, const std::string& extra = "") {
    fs::path path = dir_ / ("f" + std::to_string(i) + ".json");
    std::ofstream out(path);
    for (int r = 0; r < rows; ++r) out << "{\"id\":" << i * 1000 + r << extra << "}\n";
    files_.push_back(source::DiscoveredFile{path.string(), static_cast<int64_t>(rows * 12), 0});
  }

  Result<ParsedFiles> Parse(int threads, const std::atomic<bool>* cancel = nullptr,
                            int64_t range_bytes = kParseRangeBytes) {
    return ParseFilesInParallel(files_, *json_, schema_, options_, (dir_ / "table").string(), 128 << 20, threads,
                                cancel, /*guess=*/nullptr, range_bytes);
  }

  size_t DataFilesOnDisk() {
    size_t n = 0;
    for (const auto& entry : fs::directory_iterator(dir_ / "table")) n += entry.path().extension() == ".parquet";
    return n;
  }

  fs::path dir_;
  Schema schema_;
  std::shared_ptr<const formats::FileFormat> json_ = formats::MakeFileFormat("json", {}).ValueOrDie();
  formats::ReadOptions options_;
  std::vector<source::DiscoveredFile> files_;
};

TEST_F(ParallelParseTest, ThreeThreadsReadEveryFileOnce) {
  for (int i = 0; i < 10; ++i) AddFile(i, 50 + i, i % 3 == 0 ? ",\"x\":1" : "");
  auto parsed = Parse(3);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->counts.records, 50 * 10 + 45);
  EXPECT_EQ(parsed->counts.rescued_records, 50 + 53 + 56 + 59);  // files 0, 3, 6, 9
  int64_t rows_in_files = 0;
  for (const auto& file : parsed->files) rows_in_files += file.num_records;
  EXPECT_EQ(rows_in_files, parsed->counts.records);
  EXPECT_EQ(DataFilesOnDisk(), parsed->files.size());
  EXPECT_LE(parsed->files.size(), 3u);
}

TEST_F(ParallelParseTest, TheLowestFilesErrorIsReportedAndNoDataFileStays) {
  options_.mode = formats::MalformedRecordMode::kFailFast;  // a malformed line is an error
  for (int i = 0; i < 8; ++i) AddFile(i, 20);
  std::ofstream(files_[2].path, std::ios::app) << "{broken\n";
  std::ofstream(files_[6].path, std::ios::app) << "{broken\n";
  auto parsed = Parse(4);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("f2.json:21"), std::string::npos) << parsed.status().message();
  EXPECT_EQ(DataFilesOnDisk(), 0u);
}

TEST_F(ParallelParseTest, MissingFilesAreListedInPlanOrder) {
  for (int i = 0; i < 6; ++i) AddFile(i, 5);
  fs::remove(files_[4].path);
  fs::remove(files_[1].path);
  auto parsed = Parse(3);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->missing_files, (std::vector<std::string>{files_[1].path, files_[4].path}));
  EXPECT_EQ(parsed->counts.records, 20);
}

TEST_F(ParallelParseTest, TheFirstFileWithANewFieldIsTheOneReported) {
  for (int i = 0; i < 9; ++i) AddFile(i, 10, i == 3 || i == 7 ? ",\"new\":true" : "");
  options_.stop_on_new_fields = true;
  auto parsed = Parse(3);
  ASSERT_TRUE(parsed.ok());
  ASSERT_TRUE(parsed->new_field_file.has_value());
  EXPECT_EQ(*parsed->new_field_file, 3u);
  EXPECT_EQ(parsed->new_field_counts.new_field_line, 1);
  EXPECT_EQ(parsed->new_field_counts.new_field_path, FieldPath{"new"});
}

TEST_F(ParallelParseTest, ALargeFileIsSplitIntoRangesThatReadEveryLineOnce) {
  AddFile(0, 3000, ",\"x\":1");
  AddFile(1, 10);
  files_[0].size = static_cast<int64_t>(fs::file_size(files_[0].path));
  auto parsed = Parse(3, nullptr, /*range_bytes=*/1000);  // dozens of ranges
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->counts.records, 3010);
  EXPECT_EQ(parsed->counts.rescued_records, 3000);
  EXPECT_EQ(parsed->counts.bytes, files_[0].size + static_cast<int64_t>(fs::file_size(files_[1].path)));
  int64_t rows_in_files = 0;
  for (const auto& file : parsed->files) rows_in_files += file.num_records;
  EXPECT_EQ(rows_in_files, 3010);
}

TEST_F(ParallelParseTest, AnErrorInARangeNamesTheFilesLine) {
  options_.mode = formats::MalformedRecordMode::kFailFast;  // a malformed line is an error
  AddFile(0, 500);
  std::ofstream(files_[0].path, std::ios::app) << "{broken\n";
  for (int i = 0; i < 100; ++i) std::ofstream(files_[0].path, std::ios::app) << "{\"id\":1}\n";
  files_[0].size = static_cast<int64_t>(fs::file_size(files_[0].path));
  auto parsed = Parse(2, nullptr, /*range_bytes=*/500);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("f0.json:501"), std::string::npos) << parsed.status().message();
}

TEST_F(ParallelParseTest, CancelStopsBeforeTheNextFileAndRemovesDataFiles) {
  for (int i = 0; i < 4; ++i) AddFile(i, 10);
  std::atomic<bool> cancel{true};
  auto parsed = Parse(2, &cancel);
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsCancelled());
  EXPECT_EQ(DataFilesOnDisk(), 0u);
}

TEST_F(ParallelParseTest, MalformedLinesInEveryRangeAreCountedOnceAndKeptAsRows) {
  // Permissive: each range of a split file meets its own bad lines; totals add up exactly.
  fs::path path = dir_ / "big.json";
  {
    std::ofstream out(path);
    for (int r = 0; r < 400; ++r) out << (r % 40 == 7 ? std::string("{\"id\": oops") : "{\"id\":" + std::to_string(r) + "}") << "\n";
  }
  files_.push_back(source::DiscoveredFile{path.string(), static_cast<int64_t>(fs::file_size(path)), 0});
  auto parsed = Parse(2, nullptr, /*range_bytes=*/500);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->counts.records, 400);
  EXPECT_EQ(parsed->counts.bad_records, 10);
  EXPECT_EQ(parsed->counts.rows, 400);
}

TEST_F(ParallelParseTest, CompressedFilesAreNeverSplitIntoRanges) {
  // A .gz name: a ranged read would fail, so the file must go to one reader whole.
  fs::path path = dir_ / "plain-named.json.gz";
  {
    std::ofstream out(path);
    for (int r = 0; r < 200; ++r) out << "{\"id\":" << r << "}\n";
  }
  files_.push_back(source::DiscoveredFile{path.string(), static_cast<int64_t>(fs::file_size(path)), 0});
  auto parsed = Parse(2, nullptr, /*range_bytes=*/100);
  // Not gzip inside: the one reader reports that, naming the file, instead of ranges failing.
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("plain-named.json.gz"), std::string::npos) << parsed.status().message();
  EXPECT_EQ(parsed.status().message().find("range"), std::string::npos) << parsed.status().message();
}

TEST_F(ParallelParseTest, ACorruptFileFailsTheReadUnlessIgnoredThenItIsListed) {
  AddFile(0, 10);
  const fs::path corrupt = dir_ / "f1.json.gz";
  std::ofstream(corrupt) << "this is not gzip at all\n";
  files_.push_back(source::DiscoveredFile{corrupt.string(), 24, 0});
  AddFile(2, 10);
  auto failed = Parse(2);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("f1.json.gz"), std::string::npos);
  EXPECT_EQ(DataFilesOnDisk(), 0u);
  auto parsed = ParseFilesInParallel(files_, *json_, schema_, options_, (dir_ / "table").string(), 128 << 20, 2, nullptr,
                                     nullptr, kParseRangeBytes, /*ignore_corrupt_files=*/true);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->corrupt_files.size(), 1u);
  EXPECT_EQ(parsed->corrupt_files[0].first, corrupt.string());
  EXPECT_FALSE(parsed->corrupt_files[0].second.empty());
  EXPECT_EQ(parsed->counts.records, 20);
}

}  // namespace
}  // namespace inlet::stream
