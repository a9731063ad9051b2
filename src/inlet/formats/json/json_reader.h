// JSON files -> Arrow record batches for a given schema, with simdjson's On-Demand API
// straight into Arrow builders (no DOM). Newline-delimited by default; multiLine files
// hold one document or a top-level array of records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <arrow/type_fwd.h>

#include "inlet/schema/evolution.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

struct JsonReadOptions {
  bool multi_line = false;
  int64_t batch_rows = 64 * 1024;  // rows per emitted RecordBatch

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
  // collect_widenings: one entry per path, the widest type needed; merged across files.
  std::vector<TypeWidening> widenings;
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
// A record that is not valid JSON (or not an object) fails with Status::Invalid naming
// "PATH:LINE" and what is wrong, and nothing more is emitted from the file (batches already
// handed to `sink` stay handed); blank lines are skipped. Duplicate keys in an object: the
// first occurrence wins. Counts are ADDED to `counts` (may be null), so one ParseCounts can
// total several files. A file with no records emits no batch.
Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts);

}  // namespace inlet::json
