// VARIANT columns in the reader: a VARIANT field takes any JSON value as Spark's JSON
// reader does (JSON null a variant null, an absent field SQL NULL), a value with a syntax
// error or a duplicate key makes its record malformed, and singleVariantColumn loads each
// record whole. Expected texts are what Spark 4.2's to_json printed for the same input.
#include <arrow/api.h>
#include <gtest/gtest.h>

#include "inlet/schema/variant.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

// The column's values as JSON text; "SQL NULL" for a null row.
std::vector<std::string> VariantTexts(const ReadResult& result, const std::string& column) {
  std::vector<std::string> out;
  for (const auto& batch : result.batches) {
    auto array = batch->GetColumnByName(column);
    EXPECT_NE(array, nullptr) << column;
    if (array == nullptr) continue;
    EXPECT_EQ(array->type()->id(), arrow::Type::EXTENSION) << array->type()->ToString();
    const auto& storage = static_cast<const arrow::StructArray&>(*static_cast<const arrow::ExtensionArray&>(*array).storage());
    auto metadata = std::static_pointer_cast<arrow::BinaryArray>(storage.GetFieldByName("metadata"));
    auto value = std::static_pointer_cast<arrow::BinaryArray>(storage.GetFieldByName("value"));
    for (int64_t i = 0; i < array->length(); ++i) {
      if (array->IsNull(i)) {
        out.push_back("SQL NULL");
        continue;
      }
      auto text = VariantToJson(VariantValue{std::string(metadata->GetView(i)), std::string(value->GetView(i))});
      out.push_back(text.ok() ? *text : "error: " + text.status().message());
    }
  }
  return out;
}

TEST(JsonVariantColumn, AnyJsonValueFitsAndJsonNullIsAVariantNull) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"id\":1,\"v\":{\"x\":[1,2.5,\"s\"],\"b\":true}}\n"
                        "{\"id\":2,\"v\":null}\n"
                        "{\"id\":3}\n"
                        "{\"id\":4,\"v\":\"str\"}\n"
                        "{\"id\":5,\"v\":12345678901234567890}\n"
                        "{\"id\":6,\"v\":1e309}\n");
  Schema schema{{Field{"id", DataType::Long()}, Field{"v", DataType::Variant()}}};
  ReadResult result = ReadAll(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(VariantTexts(result, "v"),
            (std::vector<std::string>{R"({"b":true,"x":[1,2.5,"s"]})", "null", "SQL NULL", R"("str")",
                                      "12345678901234567890", R"("Infinity")"}));
  EXPECT_EQ(result.counts.type_mismatches, 0);
  EXPECT_EQ(result.counts.bad_records, 0);
}

TEST(JsonVariantColumn, ASyntaxErrorOrDuplicateKeyInsideTheValueMakesTheRecordMalformed) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"id\":1,\"v\":[1,,2]}\n"
                        "{\"id\":2,\"v\":{\"a\":1,\"a\":2}}\n"
                        "{\"id\":3,\"v\":{\"k\":[true]}}\n");
  Schema schema{{Field{"id", DataType::Long()}, Field{"v", DataType::Variant()},
                 Field{"_corrupt_record", DataType::String()}}};
  JsonReadOptions options;
  options.corrupt_record_column = "_corrupt_record";
  ReadResult result = ReadAll(path, schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.bad_records, 2);
  EXPECT_EQ(VariantTexts(result, "v"), (std::vector<std::string>{"SQL NULL", "SQL NULL", R"({"k":[true]})"}));
  auto corrupt = std::static_pointer_cast<arrow::StringArray>(result.batches.at(0)->GetColumnByName("_corrupt_record"));
  EXPECT_EQ(corrupt->GetString(0), R"({"id":1,"v":[1,,2]})");
  EXPECT_EQ(corrupt->GetString(1), R"({"id":2,"v":{"a":1,"a":2}})");
  EXPECT_TRUE(corrupt->IsNull(2));

  options.mode = ParseMode::kFailFast;
  ReadResult failed = ReadAll(path, schema, options);
  ASSERT_FALSE(failed.status.ok());
  EXPECT_NE(failed.status.message().find("a.json:1"), std::string::npos) << failed.status.message();
}

TEST(JsonVariantColumn, SingleVariantColumnLoadsEveryRecordWholeAsSparkDoes) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"a\":1,\"b\":{\"x\":[1,2.5,\"s\"]}}\n"
                        "{\"a\":null}\n"
                        "{bad json\n"
                        "\n"
                        "[1,2]\n"
                        "\"str\"\n"
                        "{'q':NaN}\n");
  Schema schema{{Field{"v", DataType::Variant()}, Field{"_corrupt_record", DataType::String()}}};
  JsonReadOptions options;
  options.single_variant_column = "v";
  options.corrupt_record_column = "_corrupt_record";
  ReadResult result = ReadAll(path, schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(VariantTexts(result, "v"),
            (std::vector<std::string>{R"({"a":1,"b":{"x":[1,2.5,"s"]}})", R"({"a":null})", "SQL NULL", "[1,2]",
                                      R"("str")", R"({"q":"NaN"})"}));
  EXPECT_EQ(result.counts.bad_records, 1);
  EXPECT_EQ(result.counts.records, 6);
}

TEST(JsonVariantColumn, SingleVariantColumnInMultiLineTakesTheWholeFile) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":1},\n {\"b\":2}]\n");
  Schema schema{{Field{"v", DataType::Variant()}}};
  JsonReadOptions options;
  options.single_variant_column = "v";
  options.multi_line = true;
  ReadResult result = ReadAll(path, schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(VariantTexts(result, "v"), (std::vector<std::string>{R"([{"a":1},{"b":2}])"}));
}

TEST(JsonVariantColumn, SingleVariantColumnNeedsThatOneVariantColumn) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1}\n");
  JsonReadOptions options;
  options.single_variant_column = "v";
  ReadResult result = ReadAll(path, Schema{{Field{"v", DataType::String()}}}, options);
  ASSERT_FALSE(result.status.ok());
  EXPECT_NE(result.status.message().find("singleVariantColumn 'v'"), std::string::npos) << result.status.message();
}

}  // namespace
}  // namespace inlet::json
