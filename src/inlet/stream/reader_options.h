// The Spark options the reading side compiles from IngestOptions once: dateFormat,
// timestampFormat and timeZone for the JSON reader, modifiedAfter/modifiedBefore for the
// files a stream plans. Compiled before anything is created, so a bad value is a usage
// error (exit 2) that names the option.
#pragma once

#include <cstdint>
#include <optional>

#include "inlet/formats/json/json_reader.h"
#include "inlet/formats/json/json_temporal.h"
#include "inlet/options/ingest_options.h"
#include "inlet/util/status.h"

namespace inlet::stream {

struct ReaderOptions {
  json::TemporalFormats temporal;
  // Modification-time window in epoch milliseconds: a file is taken when its time is
  // strictly after `modified_after_ms` and strictly before `modified_before_ms` (Spark's).
  std::optional<int64_t> modified_after_ms;
  std::optional<int64_t> modified_before_ms;

  bool InModifiedWindow(int64_t modification_time_ms) const {
    return (!modified_after_ms || modification_time_ms > *modified_after_ms) &&
           (!modified_before_ms || modification_time_ms < *modified_before_ms);
  }
};

// The JSON reader's dialect (allowSingleQuotes, allowComments, ...) from the options.
inline json::JsonDialect DialectOf(const JsonDialectOptions& options) {
  json::JsonDialect dialect;
  dialect.allow_non_numeric_numbers = options.allow_non_numeric_numbers;
  dialect.allow_single_quotes = options.allow_single_quotes;
  dialect.allow_comments = options.allow_comments;
  dialect.allow_unquoted_field_names = options.allow_unquoted_field_names;
  dialect.allow_numeric_leading_zeros = options.allow_numeric_leading_zeros;
  dialect.allow_backslash_escaping_any_character = options.allow_backslash_escaping_any_character;
  dialect.allow_unquoted_control_chars = options.allow_unquoted_control_chars;
  return dialect;
}

// Status::Invalid naming the option for a pattern, zone or timestamp that does not parse.
Result<ReaderOptions> CompileReaderOptions(const IngestOptions& options);

}  // namespace inlet::stream
