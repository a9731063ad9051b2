// Jobs API operations for `inlet jobs` (jobs_client.h).
#include "inlet/jobsclient/jobs_client.h"

#include <fmt/format.h>

#include <set>

namespace inlet::jobsclient {
namespace {

using nlohmann::json;

constexpr int kMaxRunsPageSize = 24;  // runs/list: "greater than 0 and less than 25"

std::string Path(const char* endpoint) { return fmt::format("{}/{}", kJobsApiPrefix, endpoint); }

std::string StringAt(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

// Fetches pages of `list_key` from `endpoint` until `enough` items are in or the server has
// no more: next_page_token as the SDK follows it, or has_more + offset for servers that only
// page by offset. A token seen twice is an error rather than an endless loop.
Result<std::vector<json>> Paginate(ApiClient& client, const char* endpoint, const char* list_key,
                                   std::map<std::string, std::string> query, size_t enough) {
  std::vector<json> items;
  std::set<std::string> seen_tokens;
  size_t offset = 0;
  while (items.size() < enough) {
    INLET_ASSIGN_OR_RAISE(json page, client.Get(Path(endpoint), query));
    size_t count = 0;
    if (page.contains(list_key) && page[list_key].is_array()) {
      for (auto& item : page[list_key]) {
        items.push_back(std::move(item));
        ++count;
      }
    }
    offset += count;
    std::string token = StringAt(page, "next_page_token");
    if (!token.empty()) {
      if (!seen_tokens.insert(token).second) {
        return Status::IOError(
            fmt::format("{}: the server sent next_page_token '{}' twice; stopping after {} {}",
                        Path(endpoint), token, items.size(), list_key));
      }
      query["page_token"] = token;
      query.erase("offset");
    } else if (page.value("has_more", false) && count > 0) {
      query["offset"] = std::to_string(offset);
    } else {
      break;
    }
  }
  if (items.size() > enough) items.resize(enough);
  return items;
}

}  // namespace

Result<std::vector<json>> ListJobs(ApiClient& client, const std::string& name) {
  std::map<std::string, std::string> query = {{"limit", std::to_string(kMaxPageSize)}};
  if (!name.empty()) query["name"] = name;
  return Paginate(client, "list", "jobs", std::move(query), SIZE_MAX);
}

Result<json> GetJob(ApiClient& client, int64_t job_id) {
  return client.Get(Path("get"), {{"job_id", std::to_string(job_id)}});
}

std::optional<std::string> SchedulePauseStatus(const json& job) {
  if (!job.contains("settings") || !job["settings"].contains("schedule")) return std::nullopt;
  const json& schedule = job["settings"]["schedule"];
  if (!schedule.is_object()) return std::nullopt;
  std::string status = StringAt(schedule, "pause_status");
  return status.empty() ? "UNPAUSED" : status;
}

Result<PauseChange> SetPauseStatus(ApiClient& client, const json& job, const std::string& pause_status) {
  int64_t job_id = job.value("job_id", int64_t{0});
  auto current = SchedulePauseStatus(job);
  if (!current) {
    return Status::Invalid(fmt::format("job {} ({}) has no schedule to {}", job_id,
                                       StringAt(job.value("settings", json::object()), "name"),
                                       pause_status == "PAUSED" ? "pause" : "resume"));
  }
  if (*current == pause_status) return PauseChange::kAlreadyInState;
  // jobs/update replaces top-level settings fields whole, so the schedule is sent complete.
  json schedule = job["settings"]["schedule"];
  schedule["pause_status"] = pause_status;
  json body = {{"job_id", job_id}, {"new_settings", {{"schedule", schedule}}}};
  INLET_RETURN_NOT_OK(client.Post(Path("update"), body, /*idempotent=*/true).status());
  return PauseChange::kChanged;
}

Result<PauseAllResult> PauseAllScheduled(ApiClient& client) {
  PauseAllResult result;
  INLET_ASSIGN_OR_RAISE(auto jobs, ListJobs(client));
  result.jobs = jobs.size();
  for (auto& job : jobs) {
    auto status = SchedulePauseStatus(job);
    if (!status) continue;
    ++result.scheduled;
    if (*status != "UNPAUSED") continue;
    Status outcome = SetPauseStatus(client, job, "PAUSED").status();
    result.outcomes.push_back({std::move(job), std::move(outcome)});
  }
  return result;
}

Result<int64_t> RunNow(ApiClient& client, int64_t job_id) {
  INLET_ASSIGN_OR_RAISE(json response,
                        client.Post(Path("run-now"), {{"job_id", job_id}}, /*idempotent=*/false));
  if (!response.contains("run_id") || !response["run_id"].is_number_integer()) {
    return Status::IOError(
        fmt::format("jobs/run-now for job {}: the response has no run_id: {}", job_id, response.dump()));
  }
  return response["run_id"].get<int64_t>();
}

Result<json> GetRun(ApiClient& client, int64_t run_id) {
  return client.Get(Path("runs/get"), {{"run_id", std::to_string(run_id)}});
}

Result<std::vector<json>> ListRuns(ApiClient& client, int64_t job_id, int limit) {
  if (limit < 1) return Status::Invalid(fmt::format("--limit must be at least 1, got {}", limit));
  std::map<std::string, std::string> query = {{"job_id", std::to_string(job_id)},
                                              {"limit", std::to_string(std::min(limit, kMaxRunsPageSize))}};
  return Paginate(client, "runs/list", "runs", std::move(query), static_cast<size_t>(limit));
}

bool IsTerminalRun(const json& run) {
  std::string life_cycle = StringAt(run.value("state", json::object()), "life_cycle_state");
  if (!life_cycle.empty()) {
    return life_cycle == "TERMINATED" || life_cycle == "SKIPPED" || life_cycle == "INTERNAL_ERROR";
  }
  return StringAt(run.value("status", json::object()), "state") == "TERMINATED";
}

std::string RunStateText(const json& run) {
  json state = run.value("state", json::object());
  std::string life_cycle = StringAt(state, "life_cycle_state");
  if (life_cycle.empty()) life_cycle = StringAt(run.value("status", json::object()), "state");
  if (life_cycle.empty()) life_cycle = "UNKNOWN";
  std::string result = StringAt(state, "result_state");
  return result.empty() ? life_cycle : life_cycle + " " + result;
}

bool RunSucceeded(const json& run) {
  std::string result = StringAt(run.value("state", json::object()), "result_state");
  if (!result.empty()) return result == "SUCCESS";
  json details = run.value("status", json::object()).value("termination_details", json::object());
  return StringAt(details, "code") == "SUCCESS";
}

Result<json> WaitForRun(ApiClient& client, int64_t run_id, const WaitOptions& options) {
  std::chrono::milliseconds waited{0};
  for (;;) {
    INLET_ASSIGN_OR_RAISE(json run, GetRun(client, run_id));
    if (options.on_poll) options.on_poll(run, waited);
    if (IsTerminalRun(run)) return run;
    if (options.timeout.count() > 0 && waited + options.poll_interval > options.timeout) {
      return Status::Cancelled(fmt::format("run {} is still {} after {} s (--timeout); it was not cancelled",
                                           run_id, RunStateText(run), options.timeout.count() / 1000.0));
    }
    options.sleep(options.poll_interval);
    waited += options.poll_interval;
  }
}

}  // namespace inlet::jobsclient
