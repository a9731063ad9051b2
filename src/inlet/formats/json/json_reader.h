// JSON files -> Arrow record batches for a given schema, with simdjson's On-Demand API
// straight into Arrow builders (no DOM). Newline-delimited by default; multiLine files
// hold one document or a top-level array of records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <arrow/type_fwd.h>

#include "inlet/formats/json/json_temporal.h"
#include "inlet/schema/evolution.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

class InferenceCheck;

// Spark's `mode` option: what a malformed record does. Malformed: not valid JSON (syntax,
// invalid UTF-8, nesting deeper than max_nesting_depth), not an object, trailing content
// after the object, or longer than max_record_bytes. A value that is valid JSON but does
// not fit its column is a type mismatch, never malformed.
enum class ParseMode {
  kPermissive,     // kept as a row whose columns are all null (raw text in the corrupt column)
  kDropMalformed,  // no row
  kFailFast,       // the read fails naming PATH:LINE and the byte offset
};

// One malformed record, as handed to JsonReadOptions::bad_record_sink.
struct BadRecord {
  std::string file_path;    // the file read (JsonReadOptions::file_path when set)
  int64_t line = 0;         // 1-based line of the record's start (multiLine: of the error)
  int64_t byte_offset = 0;  // offset of the record's first byte (decompressed, for .gz/.zst)
  std::string reason;       // e.g. "invalid JSON: ..." or "record is longer than ..."
  std::string raw;          // the record's text, at most bad_record_text_bytes of it
  bool raw_truncated = false;
};

// Called once per malformed record (PERMISSIVE and DROPMALFORMED), from the reading thread;
// an error from it stops the read and is returned.
using BadRecordSink = std::function<Status(const BadRecord&)>;

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

struct JsonReadOptions {
  bool multi_line = false;
  // Rows per emitted RecordBatch. 8192 IoT rows are about 3.5 MB of JSON: converted and
  // encoded to Parquet while still in cache. Against 65536 it lowered the 1 GB benchmark's
  // peak RSS from 180 to 140 MiB at the same speed.
  int64_t batch_rows = 8 * 1024;
  // A batch is emitted sooner once the text of its records reaches this many bytes, so that
  // what a batch holds is bounded whatever the records' shape: 8192 records of 300 KB each
  // would otherwise be 2.4 GB of builders.
  int64_t batch_bytes = 32LL << 20;

  // The rescued data column (rescuedDataColumn): "" for none, else the name of a top-level
  // string column of the schema that the reader fills itself (the JSON never feeds it).
  // Per record it holds a JSON object with every value that did not make it into a column,
  // under its original key and as its original JSON text, nested as in the record
  // ({"coordinates":{"latitude":"n/a"}}), plus "_file_path": the `file_path` below; null
  // when nothing was rescued. Rescued: a value whose type does not fit its column (the
  // column gets null); a field absent from the schema (unless stop_on_new_fields); a field
  // whose name matches a column only case-insensitively, when case_sensitive. Inside an
  // array or map, a rescued part rescues the whole original array/map value under the
  // path of its field (the column keeps what fit, null for the rest).
  std::string rescued_data_column;
  // singleVariantColumn: "" reads records into the schema's columns; else the schema's one
  // column (beside the corrupt record column), a VARIANT, to which every record goes whole,
  // whatever JSON value it is (objects, arrays, scalars alike, as Spark reads them).
  std::string single_variant_column;
  std::string file_path;  // the "_file_path" value; the path read when empty
  // readerCaseSensitive: false reads a field into the column its name matches
  // case-insensitively (an exact match wins); true rescues it (or ignores it with no
  // rescued data column).
  bool case_sensitive = true;
  // addNewColumns / failOnNewColumns: a field absent from the schema (and not a case
  // variant of one) stops the read at that record: ParseCounts::new_field_line is set, no
  // further batch is emitted from this file, and ReadJsonFile returns OK.
  bool stop_on_new_fields = false;
  // addNewColumnsWithTypeWidening: a value that fits a wider type Delta allows for its
  // column (a fraction or an out-of-range integer for byte/short/int, a number beyond
  // float's range for float) is recorded in ParseCounts::widenings (it is still rescued or
  // nulled as a mismatch; reading goes on). long never widens to double: Delta does not
  // allow it, so such values are only mismatches.
  bool collect_widenings = false;
  // NDJSON only: read the lines that start in [range_begin, range_end) of the file (-1:
  // to its end), so one large file can be parsed by several threads. Line numbers in
  // errors stay the file's.
  int64_t range_begin = 0;
  int64_t range_end = -1;

  // Malformed records (see ParseMode).
  ParseMode mode = ParseMode::kPermissive;
  // columnNameOfCorruptRecord: "" for none, else a top-level string column of the schema
  // the reader fills itself: a PERMISSIVE malformed record's raw text (at most
  // max_record_bytes of it), null for every other record.
  std::string corrupt_record_column;
  BadRecordSink bad_record_sink;  // may be empty
  // inlet.maxRecordBytes: a longer line is malformed; the reader never holds more than this
  // (plus its read chunk) of one line in memory.
  int64_t max_record_bytes = kDefaultMaxRecordBytes;
  int max_nesting_depth = kDefaultMaxNestingDepth;  // inlet.maxNestingDepth
  int64_t bad_record_text_bytes = 64 << 10;         // BadRecord::raw cap
  JsonDialect dialect;
  // dateFormat, timestampFormat and timeZone: how DATE and TIMESTAMP columns read strings.
  TemporalFormats temporal;

  // Reading a stream's first batch with an inference guess (json_inference_guess.h), NDJSON
  // only: every record that could make the sample infer something else (a type mismatch, a
  // key that is no column, a duplicate key, a non-null value where the guess saw only
  // nulls, "NaN" for a double, a malformed record) goes to the check; when it refutes the
  // guess, reading stops there as for a new field (ParseCounts::guess_refuted_line). The
  // rows read are what the same schema reads without a check.
  InferenceCheck* inference_check = nullptr;
};

struct ParseCounts {
  int64_t records = 0;
  int64_t bytes = 0;
  // Values present in the JSON that did not fit their column's type (e.g. "abc" for a
  // long): the column gets null. Fields absent from the schema are not counted.
  int64_t type_mismatches = 0;
  int64_t rescued_records = 0;  // records whose rescued data column is not null
  // stop_on_new_fields: the 1-based line (record number for multiLine arrays) where a new
  // field was met, and its path; 0 when none.
  int64_t new_field_line = 0;
  FieldPath new_field_path;
  // inference_check: the 1-based line of the record that refuted the guess; 0 when none.
  int64_t guess_refuted_line = 0;
  // collect_widenings: one entry per path, the widest type needed; merged across files.
  std::vector<TypeWidening> widenings;
  // Malformed records met (counted in `records` too): PERMISSIVE kept them as rows,
  // DROPMALFORMED did not. records = clean + rescued_records + bad_records.
  int64_t bad_records = 0;
  int64_t rows = 0;  // rows emitted to the sink
  // The read failed because the file itself could not be read on (a corrupt .gz, a read
  // error), not because a sink failed: what ignoreCorruptFiles may skip. Rows before the
  // damage were emitted.
  bool source_unreadable = false;
};

// Adds `from`'s counters into `into` and merges widenings (widest per path), so counts of
// files read by different threads total up as if one reader had read them all. The
// new-field fields are not merged: they belong to one file.
void MergeParseCounts(const ParseCounts& from, ParseCounts* into);

using BatchSink = std::function<Status(std::shared_ptr<arrow::RecordBatch>)>;

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
