// The protocol gate: table features (PROTOCOL.md "Table Features", and the legacy features
// that writer versions 2-6 and reader version 2 imply) checked against what inlet does.
#include "inlet/delta/features.h"

#include <algorithm>
#include <functional>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace inlet::delta {
namespace {

using Json = nlohmann::json;

void AddUnique(std::vector<std::string>* out, const std::string& name) {
  if (std::find(out->begin(), out->end(), name) == out->end()) out->push_back(name);
}

bool Contains(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

// Calls `visit(path, metadata)` for every struct field of the schema, nested ones too
// (inside arrays and maps), with the field's metadata object.
void VisitFields(const Json& type, const std::string& prefix,
                 const std::function<void(const std::string&, const Json&)>& visit) {
  if (!type.is_object()) return;
  const std::string kind = type.value("type", "");
  if (kind == "struct") {
    auto fields = type.find("fields");
    if (fields == type.end() || !fields->is_array()) return;
    for (const Json& field : *fields) {
      if (!field.is_object()) continue;
      const std::string path = prefix.empty() ? field.value("name", "") : prefix + "." + field.value("name", "");
      auto metadata = field.find("metadata");
      visit(path, metadata != field.end() && metadata->is_object() ? *metadata : Json::object());
      if (auto child = field.find("type"); child != field.end()) VisitFields(*child, path, visit);
    }
  } else if (kind == "array") {
    if (auto child = type.find("elementType"); child != type.end()) VisitFields(*child, prefix + "[]", visit);
  } else if (kind == "map") {
    if (auto child = type.find("keyType"); child != type.end()) VisitFields(*child, prefix + ".key", visit);
    if (auto child = type.find("valueType"); child != type.end()) VisitFields(*child, prefix + ".value", visit);
  }
}

Json ParsedSchema(const Metadata& metadata) {
  Json schema = Json::parse(metadata.schema_string, nullptr, /*allow_exceptions=*/false);
  return schema.is_discarded() ? Json::object() : schema;
}

// The first field whose metadata has a key starting with `key_prefix`, as "path (key=value)".
std::string FirstFieldWith(const Json& schema, const std::string& key_prefix) {
  std::string found;
  VisitFields(schema, "", [&](const std::string& path, const Json& metadata) {
    if (!found.empty()) return;
    for (const auto& [key, value] : metadata.items()) {
      if (key.rfind(key_prefix, 0) != 0) continue;
      found = fmt::format("column '{}' ({}={})", path, key, value.is_string() ? value.get<std::string>() : value.dump());
      return;
    }
  });
  return found;
}

// Whether any field of the schema has a type named `type_name` (a primitive type's JSON
// form is its name as a string).
bool HasPrimitiveType(const Json& type, const std::string& type_name) {
  if (type.is_string()) return type.get<std::string>() == type_name;
  if (!type.is_object()) return false;
  for (const char* key : {"type", "elementType", "keyType", "valueType"}) {
    auto child = type.find(key);
    if (child != type.end() && HasPrimitiveType(*child, type_name)) return true;
  }
  if (auto fields = type.find("fields"); fields != type.end() && fields->is_array()) {
    for (const Json& field : *fields) {
      if (HasPrimitiveType(field, type_name)) return true;
    }
  }
  return false;
}

Status Refuse(const std::string& table_dir, const std::string& operation, const std::string& feature,
              const std::string& why) {
  return Status::NotImplemented(fmt::format("Delta table '{}' uses the table feature '{}': inlet cannot {} it: {}",
                                            table_dir, feature, operation, why));
}

const char* const kAskAnotherEngine = "use Spark or delta-rs for this table, or load into a new table";

}  // namespace

std::vector<std::string> EnabledReaderFeatures(const Protocol& protocol) {
  std::vector<std::string> out;
  if (protocol.min_reader_version >= 2) AddUnique(&out, "columnMapping");
  if (protocol.min_reader_version >= 3) {
    out.clear();  // reader 3 lists its features explicitly
    for (const std::string& feature : protocol.reader_features) AddUnique(&out, feature);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<std::string> EnabledWriterFeatures(const Protocol& protocol) {
  std::vector<std::string> out;
  const int version = protocol.min_writer_version;
  if (version >= 7) {
    for (const std::string& feature : protocol.writer_features) AddUnique(&out, feature);
  } else {
    if (version >= 2) {
      AddUnique(&out, "appendOnly");
      AddUnique(&out, "invariants");
    }
    if (version >= 3) AddUnique(&out, "checkConstraints");
    if (version >= 4) {
      AddUnique(&out, "changeDataFeed");
      AddUnique(&out, "generatedColumns");
    }
    if (version >= 5) AddUnique(&out, "columnMapping");
    if (version >= 6) AddUnique(&out, "identityColumns");
  }
  std::sort(out.begin(), out.end());
  return out;
}

Protocol WithReaderWriterFeature(const Protocol& current, const std::string& feature) {
  Protocol out;
  out.min_reader_version = 3;
  out.min_writer_version = 7;
  out.reader_features = EnabledReaderFeatures(current);
  out.writer_features = EnabledWriterFeatures(current);
  if (current.min_reader_version >= 3) out.reader_features = current.reader_features;  // keep their order
  if (current.min_writer_version >= 7) out.writer_features = current.writer_features;
  if (!out.HasReaderFeature(feature)) out.reader_features.push_back(feature);
  if (!out.HasWriterFeature(feature)) out.writer_features.push_back(feature);
  return out;
}

std::string ColumnMappingMode(const Protocol& protocol, const Metadata& metadata) {
  const bool enabled = Contains(EnabledReaderFeatures(protocol), "columnMapping") ||
                       Contains(EnabledWriterFeatures(protocol), "columnMapping");
  if (!enabled) return "";
  auto mode = metadata.configuration.find("delta.columnMapping.mode");
  if (mode == metadata.configuration.end() || mode->second == "none") return "";
  return mode->second;
}

Status CheckReadable(const Protocol& protocol, const Metadata& metadata, const std::string& table_dir) {
  if (protocol.min_reader_version > 3) {
    return Status::NotImplemented(fmt::format(
        "Delta table '{}' needs reader version {}, newer than inlet knows (it reads versions 1 to 3)", table_dir,
        protocol.min_reader_version));
  }
  // What each supported reader feature needs is done in query/table_reader.cc.
  static const std::vector<std::string> kRead = {
      "columnMapping", "deletionVectors", "typeWidening",       "typeWidening-preview", "v2Checkpoint",
      "vacuumProtocolCheck", "variantType", "variantType-preview"};
  for (const std::string& feature : EnabledReaderFeatures(protocol)) {
    if (Contains(kRead, feature)) continue;
    if (feature == "timestampNtz") {
      if (!HasPrimitiveType(ParsedSchema(metadata), "timestamp_ntz")) continue;
      return Refuse(table_dir, "read", feature,
                    "inlet has no TIMESTAMP_NTZ type yet and would read its values as UTC instants; " +
                        std::string(kAskAnotherEngine));
    }
    return Refuse(table_dir, "read", feature, "inlet does not implement this reader feature; " +
                                                  std::string(kAskAnotherEngine));
  }
  const std::string mode = ColumnMappingMode(protocol, metadata);
  if (!mode.empty() && mode != "name" && mode != "id") {
    return Refuse(table_dir, "read", "columnMapping",
                  fmt::format("unknown delta.columnMapping.mode '{}' (inlet knows name and id)", mode));
  }
  return Status::OK();
}

Status CheckAppendable(const Protocol& protocol, const Metadata& metadata, const std::string& table_dir) {
  INLET_RETURN_NOT_OK(CheckReadable(protocol, metadata, table_dir));
  if (protocol.min_writer_version > 7) {
    return Status::NotImplemented(fmt::format(
        "Delta table '{}' needs writer version {}, newer than inlet knows (it writes versions 2 to 7)", table_dir,
        protocol.min_writer_version));
  }
  const Json schema = ParsedSchema(metadata);
  for (const std::string& feature : EnabledWriterFeatures(protocol)) {
    // Append-only writes honour appendOnly and need no cdc files for changeDataFeed
    // (readers take inserted rows from add actions); inlet writes no deletion vectors and
    // never vacuums; a widened column is read and written in its wider type; a table with
    // v2 checkpoints gets none from inlet (InletCheckpointPreserves), commits are the same.
    if (feature == "appendOnly" || feature == "changeDataFeed" || feature == "deletionVectors" ||
        feature == "vacuumProtocolCheck" || feature == "typeWidening" || feature == "typeWidening-preview" ||
        feature == "v2Checkpoint" || feature == "variantType" || feature == "variantType-preview") {
      continue;
    }
    // Enforced on every appended batch by stream/table_constraints.h (or refused there
    // when inlet cannot evaluate one).
    if (feature == "invariants" || feature == "checkConstraints") continue;
    if (feature == "generatedColumns") {
      const std::string column = FirstFieldWith(schema, "delta.generationExpression");
      if (column.empty()) continue;
      return Refuse(table_dir, "append to", feature,
                    fmt::format("{} is a generated column, which inlet does not compute; {}", column,
                                kAskAnotherEngine));
    }
    if (feature == "identityColumns") {
      const std::string column = FirstFieldWith(schema, "delta.identity.");
      if (column.empty()) continue;
      return Refuse(table_dir, "append to", feature,
                    fmt::format("{} is an identity column, whose values inlet does not assign; {}", column,
                                kAskAnotherEngine));
    }
    if (feature == "columnMapping") {
      const std::string mode = ColumnMappingMode(protocol, metadata);
      if (mode.empty()) continue;
      return Refuse(table_dir, "append to", feature,
                    fmt::format("delta.columnMapping.mode={}: inlet writes Parquet columns by logical name, not "
                                "by the physical names and field ids this table maps them to; {}",
                                mode, kAskAnotherEngine));
    }
    if (feature == "timestampNtz") {
      if (!HasPrimitiveType(schema, "timestamp_ntz")) continue;
      return Refuse(table_dir, "append to", feature,
                    std::string("inlet has no TIMESTAMP_NTZ type yet; ") + kAskAnotherEngine);
    }
    return Refuse(table_dir, "append to", feature,
                  std::string("inlet does not implement this writer feature; ") + kAskAnotherEngine);
  }
  return Status::OK();
}

bool InletCheckpointPreserves(const Protocol& protocol) {
  static const std::vector<std::string> kKept = {
      "appendOnly",    "invariants",   "checkConstraints",     "changeDataFeed",     "generatedColumns",
      "columnMapping", "identityColumns", "typeWidening", "typeWidening-preview", "timestampNtz",
      "vacuumProtocolCheck", "variantType", "variantType-preview"};
  for (const std::string& feature : EnabledReaderFeatures(protocol)) {
    if (!Contains(kKept, feature)) return false;
  }
  for (const std::string& feature : EnabledWriterFeatures(protocol)) {
    if (!Contains(kKept, feature)) return false;
  }
  return true;
}

}  // namespace inlet::delta
