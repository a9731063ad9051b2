// The lease made of numbered terms (object stores have no locks), exercised on the local
// file system, which keeps the same create-if-absent and listing contract.
#include "inlet/storage/expiring_lease.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <gtest/gtest.h>

namespace inlet::storage {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

class ExpiringLeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ = (fs::temp_directory_path() / "inlet-lease-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ + "/lock";
    ASSERT_TRUE(Local()->CreateDirs(dir_).ok());
  }
  void TearDown() override { fs::remove_all(fs::path(dir_).parent_path()); }

  Result<std::unique_ptr<Lease>> Acquire(milliseconds ttl) {
    ExpiringLeaseOptions options;
    options.time_to_live = ttl;
    return AcquireExpiringLease(*Local(), dir_, "checkpoint 'c'", options);
  }

  size_t Terms() const { return static_cast<size_t>(std::distance(fs::directory_iterator(dir_), {})); }

  std::string dir_;
};

TEST_F(ExpiringLeaseTest, ASecondHolderIsRefusedWhileTheFirstHoldsIt) {
  auto first = Acquire(milliseconds(60'000));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto second = Acquire(milliseconds(60'000));
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.status().message().find("checkpoint 'c' is in use by"), std::string::npos)
      << second.status().message();
}

TEST_F(ExpiringLeaseTest, AReleasedLeaseIsFreeAtOnce) {
  ASSERT_TRUE(Acquire(milliseconds(60'000)).ok());  // destroyed at once: released
  auto next = Acquire(milliseconds(60'000));
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(Terms(), 1u) << "the terms before the holder's are removed";
}

TEST_F(ExpiringLeaseTest, AnAbandonedLeaseIsTakenOverOnlyAfterItsTimeToLive) {
  // What a SIGKILLed holder leaves: its term, never released nor renewed.
  ASSERT_TRUE(Local()->WriteFile(dir_ + "/7", R"({"holder":"gone","released":false})", WriteMode::kCreateIfAbsent).ok());
  auto early = Acquire(milliseconds(1'500));
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.status().message().find("in use by gone"), std::string::npos) << early.status().message();
  std::this_thread::sleep_for(milliseconds(1'700));
  auto late = Acquire(milliseconds(1'500));
  ASSERT_TRUE(late.ok()) << late.status().ToString();
  EXPECT_TRUE(fs::exists(dir_ + "/8"));
  EXPECT_FALSE(fs::exists(dir_ + "/7"));
}

TEST_F(ExpiringLeaseTest, AHolderThatRenewsKeepsItPastItsTimeToLive) {
  auto holder = Acquire(milliseconds(600));
  ASSERT_TRUE(holder.ok());
  std::this_thread::sleep_for(milliseconds(1'500));
  auto other = Acquire(milliseconds(600));
  EXPECT_FALSE(other.ok()) << "renewed every 200 ms, the lease never aged past 600 ms";
  EXPECT_FALSE(fs::exists(dir_ + "/0")) << "renewal moved on to later terms";
}

}  // namespace
}  // namespace inlet::storage
