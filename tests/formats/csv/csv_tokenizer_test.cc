// Records split as Spark 4.2 splits them (each expectation was read back from Spark with the
// same options; tests/integration/test_csv_spark_differential.py checks more against it).
#include "inlet/formats/csv/csv_tokenizer.h"

#include <gtest/gtest.h>

namespace inlet::csv {
namespace {

// The values as text, "<null>" for a null one.
std::vector<std::string> Split(std::string_view record, const CsvOptions& options = {}, SplitResult* result = nullptr) {
  CsvTokenizer tokenizer(options);
  std::vector<CsvValue> values;
  SplitResult split = tokenizer.Split(record, &values);
  if (result != nullptr) *result = split;
  std::vector<std::string> out;
  for (const CsvValue& value : values) out.push_back(value.null ? "<null>" : std::string(value.text));
  return out;
}

using V = std::vector<std::string>;

TEST(CsvTokenizer, QuotesProtectSeparatorsAndBackslashEscapesAQuote) {
  EXPECT_EQ(Split("2,\"p,q\""), (V{"2", "p,q"}));
  EXPECT_EQ(Split("1,\"x\\\"y\""), (V{"1", "x\"y"}));
  EXPECT_EQ(Split("2,x\\y"), (V{"2", "x\\y"}));  // outside quotes a backslash is text
}

TEST(CsvTokenizer, TheEscapeEscapesItselfAndQuoteRunsFollowUnivocity) {
  EXPECT_EQ(Split("2,\"c\\\\d\""), (V{"2", "c\\d"}));     // "c\\d" is c\d
  EXPECT_EQ(Split("2,\"p\\\\\",q"), (V{"2", "p\\", "q"})); // the quote closes "p\\"
  EXPECT_EQ(Split("2,\"\"\"\""), (V{"2", "\"\""}));          // """" is "" (each quote after the first)
  EXPECT_EQ(Split("3,\""), (V{"3", "\""}));                      // a lone quote at the end is itself
  CsvOptions back;
  back.unescaped_quotes = UnescapedQuotes::kBackToDelimiter;
  EXPECT_EQ(Split("1,\"ab\"c,d", back), (V{"1", "abc,d"}));
}

TEST(CsvTokenizer, DoubledQuotesAreAnEscapeOnlyWhenEscapeIsTheQuote) {
  // Spark's default escape is a backslash: "x""y" has an unescaped quote, and the value
  // is its text as it stands (STOP_AT_DELIMITER).
  EXPECT_EQ(Split("1,\"x\"\"y\""), (V{"1", "\"x\"\"y\""}));
  CsvOptions rfc4180;
  rfc4180.escape = '"';
  EXPECT_EQ(Split("1,\"x\"\"y\"", rfc4180), (V{"1", "x\"y"}));
}

TEST(CsvTokenizer, TextAfterAClosingQuoteMakesTheValueRawUpToTheSeparator) {
  EXPECT_EQ(Split("1,\"x\" y"), (V{"1", "\"x\" y"}));
  EXPECT_EQ(Split("2,\"x\"y,3"), (V{"2", "\"x\"y", "3"}));
  CsvOptions skip;
  skip.unescaped_quotes = UnescapedQuotes::kSkipValue;
  EXPECT_EQ(Split("2,\"x\"y,3", skip), (V{"2", "<null>", "3"}));
  CsvOptions closing;
  closing.unescaped_quotes = UnescapedQuotes::kStopAtClosingQuote;
  EXPECT_EQ(Split("2,\"x\"y\",3", closing), (V{"2", "x\"y", "3"}));
  CsvOptions raise;
  raise.unescaped_quotes = UnescapedQuotes::kRaiseError;
  SplitResult result;
  Split("2,\"x\"y,3", raise, &result);
  EXPECT_NE(result.error.find("unescaped quote"), std::string::npos);
}

TEST(CsvTokenizer, AnUnclosedQuoteRunsToTheEndAndSaysSo) {
  SplitResult result;
  EXPECT_EQ(Split("1,\"xyz", {}, &result), (V{"1", "xyz"}));
  EXPECT_TRUE(result.open_quote);
}

TEST(CsvTokenizer, EmptyUnquotedValuesAreNullAndQuotedOnesAreTheEmptyValue) {
  EXPECT_EQ(Split("1,"), (V{"1", "<null>"}));
  EXPECT_EQ(Split(",,"), (V{"<null>", "<null>", "<null>"}));
  EXPECT_EQ(Split("2,\"\""), (V{"2", ""}));
  CsvOptions empty_value;
  empty_value.empty_value = "EMPTY";
  EXPECT_EQ(Split("2,\"\"", empty_value), (V{"2", "EMPTY"}));
  EXPECT_EQ(Split("3, "), (V{"3", " "}));  // spaces are kept by default
}

TEST(CsvTokenizer, WhiteSpaceIsDroppedOnlyWhenAsked) {
  EXPECT_EQ(Split(" 1 , x ,\"q\""), (V{" 1 ", " x ", "q"}));
  CsvOptions trim;
  trim.ignore_leading_white_space = true;
  trim.ignore_trailing_white_space = true;
  EXPECT_EQ(Split(" 1 , x , \"q\" ", trim), (V{"1", "x", "q"}));
  // A quote after a space is not an opening quote unless leading space is dropped.
  EXPECT_EQ(Split("1, \"x,y\""), (V{"1", " \"x", "y\""}));
}

TEST(CsvTokenizer, SeparatorsMayBeLongerThanOneCharacterAndQuotingMayBeOff) {
  CsvOptions semicolon;
  semicolon.sep = ";";
  EXPECT_EQ(Split("1;x,y", semicolon), (V{"1", "x,y"}));
  CsvOptions double_bar;
  double_bar.sep = "||";
  EXPECT_EQ(Split("a||b|c||", double_bar), (V{"a", "b|c", "<null>"}));
  CsvOptions no_quotes;
  no_quotes.quote = '\0';
  EXPECT_EQ(Split("1,\"x,y\"", no_quotes), (V{"1", "\"x", "y\""}));
}

TEST(CsvTokenizer, LimitsMakeTheRecordMalformed) {
  CsvOptions narrow;
  narrow.max_columns = 2;
  SplitResult result;
  Split("1,2,3", narrow, &result);
  EXPECT_NE(result.error.find("maxColumns (2)"), std::string::npos) << result.error;
  CsvOptions short_values;
  short_values.max_chars_per_column = 3;
  Split("abc,abcd", short_values, &result);
  EXPECT_NE(result.error.find("value 2 is longer than maxCharsPerColumn (3 bytes)"), std::string::npos) << result.error;
}

}  // namespace
}  // namespace inlet::csv
