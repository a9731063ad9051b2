// FileRead's multiLine side: a whole file as one JSON document, an object or an array of
// records.
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

Status FileRead::ReadMultiLine() {
  auto read = ReadPaddedFile(path_, options_.max_record_bytes, KeepBytes());
  if (!read.ok()) {
    counts_->source_unreadable = read.status().IsIOError();
    return read.status();
  }
  PaddedFile file = std::move(read).ValueUnsafe();
  counts_->bytes += file.disk_bytes;
  const std::string_view text(file.text.data(), file.text.size());
  if (file.oversized) {
    INLET_RETURN_NOT_OK(Malformed(1, 0, TooLongReason(options_.max_record_bytes), text, true, Reached::kNothing));
    return EmitRest();
  }
  original_document_ = text;
  rewritten_document_ = false;
  return ReadDocument(text, file.text.size() + simdjson::SIMDJSON_PADDING, 0);
}

bool FileRead::RewriteDocument() {
  if (rewritten_document_ || !options_.dialect.NeedsRewrite()) return false;
  size_t size = 0;
  if (!RewriteLenientJson(original_document_, options_.dialect, &lenient_document_, &size, &rewrite_offsets_)) return false;
  rewritten_document_ = true;
  rewritten_size_ = size;
  // Keys found for the strict text do not point into the rewritten one.
  converter_.OverrideKeys(nullptr);
  keeping_last_keys_ = false;
  return true;
}

Status FileRead::ReadRewrittenDocument(int64_t done) {
  return ReadDocument(std::string_view(lenient_document_.data(), rewritten_size_), lenient_document_.size(), done);
}

// `text`: the file's, or its lenient rewrite (`capacity` bytes readable); `skip`: array
// elements read already. A JSON error strict parsing finds is read again rewritten, once.
Status FileRead::ReadDocument(std::string_view text, size_t capacity, int64_t skip) {
  // The whole file as one malformed record, with the file's own text.
  auto whole_file = [&](int64_t line, const std::string& reason, Reached reached) -> Status {
    INLET_RETURN_NOT_OK(Malformed(line, 0, reason, original_document_, false, reached));
    return EmitRest();
  };
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return Status::OK();  // whitespace only: no records
  if (converter_.single_variant()) return ReadDocumentAsVariant(text, whole_file);
  const bool is_array = text[first] == '[';
  // Something after the top-level value: simdjson would reject the whole document, so it
  // parses up to the value's end and what follows is handled apart.
  size_t parsed = text.size();
  const char last = TrimTrailingJsonSpace(text).back();
  if (last != (is_array ? ']' : '}')) {
    const size_t end = EndOfFirstContainer(text);
    if (end != std::string_view::npos) {
      if (!is_array) {
        if (RewriteDocument()) return ReadRewrittenDocument(0);
        return whole_file(1, JsonErrorReason(simdjson::TRAILING_CONTENT), Reached::kNothing);
      }
      parsed = end;
    }
  }
  ondemand::parser parser;
  ondemand::document doc;
  RecordFailure failure;
  failure.error = parser.iterate(text.data(), parsed, capacity).get(doc);
  if (failure.error) {
    if (RewriteDocument()) return ReadRewrittenDocument(0);
    return whole_file(1, FailureReason(failure), Reached::kNothing);
  }
  // An array's records sit one level below it.
  const int64_t too_deep = FindTooDeepNesting(text.data(), text.size(), options_.max_nesting_depth + (is_array ? 1 : 0));
  if (too_deep >= 0 && !is_array) {
    return whole_file(SourceLine(static_cast<size_t>(too_deep)), TooDeepReason(options_.max_nesting_depth),
                      Reached::kNothing);
  }
  ondemand::json_type type;
  if ((failure.error = doc.type().get(type))) {
    if (RewriteDocument()) return ReadRewrittenDocument(0);
    return whole_file(SourceLine(LocationIn(doc, text)), FailureReason(failure), Reached::kNothing);
  }
  if (type == ondemand::json_type::array) return ReadArray(parser, doc, text, parsed, too_deep, skip);
  failure = AppendDocumentRecord(doc, converter_);
  if (!failure.error) failure.error = CheckUnread(text.data(), parsed, capacity);
  if (failure.error == RecordConverter::kDuplicateKey) {
    Status status;
    failure = ReadKeepingLastKeys(parser, text.data(), parsed, capacity, &status);
    INLET_RETURN_NOT_OK(status);
  }
  if (failure.error == RecordConverter::kNewField) return StopAtNewField(1);
  if (failure.error == simdjson::MEMALLOC && !converter_.builder_status().ok()) return BuilderFailed(1);
  if (failure.error) {
    const int64_t line = SourceLine(LocationIn(doc, text));
    if (!failure.not_object && !rewritten_document_ && options_.dialect.NeedsRewrite()) {
      if (failure.reached != Reached::kNothing) {
        INLET_RETURN_NOT_OK(converter_.DiscardRecord(failure.reached == Reached::kAll));
      }
      if (RewriteDocument()) return ReadRewrittenDocument(0);
      return whole_file(line, FailureReason(failure), Reached::kNothing);
    }
    return whole_file(line, FailureReason(failure), failure.reached);
  }
  ++counts_->records;
  return EmitRest();
}

// singleVariantColumn: the whole file is one record, whatever value it holds (a top-level
// array too), as Spark reads it.
template <typename WholeFile>
Status FileRead::ReadDocumentAsVariant(std::string_view text, const WholeFile& whole_file) {
  const error_code error = converter_.AppendVariantRecord(text);
  if (error == simdjson::MEMALLOC) return BuilderFailed(1);
  if (error) {
    if (RewriteDocument()) return ReadRewrittenDocument(0);
    return whole_file(1, converter_.variant_error(), Reached::kNothing);
  }
  ++counts_->records;
  return EmitRest();
}

// A multiLine top-level array: one record per element. An element that is not an object
// or nests too deep is one malformed record; after a JSON error the iterator cannot go on,
// so the rest of the file from the failing element is one malformed record (unless the
// lenient dialect rewrites it: then the rewritten array is read on from that element). The
// first `skip` elements were read before (ReadArrayKeepingLastKeys, a rewrite).
Status FileRead::ReadArray(ondemand::parser& parser, ondemand::document& doc, std::string_view text, size_t parsed,
                           int64_t too_deep, int64_t skip) {
  ondemand::array records;
  RecordFailure failure;
  if ((failure.error = doc.get_array().get(records))) {
    INLET_RETURN_NOT_OK(Malformed(SourceLine(LocationIn(doc, text)), 0, FailureReason(failure),
                                  SourceText(text, 0, text.size()), false, Reached::kNothing));
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
        const size_t raw_begin = static_cast<size_t>(raw.data() - text.data());
        INLET_RETURN_NOT_OK(Malformed(SourceLine(start), static_cast<int64_t>(SourceOffset(start)),
                                      FailureReason(failure), SourceText(text, raw_begin, raw_begin + raw.size()),
                                      false, Reached::kNothing));
        INLET_RETURN_NOT_OK(EmitIfFull());
        continue;
      }
      failure.not_object = false;
    }
    ondemand::object object;
    if (!failure.error) failure.error = element.get_object().get(object);
    if (!failure.error) {
      failure.reached = Reached::kPart;
      SetConverterError(converter_, converter_.AppendRecord(object), &failure);
    }
    if (failure.error == RecordConverter::kNewField) return StopAtNewField(counts_->records + 1);
    if (failure.error == RecordConverter::kDuplicateKey && !keeping_last_keys_) {
      return ReadArrayKeepingLastKeys(parser, text, parsed, too_deep, index);
    }
    const int64_t line = SourceLine(LocationIn(doc, text));
    const auto source_offset = static_cast<int64_t>(SourceOffset(start));
    if (failure.error == simdjson::MEMALLOC && !converter_.builder_status().ok()) return BuilderFailed(line);
    if (failure.error) {
      // What strict JSON refused from here on may be Spark's lenient dialect.
      if (failure.reached != Reached::kNothing && !rewritten_document_ && options_.dialect.NeedsRewrite()) {
        INLET_RETURN_NOT_OK(converter_.DiscardRecord(failure.reached == Reached::kAll));
        failure.reached = Reached::kNothing;
        if (RewriteDocument()) return ReadRewrittenDocument(index);
      } else if (RewriteDocument()) {
        return ReadRewrittenDocument(index);
      }
      INLET_RETURN_NOT_OK(Malformed(line, source_offset, FailureReason(failure),
                                    TrimTrailingJsonSpace(SourceText(text, start, text.size())), false,
                                    failure.reached));
      return EmitRest();
    }
    const size_t end = LocationIn(doc, text);
    const error_code unread = CheckUnread(text.data() + start, TrimTrailingJsonSpace(text.substr(start, end - start)).size(),
                                          text.size() - start + simdjson::SIMDJSON_PADDING);
    if (unread && !rewritten_document_ && options_.dialect.NeedsRewrite()) {
      INLET_RETURN_NOT_OK(converter_.DiscardRecord(true));
      if (RewriteDocument()) return ReadRewrittenDocument(index);
      // No rewrite: the element is malformed as it stands (its row was taken back).
      INLET_RETURN_NOT_OK(Malformed(line, source_offset, JsonErrorReason(unread),
                                    TrimTrailingJsonSpace(SourceText(text, start, end)), false, Reached::kNothing));
    } else if (unread) {
      INLET_RETURN_NOT_OK(Malformed(line, source_offset, JsonErrorReason(unread),
                                    TrimTrailingJsonSpace(SourceText(text, start, end)), false, Reached::kAll));
    } else if (too_deep >= 0 && static_cast<size_t>(too_deep) >= start && static_cast<size_t>(too_deep) < end) {
      INLET_RETURN_NOT_OK(Malformed(SourceLine(static_cast<size_t>(too_deep)), source_offset,
                                    TooDeepReason(options_.max_nesting_depth),
                                    TrimTrailingJsonSpace(SourceText(text, start, end)), false, Reached::kAll));
    } else {
      ++counts_->records;
    }
    INLET_RETURN_NOT_OK(EmitIfFull());
  }
  const size_t rest = std::min(LocationIn(doc, text), parsed);
  if (rest < TrimTrailingJsonSpace(text).size()) {
    if (RewriteDocument()) return ReadRewrittenDocument(index + 1);  // a comment after the array
    INLET_RETURN_NOT_OK(Malformed(SourceLine(rest), static_cast<int64_t>(SourceOffset(rest)),
                                  "unexpected content after the top-level array",
                                  TrimTrailingJsonSpace(SourceText(text, rest, text.size())), false,
                                  Reached::kNothing));
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
  if (error) {
    // A JSON error further on: the lenient rewrite may be what the file means; if not, the
    // pass below finds the error again and reports it as it would.
    if (RewriteDocument()) return ReadRewrittenDocument(done);
    overridden_.clear();
  }
  converter_.OverrideKeys(&overridden_);
  keeping_last_keys_ = true;
  ondemand::document doc;
  Status status;
  if (parser.iterate(text.data(), parsed, capacity).get(doc) == simdjson::SUCCESS) {
    status = ReadArray(parser, doc, text, parsed, too_deep, done);
  } else {
    status = Status::UnknownError(path_, ": the array could not be read again");
  }
  converter_.OverrideKeys(nullptr);
  keeping_last_keys_ = false;
  return status;
}

}  // namespace inlet::json::file_read
