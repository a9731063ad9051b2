// CSV's option rows: Spark's CSV reader options with its defaults, each parsed into
// CsvOptions; a value Spark would refuse, or one inlet does not read, is an error naming it.
#include <fmt/format.h>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/format_options.h"
#include "inlet/util/strings.h"

namespace inlet::csv {
namespace {

using formats::FormatOptionRow;
using formats::SetBoolean;
using formats::SetString;
using O = CsvOptions;

template <auto Member>
Status SetChar(std::string_view option, std::string_view value, O* out) {
  INLET_ASSIGN_OR_RAISE(std::string c, formats::ParseCharacterOption(option, value, /*allow_none=*/true));
  out->*Member = c.empty() ? '\0' : c[0];
  return Status::OK();
}

Status SetSep(std::string_view option, std::string_view value, O* out) {
  if (value.empty()) return formats::BadOptionValue(option, "a non-empty separator", value);
  if (value.size() > 1 && value[0] == '\\') {
    INLET_ASSIGN_OR_RAISE(out->sep, formats::ParseCharacterOption(option, value, false));
    return Status::OK();
  }
  out->sep = std::string(value);
  return Status::OK();
}

template <auto Member>
Status SetCount(std::string_view option, std::string_view value, O* out) {
  INLET_ASSIGN_OR_RAISE(out->*Member, formats::ParseIntegerOption(option, value, 1, int64_t{1} << 40));
  return Status::OK();
}

Status SetMaxChars(std::string_view option, std::string_view value, O* out) {
  INLET_ASSIGN_OR_RAISE(out->max_chars_per_column, formats::ParseIntegerOption(option, value, -1, int64_t{1} << 40));
  if (out->max_chars_per_column == 0) return formats::BadOptionValue(option, "-1 (no limit) or a positive count", value);
  return Status::OK();
}

Status SetCharset(std::string_view option, std::string_view value, O* out) {
  std::string name;
  for (char c : AsciiLower(value)) {
    if (c != '-' && c != '_') name += c;
  }
  if (name == "utf8") {
    out->charset = Charset::kUtf8;
  } else if (name == "iso88591" || name == "latin1" || name == "l1") {
    out->charset = Charset::kLatin1;
  } else if (name == "windows1252" || name == "cp1252") {
    out->charset = Charset::kWindows1252;
  } else if (name == "usascii" || name == "ascii") {
    out->charset = Charset::kUtf8;  // ASCII is UTF-8's first 128 characters
  } else {
    return Status::Invalid(fmt::format(
        "option {}='{}' is not supported: inlet reads CSV in UTF-8, ISO-8859-1 and windows-1252; convert the "
        "files, e.g. with iconv -t UTF-8",
        option, value));
  }
  return Status::OK();
}

// Spark's CSV lineSep: one character; inlet's line splitting ends lines at \n, \r\n and \r.
Status AcceptLineSep(std::string_view option, std::string_view value, O*) {
  if (value == "\n" || value == "\\n" || value == "\r\n" || value == "\\r\\n" || value == "\r" || value == "\\r") {
    return Status::OK();
  }
  return Status::Invalid(fmt::format(
      "option {}='{}' is not supported: inlet ends a CSV line at \\n, \\r\\n or \\r only", option, value));
}

Status SetUnescapedQuotes(std::string_view option, std::string_view value, O* out) {
  const std::string upper = AsciiUpper(value);
  if (upper == "STOP_AT_DELIMITER") {
    out->unescaped_quotes = UnescapedQuotes::kStopAtDelimiter;
  } else if (upper == "BACK_TO_DELIMITER") {
    out->unescaped_quotes = UnescapedQuotes::kBackToDelimiter;
  } else if (upper == "STOP_AT_CLOSING_QUOTE") {
    out->unescaped_quotes = UnescapedQuotes::kStopAtClosingQuote;
  } else if (upper == "SKIP_VALUE") {
    out->unescaped_quotes = UnescapedQuotes::kSkipValue;
  } else if (upper == "RAISE_ERROR") {
    out->unescaped_quotes = UnescapedQuotes::kRaiseError;
  } else {
    return formats::BadOptionValue(
        option, "STOP_AT_DELIMITER, BACK_TO_DELIMITER, STOP_AT_CLOSING_QUOTE, SKIP_VALUE or RAISE_ERROR", value);
  }
  return Status::OK();
}

const std::vector<FormatOptionRow<O>>& Rows() {
  static const std::vector<FormatOptionRow<O>> kRows = {
      {{"header", "boolean", "false",
        "The first line of each file names the columns (inference takes the names from it); false names them "
        "_c0, _c1, ..."},
       &SetBoolean<&O::header>},
      {{"sep", "string", ",", "What separates values (also delimiter); \\t for a tab; several characters allowed."},
       &SetSep},
      {{"delimiter", "string", ",", "The same as sep."}, &SetSep},
      {{"quote", "character", "\"",
        "Encloses a value that holds separators or line breaks; empty turns quoting off."},
       &SetChar<&O::quote>},
      {{"escape", "character", "\\",
        "Before a quote inside a quoted value; set it to \" to read RFC 4180's doubled quotes (\"\")."},
       &SetChar<&O::escape>},
      {{"comment", "character", "none", "Lines that start with this character are skipped."}, &SetChar<&O::comment>},
      {{"nullValue", "string", "empty", "A value equal to this reads as null (an empty unquoted value always does)."},
       &SetString<&O::null_value>},
      {{"emptyValue", "string", "empty", "What a quoted empty value (\"\") reads as before the nullValue check."},
       &SetString<&O::empty_value>},
      {{"nanValue", "string", "NaN", "The text of a floating-point NaN."}, &SetString<&O::nan_value>},
      {{"positiveInf", "string", "Inf", "The text of floating-point positive infinity."}, &SetString<&O::positive_inf>},
      {{"negativeInf", "string", "-Inf", "The text of floating-point negative infinity."}, &SetString<&O::negative_inf>},
      {{"multiLine", "boolean", "false",
        "A quoted value may span lines; a file is then read by one thread. false: every line is a record."},
       &SetBoolean<&O::multi_line>},
      {{"ignoreLeadingWhiteSpace", "boolean", "false", "Spaces before a value are dropped."},
       &SetBoolean<&O::ignore_leading_white_space>},
      {{"ignoreTrailingWhiteSpace", "boolean", "false", "Spaces after a value are dropped."},
       &SetBoolean<&O::ignore_trailing_white_space>},
      {{"encoding", "charset", "UTF-8", "The files' character set: UTF-8, ISO-8859-1 or windows-1252 (also charset)."},
       &SetCharset},
      {{"charset", "charset", "UTF-8", "The same as encoding."}, &SetCharset},
      {{"lineSep", "\\n, \\r\\n or \\r", "any", "Lines end at \\n, \\r\\n or \\r, whichever the file has."},
       &AcceptLineSep},
      {{"maxColumns", "integer", "20480", "A record with more values than this is malformed."},
       &SetCount<&O::max_columns>},
      {{"maxCharsPerColumn", "integer", "-1", "A value longer than this (in bytes) makes its record malformed; -1: no limit."},
       &SetMaxChars},
      {{"unescapedQuoteHandling", "STOP_AT_DELIMITER, BACK_TO_DELIMITER, STOP_AT_CLOSING_QUOTE, SKIP_VALUE or RAISE_ERROR",
        "STOP_AT_DELIMITER",
        "What a quote inside a value that is not escaped does: the value runs to the separator (as read), to a "
        "closing quote, is read as null, or makes the record malformed."},
       &SetUnescapedQuotes},
      {{"enforceSchema", "boolean", "true",
        "With header and without a rescued data column: true reads values by position whatever the header says; "
        "false fails a file whose header does not name the schema's columns in order."},
       &SetBoolean<&O::enforce_schema>},
      {{"prefersDecimal", "boolean", "false",
        "Accepted, no effect, as in Spark 4.2's CSV inference: a fraction is a double, and only an integer too "
        "long for a long (up to 38 digits) is a decimal."},
       &SetBoolean<&O::prefers_decimal>},
      {{"preferDate", "boolean", "true",
        "Inference types values that match dateFormat (yyyy-MM-dd) as date; false: as timestamp."},
       &SetBoolean<&O::prefer_date>},
  };
  return kRows;
}

}  // namespace

std::vector<formats::OptionRow> CsvOptionRows() { return formats::SpecsOf(Rows()); }

Result<CsvOptions> ParseCsvOptions(const formats::FormatOptionValues& values) {
  INLET_ASSIGN_OR_RAISE(CsvOptions options, formats::ParseFormatOptions(Rows(), values));
  if (options.quote != '\0' && options.sep.find(options.quote) != std::string::npos) {
    return Status::Invalid(fmt::format("options sep and quote: the quote '{}' cannot be part of the separator '{}'",
                                       options.quote, options.sep));
  }
  if (options.sep.find('\n') != std::string::npos || options.sep.find('\r') != std::string::npos) {
    return Status::Invalid("option sep: a line break cannot separate values");
  }
  return options;
}

}  // namespace inlet::csv
