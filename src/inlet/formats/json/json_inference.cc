// JSON schema inference: walks sampled records with simdjson On-Demand and folds each
// value into the running type with the lattice of schema/inference.h.
#include "inlet/formats/json/json_inference.h"

#include <atomic>
#include <filesystem>
#include <thread>

#include <algorithm>
#include <string_view>

#include "inlet/formats/json/json_input.h"
#include "inlet/schema/inference.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

// Folds values into a running type. Equivalent to MergeInferredTypes(current,
// TypeOf(value)), but when the value adds nothing (the steady state of sampling: records
// shaped like the ones before) it reports "unchanged" and touches no shared_ptr at all:
// copying the shared type singletons would make every thread's reference counting fight
// over the same cache lines.
class TypeFolder {
 public:
  explicit TypeFolder(bool infer_column_types)
      : infer_column_types_(infer_column_types), null_(DataType::Null()) {}

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
        ondemand::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        return FoldObject(object, current, out, changed);
      }
      case ondemand::json_type::array:
        return FoldArray(value, current, out, changed);
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
    for (auto field_result : object) {
      SIMDJSON_TRY(field_result.error());
      ondemand::field& field = field_result.value_unsafe();
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      size_t slot = fields->size();
      if (predicted < fields->size() && (*fields)[predicted].name == key) {
        slot = predicted;
      } else {
        for (size_t i = 0; i < fields->size(); ++i) {
          if ((*fields)[i].name == key) {
            slot = i;
            break;
          }
        }
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
        copy.push_back(Field{std::string(key), std::move(after)});
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
  // A scalar's inferred kind; `digits` for an integer too wide for long (a decimal).
  error_code LeafKind(ondemand::value value, ondemand::json_type type, TypeKind* kind, int* digits) {
    switch (type) {
      case ondemand::json_type::string: {
        std::string_view text;
        SIMDJSON_TRY(value.get_string().get(text));
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

  error_code FoldLeaf(ondemand::value value, ondemand::json_type type, const DataTypePtr& current,
                      DataTypePtr* out, bool* changed) {
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

// Folds one whole-document record (an NDJSON line or a multiLine object).
Status FoldRecord(TypeFolder& folder, ondemand::value record, const std::string& path, int64_t line,
                  DataTypePtr* root) {
  ondemand::json_type type;
  error_code error = record.type().get(type);
  if (!error && type != ondemand::json_type::object) {
    return Status::Invalid(path, ":", line, ": record is not a JSON object");
  }
  ondemand::object object;
  if (!error) error = record.get_object().get(object);
  DataTypePtr next;
  bool changed = false;
  if (!error) error = folder.FoldObject(object, *root, &next, &changed);
  if (error) return Status::Invalid(path, ":", line, ": invalid JSON: ", simdjson::error_message(error));
  if (changed) *root = std::move(next);
  return Status::OK();
}

Status InferLines(TypeFolder& folder, const std::string& path, const InferenceOptions& options,
                  int64_t* sampled_bytes, DataTypePtr* root) {
  NdjsonLineReader reader;
  INLET_RETURN_NOT_OK(reader.Open(path));
  ondemand::parser parser;
  JsonLine line;
  while (*sampled_bytes < options.max_bytes) {
    INLET_ASSIGN_OR_RAISE(bool more, reader.Next(&line));
    if (!more) break;
    *sampled_bytes += static_cast<int64_t>(line.size) + 1;
    ondemand::document doc;
    error_code error = parser.iterate(line.data, line.size, line.capacity).get(doc);
    ondemand::value record;
    if (!error) error = doc.get_value().get(record);
    if (error == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
      return Status::Invalid(path, ":", line.number, ": record is not a JSON object");
    }
    if (error) {
      return Status::Invalid(path, ":", line.number, ": invalid JSON: ", simdjson::error_message(error));
    }
    INLET_RETURN_NOT_OK(FoldRecord(folder, record, path, line.number, root));
    const char* rest = nullptr;
    if (doc.current_location().get(rest) == simdjson::SUCCESS) {
      return Status::Invalid(path, ":", line.number, ": unexpected content after the record's object");
    }
  }
  return Status::OK();
}

Status InferMultiLine(TypeFolder& folder, const std::string& path, int64_t* sampled_bytes,
                      DataTypePtr* root) {
  INLET_ASSIGN_OR_RAISE(simdjson::padded_string text, ReadPaddedFile(path));
  *sampled_bytes += static_cast<int64_t>(text.size());
  const std::string_view view(text.data(), text.size());
  ondemand::parser parser;
  ondemand::document doc;
  error_code error = parser.iterate(text).get(doc);
  if (error == simdjson::EMPTY) return Status::OK();
  auto line_here = [&]() {
    const char* at = nullptr;
    if (doc.current_location().get(at) != simdjson::SUCCESS) return LineOfOffset(view, view.size());
    return LineOfOffset(view, static_cast<size_t>(at - text.data()));
  };
  ondemand::json_type type = ondemand::json_type::null;
  if (!error) error = doc.type().get(type);
  if (error)
    return Status::Invalid(path, ":", line_here(), ": invalid JSON: ", simdjson::error_message(error));
  if (type != ondemand::json_type::array) {
    ondemand::value record;
    error = doc.get_value().get(record);
    if (error == simdjson::SCALAR_DOCUMENT_AS_VALUE) {
      return Status::Invalid(path, ":1: record is not a JSON object");
    }
    if (error)
      return Status::Invalid(path, ":", line_here(), ": invalid JSON: ", simdjson::error_message(error));
    return FoldRecord(folder, record, path, 1, root);
  }
  ondemand::array records;
  error = doc.get_array().get(records);
  if (error)
    return Status::Invalid(path, ":", line_here(), ": invalid JSON: ", simdjson::error_message(error));
  for (auto element : records) {
    if (element.error()) {
      return Status::Invalid(path, ":", line_here(),
                             ": invalid JSON: ", simdjson::error_message(element.error()));
    }
    const int64_t line = line_here();
    INLET_RETURN_NOT_OK(FoldRecord(folder, element.value_unsafe(), path, line, root));
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
  TypeFolder folder(options.infer_column_types);
  InferenceOptions limited = options;
  limited.max_bytes = file.byte_budget;
  int64_t sampled_bytes = 0;
  file.status = options.multi_line ? InferMultiLine(folder, file.path, &sampled_bytes, &file.root)
                                   : InferLines(folder, file.path, limited, &sampled_bytes, &file.root);
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
