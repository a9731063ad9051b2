// RecordConverter off its fast path: type mismatches, keys that match no field exactly
// (case variants, new fields), rescued data, new-field stops and type widenings.
#include <arrow/api.h>

#include <algorithm>
#include <cmath>

#include "inlet/formats/json/json_column.h"
#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_validate.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using JsonType = ondemand::json_type;

// A value of the wrong JSON type: null in the column, counted, and rescued when there is
// a rescued data column. Scalars are still validated, so a broken literal such as `tru`
// fails the record instead of passing as a mismatch.
error_code RecordConverter::Mismatch(Column& column, ondemand::value& value, JsonType type) {
  suspect_ = true;
  if (collect_widenings_ && type == JsonType::number) NoteWidening(column, value);
  std::string_view raw;
  if (type == JsonType::object || type == JsonType::array) unchecked_ = true;
  if (rescue_builder_ != nullptr) {
    SIMDJSON_TRY(RawJsonText(value, &raw, allow_non_numeric_));  // validates scalars too
  } else {
    switch (type) {
      case JsonType::boolean: {
        bool b;
        SIMDJSON_TRY(value.get_bool().get(b));
        break;
      }
      case JsonType::number: {
        const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
        if (!ScanNumberToken(token).valid && !(allow_non_numeric_ && NonNumericNumber(token))) {
          return simdjson::NUMBER_ERROR;
        }
        break;
      }
      case JsonType::string: {
        std::string_view s;
        SIMDJSON_TRY(GetString(value, &s));
        break;
      }
      default:
        break;  // objects and arrays are skipped (and checked structurally) by the iterator
    }
  }
  ++type_mismatches_;
  SIMDJSON_TRY(AppendNull(column));
  if (rescue_builder_ == nullptr) return simdjson::SUCCESS;
  pending_raw_ = raw;
  pending_nested_ = false;
  return kRescued;
}

// Which wider type would have held this number (Delta's type widening: byte/short/int ->
// long or double, float -> double; never long -> double).
void RecordConverter::NoteWidening(Column& column, ondemand::value& value) {
  uint8_t widened = 0;
  switch (column.kind) {
    case TypeKind::kInteger:
    case TypeKind::kShort:
    case TypeKind::kByte: {
      int64_t i;
      if (value.get_int64().get(i) == simdjson::SUCCESS) {
        widened = 1;  // integral, beyond this column's range: long
      } else {
        double d;
        if (GetDouble(value, &d) == simdjson::SUCCESS && std::isfinite(d)) widened = 2;
      }
      break;
    }
    case TypeKind::kFloat: {
      double d;
      if (GetDouble(value, &d) == simdjson::SUCCESS && std::isfinite(d)) widened = 2;
      break;
    }
    default:
      break;
  }
  if (widened <= column.widened) return;
  if (column.widened == 0) widened_.push_back(&column);
  column.widened = widened;
}

void RecordConverter::CollectWidenings(std::vector<TypeWidening>* widenings) const {
  for (const Column* column : widened_) {
    MergeWidening(column->path, column->widened == 2 ? DataType::Double() : DataType::Long(), widenings);
  }
}

// A key that matches no field exactly: a case variant of one (read into it, or rescued),
// or a new field (stop, or rescue). `*slot` is kNoSlot unless the value goes to a column.
error_code RecordConverter::UnmatchedKey(Column& column, ondemand::field& field, std::string_view key,
                                         size_t* slot, bool* rescued) {
  suspect_ = true;
  *slot = kNoSlot;
  lower_key_.assign(key);
  for (char& c : lower_key_) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  auto it = column.lower_index.find(std::string_view(lower_key_));
  if (it != column.lower_index.end()) {
    if (!case_sensitive_) {
      *slot = it->second;
      return simdjson::SUCCESS;
    }
  } else if (stop_on_new_fields_) {
    new_field_path_.assign(1, std::string(key));
    return kNewField;
  }
  if (rescue_builder_ == nullptr) {  // ignored, but read whole to check it
    return ValidateValue(field.value(), allow_non_numeric_, &lenient_string_);
  }
  return RescueField(key, field.value(), rescued);
}

bool RecordConverter::IsOverridden(const char* raw_key) const {
  return std::binary_search(overridden_->begin(), overridden_->end(), raw_key);
}

// An occurrence of a key that another occurrence in the same object overrides: rescued
// under its key when there is a rescued data column (nothing is lost), else checked and
// skipped.
error_code RecordConverter::SkipDuplicate(std::string_view key, ondemand::field& field, bool* rescued) {
  suspect_ = true;
  if (rescue_builder_ != nullptr) return RescueField(key, field.value(), rescued);
  return ValidateValue(field.value(), allow_non_numeric_, &lenient_string_);
}

// A whole field rescued under its original key (inside an array or map, only marked: the
// collection is rescued whole, and On-Demand skips the value).
error_code RecordConverter::RescueField(std::string_view key, ondemand::value value, bool* rescued) {
  *rescued = true;
  unchecked_ = true;  // skipped, or copied as raw text
  if (collection_depth_ > 0) return simdjson::SUCCESS;
  std::string_view raw;
  SIMDJSON_TRY(RawJsonText(value, &raw, allow_non_numeric_));
  rescued_.AddMember(key, raw);
  return simdjson::SUCCESS;
}

// A struct field's value came back with something other than SUCCESS: a rescue to write
// under the field's original key, a new-field stop to prefix with the column's name, or an
// error to pass on.
error_code RecordConverter::ChildFailed(error_code error, const Column& column, size_t slot,
                                        std::string_view key, bool* rescued) {
  if (error == kNewField) {
    new_field_path_.push_back(column.names[slot]);  // reversed by AppendRecord
    return kNewField;
  }
  if (error != kRescued) return error;
  *rescued = true;
  if (collection_depth_ > 0) return simdjson::SUCCESS;
  if (key.data() == nullptr) key = column.names[slot];  // matched by prediction: same bytes
  if (pending_nested_) {
    rescued_.WrapMembers(pending_from_, key);
  } else {
    rescued_.AddMember(key, pending_raw_);
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::CollectionFailed(error_code error, const char* segment, bool* rescued) {
  if (error == kRescued) {
    *rescued = true;
    return simdjson::SUCCESS;
  }
  if (error == kNewField) new_field_path_.push_back(segment);
  return error;
}

// The array or map starting at `open` had a rescued part: hand all of it up.
error_code RecordConverter::CollectionRescued(const char* open) {
  if (collection_depth_ == 0) pending_raw_ = EnclosedJson(open);
  pending_nested_ = false;
  return kRescued;
}

// A token simdjson cannot type: a non-numeric number (NaN, Infinity, +INF) when Spark's
// allowNonNumericNumbers is on, else the record's JSON error. Doubles take its value,
// strings its text; any other column a mismatch, rescued as written.
error_code RecordConverter::AppendUntyped(Column& column, ondemand::value& value, error_code error) {
  const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
  const auto number = allow_non_numeric_ ? NonNumericNumber(token) : std::nullopt;
  if (!number) return error;
  suspect_ = true;  // inference calls it a double: a guess must check it
  arrow::Status appended;
  switch (column.kind) {
    case TypeKind::kDouble:
      appended = static_cast<arrow::DoubleBuilder*>(column.builder)->Append(*number);
      break;
    case TypeKind::kFloat:
      appended = static_cast<arrow::FloatBuilder*>(column.builder)->Append(static_cast<float>(*number));
      break;
    case TypeKind::kString:
    case TypeKind::kNull:
      appended = static_cast<arrow::StringBuilder*>(column.builder)->Append(token);
      break;
    default:
      return Mismatch(column, value, simdjson::ondemand::json_type::number);
  }
  return appended.ok() ? simdjson::SUCCESS : BuilderFailed(std::move(appended));
}

// A string value unescaped; one with a lone surrogate escape (`"\ud800"`, which Jackson
// reads) gets U+FFFD in its place instead of failing the record.
error_code RecordConverter::GetString(ondemand::value& value, std::string_view* text) {
  const error_code error = value.get_string().get(*text);
  if (ARROW_PREDICT_TRUE(error != simdjson::STRING_ERROR)) return error;
  if (!UnescapeStringLeniently(value.raw_json_token().data() + 1, &lenient_string_)) return error;
  *text = lenient_string_;
  return simdjson::SUCCESS;
}

}  // namespace inlet::json
