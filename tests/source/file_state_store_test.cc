// Tests for the RocksDB file state store: round trips, persistence, locking, volume.
#include "inlet/source/file_state_store.h"

#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace inlet::source {
namespace {

namespace fs = std::filesystem;

class FileStateStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-state-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    root_ = templ;
    dir_ = root_ + "/checkpoint/sources/0/rocksdb";
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  std::unique_ptr<FileStateStore> OpenOrDie() {
    auto store = FileStateStore::Open(dir_);
    EXPECT_TRUE(store.ok()) << store.status().ToString();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string root_;
  std::string dir_;
};

TEST_F(FileStateStoreTest, OpenCreatesMissingDirectoriesAndStartsEmpty) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(fs::is_directory(dir_));
  EXPECT_EQ(*store->Count(), 0);
  auto missing = store->Get("/landing/a.json");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TEST_F(FileStateStoreTest, PutAllThenGetRoundTripsEveryField) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  std::vector<DiscoveredFile> files = {
      {"/landing/a.json", 0, 0},
      {"/landing/b.json", 123456789012345, 1700000000123},
      {"/landing/ü ñ.json", 1, -5},  // odd names and pre-epoch mtimes survive too
  };
  ASSERT_TRUE(store->PutAll(files, 7).ok());
  ASSERT_TRUE(store->PutAll({{"/landing/skipped.json", 9, 10}}, -1).ok());
  for (const DiscoveredFile& f : files) {
    auto got = store->Get(f.path);
    ASSERT_TRUE(got.ok());
    ASSERT_TRUE(got->has_value()) << f.path;
    EXPECT_EQ((*got)->size, f.size);
    EXPECT_EQ((*got)->modification_time_ms, f.modification_time_ms);
    EXPECT_EQ((*got)->batch_id, 7);
  }
  auto skipped = store->Get("/landing/skipped.json");
  ASSERT_TRUE(skipped.ok() && skipped->has_value());
  EXPECT_EQ((*skipped)->batch_id, -1);
  EXPECT_EQ(*store->Count(), 4);
}

TEST_F(FileStateStoreTest, PutAllOverwritesAnExistingPath) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->PutAll({{"/a", 1, 2}}, 0).ok());
  ASSERT_TRUE(store->PutAll({{"/a", 3, 4}}, 1).ok());
  EXPECT_EQ(*store->Count(), 1);
  EXPECT_EQ((*store->Get("/a"))->batch_id, 1);
  EXPECT_EQ((*store->Get("/a"))->size, 3);
}

TEST_F(FileStateStoreTest, FingerprintAndChangeSeenAfterLoadRoundTrip) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  DiscoveredFile file{"/a", 10, 20};
  file.fingerprint = 0xfedcba9876543210ULL;
  ASSERT_TRUE(store->PutAll({file, {"/b", 1, 2}}, 3).ok());
  auto a = *store->Get("/a");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->fingerprint, file.fingerprint);
  EXPECT_FALSE(a->changed_after_load());
  EXPECT_FALSE((*store->Get("/b"))->fingerprint.has_value());

  a->changed_size = 15;
  a->changed_modification_time_ms = 25;
  ASSERT_TRUE(store->Put("/a", *a).ok());
  auto changed = *store->Get("/a");
  EXPECT_EQ(changed->size, 10);
  EXPECT_EQ(changed->batch_id, 3);
  EXPECT_EQ(changed->fingerprint, file.fingerprint);
  EXPECT_EQ(changed->changed_size, 15);
  EXPECT_EQ(changed->changed_modification_time_ms, 25);
  EXPECT_EQ(*store->ChangedAfterLoad(), (std::vector<std::string>{"/a"}));
}

TEST_F(FileStateStoreTest, EmptyPutAllIsANoOp) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->PutAll({}, 3).ok());
  EXPECT_EQ(*store->Count(), 0);
}

TEST_F(FileStateStoreTest, ReopenedStoreKeepsWhatWasWritten) {
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutAll({{"/l/a.json", 10, 1000}, {"/l/b.json", 20, 2000}}, 0).ok());
    ASSERT_TRUE(store->PutAll({{"/l/c.json", 30, 3000}}, 1).ok());
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(*store->Count(), 3);
  auto c = store->Get("/l/c.json");
  ASSERT_TRUE(c.ok() && c->has_value());
  EXPECT_EQ((*c)->size, 30);
  EXPECT_EQ((*c)->modification_time_ms, 3000);
  EXPECT_EQ((*c)->batch_id, 1);
}

TEST_F(FileStateStoreTest, SecondOpenInSameProcessSaysCheckpointInUse) {
  auto first = OpenOrDie();
  ASSERT_NE(first, nullptr);
  auto second = FileStateStore::Open(dir_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("checkpoint is in use"), std::string::npos)
      << second.status().ToString();
  EXPECT_NE(second.status().message().find(dir_), std::string::npos);
}

TEST_F(FileStateStoreTest, OpenWhileAnotherProcessHoldsItSaysCheckpointInUse) {
  // The child opens the store and holds it until the parent has tried; the parent then
  // sees RocksDB's file lock taken by another process.
  int ready[2], done[2];
  ASSERT_EQ(::pipe(ready), 0);
  ASSERT_EQ(::pipe(done), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto store = FileStateStore::Open(dir_);
    char c = store.ok() ? 'y' : 'n';
    (void)!::write(ready[1], &c, 1);
    (void)!::read(done[0], &c, 1);
    ::_exit(store.ok() ? 0 : 1);
  }
  char c = 0;
  ASSERT_EQ(::read(ready[0], &c, 1), 1);
  ASSERT_EQ(c, 'y');
  auto store = FileStateStore::Open(dir_);
  (void)!::write(done[1], &c, 1);
  int wstatus = 0;
  ::waitpid(pid, &wstatus, 0);
  for (int fd : {ready[0], ready[1], done[0], done[1]}) ::close(fd);
  EXPECT_TRUE(WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find("checkpoint is in use"), std::string::npos)
      << store.status().ToString();
  // Once the other process is gone the checkpoint opens again.
  EXPECT_TRUE(FileStateStore::Open(dir_).ok());
}

TEST_F(FileStateStoreTest, HundredThousandPutsInReasonableTime) {
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  constexpr int kFiles = 100000;
  constexpr int kPerBatch = 1000;  // realistic: one synced write per micro-batch
  auto start = std::chrono::steady_clock::now();
  for (int b = 0; b < kFiles / kPerBatch; ++b) {
    std::vector<DiscoveredFile> files;
    files.reserve(kPerBatch);
    for (int i = 0; i < kPerBatch; ++i) {
      int n = b * kPerBatch + i;
      files.push_back(
          {fmt::format("/landing/year=2024/part-{:08d}.json", n), n, 1700000000000 + n});
    }
    ASSERT_TRUE(store->PutAll(files, b).ok());
  }
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(20));
  EXPECT_EQ(*store->Count(), kFiles);
  auto last = store->Get("/landing/year=2024/part-00099999.json");
  ASSERT_TRUE(last.ok() && last->has_value());
  EXPECT_EQ((*last)->batch_id, kFiles / kPerBatch - 1);
  EXPECT_EQ((*last)->modification_time_ms, 1700000000000 + kFiles - 1);
}

TEST_F(FileStateStoreTest, OpenOnAFileIsAnErrorNamingThePath) {
  fs::create_directories(root_);
  std::string file = root_ + "/not-a-dir";
  { std::ofstream(file) << "x"; }
  auto store = FileStateStore::Open(file);
  ASSERT_FALSE(store.ok());
  EXPECT_NE(store.status().message().find(file), std::string::npos) << store.status().ToString();
}

TEST_F(FileStateStoreTest, RemoveAllForgetsOnlyTheGivenFilesDurably) {
  {
    auto store = OpenOrDie();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->PutAll({{"/landing/a.json", 1, 2}, {"/landing/b.json", 3, 4}}, 0).ok());
    ASSERT_TRUE(store->RemoveAll({"/landing/b.json", "/landing/never-seen.json"}).ok());
    ASSERT_TRUE(store->RemoveAll({}).ok());
  }
  auto store = OpenOrDie();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Get("/landing/a.json")->has_value());
  EXPECT_FALSE(store->Get("/landing/b.json")->has_value());
  EXPECT_EQ(*store->Count(), 1);
}

}  // namespace
}  // namespace inlet::source
