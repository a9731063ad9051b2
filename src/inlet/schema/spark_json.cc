// Spark's StructType JSON (Delta's schemaString): a byte-exact printer and a tolerant parser.
#include "inlet/schema/spark_json.h"

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace inlet {
namespace {

// ordered_json keeps metadata keys in file order, so metadata survives a read/write cycle
// in the order Delta or Spark wrote it.
using Json = nlohmann::ordered_json;

// Escapes like json4s (which Spark uses): quote, backslash and control characters only;
// every other byte, including non-ASCII UTF-8, is written as is.
void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"': out->append("\\\""); break;
      case '\\': out->append("\\\\"); break;
      case '\b': out->append("\\b"); break;
      case '\f': out->append("\\f"); break;
      case '\n': out->append("\\n"); break;
      case '\r': out->append("\\r"); break;
      case '\t': out->append("\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out->append(fmt::format("\\u{:04x}", static_cast<unsigned char>(c)));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

void AppendType(const DataType& type, std::string* out);

void AppendStructFields(const std::vector<Field>& fields, std::string* out) {
  out->append(R"({"type":"struct","fields":[)");
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& field = fields[i];
    if (i > 0) out->push_back(',');
    out->append(R"({"name":)");
    AppendJsonString(field.name, out);
    out->append(R"(,"type":)");
    AppendType(*field.type, out);
    out->append(field.nullable ? R"(,"nullable":true)" : R"(,"nullable":false)");
    out->append(R"(,"metadata":)");
    out->append(field.metadata_json.empty() ? "{}" : field.metadata_json);
    out->push_back('}');
  }
  out->append("]}");
}

void AppendType(const DataType& type, std::string* out) {
  switch (type.kind) {
    case TypeKind::kStruct:
      AppendStructFields(type.fields, out);
      return;
    case TypeKind::kArray:
      out->append(R"({"type":"array","elementType":)");
      AppendType(*type.element, out);
      out->append(type.contains_null ? R"(,"containsNull":true})" : R"(,"containsNull":false})");
      return;
    case TypeKind::kMap:
      out->append(R"({"type":"map","keyType":)");
      AppendType(*type.key, out);
      out->append(R"(,"valueType":)");
      AppendType(*type.value, out);
      out->append(type.value_contains_null ? R"(,"valueContainsNull":true})"
                                           : R"(,"valueContainsNull":false})");
      return;
    default:
      AppendJsonString(type.TypeName(), out);
  }
}

Status ParseError(const std::string& path, std::string_view what) {
  return Status::Invalid("Spark schema JSON: field '", path, "': ", what);
}

std::string ChildPath(const std::string& parent, std::string_view child) {
  if (parent.empty()) return std::string(child);
  return fmt::format("{}.{}", parent, child);
}

// "decimal(9,6)" -> (9, 6); Spark also writes plain "decimal" for its default (10,0).
Result<DataTypePtr> ParseDecimalName(const std::string& name, const std::string& path) {
  if (name == "decimal") return DataType::Decimal(10, 0);
  std::string_view rest(name);
  rest.remove_prefix(std::string_view("decimal(").size());
  int precision = 0;
  int scale = 0;
  auto [p_end, p_ec] = std::from_chars(rest.data(), rest.data() + rest.size(), precision);
  const char* end = rest.data() + rest.size();
  const char* s_begin = p_end;
  while (s_begin < end && *s_begin == ' ') ++s_begin;
  bool ok = p_ec == std::errc() && s_begin < end && *s_begin == ',';
  const char* s_end = s_begin;
  if (ok) {
    ++s_begin;
    while (s_begin < end && *s_begin == ' ') ++s_begin;
    auto [e, ec] = std::from_chars(s_begin, end, scale);
    s_end = e;
    ok = ec == std::errc() && s_end + 1 == end && *s_end == ')';
  }
  if (!ok || precision < 1 || precision > 38 || scale < 0 || scale > precision) {
    return ParseError(path, fmt::format("bad decimal type \"{}\"", name));
  }
  return DataType::Decimal(precision, scale);
}

Result<DataTypePtr> ParsePrimitiveName(const std::string& name, const std::string& path) {
  if (name == "string") return DataType::String();
  if (name == "long") return DataType::Long();
  if (name == "integer") return DataType::Integer();
  if (name == "short") return DataType::Short();
  if (name == "byte") return DataType::Byte();
  if (name == "double") return DataType::Double();
  if (name == "float") return DataType::Float();
  if (name == "boolean") return DataType::Boolean();
  if (name == "date") return DataType::Date();
  if (name == "timestamp") return DataType::Timestamp();
  if (name == "binary") return DataType::Binary();
  if (name == "variant") return DataType::Variant();
  if (name == "void" || name == "null") return DataType::Null();
  if (name.rfind("decimal", 0) == 0) return ParseDecimalName(name, path);
  // Spark stores CHAR/VARCHAR columns as strings plus a metadata note; inlet reads them as
  // strings too.
  if (name.rfind("varchar(", 0) == 0 || name.rfind("char(", 0) == 0) return DataType::String();
  return ParseError(path, fmt::format("unsupported type \"{}\"", name));
}

Result<const Json*> Member(const Json& object, const char* key, const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) return ParseError(path, fmt::format("missing \"{}\"", key));
  return &*it;
}

Result<bool> BoolMember(const Json& object, const char* key, bool fallback,
                        const std::string& path) {
  auto it = object.find(key);
  if (it == object.end()) return fallback;
  if (!it->is_boolean()) return ParseError(path, fmt::format("\"{}\" is not a boolean", key));
  return it->get<bool>();
}

Result<DataTypePtr> ParseType(const Json& json, const std::string& path);

Result<std::vector<Field>> ParseFields(const Json& json, const std::string& path) {
  INLET_ASSIGN_OR_RAISE(const Json* fields, Member(json, "fields", path));
  if (!fields->is_array()) return ParseError(path, "\"fields\" is not an array");
  std::vector<Field> result;
  result.reserve(fields->size());
  for (size_t i = 0; i < fields->size(); ++i) {
    const Json& item = (*fields)[i];
    std::string item_path = fmt::format("{}[{}]", path.empty() ? "fields" : path, i);
    if (!item.is_object()) return ParseError(item_path, "field is not an object");
    auto name_it = item.find("name");
    if (name_it == item.end() || !name_it->is_string()) {
      return ParseError(item_path, "missing string \"name\"");
    }
    Field field;
    field.name = name_it->get<std::string>();
    std::string field_path = ChildPath(path, field.name);
    INLET_ASSIGN_OR_RAISE(const Json* type, Member(item, "type", field_path));
    INLET_ASSIGN_OR_RAISE(field.type, ParseType(*type, field_path));
    INLET_ASSIGN_OR_RAISE(field.nullable, BoolMember(item, "nullable", true, field_path));
    auto metadata = item.find("metadata");
    if (metadata != item.end() && !metadata->is_null()) {
      if (!metadata->is_object()) return ParseError(field_path, "\"metadata\" is not an object");
      field.metadata_json = metadata->dump();
    }
    result.push_back(std::move(field));
  }
  return result;
}

Result<DataTypePtr> ParseType(const Json& json, const std::string& path) {
  if (json.is_string()) return ParsePrimitiveName(json.get<std::string>(), path);
  if (!json.is_object()) return ParseError(path, "type is neither a name nor an object");
  INLET_ASSIGN_OR_RAISE(const Json* kind_json, Member(json, "type", path));
  if (!kind_json->is_string()) return ParseError(path, "\"type\" is not a string");
  const std::string kind = kind_json->get<std::string>();
  if (kind == "struct") {
    INLET_ASSIGN_OR_RAISE(auto fields, ParseFields(json, path));
    return DataType::Struct(std::move(fields));
  }
  if (kind == "array") {
    INLET_ASSIGN_OR_RAISE(const Json* element_json, Member(json, "elementType", path));
    INLET_ASSIGN_OR_RAISE(auto element, ParseType(*element_json, ChildPath(path, "element")));
    INLET_ASSIGN_OR_RAISE(bool contains_null, BoolMember(json, "containsNull", true, path));
    return DataType::Array(std::move(element), contains_null);
  }
  if (kind == "map") {
    INLET_ASSIGN_OR_RAISE(const Json* key_json, Member(json, "keyType", path));
    INLET_ASSIGN_OR_RAISE(const Json* value_json, Member(json, "valueType", path));
    INLET_ASSIGN_OR_RAISE(auto key, ParseType(*key_json, ChildPath(path, "key")));
    INLET_ASSIGN_OR_RAISE(auto value, ParseType(*value_json, ChildPath(path, "value")));
    INLET_ASSIGN_OR_RAISE(bool value_contains_null,
                          BoolMember(json, "valueContainsNull", true, path));
    return DataType::Map(std::move(key), std::move(value), value_contains_null);
  }
  return ParseError(path, fmt::format("unsupported complex type \"{}\"", kind));
}

}  // namespace

std::string ToSparkJson(const Schema& schema) {
  std::string out;
  AppendStructFields(schema.fields, &out);
  return out;
}

std::string ToSparkJson(const DataType& type) {
  std::string out;
  AppendType(type, &out);
  return out;
}

Result<Schema> ParseSparkJsonSchema(std::string_view json) {
  // nlohmann reports syntax errors only through exceptions; they stay inside this function.
  // Json::exception, not only parse_error: a number beyond double's range is out_of_range.
  Json root;
  try {
    root = Json::parse(json.begin(), json.end());
  } catch (const Json::exception& error) {
    return Status::Invalid("Spark schema JSON is not valid JSON: ", error.what());
  }
  if (!root.is_object()) return Status::Invalid("Spark schema JSON: top level is not an object");
  auto kind = root.find("type");
  if (kind == root.end() || *kind != "struct") {
    return Status::Invalid("Spark schema JSON: top level is not {\"type\":\"struct\",...}");
  }
  Schema schema;
  INLET_ASSIGN_OR_RAISE(schema.fields, ParseFields(root, ""));
  return schema;
}

}  // namespace inlet
