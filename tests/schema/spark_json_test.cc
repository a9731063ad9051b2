// Tests for Spark's StructType JSON: exact printing (Delta schemaString) and parsing.
#include "inlet/schema/spark_json.h"

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"

namespace inlet {
namespace {

Schema IotSchema() {
  Schema schema;
  schema.fields = {
      Field{"alarm_status", DataType::String()},
      Field{"battery_level", DataType::Long()},
      Field{"coordinates", DataType::Struct({Field{"latitude", DataType::Double()},
                                             Field{"longitude", DataType::Double()}})},
      Field{"temperature", DataType::Double()},
      Field{"tags", DataType::Array(DataType::String())},
      Field{"readings", DataType::Map(DataType::String(), DataType::Long())},
      Field{"price", DataType::Decimal(9, 6)},
  };
  return schema;
}

// What Spark 4.2's StructType.json prints for IotSchema() (checked with pyspark).
constexpr const char* kIotJson =
    R"({"type":"struct","fields":[)"
    R"({"name":"alarm_status","type":"string","nullable":true,"metadata":{}},)"
    R"({"name":"battery_level","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"coordinates","type":{"type":"struct","fields":[)"
    R"({"name":"latitude","type":"double","nullable":true,"metadata":{}},)"
    R"({"name":"longitude","type":"double","nullable":true,"metadata":{}}]},)"
    R"("nullable":true,"metadata":{}},)"
    R"({"name":"temperature","type":"double","nullable":true,"metadata":{}},)"
    R"({"name":"tags","type":{"type":"array","elementType":"string","containsNull":true},)"
    R"("nullable":true,"metadata":{}},)"
    R"({"name":"readings","type":{"type":"map","keyType":"string","valueType":"long",)"
    R"("valueContainsNull":true},"nullable":true,"metadata":{}},)"
    R"json({"name":"price","type":"decimal(9,6)","nullable":true,"metadata":{}}]})json";

TEST(SparkJson, PrintsIotSchemaExactlyAsSpark) { EXPECT_EQ(ToSparkJson(IotSchema()), kIotJson); }

TEST(SparkJson, ParsesIotSchemaBack) {
  auto parsed = ParseSparkJsonSchema(kIotJson);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, IotSchema());
}

TEST(SparkJson, PrintsNestedContainersLikeSpark) {
  // Spark 4.2 output for `nested ARRAY<STRUCT<a: INT, b: ARRAY<MAP<STRING, ARRAY<DOUBLE>>>>>,
  // d DATE NOT NULL, `odd name` INT COMMENT 'hi there'`.
  auto ddl = ParseDdlSchema(
      "nested ARRAY<STRUCT<a: INT, b: ARRAY<MAP<STRING, ARRAY<DOUBLE>>>>>, d DATE NOT NULL, "
      "`odd name` INT COMMENT 'hi there'");
  ASSERT_TRUE(ddl.ok()) << ddl.status().ToString();
  EXPECT_EQ(
      ToSparkJson(*ddl),
      R"({"type":"struct","fields":[{"name":"nested","type":{"type":"array","elementType":{"type":"struct","fields":[{"name":"a","type":"integer","nullable":true,"metadata":{}},{"name":"b","type":{"type":"array","elementType":{"type":"map","keyType":"string","valueType":{"type":"array","elementType":"double","containsNull":true},"valueContainsNull":true},"containsNull":true},"nullable":true,"metadata":{}}]},"containsNull":true},"nullable":true,"metadata":{}},{"name":"d","type":"date","nullable":false,"metadata":{}},{"name":"odd name","type":"integer","nullable":true,"metadata":{"comment":"hi there"}}]})");
}

TEST(SparkJson, RoundTripsEveryTypeAndNullability) {
  Schema schema;
  schema.fields = {
      Field{"s", DataType::String(), false},
      Field{"i", DataType::Integer()},
      Field{"sh", DataType::Short()},
      Field{"b", DataType::Byte()},
      Field{"f", DataType::Float()},
      Field{"bo", DataType::Boolean()},
      Field{"d", DataType::Date()},
      Field{"ts", DataType::Timestamp()},
      Field{"bin", DataType::Binary()},
      Field{"v", DataType::Null()},
      Field{"arr", DataType::Array(DataType::Long(), false)},
      Field{"m", DataType::Map(DataType::String(), DataType::Array(DataType::Double()), false)},
      Field{"empty", DataType::Struct({})},
  };
  std::string json = ToSparkJson(schema);
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, schema);
  EXPECT_EQ(ToSparkJson(*parsed), json);
}

TEST(SparkJson, EscapesNamesLikeJson4s) {
  // Spark escapes quote, backslash and control characters; non-ASCII stays as UTF-8.
  Schema schema{{Field{"q\"b\\t\tn\nc\x01\xC3\xA9", DataType::Long()}}};
  std::string json = ToSparkJson(schema);
  EXPECT_NE(json.find(R"("name":"q\"b\\t\tn\nc\u0001)"
                      "\xC3\xA9\""),
            std::string::npos)
      << json;
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->fields[0].name, schema.fields[0].name);
}

TEST(SparkJson, KeepsMetadataVerbatimAndInOrder) {
  const char* json =
      R"({"type":"struct","fields":[{"name":"a","type":"long","nullable":true,)"
      R"("metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1","comment":"x"}}]})";
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->fields[0].metadata_json,
            R"({"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1","comment":"x"})");
  EXPECT_EQ(ToSparkJson(*parsed), json);
}

TEST(SparkJson, AcceptsAnyWhitespaceAndMissingMetadata) {
  const char* json = R"(
    { "type" : "struct",
      "fields" : [
        { "name" : "a", "type" : { "type" : "array", "elementType" : "long",
                                   "containsNull" : false },
          "nullable" : false },
        { "name":"b", "type":"decimal", "nullable":true, "metadata":{ } }
      ] }
  )";
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->fields.size(), 2u);
  EXPECT_EQ(*parsed->fields[0].type, *DataType::Array(DataType::Long(), false));
  EXPECT_FALSE(parsed->fields[0].nullable);
  EXPECT_EQ(parsed->fields[0].metadata_json, "{}");
  EXPECT_EQ(*parsed->fields[1].type, *DataType::Decimal(10, 0));  // Spark's default decimal
  EXPECT_EQ(ToSparkJson(*parsed),
            R"json({"type":"struct","fields":[{"name":"a","type":{"type":"array","elementType":"long","containsNull":false},"nullable":false,"metadata":{}},{"name":"b","type":"decimal(10,0)","nullable":true,"metadata":{}}]})json");
}

TEST(SparkJson, PrintsASingleType) {
  EXPECT_EQ(ToSparkJson(*DataType::Long()), "\"long\"");
  EXPECT_EQ(ToSparkJson(*DataType::Map(DataType::String(), DataType::Long(), false)),
            R"({"type":"map","keyType":"string","valueType":"long","valueContainsNull":false})");
}

TEST(SparkJson, ErrorNamesTheNestedFieldPath) {
  const char* json =
      R"({"type":"struct","fields":[{"name":"coordinates","type":{"type":"struct","fields":[)"
      R"({"name":"latitude","type":"quaternion","nullable":true,"metadata":{}}]},"nullable":true}]})";
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("coordinates.latitude"), std::string::npos)
      << parsed.status().ToString();
  EXPECT_NE(parsed.status().message().find("quaternion"), std::string::npos);
}

TEST(SparkJson, ErrorNamesArrayElementPath) {
  const char* json =
      R"json({"type":"struct","fields":[{"name":"tags","type":{"type":"array","elementType":"decimal(50,2)"}}]})json";
  auto parsed = ParseSparkJsonSchema(json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("tags.element"), std::string::npos)
      << parsed.status().ToString();
}

TEST(SparkJson, RejectsMalformedInput) {
  EXPECT_FALSE(ParseSparkJsonSchema("{\"type\":\"struct\",\"fields\":[").ok());
  EXPECT_FALSE(ParseSparkJsonSchema("[]").ok());
  EXPECT_FALSE(ParseSparkJsonSchema(R"({"type":"array","elementType":"long"})").ok());
  EXPECT_FALSE(ParseSparkJsonSchema(R"({"type":"struct"})").ok());
  EXPECT_FALSE(
      ParseSparkJsonSchema(R"({"type":"struct","fields":[{"type":"long","nullable":true}]})").ok());
  EXPECT_FALSE(ParseSparkJsonSchema(
                   R"({"type":"struct","fields":[{"name":"a","type":"long","nullable":"yes"}]})")
                   .ok());
  EXPECT_FALSE(ParseSparkJsonSchema(
                   R"({"type":"struct","fields":[{"name":"a","type":"timestamp_ntz"}]})")
                   .ok());
}

TEST(SparkJson, EmptySchemaPrintsEmptyFields) {
  EXPECT_EQ(ToSparkJson(Schema{}), R"({"type":"struct","fields":[]})");
  auto parsed = ParseSparkJsonSchema(R"({"type":"struct","fields":[]})");
  ASSERT_TRUE(parsed.ok());
  EXPECT_TRUE(parsed->fields.empty());
}

// Found by fuzz/fuzz_spark_json: nlohmann throws out_of_range (not parse_error) for a
// number beyond double's range, which escaped and terminated the process.
TEST(SparkJsonParse, NumberBeyondDoubleRangeIsAnErrorNotACrash) {
  auto parsed = ParseSparkJsonSchema(R"({"type":"struct","fields":[],"x":2e4444444444})");
  ASSERT_FALSE(parsed.ok());
  EXPECT_TRUE(parsed.status().IsInvalid());
  EXPECT_NE(parsed.status().message().find("not valid JSON"), std::string::npos)
      << parsed.status().ToString();
}

}  // namespace
}  // namespace inlet
