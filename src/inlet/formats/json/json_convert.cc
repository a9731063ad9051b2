// JSON values -> Arrow builders, dispatching on the schema's type for each value.
#include "inlet/formats/json/json_convert.h"

#include <arrow/api.h>
#include <arrow/table_builder.h>
#include <arrow/util/decimal.h>
#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <string_view>

#include "inlet/formats/json/json_temporal.h"
#include "inlet/schema/arrow_convert.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using JsonType = ondemand::json_type;

namespace {

// Lets a struct's name table be probed with the string_view of a key without a copy.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct NameEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

// Names that raw_json_string::unsafe_is_equal can compare against a key's raw bytes: an
// escaped key never equals such a name byte for byte, so a miss just falls back.
bool IsPlainName(const std::string& name) {
  for (unsigned char c : name) {
    if (c == '"' || c == '\\' || c < 0x20) return false;
  }
  return true;
}

std::string_view TrimTrailingSpace(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

int8_t Base64Digit(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int8_t>(c - '0' + 52);
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Standard or URL-safe base64, padding optional (Spark reads binary JSON values so).
bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  uint32_t bits = 0;
  int nbits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '='; ++i) {
    const int8_t digit = Base64Digit(static_cast<unsigned char>(text[i]));
    if (digit < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(digit);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out->push_back(static_cast<char>((bits >> nbits) & 0xFF));
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] != '=') return false;
  }
  return nbits < 6;  // a single leftover 6-bit group cannot end a valid encoding
}

}  // namespace

struct RecordConverter::Column {
  TypeKind kind = TypeKind::kString;
  arrow::ArrayBuilder* builder = nullptr;  // null only for the root (RecordBatchBuilder's)
  int32_t precision = 0;
  int32_t scale = 0;
  std::vector<Column> children;  // struct: fields; array: {element}; map: {key, value}
  // Struct only: field lookup and the per-record "seen" marks (compared with `epoch`, so
  // nothing is cleared between records).
  std::vector<std::string> names;
  std::vector<uint8_t> plain;
  std::unordered_map<std::string, uint32_t, NameHash, NameEqual> index;
  std::vector<uint64_t> seen;
  uint64_t epoch = 0;
  // follow[s]: the slot whose key came after slot s's key in the last record (follow[n]:
  // the first key's slot). Learns the producer's key order, which rarely matches the
  // schema's (inferred schemas are sorted by name).
  std::vector<uint32_t> follow;
};

namespace {

using Column = RecordConverter::Column;

Status BuildColumn(const DataType& type, arrow::ArrayBuilder* builder, Column* out);

Status BuildStructFields(const std::vector<Field>& fields, const std::vector<arrow::ArrayBuilder*>& builders,
                         Column* out) {
  out->children.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    INLET_RETURN_NOT_OK(BuildColumn(*fields[i].type, builders[i], &out->children[i]));
    out->names.push_back(fields[i].name);
    out->plain.push_back(IsPlainName(fields[i].name) ? 1 : 0);
    // emplace keeps the first of two same-named fields, matching "first wins" for keys.
    out->index.emplace(fields[i].name, static_cast<uint32_t>(i));
  }
  out->seen.assign(fields.size(), 0);
  out->follow.resize(fields.size() + 1);
  for (size_t i = 0; i < fields.size(); ++i) out->follow[i] = static_cast<uint32_t>(i + 1);
  out->follow[fields.size()] = 0;
  return Status::OK();
}

Status BuildColumn(const DataType& type, arrow::ArrayBuilder* builder, Column* out) {
  out->kind = type.kind;
  out->builder = builder;
  out->precision = type.precision;
  out->scale = type.scale;
  switch (type.kind) {
    case TypeKind::kStruct: {
      auto* struct_builder = static_cast<arrow::StructBuilder*>(builder);
      std::vector<arrow::ArrayBuilder*> builders;
      for (int i = 0; i < struct_builder->num_fields(); ++i) {
        builders.push_back(struct_builder->field_builder(i));
      }
      return BuildStructFields(type.fields, builders, out);
    }
    case TypeKind::kArray:
      out->children.resize(1);
      return BuildColumn(*type.element, static_cast<arrow::ListBuilder*>(builder)->value_builder(),
                         &out->children[0]);
    case TypeKind::kMap: {
      if (type.key->kind != TypeKind::kString) {
        return Status::NotImplemented("JSON maps need string keys, not ", type.key->TypeName());
      }
      auto* map_builder = static_cast<arrow::MapBuilder*>(builder);
      out->children.resize(2);
      INLET_RETURN_NOT_OK(BuildColumn(*type.key, map_builder->key_builder(), &out->children[0]));
      return BuildColumn(*type.value, map_builder->item_builder(), &out->children[1]);
    }
    default:
      return Status::OK();
  }
}

}  // namespace

#define INLET_JSON_APPEND(expr)                        \
  do {                                                 \
    ::arrow::Status _append_status = (expr);           \
    if (ARROW_PREDICT_FALSE(!_append_status.ok())) {   \
      return BuilderFailed(std::move(_append_status)); \
    }                                                  \
  } while (0)

RecordConverter::RecordConverter() = default;
RecordConverter::~RecordConverter() = default;

Result<std::unique_ptr<RecordConverter>> RecordConverter::Make(const Schema& schema, int64_t batch_rows) {
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(schema));
  std::unique_ptr<RecordConverter> converter(new RecordConverter());
  INLET_ASSIGN_OR_RAISE(
      converter->batch_builder_,
      arrow::RecordBatchBuilder::Make(arrow_schema, arrow::default_memory_pool(), batch_rows));
  converter->root_ = std::make_unique<Column>();
  converter->root_->kind = TypeKind::kStruct;
  std::vector<arrow::ArrayBuilder*> builders;
  for (int i = 0; i < converter->batch_builder_->num_fields(); ++i) {
    builders.push_back(converter->batch_builder_->GetField(i));
  }
  INLET_RETURN_NOT_OK(BuildStructFields(schema.fields, builders, converter->root_.get()));
  return converter;
}

Result<std::shared_ptr<arrow::RecordBatch>> RecordConverter::Flush() {
  const int64_t rows = num_rows_;
  num_rows_ = 0;
  INLET_ASSIGN_OR_RAISE(auto batch, batch_builder_->Flush(/*reset_builders=*/true));
  // With no columns the builder cannot know the row count; the rows still happened.
  if (batch->num_columns() == 0) return arrow::RecordBatch::Make(batch->schema(), rows, arrow::ArrayVector{});
  return batch;
}

error_code RecordConverter::BuilderFailed(Status status) {
  builder_status_ = std::move(status);
  return simdjson::MEMALLOC;
}

error_code RecordConverter::AppendRecord(ondemand::object record) {
  SIMDJSON_TRY(AppendObject(*root_, record));
  ++num_rows_;
  return simdjson::SUCCESS;
}

// THE HOT LOOP. Every record of every file passes through here once per object level, so
// it is shaped to touch each key once and allocate nothing:
//  - keys are walked in document order (one pass; On-Demand skips values we never read,
//    so unknown fields cost only their structural scan);
//  - producers repeat their key order, so the field that followed the previous key in
//    the last record (`follow`) is tried first by comparing the raw key bytes in place (no
//    unescape, no hash); only a miss unescapes the key and probes the hash table;
//  - "seen" marks are epochs, so nothing is reset per record, and the pass that appends
//    nulls for missing fields is skipped when every field was present.
error_code RecordConverter::AppendObject(Column& column, ondemand::object object) {
  const uint64_t epoch = ++column.epoch;
  const size_t num_fields = column.children.size();
  size_t matched = 0;
  size_t previous = num_fields;  // "before the first key"
  size_t predicted = column.follow[previous];
  for (auto field_result : object) {
    SIMDJSON_TRY(field_result.error());
    ondemand::field& field = field_result.value_unsafe();
    size_t slot;
    if (predicted < num_fields && column.plain[predicted] &&
        field.key().unsafe_is_equal(column.names[predicted])) {
      slot = predicted;
    } else {
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      auto it = column.index.find(key);
      if (it == column.index.end()) continue;  // not in the schema: ignored
      slot = it->second;
    }
    if (column.seen[slot] == epoch) continue;  // duplicate key: the first one won
    column.seen[slot] = epoch;
    ++matched;
    column.follow[previous] = static_cast<uint32_t>(slot);
    previous = slot;
    predicted = column.follow[slot];
    SIMDJSON_TRY(AppendValue(column.children[slot], field.value()));
  }
  if (matched < num_fields) {
    for (size_t i = 0; i < num_fields; ++i) {
      if (column.seen[i] != epoch) SIMDJSON_TRY(AppendNull(column.children[i]));
    }
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendValue(Column& column, ondemand::value value) {
  JsonType type;
  SIMDJSON_TRY(value.type().get(type));
  if (type == JsonType::null) {
    bool is_null = false;
    SIMDJSON_TRY(value.is_null().get(is_null));
    if (!is_null) return simdjson::N_ATOM_ERROR;
    return AppendNull(column);
  }
  switch (column.kind) {
    case TypeKind::kString:
      return AppendString(column, value, type);
    case TypeKind::kLong:
    case TypeKind::kInteger:
    case TypeKind::kShort:
    case TypeKind::kByte:
      return AppendInteger(column, value, type);
    case TypeKind::kDouble:
    case TypeKind::kFloat:
      return AppendFloating(column, value, type);
    case TypeKind::kBoolean: {
      if (type != JsonType::boolean) return Mismatch(column, value, type);
      bool b;
      SIMDJSON_TRY(value.get_bool().get(b));
      INLET_JSON_APPEND(static_cast<arrow::BooleanBuilder*>(column.builder)->Append(b));
      return simdjson::SUCCESS;
    }
    case TypeKind::kDecimal:
      return AppendDecimal(column, value, type);
    case TypeKind::kDate:
    case TypeKind::kTimestamp:
      return AppendTemporal(column, value, type);
    case TypeKind::kBinary:
      return AppendBinary(column, value, type);
    case TypeKind::kStruct:
    case TypeKind::kArray:
    case TypeKind::kMap:
      return AppendNested(column, value, type);
    case TypeKind::kNull:
      return AppendString(column, value, type);  // unresolved inference reads as string
  }
  return Mismatch(column, value, type);
}

error_code RecordConverter::AppendString(Column& column, ondemand::value value, JsonType type) {
  auto* builder = static_cast<arrow::StringBuilder*>(column.builder);
  std::string_view text;
  switch (type) {
    case JsonType::string:
      SIMDJSON_TRY(value.get_string().get(text));
      break;
    case JsonType::number: {
      // The literal as written ("42.50" stays "42.50"), after checking it is a number.
      text = TrimTrailingSpace(value.raw_json_token());
      double ignored;
      SIMDJSON_TRY(value.get_double().get(ignored));
      break;
    }
    case JsonType::boolean: {
      bool b;
      SIMDJSON_TRY(value.get_bool().get(b));
      text = b ? std::string_view("true") : std::string_view("false");
      break;
    }
    case JsonType::object: {
      ondemand::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      SIMDJSON_TRY(object.raw_json().get(text));
      break;
    }
    case JsonType::array: {
      ondemand::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      SIMDJSON_TRY(array.raw_json().get(text));
      break;
    }
    case JsonType::null:
      return AppendNull(column);
  }
  INLET_JSON_APPEND(builder->Append(text));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendInteger(Column& column, ondemand::value value, JsonType type) {
  if (type != JsonType::number) return Mismatch(column, value, type);
  int64_t v;
  const error_code error = value.get_int64().get(v);
  if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_OUT_OF_RANGE) {
    return Mismatch(column, value, type);  // a fraction/exponent, or beyond int64
  }
  SIMDJSON_TRY(error);
  switch (column.kind) {
    case TypeKind::kLong:
      INLET_JSON_APPEND(static_cast<arrow::Int64Builder*>(column.builder)->Append(v));
      break;
    case TypeKind::kInteger:
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(static_cast<arrow::Int32Builder*>(column.builder)->Append(static_cast<int32_t>(v)));
      break;
    case TypeKind::kShort:
      if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(static_cast<arrow::Int16Builder*>(column.builder)->Append(static_cast<int16_t>(v)));
      break;
    default:
      if (v < std::numeric_limits<int8_t>::min() || v > std::numeric_limits<int8_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(static_cast<arrow::Int8Builder*>(column.builder)->Append(static_cast<int8_t>(v)));
      break;
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendFloating(Column& column, ondemand::value value, JsonType type) {
  double v;
  if (type == JsonType::number) {
    SIMDJSON_TRY(value.get_double().get(v));
  } else if (type == JsonType::string) {
    // Spark's allowNonNumericNumbers spellings, quoted.
    std::string_view text;
    SIMDJSON_TRY(value.get_string().get(text));
    if (text == "NaN") {
      v = std::numeric_limits<double>::quiet_NaN();
    } else if (text == "Infinity" || text == "+Infinity" || text == "+INF") {
      v = std::numeric_limits<double>::infinity();
    } else if (text == "-Infinity" || text == "-INF") {
      v = -std::numeric_limits<double>::infinity();
    } else {
      return Mismatch(column, value, type);
    }
  } else {
    return Mismatch(column, value, type);
  }
  if (column.kind == TypeKind::kDouble) {
    INLET_JSON_APPEND(static_cast<arrow::DoubleBuilder*>(column.builder)->Append(v));
  } else {
    INLET_JSON_APPEND(static_cast<arrow::FloatBuilder*>(column.builder)->Append(static_cast<float>(v)));
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendDecimal(Column& column, ondemand::value value, JsonType type) {
  std::string_view text;
  if (type == JsonType::number) {
    text = TrimTrailingSpace(value.raw_json_token());
    double ignored;
    SIMDJSON_TRY(value.get_double().get(ignored));  // validates the literal
  } else if (type == JsonType::string) {
    SIMDJSON_TRY(value.get_string().get(text));
  } else {
    return Mismatch(column, value, type);
  }
  arrow::Decimal128 decimal;
  int32_t precision = 0;
  int32_t scale = 0;
  if (!arrow::Decimal128::FromString(text, &decimal, &precision, &scale).ok()) {
    return Mismatch(column, value, type);
  }
  // Spark rounds HALF_UP to the column's scale and rejects what then exceeds precision.
  if (scale > column.scale) {
    decimal = decimal.ReduceScaleBy(scale - column.scale, /*round=*/true);
  } else if (scale < column.scale) {
    if (precision - scale + column.scale > 38) return Mismatch(column, value, type);
    decimal = decimal.IncreaseScaleBy(column.scale - scale);
  }
  if (!decimal.FitsInPrecision(column.precision)) return Mismatch(column, value, type);
  INLET_JSON_APPEND(static_cast<arrow::Decimal128Builder*>(column.builder)->Append(decimal));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendTemporal(Column& column, ondemand::value value, JsonType type) {
  if (column.kind == TypeKind::kTimestamp && type == JsonType::number) {
    // Spark reads an integer timestamp as seconds since the epoch.
    constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000000;
    int64_t seconds;
    const error_code error = value.get_int64().get(seconds);
    if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_OUT_OF_RANGE ||
        (error == simdjson::SUCCESS && (seconds > kMaxSeconds || seconds < -kMaxSeconds))) {
      return Mismatch(column, value, type);
    }
    SIMDJSON_TRY(error);
    INLET_JSON_APPEND(static_cast<arrow::TimestampBuilder*>(column.builder)->Append(seconds * 1000000));
    return simdjson::SUCCESS;
  }
  if (type != JsonType::string) return Mismatch(column, value, type);
  std::string_view text;
  SIMDJSON_TRY(value.get_string().get(text));
  if (column.kind == TypeKind::kDate) {
    const auto days = ParseSparkDate(text);
    if (!days) return Mismatch(column, value, type);
    INLET_JSON_APPEND(static_cast<arrow::Date32Builder*>(column.builder)->Append(*days));
  } else {
    const auto micros = ParseSparkTimestamp(text);
    if (!micros) return Mismatch(column, value, type);
    INLET_JSON_APPEND(static_cast<arrow::TimestampBuilder*>(column.builder)->Append(*micros));
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendBinary(Column& column, ondemand::value value, JsonType type) {
  if (type != JsonType::string) return Mismatch(column, value, type);
  std::string_view text;
  SIMDJSON_TRY(value.get_string().get(text));
  if (!DecodeBase64(text, &scratch_)) return Mismatch(column, value, type);
  INLET_JSON_APPEND(static_cast<arrow::BinaryBuilder*>(column.builder)->Append(scratch_));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendNested(Column& column, ondemand::value value, JsonType type) {
  if (column.kind == TypeKind::kArray) {
    if (type != JsonType::array) return Mismatch(column, value, type);
    ondemand::array array;
    SIMDJSON_TRY(value.get_array().get(array));
    INLET_JSON_APPEND(static_cast<arrow::ListBuilder*>(column.builder)->Append());
    for (auto element : array) {
      SIMDJSON_TRY(element.error());
      SIMDJSON_TRY(AppendValue(column.children[0], element.value_unsafe()));
    }
    return simdjson::SUCCESS;
  }
  if (type != JsonType::object) return Mismatch(column, value, type);
  ondemand::object object;
  SIMDJSON_TRY(value.get_object().get(object));
  if (column.kind == TypeKind::kStruct) {
    INLET_JSON_APPEND(static_cast<arrow::StructBuilder*>(column.builder)->Append());
    return AppendObject(column, object);
  }
  // A map: every key, in document order (duplicates kept, as a JSON map would show them).
  INLET_JSON_APPEND(static_cast<arrow::MapBuilder*>(column.builder)->Append());
  auto* key_builder = static_cast<arrow::StringBuilder*>(column.children[0].builder);
  for (auto field_result : object) {
    SIMDJSON_TRY(field_result.error());
    ondemand::field& field = field_result.value_unsafe();
    std::string_view key;
    SIMDJSON_TRY(field.unescaped_key().get(key));
    INLET_JSON_APPEND(key_builder->Append(key));
    SIMDJSON_TRY(AppendValue(column.children[1], field.value()));
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendNull(Column& column) {
  INLET_JSON_APPEND(column.builder->AppendNull());
  return simdjson::SUCCESS;
}

// Off the hot path: a value of the wrong JSON type. Scalars are still validated, so a
// broken literal such as `tru` fails the record instead of passing as a mismatch.
error_code RecordConverter::Mismatch(Column& column, ondemand::value value, JsonType type) {
  switch (type) {
    case JsonType::boolean: {
      bool b;
      SIMDJSON_TRY(value.get_bool().get(b));
      break;
    }
    case JsonType::number: {
      double d;
      const error_code error = value.get_double().get(d);
      if (error != simdjson::NUMBER_OUT_OF_RANGE) SIMDJSON_TRY(error);
      break;
    }
    case JsonType::string: {
      std::string_view s;
      SIMDJSON_TRY(value.get_string().get(s));
      break;
    }
    default:
      break;  // objects and arrays are skipped (and checked structurally) by the iterator
  }
  ++type_mismatches_;
  return AppendNull(column);
}

}  // namespace inlet::json
