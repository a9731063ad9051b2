// The inference guess: heads of the sampled files inferred up front, and the per-thread
// check of the records the converter flags while the first batch is read with it.
#include "inlet/formats/json/json_inference_guess.h"

#include <algorithm>
#include <limits>

#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_type_folder.h"
#include "inlet/schema/inference.h"

namespace inlet::json {
namespace {

// A 32nd of each file, at least 64 KB and at most 1 MB: enough records to meet the
// fields a producer writes, and to see that a file comes from another producer, for
// about 3% of the sample's bytes read twice.
constexpr int64_t kMinHeadBytes = 64 << 10;
constexpr int64_t kMaxHeadBytes = 1 << 20;

int64_t HeadBytes(int64_t file_size) { return std::clamp<int64_t>(file_size / 32, kMinHeadBytes, kMaxHeadBytes); }

bool HasDecimal(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kDecimal:
      return true;
    case TypeKind::kStruct:
      return std::any_of(type.fields.begin(), type.fields.end(), [](const Field& f) { return HasDecimal(*f.type); });
    case TypeKind::kArray:
      return HasDecimal(*type.element);
    case TypeKind::kMap:
      return HasDecimal(*type.key) || HasDecimal(*type.value);
    default:
      return false;
  }
}

void CollectNullOnly(const DataType& type, FieldPath& path, std::vector<FieldPath>* out) {
  switch (type.kind) {
    case TypeKind::kNull:
      out->push_back(path);
      return;
    case TypeKind::kStruct:
      for (const Field& field : type.fields) {
        path.push_back(field.name);
        CollectNullOnly(*field.type, path, out);
        path.pop_back();
      }
      return;
    case TypeKind::kArray:
      path.push_back("element");
      CollectNullOnly(*type.element, path, out);
      path.pop_back();
      return;
    default:
      return;
  }
}

DataTypePtr Join(DataTypePtr root, const std::vector<DataTypePtr>& folded) {
  for (const DataTypePtr& part : folded) root = MergeInferredTypes(root, part);
  return root;
}

}  // namespace

Result<std::shared_ptr<const InferenceGuess>> InferenceGuess::Make(const std::vector<std::string>& paths,
                                                                  const InferenceOptions& options,
                                                                  size_t max_sample_files) {
  if (options.multi_line) return nullptr;
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  std::vector<inference::SampledFile> heads = inference::PlanSample(paths, options);
  if (heads.size() > max_sample_files) return nullptr;
  for (inference::SampledFile& file : heads) {
    if (file.byte_budget < file.size) return nullptr;  // the sample ends inside this file
    file.byte_budget = HeadBytes(file.size);
  }
  inference::InferSampledFiles(heads, options);
  DataTypePtr root;
  for (const inference::SampledFile& file : heads) {
    if (!file.status.ok()) return nullptr;  // inference proper says what is wrong
    if (file.root) root = root ? MergeInferredTypes(root, file.root) : file.root;
  }
  std::shared_ptr<InferenceGuess> guess(new InferenceGuess());
  guess->schema_ = inference::CanonicalInferredSchema(root, options);
  if (guess->schema_.fields.empty() || HasDecimal(*DataType::Struct(guess->schema_.fields))) return nullptr;
  guess->options_ = options;
  guess->root_ = root;
  guess->sample_files_ = heads.size();
  FieldPath path;
  CollectNullOnly(*root, path, &guess->null_only_paths_);
  return std::shared_ptr<const InferenceGuess>(std::move(guess));
}

struct InferenceCheck::Parser {
  explicit Parser(const InferenceOptions& options)
      : folder(options.infer_column_types, options.max_nesting_depth, options.dialect.allow_non_numeric_numbers,
               options.prefers_decimal) {}
  simdjson::ondemand::parser parser;
  inference::TypeFolder folder;
};

InferenceCheck::InferenceCheck(std::shared_ptr<const InferenceGuess> guess)
    : guess_(std::move(guess)), parser_(std::make_unique<Parser>(guess_->options())), folded_(guess_->root()) {}

InferenceCheck::~InferenceCheck() = default;

bool InferenceCheck::Admit(const JsonLine& line) {
  const InferenceOptions& options = guess_->options();
  DataTypePtr candidate = folded_;
  const std::string reason = inference::FoldNdjsonLine(parser_->parser, parser_->folder, line, options.max_record_bytes,
                                                       options.max_nesting_depth, options.dialect, &candidate);
  if (!reason.empty() || candidate == folded_) return true;  // malformed, or nothing new
  if (inference::CanonicalInferredSchema(candidate, options) != guess_->schema()) return false;
  folded_ = std::move(candidate);
  return true;
}

bool GuessHolds(const InferenceGuess& guess, const std::vector<DataTypePtr>& folded) {
  return inference::CanonicalInferredSchema(Join(guess.root(), folded), guess.options()) == guess.schema();
}

Result<Schema> InferAfterRefutedGuess(const InferenceGuess& guess, const std::vector<DataTypePtr>& folded,
                                      const std::vector<std::string>& unchecked_paths) {
  InferenceOptions options = guess.options();
  // The guess was only made for a sample of whole files: these are read whole too.
  options.max_files = static_cast<int64_t>(unchecked_paths.size());
  options.max_bytes = std::numeric_limits<int64_t>::max();
  std::vector<inference::SampledFile> sample = inference::PlanSample(unchecked_paths, options);
  inference::InferSampledFiles(sample, options);
  DataTypePtr root = Join(guess.root(), folded);
  for (const inference::SampledFile& file : sample) {
    INLET_RETURN_NOT_OK(inference::SampledFileStatus(file, options));
    if (file.root) root = MergeInferredTypes(root, file.root);
  }
  return inference::CanonicalInferredSchema(root, options);
}

std::unique_ptr<formats::InferenceCheck> InferenceGuess::NewCheck() const {
  return std::make_unique<InferenceCheck>(shared_from_this());
}

bool InferenceGuess::Holds(const std::vector<DataTypePtr>& folded) const { return GuessHolds(*this, folded); }

Result<Schema> InferenceGuess::InferAfterRefuted(const std::vector<DataTypePtr>& folded,
                                                 const std::vector<std::string>& unchecked_paths) const {
  return InferAfterRefutedGuess(*this, folded, unchecked_paths);
}

}  // namespace inlet::json
