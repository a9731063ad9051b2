// JobStore: jobs, settings history, pagination and runs persist in SQLite across reopen.
#include "inlet/service/job_store.h"

#include <gtest/gtest.h>

#include "service_test_util.h"

namespace inlet::service {
namespace {

using nlohmann::json;
using testing::TempDir;

TEST(JobStore, JobsAndSettingsHistorySurviveReopen) {
  TempDir dir;
  int64_t job_id = 0;
  {
    auto store = JobStore::Open(dir.path()).ValueOrDie();
    job_id = store->CreateJob(json{{"name", "a"}}, "inlet", 1000).ValueOrDie();
    ASSERT_TRUE(store->ReplaceSettings(job_id, json{{"name", "b"}}, "update", 2000).ValueOrDie());
  }
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  auto job = store->GetJob(job_id).ValueOrDie();
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->settings["name"], "b");
  EXPECT_EQ(job->created_time, 1000);
  auto history = store->SettingsHistory(job_id).ValueOrDie();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].change, "create");
  EXPECT_EQ(history[0].settings["name"], "a");
  EXPECT_EQ(history[1].change, "update");
  EXPECT_EQ(history[1].version, 2);
}

TEST(JobStore, ReplaceAndDeleteReportMissingJobs) {
  TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  EXPECT_FALSE(store->ReplaceSettings(42, json::object(), "reset", 1).ValueOrDie());
  EXPECT_FALSE(store->DeleteJob(42).ValueOrDie());
  int64_t id = store->CreateJob(json{{"name", "x"}}, "inlet", 1).ValueOrDie();
  EXPECT_TRUE(store->DeleteJob(id).ValueOrDie());
  EXPECT_FALSE(store->GetJob(id).ValueOrDie().has_value());
}

TEST(JobStore, ListPagesByJobIdAndFiltersNameCaseInsensitively) {
  TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  for (int i = 0; i < 7; ++i) {
    store->CreateJob(json{{"name", i == 3 ? "Nightly Load" : "job " + std::to_string(i)}}, "inlet", i).ValueOrDie();
  }
  JobQuery query;
  query.limit = 3;
  auto first = store->ListJobs(query).ValueOrDie();
  ASSERT_EQ(first.jobs.size(), 3u);
  EXPECT_TRUE(first.more_after);
  EXPECT_FALSE(first.more_before);
  query.after_job_id = first.jobs.back().job_id;
  auto second = store->ListJobs(query).ValueOrDie();
  ASSERT_EQ(second.jobs.size(), 3u);
  EXPECT_EQ(second.jobs.front().job_id, first.jobs.back().job_id + 1);
  query.after_job_id = second.jobs.back().job_id;
  auto third = store->ListJobs(query).ValueOrDie();
  EXPECT_EQ(third.jobs.size(), 1u);
  EXPECT_FALSE(third.more_after);

  JobQuery back;
  back.limit = 3;
  back.before_job_id = third.jobs.front().job_id;
  auto previous = store->ListJobs(back).ValueOrDie();
  ASSERT_EQ(previous.jobs.size(), 3u);
  EXPECT_EQ(previous.jobs.front().job_id, second.jobs.front().job_id);

  JobQuery named;
  named.name = "nightly LOAD";
  auto found = store->ListJobs(named).ValueOrDie();
  ASSERT_EQ(found.jobs.size(), 1u);
  EXPECT_EQ(found.jobs[0].settings["name"], "Nightly Load");
}

TEST(JobStore, RunsAreNumberedPerJobAndListedNewestFirst) {
  TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  RunRecord run;
  run.job_id = 7;
  auto a = store->InsertRun(run).ValueOrDie();
  auto b = store->InsertRun(run).ValueOrDie();
  run.job_id = 8;
  auto c = store->InsertRun(run).ValueOrDie();
  EXPECT_EQ(a.number_in_job, 1);
  EXPECT_EQ(b.number_in_job, 2);
  EXPECT_EQ(c.number_in_job, 1);
  RunQuery query;
  query.job_id = 7;
  auto page = store->ListRuns(query).ValueOrDie();
  ASSERT_EQ(page.runs.size(), 2u);
  EXPECT_EQ(page.runs[0].run_id, b.run_id);
  EXPECT_EQ(store->CountActiveRuns(7).ValueOrDie(), 2);
  b.life_cycle_state = "TERMINATED";
  b.result_state = "SUCCESS";
  b.figures = json{{"rows", 10}};
  ASSERT_TRUE(store->UpdateRun(b).ok());
  EXPECT_EQ(store->CountActiveRuns(7).ValueOrDie(), 1);
  auto reread = store->GetRun(b.run_id).ValueOrDie();
  EXPECT_EQ(reread->figures["rows"], 10);
  RunQuery completed;
  completed.completed_only = true;
  EXPECT_EQ(store->ListRuns(completed).ValueOrDie().runs.size(), 1u);
}

TEST(JobStore, InterruptedRunsFailWithTheReason) {
  TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  RunRecord run;
  run.job_id = 1;
  run.life_cycle_state = "RUNNING";
  auto running = store->InsertRun(run).ValueOrDie();
  run.life_cycle_state = "TERMINATED";
  auto done = store->InsertRun(run).ValueOrDie();
  EXPECT_EQ(store->FailInterruptedRuns(99, "server restarted").ValueOrDie(), 1);
  auto failed = store->GetRun(running.run_id).ValueOrDie();
  EXPECT_EQ(failed->life_cycle_state, "INTERNAL_ERROR");
  EXPECT_EQ(failed->result_state, "FAILED");
  EXPECT_EQ(failed->state_message, "server restarted");
  EXPECT_EQ(failed->end_time, 99);
  EXPECT_EQ(store->GetRun(done.run_id).ValueOrDie()->life_cycle_state, "TERMINATED");
}

}  // namespace
}  // namespace inlet::service
