// Fuzzes CSV -> Arrow columns (inlet::csv::ReadCsvFile) and CSV inference, in Spark's regime
// (no rescued column) and Auto Loader's (rescued column), under options the first two input
// bytes pick. Checks what the seam promises: valid batches, counts that add up per mode, and
// two byte ranges reading every record of a file once.
#include <arrow/api.h>

#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/formats/csv/csv_format.h"
#include "inlet/schema/ddl.h"

namespace {

using inlet::formats::MalformedRecordMode;

const inlet::Schema& FuzzSchema(bool rescue) {
  static const inlet::Schema with = inlet::ParseDdlSchema(
      "id BIGINT, small INT, tiny TINYINT, score DOUBLE, ratio FLOAT, name STRING, ok BOOLEAN, ts TIMESTAMP, "
      "day DATE, amount DECIMAL(9,2), big DECIMAL(38,10), _rescued_data STRING, _corrupt_record STRING").ValueOrDie();
  static const inlet::Schema without = inlet::ParseDdlSchema(
      "id BIGINT, name STRING, score DOUBLE, day DATE, amount DECIMAL(9,2), _corrupt_record STRING").ValueOrDie();
  return rescue ? with : without;
}

struct ReadResult {
  inlet::Status status;
  inlet::formats::ReadCounts counts;
  int64_t sink_rows = 0;
  int64_t bad_seen = 0;
};

ReadResult Read(const std::string& path, const inlet::csv::CsvOptions& csv, const inlet::formats::ReadOptions& options,
                bool rescue, int64_t file_size) {
  ReadResult result;
  inlet::formats::ReadOptions with_sink = options;
  with_sink.bad_record_sink = [&](const inlet::formats::BadRecord& bad) {
    INLET_FUZZ_CHECK(bad.line >= 1, "bad record line " + std::to_string(bad.line));
    INLET_FUZZ_CHECK(bad.byte_offset >= 0 && bad.byte_offset <= file_size, "bad record offset");
    ++result.bad_seen;
    return inlet::Status::OK();
  };
  result.status = inlet::csv::ReadCsvFile(
      path, FuzzSchema(rescue), csv, with_sink,
      [&](std::shared_ptr<arrow::RecordBatch> batch) {
        auto valid = batch->ValidateFull();
        INLET_FUZZ_CHECK(valid.ok(), valid.ToString());
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
  const std::string_view text(reinterpret_cast<const char*>(data) + 2, size - 2);

  inlet::csv::CsvOptions csv;
  csv.header = (flags & 0x01) != 0;
  csv.multi_line = (flags & 0x02) != 0;
  if (flags & 0x04) csv.escape = '"';
  if (flags & 0x08) {
    csv.ignore_leading_white_space = csv.ignore_trailing_white_space = true;
    csv.sep = ";;";
    csv.comment = '#';
    csv.null_value = "NA";
  }
  csv.unescaped_quotes = static_cast<inlet::csv::UnescapedQuotes>((split >> 5) % 4);  // not RAISE_ERROR
  const bool rescue = (flags & 0x10) != 0;
  inlet::formats::ReadOptions options;
  switch ((flags >> 5) & 0x03) {
    case 2: options.mode = MalformedRecordMode::kDropMalformed; break;
    case 3: options.mode = MalformedRecordMode::kFailFast; break;
    default: options.mode = MalformedRecordMode::kPermissive; break;
  }
  if (flags & 0x80) {  // small limits, so the over-the-limit paths run on small inputs
    options.max_record_bytes = 64;
    csv.max_columns = 8;
    csv.max_chars_per_column = 16;
    options.batch_rows = 2;
  }
  if (rescue) options.rescued_data_column = "_rescued_data";
  options.corrupt_record_column = "_corrupt_record";
  options.file_path = "/landing/fuzz.csv";

  const std::string path = inlet::fuzz::ScratchDir() + "/input.csv";
  inlet::fuzz::WriteFile(path, text);
  const auto size_bytes = static_cast<int64_t>(text.size());
  ReadResult full = Read(path, csv, options, rescue, size_bytes);
  inlet::formats::SampleOptions sample;
  sample.infer_column_types = (split & 0x01) != 0;
  (void)inlet::csv::InferCsvSchema({path}, csv, sample);
  if (!full.status.ok()) return 0;

  const auto& c = full.counts;
  INLET_FUZZ_CHECK(full.sink_rows == c.rows, "rows handed to the sink != counts.rows");
  INLET_FUZZ_CHECK(c.bad_records <= c.records, "more bad records than records");
  if (options.mode == MalformedRecordMode::kPermissive) {
    INLET_FUZZ_CHECK(c.rows == c.records, "PERMISSIVE lost a record");
  } else if (options.mode == MalformedRecordMode::kDropMalformed) {
    INLET_FUZZ_CHECK(c.rows == c.records - c.bad_records, "DROPMALFORMED rows mismatch");
  } else {
    INLET_FUZZ_CHECK(c.bad_records == 0, "FAILFAST read succeeded with bad records");
  }
  if (options.mode != MalformedRecordMode::kFailFast) {
    INLET_FUZZ_CHECK(full.bad_seen == c.bad_records, "bad record sink calls != bad_records");
  }
  // Read as two ranges split anywhere, the file's records are read exactly once.
  if (!csv.multi_line && size_bytes > 0) {
    const int64_t cut = size_bytes * split / 255;
    inlet::formats::ReadOptions first = options;
    first.range_end = cut;
    inlet::formats::ReadOptions second = options;
    second.range_begin = cut;
    ReadResult a = Read(path, csv, first, rescue, size_bytes);
    ReadResult b = Read(path, csv, second, rescue, size_bytes);
    if (a.status.ok() && b.status.ok()) {
      INLET_FUZZ_CHECK(a.counts.records + b.counts.records == c.records,
                       "ranged reads at " + std::to_string(cut) + " saw " + std::to_string(a.counts.records) + "+" +
                           std::to_string(b.counts.records) + " records, whole file " + std::to_string(c.records));
    }
  }
  return 0;
}
