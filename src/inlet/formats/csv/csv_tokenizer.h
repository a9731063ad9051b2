// One CSV record's text split into values the way Spark's CSV reader (univocity, with
// Spark's settings) splits it: quotes, escapes, separators of any length, what a quote in the
// middle of a value does, empty unquoted values as null. Internal to formats/csv.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/csv/csv_format.h"

namespace inlet::csv {

struct CsvValue {
  std::string_view text;  // valid until the next Split
  bool quoted = false;
  bool null = false;      // an empty unquoted value (or one SKIP_VALUE skipped)
};

struct SplitResult {
  bool open_quote = false;  // the text ended inside a quoted value (multiLine: read on)
  std::string error;        // non-empty: the record is malformed, and why
  bool fatal = false;       // the error fails the read, whatever the mode (RAISE_ERROR, as Spark)
};

class CsvTokenizer {
 public:
  explicit CsvTokenizer(const CsvOptions& options) : options_(options) {}

  // Splits `record` (no line break at its end) into `values`.
  SplitResult Split(std::string_view record, std::vector<CsvValue>* values);

 private:
  bool SepAt(std::string_view s, size_t pos) const {
    if (options_.sep.size() == 1) return pos < s.size() && s[pos] == options_.sep[0];  // the usual case, no memcmp
    return s.size() - pos >= options_.sep.size() && s.compare(pos, options_.sep.size(), options_.sep) == 0;
  }
  size_t FindSep(std::string_view s, size_t from) const;
  bool IsSpace(std::string_view s, size_t pos) const { return static_cast<unsigned char>(s[pos]) <= ' ' && !SepAt(s, pos); }

  const CsvOptions& options_;
  std::string unescaped_;  // quoted values without their quotes and escapes
};

}  // namespace inlet::csv
