// JSON files -> Arrow record batches for a given schema, with simdjson's On-Demand API
// straight into Arrow builders (no DOM). Newline-delimited by default; multiLine files
// hold one document or a top-level array of records.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <arrow/type_fwd.h>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

struct JsonReadOptions {
  bool multi_line = false;
  int64_t batch_rows = 64 * 1024;  // rows per emitted RecordBatch
};

struct ParseCounts {
  int64_t records = 0;
  int64_t bytes = 0;
  // Values present in the JSON that did not fit their column's type (e.g. "abc" for a
  // long): the column gets null. Fields absent from the schema are not counted.
  int64_t type_mismatches = 0;
};

using BatchSink = std::function<Status(std::shared_ptr<arrow::RecordBatch>)>;

// Reads `path`, converting each record to `schema` (ToArrowSchema(schema) layout) and
// handing batches to `sink`. Rules:
//  - field names match exactly; fields not in the schema are ignored; missing -> null;
//  - string columns take any scalar as its JSON text (numbers keep their literal text,
//    true/false as words), and objects/arrays as their raw JSON text, as Spark does;
//  - long/integer/short/byte take JSON integers in range; double/float take any number;
//    boolean takes true/false; date/timestamp/decimal take strings Spark would parse;
//  - anything else is a type mismatch: null, counted in `counts->type_mismatches`.
// A record that is not valid JSON (or not an object) fails with Status::Invalid naming
// "PATH:LINE" and what is wrong, and nothing more is emitted from the file (batches already
// handed to `sink` stay handed); blank lines are skipped. Duplicate keys in an object: the
// first occurrence wins. Counts are ADDED to `counts` (may be null), so one ParseCounts can
// total several files. A file with no records emits no batch.
Status ReadJsonFile(const std::string& path, const Schema& schema, const JsonReadOptions& options,
                    const BatchSink& sink, ParseCounts* counts);

}  // namespace inlet::json
