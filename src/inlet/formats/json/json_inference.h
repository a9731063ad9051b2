// Infers a schema from JSON files the way Auto Loader does for JSON: the structure of
// objects and arrays, with leaves as string unless inferColumnTypes is on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::json {

struct InferenceOptions {
  bool infer_column_types = false;  // false: every leaf is string (structure kept)
  bool multi_line = false;
  int64_t max_files = 1000;
  int64_t max_bytes = 50LL << 30;  // stop after this many input bytes have been sampled
  int threads = 1;  // files sampled in parallel; the result is the same for any count
  // Malformed records (json_reader.h's ParseMode) are skipped by inference unless
  // kFailFast, which fails as ReadJsonFile would. Lines longer than max_record_bytes and
  // records nested deeper than max_nesting_depth are malformed here too.
  ParseMode mode = ParseMode::kPermissive;
  int64_t max_record_bytes = kDefaultMaxRecordBytes;
  int max_nesting_depth = kDefaultMaxNestingDepth;
  JsonDialect dialect;  // as the reader's (json_reader.h): what counts as a record
  // Spark's prefersDecimal: a number with a fraction or exponent is a decimal as Java's
  // BigDecimal sizes it (1.50 -> decimal(3,2)), double past 38 digits.
  bool prefers_decimal = false;
  // Spark's dropFieldIfAllNull: a field only ever null (or an empty array, a struct of such
  // fields) gets no column, instead of a string one.
  bool drop_field_if_all_null = false;
  // Spark's ignoreCorruptFiles: a sampled file whose read fails (a corrupt .gz) adds what
  // was read of it before the failure, instead of failing the inference.
  bool ignore_corrupt_files = false;
};

// Samples `paths` in order (up to the limits), merges every record's type with the
// lattice in schema/inference.h and finalizes (null-only -> string). Fields are sorted by
// name at every level. With infer_column_types: integers -> long, other numbers -> double,
// true/false -> boolean, strings -> string. Malformed records: see options.mode. Compressed
// files (.gz, .zst) are decompressed. No records at all -> an empty schema.
Result<Schema> InferJsonSchema(const std::vector<std::string>& paths,
                               const InferenceOptions& options);

}  // namespace inlet::json
