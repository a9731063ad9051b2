// FileRead: one JSON file's read into the RecordConverter, as ReadJsonFile (json_reader.h)
// drives it: NDJSON lines (json_file_read.cc) or a multiLine document
// (json_file_read_multiline.cc). Internal to formats/json.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_dialect.h"
#include "inlet/formats/json/json_inference_guess.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/formats/json/json_validate.h"

namespace inlet::json::file_read {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

// How far the converter got with a malformed record: not at all, part of it (a
// half-written row to complete), or all of it (a whole row to take back).
enum class Reached { kNothing, kPart, kAll };

// Why a record failed: `not_object` is set when it parsed but was not an object (or, with
// `in_array`, was an array holding something else).
struct RecordFailure {
  error_code error = simdjson::SUCCESS;
  bool not_object = false;
  bool in_array = false;
  ondemand::json_type found = ondemand::json_type::null;
  Reached reached = Reached::kNothing;
  std::string detail;  // the reason, when the error code alone cannot say it (a refused VARIANT value)
};

std::string FailureReason(const RecordFailure& failure);

// `failure` with the converter's error code; a refused VARIANT value also takes the
// converter's reason, which the code alone cannot say.
void SetConverterError(const RecordConverter& converter, simdjson::error_code error, RecordFailure* failure);
// `text` as valid UTF-8 (each invalid byte becomes U+FFFD), for the string column and the
// bad-record report, which must hold valid UTF-8 even when the record did not.
std::string ValidUtf8(std::string_view text);
// Content after the record's closing bracket (INCOMPLETE_ARRAY_OR_OBJECT from simdjson).
bool HasContentAfterContainer(std::string_view text);
// One record that is a whole document (an NDJSON line, or a multiLine file holding one
// object): must be an object with nothing after it.
RecordFailure AppendDocumentRecord(ondemand::document& doc, RecordConverter& converter);
// Where simdjson's iterator is in `text`, or its end.
size_t LocationIn(ondemand::document& doc, std::string_view text);

// One file's read: the converter, where batches go, and what malformed records do.
class FileRead {
 public:
  FileRead(const std::string& path, const JsonReadOptions& options, RecordConverter& converter,
           const BatchSink& sink, ParseCounts* counts)
      : path_(path), options_(options), converter_(converter), sink_(sink), counts_(counts) {}

  Status ReadLines();
  Status ReadMultiLine();

 private:
  // How much of an oversized record's text to keep: what the corrupt column and the
  // bad-record report need.
  size_t KeepBytes() const {
    int64_t keep = 0;
    if (options_.bad_record_sink) keep = std::max<int64_t>(keep, options_.bad_record_text_bytes);
    if (!options_.corrupt_record_column.empty() && options_.mode == ParseMode::kPermissive) {
      keep = std::max(keep, options_.max_record_bytes);
    }
    return static_cast<size_t>(std::clamp<int64_t>(keep, 0, std::max<int64_t>(options_.max_record_bytes, 0)));
  }

  // One malformed record: FAILFAST fails naming it; otherwise it is counted, reported to
  // the bad-record sink and kept as a null row or dropped.
  Status Malformed(int64_t line, int64_t offset, const std::string& reason, std::string_view raw,
                   bool raw_truncated, Reached reached);
  // A builder failure (out of memory): the read stops.
  Status BuilderFailed(int64_t line) const {
    const Status& status = converter_.builder_status();
    return status.WithMessage(path_, ":", line, ": ", status.message());
  }
  Status StopAtNewField(int64_t line) {
    counts_->new_field_line = line;
    counts_->new_field_path = converter_.new_field_path();
    return Status::OK();
  }
  // With an inference check: whether the record just read (malformed or not) keeps the
  // guess; only records the converter flagged, and malformed ones, are folded.
  bool KeepsGuess(const JsonLine& line, bool malformed) {
    // Only the JSON format's guess makes the checks a JSON read is given.
    auto* check = static_cast<InferenceCheck*>(options_.inference_check);
    const bool suspect = converter_.suspect() || array_suspect_;
    array_suspect_ = false;
    if (ARROW_PREDICT_TRUE(check == nullptr || (!malformed && !suspect))) return true;
    return check->Admit(line);
  }
  // The records of a line holding an array sit one level below it.
  int LineDepthLimit(const JsonLine& line) const {
    const std::string_view text(line.data, line.size);
    const size_t first = text.find_first_not_of(" \t\r");
    return options_.max_nesting_depth + (first != std::string_view::npos && text[first] == '[' ? 1 : 0);
  }
  Status Emit();
  Status EmitIfFull() {
    const bool full = converter_.num_rows() >= options_.batch_rows || text_since_emit_ >= options_.batch_bytes;
    return full ? Emit() : Status::OK();
  }
  Status EmitRest() { return converter_.num_rows() > 0 ? Emit() : Status::OK(); }
  Status ReadDocument(std::string_view text, size_t capacity, int64_t skip);
  template <typename WholeFile>
  Status ReadDocumentAsVariant(std::string_view text, const WholeFile& whole_file);
  // The multiLine file's text rewritten from Spark's lenient dialect into
  // lenient_document_, once per file, when that changes anything (single quotes, comments,
  // ...); a rewrite keeps an array's elements where they were, so a read goes on from the
  // element strict parsing refused (ReadRewrittenDocument).
  bool RewriteDocument();
  Status ReadRewrittenDocument(int64_t done);
  // Byte `at` of the text being read (the file's or its rewrite) as the file's own offset,
  // line and text: what a malformed record is reported with.
  size_t SourceOffset(size_t at) const {
    return rewritten_document_ ? rewrite_offsets_.ToSource(at, original_document_.size()) : at;
  }
  int64_t SourceLine(size_t at) const { return LineOfOffset(original_document_, SourceOffset(at)); }
  std::string_view SourceText(std::string_view text, size_t begin, size_t end) const {
    if (!rewritten_document_) return text.substr(begin, end - begin);
    const size_t source_begin = SourceOffset(begin);
    return original_document_.substr(source_begin, SourceOffset(end) - source_begin);
  }
  Status ReadArray(ondemand::parser& parser, ondemand::document& doc, std::string_view text, size_t parsed,
                   int64_t too_deep, int64_t skip);
  Status ReadArrayKeepingLastKeys(ondemand::parser& parser, std::string_view text, size_t parsed, int64_t too_deep,
                                  int64_t done);
  // One record in `data[0, size)` (`capacity` bytes readable): parsed, appended and checked.
  RecordFailure ParseAndAppend(ondemand::parser& parser, const char* data, size_t size, size_t capacity) {
    ondemand::document doc;
    RecordFailure failure;
    if (ARROW_PREDICT_FALSE(converter_.single_variant())) {
      SetConverterError(converter_, converter_.AppendVariantRecord(std::string_view(data, size)), &failure);
      failure.reached = failure.error ? Reached::kNothing : Reached::kAll;
      return failure;
    }
    failure.error = parser.iterate(data, size, capacity).get(doc);
    if (!failure.error) failure = AppendDocumentRecord(doc, converter_);
    if (!failure.error) failure.error = CheckUnread(data, size, capacity);
    return failure;
  }
  // ParseAndAppend, and a record with a duplicate key read again so that the last wins.
  RecordFailure ReadObject(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                           Status* status) {
    RecordFailure failure = ParseAndAppend(parser, data, size, capacity);
    if (ARROW_PREDICT_FALSE(failure.error == RecordConverter::kDuplicateKey)) {
      failure = ReadKeepingLastKeys(parser, data, size, capacity, status);
    }
    return failure;
  }
  // An NDJSON record: an object (ReadObject), or an array of objects, one record each.
  RecordFailure ReadRecord(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                           Status* status) {
    RecordFailure failure = ReadObject(parser, data, size, capacity, status);
    if (ARROW_PREDICT_FALSE(failure.not_object && failure.found == ondemand::json_type::array)) {
      failure = ReadArrayOfRecords(parser, data, size, capacity, status);
    }
    return failure;
  }
  RecordFailure ReadArrayOfRecords(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                                   Status* status);
  RecordFailure FindArrayElements(ondemand::parser& parser, const char* data, size_t size, size_t capacity);
  RecordFailure ReadKeepingLastKeys(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                                    Status* status);
  RecordFailure ReadLeniently(ondemand::parser& parser, const JsonLine& line, const RecordFailure& strict,
                              Status* status);
  // A record the converter appended whole but did not read to its every byte (a skipped
  // or raw-copied value) is checked whole here: JSON errors inside such values make the
  // record malformed, as Spark finds them. Costs nothing for records read whole.
  error_code CheckUnread(const char* data, size_t size, size_t capacity) {
    if (ARROW_PREDICT_TRUE(!converter_.unchecked())) return simdjson::SUCCESS;
    return ValidateJsonText(validation_parser_, data, size, capacity, options_.dialect.allow_non_numeric_numbers);
  }

  const std::string& path_;
  const JsonReadOptions& options_;
  RecordConverter& converter_;
  const BatchSink& sink_;
  ParseCounts* counts_;
  ondemand::parser validation_parser_;  // allocates on its first use only
  std::string lenient_;                 // a record rewritten from Spark's lenient dialect
  std::vector<const char*> overridden_; // keys a later duplicate overrides (ReadKeepingLastKeys)
  std::vector<std::string_view> elements_;  // the records of a line holding an array
  int64_t extra_records_ = 0;            // records of the last line beyond one (an array's)
  bool array_suspect_ = false;           // one of those records was suspect (KeepsGuess)
  int64_t text_since_emit_ = 0;         // JSON bytes of the rows not yet emitted (NDJSON)
  // multiLine: the file's text, its lenient rewrite (the first rewritten_size_ bytes, then
  // padding), and whether the read is of the rewrite.
  std::string_view original_document_;
  std::string lenient_document_;
  RewriteOffsets rewrite_offsets_;  // where the rewrite's bytes came from
  size_t rewritten_size_ = 0;
  bool rewritten_document_ = false;
  bool keeping_last_keys_ = false;  // in ReadArrayKeepingLastKeys's pass
};

}  // namespace inlet::json::file_read
