// JSON files -> Arrow record batches for a given schema, with simdjson's On-Demand API
// straight into Arrow builders (no DOM). Newline-delimited by default; multiLine files
// hold one document or a top-level array of records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <arrow/type_fwd.h>

#include "inlet/formats/format.h"
#include "inlet/schema/evolution.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

class InferenceCheck;

// The seam's types, under the names the JSON reader has always used. What is malformed in
// JSON: not valid JSON (syntax, invalid UTF-8, nesting deeper than max_nesting_depth), not an
// object, trailing content after the object, or longer than max_record_bytes.
using ParseMode = formats::MalformedRecordMode;
using BadRecord = formats::BadRecord;
using BadRecordSink = formats::BadRecordSink;
using BatchSink = formats::BatchSink;
using ParseCounts = formats::ReadCounts;
using formats::DatetimePattern;
using formats::CompileTemporalFormats;
using formats::ParseDate;
using formats::ParseTimestamp;
using formats::TemporalFormats;
using formats::TimeZone;

// The JSON dialect Spark's reader (Jackson) accepts beyond strict JSON, with Spark's option
// names and defaults. Strict records never pay for these: a record simdjson rejects is
// read again leniently only when one of them could make it valid.
struct JsonDialect {
  bool allow_non_numeric_numbers = true;    // allowNonNumericNumbers: NaN, Infinity, +INF...
  bool allow_single_quotes = true;          // allowSingleQuotes: 'text' as a string or key
  bool allow_comments = false;              // allowComments: /* */ and // comments
  bool allow_unquoted_field_names = false;  // allowUnquotedFieldNames: {a: 1}
  bool allow_numeric_leading_zeros = false; // allowNumericLeadingZeros: 007 is 7
  bool allow_backslash_escaping_any_character = false;  // allowBackslashEscapingAnyCharacter: \q is q
  bool allow_unquoted_control_chars = false;            // allowUnquotedControlChars: a raw tab in a string
  // Whether anything beyond non-numeric numbers needs the lenient rewrite.
  bool NeedsRewrite() const {
    return allow_single_quotes || allow_comments || allow_unquoted_field_names || allow_numeric_leading_zeros ||
           allow_backslash_escaping_any_character || allow_unquoted_control_chars;
  }
};

constexpr int64_t kDefaultMaxRecordBytes = 64LL << 20;
constexpr int kDefaultMaxNestingDepth = 256;

// The seam's ReadOptions (format.h) and what only JSON has.
struct JsonReadOptions : formats::ReadOptions {
  bool multi_line = false;
  int max_nesting_depth = kDefaultMaxNestingDepth;  // inlet.maxNestingDepth
  JsonDialect dialect;
  // ReadOptions::inference_check, when set, is a json::InferenceCheck (json_inference_guess.h),
  // NDJSON only: every record that could make the sample infer something else (a type
  // mismatch, a key that is no column, a duplicate key, a non-null value where the guess saw
  // only nulls, "NaN" for a double, a malformed record) goes to it; when it refutes the guess,
  // reading stops there as for a new field (ParseCounts::guess_refuted_line).
};

// Reads `path`, converting each record to `schema` (ToArrowSchema(schema) layout) and
// handing batches to `sink`. Rules:
//  - field names match exactly (see case_sensitive); fields not in the schema are ignored
//    or rescued (see rescued_data_column); missing -> null;
//  - string columns take any scalar as its JSON text (numbers keep their literal text,
//    true/false as words), and objects/arrays as their raw JSON text, as Spark does;
//  - long/integer/short/byte take JSON integers in range; double/float take any number;
//    boolean takes true/false; date/timestamp/decimal take strings Spark would parse;
//  - anything else is a type mismatch: null, counted in `counts->type_mismatches`, and
//    rescued when there is a rescued data column.
// A malformed record (see ParseMode) is kept as an all-null row, dropped, or (FAILFAST)
// fails the read with Status::Invalid "PATH:LINE (byte OFFSET): what is wrong", after which
// nothing more is emitted from the file (batches already handed to `sink` stay handed).
// multiLine: an array element that is not an object or nests too deep is one malformed
// record and the array goes on; after a JSON error simdjson cannot go on, so the rest of
// the file from the failing element is one malformed record; a broken single document,
// or a file over max_record_bytes, is one malformed record (the whole file's text).
// Blank lines, a UTF-8 BOM and CR before LF are skipped. Files ending in .gz or .zst
// (.zstd) are decompressed on the fly (IsCompressedJsonPath; offsets and lines are those of
// the decompressed text, ParseCounts::bytes the size on disk); they cannot be read by range
// (Status::Invalid). A corrupt or truncated compressed file fails with Status::IOError
// naming it, possibly after batches of the records decoded before the damage were handed
// to `sink`. Duplicate keys in an object: the first occurrence wins. Counts are ADDED to
// `counts` (may be null), so one ParseCounts can total several files. A file with no
// records (or, under DROPMALFORMED, no good ones) emits no batch.
Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts);

// Whether ReadJsonFile can read `schema` at all: OK, or Status::Invalid naming the
// top-level column and why (e.g. a map whose keys are not strings). Cheap (no file is
// read): a schema is checked with it before it is recorded, so no unreadable version is.
Status CheckReadableSchema(const Schema& schema);

}  // namespace inlet::json
