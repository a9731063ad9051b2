// JSON values -> Arrow builders, dispatching on the schema's type for each value: the
// fast path (rare cases live in json_convert_rescue.cc).
#include "inlet/formats/json/json_convert.h"

#include <arrow/api.h>
#include <arrow/table_builder.h>
#include <arrow/util/decimal.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>

#include "inlet/formats/json/json_column.h"
#include "inlet/formats/json/json_convert_append.h"
#include "inlet/formats/json/json_inference_guess.h"
#include "inlet/formats/json/json_raw_text.h"
#include "inlet/formats/temporal.h"
#include "inlet/formats/json/json_validate.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/util/strings.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using JsonType = ondemand::json_type;
using convert_internal::AppendScalar;
using convert_internal::AppendText;

namespace {

// Rows the builders reserve up front: a batch's worth, unless the schema is so wide that
// this would take more than kReservedBytes (8 bytes a leaf a row); builders grow as needed.
// 30,000 columns reserving 8192 rows each held 1.9 GB for a file of one record.
constexpr int64_t kReservedBytes = 16LL << 20;

int64_t CountLeaves(const DataTypePtr& type) {
  if (type == nullptr) return 1;
  int64_t leaves = 0;
  switch (type->kind) {
    case TypeKind::kStruct:
      for (const Field& field : type->fields) leaves += CountLeaves(field.type);
      return std::max<int64_t>(leaves, 1);
    case TypeKind::kArray:
      return 1 + CountLeaves(type->element);
    case TypeKind::kMap:
      return 1 + CountLeaves(type->key) + CountLeaves(type->value);
    default:
      return 1;
  }
}

int64_t ReservedRows(const Schema& schema, int64_t batch_rows) {
  int64_t leaves = 0;
  for (const Field& field : schema.fields) leaves += CountLeaves(field.type);
  return std::clamp<int64_t>(kReservedBytes / (8 * std::max<int64_t>(leaves, 1)), 1, batch_rows);
}

// Names that raw_json_string::unsafe_is_equal can compare against a key's raw bytes: an
// escaped key never equals such a name byte for byte, so a miss just falls back.
bool IsPlainName(const std::string& name) {
  for (unsigned char c : name) {
    if (c == '"' || c == '\\' || c < 0x20) return false;
  }
  return true;
}

}  // namespace

namespace {

using Column = RecordConverter::Column;

Status BuildColumn(const DataType& type, arrow::ArrayBuilder* builder, FieldPath path, Column* out);

FieldPath Child(const FieldPath& path, const std::string& name) {
  FieldPath child = path;
  child.push_back(name);
  return child;
}

Status BuildStructFields(const std::vector<const Field*>& fields,
                         const std::vector<arrow::ArrayBuilder*>& builders, const FieldPath& path,
                         Column* out) {
  out->children.resize(fields.size());
  for (size_t i = 0; i < fields.size(); ++i) {
    const Field& field = *fields[i];
    INLET_RETURN_NOT_OK(BuildColumn(*field.type, builders[i], Child(path, field.name), &out->children[i]));
    out->names.push_back(field.name);
    out->plain.push_back(IsPlainName(field.name) ? 1 : 0);
    // emplace keeps the first of two same-named fields, matching "first wins" for keys.
    out->index.emplace(field.name, static_cast<uint32_t>(i));
    out->lower_index.emplace(AsciiLower(field.name), static_cast<uint32_t>(i));
  }
  out->seen.assign(fields.size(), 0);
  out->follow.resize(fields.size() + 1);
  for (size_t i = 0; i < fields.size(); ++i) out->follow[i] = static_cast<uint32_t>(i + 1);
  out->follow[fields.size()] = 0;
  return Status::OK();
}

Status BuildColumn(const DataType& type, arrow::ArrayBuilder* builder, FieldPath path, Column* out) {
  out->kind = type.kind;
  out->builder = builder;
  out->precision = type.precision;
  out->scale = type.scale;
  switch (type.kind) {
    case TypeKind::kStruct: {
      auto* struct_builder = static_cast<arrow::StructBuilder*>(builder);
      std::vector<arrow::ArrayBuilder*> builders;
      std::vector<const Field*> fields;
      for (int i = 0; i < struct_builder->num_fields(); ++i) {
        builders.push_back(struct_builder->field_builder(i));
        fields.push_back(&type.fields[static_cast<size_t>(i)]);
      }
      return BuildStructFields(fields, builders, path, out);
    }
    case TypeKind::kArray:
      out->children.resize(1);
      return BuildColumn(*type.element, static_cast<arrow::ListBuilder*>(builder)->value_builder(),
                         Child(path, "element"), &out->children[0]);
    case TypeKind::kMap: {
      if (type.key->kind != TypeKind::kString) {
        return Status::NotImplemented("JSON maps need string keys, not ", type.key->TypeName());
      }
      auto* map_builder = static_cast<arrow::MapBuilder*>(builder);
      out->children.resize(2);
      INLET_RETURN_NOT_OK(
          BuildColumn(*type.key, map_builder->key_builder(), Child(path, "key"), &out->children[0]));
      return BuildColumn(*type.value, map_builder->item_builder(), Child(path, "value"), &out->children[1]);
    }
    default:
      out->path = std::move(path);
      return Status::OK();
  }
}

// String columns an inference guess saw only nulls in become kNull, which reads as string
// but flags the record (AppendValue), since such a value may change what is inferred.
void MarkNullOnly(const std::vector<FieldPath>& paths, Column* column) {
  for (Column& child : column->children) {
    if (child.kind == TypeKind::kString && !child.path.empty() &&
        std::find(paths.begin(), paths.end(), child.path) != paths.end()) {
      child.kind = TypeKind::kNull;
    }
    MarkNullOnly(paths, &child);
  }
}

}  // namespace


RecordConverter::RecordConverter() = default;
RecordConverter::~RecordConverter() = default;

Result<std::unique_ptr<RecordConverter>> RecordConverter::Make(const Schema& schema,
                                                               const JsonReadOptions& options,
                                                               const std::string& path) {
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowStorageSchema(schema));
  std::unique_ptr<RecordConverter> converter(new RecordConverter());
  INLET_ASSIGN_OR_RAISE(auto output_schema, ToArrowSchema(schema));
  if (!output_schema->Equals(*arrow_schema)) converter->output_schema_ = std::move(output_schema);
  INLET_ASSIGN_OR_RAISE(converter->batch_builder_,
                        arrow::RecordBatchBuilder::Make(arrow_schema, arrow::default_memory_pool(),
                                                        ReservedRows(schema, options.batch_rows)));
  converter->root_ = std::make_unique<Column>();
  converter->root_->kind = TypeKind::kStruct;
  // The rescued data and corrupt record columns are no fields of the JSON: the root never
  // matches a key to them (such a key is an unknown field), and the converter fills them.
  const std::string& rescue_name = options.rescued_data_column;
  const std::string& corrupt_name = options.corrupt_record_column;
  if (!rescue_name.empty() && rescue_name == corrupt_name) {
    return Status::Invalid("the rescued data column and the corrupt record column are both '", rescue_name,
                           "': they must differ");
  }
  bool rescue_found = false;
  std::vector<const Field*> fields;
  std::vector<arrow::ArrayBuilder*> builders;
  for (int i = 0; i < converter->batch_builder_->num_fields(); ++i) {
    const Field& field = schema.fields[static_cast<size_t>(i)];
    const bool is_rescue = !rescue_name.empty() && !rescue_found && field.name == rescue_name;
    const bool is_corrupt = !corrupt_name.empty() && converter->corrupt_index_ < 0 && field.name == corrupt_name;
    if (is_rescue || is_corrupt) {
      if (field.type->kind != TypeKind::kString) {
        return Status::Invalid(is_rescue ? "rescued data column '" : "corrupt record column '", field.name,
                               "' must be a string column, not ", field.type->TypeName());
      }
      auto* builder = static_cast<arrow::StringBuilder*>(converter->batch_builder_->GetField(i));
      if (is_rescue) {
        rescue_found = true;
        converter->rescue_builder_ = builder;
      } else {
        converter->corrupt_index_ = i;
        converter->corrupt_builder_ = builder;
      }
      continue;
    }
    fields.push_back(&field);
    builders.push_back(converter->batch_builder_->GetField(i));
  }
  if (!rescue_name.empty() && !rescue_found) {
    return Status::Invalid("rescued data column '", rescue_name, "' is not a top-level column of the schema");
  }
  if (!corrupt_name.empty() && converter->corrupt_index_ < 0) {
    return Status::Invalid("corrupt record column '", corrupt_name, "' is not a top-level column of the schema");
  }
  converter->mode_ = options.mode;
  converter->max_corrupt_bytes_ = std::max<int64_t>(options.max_record_bytes, 0);
  INLET_RETURN_NOT_OK(BuildStructFields(fields, builders, FieldPath{}, converter->root_.get()));
  if (options.inference_check != nullptr) {
    MarkNullOnly(static_cast<const InferenceCheck*>(options.inference_check)->guess().null_only_paths(), converter->root_.get());
  }
  // Spark writes "_file_path" as a URI: an absolute local path becomes file:/path.
  const std::string& file_path = options.file_path.empty() ? path : options.file_path;
  AppendJsonString(file_path.starts_with('/') ? "file:" + file_path : file_path, &converter->file_path_json_);
  converter->case_sensitive_ = options.case_sensitive;
  converter->temporal_ = options.temporal;
  converter->stop_on_new_fields_ = options.stop_on_new_fields;
  converter->collect_widenings_ = options.collect_widenings;
  converter->allow_non_numeric_ = options.dialect.allow_non_numeric_numbers;
  converter->variant_parser_ =
      JsonVariantParser({.allow_non_numeric_numbers = options.dialect.allow_non_numeric_numbers});
  if (!options.single_variant_column.empty()) {
    const auto& columns = converter->root_->children;
    if (columns.size() != 1 || columns[0].kind != TypeKind::kVariant ||
        fields[0]->name != options.single_variant_column) {
      return Status::Invalid("singleVariantColumn '", options.single_variant_column,
                             "': the schema must be that one VARIANT column (and the corrupt record column)");
    }
    converter->single_variant_ = true;
  }
  converter->key_checks_ = rescue_found || !options.case_sensitive || options.stop_on_new_fields;
  return converter;
}

namespace {

// String data grows its buffer step by step, copying it each time. Batches of a file are
// alike, so each string column reserves the bytes its last batch held once the builders
// are reset.
void NoteDataBytes(Column& column) {
  if ((column.kind == TypeKind::kString || column.kind == TypeKind::kNull) && column.builder != nullptr) {
    column.last_data_bytes = static_cast<arrow::StringBuilder*>(column.builder)->value_data_length();
  }
  for (Column& child : column.children) NoteDataBytes(child);
}

Status ReserveDataBytes(Column& column) {
  if (column.last_data_bytes > 0) {
    INLET_RETURN_NOT_OK(static_cast<arrow::StringBuilder*>(column.builder)->ReserveData(column.last_data_bytes));
  }
  for (Column& child : column.children) INLET_RETURN_NOT_OK(ReserveDataBytes(child));
  return Status::OK();
}

}  // namespace

Result<std::shared_ptr<arrow::RecordBatch>> RecordConverter::Flush() {
  const int64_t rows = num_rows_;
  num_rows_ = 0;
  last_rescued_row_ = -1;
  if (corrupt_builder_ != nullptr) INLET_RETURN_NOT_OK(FillCorruptColumn(rows));
  NoteDataBytes(*root_);
  INLET_ASSIGN_OR_RAISE(auto batch, batch_builder_->Flush(/*reset_builders=*/true));
  INLET_RETURN_NOT_OK(ReserveDataBytes(*root_));
  // With no columns the builder cannot know the row count; the rows still happened.
  if (batch->num_columns() == 0) batch = arrow::RecordBatch::Make(batch->schema(), rows, arrow::ArrayVector{});
  if (ARROW_PREDICT_FALSE(!malformed_rows_.empty() || !discarded_rows_.empty())) {
    INLET_ASSIGN_OR_RAISE(batch, ApplyMalformed(std::move(batch)));
  }
  if (output_schema_ == nullptr) return batch;
  std::vector<std::shared_ptr<arrow::ArrayData>> columns;
  for (int i = 0; i < batch->num_columns(); ++i) {
    columns.push_back(RetypeArrayData(batch->column_data(i), output_schema_->field(i)->type()));
  }
  return arrow::RecordBatch::Make(output_schema_, batch->num_rows(), std::move(columns));
}

error_code RecordConverter::BuilderFailed(Status status) {
  builder_status_ = std::move(status);
  return simdjson::MEMALLOC;
}

error_code RecordConverter::AppendRecord(ondemand::object record) {
  rescued_.Clear();
  suspect_ = false;
  unchecked_ = false;
  collection_depth_ = 0;
  mismatches_before_record_ = type_mismatches_;  // taken back if the record is malformed
  const error_code error = AppendObject(*root_, record);
  if (ARROW_PREDICT_FALSE(error != simdjson::SUCCESS && error != kRescued)) {
    if (error == kNewField) std::reverse(new_field_path_.begin(), new_field_path_.end());
    return error;
  }
  if (rescue_builder_ != nullptr) {
    if (error == kRescued) {
      INLET_JSON_APPEND(rescue_builder_->Append(rescued_.Finish(file_path_json_)));
      ++rescued_records_;
      last_rescued_row_ = num_rows_;
    } else {
      INLET_JSON_APPEND(rescue_builder_->AppendNull());
    }
  }
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
//    nulls for missing fields is skipped when every field was present;
//  - rescue, case variants and new-field stops cost nothing here until they happen: an
//    unknown key calls out only when such an option is set (key_checks_), and a child's
//    rescue or stop comes back through the error code that is checked anyway.
error_code RecordConverter::AppendObject(Column& column, ondemand::object object) {
  const uint64_t epoch = ++column.epoch;
  const size_t num_fields = column.children.size();
  const size_t rescue_from = rescued_.size();  // this struct's rescued members start here
  bool rescued = false;
  size_t matched = 0;
  size_t previous = num_fields;  // "before the first key"
  size_t predicted = column.follow[previous];
  for (auto field_result : object) {
    SIMDJSON_TRY(field_result.error());
    ondemand::field& field = field_result.value_unsafe();
    std::string_view key;  // unescaped; set only when the prediction missed
    if (ARROW_PREDICT_FALSE(overridden_ != nullptr) && IsOverridden(field.key().raw())) {
      SIMDJSON_TRY(field.unescaped_key().get(key));
      SIMDJSON_TRY(SkipDuplicate(key, field, &rescued));
      continue;
    }
    size_t slot;
    if (predicted < num_fields && column.plain[predicted] &&
        raw_text::RawKeyEquals(field.key().raw(), column.names[predicted])) {
      slot = predicted;
    } else {
      SIMDJSON_TRY(field.unescaped_key().get(key));
      auto it = column.index.find(key);
      if (it != column.index.end()) {
        slot = it->second;
      } else {
        if (!key_checks_) {  // not in the schema: ignored, but read whole to check it
          suspect_ = true;
          SIMDJSON_TRY(ValidateValue(field.value(), allow_non_numeric_, &lenient_string_));
          continue;
        }
        SIMDJSON_TRY(UnmatchedKey(column, field, key, &slot, &rescued));
        if (slot == kNoSlot) continue;
      }
    }
    if (ARROW_PREDICT_FALSE(column.seen[slot] == epoch)) {  // a duplicate key
      if (overridden_ == nullptr) return kDuplicateKey;        // read again: the last wins
      SIMDJSON_TRY(SkipDuplicate(key.data() ? key : column.names[slot], field, &rescued));
      continue;
    }
    column.seen[slot] = epoch;
    ++matched;
    column.follow[previous] = static_cast<uint32_t>(slot);
    previous = slot;
    predicted = column.follow[slot];
    const error_code error = AppendValue(column.children[slot], field.value());
    if (ARROW_PREDICT_FALSE(error != simdjson::SUCCESS)) {
      SIMDJSON_TRY(ChildFailed(error, column, slot, key, &rescued));
    }
  }
  if (matched < num_fields) {
    for (size_t i = 0; i < num_fields; ++i) {
      if (column.seen[i] != epoch) SIMDJSON_TRY(AppendNull(column.children[i]));
    }
  }
  if (ARROW_PREDICT_FALSE(rescued)) {
    pending_nested_ = true;
    pending_from_ = rescue_from;
    return kRescued;
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendValue(Column& column, ondemand::value& value) {
  JsonType type;
  const error_code type_error = value.type().get(type);
  if (ARROW_PREDICT_FALSE(type_error != simdjson::SUCCESS)) return AppendUntyped(column, value, type_error);
  if (type == JsonType::null) {
    bool is_null = false;
    SIMDJSON_TRY(value.is_null().get(is_null));
    if (!is_null) return simdjson::N_ATOM_ERROR;
    return ARROW_PREDICT_FALSE(column.kind == TypeKind::kVariant) ? AppendVariantNull(column) : AppendNull(column);
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
      INLET_JSON_APPEND(AppendScalar(static_cast<arrow::BooleanBuilder*>(column.builder), b));
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
    case TypeKind::kVariant:
      return AppendVariant(column, value);
    case TypeKind::kNull:
      suspect_ = true;  // a guess's null-only column (MarkNullOnly)
      return AppendString(column, value, type);
  }
  return Mismatch(column, value, type);
}

error_code RecordConverter::AppendNested(Column& column, ondemand::value& value, JsonType type) {
  const JsonType expected = column.kind == TypeKind::kArray ? JsonType::array : JsonType::object;
  if (type != expected) return Mismatch(column, value, type);
  if (column.kind == TypeKind::kStruct) {
    ondemand::object object;
    SIMDJSON_TRY(value.get_object().get(object));
    INLET_JSON_APPEND(static_cast<arrow::StructBuilder*>(column.builder)->Append());
    return AppendObject(column, object);
  }
  // With a rescued data column, a rescued part of an array or map rescues all of it:
  // remember where it starts ('[' or '{'); its end is looked for only if needed.
  const char* open = nullptr;
  if (rescue_builder_ != nullptr) {
    open = value.raw_json_token().data();
    ++collection_depth_;
  }
  bool rescued = false;
  if (column.kind == TypeKind::kArray) {
    ondemand::array array;
    SIMDJSON_TRY(value.get_array().get(array));
    INLET_JSON_APPEND(static_cast<arrow::ListBuilder*>(column.builder)->Append());
    for (auto element : array) {
      SIMDJSON_TRY(element.error());
      const error_code error = AppendValue(column.children[0], element.value_unsafe());
      if (ARROW_PREDICT_FALSE(error != simdjson::SUCCESS)) {
        SIMDJSON_TRY(CollectionFailed(error, "element", &rescued));
      }
    }
  } else {
    // A map: every key, in document order (duplicates kept, as a JSON map would show them).
    ondemand::object object;
    SIMDJSON_TRY(value.get_object().get(object));
    INLET_JSON_APPEND(static_cast<arrow::MapBuilder*>(column.builder)->Append());
    auto* key_builder = static_cast<arrow::StringBuilder*>(column.children[0].builder);
    for (auto field_result : object) {
      SIMDJSON_TRY(field_result.error());
      ondemand::field& field = field_result.value_unsafe();
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      INLET_JSON_APPEND(key_builder->Append(key));
      const error_code error = AppendValue(column.children[1], field.value());
      if (ARROW_PREDICT_FALSE(error != simdjson::SUCCESS)) {
        SIMDJSON_TRY(CollectionFailed(error, "value", &rescued));
      }
    }
  }
  if (open == nullptr) return simdjson::SUCCESS;
  --collection_depth_;
  return ARROW_PREDICT_FALSE(rescued) ? CollectionRescued(open) : simdjson::SUCCESS;
}

error_code RecordConverter::AppendNull(Column& column) {
  INLET_JSON_APPEND(column.builder->AppendNull());
  return simdjson::SUCCESS;
}

}  // namespace inlet::json
