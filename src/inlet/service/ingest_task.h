// Job tasks that inlet can run: an ingestion written either with the SDK's typed
// python_wheel_task {"package_name": "inlet", "entry_point": "ingest", "named_parameters":
// {...}} or natively as inlet_ingest_task {"source", "table", "checkpoint", "schema",
// "trigger", "options": {...}}. Both become the IngestOptions `inlet ingest` builds.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "inlet/options/ingest_options.h"
#include "inlet/util/status.h"

namespace inlet::service {

// The task's ingestion, or nullopt when it is another kind of task (kept, not runnable).
// `named_overrides` (run-now's python_named_params) replace named parameters for one run.
// Errors are Status::Invalid naming the task and field, e.g. "task 'load':
// python_wheel_task.named_parameters.table is required".
Result<std::optional<IngestOptions>> IngestOptionsForTask(
    const nlohmann::json& task, const nlohmann::json& named_overrides = nlohmann::json::object());

// The task's kind for messages: "python_wheel_task", "notebook_task", ... or "unknown".
std::string TaskKind(const nlohmann::json& task);

}  // namespace inlet::service
