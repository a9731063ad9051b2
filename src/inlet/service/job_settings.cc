// Settings checks and merge, and the response JSON of jobs and runs.
#include "inlet/service/job_settings.h"

#include <set>

#include <fmt/format.h>

#include "inlet/schedule/cron.h"
#include "inlet/service/ingest_task.h"

namespace inlet::service {
namespace {

using nlohmann::json;

// Arrays that update merges entry by entry, and the field naming an entry.
const std::vector<std::pair<std::string, std::string>>& MergedArrays() {
  static const std::vector<std::pair<std::string, std::string>> kArrays = {
      {"tasks", "task_key"}, {"job_clusters", "job_cluster_key"}, {"environments", "environment_key"},
      {"parameters", "name"}};
  return kArrays;
}

Status CheckSchedule(json& schedule) {
  if (!schedule.is_object()) return Status::Invalid("schedule must be an object");
  if (!schedule.contains("quartz_cron_expression") || !schedule["quartz_cron_expression"].is_string()) {
    return Status::Invalid("schedule.quartz_cron_expression is required (a Quartz cron string, e.g. '0 0 * * * ?')");
  }
  auto cron = schedule::CronExpression::Parse(schedule["quartz_cron_expression"].get<std::string>());
  if (!cron.ok()) return Status::Invalid(fmt::format("schedule.quartz_cron_expression: {}", cron.status().message()));
  if (!schedule.contains("timezone_id") || !schedule["timezone_id"].is_string()) {
    return Status::Invalid("schedule.timezone_id is required (an IANA zone such as 'UTC' or 'Europe/Amsterdam')");
  }
  std::string zone = schedule["timezone_id"].get<std::string>();
  if (!schedule::IsKnownTimeZone(zone)) {
    return Status::Invalid(fmt::format("schedule.timezone_id: unknown time zone '{}'", zone));
  }
  if (!schedule.contains("pause_status")) schedule["pause_status"] = "UNPAUSED";
  const json& pause = schedule["pause_status"];
  if (!pause.is_string() || (pause != "PAUSED" && pause != "UNPAUSED")) {
    return Status::Invalid(fmt::format("schedule.pause_status must be PAUSED or UNPAUSED, got {}", pause.dump()));
  }
  return Status::OK();
}

Status CheckTasks(const json& tasks) {
  if (!tasks.is_array()) return Status::Invalid("tasks must be an array");
  if (tasks.size() > 100) return Status::Invalid(fmt::format("tasks: at most 100 tasks, got {}", tasks.size()));
  std::set<std::string> keys;
  for (size_t i = 0; i < tasks.size(); ++i) {
    const json& task = tasks[i];
    if (!task.is_object()) return Status::Invalid(fmt::format("tasks[{}] must be an object", i));
    if (!task.contains("task_key") || !task["task_key"].is_string() || task["task_key"].get<std::string>().empty()) {
      return Status::Invalid(fmt::format("tasks[{}].task_key is required", i));
    }
    std::string key = task["task_key"].get<std::string>();
    if (!keys.insert(key).second) return Status::Invalid(fmt::format("tasks: task_key '{}' is used twice", key));
    auto options = IngestOptionsForTask(task);
    if (!options.ok()) return options.status();
  }
  return Status::OK();
}

bool IsNonNegativeInteger(const json& value) {
  return value.is_number_integer() && value.get<int64_t>() >= 0;
}

std::string V2State(const std::string& life_cycle) {
  if (life_cycle == "PENDING" || life_cycle == "QUEUED" || life_cycle == "RUNNING" || life_cycle == "TERMINATING" ||
      life_cycle == "BLOCKED") {
    return life_cycle;
  }
  return "TERMINATED";
}

std::string TerminationType(const std::string& code) {
  if (code == "SUCCESS") return "SUCCESS";
  if (code == "INTERNAL_ERROR") return "INTERNAL_ERROR";
  return "CLIENT_ERROR";
}

}  // namespace

Result<json> NormalizeSettings(json settings) {
  if (!settings.is_object()) return Status::Invalid("job settings must be a JSON object");
  if (!settings.contains("name")) settings["name"] = "Untitled";
  if (!settings["name"].is_string()) return Status::Invalid("name must be a string");
  if (settings.contains("tags")) {
    if (!settings["tags"].is_object()) return Status::Invalid("tags must be an object of strings");
    for (const auto& [key, value] : settings["tags"].items()) {
      if (!value.is_string()) return Status::Invalid(fmt::format("tags.{} must be a string", key));
    }
  }
  if (!settings.contains("max_concurrent_runs")) settings["max_concurrent_runs"] = 1;
  if (!IsNonNegativeInteger(settings["max_concurrent_runs"]) || settings["max_concurrent_runs"].get<int64_t>() > 1000) {
    return Status::Invalid(fmt::format("max_concurrent_runs must be an integer from 0 to 1000, got {}",
                                       settings["max_concurrent_runs"].dump()));
  }
  if (settings.contains("timeout_seconds") && !IsNonNegativeInteger(settings["timeout_seconds"])) {
    return Status::Invalid("timeout_seconds must be a non-negative integer");
  }
  if (settings.contains("schedule")) INLET_RETURN_NOT_OK(CheckSchedule(settings["schedule"]));
  if (settings.contains("tasks")) INLET_RETURN_NOT_OK(CheckTasks(settings["tasks"]));
  if (!settings.contains("format")) settings["format"] = "MULTI_TASK";
  return settings;
}

Result<json> MergeSettings(const json& current, const json& new_settings, const json& fields_to_remove) {
  json merged = current;
  if (!new_settings.is_null()) {
    if (!new_settings.is_object()) return Status::Invalid("new_settings must be an object");
    for (const auto& [field, value] : new_settings.items()) {
      auto array = std::find_if(MergedArrays().begin(), MergedArrays().end(),
                                [&](const auto& entry) { return entry.first == field; });
      if (array == MergedArrays().end() || !value.is_array() || !merged.contains(field) ||
          !merged[field].is_array()) {
        merged[field] = value;
        continue;
      }
      const std::string& key = array->second;
      json& existing = merged[field];
      for (const auto& entry : value) {
        auto same = std::find_if(existing.begin(), existing.end(), [&](const json& old) {
          return entry.is_object() && old.is_object() && entry.contains(key) && old.contains(key) &&
                 old[key] == entry[key];
        });
        if (same != existing.end()) {
          *same = entry;
        } else {
          existing.push_back(entry);
        }
      }
    }
  }
  if (!fields_to_remove.is_null()) {
    if (!fields_to_remove.is_array()) return Status::Invalid("fields_to_remove must be an array of strings");
    for (const auto& item : fields_to_remove) {
      if (!item.is_string()) return Status::Invalid("fields_to_remove must be an array of strings");
      std::string path = item.get<std::string>();
      auto slash = path.find('/');
      if (slash == std::string::npos) {
        merged.erase(path);
        continue;
      }
      std::string field = path.substr(0, slash);
      std::string name = path.substr(slash + 1);
      auto array = std::find_if(MergedArrays().begin(), MergedArrays().end(),
                                [&](const auto& entry) { return entry.first == field; });
      if (array == MergedArrays().end()) {
        return Status::Invalid(fmt::format(
            "fields_to_remove: '{}': only top-level fields and entries of tasks, job_clusters, environments and "
            "parameters can be removed",
            path));
      }
      if (!merged.contains(field) || !merged[field].is_array()) continue;
      json kept = json::array();
      for (const auto& entry : merged[field]) {
        if (!(entry.is_object() && entry.value(array->second, std::string()) == name)) kept.push_back(entry);
      }
      merged[field] = std::move(kept);
    }
  }
  return NormalizeSettings(std::move(merged));
}

json JobToJson(const JobRecord& job, bool include_tasks) {
  json settings = job.settings;
  if (!include_tasks) {
    settings.erase("tasks");
    settings.erase("job_clusters");
  }
  return json{{"job_id", job.job_id},
              {"creator_user_name", job.creator},
              {"run_as_user_name", job.creator},
              {"created_time", job.created_time},
              {"settings", std::move(settings)}};
}

json RunToJson(const RunRecord& run, bool include_tasks, int64_t now_ms) {
  bool ended = run.end_time > 0;
  int64_t end = ended ? run.end_time : now_ms;
  int64_t setup = run.execution_start > 0 ? run.execution_start - run.start_time : 0;
  int64_t execution = run.execution_start > 0 ? end - run.execution_start : 0;
  json state{{"life_cycle_state", run.life_cycle_state},
             {"state_message", run.state_message},
             {"user_cancelled_or_timedout", run.user_cancelled}};
  if (!run.result_state.empty()) state["result_state"] = run.result_state;
  json status{{"state", V2State(run.life_cycle_state)}};
  if (ended && !run.termination_code.empty()) {
    status["termination_details"] = json{{"code", run.termination_code},
                                         {"type", TerminationType(run.termination_code)},
                                         {"message", run.state_message}};
  }
  json out{{"job_id", run.job_id},
           {"run_id", run.run_id},
           {"number_in_job", run.number_in_job},
           {"original_attempt_run_id", run.run_id},
           {"attempt_number", 0},
           {"run_name", run.run_name},
           {"run_type", "JOB_RUN"},
           {"trigger", run.trigger},
           {"creator_user_name", "inlet"},
           {"start_time", run.start_time},
           {"end_time", ended ? run.end_time : 0},
           {"setup_duration", setup},
           {"execution_duration", execution},
           {"cleanup_duration", 0},
           {"run_duration", end - run.start_time},
           {"state", std::move(state)},
           {"status", std::move(status)},
           {"inlet_ingest", run.figures}};
  if (run.trigger == "PERIODIC" && run.settings.contains("schedule")) out["schedule"] = run.settings["schedule"];
  if (!run.overrides.empty()) out["overriding_parameters"] = run.overrides;
  if (include_tasks) out["tasks"] = run.tasks;
  return out;
}

}  // namespace inlet::service
