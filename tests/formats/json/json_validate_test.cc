// Every byte of every record is checked, whichever path reads it: values the converter
// skips (unknown fields, duplicates) or copies as raw text (string columns holding objects,
// rescued data) make the record malformed when they are not JSON. And what Spark reads that
// simdjson refuses: numbers past double's range, non-numeric numbers, lone surrogates.
#include "inlet/formats/json/json_validate.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>
#include <limits>

#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::AllRowsJson;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

TEST(NumberToken, FollowsJsonsGrammarWithNoRange) {
  EXPECT_TRUE(ScanNumberToken("1e309").valid);
  EXPECT_TRUE(ScanNumberToken("-0").valid);
  EXPECT_TRUE(ScanNumberToken("12.5E-3").valid);
  EXPECT_TRUE(ScanNumberToken(std::string(400, '9')).valid);
  EXPECT_TRUE(ScanNumberToken("123").integral);
  EXPECT_EQ(ScanNumberToken("-123.4").integer_digits, 3);
  for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "1x", "1.2.3", "NaN", "--1"}) {
    EXPECT_FALSE(ScanNumberToken(bad).valid) << bad;
  }
}

// prefersDecimal sizes numbers as Java's BigDecimal does: new BigDecimal("1.50") has
// precision 3 and scale 2, "1e5" precision 1 and scale -5.
TEST(NumberToken, PrecisionAndScaleAreJavaBigDecimals) {
  struct Case {
    const char* token;
    int precision;
    int64_t scale;
  };
  for (const Case& c : {Case{"1.50", 3, 2}, Case{"0.001", 1, 3}, Case{"-0.0", 1, 1}, Case{"0", 1, 0},
                        Case{"1.5e-3", 2, 4}, Case{"1e5", 1, -5}, Case{"2.5E+3", 2, -2}, Case{"1.0e1", 2, 0},
                        Case{"12345678901234567890.5", 21, 1}, Case{"100", 3, 0}, Case{"0.0100", 3, 4},
                        Case{"1e99999999999", 1, -(int64_t{1} << 31)}}) {
    const NumberShape shape = ScanNumberToken(c.token);
    EXPECT_TRUE(shape.valid) << c.token;
    EXPECT_EQ(shape.precision, c.precision) << c.token;
    EXPECT_EQ(shape.scale, c.scale) << c.token;
  }
}

TEST(NumberToken, NonNumericNumbersAreJacksonsSpellings) {
  EXPECT_TRUE(std::isnan(*NonNumericNumber("NaN")));
  EXPECT_TRUE(std::isnan(*NonNumericNumber("-NaN")));
  EXPECT_EQ(*NonNumericNumber("Infinity"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*NonNumericNumber("+INF"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*NonNumericNumber("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(*NonNumericNumber("-INF"), -std::numeric_limits<double>::infinity());
  for (const char* bad : {"nan", "inf", "Inf", "NaNx", "+", "Infinityy"}) EXPECT_FALSE(NonNumericNumber(bad)) << bad;
}

TEST(NumberToken, OutOfRangeNumbersOverflowToInfinityAndUnderflowToZero) {
  EXPECT_EQ(OutOfRangeDouble("1e309"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(OutOfRangeDouble("-1e309"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(OutOfRangeDouble(std::string(400, '9')), std::numeric_limits<double>::infinity());
  EXPECT_EQ(OutOfRangeDouble("1e-400"), 0.0);
  EXPECT_EQ(OutOfRangeDouble("0.000001e-400"), 0.0);
  EXPECT_EQ(OutOfRangeDouble("1.5"), 1.5);
}

TEST(LenientString, ALoneSurrogateBecomesTheReplacementCharacter) {
  std::string out;
  ASSERT_TRUE(UnescapeStringLeniently(R"(\ud800x")", &out));
  EXPECT_EQ(out, "\xEF\xBF\xBDx");
  ASSERT_TRUE(UnescapeStringLeniently(R"(\ud83d\ude00")", &out));  // a pair stays one code point
  EXPECT_EQ(out, "\xF0\x9F\x98\x80");
  ASSERT_TRUE(UnescapeStringLeniently(R"(\udc00\n\u0041")", &out));
  EXPECT_EQ(out, "\xEF\xBF\xBD\nA");
  EXPECT_FALSE(UnescapeStringLeniently(R"(\q")", &out));
  EXPECT_FALSE(UnescapeStringLeniently(R"(\u12")", &out));
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

constexpr const char* kCorrupt = "_corrupt_record";
constexpr const char* kRescued = "_rescued_data";

// Records whose only error sits inside a value no column reads, or one copied as text.
const std::vector<std::string> kInvalidInsideCopiedValues = {
    R"({"a":[1,,2]})",                 // an array into a string column
    R"({"a":{"x":1,}})",               // an object into a string column
    R"({"a":"ok","u":[1,,2]})",        // an unknown field
    R"({"a":"ok","u":{"x":tru}})",     // an unknown field, a broken literal inside
    R"({"a":"ok","a":[1,,2]})",        // a duplicate key (the last one wins)
    R"({"a":"ok","u":"\q"})",          // an invalid escape in an unknown field
    R"({"a":"ok","u":12abc})",         // not a number, in an unknown field
    R"({"a":12abc})",                  // not a number, into a string column
    R"({"a":"ok","u":{"k":1 "j":2}})", // a missing comma
};

TEST(ValidateEveryByte, InvalidJsonInsideSkippedOrCopiedValuesIsMalformedInEveryMode) {
  TempDir dir;
  auto path = dir.Write("a.json", Lines(kInvalidInsideCopiedValues) + "{\"a\":\"good\",\"u\":[1,2]}\n");
  for (bool rescue : {false, true}) {
    for (bool case_insensitive : {false, true}) {
      Schema schema{{{"a", DataType::String()}, {kCorrupt, DataType::String()}}};
      JsonReadOptions options;
      options.corrupt_record_column = kCorrupt;
      options.case_sensitive = !case_insensitive;
      if (rescue) {
        schema.fields.push_back({kRescued, DataType::String()});
        options.rescued_data_column = kRescued;
      }
      ReadResult result = ReadAll(path, schema, options);
      ASSERT_TRUE(result.status.ok()) << result.status.ToString();
      EXPECT_EQ(result.counts.bad_records, static_cast<int64_t>(kInvalidInsideCopiedValues.size()))
          << "rescue=" << rescue << " case_insensitive=" << case_insensitive;
      EXPECT_EQ(result.counts.records, static_cast<int64_t>(kInvalidInsideCopiedValues.size()) + 1);
      const std::vector<std::string> rows = AllRowsJson(result.batches);
      ASSERT_EQ(rows.size(), kInvalidInsideCopiedValues.size() + 1);
      for (size_t i = 0; i < kInvalidInsideCopiedValues.size(); ++i) {
        EXPECT_NE(rows[i].find("\"_corrupt_record\":\""), std::string::npos) << rows[i];
        EXPECT_NE(rows[i].find("\"a\":null"), std::string::npos) << rows[i];
      }
      EXPECT_NE(rows.back().find("\"a\":\"good\""), std::string::npos) << rows.back();
    }
  }
}

TEST(ValidateEveryByte, FailFastNamesTheLineOfAnErrorInsideAnUnknownField) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":\"ok\"}\n{\"a\":\"ok\",\"u\":[1,,2]}\n");
  JsonReadOptions options;
  options.mode = ParseMode::kFailFast;
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::String()}}}, options);
  ASSERT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("a.json:2 (byte 11): invalid JSON"), std::string::npos)
      << result.status.ToString();
}

// As for any JSON error inside a multiLine array, the iterator cannot go on past it: the
// rest of the file from the failing element is one malformed record.
TEST(ValidateEveryByte, MultiLineArrayElementsAreCheckedToo) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":\"fine\",\"u\":[1,2]},\n {\"a\":\"ok\",\"u\":[1,,2]}]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.corrupt_record_column = kCorrupt;
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::String()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 1);
  const std::vector<std::string> rows = AllRowsJson(result.batches);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], R"({"a":"fine","_corrupt_record":null})");
  EXPECT_EQ(rows[1], R"({"a":null,"_corrupt_record":"{\"a\":\"ok\",\"u\":[1,,2]}]"})");
}

TEST(SparkNumbers, PastDoublesRangeAreInfinityForDoublesAndTheirTextForStrings) {
  TempDir dir;
  const std::string big(309, '9');
  auto path = dir.Write("a.json", "{\"d\":1e309,\"s\":1e309,\"l\":1e309}\n{\"d\":-1e309,\"s\":" + big + ",\"l\":" + big +
                                      "}\n{\"d\":1e-400,\"s\":-0,\"l\":-0}\n");
  Schema schema{{{"d", DataType::Double()}, {"s", DataType::String()}, {"l", DataType::Long()}}};
  ReadResult result = ReadAll(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 0);
  EXPECT_EQ(result.counts.type_mismatches, 2);  // the long column cannot hold them
  ASSERT_EQ(result.batches.size(), 1u);
  auto d = std::static_pointer_cast<arrow::DoubleArray>(result.batches[0]->column(0));
  EXPECT_EQ(d->Value(0), std::numeric_limits<double>::infinity());
  EXPECT_EQ(d->Value(1), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(d->Value(2), 0.0);
  auto s = std::static_pointer_cast<arrow::StringArray>(result.batches[0]->column(1));
  EXPECT_EQ(s->GetString(0), "1e309");
  EXPECT_EQ(s->GetString(1), big);
  EXPECT_TRUE(result.batches[0]->column(2)->IsNull(0));
  EXPECT_EQ(std::static_pointer_cast<arrow::Int64Array>(result.batches[0]->column(2))->Value(2), 0);
}

// simdjson 3.0.1 reads 0.123456789123456789123 as 0.0128: every digit must count.
TEST(SparkNumbers, NumbersOfManyDigitsAreReadToTheNearestDouble) {
  TempDir dir;
  const std::vector<std::string> tokens = {"0.123456789012345678901234567890123456789",
                                           "-0.0001234567891234567891234", "0.1234567891234567891234e2",
                                           "123456789012345678901234567890.5", "0.12345678901234567"};
  std::string text;
  for (const auto& token : tokens) text += "{\"d\":" + token + ",\"f\":" + token + "}\n";
  Schema schema{{{"d", DataType::Double()}, {"f", DataType::Float()}}};
  ReadResult result = ReadAll(dir.Write("a.json", text), schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  auto d = std::static_pointer_cast<arrow::DoubleArray>(result.batches[0]->column(0));
  auto f = std::static_pointer_cast<arrow::FloatArray>(result.batches[0]->column(1));
  for (size_t i = 0; i < tokens.size(); ++i) {
    EXPECT_EQ(d->Value(i), std::strtod(tokens[i].c_str(), nullptr)) << tokens[i];
    EXPECT_EQ(f->Value(i), static_cast<float>(std::strtod(tokens[i].c_str(), nullptr))) << tokens[i];
  }
}

TEST(SparkNumbers, NonNumericNumbersReadAsSparkReadsThemAndRescueElsewhere) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"d\":NaN,\"s\":NaN,\"l\":NaN,\"f\":-Infinity}\n"
                        "{\"d\":+INF,\"s\":-Infinity,\"l\":Infinity,\"f\":INF,\"u\":[NaN]}\n");
  Schema schema{{{"d", DataType::Double()},
                 {"s", DataType::String()},
                 {"l", DataType::Long()},
                 {"f", DataType::Float()},
                 {kRescued, DataType::String()}}};
  JsonReadOptions options;
  options.rescued_data_column = kRescued;
  options.file_path = "f.json";
  ReadResult result = ReadAll(path, schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 0);
  const std::vector<std::string> rows = AllRowsJson(result.batches);
  ASSERT_EQ(rows.size(), 2u);
  auto batch = result.batches[0];
  EXPECT_TRUE(std::isnan(std::static_pointer_cast<arrow::DoubleArray>(batch->column(0))->Value(0)));
  EXPECT_EQ(std::static_pointer_cast<arrow::DoubleArray>(batch->column(0))->Value(1),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(batch->column(1))->GetString(0), "NaN");
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(batch->column(1))->GetString(1), "-Infinity");
  EXPECT_EQ(std::static_pointer_cast<arrow::FloatArray>(batch->column(3))->Value(0),
            -std::numeric_limits<float>::infinity());
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(batch->column(4))->GetString(0),
            R"({"l":NaN,"_file_path":"f.json"})");
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(batch->column(4))->GetString(1),
            R"({"l":Infinity,"u":[NaN],"_file_path":"f.json"})");
}

TEST(SparkNumbers, NonNumericNumbersAreMalformedWhenNotAllowed) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"d\":NaN}\n{\"d\":1,\"u\":-Infinity}\n{\"d\":2}\n");
  JsonReadOptions options;
  options.dialect.allow_non_numeric_numbers = false;
  ReadResult result = ReadAll(path, Schema{{{"d", DataType::Double()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 2);
}

TEST(SparkStrings, ALoneSurrogateIsReadAsTheReplacementCharacter) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"s\":\"a\\ud800b\"}\n{\"s\":\"\\ud800\",\"u\":\"\\udc00\"}\n");
  ReadResult result = ReadAll(path, Schema{{{"s", DataType::String()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 0);
  ASSERT_EQ(result.batches.size(), 1u);
  auto s = std::static_pointer_cast<arrow::StringArray>(result.batches[0]->column(0));
  EXPECT_EQ(s->GetString(0), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(s->GetString(1), "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace inlet::json
