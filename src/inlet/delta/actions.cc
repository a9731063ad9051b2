// Delta log actions <-> newline-delimited JSON, one action object per line, with the field
// names PROTOCOL.md gives them.
#include "inlet/delta/actions.h"

#include <algorithm>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace inlet::delta {
namespace {

// ordered_json keeps fields in the order written, matching what other Delta writers emit
// and keeping log files readable by eye.
using Json = nlohmann::ordered_json;

Json StringMapToJson(const std::map<std::string, std::string>& values) {
  Json out = Json::object();
  for (const auto& [key, value] : values) out[key] = value;
  return out;
}

// Other writers (Spark) put numbers or nested objects into maps that the protocol types as
// string->string (operationParameters, operationMetrics); keep them as their JSON text.
std::map<std::string, std::string> JsonToStringMap(const Json& value) {
  std::map<std::string, std::string> out;
  if (!value.is_object()) return out;
  for (const auto& [key, item] : value.items()) {
    if (item.is_string()) {
      out[key] = item.get<std::string>();
    } else if (item.is_null()) {
      out[key] = "";
    } else {
      out[key] = item.dump();
    }
  }
  return out;
}

std::string GetString(const Json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

// Converting a double outside int64's range is undefined behaviour, so a number written
// as a float (1e300) counts only when it fits.
std::optional<int64_t> AsInt(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  if (!value.is_number_float()) return std::nullopt;
  const double number = value.get<double>();
  if (!(number >= -9.2e18 && number <= 9.2e18)) return std::nullopt;
  return static_cast<int64_t>(number);
}

int64_t GetInt(const Json& object, const char* key, int64_t fallback = 0) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  return AsInt(*it).value_or(fallback);
}

bool GetBool(const Json& object, const char* key, bool fallback) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_boolean()) return fallback;
  return it->get<bool>();
}

Json CommitInfoToJson(const CommitInfo& info) {
  Json out;
  out["timestamp"] = info.timestamp;
  out["operation"] = info.operation;
  out["operationParameters"] = StringMapToJson(info.operation_parameters);
  if (!info.operation_metrics.empty()) {
    out["operationMetrics"] = StringMapToJson(info.operation_metrics);
  }
  out["engineInfo"] = info.engine_info;
  return out;
}

Json MetadataToJson(const Metadata& metadata) {
  Json out;
  out["id"] = metadata.id;
  out["format"] = Json{{"provider", metadata.format_provider}, {"options", Json::object()}};
  out["schemaString"] = metadata.schema_string;
  out["partitionColumns"] = metadata.partition_columns;
  out["configuration"] = StringMapToJson(metadata.configuration);
  out["createdTime"] = metadata.created_time;
  return out;
}

Json AddToJson(const AddFile& add) {
  Json out;
  out["path"] = add.path;
  // An empty partition value is null (Spark, too, stores empty strings as null there).
  Json partition_values = Json::object();
  for (const auto& [column, value] : add.partition_values) {
    partition_values[column] = value.empty() ? Json(nullptr) : Json(value);
  }
  out["partitionValues"] = std::move(partition_values);
  out["size"] = add.size;
  out["modificationTime"] = add.modification_time;
  out["dataChange"] = add.data_change;
  if (!add.stats.empty()) out["stats"] = add.stats;
  return out;
}

Json RemoveToJson(const RemoveFile& remove) {
  Json out;
  out["path"] = remove.path;
  out["deletionTimestamp"] = remove.deletion_timestamp;
  out["dataChange"] = remove.data_change;
  return out;
}

std::vector<std::string> StringList(const Json& body, const char* key) {
  std::vector<std::string> out;
  auto it = body.find(key);
  if (it == body.end() || !it->is_array()) return out;
  for (const Json& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

void AppendLine(std::string* out, const char* action, Json body) {
  Json line;
  line[action] = std::move(body);
  out->append(line.dump());
  out->push_back('\n');
}

}  // namespace

bool Protocol::HasReaderFeature(const std::string& name) const {
  return std::find(reader_features.begin(), reader_features.end(), name) != reader_features.end();
}

bool Protocol::HasWriterFeature(const std::string& name) const {
  return std::find(writer_features.begin(), writer_features.end(), name) != writer_features.end();
}

std::string SerializeCommit(const CommitActions& actions) {
  std::string out;
  if (actions.commit_info) AppendLine(&out, "commitInfo", CommitInfoToJson(*actions.commit_info));
  if (actions.protocol) {
    Json protocol{{"minReaderVersion", actions.protocol->min_reader_version},
                  {"minWriterVersion", actions.protocol->min_writer_version}};
    if (actions.protocol->min_reader_version >= 3) protocol["readerFeatures"] = actions.protocol->reader_features;
    if (actions.protocol->min_writer_version >= 7) protocol["writerFeatures"] = actions.protocol->writer_features;
    AppendLine(&out, "protocol", std::move(protocol));
  }
  if (actions.metadata) AppendLine(&out, "metaData", MetadataToJson(*actions.metadata));
  if (actions.txn) {
    Json txn{{"appId", actions.txn->app_id}, {"version", actions.txn->version}};
    if (actions.txn->last_updated) txn["lastUpdated"] = *actions.txn->last_updated;
    AppendLine(&out, "txn", std::move(txn));
  }
  for (const RemoveFile& remove : actions.removes) AppendLine(&out, "remove", RemoveToJson(remove));
  for (const AddFile& add : actions.adds) AppendLine(&out, "add", AddToJson(add));
  return out;
}

Result<CommitActions> ParseCommit(const std::string& text, const std::string& source_name) {
  CommitActions actions;
  size_t line_start = 0;
  int line_number = 0;
  while (line_start < text.size()) {
    size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    std::string_view line(text.data() + line_start, line_end - line_start);
    line_start = line_end + 1;
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;

    Json parsed = Json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (parsed.is_discarded() || !parsed.is_object()) {
      return Status::Invalid(
          fmt::format("{}:{}: not a JSON object: {}", source_name, line_number,
                      std::string(line.substr(0, 200))));
    }
    for (const auto& [action, body] : parsed.items()) {
      if (!body.is_object()) continue;
      if (action == "add") {
        AddFile add;
        add.path = GetString(body, "path");
        if (add.path.empty()) {
          return Status::Invalid(fmt::format("{}:{}: add action without a path", source_name,
                                             line_number));
        }
        add.partition_values = JsonToStringMap(body.value("partitionValues", Json::object()));
        add.size = GetInt(body, "size");
        add.modification_time = GetInt(body, "modificationTime");
        add.data_change = GetBool(body, "dataChange", true);
        add.stats = GetString(body, "stats");
        if (auto dv = body.find("deletionVector"); dv != body.end() && dv->is_object()) {
          DeletionVectorDescriptor descriptor;
          descriptor.storage_type = GetString(*dv, "storageType");
          descriptor.path_or_inline_dv = GetString(*dv, "pathOrInlineDv");
          if (auto offset = dv->find("offset"); offset != dv->end() && !offset->is_null()) {
            descriptor.offset = AsInt(*offset);
          }
          descriptor.size_in_bytes = GetInt(*dv, "sizeInBytes");
          descriptor.cardinality = GetInt(*dv, "cardinality");
          add.deletion_vector = std::move(descriptor);
        }
        actions.adds.push_back(std::move(add));
      } else if (action == "remove") {
        RemoveFile remove;
        remove.path = GetString(body, "path");
        if (remove.path.empty()) {
          return Status::Invalid(fmt::format("{}:{}: remove action without a path", source_name,
                                             line_number));
        }
        remove.deletion_timestamp = GetInt(body, "deletionTimestamp");
        remove.data_change = GetBool(body, "dataChange", true);
        actions.removes.push_back(std::move(remove));
      } else if (action == "metaData") {
        Metadata metadata;
        metadata.id = GetString(body, "id");
        metadata.schema_string = GetString(body, "schemaString");
        auto columns = body.find("partitionColumns");
        if (columns != body.end() && columns->is_array()) {
          for (const auto& column : *columns) {
            if (column.is_string()) metadata.partition_columns.push_back(column.get<std::string>());
          }
        }
        metadata.configuration = JsonToStringMap(body.value("configuration", Json::object()));
        metadata.created_time = GetInt(body, "createdTime");
        auto format = body.find("format");
        if (format != body.end() && format->is_object()) {
          std::string provider = GetString(*format, "provider");
          if (!provider.empty()) metadata.format_provider = provider;
        }
        actions.metadata = std::move(metadata);
      } else if (action == "protocol") {
        Protocol protocol;
        protocol.min_reader_version = static_cast<int>(GetInt(body, "minReaderVersion", 1));
        protocol.min_writer_version = static_cast<int>(GetInt(body, "minWriterVersion", 2));
        protocol.reader_features = StringList(body, "readerFeatures");
        protocol.writer_features = StringList(body, "writerFeatures");
        actions.protocol = protocol;
      } else if (action == "txn") {
        Txn txn;
        txn.app_id = GetString(body, "appId");
        txn.version = GetInt(body, "version");
        auto last_updated = body.find("lastUpdated");
        if (last_updated != body.end()) txn.last_updated = AsInt(*last_updated);
        actions.parsed_txns.push_back(txn);
        actions.txn = std::move(txn);
      } else if (action == "sidecar") {
        std::string path = GetString(body, "path");
        if (!path.empty()) actions.sidecars.push_back(std::move(path));
      } else if (action == "commitInfo") {
        CommitInfo info;
        info.timestamp = GetInt(body, "timestamp");
        info.operation = GetString(body, "operation");
        info.operation_parameters = JsonToStringMap(body.value("operationParameters", Json::object()));
        info.operation_metrics = JsonToStringMap(body.value("operationMetrics", Json::object()));
        info.engine_info = GetString(body, "engineInfo");
        actions.commit_info = std::move(info);
      }
      // cdc, domainMetadata, checkpointMetadata, ...: not used by inlet; skipped so tables
      // touched by newer writers still load.
    }
  }
  return actions;
}

std::string CommitFileName(int64_t version) {
  return fmt::format("_delta_log/{:020d}.json", version);
}

}  // namespace inlet::delta
