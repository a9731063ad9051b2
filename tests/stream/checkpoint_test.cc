// Checkpoint folder behaviour: stream id, lock, plans and commit markers.
#include "inlet/stream/checkpoint.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "inlet/util/ids.h"
#include "inlet/storage/fault_injecting_file_system.h"
#include "inlet/storage/file_system.h"

namespace inlet::stream {
namespace {

namespace fs = std::filesystem;

class CheckpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inlet-checkpoint-" + NewUuid());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CheckpointTest, StreamIdIsStableAcrossOpens) {
  std::string first;
  {
    auto checkpoint = Checkpoint::Open(dir_.string());
    ASSERT_TRUE(checkpoint.ok()) << checkpoint.status().ToString();
    first = (*checkpoint)->stream_id();
    EXPECT_EQ(first.size(), 36u);
  }
  auto again = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->stream_id(), first);
}

TEST_F(CheckpointTest, SecondOpenWhileLockedIsRefusedWithClearMessage) {
  auto first = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(first.ok());
  auto second = Checkpoint::Open(dir_.string());
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("in use"), std::string::npos) << second.status().message();
}

TEST_F(CheckpointTest, PlanRoundTripsAndCommitMarksIt) {
  auto checkpoint = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(checkpoint.ok());
  Checkpoint& cp = **checkpoint;
  EXPECT_FALSE(cp.LatestPlanned().ValueOrDie().has_value());

  BatchPlan plan;
  plan.batch_id = 0;
  plan.planned_at_ms = 1234;
  plan.schema_json = R"({"type":"struct","fields":[]})";
  plan.files = {{"/landing/a.json", 10, 100}, {"/landing/b.json", 20, 200}};
  ASSERT_TRUE(cp.WritePlan(plan).ok());
  EXPECT_EQ(cp.LatestPlanned().ValueOrDie(), 0);
  EXPECT_FALSE(cp.LatestCommitted().ValueOrDie().has_value());

  auto read = cp.ReadPlan(0);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->schema_json, plan.schema_json);
  ASSERT_EQ(read->files.size(), 2u);
  EXPECT_EQ(read->files[1].path, "/landing/b.json");
  EXPECT_EQ(read->files[1].size, 20);
  EXPECT_EQ(read->files[1].modification_time_ms, 200);

  ASSERT_TRUE(cp.MarkCommitted(0, 5).ok());
  ASSERT_TRUE(cp.MarkCommitted(0, 5).ok()) << "marking twice is harmless";
  EXPECT_EQ(cp.LatestCommitted().ValueOrDie(), 0);
}

TEST_F(CheckpointTest, APlanIsNeverOverwritten) {
  auto checkpoint = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(checkpoint.ok());
  BatchPlan plan;
  plan.schema_json = "{}";
  ASSERT_TRUE((*checkpoint)->WritePlan(plan).ok());
  EXPECT_TRUE((*checkpoint)->WritePlan(plan).IsAlreadyExists());
}

TEST_F(CheckpointTest, TempFilesInTheLogAreIgnored) {
  auto checkpoint = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_TRUE(storage::Local()->WriteFile((dir_ / "offsets" / "7.tmp.1.0").string(), "junk", storage::WriteMode::kReplace).ok());
  EXPECT_FALSE((*checkpoint)->LatestPlanned().ValueOrDie().has_value());
}

TEST_F(CheckpointTest, DeferredFilesRoundTripAndALaterAttemptReplacesThem) {
  auto checkpoint = Checkpoint::Open(dir_.string());
  ASSERT_TRUE(checkpoint.ok());
  auto none = (*checkpoint)->ReadDeferred(4);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  ASSERT_TRUE((*checkpoint)->WriteDeferred(4, {"/landing/a.json", "/landing/b.json"}).ok());
  auto read = (*checkpoint)->ReadDeferred(4);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, (std::vector<std::string>{"/landing/a.json", "/landing/b.json"}));
  // The attempt that commits deferred nothing: the earlier attempt's list must not survive.
  ASSERT_TRUE((*checkpoint)->WriteDeferred(4, {}).ok());
  read = (*checkpoint)->ReadDeferred(4);
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE(read->empty());
  // Nothing deferred and nothing there before: no file at all.
  ASSERT_TRUE((*checkpoint)->WriteDeferred(5, {}).ok());
  EXPECT_FALSE(fs::exists(dir_ / "deferred" / "5"));
}

}  // namespace
}  // namespace inlet::stream

namespace inlet::stream {
namespace {

using Op = storage::FaultInjectingFileSystem::Op;

TEST_F(CheckpointTest, APlanWriteThatFailsLeavesNoPlanAndTheSameBatchCanBeWrittenAgain) {
  auto faults = std::make_shared<storage::FaultInjectingFileSystem>(storage::Local());
  auto checkpoint = Checkpoint::Open(storage::Place{faults, dir_.string()});
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  BatchPlan plan;
  plan.schema_json = R"({"type":"struct","fields":[]})";
  plan.files = {{"/landing/a.json", 10, 100}};
  faults->FailNext(Op::kCreateIfAbsent, "offsets/0", Status::IOError("injected: connection reset"));
  Status failed = (*checkpoint)->WritePlan(plan);
  EXPECT_EQ(failed.message(), "injected: connection reset");
  EXPECT_FALSE((*checkpoint)->LatestPlanned().ValueOrDie().has_value());
  ASSERT_TRUE((*checkpoint)->WritePlan(plan).ok());
  EXPECT_EQ((*checkpoint)->ReadPlan(0).ValueOrDie().files.size(), 1u);
}

TEST_F(CheckpointTest, APlanAnotherWriterPutFirstIsNeverOverwritten) {
  auto faults = std::make_shared<storage::FaultInjectingFileSystem>(storage::Local());
  auto checkpoint = Checkpoint::Open(storage::Place{faults, dir_.string()});
  ASSERT_TRUE(checkpoint.ok()) << checkpoint.status();
  BatchPlan ours, theirs;
  ours.schema_json = theirs.schema_json = R"({"type":"struct","fields":[]})";
  ours.files = {{"/landing/ours.json", 1, 1}};
  theirs.files = {{"/landing/theirs.json", 2, 2}};
  faults->BeforeNext(Op::kCreateIfAbsent, "offsets/0", [&] { ASSERT_TRUE((*checkpoint)->WritePlan(theirs).ok()); });
  EXPECT_TRUE((*checkpoint)->WritePlan(ours).IsAlreadyExists());
  EXPECT_EQ((*checkpoint)->ReadPlan(0).ValueOrDie().files[0].path, "/landing/theirs.json");
}

}  // namespace
}  // namespace inlet::stream
