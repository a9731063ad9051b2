// Jobs API operations against a loopback fake: paging to the end, pausing only UNPAUSED
// schedules with the cron kept, run-now and waiting for a terminal state.
#include "inlet/jobsclient/jobs_client.h"

#include <gtest/gtest.h>

#include <atomic>

#include "fake_server.h"

namespace inlet::jobsclient {
namespace {

using nlohmann::json;
using testing::FakeServer;

json Job(int id, const std::string& pause_status) {
  json job = {{"job_id", id}, {"settings", {{"name", "job-" + std::to_string(id)}}}};
  if (!pause_status.empty()) {
    job["settings"]["schedule"] = {{"quartz_cron_expression", "0 0 2 * * ?"},
                                   {"timezone_id", "Europe/Berlin"}};
    if (pause_status != "absent") job["settings"]["schedule"]["pause_status"] = pause_status;
  }
  return job;
}

class JobsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ApiClientOptions options;
    options.sleep = [](Millis) {};
    client_ = ApiClient::Make({server_.url(), "t", "test", "test"}, options).ValueOrDie();
  }

  // Serves `jobs` from jobs/list in pages of `page_size`, with page tokens "p1", "p2", ...
  void ServeJobList(std::vector<json> jobs, size_t page_size) {
    server_.Get("/api/2.2/jobs/list",
                [jobs, page_size](const httplib::Request& request, httplib::Response& response) {
                  size_t page = 0;
                  if (request.has_param("page_token"))
                    page = std::stoul(request.get_param_value("page_token").substr(1));
                  json body = {{"jobs", json::array()}};
                  for (size_t i = page * page_size; i < std::min(jobs.size(), (page + 1) * page_size); ++i) {
                    body["jobs"].push_back(jobs[i]);
                  }
                  bool more = (page + 1) * page_size < jobs.size();
                  body["has_more"] = more;
                  if (more) body["next_page_token"] = "p" + std::to_string(page + 1);
                  response.set_content(body.dump(), "application/json");
                });
  }

  std::vector<json> UpdateBodies() {
    std::vector<json> bodies;
    for (const auto& request : server_.seen()) {
      if (request.path == "/api/2.2/jobs/update") bodies.push_back(json::parse(request.body));
    }
    return bodies;
  }

  FakeServer server_;
  std::unique_ptr<ApiClient> client_;
};

TEST_F(JobsClientTest, ListFollowsPageTokensAcrossThreePages) {
  std::vector<json> jobs;
  for (int id = 1; id <= 250; ++id) jobs.push_back(Job(id, ""));
  ServeJobList(jobs, 100);
  auto listed = ListJobs(*client_);
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ(listed->size(), 250u);
  EXPECT_EQ((*listed)[249]["job_id"], 250);
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].params.count("page_token"), 0u);
  EXPECT_EQ(seen[0].params.find("limit")->second, "100");
  EXPECT_EQ(seen[1].params.find("page_token")->second, "p1");
  EXPECT_EQ(seen[2].params.find("page_token")->second, "p2");
}

TEST_F(JobsClientTest, ListSendsNameFilter) {
  ServeJobList({Job(1, "")}, 100);
  ASSERT_TRUE(ListJobs(*client_, "Nightly Orders").ok());
  EXPECT_EQ(server_.seen()[0].params.find("name")->second, "Nightly Orders");
}

TEST_F(JobsClientTest, RepeatedPageTokenStopsWithAnError) {
  server_.Get("/api/2.2/jobs/list", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"jobs":[{"job_id":1}],"has_more":true,"next_page_token":"same"})",
                         "application/json");
  });
  auto listed = ListJobs(*client_);
  ASSERT_FALSE(listed.ok());
  EXPECT_NE(listed.status().message().find("next_page_token 'same' twice"), std::string::npos)
      << listed.status();
}

TEST_F(JobsClientTest, PauseAllScheduledPausesOnlyUnpausedAndKeepsCron) {
  ServeJobList({Job(1, "UNPAUSED"), Job(2, "PAUSED"), Job(3, ""), Job(4, "absent"), Job(5, "UNPAUSED")}, 2);
  server_.Post("/api/2.2/jobs/update", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{}", "application/json");
  });
  auto result = PauseAllScheduled(*client_);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->jobs, 5u);
  EXPECT_EQ(result->scheduled, 4u);
  ASSERT_EQ(result->outcomes.size(), 3u);  // 1, 4 (no pause_status = UNPAUSED) and 5
  auto bodies = UpdateBodies();
  ASSERT_EQ(bodies.size(), 3u);
  EXPECT_EQ(bodies[0]["job_id"], 1);
  EXPECT_EQ(bodies[1]["job_id"], 4);
  EXPECT_EQ(bodies[2]["job_id"], 5);
  EXPECT_EQ(bodies[0]["new_settings"]["schedule"], (json{{"quartz_cron_expression", "0 0 2 * * ?"},
                                                         {"timezone_id", "Europe/Berlin"},
                                                         {"pause_status", "PAUSED"}}));
}

TEST_F(JobsClientTest, PauseAllScheduledGoesOnAfterAFailedUpdate) {
  ServeJobList({Job(1, "UNPAUSED"), Job(2, "UNPAUSED")}, 100);
  server_.Post("/api/2.2/jobs/update", [](const httplib::Request& request, httplib::Response& response) {
    if (json::parse(request.body)["job_id"] == 1) {
      response.status = 403;
      response.set_content(R"({"error_code":"PERMISSION_DENIED","message":"not yours"})", "application/json");
      return;
    }
    response.set_content("{}", "application/json");
  });
  auto result = PauseAllScheduled(*client_);
  ASSERT_TRUE(result.ok()) << result.status();
  ASSERT_EQ(result->outcomes.size(), 2u);
  EXPECT_EQ(result->outcomes[0].status.message(), "PERMISSION_DENIED: not yours (HTTP 403)");
  EXPECT_TRUE(result->outcomes[1].status.ok());
}

TEST_F(JobsClientTest, ResumeWithoutScheduleIsInvalid) {
  auto change = SetPauseStatus(*client_, Job(9, ""), "UNPAUSED");
  ASSERT_TRUE(change.status().IsInvalid());
  EXPECT_EQ(change.status().message(), "job 9 (job-9) has no schedule to resume");
  EXPECT_TRUE(server_.seen().empty());
}

TEST_F(JobsClientTest, PauseOfPausedJobSendsNothing) {
  auto change = SetPauseStatus(*client_, Job(9, "PAUSED"), "PAUSED");
  ASSERT_TRUE(change.ok());
  EXPECT_EQ(*change, PauseChange::kAlreadyInState);
  EXPECT_TRUE(server_.seen().empty());
}

TEST_F(JobsClientTest, RunNowThenWaitUntilTerminated) {
  server_.Post("/api/2.2/jobs/run-now", [](const httplib::Request& request, httplib::Response& response) {
    EXPECT_EQ(json::parse(request.body)["job_id"], 7);
    response.set_content(R"({"run_id":42,"number_in_job":42})", "application/json");
  });
  std::atomic<int> polls = 0;
  server_.Get("/api/2.2/jobs/runs/get", [&](const httplib::Request& request, httplib::Response& response) {
    EXPECT_EQ(request.get_param_value("run_id"), "42");
    const char* states[] = {"PENDING", "RUNNING", "TERMINATED"};
    json run = {{"run_id", 42}, {"state", {{"life_cycle_state", states[std::min(polls.load(), 2)]}}}};
    if (++polls >= 3) run["state"]["result_state"] = "SUCCESS";
    response.set_content(run.dump(), "application/json");
  });
  auto run_id = RunNow(*client_, 7);
  ASSERT_TRUE(run_id.ok()) << run_id.status();
  EXPECT_EQ(*run_id, 42);
  std::vector<std::string> progress;
  std::vector<Millis> sleeps;
  WaitOptions options;
  options.sleep = [&](Millis delay) { sleeps.push_back(delay); };
  options.on_poll = [&](const json& run, Millis) { progress.push_back(RunStateText(run)); };
  auto run = WaitForRun(*client_, 42, options);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_TRUE(RunSucceeded(*run));
  EXPECT_EQ(progress, (std::vector<std::string>{"PENDING", "RUNNING", "TERMINATED SUCCESS"}));
  EXPECT_EQ(sleeps.size(), 2u);
}

TEST_F(JobsClientTest, WaitTimesOutNamingTheState) {
  server_.Get("/api/2.2/jobs/runs/get", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(R"({"run_id":5,"state":{"life_cycle_state":"RUNNING"}})", "application/json");
  });
  WaitOptions options;
  options.sleep = [](Millis) {};
  options.timeout = Millis(3000);
  auto run = WaitForRun(*client_, 5, options);
  ASSERT_TRUE(run.status().IsCancelled());
  EXPECT_EQ(run.status().message(), "run 5 is still RUNNING after 3 s (--timeout); it was not cancelled");
}

TEST(RunState, TerminalStatesAndResults) {
  EXPECT_TRUE(IsTerminalRun(json{{"state", {{"life_cycle_state", "SKIPPED"}}}}));
  EXPECT_TRUE(IsTerminalRun(json{{"state", {{"life_cycle_state", "INTERNAL_ERROR"}}}}));
  EXPECT_FALSE(IsTerminalRun(json{{"state", {{"life_cycle_state", "TERMINATING"}}}}));
  EXPECT_TRUE(IsTerminalRun(json{{"status", {{"state", "TERMINATED"}}}}));
  EXPECT_FALSE(
      RunSucceeded(json{{"state", {{"life_cycle_state", "TERMINATED"}, {"result_state", "FAILED"}}}}));
  EXPECT_TRUE(RunSucceeded(json{{"status", {{"termination_details", {{"code", "SUCCESS"}}}}}}));
}

TEST_F(JobsClientTest, RunsListStopsAtLimit) {
  server_.Get("/api/2.2/jobs/runs/list", [](const httplib::Request& request, httplib::Response& response) {
    int page = request.has_param("page_token") ? std::stoi(request.get_param_value("page_token")) : 0;
    json body = {{"runs", json::array()}, {"has_more", true}, {"next_page_token", std::to_string(page + 1)}};
    for (int i = 0; i < 24; ++i) body["runs"].push_back({{"run_id", page * 24 + i}});
    response.set_content(body.dump(), "application/json");
  });
  auto runs = ListRuns(*client_, 3, 30);
  ASSERT_TRUE(runs.ok()) << runs.status();
  EXPECT_EQ(runs->size(), 30u);
  auto seen = server_.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].params.find("job_id")->second, "3");
  EXPECT_EQ(seen[0].params.find("limit")->second, "24");
}

}  // namespace
}  // namespace inlet::jobsclient
