// `inlet drift`: reads only the rescued data column of a table and tallies, per rescued
// field path, rows, JSON types and source files, walking into structs the table has.
#include "inlet/query/drift.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <optional>

#include <arrow/api.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/query/table_reader.h"
#include "inlet/schema/evolution.h"

namespace inlet::query {
namespace {

namespace ondemand = simdjson::ondemand;

constexpr const char* kFilePathKey = "_file_path";
constexpr const char* kUnparsablePath = "<unparsable>";

// One rescued value met in a row; applied to the tallies once the whole row parsed, so
// that a value broken half-way counts only as <unparsable>.
struct Hit {
  std::string path;
  bool unknown_field = false;
  const char* type = "";
  std::string_view raw;
};

const char* JsonTypeName(ondemand::json_type type, std::string_view raw_token) {
  switch (type) {
    case ondemand::json_type::object: return "object";
    case ondemand::json_type::array: return "array";
    case ondemand::json_type::string: return "string";
    case ondemand::json_type::boolean: return "boolean";
    case ondemand::json_type::null: return "null";
    case ondemand::json_type::number:
      // By the literal, not by what fits a machine type: 1e3 and 2.0 are numbers, an
      // integer too big for 64 bits is still an integer.
      return raw_token.find_first_of(".eE") == std::string_view::npos ? "integer" : "number";
  }
  return "invalid";
}

std::string_view TrimJsonSpace(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

// The value's JSON text and type name, consuming the value.
simdjson::error_code ReadLeaf(ondemand::value value, const char** type_name, std::string_view* raw) {
  ondemand::json_type type;
  SIMDJSON_TRY(value.type().get(type));
  if (type == ondemand::json_type::object) {
    ondemand::object object;
    SIMDJSON_TRY(value.get_object().get(object));
    SIMDJSON_TRY(object.raw_json().get(*raw));
  } else if (type == ondemand::json_type::array) {
    ondemand::array array;
    SIMDJSON_TRY(value.get_array().get(array));
    SIMDJSON_TRY(array.raw_json().get(*raw));
  } else {
    *raw = value.raw_json_token();
    if (type == ondemand::json_type::string) {
      std::string_view ignored;
      SIMDJSON_TRY(value.get_string().get(ignored));  // a broken escape fails the row
    }
  }
  *raw = TrimJsonSpace(*raw);
  *type_name = JsonTypeName(type, *raw);
  return simdjson::SUCCESS;
}

// The type of a rescued value that is not a JSON object: JSON of another type, or "invalid".
// Rare, so a full validating parse is fine here.
const char* UnparsableType(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return "invalid";
  if (json.is_object()) return "object";
  if (json.is_array()) return "array";
  if (json.is_string()) return "string";
  if (json.is_boolean()) return "boolean";
  if (json.is_null()) return "null";
  return json.is_number_integer() ? "integer" : "number";
}

const Field* FindFieldIgnoringCase(const std::vector<Field>& fields, std::string_view name) {
  for (const Field& field : fields) {
    if (field.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), field.name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      return &field;
    }
  }
  return nullptr;
}

// Walks the members of a rescued object whose place in the table is the struct `fields`.
// The reader rescues a case variant of a struct column whole, so only an exact name match
// of a struct column is walked into.
simdjson::error_code WalkObject(ondemand::object object, const std::vector<Field>& fields, FieldPath* path,
                                std::optional<std::string>* file_path, std::vector<Hit>* hits) {
  for (auto member : object) {
    std::string_view key;
    SIMDJSON_TRY(member.unescaped_key().get(key));
    ondemand::value value;
    SIMDJSON_TRY(member.value().get(value));
    if (path->empty() && key == kFilePathKey) {
      std::string_view file;
      if (value.get_string().get(file) == simdjson::SUCCESS) *file_path = std::string(file);
      continue;
    }
    std::string name(key);
    path->push_back(name);
    const Field* exact = nullptr;
    for (const Field& field : fields) {
      if (field.name == name) exact = &field;
    }
    ondemand::json_type type;
    SIMDJSON_TRY(value.type().get(type));
    if (exact != nullptr && exact->type->kind == TypeKind::kStruct && type == ondemand::json_type::object) {
      ondemand::object child;
      SIMDJSON_TRY(value.get_object().get(child));
      const size_t before = hits->size();
      SIMDJSON_TRY(WalkObject(child, exact->type->fields, path, file_path, hits));
      // An empty object under a struct column: the struct itself was rescued.
      if (hits->size() == before) hits->push_back(Hit{FieldPathString(*path), false, "object", "{}"});
    } else {
      Hit hit;
      hit.path = FieldPathString(*path);
      hit.unknown_field = exact == nullptr && FindFieldIgnoringCase(fields, name) == nullptr;
      SIMDJSON_TRY(ReadLeaf(value, &hit.type, &hit.raw));
      hits->push_back(std::move(hit));
    }
    path->pop_back();
  }
  return simdjson::SUCCESS;
}

struct FieldTally {
  DriftField field;
  int64_t last_row = -1;
  std::map<std::string, int64_t> files;
};

class DriftCounter {
 public:
  explicit DriftCounter(const Schema& schema) : schema_(schema) {}

  void AddRow(int64_t row, std::string_view text) {
    hits_.clear();
    std::optional<std::string> file_path;
    if (Walk(text, &file_path) != simdjson::SUCCESS) {
      hits_.clear();
      hits_.push_back(Hit{kUnparsablePath, false, UnparsableType(text), TrimJsonSpace(text)});
    }
    for (const Hit& hit : hits_) {
      FieldTally& tally = tallies_[hit.path];
      if (tally.last_row == row) continue;  // a duplicate key in one row counts once
      tally.last_row = row;
      tally.field.path = hit.path;
      tally.field.unknown_field = hit.unknown_field;
      ++tally.field.records;
      ++tally.field.json_types[hit.type];
      if (tally.field.example.empty()) tally.field.example = std::string(hit.raw);
      if (file_path) ++tally.files[*file_path];
    }
  }

  std::vector<DriftField> Finish(int top_files) {
    std::vector<DriftField> fields;
    for (auto& [path, tally] : tallies_) {
      std::vector<std::pair<std::string, int64_t>> files(tally.files.begin(), tally.files.end());
      std::stable_sort(files.begin(), files.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      if (files.size() > static_cast<size_t>(std::max(top_files, 0))) files.resize(std::max(top_files, 0));
      tally.field.top_files = std::move(files);
      fields.push_back(std::move(tally.field));
    }
    std::stable_sort(fields.begin(), fields.end(),
                     [](const DriftField& a, const DriftField& b) { return a.records > b.records; });
    return fields;
  }

 private:
  simdjson::error_code Walk(std::string_view text, std::optional<std::string>* file_path) {
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: parse from a padded copy.
    buffer_.assign(text);
    buffer_.resize(text.size() + simdjson::SIMDJSON_PADDING);
    ondemand::document doc;
    SIMDJSON_TRY(parser_.iterate(buffer_.data(), text.size(), buffer_.size()).get(doc));
    ondemand::object object;
    SIMDJSON_TRY(doc.get_object().get(object));
    FieldPath path;
    return WalkObject(object, schema_.fields, &path, file_path, &hits_);
  }

  const Schema& schema_;
  ondemand::parser parser_;
  std::string buffer_;
  std::vector<Hit> hits_;
  std::map<std::string, FieldTally> tallies_;  // by path: Finish's ties come out by path
};

std::string Percent(int64_t part, int64_t whole) {
  if (whole == 0) return "0.0%";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string TypesText(const DriftField& field) {
  std::vector<std::pair<std::string, int64_t>> types(field.json_types.begin(), field.json_types.end());
  std::stable_sort(types.begin(), types.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text;
  for (const auto& [type, count] : types) text += fmt::format("{}{} {}", text.empty() ? "" : ", ", type, count);
  return text;
}

}  // namespace

Result<DriftReport> AnalyzeDrift(const delta::Snapshot& snapshot, const DriftOptions& options) {
  INLET_ASSIGN_OR_RAISE(Schema schema, TableSchema(snapshot));
  const Field* column = schema.FindField(options.rescued_column);
  if (column == nullptr) {
    return Status::Invalid(fmt::format(
        "Delta table {} has no rescued data column '{}' (was it loaded with schemaEvolutionMode rescue or "
        "rescuedDataColumn? --rescued-column names another column)",
        snapshot.table_dir(), options.rescued_column));
  }
  if (column->type->kind != TypeKind::kString) {
    return Status::Invalid(fmt::format("column '{}' of Delta table {} is {}, not a string rescued data column",
                                       options.rescued_column, snapshot.table_dir(), column->type->TypeName()));
  }
  INLET_ASSIGN_OR_RAISE(auto table, ReadTable(snapshot, {options.rescued_column}));

  DriftReport report;
  report.rows = table->num_rows();
  DriftCounter counter(schema);
  int64_t row = 0;
  for (const auto& chunk : table->column(0)->chunks()) {
    const auto& strings = static_cast<const arrow::StringArray&>(*chunk);
    for (int64_t i = 0; i < strings.length(); ++i, ++row) {
      if (strings.IsNull(i)) continue;
      ++report.rescued_rows;
      counter.AddRow(row, strings.GetView(i));
    }
  }
  report.fields = counter.Finish(options.top_files);
  return report;
}

std::string FormatDriftReport(const DriftReport& report) {
  std::string out = fmt::format("{} rows, {} with rescued data ({}), {} rescued field path{}\n", report.rows,
                                report.rescued_rows, Percent(report.rescued_rows, report.rows), report.fields.size(),
                                report.fields.size() == 1 ? "" : "s");
  if (report.fields.empty()) return out;
  const std::vector<std::string> headers = {"field", "records", "share", "kind", "json types", "top files"};
  std::vector<std::vector<std::string>> rows;
  for (const DriftField& field : report.fields) {
    std::string files;
    for (const auto& [file, count] : field.top_files) {
      files += fmt::format("{}{} ({})", files.empty() ? "" : ", ", file, count);
    }
    rows.push_back({field.path, std::to_string(field.records), Percent(field.records, report.rows),
                    field.unknown_field ? "new field" : "mismatch", TypesText(field), files});
  }
  std::vector<size_t> widths(headers.size());
  for (size_t c = 0; c < headers.size(); ++c) {
    widths[c] = headers[c].size();
    for (const auto& row : rows) widths[c] = std::max(widths[c], row[c].size());
  }
  auto append = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool numeric = c == 1 || c == 2;
      const bool last = c + 1 == cells.size();
      if (c > 0) line += "  ";
      if (last) {
        line += cells[c];
      } else {
        line += numeric ? fmt::format("{:>{}}", cells[c], widths[c]) : fmt::format("{:<{}}", cells[c], widths[c]);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  };
  append(headers);
  for (const auto& row : rows) append(row);
  return out;
}

std::string DriftReportJson(const DriftReport& report) {
  using Json = nlohmann::ordered_json;
  Json root;
  root["rows"] = report.rows;
  root["rescued_rows"] = report.rescued_rows;
  root["fields"] = Json::array();
  for (const DriftField& field : report.fields) {
    Json item;
    item["path"] = field.path;
    item["unknown_field"] = field.unknown_field;
    item["records"] = field.records;
    item["json_types"] = Json::object();
    for (const auto& [type, count] : field.json_types) item["json_types"][type] = count;
    item["top_files"] = Json::array();
    for (const auto& [file, count] : field.top_files) item["top_files"].push_back({{"file", file}, {"rows", count}});
    item["example"] = field.example;
    root["fields"].push_back(std::move(item));
  }
  return root.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace inlet::query
