// Optimistic commits: what a writer that lost the race for a version does, by what the
// winner committed (delta/transaction.h), driven by a competing commit injected just
// before ours.
#include "inlet/delta/transaction.h"

#include <stdlib.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "inlet/delta/log_store.h"
#include "inlet/storage/fault_injecting_file_system.h"
#include "inlet/storage/local_file_system.h"

namespace inlet::delta {
namespace {

namespace fs = std::filesystem;
using Op = storage::FaultInjectingFileSystem::Op;

CommitActions CreateTable(const std::string& schema_fields = "") {
  CommitActions actions;
  actions.protocol = Protocol{1, 2, {}, {}};
  Metadata metadata;
  metadata.id = "table-id";
  metadata.schema_string = R"({"type":"struct","fields":[)" + schema_fields + "]}";
  actions.metadata = metadata;
  return actions;
}

CommitActions Append(const std::string& path, std::optional<Txn> txn = std::nullopt) {
  CommitActions actions;
  actions.adds.push_back(AddFile{path, {}, 100, 1000, true, R"({"numRecords":1})"});
  actions.txn = std::move(txn);
  return actions;
}

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "inlet_txn_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    faults_ = std::make_shared<storage::FaultInjectingFileSystem>(local_);
    table_ = storage::Place{faults_, dir_};
    ASSERT_TRUE(WriteCommit(storage::Place{local_, dir_}, 0, CreateTable()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Another writer commits `actions` at `version` right before our next commit attempt.
  void CompetitorCommitsFirst(int64_t version, CommitActions actions) {
    faults_->BeforeNext(Op::kCreateIfAbsent, CommitFileName(version), [this, version, actions] {
      ASSERT_TRUE(WriteCommit(storage::Place{local_, dir_}, version, actions).ok());
    });
  }
  Snapshot Load() { return Snapshot::Load(table_).ValueOrDie(); }

  std::string dir_;
  std::shared_ptr<storage::FileSystem> local_ = storage::NewLocalFileSystem();
  std::shared_ptr<storage::FaultInjectingFileSystem> faults_;
  storage::Place table_;
};

TEST_F(TransactionTest, CommitsTheNextVersionWithItsTxn) {
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([](const Snapshot&) { return Append("a.parquet"); });
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->version, 1);
  EXPECT_FALSE(committed->already_committed);
  Snapshot after = Load();
  EXPECT_EQ(after.TxnVersion("stream-a"), 0);
  EXPECT_EQ(after.files().size(), 1u);
}

TEST_F(TransactionTest, ABlindAppendThatLostToAnotherAppendGoesToTheNextVersionUnprepared) {
  CompetitorCommitsFirst(1, Append("other.parquet", Txn{"stream-b", 0, std::nullopt}));
  int prepared = 0;
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([&](const Snapshot&) {
    ++prepared;
    return Append("a.parquet");
  });
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->version, 2);
  EXPECT_EQ(prepared, 1) << "an append does not conflict with an append";
  Snapshot after = Load();
  EXPECT_EQ(after.files().size(), 2u) << "both appends are in the table, neither lost";
  EXPECT_EQ(after.TxnVersion("stream-a"), 0);
  EXPECT_EQ(after.TxnVersion("stream-b"), 0);
}

TEST_F(TransactionTest, AWinnerThatRecordedOurOwnTxnMeansTheWorkIsAlreadyCommitted) {
  // A run of this stream that was thought dead committed the same batch.
  CompetitorCommitsFirst(1, Append("same-batch.parquet", Txn{"stream-a", 5, std::nullopt}));
  Transaction transaction(Load(), "stream-a", 5);
  auto committed = transaction.Commit([](const Snapshot&) { return Append("a.parquet"); });
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_TRUE(committed->already_committed);
  EXPECT_EQ(committed->version, 1);
  EXPECT_EQ(Load().version(), 1) << "nothing committed twice";
  EXPECT_EQ(Load().files().size(), 1u);
}

TEST_F(TransactionTest, AWinnerThatChangedTheSchemaMakesTheActionsBePreparedAgainOnTheNewTable) {
  CommitActions evolve = CreateTable(R"({"name":"b","type":"long","nullable":true,"metadata":{}})");
  CompetitorCommitsFirst(1, evolve);
  std::vector<std::string> seen_schemas;
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([&](const Snapshot& table) {
    seen_schemas.push_back(table.metadata().schema_string);
    return Append("a.parquet");
  });
  ASSERT_TRUE(committed.ok()) << committed.status();
  EXPECT_EQ(committed->version, 2);
  ASSERT_EQ(seen_schemas.size(), 2u);
  EXPECT_EQ(seen_schemas[1], evolve.metadata->schema_string);
}

TEST_F(TransactionTest, ARefusalOnTheNewTableEndsTheCommitAndWritesNothing) {
  CommitActions partitioned = CreateTable();
  partitioned.metadata->partition_columns = {"day"};
  CompetitorCommitsFirst(1, partitioned);
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([](const Snapshot& table) -> Result<CommitActions> {
    if (!table.metadata().partition_columns.empty()) return Status::Invalid("the partition columns changed");
    return Append("a.parquet");
  });
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.status().message(), "the partition columns changed");
  EXPECT_EQ(Load().version(), 1);
}

TEST_F(TransactionTest, AFailedWriteIsReturnedNotRetried) {
  faults_->FailNext(Op::kCreateIfAbsent, CommitFileName(1), Status::IOError("injected: connection reset"));
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([](const Snapshot&) { return Append("a.parquet"); });
  ASSERT_FALSE(committed.ok());
  EXPECT_EQ(committed.status().message(), "injected: connection reset");
  EXPECT_EQ(faults_->Count(Op::kCreateIfAbsent), 1);
  EXPECT_EQ(Load().version(), 0);
}

TEST_F(TransactionTest, GivesUpNamingTheTableWhenOtherWritersKeepWinning) {
  for (int64_t version = 1; version <= 3; ++version) CompetitorCommitsFirst(version, Append("x" + std::to_string(version)));
  Transaction transaction(Load(), "stream-a", 0);
  auto committed = transaction.Commit([](const Snapshot&) { return Append("a.parquet"); }, 3);
  ASSERT_FALSE(committed.ok());
  EXPECT_NE(committed.status().message().find(dir_), std::string::npos) << committed.status();
  EXPECT_NE(committed.status().message().find("3 attempts"), std::string::npos) << committed.status();
}

}  // namespace
}  // namespace inlet::delta
