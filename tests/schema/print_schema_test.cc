// Tests for the printSchema tree, compared byte for byte with pyspark's output.
#include "inlet/schema/print_schema.h"

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"

namespace inlet {
namespace {

TEST(PrintSchema, FlatFieldsShowTypeAndNullability) {
  Schema schema{{Field{"alarm_status", DataType::String()},
                 Field{"battery_level", DataType::Long(), false},
                 Field{"price", DataType::Decimal(9, 6)}}};
  EXPECT_EQ(PrintSchemaTree(schema),
            "root\n"
            " |-- alarm_status: string (nullable = true)\n"
            " |-- battery_level: long (nullable = false)\n"
            " |-- price: decimal(9,6) (nullable = true)\n");
}

TEST(PrintSchema, EmptySchemaIsJustRoot) { EXPECT_EQ(PrintSchemaTree(Schema{}), "root\n"); }

// Verified against pyspark 4.2: StructType.fromDDL(<the DDL below>).treeString() and the
// JVM's schema().treeString() both print exactly this text.
TEST(PrintSchema, MatchesPysparkForNestedStructArrayAndMap) {
  auto schema = ParseDdlSchema(
      "alarm_status STRING, battery_level BIGINT, "
      "coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, tags ARRAY<STRING>, "
      "m MAP<STRING, BIGINT>, "
      "nested ARRAY<STRUCT<a: INT, b: ARRAY<MAP<STRING, ARRAY<DOUBLE>>>>>, "
      "mm MAP<STRING, STRUCT<x: DECIMAL(9,6)>>, d DATE NOT NULL, ts TIMESTAMP, bin BINARY, "
      "f FLOAT, sh SMALLINT, by TINYINT, bo BOOLEAN, `odd name` INT COMMENT 'hi there'");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(PrintSchemaTree(*schema),
            "root\n"
            " |-- alarm_status: string (nullable = true)\n"
            " |-- battery_level: long (nullable = true)\n"
            " |-- coordinates: struct (nullable = true)\n"
            " |    |-- latitude: double (nullable = true)\n"
            " |    |-- longitude: double (nullable = true)\n"
            " |-- tags: array (nullable = true)\n"
            " |    |-- element: string (containsNull = true)\n"
            " |-- m: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: long (valueContainsNull = true)\n"
            " |-- nested: array (nullable = true)\n"
            " |    |-- element: struct (containsNull = true)\n"
            " |    |    |-- a: integer (nullable = true)\n"
            " |    |    |-- b: array (nullable = true)\n"
            " |    |    |    |-- element: map (containsNull = true)\n"
            " |    |    |    |    |-- key: string\n"
            " |    |    |    |    |-- value: array (valueContainsNull = true)\n"
            " |    |    |    |    |    |-- element: double (containsNull = true)\n"
            " |-- mm: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: struct (valueContainsNull = true)\n"
            " |    |    |-- x: decimal(9,6) (nullable = true)\n"
            " |-- d: date (nullable = false)\n"
            " |-- ts: timestamp (nullable = true)\n"
            " |-- bin: binary (nullable = true)\n"
            " |-- f: float (nullable = true)\n"
            " |-- sh: short (nullable = true)\n"
            " |-- by: byte (nullable = true)\n"
            " |-- bo: boolean (nullable = true)\n"
            " |-- odd name: integer (nullable = true)\n");
}

// Also from pyspark 4.2: nested arrays, maps of maps, struct map keys.
TEST(PrintSchema, MatchesPysparkForArraysOfArraysAndStructKeys) {
  auto schema = ParseDdlSchema(
      "aa ARRAY<ARRAY<STRING>>, mm MAP<STRING, MAP<STRING,INT>>, "
      "ma MAP<STRUCT<k: INT>, ARRAY<INT>>");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(PrintSchemaTree(*schema),
            "root\n"
            " |-- aa: array (nullable = true)\n"
            " |    |-- element: array (containsNull = true)\n"
            " |    |    |-- element: string (containsNull = true)\n"
            " |-- mm: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: map (valueContainsNull = true)\n"
            " |    |    |-- key: string\n"
            " |    |    |-- value: integer (valueContainsNull = true)\n"
            " |-- ma: map (nullable = true)\n"
            " |    |-- key: struct\n"
            " |    |    |-- k: integer (nullable = true)\n"
            " |    |-- value: array (valueContainsNull = true)\n"
            " |    |    |-- element: integer (containsNull = true)\n");
}

TEST(PrintSchema, ShowsFalseContainsNullAndVoid) {
  Schema schema{{Field{"n", DataType::Null()},
                 Field{"a", DataType::Array(DataType::String(), false)},
                 Field{"mp", DataType::Map(DataType::String(), DataType::Long(), false)},
                 Field{"e", DataType::Struct({})}}};
  EXPECT_EQ(PrintSchemaTree(schema),
            "root\n"
            " |-- n: void (nullable = true)\n"
            " |-- a: array (nullable = true)\n"
            " |    |-- element: string (containsNull = false)\n"
            " |-- mp: map (nullable = true)\n"
            " |    |-- key: string\n"
            " |    |-- value: long (valueContainsNull = false)\n"
            " |-- e: struct (nullable = true)\n");
}

}  // namespace
}  // namespace inlet
