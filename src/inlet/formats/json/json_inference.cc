// JSON schema inference: walks sampled records with simdjson On-Demand and folds each
// value into the running type with the lattice of schema/inference.h.
#include "inlet/formats/json/json_inference.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <string_view>
#include <thread>

#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_raw_text.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/schema/inference.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using raw_text::HasEscape;
using raw_text::PlainNumberKind;
using raw_text::PlainStringPrefix;
using raw_text::SameBytes;

namespace {

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
  TypeFolder(bool infer_column_types, int max_depth)
      : infer_column_types_(infer_column_types), max_depth_(max_depth), null_(DataType::Null()) {}

  void BeginRecord() { depth_ = 1; }

  // Sets *changed and, only when true, *out.
  error_code Fold(ondemand::value value, const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    *changed = false;
    ondemand::json_type type;
    SIMDJSON_TRY(value.type().get(type));
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
        for (size_t i = 0; i < fields->size(); ++i) {
          if (SameName((*fields)[i].name, key)) {
            slot = i;
            break;
          }
        }
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
  // Whether the key whose raw JSON text starts at `raw` is `name`, read in place. Exact
  // while no name holds a '"' or backslash (every name here came from a key this folder
  // read): then equal bytes followed by a '"' are a whole key without escapes. Names are
  // short enough for the read to stay inside the document's padding.
  bool RawKeyIs(const char* raw, const std::string& name) const {
    return !quote_or_backslash_names_ && raw_text::RawKeyEquals(raw, name);
  }

  // A scalar's inferred kind; `digits` for an integer too wide for long (a decimal).
  [[gnu::always_inline]] error_code LeafKind(ondemand::value value, ondemand::json_type type, TypeKind* kind,
                                             int* digits) {
    switch (type) {
      case ondemand::json_type::string: {
        // Only escapes can make a string stage 1 accepted invalid: unescape only then. The
        // value is consumed either way: left unread, an iterator moving on would take a
        // string followed by ':' for a key and miss that the record is malformed.
        if (HasEscape(value.raw_json_token().data() + 1)) {
          std::string_view text;
          SIMDJSON_TRY(value.get_string().get(text));
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
    if (plain != TypeKind::kNull) {
      *kind = infer_column_types_ ? plain : TypeKind::kString;
      return simdjson::SUCCESS;
    }
    int64_t integer;
    const error_code error = value.get_int64().get(integer);
    if (error == simdjson::SUCCESS) {
      *kind = infer_column_types_ ? TypeKind::kLong : TypeKind::kString;
      return simdjson::SUCCESS;
    }
    if (error != simdjson::INCORRECT_TYPE && error != simdjson::NUMBER_OUT_OF_RANGE) return error;
    std::string_view token = value.raw_json_token();
    double d;
    SIMDJSON_TRY(value.get_double().get(d));
    if (!infer_column_types_) {
      *kind = TypeKind::kString;
      return simdjson::SUCCESS;
    }
    if (!token.empty() && token[0] == '-') token.remove_prefix(1);
    size_t count = 0;
    while (count < token.size() && token[count] >= '0' && token[count] <= '9') ++count;
    const bool integral = count == token.size() || token[count] == ' ' || token[count] == '\t' ||
                          token[count] == '\r' || token[count] == '\n';
    if (integral && count <= 38) {
      *kind = TypeKind::kDecimal;
      *digits = static_cast<int>(count);
    } else {
      *kind = TypeKind::kDouble;
    }
    return simdjson::SUCCESS;
  }

  [[gnu::always_inline]] error_code FoldLeaf(ondemand::value value, ondemand::json_type type,
                                             const DataTypePtr& current, DataTypePtr* out, bool* changed) {
    TypeKind kind = TypeKind::kString;
    int digits = 0;
    SIMDJSON_TRY(LeafKind(value, type, &kind, &digits));
    // What the lattice keeps unchanged: the same primitive kind, string absorbing any
    // scalar, double absorbing long.
    if (current && current->is_primitive() && kind != TypeKind::kDecimal && current->kind != TypeKind::kNull &&
        (current->kind == kind || current->kind == TypeKind::kString ||
         (current->kind == TypeKind::kDouble && kind == TypeKind::kLong))) {
      return simdjson::SUCCESS;
    }
    DataTypePtr leaf = kind == TypeKind::kDecimal ? DataType::Decimal(digits, 0) : LeafOf(kind);
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
  int max_depth_;
  int depth_ = 1;
  bool quote_or_backslash_names_ = false;  // a key read so far unescaped to one
  const DataTypePtr null_;
  const DataTypePtr no_type_;
  const std::vector<Field> empty_;
};

// Java's String.compareTo order (UTF-16 code units), which Spark sorts inferred fields by;
// it differs from UTF-8 byte order only between U+E000..U+FFFF and astral characters.
uint32_t NextUnit(std::string_view s, size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  const int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  uint32_t cp = extra == 0 ? c : c & (0x3F >> extra);
  for (int k = 1; k <= extra && *i + k < s.size(); ++k) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  }
  *i += extra + 1;
  return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp;  // its first surrogate
}

bool JavaNameLess(const std::string& a, const std::string& b) {
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    const uint32_t x = NextUnit(a, &i);
    const uint32_t y = NextUnit(b, &j);
    if (x != y) return x < y;
  }
  return i >= a.size() && j < b.size();
}

DataTypePtr SortDeep(const DataTypePtr& type) {
  switch (type->kind) {
    case TypeKind::kStruct: {
      std::vector<Field> fields = type->fields;
      for (Field& field : fields) field.type = SortDeep(field.type);
      std::stable_sort(fields.begin(), fields.end(),
                       [](const Field& x, const Field& y) { return JavaNameLess(x.name, y.name); });
      return DataType::Struct(std::move(fields));
    }
    case TypeKind::kArray:
      return DataType::Array(SortDeep(type->element), type->contains_null);
    case TypeKind::kMap:
      return DataType::Map(type->key, SortDeep(type->value), type->value_contains_null);
    default:
      return type;
  }
}

// One file's sample. A malformed record (json_reader.h's ParseMode) shapes nothing: it
// is skipped, or fails the inference under FAILFAST.
class FileSample {
 public:
  FileSample(const std::string& path, const InferenceOptions& options, DataTypePtr* root)
      : path_(path), options_(options), folder_(options.infer_column_types, options.max_nesting_depth), root_(root) {}

  Status Lines(int64_t byte_budget);
  Status MultiLine();

 private:
  Status Malformed(int64_t line, int64_t offset, const std::string& reason) const {
    if (options_.mode != ParseMode::kFailFast) return Status::OK();
    return Status::Invalid(path_, ":", line, " (byte ", offset, "): ", reason);
  }
  std::string Reason(error_code error) const {
    return error == simdjson::DEPTH_ERROR ? TooDeepReason(options_.max_nesting_depth) : JsonErrorReason(error);
  }
  // Folds a record that must be an object into `next` (not yet into the root: the caller
  // commits once nothing after it makes it malformed). Sets *reason when it is malformed,
  // and returns the JSON error if there was one (the iterator cannot go on after it).
  template <typename Record>
  error_code Fold(Record& record, DataTypePtr* next, bool* changed, std::string* reason) {
    ondemand::json_type type;
    error_code error = record.type().get(type);
    if (!error && type != ondemand::json_type::object) {
      *reason = NotAnObjectReason(type);
      return simdjson::SUCCESS;
    }
    ondemand::object object;
    if (!error) error = record.get_object().get(object);
    folder_.BeginRecord();
    if (!error) error = folder_.FoldObject(object, *root_, next, changed);
    if (error) *reason = Reason(error);
    return error == simdjson::DEPTH_ERROR ? simdjson::SUCCESS : error;  // ours: the iterator is fine
  }

  const std::string& path_;
  const InferenceOptions& options_;
  TypeFolder folder_;
  DataTypePtr* root_;
};

Status FileSample::Lines(int64_t byte_budget) {
  NdjsonLineReader reader;
  INLET_RETURN_NOT_OK(reader.Open(path_));
  reader.SetLineLimit(options_.max_record_bytes, 0);
  ondemand::parser parser;
  JsonLine line;
  int64_t sampled_bytes = 0;
  while (sampled_bytes < byte_budget) {
    INLET_ASSIGN_OR_RAISE(bool more, reader.Next(&line));
    if (!more) break;
    sampled_bytes += (line.oversized ? line.full_size : static_cast<int64_t>(line.size)) + 1;
    if (line.oversized) {
      INLET_RETURN_NOT_OK(Malformed(line.number, line.offset, TooLongReason(options_.max_record_bytes)));
      continue;
    }
    ondemand::document doc;
    const error_code error = parser.iterate(line.data, line.size, line.capacity).get(doc);
    if (error) {
      INLET_RETURN_NOT_OK(Malformed(line.number, line.offset, JsonErrorReason(error)));
      continue;
    }
    DataTypePtr next;
    bool changed = false;
    std::string reason;
    Fold(doc, &next, &changed, &reason);
    const char* rest = nullptr;
    if (reason.empty() && doc.current_location().get(rest) == simdjson::SUCCESS) {
      reason = JsonErrorReason(simdjson::TRAILING_CONTENT);
    }
    if (!reason.empty()) {
      INLET_RETURN_NOT_OK(Malformed(line.number, line.offset, reason));
      continue;
    }
    if (changed) *root_ = std::move(next);
  }
  return Status::OK();
}

Status FileSample::MultiLine() {
  INLET_ASSIGN_OR_RAISE(PaddedFile file, ReadPaddedFile(path_, options_.max_record_bytes, 0));
  if (file.oversized) return Malformed(1, 0, TooLongReason(options_.max_record_bytes));
  const std::string_view view(file.text.data(), file.text.size());
  const size_t first = view.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::OK();  // no records
  // As ReadJsonFile: an array is parsed up to its end when something follows it.
  size_t parsed = view.size();
  if (TrimTrailingJsonSpace(view).back() != (view[first] == '[' ? ']' : '}')) {
    const size_t end = EndOfFirstContainer(view);
    if (end != std::string_view::npos) {
      if (view[first] != '[') return Malformed(1, 0, JsonErrorReason(simdjson::TRAILING_CONTENT));
      parsed = end;
    }
  }
  ondemand::parser parser;
  ondemand::document doc;
  error_code error = parser.iterate(file.text.data(), parsed, file.text.size() + simdjson::SIMDJSON_PADDING).get(doc);
  if (error) return Malformed(1, 0, JsonErrorReason(error));
  auto here = [&]() -> size_t {
    const char* at = nullptr;
    if (doc.current_location().get(at) != simdjson::SUCCESS) return view.size();
    return static_cast<size_t>(at - file.text.data());
  };
  ondemand::json_type type = ondemand::json_type::null;
  error = doc.type().get(type);
  if (error) return Malformed(LineOfOffset(view, here()), 0, JsonErrorReason(error));
  DataTypePtr next;
  bool changed = false;
  std::string reason;
  if (type != ondemand::json_type::array) {
    Fold(doc, &next, &changed, &reason);
    const char* rest = nullptr;
    if (reason.empty() && doc.current_location().get(rest) == simdjson::SUCCESS) {
      reason = JsonErrorReason(simdjson::TRAILING_CONTENT);
    }
    if (!reason.empty()) return Malformed(LineOfOffset(view, here()), 0, reason);
    if (changed) *root_ = std::move(next);
    return Status::OK();
  }
  ondemand::array records;
  error = doc.get_array().get(records);
  if (error) return Malformed(LineOfOffset(view, here()), 0, JsonErrorReason(error));
  for (auto element : records) {
    if (element.error()) {
      // The iterator cannot go on: the rest of the file is skipped.
      const size_t at = here();
      return Malformed(LineOfOffset(view, at), static_cast<int64_t>(at), JsonErrorReason(element.error()));
    }
    const size_t start = static_cast<size_t>(element.value_unsafe().raw_json_token().data() - view.data());
    changed = false;
    reason.clear();
    error = Fold(element.value_unsafe(), &next, &changed, &reason);
    if (!reason.empty()) {
      INLET_RETURN_NOT_OK(Malformed(LineOfOffset(view, start), static_cast<int64_t>(start), reason));
      // Past a value that was not an object, or nested too deep, the array goes on (the
      // iterator skips the rest of it); past a JSON error it cannot.
      if (error) return Status::OK();
      continue;
    }
    if (changed) *root_ = std::move(next);
  }
  const size_t rest = std::min(here(), parsed);
  if (rest < TrimTrailingJsonSpace(view).size()) {
    return Malformed(LineOfOffset(view, rest), static_cast<int64_t>(rest), "unexpected content after the top-level array");
  }
  return Status::OK();
}

// One sampled file: how many bytes of it may still be read, and what it infers.
struct SampledFile {
  std::string path;
  int64_t byte_budget = 0;
  DataTypePtr root;
  Status status;
};

// The files the sample takes, in order, with the bytes each may read, as a sequential
// pass would: stop after max_files, or once max_bytes have been read (mid-file).
std::vector<SampledFile> PlanSample(const std::vector<std::string>& paths, const InferenceOptions& options) {
  std::vector<SampledFile> sample;
  int64_t planned_bytes = 0;
  for (const std::string& path : paths) {
    if (static_cast<int64_t>(sample.size()) >= options.max_files || planned_bytes >= options.max_bytes) break;
    std::error_code error;
    const auto size = std::filesystem::file_size(path, error);
    sample.push_back(SampledFile{path, options.max_bytes - planned_bytes, nullptr, Status::OK()});
    planned_bytes += error ? 0 : static_cast<int64_t>(size);
  }
  return sample;
}

void InferFile(const InferenceOptions& options, SampledFile& file) {
  FileSample sample(file.path, options, &file.root);
  file.status = options.multi_line ? sample.MultiLine() : sample.Lines(file.byte_budget);
}

}  // namespace

Result<Schema> InferJsonSchema(const std::vector<std::string>& paths, const InferenceOptions& options) {
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  std::vector<SampledFile> sample = PlanSample(paths, options);
  // Files are inferred independently (in parallel) and joined in file order: the join of
  // the inference lattice is associative and commutative, so this is what one pass gives.
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < sample.size(); i = next.fetch_add(1)) InferFile(options, sample[i]);
  };
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(options.threads, 1)), sample.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();

  DataTypePtr root;
  for (SampledFile& file : sample) {
    INLET_RETURN_NOT_OK(file.status);
    if (!file.root) continue;
    root = root ? MergeInferredTypes(root, file.root) : file.root;
  }
  if (!root || root->kind != TypeKind::kStruct) return Schema{};
  Schema finalized = FinalizeInferredSchema(Schema{root->fields});
  return Schema{SortDeep(DataType::Struct(std::move(finalized.fields)))->fields};
}

}  // namespace inlet::json
