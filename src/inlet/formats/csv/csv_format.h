// CSV as a FileFormat (format.h), read as Spark's CSV source reads it (its univocity
// settings): Spark's option names and defaults, its tokenizing of quotes, escapes and ragged
// rows, its null and number rules, and its type inference.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "inlet/formats/format.h"

namespace inlet::csv {

// How unquoted quotes inside a value are read (Spark's unescapedQuoteHandling).
enum class UnescapedQuotes {
  kStopAtDelimiter,    // STOP_AT_DELIMITER (Spark's default): the value runs, quotes and all, to the delimiter
  kBackToDelimiter,    // BACK_TO_DELIMITER: the same (univocity's difference is in what it keeps buffered)
  kStopAtClosingQuote, // STOP_AT_CLOSING_QUOTE: the quote is content; the value runs to a closing quote
  kSkipValue,          // SKIP_VALUE: the value is read as null
  kRaiseError,         // RAISE_ERROR: the record is malformed
};

enum class Charset { kUtf8, kLatin1, kWindows1252 };

// The options only CSV reads (its rows in csv_options.cc), with Spark's defaults.
struct CsvOptions {
  bool header = false;                   // header: the first line of each file names the columns
  std::string sep = ",";                 // sep / delimiter (one or more characters)
  char quote = '"';                      // quote; '\0': no quoting
  char escape = '\\';                    // escape: before a quote inside a quoted value
  char comment = '\0';                   // comment: lines starting with it are skipped
  std::string null_value;                // nullValue
  std::string empty_value;               // emptyValue: what a quoted empty value reads as
  std::string nan_value = "NaN";         // nanValue
  std::string positive_inf = "Inf";      // positiveInf
  std::string negative_inf = "-Inf";     // negativeInf
  bool multi_line = false;               // multiLine: quoted values may span lines
  bool ignore_leading_white_space = false;   // ignoreLeadingWhiteSpace
  bool ignore_trailing_white_space = false;  // ignoreTrailingWhiteSpace
  Charset charset = Charset::kUtf8;      // encoding / charset
  int64_t max_columns = 20480;           // maxColumns
  int64_t max_chars_per_column = -1;     // maxCharsPerColumn; -1: no limit
  UnescapedQuotes unescaped_quotes = UnescapedQuotes::kStopAtDelimiter;  // unescapedQuoteHandling
  bool enforce_schema = true;            // enforceSchema: header names are not checked against the schema
  bool prefers_decimal = false;          // prefersDecimal: accepted; Spark 4.2's CSV inference ignores it
  bool prefer_date = true;               // preferDate: inference types yyyy-MM-dd text as date
};

std::vector<formats::OptionRow> CsvOptionRows();
Result<CsvOptions> ParseCsvOptions(const formats::FormatOptionValues& values);
Result<std::shared_ptr<const formats::FileFormat>> MakeCsvFormat(const formats::FormatOptionValues& values);

// Reads one CSV file under `schema`: the seam's contract (FileFormat::ReadFile).
Status ReadCsvFile(const std::string& path, const Schema& schema, const CsvOptions& csv,
                   const formats::ReadOptions& options, const formats::BatchSink& sink, formats::ReadCounts* counts);

// Spark's CSV inference over the sampled files: names from the header (or _c0, _c1, ...),
// duplicates made unique as Spark does, types by Spark's rules with infer_column_types,
// else strings. Columns of later files' headers not seen before are added after.
Result<Schema> InferCsvSchema(const std::vector<std::string>& paths, const CsvOptions& csv,
                              const formats::SampleOptions& options);

// OK, or Invalid naming the first column CSV cannot fill (structs, arrays, maps, binary, variant).
Status CheckCsvReadable(const Schema& schema);

}  // namespace inlet::csv
