// Snapshot replay, put-if-absent commits, txn tracking and history on real log directories.
#include "inlet/delta/table.h"

#include <stdlib.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "inlet/util/ids.h"

namespace inlet::delta {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "inlet_delta_XXXXXX").string();
  return ::mkdtemp(pattern.data());
}

CommitActions CreateTable() {
  CommitActions actions;
  actions.commit_info = CommitInfo{1000, "CREATE TABLE", {}, {}, "inlet/test"};
  actions.protocol = Protocol{1, 2, {}, {}};
  Metadata metadata;
  metadata.id = "table-id";
  metadata.schema_string = R"({"type":"struct","fields":[]})";
  actions.metadata = metadata;
  return actions;
}

AddFile Add(const std::string& path, int64_t records) {
  return AddFile{path, {}, 100, 1000, true, "{\"numRecords\":" + std::to_string(records) + "}"};
}

TEST(DeltaTable, MissingLogIsEmptySnapshot) {
  std::string dir = MakeTempDir();
  auto snapshot = Snapshot::Load(dir);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_FALSE(snapshot->exists());
  EXPECT_EQ(snapshot->version(), -1);
  EXPECT_TRUE(snapshot->files().empty());
  fs::remove_all(dir);
}

TEST(DeltaTable, SecondCommitOfSameVersionIsAlreadyExists) {
  std::string dir = MakeTempDir();
  ASSERT_TRUE(WriteCommit(dir, 0, CreateTable()).ok());
  CommitActions other;
  other.adds.push_back(Add("b.parquet", 1));
  Status status = WriteCommit(dir, 0, other);
  EXPECT_TRUE(status.IsAlreadyExists()) << status.ToString();
  // The first commit is untouched.
  auto snapshot = Snapshot::Load(dir);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->files().empty());
  EXPECT_TRUE(WriteCommit(dir, 1, other).ok());
  fs::remove_all(dir);
}

TEST(DeltaTable, ReplayReconcilesAddsAndRemovesByPath) {
  std::string dir = MakeTempDir();
  CommitActions first = CreateTable();
  first.adds = {Add("a.parquet", 1), Add("b.parquet", 2), Add("c.parquet", 3)};
  ASSERT_TRUE(WriteCommit(dir, 0, first).ok());
  CommitActions second;
  second.removes = {RemoveFile{"b.parquet", 2000, true}};
  second.adds = {Add("d.parquet", 4)};
  ASSERT_TRUE(WriteCommit(dir, 1, second).ok());
  CommitActions third;
  third.adds = {Add("b.parquet", 5)};  // re-added after its removal
  ASSERT_TRUE(WriteCommit(dir, 2, third).ok());

  auto snapshot = Snapshot::Load(dir);
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  EXPECT_EQ(snapshot->version(), 2);
  std::vector<std::string> paths;
  for (const AddFile& file : snapshot->files()) paths.push_back(file.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"a.parquet", "c.parquet", "d.parquet", "b.parquet"}));
  EXPECT_EQ(snapshot->files().back().stats, "{\"numRecords\":5}");
  EXPECT_TRUE(snapshot->tombstones().empty());
  EXPECT_EQ(snapshot->metadata().id, "table-id");
  EXPECT_EQ(snapshot->protocol().min_writer_version, 2);
  fs::remove_all(dir);
}

TEST(DeltaTable, TracksLatestTxnVersionPerApp) {
  std::string dir = MakeTempDir();
  ASSERT_TRUE(WriteCommit(dir, 0, CreateTable()).ok());
  for (int64_t v = 1; v <= 3; ++v) {
    CommitActions actions;
    actions.txn = Txn{v == 2 ? "other" : "stream", v * 10, 5000 + v};
    ASSERT_TRUE(WriteCommit(dir, v, actions).ok());
  }
  auto snapshot = Snapshot::Load(dir);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_EQ(snapshot->TxnVersion("stream"), 30);
  EXPECT_EQ(snapshot->TxnVersion("other"), 20);
  EXPECT_EQ(snapshot->TxnVersion("unknown"), std::nullopt);
  EXPECT_EQ(snapshot->txns().at("stream").last_updated, 5003);
  fs::remove_all(dir);
}

TEST(DeltaTable, GapInLogIsAnErrorNamingTheMissingVersion) {
  std::string dir = MakeTempDir();
  ASSERT_TRUE(WriteCommit(dir, 0, CreateTable()).ok());
  ASSERT_TRUE(WriteCommit(dir, 2, CommitActions{}).ok());
  auto snapshot = Snapshot::Load(dir);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_NE(snapshot.status().message().find("missing version 1"), std::string::npos)
      << snapshot.status().message();
  fs::remove_all(dir);
}

TEST(DeltaTable, HistoryIsNewestFirstWithRowCounts) {
  std::string dir = MakeTempDir();
  ASSERT_TRUE(WriteCommit(dir, 0, CreateTable()).ok());
  CommitActions append;
  append.commit_info = CommitInfo{2000, "STREAMING UPDATE", {}, {}, "inlet/test"};
  append.adds = {Add("a.parquet", 3), Add("b.parquet", 4)};
  ASSERT_TRUE(WriteCommit(dir, 1, append).ok());
  CommitActions no_stats;  // rows come from operationMetrics when stats are missing
  no_stats.commit_info = CommitInfo{3000, "WRITE", {}, {{"numOutputRows", "9"}}, "other"};
  no_stats.adds = {AddFile{"c.parquet", {}, 1, 1, true, ""}};
  no_stats.removes = {RemoveFile{"a.parquet", 3000, true}};
  ASSERT_TRUE(WriteCommit(dir, 2, no_stats).ok());

  auto history = ReadHistory(dir);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].version, 2);
  EXPECT_EQ((*history)[0].commit_info.operation, "WRITE");
  EXPECT_EQ((*history)[0].rows_added, 9);
  EXPECT_EQ((*history)[0].files_added, 1);
  EXPECT_EQ((*history)[0].files_removed, 1);
  EXPECT_EQ((*history)[1].rows_added, 7);
  EXPECT_EQ((*history)[1].files_added, 2);
  EXPECT_EQ((*history)[2].commit_info.operation, "CREATE TABLE");
  fs::remove_all(dir);
}

// Found by fuzz/fuzz_delta_log: numRecords that overflow int64 when summed were undefined
// behaviour; such stats now count as missing (operationMetrics is used instead).
TEST(DeltaTable, HistoryRowCountsThatOverflowFallBackToMetrics) {
  std::string dir = MakeTempDir();
  ASSERT_TRUE(WriteCommit(dir, 0, CreateTable()).ok());
  CommitActions append;
  append.commit_info = CommitInfo{2000, "WRITE", {}, {{"numOutputRows", "5"}}, "other"};
  append.adds = {Add("a.parquet", 9'000'000'000'000'000'000), Add("b.parquet", 9'000'000'000'000'000'000)};
  ASSERT_TRUE(WriteCommit(dir, 1, append).ok());

  auto history = ReadHistory(dir);
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->at(0).rows_added, 5);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inlet::delta
