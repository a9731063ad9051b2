// Scheduler: UNPAUSED schedules fire at their cron times in their zone, PAUSED never fire,
// edits apply on the next tick.
#include "inlet/service/scheduler.h"

#include <gtest/gtest.h>

#include "service_test_util.h"

namespace inlet::service {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using std::chrono::sys_seconds;

json Scheduled(const std::string& cron, const std::string& pause) {
  return json{{"name", "s"},
              {"max_concurrent_runs", 100},
              {"schedule", {{"quartz_cron_expression", cron}, {"timezone_id", "UTC"}, {"pause_status", pause}}}};
}

TEST(Scheduler, UnpausedScheduleFiresOnItsTimesAndPausedNever) {
  testing::TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  RunExecutor executor(store.get(), 1);  // not started: runs stay PENDING, counted below
  Scheduler scheduler(store.get(), &executor);
  int64_t every2 = store->CreateJob(Scheduled("*/2 * * * * ?", "UNPAUSED"), "inlet", 0).ValueOrDie();
  int64_t paused = store->CreateJob(Scheduled("* * * * * ?", "PAUSED"), "inlet", 0).ValueOrDie();
  sys_seconds t0{seconds(1'700'000'000)};  // an even second
  EXPECT_EQ(scheduler.Tick(t0).ValueOrDie(), 0);  // the first fire is strictly after start
  ASSERT_TRUE(scheduler.NextFireTime(every2).has_value());
  EXPECT_EQ(*scheduler.NextFireTime(every2), t0 + seconds(2));
  EXPECT_FALSE(scheduler.NextFireTime(paused).has_value());
  EXPECT_EQ(scheduler.Tick(t0 + seconds(1)).ValueOrDie(), 0);
  EXPECT_EQ(scheduler.Tick(t0 + seconds(2)).ValueOrDie(), 1);
  EXPECT_EQ(scheduler.Tick(t0 + seconds(3)).ValueOrDie(), 0);
  EXPECT_EQ(scheduler.Tick(t0 + seconds(4)).ValueOrDie(), 1);
  RunQuery query;
  query.job_id = every2;
  auto runs = store->ListRuns(query).ValueOrDie().runs;
  ASSERT_EQ(runs.size(), 2u);
  EXPECT_EQ(runs[0].trigger, "PERIODIC");
  query.job_id = paused;
  EXPECT_TRUE(store->ListRuns(query).ValueOrDie().runs.empty());

  // Pausing applies at the next tick.
  ASSERT_TRUE(store->ReplaceSettings(every2, Scheduled("*/2 * * * * ?", "PAUSED"), "update", 0).ValueOrDie());
  EXPECT_EQ(scheduler.Tick(t0 + seconds(6)).ValueOrDie(), 0);
  EXPECT_FALSE(scheduler.NextFireTime(every2).has_value());
}

TEST(Scheduler, FallingBehindFiresOnceNotOncePerMissedTime) {
  testing::TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  RunExecutor executor(store.get(), 1);
  Scheduler scheduler(store.get(), &executor);
  store->CreateJob(Scheduled("* * * * * ?", "UNPAUSED"), "inlet", 0).ValueOrDie();
  sys_seconds t0{seconds(1'700'000'000)};
  scheduler.Tick(t0).ValueOrDie();
  EXPECT_EQ(scheduler.Tick(t0 + seconds(30)).ValueOrDie(), 1);
  EXPECT_EQ(scheduler.Tick(t0 + seconds(30)).ValueOrDie(), 0);
}

}  // namespace
}  // namespace inlet::service
