// The fault-injecting wrapper fails or precedes exactly the calls a test chose.
#include "inlet/storage/fault_injecting_file_system.h"

#include <stdlib.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "inlet/storage/local_file_system.h"

namespace inlet::storage {
namespace {

namespace fs = std::filesystem;
using Op = FaultInjectingFileSystem::Op;

class FaultInjectingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "inlet_faults_XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string dir_;
  std::shared_ptr<FileSystem> local_ = NewLocalFileSystem();
  FaultInjectingFileSystem faults_{local_};
};

TEST_F(FaultInjectingTest, FailsTheChosenCallsOnMatchingPathsOnlyThenPassesThrough) {
  faults_.FailNext(Op::kCreateIfAbsent, "offsets/", Status::IOError("injected: disk full"), 2);
  EXPECT_TRUE(faults_.WriteFile(dir_ + "/commits-0", "x", WriteMode::kCreateIfAbsent).ok()) << "path does not match";
  EXPECT_TRUE(faults_.WriteFile(dir_ + "/offsets-r", "x", WriteMode::kReplace).ok()) << "another operation";
  ASSERT_TRUE(local_->CreateDirs(dir_ + "/offsets").ok());
  for (int i = 0; i < 2; ++i) {
    Status failed = faults_.WriteFile(dir_ + "/offsets/0", "x", WriteMode::kCreateIfAbsent);
    EXPECT_EQ(failed.message(), "injected: disk full");
  }
  EXPECT_FALSE(fs::exists(dir_ + "/offsets/0")) << "a failed call does nothing";
  EXPECT_TRUE(faults_.WriteFile(dir_ + "/offsets/0", "x", WriteMode::kCreateIfAbsent).ok());
  EXPECT_EQ(faults_.Count(Op::kCreateIfAbsent), 4);
}

TEST_F(FaultInjectingTest, AHookRunsOnceJustBeforeTheCallItPrecedes) {
  int ran = 0;
  // Another writer takes the name between our decision and our write.
  faults_.BeforeNext(Op::kCreateIfAbsent, "/7", [&] {
    ++ran;
    ASSERT_TRUE(local_->WriteFile(dir_ + "/7", "other writer", WriteMode::kCreateIfAbsent).ok());
  });
  EXPECT_TRUE(faults_.WriteFile(dir_ + "/7", "us", WriteMode::kCreateIfAbsent).IsAlreadyExists());
  EXPECT_EQ(local_->ReadFile(dir_ + "/7").ValueOrDie(), "other writer");
  EXPECT_TRUE(faults_.WriteFile(dir_ + "/8", "us", WriteMode::kCreateIfAbsent).ok());
  EXPECT_EQ(ran, 1);
}

}  // namespace
}  // namespace inlet::storage
