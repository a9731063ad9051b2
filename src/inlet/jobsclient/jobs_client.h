// The Jobs API calls `inlet jobs` makes (/api/2.2/jobs/...), on top of ApiClient: listing
// to the last page, pausing/resuming a schedule, starting a run and waiting for it to end.
// Values stay the API's JSON so every field the server sends is printed as it came.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "inlet/jobsclient/api_client.h"
#include "inlet/util/status.h"

namespace inlet::jobsclient {

inline constexpr const char* kJobsApiPrefix = "/api/2.2/jobs";
inline constexpr int kMaxPageSize = 100;  // the API's cap on `limit`

// Every job, following next_page_token until the server sends none (or has_more is false).
// `name` filters on the exact (case-insensitive) name, server side.
Result<std::vector<nlohmann::json>> ListJobs(ApiClient& client, const std::string& name = "");
Result<nlohmann::json> GetJob(ApiClient& client, int64_t job_id);

// The job's schedule.pause_status, or nullopt when it has no schedule. A schedule without
// pause_status is UNPAUSED, as the API defaults it.
std::optional<std::string> SchedulePauseStatus(const nlohmann::json& job);

enum class PauseChange { kChanged, kAlreadyInState };
// Sets schedule.pause_status ("PAUSED" or "UNPAUSED") with jobs/update, keeping the cron
// expression and time zone. Invalid when the job has no schedule.
Result<PauseChange> SetPauseStatus(ApiClient& client, const nlohmann::json& job,
                                   const std::string& pause_status);

// One job `pause --all-scheduled` tried to pause, and how that went.
struct PauseOutcome {
  nlohmann::json job;  // as listed, schedule still showing UNPAUSED
  Status status;
};
struct PauseAllResult {
  size_t jobs = 0;                     // listed
  size_t scheduled = 0;                // with a schedule
  std::vector<PauseOutcome> outcomes;  // the ones that were UNPAUSED, in list order
};
// Lists every job and pauses each whose schedule is UNPAUSED (the seed's clean-up scenario).
// A failed update is recorded and the rest go on; only a failed listing fails the call.
Result<PauseAllResult> PauseAllScheduled(ApiClient& client);

// jobs/run-now; returns the run id.
Result<int64_t> RunNow(ApiClient& client, int64_t job_id);
Result<nlohmann::json> GetRun(ApiClient& client, int64_t run_id);
// The job's most recent runs, newest first, at most `limit` (pages of up to 100 followed).
Result<std::vector<nlohmann::json>> ListRuns(ApiClient& client, int64_t job_id, int limit);

// TERMINATED, SKIPPED and INTERNAL_ERROR end a run (state.life_cycle_state); servers that
// only send status.state count TERMINATED there.
bool IsTerminalRun(const nlohmann::json& run);
// "RUNNING", "TERMINATED SUCCESS", ...: life cycle state and, once there, the result.
std::string RunStateText(const nlohmann::json& run);
// state.result_state == SUCCESS (or status.termination_details.code == SUCCESS).
bool RunSucceeded(const nlohmann::json& run);

struct WaitOptions {
  std::chrono::milliseconds poll_interval{1000};
  std::chrono::milliseconds timeout{0};  // 0 = wait forever
  SleepFunction sleep = RealSleep;
  // Called after every runs/get with the run and the time waited so far (progress line).
  std::function<void(const nlohmann::json& run, std::chrono::milliseconds waited)> on_poll;
};
// Polls runs/get until the run is terminal; returns the last run. Cancelled with a message
// naming the run and its state when the timeout passes first (the run keeps going).
Result<nlohmann::json> WaitForRun(ApiClient& client, int64_t run_id, const WaitOptions& options);

}  // namespace inlet::jobsclient
