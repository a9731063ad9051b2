// A CSV file as a sequence of records, each already split into values: lines read (and
// decompressed, and by byte range) by the line reader JSON uses, ended at \n, \r\n or a lone
// \r as Spark's line reader ends them, joined while a quoted value is open with multiLine,
// decoded from ISO-8859-1 or windows-1252, comment and blank lines skipped. Internal to
// formats/csv.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/csv/csv_tokenizer.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/util/status.h"

namespace inlet::csv {

struct CsvRecord {
  std::string_view text;  // the record as read (valid UTF-8), valid until the next Next
  int64_t line = 0;       // 1-based line of its start (in the range, for a ranged read)
  int64_t offset = 0;     // byte offset of its start (decompressed)
  std::vector<CsvValue> values;
  SplitResult split;
  bool oversized = false;  // longer than the record limit: text is its head, values are empty
};

class CsvRecordReader {
 public:
  CsvRecordReader(const CsvOptions& options, int64_t max_record_bytes)
      : options_(options), tokenizer_(options), max_record_bytes_(max_record_bytes) {}

  // [range_begin, range_end) as NdjsonLineReader reads ranges: the records starting there.
  Status Open(const std::string& path, int64_t range_begin = 0, int64_t range_end = -1);
  // The next record, or false at the end of the file (or range).
  Result<bool> Next(CsvRecord* record);

  int64_t bytes_read() const { return lines_.bytes_read(); }
  bool compressed() const { return lines_.compressed(); }
  int64_t compressed_size() const { return lines_.compressed_size(); }
  Result<int64_t> FileLineNumber(int64_t line) { return lines_.FileLineNumber(line); }

 private:
  // The next physical line (a lone \r splits a line in two), decoded; false at the end.
  Result<bool> NextLine();

  const CsvOptions& options_;
  CsvTokenizer tokenizer_;
  int64_t max_record_bytes_;
  json::NdjsonLineReader lines_;
  json::JsonLine physical_;
  size_t segment_begin_ = 0;  // where the next \r-separated piece of physical_ starts
  bool have_physical_ = false;
  bool done_ = false;  // an oversized multiLine record took the rest of the file
  // The current line: text, number, offset, whether the reader cut it.
  std::string_view line_;
  int64_t line_number_ = 0;
  int64_t line_offset_ = 0;
  bool line_oversized_ = false;
  std::string decoded_;  // a line decoded to UTF-8
  std::string record_;   // a multiLine record joined from lines, or a line made valid UTF-8
};

}  // namespace inlet::csv
