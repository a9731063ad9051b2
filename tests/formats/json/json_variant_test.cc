// JsonToVariant against Spark: the bytes Spark's parse_json writes for each case in
// data/spark_variant_cases.txt (made by data/make_spark_variant_golden.py with Spark 4.2).
#include "inlet/formats/json/json_variant.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

namespace inlet::json {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 0xF]);
  }
  return out;
}

std::vector<nlohmann::json> SparkGolden() {
  std::ifstream in(std::string(INLET_SOURCE_DIR) + "/tests/formats/json/data/spark_variant_golden.jsonl");
  std::vector<nlohmann::json> cases;
  for (std::string line; std::getline(in, line);) cases.push_back(nlohmann::json::parse(line));
  return cases;
}

TEST(JsonVariant, EveryCaseHasTheBytesSparksParseJsonWrites) {
  const auto cases = SparkGolden();
  ASSERT_GE(cases.size(), 50u);
  for (const auto& entry : cases) {
    const std::string json = entry["json"];
    auto variant = JsonToVariant(json);
    if (entry.contains("error")) {
      EXPECT_FALSE(variant.ok()) << "Spark refuses " << json;
      continue;
    }
    ASSERT_TRUE(variant.ok()) << json << ": " << variant.status().ToString();
    EXPECT_EQ(Hex(variant->value), entry["value"].get<std::string>()) << json.substr(0, 200);
    EXPECT_EQ(Hex(variant->metadata), entry["metadata"].get<std::string>()) << json.substr(0, 200);
  }
}

TEST(JsonVariant, ShowsBackAsJsonWithKeysSortedAndNumbersAsWritten) {
  auto variant = JsonToVariant(R"({"b":{"y":[1,-2.50,1e3,"s"],"x":null},"a":true})");
  ASSERT_TRUE(variant.ok()) << variant.status().ToString();
  auto json = VariantToJson(*variant);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json, R"({"a":true,"b":{"x":null,"y":[1,-2.50,1000,"s"]}})");
}

TEST(JsonVariant, DuplicateKeysAreRefusedUnlessTheLastMayWin) {
  const std::string record = R"({"a":1,"b":[2],"a":{"c":3}})";
  auto refused = JsonToVariant(record);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("duplicate key 'a'"), std::string::npos);
  auto last_wins = JsonToVariant(record, {.allow_duplicate_keys = true});
  ASSERT_TRUE(last_wins.ok()) << last_wins.status().ToString();
  EXPECT_EQ(*VariantToJson(*last_wins), R"({"a":{"c":3},"b":[2]})");
}

TEST(JsonVariant, NonNumericNumbersAreDoublesOnlyWhenAllowed) {
  auto allowed = JsonToVariant(R"([NaN,-Infinity,"x"])");
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  // Shown as Spark's to_json shows them: as strings, so the text stays JSON.
  EXPECT_EQ(*VariantToJson(*allowed), R"(["NaN","-Infinity","x"])");
  EXPECT_FALSE(JsonToVariant("[NaN]", {.allow_non_numeric_numbers = false}).ok());
}

// Found by fuzz_variant: an exponent far below double's range is a double zero with its sign
// (as Jackson reads it for Spark), printed in the shortest form that reads back.
TEST(JsonVariant, AnExponentPastDoublesRangeIsASignedZeroOrInfinity) {
  auto tiny = JsonToVariant("[-1e-400681000078190289012,1e-400,1.5e300]");
  ASSERT_TRUE(tiny.ok()) << tiny.status().ToString();
  EXPECT_EQ(*VariantToJson(*tiny), "[-0,0,1.5e+300]");
}

TEST(JsonVariant, TextThatIsNotOneJsonValueIsRefused) {
  for (const char* text : {"", "[1,,2]", "{\"a\":1,}", "1 2", "1],[2", "{\"a\"}", "tru", "\"\\ud800\""}) {
    EXPECT_FALSE(JsonToVariant(text).ok()) << text;
  }
}

TEST(JsonVariant, NestingPastAThousandLevelsIsRefused) {
  EXPECT_TRUE(JsonToVariant(std::string(1000, '[') + std::string(1000, ']')).ok());
  auto deep = JsonToVariant(std::string(1002, '[') + std::string(1002, ']'));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("1,000 levels"), std::string::npos);
}

}  // namespace
}  // namespace inlet::json
