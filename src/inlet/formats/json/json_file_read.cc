// FileRead's NDJSON side: lines through simdjson into the RecordConverter, a batch every
// batch_rows rows or batch_bytes of text, malformed records by mode, Spark's lenient
// dialect, duplicate keys and lines holding arrays of records.
#include "inlet/formats/json/json_file_read.h"

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

namespace inlet::json::file_read {

namespace {

// Bytes a read accounts for: the whole file, or its range (a ranged reader reads on to
// the end of its last line, which the next range accounts for); a compressed file's size
// on disk.
int64_t AccountedBytes(const JsonReadOptions& options, const NdjsonLineReader& reader) {
  if (reader.compressed()) return reader.compressed_size();
  if (options.range_end >= 0) return std::max<int64_t>(0, options.range_end - options.range_begin);
  // To the end: a ranged reader started one byte early, at the byte before its range.
  return options.range_begin > 0 ? std::max<int64_t>(0, reader.bytes_read() - 1) : reader.bytes_read();
}

}  // namespace

void SetConverterError(const RecordConverter& converter, error_code error, RecordFailure* failure) {
  failure->error = error;
  if (error == RecordConverter::kVariantRefused) failure->detail = converter.variant_error();
}

std::string FailureReason(const RecordFailure& failure) {
  if (!failure.detail.empty()) return failure.detail;
  return failure.not_object ? NotAnObjectReason(failure.found, failure.in_array) : JsonErrorReason(failure.error);
}

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
  SetConverterError(converter, converter.AppendRecord(object), &failure);
  if (failure.error) return failure;  // may be kNewField
  failure.reached = Reached::kAll;
  // Once the object is consumed the iterator must be past the end of the document.
  const char* rest = nullptr;
  if (doc.current_location().get(rest) == simdjson::SUCCESS) failure.error = simdjson::TRAILING_CONTENT;
  return failure;
}


size_t LocationIn(ondemand::document& doc, std::string_view text) {
  const char* at = nullptr;
  if (doc.current_location().get(at) != simdjson::SUCCESS || at < text.data() || at > text.data() + text.size()) {
    return text.size();
  }
  return static_cast<size_t>(at - text.data());
}

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
  bool damaged = false;  // the file could not be read on (a corrupt .gz)
  while (true) {
    auto next = reader.Next(&line);
    if (!next.ok()) {
      status = next.status();
      damaged = status.IsIOError();
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
  if (damaged) {
    counts_->source_unreadable = true;
    // The file is damaged past here: the rows before it are handed over, so that
    // ignoreCorruptFiles keeps them (without it the batch fails and none is committed).
    INLET_RETURN_NOT_OK(EmitRest());
  }
  INLET_RETURN_NOT_OK(status);
  return EmitRest();
}

}  // namespace inlet::json::file_read
