// Schema inference's inner loop, shared by InferJsonSchema (json_inference.cc) and the
// checks of an inference guess (json_inference_guess.cc): how one record's values fold
// into a running type, and how a sample is planned. Internal to formats/json.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inlet/formats/json/json_inference.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_raw_text.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_validate.h"
#include "inlet/schema/inference.h"
#include "inlet/schema/types.h"

namespace inlet::json::inference {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using raw_text::HasEscape;
using raw_text::PlainNumberKind;
using raw_text::PlainStringPrefix;
using raw_text::SameBytes;

// Whether a field is named `key`.
[[gnu::always_inline]] inline bool SameName(const std::string& name, std::string_view key) {
  return name.size() == key.size() && SameBytes(name.data(), key.data(), key.size());
}

// Folds values into a running type. Equivalent to MergeInferredTypes(current,
// TypeOf(value)), but when the value adds nothing (the steady state of sampling: records
// shaped like the ones before) it reports "unchanged" and touches no shared_ptr at all:
// copying the shared type singletons would make every thread's reference counting fight
// over the same cache lines.
// Recursion follows the JSON's nesting, so it is bounded: a value nested deeper than
// max_depth fails with DEPTH_ERROR (the record object is level 1; call BeginRecord first).
class TypeFolder {
 public:
  // `prefers_decimal`: Spark's prefersDecimal (numbers with a fraction or exponent as
  // decimals where one holds them).
  TypeFolder(bool infer_column_types, int max_depth, bool allow_non_numeric = true, bool prefers_decimal = false)
      : infer_column_types_(infer_column_types),
        allow_non_numeric_(allow_non_numeric),
        prefers_decimal_(prefers_decimal && infer_column_types),
        max_depth_(max_depth),
        null_(DataType::Null()) {}

  void BeginRecord() { depth_ = 1; }

  // Sets *changed and, only when true, *out.
  error_code Fold(ondemand::value value, const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    *changed = false;
    ondemand::json_type type;
    const error_code type_error = value.type().get(type);
    if (ARROW_PREDICT_FALSE(type_error != simdjson::SUCCESS)) {
      // NaN, Infinity, +INF: a double to Spark (allowNonNumericNumbers), else an error.
      if (!allow_non_numeric_ || !NonNumericNumber(TrimTrailingJsonSpace(value.raw_json_token()))) return type_error;
      return FoldKind(infer_column_types_ ? TypeKind::kDouble : TypeKind::kString, {}, current, out, changed);
    }
    switch (type) {
      case ondemand::json_type::null: {
        bool is_null = false;
        SIMDJSON_TRY(value.is_null().get(is_null));
        if (!is_null) return simdjson::N_ATOM_ERROR;
        if (!current) {
          *out = null_;
          *changed = true;
        }
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::object: {
        if (depth_ >= max_depth_) return simdjson::DEPTH_ERROR;
        ondemand::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        ++depth_;
        const error_code error = FoldObject(object, current, out, changed);
        --depth_;
        return error;
      }
      case ondemand::json_type::array: {
        if (depth_ >= max_depth_) return simdjson::DEPTH_ERROR;
        ++depth_;
        const error_code error = FoldArray(value, current, out, changed);
        --depth_;
        return error;
      }
      default:
        return FoldLeaf(value, type, current, out, changed);
    }
  }

  error_code FoldObject(ondemand::object object, const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    *changed = false;
    const bool is_struct = current && current->kind == TypeKind::kStruct;
    // `fields` is current's until something changes, then a private copy.
    const std::vector<Field>* fields = is_struct ? &current->fields : &empty_;
    std::vector<Field> copy;
    bool copied = false;
    size_t predicted = 0;
    std::string_view new_name;  // the current key when it names no field yet
    std::unordered_map<std::string, size_t> index;  // FindField's, for a large object only
    for (auto field_result : object) {
      SIMDJSON_TRY(field_result.error());
      ondemand::field& field = field_result.value_unsafe();
      const char* raw = field.key().raw();
      size_t slot = fields->size();
      if (predicted < fields->size() && RawKeyIs(raw, (*fields)[predicted].name)) {
        slot = predicted;  // the steady state: records list their fields in the same order
      } else {
        // A key without escapes is its own text: no copy into simdjson's string buffer.
        std::string_view key;
        const size_t plain = PlainStringPrefix(raw);
        if (raw[plain] == '"') {
          key = std::string_view(raw, plain);
        } else {
          SIMDJSON_TRY(field.unescaped_key().get(key));
          if (key.find_first_of("\"\\") != std::string_view::npos) quote_or_backslash_names_ = true;
        }
        slot = FindField(*fields, key, &index);
        if (slot == fields->size()) new_name = key;
      }
      predicted = slot + 1;
      const DataTypePtr& before = slot < fields->size() ? (*fields)[slot].type : no_type_;
      DataTypePtr after;
      bool field_changed = false;
      SIMDJSON_TRY(Fold(field.value(), before, &after, &field_changed));
      if (!field_changed) continue;
      if (!copied) {
        copy = *fields;
        fields = &copy;
        copied = true;
      }
      if (slot < copy.size()) {
        copy[slot].type = std::move(after);
      } else {
        if (!index.empty()) index.emplace(std::string(new_name), copy.size());
        copy.push_back(Field{std::string(new_name), std::move(after)});
      }
    }
    if (is_struct) {
      if (copied) {
        *out = DataType::Struct(std::move(copy));
        *changed = true;
      }
      return simdjson::SUCCESS;
    }
    DataTypePtr fresh = DataType::Struct(std::move(copy));
    *out = current ? MergeInferredTypes(current, fresh) : fresh;
    *changed = true;
    return simdjson::SUCCESS;
  }

  error_code FoldArray(ondemand::value value, const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    *changed = false;
    ondemand::array array;
    SIMDJSON_TRY(value.get_array().get(array));
    const bool is_array = current && current->kind == TypeKind::kArray;
    const DataTypePtr* element = is_array ? &current->element : &null_;
    DataTypePtr grown;  // the element type once an item changed it
    bool element_changed = false;
    for (auto item : array) {
      SIMDJSON_TRY(item.error());
      DataTypePtr next;
      bool item_changed = false;
      SIMDJSON_TRY(Fold(item.value_unsafe(), *element, &next, &item_changed));
      if (!item_changed) continue;
      grown = std::move(next);
      element = &grown;
      element_changed = true;
    }
    if (is_array && !element_changed) return simdjson::SUCCESS;
    DataTypePtr fresh = DataType::Array(*element);
    *out = current ? MergeInferredTypes(current, fresh) : fresh;
    *changed = true;
    return simdjson::SUCCESS;
  }

 private:
  // The slot of the field named `key` in `fields`, or fields.size(). A scan while the
  // object is small; past kIndexedFields a hash index of the object's names (`index`, one
  // per object folded: built on the first miss, then kept up to date as names are added),
  // so that a record with tens of thousands of keys costs linear time, not quadratic.
  static constexpr size_t kIndexedFields = 64;
  static size_t FindField(const std::vector<Field>& fields, std::string_view key,
                          std::unordered_map<std::string, size_t>* index) {
    if (fields.size() <= kIndexedFields) {
      for (size_t i = 0; i < fields.size(); ++i) {
        if (SameName(fields[i].name, key)) return i;
      }
      return fields.size();
    }
    if (index->empty()) {
      for (size_t i = 0; i < fields.size(); ++i) index->emplace(fields[i].name, i);  // the first wins
    }
    const auto it = index->find(std::string(key));
    return it == index->end() ? fields.size() : it->second;
  }

  // Whether the key whose raw JSON text starts at `raw` is `name`, read in place. Exact
  // while no name holds a '"' or backslash (every name here came from a key this folder
  // read): then equal bytes followed by a '"' are a whole key without escapes. Names are
  // short enough for the read to stay inside the document's padding.
  bool RawKeyIs(const char* raw, const std::string& name) const {
    return !quote_or_backslash_names_ && raw_text::RawKeyEquals(raw, name);
  }

  // A decimal leaf's precision and scale.
  struct DecimalDigits {
    int precision = 0;
    int scale = 0;
  };

  // A scalar's inferred kind; `decimal` for a decimal (an integer too wide for long, or a
  // number with prefersDecimal).
  [[gnu::always_inline]] error_code LeafKind(ondemand::value value, ondemand::json_type type, TypeKind* kind,
                                             DecimalDigits* decimal) {
    switch (type) {
      case ondemand::json_type::string: {
        // Only escapes can make a string stage 1 accepted invalid: unescape only then. The
        // value is consumed either way: left unread, an iterator moving on would take a
        // string followed by ':' for a key and miss that the record is malformed.
        if (HasEscape(value.raw_json_token().data() + 1)) {
          std::string_view text;
          const error_code error = value.get_string().get(text);
          // A lone surrogate escape is a string to Jackson (the reader keeps U+FFFD).
          if (error && (error != simdjson::STRING_ERROR ||
                        !UnescapeStringLeniently(value.raw_json_token().data() + 1, &scratch_))) {
            return error;
          }
        } else {
          ondemand::raw_json_string raw;
          SIMDJSON_TRY(value.get_raw_json_string().get(raw));
        }
        *kind = TypeKind::kString;
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::boolean: {
        bool b;
        SIMDJSON_TRY(value.get_bool().get(b));
        *kind = infer_column_types_ ? TypeKind::kBoolean : TypeKind::kString;
        return simdjson::SUCCESS;
      }
      default:
        break;
    }
    // A number: integers in range -> long; wider integers -> decimal(digits, 0) as Spark
    // does (double past 38 digits); anything with a fraction or exponent -> double.
    const TypeKind plain = PlainNumberKind(value.raw_json_token().data());
    if (plain != TypeKind::kNull && !(prefers_decimal_ && plain == TypeKind::kDouble)) {
      *kind = infer_column_types_ ? plain : TypeKind::kString;
      return simdjson::SUCCESS;
    }
    int64_t integer;
    const error_code error = value.get_int64().get(integer);
    if (error == simdjson::SUCCESS) {
      *kind = infer_column_types_ ? TypeKind::kLong : TypeKind::kString;
      return simdjson::SUCCESS;
    }
    std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
    const NumberShape shape = ScanNumberToken(token);
    if (!shape.valid) {
      if (!allow_non_numeric_ || !NonNumericNumber(token)) return simdjson::NUMBER_ERROR;  // -Infinity
      *kind = infer_column_types_ ? TypeKind::kDouble : TypeKind::kString;
      return simdjson::SUCCESS;
    }
    if (!infer_column_types_) {
      *kind = TypeKind::kString;
      return simdjson::SUCCESS;
    }
    // Beyond double's range (1e309) is still a double, as Spark infers it.
    if (shape.integral && shape.integer_digits <= 38) {
      *kind = TypeKind::kDecimal;
      decimal->precision = shape.integer_digits;
    } else if (prefers_decimal_ && !shape.integral) {
      *kind = PreferredDecimal(shape, decimal);
    } else {
      *kind = TypeKind::kDouble;
    }
    return simdjson::SUCCESS;
  }

  [[gnu::always_inline]] error_code FoldLeaf(ondemand::value value, ondemand::json_type type,
                                             const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    TypeKind kind = TypeKind::kString;
    DecimalDigits decimal;
    SIMDJSON_TRY(LeafKind(value, type, &kind, &decimal));
    return FoldKind(kind, decimal, current, out, changed);
  }

  // prefersDecimal: decimal(max(p, s), s) for the number's BigDecimal precision p and scale
  // s, as Spark types it, or double past 38 digits. A negative scale (1e5: 1 digit, scale
  // -5) is taken as its digits with scale 0 (decimal(6,0)), where Spark fails the
  // inference (NEGATIVE_SCALE_DISALLOWED).
  static TypeKind PreferredDecimal(const NumberShape& shape, DecimalDigits* decimal) {
    int64_t precision = shape.precision;
    int64_t scale = shape.scale;
    if (scale < 0) {
      precision -= scale;
      scale = 0;
    }
    precision = std::max(precision, scale);
    if (precision > 38) return TypeKind::kDouble;
    decimal->precision = static_cast<int>(precision);
    decimal->scale = static_cast<int>(scale);
    return TypeKind::kDecimal;
  }

  [[gnu::always_inline]] error_code FoldKind(TypeKind kind, DecimalDigits decimal, const DataTypePtr& current,
                                             DataTypePtr* out, bool* changed) {
    // What the lattice keeps unchanged: the same primitive kind, string absorbing any
    // scalar, double absorbing long.
    if (current && current->is_primitive() && kind != TypeKind::kDecimal && current->kind != TypeKind::kNull &&
        (current->kind == kind || current->kind == TypeKind::kString ||
         (current->kind == TypeKind::kDouble && kind == TypeKind::kLong))) {
      return simdjson::SUCCESS;
    }
    DataTypePtr leaf = kind == TypeKind::kDecimal ? DataType::Decimal(decimal.precision, decimal.scale) : LeafOf(kind);
    DataTypePtr merged = current ? MergeInferredTypes(current, leaf) : leaf;
    if (current && *merged == *current) return simdjson::SUCCESS;
    *out = std::move(merged);
    *changed = true;
    return simdjson::SUCCESS;
  }

  static DataTypePtr LeafOf(TypeKind kind) {
    switch (kind) {
      case TypeKind::kLong:
        return DataType::Long();
      case TypeKind::kDouble:
        return DataType::Double();
      case TypeKind::kBoolean:
        return DataType::Boolean();
      default:
        return DataType::String();
    }
  }

  bool infer_column_types_;
  bool allow_non_numeric_;
  bool prefers_decimal_;
  int max_depth_;
  std::string scratch_;  // a leniently unescaped string

  int depth_ = 1;
  bool quote_or_backslash_names_ = false;  // a key read so far unescaped to one
  const DataTypePtr null_;
  const DataTypePtr no_type_;
  const std::vector<Field> empty_;
};

// Folds a record that must be an object into `next` (not yet into `root`: the caller
// commits once nothing after it makes it malformed). Sets *reason when it is malformed,
// and returns the JSON error if there was one (the iterator cannot go on after it).
template <typename Record>
error_code FoldRecord(Record& record, TypeFolder& folder, int max_depth, const DataTypePtr& root,
                      DataTypePtr* next, bool* changed, std::string* reason) {
  ondemand::json_type type;
  error_code error = record.type().get(type);
  if (!error && type != ondemand::json_type::object) {
    *reason = NotAnObjectReason(type);
    return simdjson::SUCCESS;
  }
  ondemand::object object;
  if (!error) error = record.get_object().get(object);
  folder.BeginRecord();
  if (!error) error = folder.FoldObject(object, root, next, changed);
  if (error) *reason = error == simdjson::DEPTH_ERROR ? TooDeepReason(max_depth) : JsonErrorReason(error);
  return error == simdjson::DEPTH_ERROR ? simdjson::SUCCESS : error;  // ours: the iterator is fine
}

// One NDJSON line (as NdjsonLineReader hands it out) folded into *root as a sampled
// record: "" when it was folded, else why it is malformed (then *root is untouched).
// Records Spark's lenient dialect makes valid (json_dialect.h) are folded as rewritten.
std::string FoldNdjsonLine(ondemand::parser& parser, TypeFolder& folder, const JsonLine& line,
                           int64_t max_record_bytes, int max_depth, const JsonDialect& dialect, DataTypePtr* root);

// What InferJsonSchema returns for the folded root of every sampled record: null-only
// leaves as string, empty structs dropped, fields sorted as Spark sorts them.
// (options.drop_field_if_all_null: null-only fields dropped instead.)
Schema CanonicalInferredSchema(const DataTypePtr& root, const InferenceOptions& options);

// One sampled file: how many bytes of it may still be read, and what it infers.
struct SampledFile {
  std::string path;
  int64_t byte_budget = 0;
  int64_t size = 0;  // on disk when planned; 0 when it could not be read
  DataTypePtr root;
  Status status;
};

// The files the sample takes, in order, with the bytes each may read, as a sequential
// pass would: stop after max_files, or once max_bytes have been read (mid-file).
std::vector<SampledFile> PlanSample(const std::vector<std::string>& paths, const InferenceOptions& options);

// Infers every file of `sample` (each within its byte budget) on options.threads threads.
void InferSampledFiles(std::vector<SampledFile>& sample, const InferenceOptions& options);

// The status a sampled file's inference ends the whole inference with: its own, or OK when
// ignoreCorruptFiles keeps what was folded before a read error (IOError) in it, as Spark
// does (the batch that reads the file warns about it).
Status SampledFileStatus(const SampledFile& file, const InferenceOptions& options);

}  // namespace inlet::json::inference
