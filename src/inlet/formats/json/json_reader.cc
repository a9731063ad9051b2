// ReadJsonFile: drives line splitting (or the whole multiLine document) through simdjson
// into the RecordConverter, emitting a batch every batch_rows rows, handling malformed
// records by mode, and stopping quietly at a record with a new field when asked to.
#include "inlet/formats/json/json_reader.h"

#include <arrow/record_batch.h>

#include <algorithm>

#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_dialect.h"
#include "inlet/formats/json/json_duplicates.h"
#include "inlet/formats/json/json_inference_guess.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_validate.h"
#include "inlet/util/strings.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

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
};

std::string FailureReason(const RecordFailure& failure) {
  return failure.not_object ? NotAnObjectReason(failure.found, failure.in_array) : JsonErrorReason(failure.error);
}

// `text` as valid UTF-8 (each invalid byte becomes U+FFFD), for the string column and the
// bad-record report, which must hold valid UTF-8 even when the record did not.
std::string ValidUtf8(std::string_view text) {
  // simdjson's SIMD check first: a malformed record's text is usually valid UTF-8.
  if (simdjson::validate_utf8(text.data(), text.size())) return std::string(text);
  return ToValidUtf8(text);
}

// Content after the record's closing bracket (INCOMPLETE_ARRAY_OR_OBJECT from simdjson).
bool HasContentAfterContainer(std::string_view text) {
  const size_t end = EndOfFirstContainer(text);
  return end != std::string_view::npos && end < TrimTrailingJsonSpace(text).size();
}

// One record that is a whole document (an NDJSON line, or a multiLine file holding one
// object): must be an object with nothing after it.
RecordFailure AppendDocumentRecord(ondemand::document& doc, RecordConverter& converter) {
  RecordFailure failure;
  ondemand::json_type type;
  if ((failure.error = doc.type().get(type))) return failure;
  if (type != ondemand::json_type::object) {
    failure.error = simdjson::INCORRECT_TYPE;
    failure.not_object = true;
    failure.found = type;
    return failure;
  }
  ondemand::object object;
  if ((failure.error = doc.get_object().get(object))) return failure;
  failure.reached = Reached::kPart;
  if ((failure.error = converter.AppendRecord(object))) return failure;  // may be kNewField
  failure.reached = Reached::kAll;
  // Once the object is consumed the iterator must be past the end of the document.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) failure.error = simdjson::TRAILING_CONTENT;
  return failure;
}

// Bytes a read accounts for: the whole file, or its range (a ranged reader reads on to
// the end of its last line, which the next range accounts for); a compressed file's size
// on disk.
int64_t AccountedBytes(const JsonReadOptions& options, const NdjsonLineReader& reader) {
  if (reader.compressed()) return reader.compressed_size();
  if (options.range_end >= 0) return std::max<int64_t>(0, options.range_end - options.range_begin);
  // To the end: a ranged reader started one byte early, at the byte before its range.
  return options.range_begin > 0 ? std::max<int64_t>(0, reader.bytes_read() - 1) : reader.bytes_read();
}

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
    InferenceCheck* check = options_.inference_check;
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
  Status ReadArray(ondemand::parser& parser, ondemand::document& doc, std::string_view text, size_t parsed,
                   int64_t too_deep, int64_t skip);
  Status ReadArrayKeepingLastKeys(ondemand::parser& parser, std::string_view text, size_t parsed, int64_t too_deep,
                                  int64_t done);
  // One record in `data[0, size)` (`capacity` bytes readable): parsed, appended and checked.
  RecordFailure ParseAndAppend(ondemand::parser& parser, const char* data, size_t size, size_t capacity) {
    ondemand::document doc;
    RecordFailure failure;
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
};

// A record strict parsing refused, read again as the strict JSON its lenient dialect
// (single quotes, comments, ...) rewrites it to, when that changes anything: what was
// appended of it is discarded first. `strict` comes back when no rewrite applies.
RecordFailure FileRead::ReadLeniently(ondemand::parser& parser, const JsonLine& line, const RecordFailure& strict,
                                      Status* status) {
  if (!options_.dialect.NeedsRewrite() || strict.error == RecordConverter::kNewField ||
      strict.error == simdjson::MEMALLOC) {
    return strict;
  }
  size_t size = 0;
  if (!RewriteLenientJson(std::string_view(line.data, line.size), options_.dialect, &lenient_, &size)) return strict;
  if (strict.reached != Reached::kNothing) {
    *status = converter_.DiscardRecord(strict.reached == Reached::kAll);
    if (!status->ok()) return strict;
  }
  return ReadRecord(parser, lenient_.data(), size, lenient_.size(), status);
}

// The elements of the array `data[0, size)` is, into elements_: SUCCESS when the text is
// valid JSON and every element an object.
RecordFailure FileRead::FindArrayElements(ondemand::parser& parser, const char* data, size_t size, size_t capacity) {
  RecordFailure failure;
  elements_.clear();
  // Checked whole first: a JSON error anywhere makes the whole line malformed.
  failure.error = ValidateJsonText(validation_parser_, data, size, capacity, options_.dialect.allow_non_numeric_numbers);
  if (failure.error) return failure;
  ondemand::document doc;
  ondemand::array array;
  failure.error = parser.iterate(data, size, capacity).get(doc);
  if (!failure.error) failure.error = doc.get_array().get(array);
  if (failure.error) return failure;
  for (auto element : array) {
    ondemand::value value;
    ondemand::json_type type = ondemand::json_type::null;
    failure.error = element.get(value);
    if (!failure.error) failure.error = value.type().get(type);
    if (!failure.error && type != ondemand::json_type::object) {
      failure.error = simdjson::INCORRECT_TYPE;
      failure.not_object = true;
      failure.in_array = true;
      failure.found = type;
    }
    ondemand::object object;
    std::string_view raw;
    if (!failure.error) failure.error = value.get_object().get(object);
    if (!failure.error) failure.error = object.raw_json().get(raw);
    if (failure.error) return failure;
    elements_.push_back(raw);
  }
  return failure;
}

// An NDJSON line holding an array, read as Spark reads it: each element a record when all
// are objects (none for `[]`), else the whole line one malformed record. A record that
// fails past the first takes back the rows of the ones before it.
RecordFailure FileRead::ReadArrayOfRecords(ondemand::parser& parser, const char* data, size_t size,
                                           size_t capacity, Status* status) {
  RecordFailure failure = FindArrayElements(parser, data, size, capacity);
  if (failure.error) return failure;
  const RecordConverter::RowMark mark = converter_.Mark();
  bool suspect = false;
  for (std::string_view element : elements_) {
    const size_t at = static_cast<size_t>(element.data() - data);
    failure = ReadObject(parser, element.data(), element.size(), capacity - at, status);
    if (!status->ok()) return failure;
    if (failure.error == RecordConverter::kNewField || failure.error == simdjson::MEMALLOC) return failure;
    if (failure.error) {
      if (failure.reached != Reached::kNothing) *status = converter_.DiscardRecord(failure.reached == Reached::kAll);
      converter_.DiscardSince(mark);
      failure.reached = Reached::kNothing;
      return failure;
    }
    suspect = suspect || converter_.suspect();
  }
  // The caller counts the line as one record.
  extra_records_ = static_cast<int64_t>(elements_.size()) - 1;
  array_suspect_ = suspect;
  return failure;
}

// The record stopped at a duplicate key (kDuplicateKey): what was appended of it is
// discarded and it is read again with the occurrences a later one overrides skipped.
RecordFailure FileRead::ReadKeepingLastKeys(ondemand::parser& parser, const char* data, size_t size,
                                            size_t capacity, Status* status) {
  RecordFailure failure;
  *status = converter_.DiscardRecord(false);
  if (!status->ok()) {
    failure.error = simdjson::MEMALLOC;
    return failure;
  }
  failure.error = FindOverriddenKeys(validation_parser_, data, size, capacity, &overridden_);
  if (failure.error) return failure;  // a JSON error after the duplicate: malformed
  converter_.OverrideKeys(&overridden_);
  failure = ParseAndAppend(parser, data, size, capacity);
  converter_.OverrideKeys(nullptr);
  return failure;
}

Status FileRead::Malformed(int64_t line, int64_t offset, const std::string& reason, std::string_view raw,
                           bool raw_truncated, Reached reached) {
  if (options_.mode == ParseMode::kFailFast) {
    return Status::Invalid(path_, ":", line, " (byte ", offset, "): ", reason);
  }
  ++counts_->bad_records;
  ++counts_->records;
  const bool needs_text = options_.bad_record_sink || !options_.corrupt_record_column.empty();
  const std::string text = needs_text ? ValidUtf8(raw) : std::string();
  if (options_.bad_record_sink) {
    BadRecord bad;
    bad.file_path = options_.file_path.empty() ? path_ : options_.file_path;
    bad.line = line;
    bad.byte_offset = offset;
    bad.reason = reason;
    const size_t cap = static_cast<size_t>(std::max<int64_t>(options_.bad_record_text_bytes, 0));
    bad.raw = std::string(Utf8Prefix(text, cap));
    bad.raw_truncated = raw_truncated || text.size() > cap;
    INLET_RETURN_NOT_OK(options_.bad_record_sink(bad));
  }
  if (reached == Reached::kAll) {
    converter_.MarkLastRecordMalformed(text);
    return Status::OK();
  }
  return converter_.AppendMalformed(text, reached == Reached::kPart);
}

Status FileRead::Emit() {
  text_since_emit_ = 0;
  INLET_ASSIGN_OR_RAISE(auto batch, converter_.Flush());
  if (batch->num_rows() == 0) return Status::OK();  // every row was dropped
  counts_->rows += batch->num_rows();
  return sink_(std::move(batch));
}

Status FileRead::ReadLines() {
  NdjsonLineReader reader;
  INLET_RETURN_NOT_OK(reader.Open(path_, NdjsonLineReader::kDefaultChunk, options_.range_begin, options_.range_end));
  reader.SetLineLimit(options_.max_record_bytes, KeepBytes());
  ondemand::parser parser;  // reused: its buffers grow to the longest line once
  JsonLine line;
  Status status;
  while (true) {
    auto next = reader.Next(&line);
    if (!next.ok()) {
      status = next.status();
      break;
    }
    if (!*next) break;
    RecordFailure failure;
    std::string reason;
    if (ARROW_PREDICT_FALSE(line.oversized)) {
      reason = TooLongReason(options_.max_record_bytes);
    } else if (ARROW_PREDICT_FALSE(FindTooDeepNesting(line.data, line.size, LineDepthLimit(line)) >= 0)) {
      reason = TooDeepReason(options_.max_nesting_depth);
    } else {
      failure = ReadRecord(parser, line.data, line.size, line.capacity, &status);
      if (ARROW_PREDICT_FALSE(failure.error) && status.ok()) failure = ReadLeniently(parser, line, failure, &status);
      if (!status.ok()) break;
      if (ARROW_PREDICT_FALSE(failure.error)) {
        if (failure.error == RecordConverter::kNewField) {
          counts_->bytes += AccountedBytes(options_, reader);
          INLET_ASSIGN_OR_RAISE(int64_t file_line, reader.FileLineNumber(line.number));
          return StopAtNewField(file_line);
        }
        if (failure.error == simdjson::MEMALLOC && !converter_.builder_status().ok()) {
          INLET_ASSIGN_OR_RAISE(int64_t file_line, reader.FileLineNumber(line.number));
          status = BuilderFailed(file_line);
          break;
        }
        if (failure.error == simdjson::INCOMPLETE_ARRAY_OR_OBJECT &&
            HasContentAfterContainer(std::string_view(line.data, line.size))) {
          failure.error = simdjson::TRAILING_CONTENT;
        }
        reason = FailureReason(failure);
      }
    }
    if (ARROW_PREDICT_FALSE(!reason.empty())) {
      auto file_line = reader.FileLineNumber(line.number);
      status = file_line.ok() ? Malformed(*file_line, line.offset, reason, std::string_view(line.data, line.size),
                                          line.oversized, failure.reached)
                              : file_line.status();
    } else {
      counts_->records += 1 + extra_records_;
    }
    extra_records_ = 0;
    if (status.ok() && ARROW_PREDICT_FALSE(!KeepsGuess(line, !reason.empty()))) {
      counts_->bytes += AccountedBytes(options_, reader);
      INLET_ASSIGN_OR_RAISE(counts_->guess_refuted_line, reader.FileLineNumber(line.number));
      return Status::OK();
    }
    text_since_emit_ += static_cast<int64_t>(line.size);
    if (status.ok()) status = EmitIfFull();
    if (!status.ok()) break;
  }
  counts_->bytes += AccountedBytes(options_, reader);
  INLET_RETURN_NOT_OK(status);
  return EmitRest();
}

// Where simdjson's iterator is in `text`, or its end.
size_t LocationIn(ondemand::document& doc, std::string_view text) {
  const char* at = nullptr;
  if (doc.current_location().get(at) != simdjson::SUCCESS || at < text.data() || at > text.data() + text.size()) {
    return text.size();
  }
  return static_cast<size_t>(at - text.data());
}

Status FileRead::ReadMultiLine() {
  INLET_ASSIGN_OR_RAISE(PaddedFile file, ReadPaddedFile(path_, options_.max_record_bytes, KeepBytes()));
  counts_->bytes += file.disk_bytes;
  const std::string_view text(file.text.data(), file.text.size());
  // The whole file as one malformed record.
  auto whole_file = [&](int64_t line, const std::string& reason, Reached reached) -> Status {
    INLET_RETURN_NOT_OK(Malformed(line, 0, reason, text, file.oversized, reached));
    return EmitRest();
  };
  if (file.oversized) return whole_file(1, TooLongReason(options_.max_record_bytes), Reached::kNothing);

  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::OK();  // whitespace only: no records
  const bool is_array = text[first] == '[';
  // Something after the top-level value: simdjson would reject the whole document, so it
  // parses up to the value's end and what follows is handled apart.
  size_t parsed = text.size();
  const char last = TrimTrailingJsonSpace(text).back();
  if (last != (is_array ? ']' : '}')) {
    const size_t end = EndOfFirstContainer(text);
    if (end != std::string_view::npos) {
      if (!is_array) {
        return whole_file(1, JsonErrorReason(simdjson::TRAILING_CONTENT), Reached::kNothing);
      }
      parsed = end;
    }
  }
  ondemand::parser parser;
  ondemand::document doc;
  RecordFailure failure;
  failure.error = parser.iterate(file.text.data(), parsed, file.text.size() + simdjson::SIMDJSON_PADDING).get(doc);
  if (failure.error) return whole_file(1, FailureReason(failure), Reached::kNothing);
  // An array's records sit one level below it.
  const int64_t too_deep = FindTooDeepNesting(text.data(), text.size(), options_.max_nesting_depth + (is_array ? 1 : 0));
  if (too_deep >= 0 && !is_array) {
    return whole_file(LineOfOffset(text, static_cast<size_t>(too_deep)), TooDeepReason(options_.max_nesting_depth),
                      Reached::kNothing);
  }
  ondemand::json_type type;
  if ((failure.error = doc.type().get(type))) {
    return whole_file(LineOfOffset(text, LocationIn(doc, text)), FailureReason(failure), Reached::kNothing);
  }
  if (type == ondemand::json_type::array) return ReadArray(parser, doc, text, parsed, too_deep, 0);
  const size_t capacity = file.text.size() + simdjson::SIMDJSON_PADDING;
  failure = AppendDocumentRecord(doc, converter_);
  if (!failure.error) failure.error = CheckUnread(text.data(), parsed, capacity);
  if (failure.error == RecordConverter::kDuplicateKey) {
    Status status;
    failure = ReadKeepingLastKeys(parser, text.data(), parsed, capacity, &status);
    INLET_RETURN_NOT_OK(status);
  }
  if (failure.error == RecordConverter::kNewField) return StopAtNewField(1);
  if (failure.error == simdjson::MEMALLOC && !converter_.builder_status().ok()) return BuilderFailed(1);
  if (failure.error) return whole_file(LineOfOffset(text, LocationIn(doc, text)), FailureReason(failure), failure.reached);
  ++counts_->records;
  return EmitRest();
}

// A multiLine top-level array: one record per element. An element that is not an object
// or nests too deep is one malformed record; after a JSON error the iterator cannot go on,
// so the rest of the file from the failing element is one malformed record. The first
// `skip` elements were read before (ReadArrayKeepingLastKeys).
Status FileRead::ReadArray(ondemand::parser& parser, ondemand::document& doc, std::string_view text, size_t parsed,
                           int64_t too_deep, int64_t skip) {
  ondemand::array records;
  RecordFailure failure;
  if ((failure.error = doc.get_array().get(records))) {
    INLET_RETURN_NOT_OK(Malformed(LineOfOffset(text, LocationIn(doc, text)), 0, FailureReason(failure), text, false,
                                  Reached::kNothing));
    return EmitRest();
  }
  int64_t index = -1;
  for (auto element : records) {
    if (++index < skip) continue;
    failure = RecordFailure{};
    size_t start = LocationIn(doc, text);
    failure.error = element.error();
    if (!failure.error) start = static_cast<size_t>(element.value_unsafe().raw_json_token().data() - text.data());
    ondemand::json_type type = ondemand::json_type::null;
    if (!failure.error) failure.error = element.type().get(type);
    if (!failure.error && type != ondemand::json_type::object) {
      // Not an object: the element is skipped whole and the array goes on.
      std::string_view raw;
      failure.not_object = true;
      failure.found = type;
      failure.error = RawJsonText(element.value_unsafe(), &raw, options_.dialect.allow_non_numeric_numbers);
      if (!failure.error) {
        INLET_RETURN_NOT_OK(Malformed(LineOfOffset(text, start), static_cast<int64_t>(start), FailureReason(failure),
                                      raw, false, Reached::kNothing));
        INLET_RETURN_NOT_OK(EmitIfFull());
        continue;
      }
      failure.not_object = false;
    }
    ondemand::object object;
    if (!failure.error) failure.error = element.get_object().get(object);
    if (!failure.error) {
      failure.reached = Reached::kPart;
      failure.error = converter_.AppendRecord(object);
    }
    if (failure.error == RecordConverter::kNewField) return StopAtNewField(counts_->records + 1);
    if (failure.error == RecordConverter::kDuplicateKey && skip == 0) {
      return ReadArrayKeepingLastKeys(parser, text, parsed, too_deep, index);
    }
    const int64_t line = LineOfOffset(text, LocationIn(doc, text));
    if (failure.error == simdjson::MEMALLOC && !converter_.builder_status().ok()) return BuilderFailed(line);
    if (failure.error) {
      INLET_RETURN_NOT_OK(Malformed(line, static_cast<int64_t>(start), FailureReason(failure),
                                    TrimTrailingJsonSpace(text.substr(start)), false, failure.reached));
      return EmitRest();
    }
    const size_t end = LocationIn(doc, text);
    const error_code unread = CheckUnread(text.data() + start, TrimTrailingJsonSpace(text.substr(start, end - start)).size(),
                                          text.size() - start + simdjson::SIMDJSON_PADDING);
    if (unread) {
      INLET_RETURN_NOT_OK(Malformed(line, static_cast<int64_t>(start), JsonErrorReason(unread),
                                    TrimTrailingJsonSpace(text.substr(start, end - start)), false, Reached::kAll));
    } else if (too_deep >= 0 && static_cast<size_t>(too_deep) >= start && static_cast<size_t>(too_deep) < end) {
      INLET_RETURN_NOT_OK(Malformed(LineOfOffset(text, static_cast<size_t>(too_deep)), static_cast<int64_t>(start),
                                    TooDeepReason(options_.max_nesting_depth),
                                    TrimTrailingJsonSpace(text.substr(start, end - start)), false, Reached::kAll));
    } else {
      ++counts_->records;
    }
    INLET_RETURN_NOT_OK(EmitIfFull());
  }
  const size_t rest = std::min(LocationIn(doc, text), parsed);
  if (rest < TrimTrailingJsonSpace(text).size()) {
    INLET_RETURN_NOT_OK(Malformed(LineOfOffset(text, rest), static_cast<int64_t>(rest),
                                  "unexpected content after the top-level array", TrimTrailingJsonSpace(text.substr(rest)),
                                  false, Reached::kNothing));
  }
  return EmitRest();
}

// Element `done` of a multiLine array stopped at a duplicate key: its part is discarded,
// the keys a later duplicate overrides are found in the whole array, and the array is
// iterated again from that element on with them skipped. Happens once per file at most.
Status FileRead::ReadArrayKeepingLastKeys(ondemand::parser& parser, std::string_view text, size_t parsed,
                                          int64_t too_deep, int64_t done) {
  INLET_RETURN_NOT_OK(converter_.DiscardRecord(false));
  const size_t capacity = text.size() + simdjson::SIMDJSON_PADDING;
  const error_code error = FindOverriddenKeys(validation_parser_, text.data(), parsed, capacity, &overridden_);
  // A JSON error further on: the first pass finds it again and reports it as it would.
  if (error) overridden_.clear();
  converter_.OverrideKeys(&overridden_);
  ondemand::document doc;
  Status status;
  if (parser.iterate(text.data(), parsed, capacity).get(doc) == simdjson::SUCCESS) {
    status = ReadArray(parser, doc, text, parsed, too_deep, done);
  } else {
    status = Status::UnknownError(path_, ": the array could not be read again");
  }
  converter_.OverrideKeys(nullptr);
  return status;
}

}  // namespace

Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts) {
  if (options.batch_rows <= 0) {
    return Status::Invalid("JSON read of ", path, ": batch_rows must be positive, got ", options.batch_rows);
  }
  INLET_RETURN_NOT_OK(CheckSimdjsonLinkage());
  if (options.multi_line && (options.range_begin != 0 || options.range_end >= 0)) {
    return Status::Invalid("JSON read of ", path, ": a multiLine file cannot be read by byte range");
  }
  if (options.multi_line && options.inference_check != nullptr) {
    return Status::Invalid("JSON read of ", path, ": an inference guess is checked on NDJSON only");
  }
  ParseCounts local;
  INLET_ASSIGN_OR_RAISE(auto converter, RecordConverter::Make(schema, options, path));
  FileRead read(path, options, *converter, sink, &local);
  Status status = options.multi_line ? read.ReadMultiLine() : read.ReadLines();
  if (counts != nullptr) {
    local.type_mismatches = converter->type_mismatches();
    local.rescued_records = converter->rescued_records();
    converter->CollectWidenings(&local.widenings);
    MergeParseCounts(local, counts);
    if (local.new_field_line != 0) {
      counts->new_field_line = local.new_field_line;
      counts->new_field_path = std::move(local.new_field_path);
    }
    if (local.guess_refuted_line != 0) counts->guess_refuted_line = local.guess_refuted_line;
  }
  return status;
}

Status CheckReadableSchema(const Schema& schema) {
  // The converter is the one judge of what the reader reads; column by column, so the
  // answer can name the column.
  JsonReadOptions options;
  options.batch_rows = 1;
  for (const Field& field : schema.fields) {
    auto converter = RecordConverter::Make(Schema{{field}}, options, "");
    if (!converter.ok()) {
      return Status::Invalid("column ", field.name, " (", field.type->TypeName(),
                             ") cannot be read from JSON: ", converter.status().message());
    }
  }
  return Status::OK();
}

void MergeParseCounts(const ParseCounts& from, ParseCounts* into) {
  into->records += from.records;
  into->bytes += from.bytes;
  into->type_mismatches += from.type_mismatches;
  into->rescued_records += from.rescued_records;
  into->bad_records += from.bad_records;
  into->rows += from.rows;
  for (const TypeWidening& widening : from.widenings) MergeWidening(widening.path, widening.to, &into->widenings);
}

}  // namespace inlet::json
