// JobSettings and Run as the Jobs API reads and writes them: checking and defaulting
// settings, update's merge (top-level replace, arrays merged by key, fields_to_remove),
// and the JSON of Job, BaseJob and Run responses.
#pragma once

#include <cstdint>

#include <nlohmann/json.hpp>

#include "inlet/service/job_store.h"
#include "inlet/util/status.h"

namespace inlet::service {

// Checks settings (name, tags, schedule with a valid Quartz cron and IANA zone,
// max_concurrent_runs, tasks with unique task_key and valid inlet ingestion tasks) and fills
// the defaults Databricks returns (name "Untitled", max_concurrent_runs 1, pause_status
// UNPAUSED, format MULTI_TASK). Fields inlet does not use are kept verbatim. Errors are
// Status::Invalid naming the field.
Result<nlohmann::json> NormalizeSettings(nlohmann::json settings);

// jobs/update: top-level fields of `new_settings` replace the current ones, except the
// arrays tasks, job_clusters, environments and parameters, merged by their key fields;
// then `fields_to_remove` ("schedule", "tasks/<task_key>", ...) are removed.
Result<nlohmann::json> MergeSettings(const nlohmann::json& current, const nlohmann::json& new_settings,
                                     const nlohmann::json& fields_to_remove);

// Job (jobs/get) or BaseJob (jobs/list; tasks and job_clusters only with expand_tasks).
nlohmann::json JobToJson(const JobRecord& job, bool include_tasks);

// Run (runs/get) or BaseRun (runs/list; tasks only with expand_tasks).
nlohmann::json RunToJson(const RunRecord& run, bool include_tasks, int64_t now_ms);

}  // namespace inlet::service
