// A file state store whose truth is a remote change log (a checkpoint on object storage):
// the local RocksDB folder is only a working copy, rebuilt or brought up to date on open.
// The "remote" here is a local folder behind a FaultInjectingFileSystem, which keeps the
// same create-if-absent contract an object store does.
#include <unistd.h>

#include <filesystem>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "inlet/source/file_state_store.h"
#include "inlet/storage/fault_injecting_file_system.h"

namespace inlet::source {
namespace {

namespace fs = std::filesystem;
using storage::FaultInjectingFileSystem;

class FileStateRemoteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-remote-state-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
    remote_fs_ = std::make_shared<FaultInjectingFileSystem>(storage::Local());
  }
  void TearDown() override { fs::remove_all(root_); }

  std::unique_ptr<FileStateStore> Open(const std::string& copy, const std::string& stream = "s1",
                                       const std::string& remote = "remote") {
    FileStateRemote where{storage::Place{remote_fs_, root_ + "/" + remote + "/sources/0"}, stream};
    auto store = FileStateStore::Open(root_ + "/" + copy, std::move(where));
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  static bool Has(FileStateStore& store, const std::string& path) {
    auto got = store.Get(path);
    return got.ok() && got->has_value();
  }

  std::string root_;
  std::shared_ptr<FaultInjectingFileSystem> remote_fs_;
};

TEST_F(FileStateRemoteTest, AnEmptyWorkingCopyIsRebuiltFromTheRemoteLog) {
  {
    auto store = Open("machine-a");
    ASSERT_TRUE(store->PutAll({{"s3://b/a.json", 10, 1}, {"s3://b/b.json", 20, 2}}, 0).ok());
    ASSERT_TRUE(store->RemoveAll({"s3://b/b.json"}).ok());
  }
  auto fresh = Open("machine-b");
  EXPECT_EQ(fresh->changes_replayed(), 2);
  EXPECT_TRUE(Has(*fresh, "s3://b/a.json"));
  EXPECT_FALSE(Has(*fresh, "s3://b/b.json"));
  EXPECT_EQ(*fresh->Count(), 1) << "the applied-change record is not a file";
}

TEST_F(FileStateRemoteTest, AStaleWorkingCopyReplaysOnlyWhatItMissed) {
  { ASSERT_TRUE(Open("machine-a")->PutAll({{"s3://b/1.json", 1, 1}}, 0).ok()); }
  {
    auto other = Open("machine-b");
    ASSERT_TRUE(other->PutAll({{"s3://b/2.json", 1, 1}}, 1).ok());
    ASSERT_TRUE(other->PutAll({{"s3://b/3.json", 1, 1}}, 2).ok());
  }
  auto back = Open("machine-a");
  EXPECT_EQ(back->changes_replayed(), 2);
  for (const char* path : {"s3://b/1.json", "s3://b/2.json", "s3://b/3.json"}) EXPECT_TRUE(Has(*back, path)) << path;
  auto again = Open("machine-b");
  EXPECT_EQ(again->changes_replayed(), 0) << "an up-to-date copy reads no change";
}

TEST_F(FileStateRemoteTest, AWorkingCopyOfAnotherStreamIsThrownAway) {
  { ASSERT_TRUE(Open("copy", "s1", "first")->PutAll({{"s3://b/old.json", 1, 1}}, 0).ok()); }
  // The checkpoint was deleted and made again: a new stream id, an empty log.
  auto store = Open("copy", "s2", "second");
  EXPECT_FALSE(Has(*store, "s3://b/old.json"));
  EXPECT_EQ(*store->Count(), 0);
}

TEST_F(FileStateRemoteTest, AChangeTheRemoteLogRefusedIsNotAppliedLocally) {
  auto store = Open("copy");
  remote_fs_->FailNext(FaultInjectingFileSystem::Op::kCreateIfAbsent, "/changes/", Status::IOError("503 SlowDown"));
  Status st = store->PutAll({{"s3://b/a.json", 1, 1}}, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("503 SlowDown"), std::string::npos) << st.message();
  EXPECT_FALSE(Has(*store, "s3://b/a.json")) << "the working copy never runs ahead of the truth";
  ASSERT_TRUE(store->PutAll({{"s3://b/a.json", 1, 1}}, 0).ok()) << "the same change number is used again";
  store.reset();
  EXPECT_TRUE(Has(*Open("elsewhere"), "s3://b/a.json"));
}

TEST_F(FileStateRemoteTest, AChangeWrittenByAnotherRunIsAnErrorNotAnOverwrite) {
  auto first = Open("copy-a");
  auto second = Open("copy-b");  // what a run that lost its lease still holds
  ASSERT_TRUE(first->PutAll({{"s3://b/a.json", 1, 1}}, 0).ok());
  Status st = second->PutAll({{"s3://b/z.json", 1, 1}}, 0);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("lost the checkpoint's lease"), std::string::npos) << st.message();
}

TEST_F(FileStateRemoteTest, SnapshotsBoundWhatANewMachineReads) {
  {
    auto store = Open("copy");
    for (int i = 0; i < 250; ++i) {
      ASSERT_TRUE(store->PutAll({{fmt::format("s3://b/{}.json", i), i, i}}, i).ok());
    }
  }
  const std::string log = root_ + "/remote/sources/0";
  EXPECT_TRUE(fs::exists(log + "/snapshots/199"));
  EXPECT_FALSE(fs::exists(log + "/snapshots/99")) << "older snapshots are dropped";
  EXPECT_FALSE(fs::exists(log + "/changes/199")) << "changes a snapshot covers are dropped";
  EXPECT_TRUE(fs::exists(log + "/changes/200"));
  auto fresh = Open("new-machine");
  EXPECT_EQ(fresh->changes_replayed(), 1 + 50) << "one snapshot, then the 50 changes after it";
  EXPECT_EQ(*fresh->Count(), 250);
  auto behind_snapshot = Open("copy");
  EXPECT_EQ(*behind_snapshot->Count(), 250);
}

}  // namespace
}  // namespace inlet::source
