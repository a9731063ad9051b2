// JSON schema inference: walks sampled records with simdjson On-Demand and folds each
// value into the running type with the lattice of schema/inference.h.
#include "inlet/formats/json/json_inference.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <string_view>
#include <thread>

#include "inlet/formats/json/json_dialect.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_type_folder.h"
#include "inlet/schema/inference.h"
#include "inlet/storage/file_system.h"

namespace inlet::json {
namespace inference {
namespace {

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
      : path_(path), options_(options), folder_(options.infer_column_types, options.max_nesting_depth, options.dialect.allow_non_numeric_numbers,
                options.prefers_decimal),
        root_(root) {}

  Status Lines(int64_t byte_budget);
  Status MultiLine();

 private:
  Status Malformed(int64_t line, int64_t offset, const std::string& reason) const {
    if (options_.mode != ParseMode::kFailFast) return Status::OK();
    return Status::Invalid(path_, ":", line, " (byte ", offset, "): ", reason);
  }
  struct DeferredError {
    int64_t line;
    int64_t offset;
    std::string reason;
  };
  // A JSON error in a multiLine document: reported as malformed, or, while the lenient
  // dialect may still rewrite the document, kept for MultiLine to decide.
  Status JsonError(int64_t line, int64_t offset, const std::string& reason) {
    if (rewritten_ || !options_.dialect.NeedsRewrite()) return Malformed(line, offset, reason);
    deferred_ = DeferredError{line, offset, reason};
    return Status::OK();
  }
  Status Document(std::string_view view, size_t capacity);
  template <typename Record>
  error_code Fold(Record& record, DataTypePtr* next, bool* changed, std::string* reason) {
    return FoldRecord(record, folder_, options_.max_nesting_depth, *root_, next, changed, reason);
  }

  // A position in the document folded (the file's or its rewrite) as the file's own.
  int64_t SourceOffset(size_t at) const {
    return static_cast<int64_t>(rewritten_ ? rewrite_offsets_.ToSource(at, source_.size()) : at);
  }
  int64_t SourceLine(size_t at) const { return LineOfOffset(source_, static_cast<size_t>(SourceOffset(at))); }

  const std::string& path_;
  const InferenceOptions& options_;
  TypeFolder folder_;
  DataTypePtr* root_;
  std::optional<DeferredError> deferred_;  // multiLine: a JSON error a rewrite may fix
  bool rewritten_ = false;                 // multiLine: folding the lenient rewrite
  std::string_view source_;                // multiLine: the file's text
  RewriteOffsets rewrite_offsets_;         // multiLine: where the rewrite's bytes came from
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
    const std::string reason =
        FoldNdjsonLine(parser, folder_, line, options_.max_record_bytes, options_.max_nesting_depth, options_.dialect,
                       root_);
    if (!reason.empty()) INLET_RETURN_NOT_OK(Malformed(line.number, line.offset, reason));
  }
  return Status::OK();
}

Status FileSample::MultiLine() {
  INLET_ASSIGN_OR_RAISE(PaddedFile file, ReadPaddedFile(path_, options_.max_record_bytes, 0));
  if (file.oversized) return Malformed(1, 0, TooLongReason(options_.max_record_bytes));
  const std::string_view view(file.text.data(), file.text.size());
  source_ = view;
  INLET_RETURN_NOT_OK(Document(view, file.text.size() + simdjson::SIMDJSON_PADDING));
  if (!deferred_) return Status::OK();
  // As the reader does: a document strict JSON refused is folded again as rewritten from
  // Spark's lenient dialect (folding what was folded before again changes nothing).
  std::string lenient;
  size_t size = 0;
  if (RewriteLenientJson(view, options_.dialect, &lenient, &size, &rewrite_offsets_)) {
    deferred_.reset();
    rewritten_ = true;
    return Document(std::string_view(lenient.data(), size), lenient.size());
  }
  const DeferredError error = *deferred_;
  return Malformed(error.line, error.offset, error.reason);
}

// One multiLine document, `capacity` bytes of it readable.
Status FileSample::Document(std::string_view view, size_t capacity) {
  const size_t first = view.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::OK();  // no records
  // As ReadJsonFile: an array is parsed up to its end when something follows it.
  size_t parsed = view.size();
  if (TrimTrailingJsonSpace(view).back() != (view[first] == '[' ? ']' : '}')) {
    const size_t end = EndOfFirstContainer(view);
    if (end != std::string_view::npos) {
      if (view[first] != '[') return JsonError(1, 0, JsonErrorReason(simdjson::TRAILING_CONTENT));
      parsed = end;
    }
  }
  ondemand::parser parser;
  ondemand::document doc;
  error_code error = parser.iterate(view.data(), parsed, capacity).get(doc);
  if (error) return JsonError(1, 0, JsonErrorReason(error));
  auto here = [&]() -> size_t {
    const char* at = nullptr;
    if (doc.current_location().get(at) != simdjson::SUCCESS) return view.size();
    return static_cast<size_t>(at - view.data());
  };
  ondemand::json_type type = ondemand::json_type::null;
  error = doc.type().get(type);
  if (error) return JsonError(SourceLine(here()), 0, JsonErrorReason(error));
  DataTypePtr next;
  bool changed = false;
  std::string reason;
  if (type != ondemand::json_type::array) {
    Fold(doc, &next, &changed, &reason);
    const char* rest = nullptr;
    if (reason.empty() && doc.current_location().get(rest) == simdjson::SUCCESS) {
      reason = JsonErrorReason(simdjson::TRAILING_CONTENT);
    }
    if (!reason.empty()) return JsonError(SourceLine(here()), 0, reason);
    if (changed) *root_ = std::move(next);
    return Status::OK();
  }
  ondemand::array records;
  error = doc.get_array().get(records);
  if (error) return JsonError(SourceLine(here()), 0, JsonErrorReason(error));
  for (auto element : records) {
    if (element.error()) {
      // The iterator cannot go on: the rest of the file is skipped.
      const size_t at = here();
      return JsonError(SourceLine(at), SourceOffset(at), JsonErrorReason(element.error()));
    }
    const size_t start = static_cast<size_t>(element.value_unsafe().raw_json_token().data() - view.data());
    changed = false;
    reason.clear();
    error = Fold(element.value_unsafe(), &next, &changed, &reason);
    if (!reason.empty()) {
      // Past a value that was not an object, or nested too deep, the array goes on (the
      // iterator skips the rest of it); past a JSON error it cannot.
      if (error) return JsonError(SourceLine(start), SourceOffset(start), reason);
      INLET_RETURN_NOT_OK(Malformed(SourceLine(start), SourceOffset(start), reason));
      continue;
    }
    if (changed) *root_ = std::move(next);
  }
  const size_t rest = std::min(here(), parsed);
  if (rest < TrimTrailingJsonSpace(view).size()) {
    return JsonError(SourceLine(rest), SourceOffset(rest), "unexpected content after the top-level array");
  }
  return Status::OK();
}

void InferFile(const InferenceOptions& options, SampledFile& file) {
  FileSample sample(file.path, options, &file.root);
  file.status = options.multi_line ? sample.MultiLine() : sample.Lines(file.byte_budget);
}

}  // namespace

namespace {

// A line holding an array: each element a record, as the reader reads it (json_reader.cc),
// all folded or, when one is not an object or the text is not JSON, none.
std::string FoldArrayLine(ondemand::document& doc, TypeFolder& folder, int max_depth, DataTypePtr* root) {
  ondemand::array array;
  error_code error = doc.get_array().get(array);
  if (error) return JsonErrorReason(error);
  DataTypePtr folded = *root;
  std::string reason;
  for (auto element : array) {
    ondemand::value value;
    if ((error = element.get(value))) return JsonErrorReason(error);
    ondemand::json_type type = ondemand::json_type::null;
    if ((error = value.type().get(type))) return JsonErrorReason(error);
    if (type != ondemand::json_type::object) return NotAnObjectReason(type, true);
    DataTypePtr next;
    bool changed = false;
    FoldRecord(value, folder, max_depth, folded, &next, &changed, &reason);
    if (!reason.empty()) return reason;
    if (changed) folded = std::move(next);
  }
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) return JsonErrorReason(simdjson::TRAILING_CONTENT);
  *root = std::move(folded);
  return reason;
}

std::string FoldStrictLine(ondemand::parser& parser, TypeFolder& folder, const char* data, size_t size,
                           size_t capacity, int max_depth, DataTypePtr* root) {
  ondemand::document doc;
  error_code error = parser.iterate(data, size, capacity).get(doc);
  if (error) return JsonErrorReason(error);
  ondemand::json_type type = ondemand::json_type::null;
  if (doc.type().get(type) == simdjson::SUCCESS && type == ondemand::json_type::array) {
    return FoldArrayLine(doc, folder, max_depth, root);
  }
  DataTypePtr next;
  bool changed = false;
  std::string reason;
  FoldRecord(doc, folder, max_depth, *root, &next, &changed, &reason);
  const char* rest = nullptr;
  if (reason.empty() && doc.current_location().get(rest) == simdjson::SUCCESS) {
    reason = JsonErrorReason(simdjson::TRAILING_CONTENT);
  }
  if (reason.empty() && changed) *root = std::move(next);
  return reason;
}

}  // namespace

std::string FoldNdjsonLine(ondemand::parser& parser, TypeFolder& folder, const JsonLine& line,
                           int64_t max_record_bytes, int max_depth, const JsonDialect& dialect, DataTypePtr* root) {
  if (line.oversized) return TooLongReason(max_record_bytes);
  std::string reason = FoldStrictLine(parser, folder, line.data, line.size, line.capacity, max_depth, root);
  if (reason.empty() || !dialect.NeedsRewrite()) return reason;
  // As the reader does: a record Spark's lenient dialect makes valid is read as rewritten.
  thread_local std::string lenient;
  size_t size = 0;
  if (!RewriteLenientJson(std::string_view(line.data, line.size), dialect, &lenient, &size)) return reason;
  return FoldStrictLine(parser, folder, lenient.data(), size, lenient.size(), max_depth, root);
}

Schema CanonicalInferredSchema(const DataTypePtr& root, const InferenceOptions& options) {
  if (!root || root->kind != TypeKind::kStruct) return Schema{};
  Schema finalized = FinalizeInferredSchema(Schema{root->fields}, options.drop_field_if_all_null);
  return Schema{SortDeep(DataType::Struct(std::move(finalized.fields)))->fields};
}

std::vector<SampledFile> PlanSample(const std::vector<std::string>& paths, const InferenceOptions& options) {
  std::vector<SampledFile> sample;
  int64_t planned_bytes = 0;
  for (const std::string& path : paths) {
    if (static_cast<int64_t>(sample.size()) >= options.max_files || planned_bytes >= options.max_bytes) break;
    auto place = storage::Resolve("", path);
    auto info = place.ok() ? place->fs->Stat(place->path) : Result<std::optional<storage::FileInfo>>(place.status());
    const int64_t bytes = info.ok() && info->has_value() ? (*info)->size : 0;
    sample.push_back(SampledFile{path, options.max_bytes - planned_bytes, bytes, nullptr, Status::OK()});
    planned_bytes += bytes;
  }
  return sample;
}

void InferSampledFiles(std::vector<SampledFile>& sample, const InferenceOptions& options) {
  // Files are inferred independently (in parallel) and joined in file order by the
  // caller: the join of the inference lattice is associative and commutative, so this is
  // what one pass gives.
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next.fetch_add(1); i < sample.size(); i = next.fetch_add(1)) InferFile(options, sample[i]);
  };
  const size_t workers = std::min<size_t>(static_cast<size_t>(std::max(options.threads, 1)), sample.size());
  std::vector<std::thread> threads;
  for (size_t t = 1; t < workers; ++t) threads.emplace_back(work);
  work();
  for (auto& thread : threads) thread.join();
}

Status SampledFileStatus(const SampledFile& file, const InferenceOptions& options) {
  if (options.ignore_corrupt_files && file.status.IsIOError()) return Status::OK();
  return file.status;
}

}  // namespace inference

Result<Schema> InferJsonSchema(const std::vector<std::string>& paths, const InferenceOptions& options) {
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  std::vector<inference::SampledFile> sample = inference::PlanSample(paths, options);
  inference::InferSampledFiles(sample, options);
  DataTypePtr root;
  for (inference::SampledFile& file : sample) {
    INLET_RETURN_NOT_OK(inference::SampledFileStatus(file, options));
    if (!file.root) continue;
    root = root ? MergeInferredTypes(root, file.root) : file.root;
  }
  return inference::CanonicalInferredSchema(root, options);
}

}  // namespace inlet::json
