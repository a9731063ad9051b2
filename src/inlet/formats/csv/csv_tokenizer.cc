// The rules are univocity's as Spark configures it, checked against Spark 4.2 by the
// differential test (tests/integration/test_csv_spark_differential.py).
#include "inlet/formats/csv/csv_tokenizer.h"

#include <cstring>

#include <fmt/format.h>

namespace inlet::csv {

size_t CsvTokenizer::FindSep(std::string_view s, size_t from) const {
  const char first = options_.sep[0];
  if (options_.sep.size() == 1) {
    const void* hit = from < s.size() ? std::memchr(s.data() + from, first, s.size() - from) : nullptr;
    return hit == nullptr ? s.size() : static_cast<size_t>(static_cast<const char*>(hit) - s.data());
  }
  while (from < s.size()) {
    const void* hit = std::memchr(s.data() + from, first, s.size() - from);
    if (hit == nullptr) return s.size();
    from = static_cast<size_t>(static_cast<const char*>(hit) - s.data());
    if (SepAt(s, from)) return from;
    ++from;
  }
  return s.size();
}

SplitResult CsvTokenizer::Split(std::string_view s, std::vector<CsvValue>* values) {
  SplitResult result;
  values->clear();
  unescaped_.clear();
  // Views into unescaped_ must survive its growth: it never holds more than the record.
  unescaped_.reserve(s.size());
  const char quote = options_.quote;
  const char escape = options_.escape;
  const size_t sep_size = options_.sep.size();
  size_t pos = 0;
  while (true) {
    if (options_.ignore_leading_white_space) {
      while (pos < s.size() && IsSpace(s, pos)) ++pos;
    }
    CsvValue value;
    if (quote != '\0' && pos < s.size() && s[pos] == quote) {
      const size_t raw_begin = pos;
      const size_t out_begin = unescaped_.size();
      bool closed = false;
      bool raw = false;  // an unescaped quote: the value is its text as it stands
      ++pos;
      while (pos < s.size()) {
        const char c = s[pos];
        if (c == escape && escape != '\0' && escape != quote && pos + 1 < s.size() && (s[pos + 1] == quote || s[pos + 1] == escape)) {
          unescaped_.push_back(s[pos + 1]);  // \" is a quote, \\ a backslash; before anything else it is text
          pos += 2;
          continue;
        }
        if (c != quote) {
          unescaped_.push_back(c);
          ++pos;
          continue;
        }
        // A run of quotes. With the escape a quote, pairs are quotes; otherwise (univocity's
        // rule) each quote after the first is one. A quote left over may close the value.
        size_t run = 0;
        while (pos + run < s.size() && s[pos + run] == quote) ++run;
        const size_t literal = escape == quote ? run / 2 : run - 1;
        unescaped_.append(literal, quote);
        pos += run;
        if (escape == quote && run % 2 == 0) continue;
        size_t after = pos;  // after the closing quote: optional spaces, then a separator or the end
        while (after < s.size() && IsSpace(s, after)) ++after;
        if (after == s.size() || SepAt(s, after)) {
          pos = after;
          closed = true;
          break;
        }
        switch (options_.unescaped_quotes) {
          case UnescapedQuotes::kStopAtClosingQuote:
            unescaped_.push_back(quote);
            continue;
          case UnescapedQuotes::kBackToDelimiter:
            continue;  // the quote is dropped and the value goes on as quoted
          case UnescapedQuotes::kRaiseError:
            result.error = fmt::format("unescaped quote in a quoted value at byte {} of the record", pos - 1);
            result.fatal = true;
            return result;
          case UnescapedQuotes::kSkipValue:
            value.null = true;
            [[fallthrough]];
          case UnescapedQuotes::kStopAtDelimiter:
            raw = true;
            break;
        }
        break;
      }
      if (raw) {
        const size_t end = FindSep(s, pos);
        value.text = value.null ? std::string_view() : s.substr(raw_begin, end - raw_begin);
        if (options_.ignore_trailing_white_space) {
          while (!value.text.empty() && static_cast<unsigned char>(value.text.back()) <= ' ') value.text.remove_suffix(1);
        }
        pos = end;
      } else {
        if (!closed) result.open_quote = true;
        value.quoted = true;
        value.text = std::string_view(unescaped_).substr(out_begin);
        if (!closed && value.text.empty() && pos == raw_begin + 1) {
          value.text = s.substr(raw_begin, 1);  // a lone quote at the end is itself (univocity)
        } else if (value.text.empty()) {
          value.text = options_.empty_value;
        }
      }
    } else {
      const size_t end = FindSep(s, pos);
      value.text = s.substr(pos, end - pos);
      if (options_.ignore_trailing_white_space) {
        while (!value.text.empty() && static_cast<unsigned char>(value.text.back()) <= ' ') value.text.remove_suffix(1);
      }
      value.null = value.text.empty();
      pos = end;
    }
    if (options_.max_chars_per_column > 0 && static_cast<int64_t>(value.text.size()) > options_.max_chars_per_column) {
      result.error = fmt::format("value {} is longer than maxCharsPerColumn ({} bytes)", values->size() + 1,
                                 options_.max_chars_per_column);
      return result;
    }
    values->push_back(value);
    if (static_cast<int64_t>(values->size()) > options_.max_columns) {
      result.error = fmt::format("more than maxColumns ({}) values", options_.max_columns);
      return result;
    }
    if (pos >= s.size() || result.open_quote) break;
    pos += sep_size;  // at a separator: another value follows, empty if the record ends here
  }
  return result;
}

}  // namespace inlet::csv
