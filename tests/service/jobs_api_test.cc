// JobsApi: auth, routing, errors in the Databricks shape, list pagination, update merge,
// run-now through the executor (with a stand-in ingest), cancel, max_concurrent_runs.
#include "inlet/service/jobs_api.h"

#include <thread>

#include <gtest/gtest.h>

#include "service_test_util.h"

namespace inlet::service {
namespace {

using nlohmann::json;

class JobsApiTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }

  void Start(ApiOptions options) {
    store_ = JobStore::Open(dir_.path()).ValueOrDie();
    tokens_ = TokenStore::Open(dir_.path()).ValueOrDie();
    token_ = tokens_->Create("test", 1).ValueOrDie().secret;
    executor_ = std::make_unique<RunExecutor>(
        store_.get(), 2,
        [this](const IngestOptions& options, const stream::BatchCallback& on_batch,
               const std::atomic<bool>* cancel) -> Result<stream::IngestReport> {
          ingested_tables_.push_back(options.table_dir);
          while (block_ingest_.load() && !cancel->load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
          if (cancel->load()) return Status::Cancelled("cancelled");
          stream::BatchReport batch;
          batch.files = 2;
          batch.records = 30;
          batch.rescued_records = 1;
          batch.table_version = 0;
          on_batch(batch);
          stream::IngestReport report;
          report.batches.push_back(batch);
          return report;
        });
    executor_->Start();
    api_ = std::make_unique<JobsApi>(store_.get(), tokens_.get(), executor_.get(), options);
  }

  void TearDown() override {
    block_ingest_ = false;
    executor_->Stop();
  }

  ApiResponse Call(const std::string& method, const std::string& path, const json& body = json(),
                   std::map<std::string, std::string> query = {}) {
    ApiRequest request{method, path, std::move(query), body.is_null() ? "" : body.dump(), "Bearer " + token_};
    return api_->Handle(request);
  }

  json Ok(const ApiResponse& response) {
    EXPECT_EQ(response.status, 200) << response.body;
    return json::parse(response.body);
  }

  int64_t CreateJob(const json& settings) {
    return Ok(Call("POST", "/api/2.2/jobs/create", settings))["job_id"].get<int64_t>();
  }

  json WaitForRun(int64_t run_id) {
    for (int i = 0; i < 500; ++i) {
      json run = Ok(Call("GET", "/api/2.2/jobs/runs/get", json(), {{"run_id", std::to_string(run_id)}}));
      std::string state = run["state"]["life_cycle_state"];
      if (state == "TERMINATED" || state == "SKIPPED" || state == "INTERNAL_ERROR") return run;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "run " << run_id << " did not end";
    return json();
  }

  testing::TempDir dir_;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<RunExecutor> executor_;
  std::unique_ptr<JobsApi> api_;
  std::string token_;
  std::atomic<bool> block_ingest_{false};
  std::vector<std::string> ingested_tables_;
};

TEST_F(JobsApiTest, RequestsWithoutTokenAre401AndWithWrongTokenAre403) {
  ApiResponse none = api_->Handle(ApiRequest{"GET", "/api/2.2/jobs/list", {}, "", ""});
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(json::parse(none.body)["error_code"], "UNAUTHENTICATED");
  ApiResponse wrong = api_->Handle(ApiRequest{"GET", "/api/2.2/jobs/list", {}, "", "Bearer dapi0000"});
  EXPECT_EQ(wrong.status, 403);
  EXPECT_EQ(json::parse(wrong.body)["error_code"], "PERMISSION_DENIED");
  ApiResponse basic = api_->Handle(ApiRequest{"GET", "/api/2.2/jobs/list", {}, "", "Basic " + token_});
  EXPECT_EQ(basic.status, 401);
}

TEST_F(JobsApiTest, CreateThenGetReturnsSettingsWithDefaults) {
  int64_t id = CreateJob(json{{"name", "orders"}, {"tags", {{"team", "data"}}}});
  json job = Ok(Call("GET", "/api/2.1/jobs/get", json(), {{"job_id", std::to_string(id)}}));
  EXPECT_EQ(job["job_id"], id);
  EXPECT_EQ(job["settings"]["name"], "orders");
  EXPECT_EQ(job["settings"]["tags"]["team"], "data");
  EXPECT_EQ(job["settings"]["max_concurrent_runs"], 1);
  EXPECT_GT(job["created_time"].get<int64_t>(), 0);
}

TEST_F(JobsApiTest, MissingJobIs404ResourceDoesNotExist) {
  ApiResponse response = Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", "999"}});
  EXPECT_EQ(response.status, 404);
  json body = json::parse(response.body);
  EXPECT_EQ(body["error_code"], "RESOURCE_DOES_NOT_EXIST");
  EXPECT_EQ(body["message"], "Job 999 does not exist.");
  EXPECT_EQ(Call("POST", "/api/2.2/jobs/runs/cancel", json{{"run_id", 5}}).status, 404);
}

TEST_F(JobsApiTest, BadParametersAre400InvalidParameterValue) {
  auto limit = Call("GET", "/api/2.2/jobs/list", json(), {{"limit", "101"}});
  EXPECT_EQ(limit.status, 400);
  EXPECT_EQ(json::parse(limit.body)["error_code"], "INVALID_PARAMETER_VALUE");
  EXPECT_EQ(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", "abc"}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/2.2/jobs/create", json{{"max_concurrent_runs", -1}}).status, 400);
  EXPECT_EQ(Call("POST", "/api/2.2/jobs/create", json{{"tasks", json::array({testing::IngestTask("relative")})}}).status, 400);
  ApiRequest bad{"POST", "/api/2.2/jobs/create", {}, "{not json", "Bearer " + token_};
  EXPECT_EQ(api_->Handle(bad).status, 400);
  EXPECT_EQ(Call("GET", "/api/2.0/jobs/list").status, 404);
}

TEST_F(JobsApiTest, ListFollowsPageTokensThroughAllJobs) {
  for (int i = 0; i < 25; ++i) CreateJob(json{{"name", "job " + std::to_string(i)}});
  std::vector<int64_t> seen;
  std::map<std::string, std::string> query{{"limit", "10"}};
  int pages = 0;
  while (true) {
    json page = Ok(Call("GET", "/api/2.2/jobs/list", json(), query));
    ++pages;
    for (const auto& job : page["jobs"]) {
      seen.push_back(job["job_id"]);
      EXPECT_FALSE(job["settings"].contains("tasks"));
    }
    if (!page.contains("next_page_token")) {
      EXPECT_FALSE(page["has_more"].get<bool>());
      break;
    }
    EXPECT_TRUE(page["has_more"].get<bool>());
    query["page_token"] = page["next_page_token"];
  }
  EXPECT_EQ(pages, 3);
  ASSERT_EQ(seen.size(), 25u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  json offset = Ok(Call("GET", "/api/2.1/jobs/list", json(), {{"limit", "5"}, {"offset", "20"}}));
  EXPECT_EQ(offset["jobs"].size(), 5u);
  EXPECT_FALSE(offset["has_more"].get<bool>());
  json named = Ok(Call("GET", "/api/2.2/jobs/list", json(), {{"name", "JOB 7"}}));
  EXPECT_EQ(named["jobs"].size(), 1u);
}

TEST_F(JobsApiTest, UpdateReplacesTopLevelFieldsMergesTasksAndRemovesFields) {
  std::string root = dir_.path();
  int64_t id = CreateJob(json{{"name", "n"},
                              {"tags", {{"a", "1"}}},
                              {"tasks", json::array({testing::IngestTask(root, "one"), testing::IngestTask(root, "two")})}});
  json changed_two = testing::IngestTask(root + "/other", "two");
  Ok(Call("POST", "/api/2.2/jobs/update",
          json{{"job_id", id},
               {"new_settings", {{"tags", {{"b", "2"}}}, {"tasks", json::array({changed_two})}}},
               {"fields_to_remove", json::array({"tasks/one"})}}));
  json settings = Ok(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", std::to_string(id)}}))["settings"];
  EXPECT_EQ(settings["name"], "n");
  EXPECT_EQ(settings["tags"], json({{"b", "2"}}));
  ASSERT_EQ(settings["tasks"].size(), 1u);
  EXPECT_EQ(settings["tasks"][0]["inlet_ingest_task"]["table"], root + "/other/table");
  EXPECT_EQ(store_->SettingsHistory(id).ValueOrDie().size(), 2u);
}

TEST_F(JobsApiTest, PausingAScheduleKeepsItsCronAndZone) {
  json schedule{{"quartz_cron_expression", "0 0/15 * * * ?"}, {"timezone_id", "Europe/Amsterdam"}};
  int64_t id = CreateJob(json{{"name", "s"}, {"schedule", schedule}});
  json job = Ok(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", std::to_string(id)}}));
  EXPECT_EQ(job["settings"]["schedule"]["pause_status"], "UNPAUSED");
  schedule["pause_status"] = "PAUSED";
  Ok(Call("POST", "/api/2.2/jobs/update", json{{"job_id", id}, {"new_settings", {{"schedule", schedule}}}}));
  job = Ok(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", std::to_string(id)}}));
  EXPECT_EQ(job["settings"]["schedule"], schedule);
  json bad_schedule{{"quartz_cron_expression", "0 61 * * * ?"}, {"timezone_id", "UTC"}};
  json new_settings{{"schedule", bad_schedule}};
  auto bad = Call("POST", "/api/2.2/jobs/update", json{{"job_id", id}, {"new_settings", new_settings}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(json::parse(bad.body)["message"].get<std::string>().find("quartz_cron_expression"), std::string::npos);
}

TEST_F(JobsApiTest, RunNowExecutesTheIngestAndReportsFigures) {
  int64_t id = CreateJob(json{{"name", "load"}, {"tasks", json::array({testing::IngestTask(dir_.path())})}});
  json started = Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}}));
  EXPECT_EQ(started["number_in_job"], 1);
  json run = WaitForRun(started["run_id"]);
  EXPECT_EQ(run["state"]["result_state"], "SUCCESS");
  EXPECT_EQ(run["status"]["state"], "TERMINATED");
  EXPECT_EQ(run["status"]["termination_details"]["code"], "SUCCESS");
  EXPECT_EQ(run["inlet_ingest"]["rows"], 30);
  EXPECT_EQ(run["inlet_ingest"]["files"], 2);
  EXPECT_EQ(run["inlet_ingest"]["rescued_rows"], 1);
  EXPECT_GE(run["end_time"].get<int64_t>(), run["start_time"].get<int64_t>());
  EXPECT_EQ(run["tasks"][0]["state"]["result_state"], "SUCCESS");
  ASSERT_EQ(ingested_tables_.size(), 1u);
  EXPECT_EQ(ingested_tables_[0], dir_.path() + "/table");
  json runs = Ok(Call("GET", "/api/2.2/jobs/runs/list", json(), {{"job_id", std::to_string(id)}}));
  EXPECT_EQ(runs["runs"].size(), 1u);
}

TEST_F(JobsApiTest, RunOfANonInletTaskFailsNamingTheTask) {
  json task{{"task_key", "nb"}, {"notebook_task", {{"notebook_path", "/x"}}}};
  int64_t id = CreateJob(json{{"name", "nb"}, {"tasks", json::array({task})}});
  json job = Ok(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", std::to_string(id)}}));
  EXPECT_EQ(job["settings"]["tasks"][0]["notebook_task"]["notebook_path"], "/x");
  json run = WaitForRun(Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}}))["run_id"]);
  EXPECT_EQ(run["state"]["result_state"], "FAILED");
  std::string message = run["state"]["state_message"];
  EXPECT_NE(message.find("task 'nb' is a notebook_task"), std::string::npos) << message;
}

TEST_F(JobsApiTest, SecondRunPastMaxConcurrentRunsIsSkippedAndCancelStopsTheFirst) {
  block_ingest_ = true;
  int64_t id = CreateJob(json{{"name", "slow"}, {"tasks", json::array({testing::IngestTask(dir_.path())})}});
  int64_t first = Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}}))["run_id"];
  json skipped = WaitForRun(Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}}))["run_id"]);
  EXPECT_EQ(skipped["state"]["life_cycle_state"], "SKIPPED");
  EXPECT_NE(skipped["state"]["state_message"].get<std::string>().find("maximum concurrent runs"), std::string::npos);
  Ok(Call("POST", "/api/2.2/jobs/runs/cancel", json{{"run_id", first}}));
  json cancelled = WaitForRun(first);
  EXPECT_EQ(cancelled["state"]["result_state"], "CANCELED");
  EXPECT_TRUE(cancelled["state"]["user_cancelled_or_timedout"].get<bool>());
  EXPECT_EQ(cancelled["status"]["termination_details"]["code"], "USER_CANCELED");
}

TEST_F(JobsApiTest, IdempotencyTokenReturnsTheSameRun) {
  int64_t id = CreateJob(json{{"name", "i"}, {"tasks", json::array({testing::IngestTask(dir_.path())})}});
  json a = Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}, {"idempotency_token", "t1"}}));
  json b = Ok(Call("POST", "/api/2.2/jobs/run-now", json{{"job_id", id}, {"idempotency_token", "t1"}}));
  EXPECT_EQ(a["run_id"], b["run_id"]);
  WaitForRun(a["run_id"]);
}

TEST_F(JobsApiTest, DeleteRemovesTheJob) {
  int64_t id = CreateJob(json{{"name", "d"}});
  Ok(Call("POST", "/api/2.2/jobs/delete", json{{"job_id", id}}));
  EXPECT_EQ(Call("GET", "/api/2.2/jobs/get", json(), {{"job_id", std::to_string(id)}}).status, 404);
  EXPECT_EQ(Call("POST", "/api/2.2/jobs/delete", json{{"job_id", id}}).status, 404);
}

TEST(JobsApiRateLimit, RequestsPastTheLimitAre429WithRetryAfter) {
  testing::TempDir dir;
  auto store = JobStore::Open(dir.path()).ValueOrDie();
  auto tokens = TokenStore::Open(dir.path()).ValueOrDie();
  RunExecutor executor(store.get(), 1);
  JobsApi api(store.get(), tokens.get(), &executor, ApiOptions{2});
  int limited = 0;
  for (int i = 0; i < 5; ++i) {
    ApiResponse response = api.Handle(ApiRequest{"GET", "/api/2.2/jobs/list", {}, "", ""});
    if (response.status == 429) {
      ++limited;
      EXPECT_EQ(json::parse(response.body)["error_code"], "REQUEST_LIMIT_EXCEEDED");
      ASSERT_EQ(response.headers.size(), 1u);
      EXPECT_EQ(response.headers[0].first, "Retry-After");
    }
  }
  EXPECT_GE(limited, 3);
}

}  // namespace
}  // namespace inlet::service
