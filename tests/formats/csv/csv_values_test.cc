// Values convert as Java's parsers convert them (what Spark's CSV reader calls), and
// inference moves along Spark's chain; expectations read back from Spark 4.2.
#include "inlet/formats/csv/csv_values.h"

#include <cmath>

#include <gtest/gtest.h>

namespace inlet::csv {
namespace {

TEST(CsvValues, IntegersTakeASignAndDigitsOnlyWithinTheirRange) {
  EXPECT_EQ(ParseJavaInteger("+5", INT32_MIN, INT32_MAX), 5);
  EXPECT_EQ(ParseJavaInteger("-5", INT32_MIN, INT32_MAX), -5);
  EXPECT_EQ(ParseJavaInteger("9223372036854775807", INT64_MIN, INT64_MAX), INT64_MAX);
  for (const char* bad : {"9223372036854775808", " 3", "3 ", "1.0", "", "+", "-", "+-1", "0x10"}) {
    EXPECT_FALSE(ParseJavaInteger(bad, INT64_MIN, INT64_MAX)) << bad;
  }
  EXPECT_FALSE(ParseJavaInteger("2147483648", INT32_MIN, INT32_MAX));
  EXPECT_EQ(ParseJavaInteger("\xEF\xBC\x91\xEF\xBC\x92", INT32_MIN, INT32_MAX), 12);  // full-width digits, as Java reads them
  EXPECT_FALSE(ParseJavaInteger("1\xC3\xA9", INT32_MIN, INT32_MAX));
}

TEST(CsvValues, DoublesReadJavasGrammar) {
  EXPECT_EQ(ParseJavaDouble("1e3"), 1000.0);
  EXPECT_EQ(ParseJavaDouble(" 3 "), 3.0);  // Double.parseDouble trims
  EXPECT_EQ(ParseJavaDouble("1d"), 1.0);
  EXPECT_EQ(ParseJavaDouble("2f"), 2.0);
  EXPECT_EQ(ParseJavaDouble(".5"), 0.5);
  EXPECT_EQ(ParseJavaDouble("+1.5E-1"), 0.15);
  EXPECT_TRUE(std::isnan(*ParseJavaDouble("NaN")));
  EXPECT_EQ(ParseJavaDouble("-Infinity"), -INFINITY);
  EXPECT_EQ(ParseJavaDouble("1e400"), INFINITY);
  EXPECT_EQ(ParseJavaDouble("0x1p3"), 8.0);  // a hexadecimal literal needs its p exponent
  EXPECT_EQ(ParseJavaDouble("-0x1.8p1"), -3.0);
  for (const char* bad : {"0x10", "inf", "nan", "1e", "1.2.3", "abc", "", "1 2"}) {
    EXPECT_FALSE(ParseJavaDouble(bad)) << bad;
  }
}

TEST(CsvValues, BooleansAndDecimals) {
  EXPECT_EQ(ParseJavaBoolean("TRUE"), true);
  EXPECT_EQ(ParseJavaBoolean("False"), false);
  EXPECT_FALSE(ParseJavaBoolean("yes"));
  EXPECT_FALSE(ParseJavaBoolean("1"));
  EXPECT_EQ(ParseJavaDecimal("1.234", 5, 2)->ToString(2), "1.23");  // HALF_UP to the scale
  EXPECT_EQ(ParseJavaDecimal("1.235", 5, 2)->ToString(2), "1.24");
  EXPECT_EQ(ParseJavaDecimal("-1.235", 5, 2)->ToString(2), "-1.24");
  EXPECT_EQ(ParseJavaDecimal("1e2", 5, 2)->ToString(2), "100.00");
  EXPECT_EQ(ParseJavaDecimal("+1.5", 5, 2)->ToString(2), "1.50");
  EXPECT_FALSE(ParseJavaDecimal("12345.6", 5, 2));  // needs 7 digits
  EXPECT_FALSE(ParseJavaDecimal("1.5d", 5, 2));
  EXPECT_EQ(ParseJavaDecimal("1,000", 10, 2)->ToString(2), "1000.00");  // grouping commas are dropped
  EXPECT_FALSE(ParseJavaDecimal(std::string(39, '9'), 38, 0));        // 39 digits: too many
  EXPECT_EQ(ParseJavaDecimal("1." + std::string(40, '5'), 10, 2)->ToString(2), "1.56");
}

DataTypePtr Infer(const std::vector<std::string>& values, CsvOptions csv = {}) {
  static const formats::TemporalFormats temporal;
  InferenceRules rules;
  rules.csv = &csv;
  rules.temporal = &temporal;
  rules.strict_date.date = formats::DatetimePattern::Compile("yyyy-MM-dd").ValueOrDie();
  DataTypePtr type = DataType::Null();
  for (const std::string& value : values) type = InferCsvValue(type, value, rules);
  return type;
}

TEST(CsvValues, InferenceFollowsSparksChain) {
  EXPECT_EQ(Infer({"1", "2"})->TypeName(), "integer");
  EXPECT_EQ(Infer({"1", "9999999999"})->TypeName(), "long");
  EXPECT_EQ(Infer({"1", "1.5"})->TypeName(), "double");
  EXPECT_EQ(Infer({"NaN", "Inf"})->TypeName(), "double");
  EXPECT_EQ(Infer({" 7 "})->TypeName(), "double");
  EXPECT_EQ(Infer({"true", "FALSE"})->TypeName(), "boolean");
  EXPECT_EQ(Infer({"true", "1"})->TypeName(), "string");
  EXPECT_EQ(Infer({"1", "true"})->TypeName(), "string");
  EXPECT_EQ(Infer({"2024-01-05"})->TypeName(), "date");
  EXPECT_EQ(Infer({"2024-1-5"})->TypeName(), "timestamp");  // not yyyy-MM-dd: the lenient timestamp reads it
  EXPECT_EQ(Infer({"2024-01-05", "2024-01-05T10:00:00"})->TypeName(), "timestamp");
  EXPECT_EQ(Infer({"1", "x"})->TypeName(), "string");
  EXPECT_EQ(Infer({"", ""})->kind, TypeKind::kNull);  // the caller makes it a string
  // An integer too long for a long is a decimal; a fraction stays a double even so.
  EXPECT_EQ(Infer({"99999999999999999999"})->TypeName(), "decimal(20,0)");
  EXPECT_EQ(Infer({"1", "99999999999999999999"})->TypeName(), "decimal(20,0)");
  EXPECT_EQ(Infer({std::string(39, '9')})->TypeName(), "double");
  CsvOptions decimals;
  decimals.prefers_decimal = true;
  EXPECT_EQ(Infer({"1.50", "12.5"}, decimals)->TypeName(), "double");
}

}  // namespace
}  // namespace inlet::csv
