// Fuzzes JSON -> Arrow columns (inlet::json::ReadJsonFile) against a fixed nested schema,
// with the rescued data and corrupt record columns on. The first input byte picks options.
#include <arrow/api.h>

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/ddl.h"

namespace {

using inlet::json::BadRecord;
using inlet::json::JsonReadOptions;
using inlet::json::ParseCounts;
using inlet::json::ParseMode;

// Every kind of column the converter has a path for, nested the ways data nests.
constexpr const char* kSchemaDdl =
    "id BIGINT, small INT, tiny TINYINT, score DOUBLE, ratio FLOAT, name STRING, ok BOOLEAN, "
    "ts TIMESTAMP, day DATE, amount DECIMAL(9,2), big DECIMAL(38,10), raw BINARY, "
    "tags ARRAY<STRING>, loc STRUCT<lat: DOUBLE, lon: DOUBLE, label STRING>, "
    "readings ARRAY<STRUCT<t: TIMESTAMP, v: DOUBLE, flags ARRAY<BOOLEAN>>>, "
    "attrs MAP<STRING, BIGINT>, "
    // Names past the 32 bytes keys are compared with in place, and past simdjson's padding.
    "a_name_of_forty_bytes_for_the_long_path_ STRING, "
    "a_name_of_eighty_bytes_that_is_longer_than_the_padding_after_a_document_00000080 BIGINT, "
    "deep STRUCT<a: STRUCT<b: ARRAY<MAP<STRING, DECIMAL(12,4)>>, `Mixed Case` INT>>, "
    "_rescued_data STRING, _corrupt_record STRING";

const inlet::Schema& FuzzSchema() {
  static const inlet::Schema schema = [] {
    auto parsed = inlet::ParseDdlSchema(kSchemaDdl);
    INLET_FUZZ_CHECK(parsed.ok(), parsed.status().ToString());
    return *parsed;
  }();
  return schema;
}

struct ReadResult {
  inlet::Status status;
  ParseCounts counts;
  int64_t sink_rows = 0;
  int64_t bad_seen = 0;
};

ReadResult Read(const std::string& path, const JsonReadOptions& options, int64_t file_size) {
  ReadResult result;
  JsonReadOptions with_sink = options;
  with_sink.bad_record_sink = [&](const BadRecord& bad) {
    INLET_FUZZ_CHECK(bad.line >= 1, "bad record line " + std::to_string(bad.line));
    INLET_FUZZ_CHECK(bad.byte_offset >= 0 && bad.byte_offset <= file_size,
                     "bad record offset " + std::to_string(bad.byte_offset));
    INLET_FUZZ_CHECK(static_cast<int64_t>(bad.raw.size()) <= options.bad_record_text_bytes,
                     "bad record text over its cap");
    ++result.bad_seen;
    return inlet::Status::OK();
  };
  result.status = inlet::json::ReadJsonFile(
      path, FuzzSchema(), with_sink,
      [&](std::shared_ptr<arrow::RecordBatch> batch) {
        // Malformed Arrow data would crash whoever reads the batch next (Parquet writer).
        auto valid = batch->ValidateFull();
        INLET_FUZZ_CHECK(valid.ok(), valid.ToString());
        INLET_FUZZ_CHECK(batch->num_rows() <= options.batch_rows, "batch over batch_rows");
        result.sink_rows += batch->num_rows();
        return inlet::Status::OK();
      },
      &result.counts);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const uint8_t flags = data[0];
  const uint8_t split = data[1];
  const std::string_view json(reinterpret_cast<const char*>(data) + 2, size - 2);

  JsonReadOptions options;
  options.multi_line = (flags & 0x01) != 0;
  switch ((flags >> 1) & 0x03) {
    case 2: options.mode = ParseMode::kDropMalformed; break;
    case 3: options.mode = ParseMode::kFailFast; break;
    default: options.mode = ParseMode::kPermissive; break;
  }
  options.case_sensitive = (flags & 0x08) == 0;
  options.collect_widenings = (flags & 0x10) != 0;
  options.stop_on_new_fields = (flags & 0x20) != 0;
  if (flags & 0x40) {  // small limits, so the over-the-limit paths run on small inputs
    options.max_record_bytes = 256;
    options.max_nesting_depth = 6;
    options.bad_record_text_bytes = 16;
  }
  options.batch_rows = (flags & 0x80) ? 2 : 1024;
  options.rescued_data_column = "_rescued_data";
  options.corrupt_record_column = "_corrupt_record";
  options.file_path = "/landing/fuzz.json";
  if (split & 0x01) {  // Spark's whole lenient dialect: the rewrite-and-reread path
    auto& d = options.dialect;
    d.allow_comments = d.allow_unquoted_field_names = d.allow_numeric_leading_zeros = true;
    d.allow_backslash_escaping_any_character = d.allow_unquoted_control_chars = true;
  } else if (split & 0x02) {
    options.dialect.allow_single_quotes = options.dialect.allow_non_numeric_numbers = false;
  }

  const std::string path = inlet::fuzz::ScratchDir() + "/input.json";
  inlet::fuzz::WriteFile(path, json);
  const auto size_bytes = static_cast<int64_t>(json.size());
  ReadResult full = Read(path, options, size_bytes);
  // A build that binds simdjson to pyarrow's copy fails every input: fail loudly instead.
  INLET_FUZZ_CHECK(inlet::json::CheckSimdjsonLinkage().ok(), "simdjson linkage");
  if (!full.status.ok()) return 0;

  const ParseCounts& c = full.counts;
  INLET_FUZZ_CHECK(full.sink_rows == c.rows, "rows handed to the sink != counts.rows");
  INLET_FUZZ_CHECK(c.bad_records <= c.records, "more bad records than records");
  if (!options.stop_on_new_fields || c.new_field_line == 0) {
    if (options.mode == ParseMode::kPermissive) {
      INLET_FUZZ_CHECK(c.rows == c.records, "PERMISSIVE lost a record");
    } else if (options.mode == ParseMode::kDropMalformed) {
      INLET_FUZZ_CHECK(c.rows == c.records - c.bad_records, "DROPMALFORMED rows mismatch");
    } else {
      INLET_FUZZ_CHECK(c.bad_records == 0, "FAILFAST read succeeded with bad records");
    }
  }
  if (options.mode != ParseMode::kFailFast) {
    INLET_FUZZ_CHECK(full.bad_seen == c.bad_records, "bad record sink calls != bad_records");
  }

  // NDJSON read as two ranges split anywhere reads every record exactly once.
  if (!options.multi_line && !options.stop_on_new_fields && size_bytes > 0) {
    const int64_t cut = size_bytes * split / 255;
    JsonReadOptions first = options;
    first.range_end = cut;
    JsonReadOptions second = options;
    second.range_begin = cut;
    ReadResult a = Read(path, first, size_bytes);
    ReadResult b = Read(path, second, size_bytes);
    if (a.status.ok() && b.status.ok()) {
      INLET_FUZZ_CHECK(a.counts.records + b.counts.records == c.records,
                       "ranged reads at " + std::to_string(cut) + " saw " +
                           std::to_string(a.counts.records) + "+" +
                           std::to_string(b.counts.records) + " records, whole file " +
                           std::to_string(c.records));
      INLET_FUZZ_CHECK(a.counts.bad_records + b.counts.bad_records == c.bad_records,
                       "ranged reads disagree on bad records");
    }
  }
  return 0;
}
