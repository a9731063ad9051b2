// The FileSystem contract on the local backend: create-if-absent, whole-or-nothing
// publication, listing, leases, and resolution by URI scheme.
#include "inlet/storage/local_file_system.h"

#include <stdlib.h>

#include <atomic>
#include <filesystem>
#include <regex>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "inlet/storage/file_system.h"
#include "inlet/util/ids.h"

namespace inlet::storage {
namespace {

namespace fs = std::filesystem;

class LocalFileSystemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "inlet_storage_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  size_t EntriesIn(const std::string& dir) const {
    return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
  }

  std::shared_ptr<FileSystem> local_ = NewLocalFileSystem();
  std::string dir_;
};

TEST_F(LocalFileSystemTest, ReplaceSwapsTheWholeContentAndLeavesNoTempFile) {
  ASSERT_TRUE(local_->WriteFile(Path("f"), "first version", WriteMode::kReplace).ok());
  ASSERT_TRUE(local_->WriteFile(Path("f"), "second", WriteMode::kReplace).ok());
  EXPECT_EQ(local_->ReadFile(Path("f")).ValueOrDie(), "second");
  EXPECT_EQ(EntriesIn(dir_), 1u);
}

TEST_F(LocalFileSystemTest, CreateIfAbsentRefusesAnExistingFileAndKeepsIt) {
  const std::string path = Path("00000000000000000000.json");
  ASSERT_TRUE(local_->WriteFile(path, "winner", WriteMode::kCreateIfAbsent).ok());
  Status second = local_->WriteFile(path, "loser", WriteMode::kCreateIfAbsent);
  EXPECT_TRUE(second.IsAlreadyExists()) << second.ToString();
  EXPECT_EQ(local_->ReadFile(path).ValueOrDie(), "winner");
  EXPECT_EQ(EntriesIn(dir_), 1u);
}

TEST_F(LocalFileSystemTest, OfWritersRacingToCreateOneNameExactlyOneWins) {
  const std::string path = Path("7");
  std::atomic<int> won{0}, lost{0};
  std::vector<std::thread> writers;
  for (int i = 0; i < 8; ++i) {
    writers.emplace_back([&, i] {
      Status st = local_->WriteFile(path, "writer " + std::to_string(i), WriteMode::kCreateIfAbsent);
      (st.ok() ? won : lost)++;
      EXPECT_TRUE(st.ok() || st.IsAlreadyExists()) << st.ToString();
    });
  }
  for (auto& writer : writers) writer.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(lost.load(), 7);
  EXPECT_EQ(EntriesIn(dir_), 1u);
}

TEST_F(LocalFileSystemTest, AWrittenFileAppearsOnlyWhenClosed) {
  auto file = local_->OpenForWrite(Path("part-0.parquet")).ValueOrDie();
  ASSERT_TRUE(file->Write("abc", 3).ok());
  EXPECT_FALSE(fs::exists(Path("part-0.parquet")));
  auto listed = local_->ListDir(dir_).ValueOrDie();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].name.front(), '.') << "the file being written is hidden: " << listed[0].name;
  ASSERT_TRUE(file->Close().ok());
  EXPECT_EQ(local_->ReadFile(Path("part-0.parquet")).ValueOrDie(), "abc");
  EXPECT_EQ(EntriesIn(dir_), 1u);
}

TEST_F(LocalFileSystemTest, AnAbortedOrAbandonedFileNeverAppears) {
  {
    auto aborted = local_->OpenForWrite(Path("a")).ValueOrDie();
    ASSERT_TRUE(aborted->Write("x", 1).ok());
    ASSERT_TRUE(aborted->Abort().ok());
    EXPECT_FALSE(aborted->Close().ok()) << "closing an aborted file must not publish it";
    auto abandoned = local_->OpenForWrite(Path("b")).ValueOrDie();
    ASSERT_TRUE(abandoned->Write("y", 1).ok());
  }
  EXPECT_EQ(EntriesIn(dir_), 0u);
}

TEST_F(LocalFileSystemTest, ListsAndStatsFilesAndDirectories) {
  ASSERT_TRUE(local_->CreateDirs(Path("sub/deeper")).ok());
  ASSERT_TRUE(local_->WriteFile(Path("f.json"), "12345", WriteMode::kReplace).ok());
  auto entries = local_->ListDir(dir_).ValueOrDie();
  std::sort(entries.begin(), entries.end(), [](auto& a, auto& b) { return a.name < b.name; });
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].name, "f.json");
  EXPECT_EQ(entries[0].path, Path("f.json"));
  EXPECT_EQ(entries[0].size, 5);
  EXPECT_FALSE(entries[0].is_directory());
  EXPECT_GT(entries[0].modification_time_ms, 0);
  EXPECT_TRUE(entries[1].is_directory());
  EXPECT_TRUE(local_->ListDir(Path("missing")).ValueOrDie().empty());
  EXPECT_FALSE(local_->Stat(Path("missing")).ValueOrDie().has_value());
  EXPECT_EQ(local_->Stat(Path("f.json")).ValueOrDie()->size, 5);
}

TEST_F(LocalFileSystemTest, DeletingWhatIsNotThereIsNotAnError) {
  EXPECT_TRUE(local_->Delete(Path("nope")).ok());
  EXPECT_TRUE(local_->DeleteTree(Path("nope")).ok());
}

TEST_F(LocalFileSystemTest, ReadingAMissingFileNamesIt) {
  auto result = local_->ReadFile(Path("nope"));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find(Path("nope")), std::string::npos) << result.status();
}

TEST_F(LocalFileSystemTest, ALeaseHasOneHolderAtATime) {
  auto first = local_->AcquireLease(Path("lock"), "checkpoint 'c'");
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = local_->AcquireLease(Path("lock"), "checkpoint 'c'");
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("checkpoint 'c' is in use"), std::string::npos) << second.status();
  first->reset();
  EXPECT_TRUE(local_->AcquireLease(Path("lock"), "checkpoint 'c'").ok());
}

TEST(StorageResolve, PlainPathsAndFileUrisAreLocal) {
  auto plain = Resolve("--table", "/tmp/t").ValueOrDie();
  EXPECT_EQ(plain.fs, Local());
  EXPECT_EQ(plain.path, "/tmp/t");
  EXPECT_EQ(Resolve("--table", "file:///tmp/t").ValueOrDie().path, "/tmp/t");
  EXPECT_EQ(plain.Child("_delta_log/0.json").path, "/tmp/t/_delta_log/0.json");
}

TEST(StorageResolve, AnUnknownSchemeIsRefusedNamingTheKnownOnes) {
  auto unknown = Resolve("--source", "hdfs://nn/landing");
  ASSERT_FALSE(unknown.ok());
  EXPECT_TRUE(unknown.status().IsInvalid());
  EXPECT_NE(unknown.status().message().find("s3://"), std::string::npos) << unknown.status();
  EXPECT_NE(unknown.status().message().find("--source"), std::string::npos) << unknown.status();
}

TEST(StorageResolve, ObjectStoreUrisKeepTheirUriOnOneStorePerBucket) {
  auto table = Resolve("--table", "s3://bucket/tables/t").ValueOrDie();
  EXPECT_EQ(table.path, "s3://bucket/tables/t");
  EXPECT_NE(table.fs, Local());
  EXPECT_EQ(Resolve("--source", "s3://bucket/landing").ValueOrDie().fs, table.fs);
  EXPECT_EQ(Resolve("--source", "s3a://bucket/landing").ValueOrDie().path, "s3a://bucket/landing");
  EXPECT_NE(Resolve("--source", "s3://other/landing").ValueOrDie().fs, table.fs);
  EXPECT_EQ(table.fs->Normalize("s3://bucket//a///b/").ValueOrDie(), "s3://bucket/a/b/");
}

TEST(Uuid, IsVersion4AndUnique) {
  std::regex shape("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::string a = NewUuid(), b = NewUuid();
  EXPECT_TRUE(std::regex_match(a, shape)) << a;
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace inlet::storage
