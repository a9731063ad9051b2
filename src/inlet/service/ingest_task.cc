// Job task JSON -> IngestOptions, checked the way `inlet ingest` checks its flags, so a
// bad job is refused at create/update time rather than failing every scheduled run.
#include "inlet/service/ingest_task.h"

#include <fmt/format.h>

#include "inlet/schema/ddl.h"
#include "inlet/schema/hints.h"
#include "inlet/stream/reader_options.h"
#include "inlet/stream/stream_schema.h"
#include "inlet/util/strings.h"

namespace inlet::service {
namespace {

using nlohmann::json;

// Parameters the task itself interprets; every other key is an ingest option (KEY=VALUE).
struct IngestParams {
  std::string source, table, checkpoint, schema, trigger = "availableNow";
  std::vector<std::string> options;
};

Result<std::string> ScalarText(const json& value, const std::string& where) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_boolean()) return std::string(value.get<bool>() ? "true" : "false");
  if (value.is_number()) return value.dump();
  return Status::Invalid(fmt::format("{} must be a string, got {}", where, value.dump()));
}

Status AssignParam(IngestParams* params, const std::string& key, const std::string& value) {
  if (key == "source") {
    params->source = value;
  } else if (key == "table") {
    params->table = value;
  } else if (key == "checkpoint") {
    params->checkpoint = value;
  } else if (key == "schema") {
    params->schema = value;
  } else if (key == "trigger") {
    params->trigger = value;
  } else {
    params->options.push_back(key + "=" + value);
  }
  return Status::OK();
}

Result<IngestOptions> BuildOptions(const IngestParams& params, const std::string& where) {
  IngestOptions options;
  auto require_absolute = [&](const std::string& value, const char* name) -> Status {
    if (value.empty()) return Status::Invalid(fmt::format("{}.{} is required", where, name));
    // The server's working directory is nobody's business: paths must not depend on it.
    // A URI (s3://, file://, ...) is absolute; ResolveLocations checks its scheme.
    if (value.front() != '/' && value.find("://") == std::string::npos) {
      return Status::Invalid(fmt::format("{}.{} must be an absolute path, got '{}'", where, name, value));
    }
    return Status::OK();
  };
  INLET_RETURN_NOT_OK(require_absolute(params.source, "source"));
  INLET_RETURN_NOT_OK(require_absolute(params.table, "table"));
  INLET_RETURN_NOT_OK(require_absolute(params.checkpoint, "checkpoint"));
  options.source_pattern = params.source;
  options.table_dir = params.table;
  options.checkpoint_dir = params.checkpoint;
  if (!params.schema.empty()) {
    auto parsed = ParseDdlSchema(params.schema);
    if (!parsed.ok()) return Status::Invalid(fmt::format("{}.schema: {}", where, parsed.status().message()));
    options.schema_ddl = params.schema;
  }
  std::string trigger = AsciiLower(params.trigger);
  if (trigger == "availablenow") {
    options.trigger = Trigger::kAvailableNow;
  } else if (trigger == "once") {
    options.trigger = Trigger::kOnce;
  } else {
    return Status::Invalid(fmt::format("{}.trigger must be availableNow or once, got '{}'", where, params.trigger));
  }
  Status st = ApplyIngestOptions(params.options, &options);
  if (st.ok() && !options.store_options.settings.empty()) {
    // A service's stores are shared by its jobs, and job settings are shown to every
    // client: credentials stay in the server's environment.
    st = Status::Invalid(fmt::format(
        "option {}: object-store credentials are not taken per job; give them to inlet serve in its environment "
        "(README, Object storage)",
        options.store_options.settings.front().option));
  }
  if (st.ok()) st = ResolveLocations(&options);
  if (!st.ok()) return Status::Invalid(fmt::format("{}: {}", where, st.message()));
  if (!options.schema_ddl && !options.schema_location) {
    return Status::Invalid(fmt::format(
        "{}: no schema to read with: set the option cloudFiles.schemaLocation (inlet infers the schema and keeps "
        "its versions there; the checkpoint directory will do) or give schema",
        where));
  }
  auto hints = ParseSchemaHints(options.schema_hints);
  if (!hints.ok()) return Status::Invalid(fmt::format("{}: {}", where, hints.status().message()));
  Status readable = stream::CheckSchemaOptionsReadable(options);
  if (!readable.ok()) return Status::Invalid(fmt::format("{}: {}", where, readable.message()));
  auto reader = stream::CompileReaderOptions(options);
  if (!reader.ok()) return Status::Invalid(fmt::format("{}: {}", where, reader.status().message()));
  return options;
}

std::string TaskName(const json& task) {
  if (task.contains("task_key") && task["task_key"].is_string()) {
    return fmt::format("task '{}'", task["task_key"].get<std::string>());
  }
  return "task";
}

}  // namespace

std::string TaskKind(const json& task) {
  if (!task.is_object()) return "unknown";
  for (const auto& [key, value] : task.items()) {
    if (key.size() > 5 && key.ends_with("_task") && value.is_object()) return key;
  }
  return "unknown";
}

Result<std::optional<IngestOptions>> IngestOptionsForTask(const json& task, const json& named_overrides) {
  std::string name = TaskName(task);
  IngestParams params;
  std::string where;
  if (task.contains("inlet_ingest_task")) {
    const json& spec = task["inlet_ingest_task"];
    where = name + ": inlet_ingest_task";
    if (!spec.is_object()) return Status::Invalid(fmt::format("{} must be an object", where));
    for (const auto& [key, value] : spec.items()) {
      if (key == "options") {
        if (!value.is_object()) return Status::Invalid(fmt::format("{}.options must be an object", where));
        for (const auto& [option, option_value] : value.items()) {
          INLET_ASSIGN_OR_RAISE(std::string text, ScalarText(option_value, where + ".options." + option));
          params.options.push_back(option + "=" + text);
        }
      } else if (key == "source" || key == "table" || key == "checkpoint" || key == "schema" || key == "trigger") {
        INLET_ASSIGN_OR_RAISE(std::string text, ScalarText(value, where + "." + key));
        INLET_RETURN_NOT_OK(AssignParam(&params, key, text));
      } else {
        return Status::Invalid(fmt::format(
            "{}: unknown field '{}' (fields: source, table, checkpoint, schema, trigger, options)", where, key));
      }
    }
  } else if (task.contains("python_wheel_task")) {
    const json& spec = task["python_wheel_task"];
    if (!spec.is_object() || spec.value("package_name", "") != "inlet") return std::optional<IngestOptions>();
    where = name + ": python_wheel_task";
    std::string entry_point = spec.value("entry_point", "ingest");
    if (entry_point != "ingest") {
      return Status::Invalid(fmt::format("{}.entry_point must be 'ingest' for package 'inlet', got '{}'", where,
                                         entry_point));
    }
    json named = spec.contains("named_parameters") ? spec["named_parameters"] : json::object();
    if (!named.is_object()) return Status::Invalid(fmt::format("{}.named_parameters must be an object", where));
    if (named_overrides.is_object()) {
      for (const auto& [key, value] : named_overrides.items()) named[key] = value;
    }
    for (const auto& [key, value] : named.items()) {
      INLET_ASSIGN_OR_RAISE(std::string text, ScalarText(value, where + ".named_parameters." + key));
      INLET_RETURN_NOT_OK(AssignParam(&params, key, text));
    }
    where += ".named_parameters";
  } else {
    return std::optional<IngestOptions>();
  }
  INLET_ASSIGN_OR_RAISE(auto options, BuildOptions(params, where));
  return std::optional<IngestOptions>(std::move(options));
}

}  // namespace inlet::service
