// The schema repository DIR/_schemas/N: Auto Loader's two-line version files, written
// once with put-if-absent so two runs racing to evolve the schema never overwrite each other.
#include "inlet/schema/repository.h"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/schema/evolution.h"
#include "inlet/schema/spark_json.h"
#include "inlet/util/fault.h"

namespace inlet {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFormatVersion = "v1";
constexpr const char* kEmptyPartitionSchema = R"({"type":"struct","fields":[]})";

// Only canonical decimal names are versions: "7", not "07" or "7.tmp.123.0" (a temp file
// of a write that was interrupted before its link(2)).
bool ParseVersionName(const std::string& name, int64_t* version) {
  if (name.empty() || name.size() > 18) return false;
  if (!std::all_of(name.begin(), name.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  if (name.size() > 1 && name.front() == '0') return false;
  *version = std::stoll(name);
  return true;
}

Result<std::string> StringMember(const Json& object, const char* key, bool required, const std::string& where) {
  auto it = object.find(key);
  if (it == object.end()) {
    if (required) return Status::Invalid(fmt::format("{}: no \"{}\" key", where, key));
    return std::string();
  }
  if (!it->is_string()) return Status::Invalid(fmt::format("{}: \"{}\" is not a string", where, key));
  return it->get<std::string>();
}

}  // namespace

std::string FormatSchemaVersionFile(const Schema& data_schema, const std::string& schema_hints) {
  Json body;
  body["dataSchemaJson"] = ToSparkJson(data_schema);
  body["partitionSchemaJson"] = kEmptyPartitionSchema;
  if (!schema_hints.empty()) body["schemaHints"] = schema_hints;
  // Compact, UTF-8 kept as is (as Jackson writes it); no newline after the JSON line.
  return std::string(kFormatVersion) + "\n" + body.dump(-1, ' ', false, Json::error_handler_t::replace);
}

Result<SchemaVersion> ParseSchemaVersionFile(const std::string& text, const std::string& source_name) {
  size_t newline = text.find('\n');
  std::string first = text.substr(0, newline);
  if (!first.empty() && first.back() == '\r') first.pop_back();
  if (first != kFormatVersion) {
    if (first.size() > 1 && first[0] == 'v') {
      return Status::Invalid(fmt::format(
          "schema file {}: format version '{}' is not supported (inlet reads v1); it was written by a newer "
          "Auto Loader or inlet",
          source_name, first));
    }
    return Status::Invalid(
        fmt::format("schema file {}: line 1 must be 'v1', got '{}'", source_name, first.substr(0, 40)));
  }
  if (newline == std::string::npos) {
    return Status::Invalid(fmt::format("schema file {}: line 2 (the schema JSON) is missing", source_name));
  }
  std::string second = text.substr(newline + 1);
  while (!second.empty() && (second.back() == '\n' || second.back() == '\r')) second.pop_back();
  if (second.find('\n') != std::string::npos) {
    return Status::Invalid(fmt::format("schema file {}: more than two lines", source_name));
  }
  const std::string where = fmt::format("schema file {}: line 2", source_name);
  Json body;
  try {
    body = Json::parse(second);
  } catch (const Json::parse_error& error) {
    return Status::Invalid(fmt::format("{}: not valid JSON: {}", where, error.what()));
  }
  if (!body.is_object()) return Status::Invalid(fmt::format("{}: not a JSON object", where));

  SchemaVersion version;
  INLET_ASSIGN_OR_RAISE(version.data_schema_json, StringMember(body, "dataSchemaJson", true, where));
  INLET_ASSIGN_OR_RAISE(version.partition_schema_json, StringMember(body, "partitionSchemaJson", false, where));
  if (version.partition_schema_json.empty()) version.partition_schema_json = kEmptyPartitionSchema;
  INLET_ASSIGN_OR_RAISE(version.schema_hints, StringMember(body, "schemaHints", false, where));
  auto schema = ParseSparkJsonSchema(version.data_schema_json);
  if (!schema.ok()) {
    return Status::Invalid(fmt::format("{}: dataSchemaJson: {}", where, schema.status().message()));
  }
  version.data_schema = std::move(*schema);
  return version;
}

std::string DescribeSchemaVersion(const SchemaVersion* previous, const SchemaVersion& version) {
  std::string text;
  auto append = [&](const std::string& label, const std::string& items) {
    if (items.empty()) return;
    text += fmt::format("{}{}: {}", text.empty() ? "" : "; ", label, items);
  };
  if (previous == nullptr) {
    const size_t columns = version.data_schema.fields.size();
    text = fmt::format("initial ({} column{})", columns, columns == 1 ? "" : "s");
  } else {
    std::string added, widened, changed;
    auto add_item = [](std::string* list, const std::string& item) {
      *list += (list->empty() ? "" : ", ") + item;
    };
    for (const SchemaChange& change : DiffSchemas(previous->data_schema, version.data_schema)) {
      const std::string path = FieldPathString(change.path);
      if (change.kind == SchemaChange::Kind::kAdded) {
        add_item(&added, fmt::format("{} {}", path, change.to->TypeName()));
      } else {
        add_item(change.kind == SchemaChange::Kind::kWidened ? &widened : &changed,
                 fmt::format("{} {} -> {}", path, change.from->TypeName(), change.to->TypeName()));
      }
    }
    append("added", added);
    append("widened", widened);
    append("changed", changed);
  }
  // Hints are shown where they start or change: that is when they shaped a version.
  const std::string previous_hints = previous != nullptr ? previous->schema_hints : "";
  if (version.schema_hints != previous_hints) {
    append("hints", version.schema_hints.empty() ? "(none)" : version.schema_hints);
  }
  return text.empty() ? "no change" : text;
}

Result<SchemaRepository> SchemaRepository::Open(const std::string& location) {
  INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("schemaLocation", location));
  return Open(std::move(place));
}

Result<SchemaRepository> SchemaRepository::Open(storage::Place location) {
  SchemaRepository repository(std::move(location));
  INLET_RETURN_NOT_OK(repository.place_.fs->CreateDirs(repository.schemas_dir()));
  return repository;
}

Result<SchemaRepository> SchemaRepository::OpenExisting(const std::string& location) {
  INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("schemaLocation", location));
  SchemaRepository repository(std::move(place));
  // Object stores have no folders: there, a repository exists when it holds a file.
  INLET_ASSIGN_OR_RAISE(auto folder, repository.place_.fs->Stat(repository.schemas_dir()));
  if (!folder || !folder->is_directory()) {
    INLET_ASSIGN_OR_RAISE(auto entries, repository.place_.fs->ListDir(repository.schemas_dir()));
    if (entries.empty()) {
      return Status::Invalid(fmt::format("no schema repository at '{}' (no _schemas folder)", location));
    }
  }
  return repository;
}

std::string SchemaRepository::schemas_dir() const { return location_ + "/_schemas"; }

Result<std::vector<int64_t>> SchemaRepository::ListVersions() const {
  std::vector<int64_t> versions;
  INLET_ASSIGN_OR_RAISE(auto entries, place_.fs->ListDir(schemas_dir()));
  for (const storage::FileInfo& entry : entries) {
    int64_t version = 0;
    if (entry.is_file() && ParseVersionName(entry.name, &version)) versions.push_back(version);
  }
  std::sort(versions.begin(), versions.end());
  return versions;
}

Result<std::optional<SchemaVersion>> SchemaRepository::Latest() const {
  INLET_ASSIGN_OR_RAISE(auto versions, ListVersions());
  if (versions.empty()) return std::optional<SchemaVersion>();
  INLET_ASSIGN_OR_RAISE(auto latest, Read(versions.back()));
  return std::optional<SchemaVersion>(std::move(latest));
}

Result<SchemaVersion> SchemaRepository::Read(int64_t version) const {
  const std::string path = fmt::format("{}/{}", schemas_dir(), version);
  auto text = place_.fs->ReadFile(path);
  if (!text.ok()) {
    return Status::IOError(fmt::format("schema version {}: {}", version, text.status().message()));
  }
  INLET_ASSIGN_OR_RAISE(auto parsed, ParseSchemaVersionFile(*text, path));
  parsed.version = version;
  parsed.path = path;
  INLET_ASSIGN_OR_RAISE(auto info, place_.fs->Stat(path));
  if (!info) return Status::IOError(fmt::format("schema version {}: '{}' disappeared while read", version, path));
  parsed.written_at_ms = info->modification_time_ms;
  return parsed;
}

Result<std::string> SchemaRepository::Write(int64_t version, const Schema& data_schema,
                                            const std::string& schema_hints) const {
  if (version < 0) return Status::Invalid(fmt::format("schema version must be >= 0, got {}", version));
  const std::string path = fmt::format("{}/{}", schemas_dir(), version);
  INLET_RETURN_NOT_OK(place_.fs->CreateDirs(schemas_dir()));
  INLET_RETURN_NOT_OK(MaybeFailAt("schema_write"));
  Status written =
      place_.fs->WriteFile(path, FormatSchemaVersionFile(data_schema, schema_hints), storage::WriteMode::kCreateIfAbsent);
  if (written.IsAlreadyExists()) {
    return Status::AlreadyExists(fmt::format("schema version {} already exists: '{}'", version, path));
  }
  INLET_RETURN_NOT_OK(written);
  return path;
}

}  // namespace inlet
