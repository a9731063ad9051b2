// Tests for the Spark DDL parser and printer.
#include "inlet/schema/ddl.h"

#include <gtest/gtest.h>

namespace inlet {
namespace {

Schema MustParse(std::string_view ddl) {
  auto parsed = ParseDdlSchema(ddl);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : Schema{};
}

DataTypePtr MustParseType(std::string_view text) {
  auto parsed = ParseDdlType(text);
  EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
  return parsed.ok() ? *parsed : DataType::Null();
}

TEST(DdlParse, ReadsSimpleColumns) {
  Schema schema = MustParse("a STRING, b BIGINT, c DOUBLE");
  ASSERT_EQ(schema.fields.size(), 3u);
  EXPECT_EQ(schema.fields[0].name, "a");
  EXPECT_EQ(schema.fields[0].type->kind, TypeKind::kString);
  EXPECT_EQ(schema.fields[1].type->kind, TypeKind::kLong);
  EXPECT_EQ(schema.fields[2].type->kind, TypeKind::kDouble);
  EXPECT_TRUE(schema.fields[0].nullable);
}

TEST(DdlParse, AcceptsAliasesCaseInsensitively) {
  EXPECT_EQ(*MustParseType("bigint"), *DataType::Long());
  EXPECT_EQ(*MustParseType("Long"), *DataType::Long());
  EXPECT_EQ(*MustParseType("INT"), *DataType::Integer());
  EXPECT_EQ(*MustParseType("integer"), *DataType::Integer());
  EXPECT_EQ(*MustParseType("smallint"), *DataType::Short());
  EXPECT_EQ(*MustParseType("SHORT"), *DataType::Short());
  EXPECT_EQ(*MustParseType("tinyint"), *DataType::Byte());
  EXPECT_EQ(*MustParseType("byte"), *DataType::Byte());
  EXPECT_EQ(*MustParseType("real"), *DataType::Float());
  EXPECT_EQ(*MustParseType("FLOAT"), *DataType::Float());
  EXPECT_EQ(*MustParseType("Boolean"), *DataType::Boolean());
  EXPECT_EQ(*MustParseType("date"), *DataType::Date());
  EXPECT_EQ(*MustParseType("timestamp"), *DataType::Timestamp());
  EXPECT_EQ(*MustParseType("binary"), *DataType::Binary());
  EXPECT_EQ(*MustParseType("varchar(10)"), *DataType::String());
  EXPECT_EQ(*MustParseType("CHAR( 3 )"), *DataType::String());
}

TEST(DdlParse, DecimalDefaultsAndAliases) {
  EXPECT_EQ(*MustParseType("DECIMAL"), *DataType::Decimal(10, 0));
  EXPECT_EQ(*MustParseType("dec(5)"), *DataType::Decimal(5, 0));
  EXPECT_EQ(*MustParseType("NUMERIC(7, 2)"), *DataType::Decimal(7, 2));
  EXPECT_EQ(*MustParseType("decimal(9,6)"), *DataType::Decimal(9, 6));
}

TEST(DdlParse, ReadsNestedTypes) {
  Schema schema = MustParse(
      "coordinates STRUCT<latitude: DOUBLE, longitude DOUBLE>, tags ARRAY<STRING>, "
      "m MAP<STRING, ARRAY<STRUCT<x: INT>>>, e STRUCT<>");
  ASSERT_EQ(schema.fields.size(), 4u);
  EXPECT_EQ(*schema.fields[0].type,
            *DataType::Struct({Field{"latitude", DataType::Double()},
                               Field{"longitude", DataType::Double()}}));
  EXPECT_EQ(*schema.fields[1].type, *DataType::Array(DataType::String()));
  EXPECT_EQ(*schema.fields[2].type,
            *DataType::Map(DataType::String(),
                           DataType::Array(DataType::Struct({Field{"x", DataType::Integer()}}))));
  EXPECT_EQ(*schema.fields[3].type, *DataType::Struct({}));
}

TEST(DdlParse, BackquotedNamesWithDoubledBackquote) {
  Schema schema = MustParse("`odd name` INT, `a``b` STRING, `select` LONG, from DATE");
  ASSERT_EQ(schema.fields.size(), 4u);
  EXPECT_EQ(schema.fields[0].name, "odd name");
  EXPECT_EQ(schema.fields[1].name, "a`b");
  EXPECT_EQ(schema.fields[2].name, "select");
  EXPECT_EQ(schema.fields[3].name, "from");
}

TEST(DdlParse, NotNullAndCommentBecomeNullabilityAndMetadata) {
  Schema schema = MustParse(
      "a INT NOT NULL COMMENT 'it''s', b STRING comment \"dq\", "
      "s STRUCT<x: INT NOT NULL, y: STRING COMMENT 'back\\\\slash \\' quote'>");
  EXPECT_FALSE(schema.fields[0].nullable);
  EXPECT_EQ(schema.fields[0].metadata_json, R"({"comment":"it's"})");
  EXPECT_EQ(schema.fields[1].metadata_json, R"({"comment":"dq"})");
  const auto& inner = schema.fields[2].type->fields;
  EXPECT_FALSE(inner[0].nullable);
  EXPECT_EQ(inner[1].metadata_json, R"({"comment":"back\\slash ' quote"})");
}

TEST(DdlParse, EmptyTextIsEmptySchema) {
  EXPECT_TRUE(MustParse("").fields.empty());
  EXPECT_TRUE(MustParse("   ").fields.empty());
}

TEST(DdlParse, ToleratesExtraWhitespace) {
  Schema schema = MustParse("  a\tARRAY < MAP < STRING ,BIGINT > >  ,\n b INT  ");
  ASSERT_EQ(schema.fields.size(), 2u);
  EXPECT_EQ(*schema.fields[0].type,
            *DataType::Array(DataType::Map(DataType::String(), DataType::Long())));
}

TEST(DdlErrors, UnknownTypeQuotesTextAndPosition) {
  auto parsed = ParseDdlSchema("a INT, b FOO");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "DDL error at position 10 in 'a INT, b FOO': unknown type FOO");
}

TEST(DdlErrors, PositionCountsCharactersNotBytes) {
  auto parsed = ParseDdlSchema("`\xC3\xA9t\xC3\xA9` INT, b FOO");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("position 14 "), std::string::npos)
      << parsed.status().message();
}

TEST(DdlErrors, ReportsStructuralMistakes) {
  auto missing_comma = ParseDdlSchema("a INT b STRING");
  ASSERT_FALSE(missing_comma.ok());
  EXPECT_NE(missing_comma.status().message().find("position 7"), std::string::npos)
      << missing_comma.status().message();

  auto unclosed = ParseDdlSchema("a ARRAY<INT");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.status().message().find("position 12"), std::string::npos)
      << unclosed.status().message();
  EXPECT_NE(unclosed.status().message().find("'>'"), std::string::npos);

  auto unterminated = ParseDdlSchema("`abc INT");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_NE(unterminated.status().message().find("position 1 "), std::string::npos);

  auto bad_decimal = ParseDdlSchema("d DECIMAL(40,2)");
  ASSERT_FALSE(bad_decimal.ok());
  EXPECT_NE(bad_decimal.status().message().find("precision 40"), std::string::npos);

  auto scale_too_big = ParseDdlType("DECIMAL(3,5)");
  ASSERT_FALSE(scale_too_big.ok());

  auto missing_type = ParseDdlSchema("a");
  ASSERT_FALSE(missing_type.ok());
  EXPECT_NE(missing_type.status().message().find("expected a type"), std::string::npos);

  EXPECT_FALSE(ParseDdlSchema("a INT,").ok());
  EXPECT_FALSE(ParseDdlSchema("a INT NOT").ok());
  EXPECT_FALSE(ParseDdlSchema("a INT COMMENT 'open").ok());
  EXPECT_FALSE(ParseDdlType("INT extra").ok());
  EXPECT_FALSE(ParseDdlType("MAP<STRING>").ok());
}

TEST(DdlPrint, MatchesSparkToDdl) {
  // Spark 4.2's StructType.toDDL for the same schema (checked with pyspark).
  Schema schema = MustParse(
      "alarm_status STRING, battery_level BIGINT, coordinates STRUCT<latitude: DOUBLE, "
      "longitude: DOUBLE>, tags ARRAY<STRING>, m MAP<STRING, BIGINT>, mm MAP<STRING, "
      "STRUCT<x: DECIMAL(9,6)>>, d DATE NOT NULL, sh SMALLINT, by TINYINT, bo BOOLEAN, "
      "`odd name` INT COMMENT 'hi there', s STRUCT<a: INT NOT NULL, b STRING COMMENT 'x'>");
  EXPECT_EQ(ToDdl(schema),
            "alarm_status STRING,battery_level BIGINT,coordinates STRUCT<latitude: DOUBLE, "
            "longitude: DOUBLE>,tags ARRAY<STRING>,m MAP<STRING, BIGINT>,mm MAP<STRING, "
            "STRUCT<x: DECIMAL(9,6)>>,d DATE NOT NULL,sh SMALLINT,by TINYINT,bo BOOLEAN,"
            "`odd name` INT COMMENT 'hi there',s STRUCT<a: INT NOT NULL, b: STRING COMMENT 'x'>");
}

TEST(DdlPrint, QuotesNamesThatNeedIt) {
  Schema schema{{Field{"1a", DataType::Integer()}, Field{"a`b", DataType::Integer()},
                 Field{"_ok9", DataType::Integer()}, Field{"", DataType::Integer()}}};
  EXPECT_EQ(ToDdl(schema), "`1a` INT,`a``b` INT,_ok9 INT,`` INT");
}

TEST(DdlRoundTrip, ParsePrintParseGivesEqualSchema) {
  const char* texts[] = {
      "a STRING, b BIGINT, c STRUCT<d: DOUBLE>, e ARRAY<STRING>, `odd name` INT",
      "x MAP<STRING, MAP<STRING, ARRAY<DECIMAL(38,18)>>>, y DATE NOT NULL, z TIMESTAMP",
      "`we``ird, name` STRUCT<`in ner`: BINARY COMMENT 'a \\'q\\' and \\\\', n VOID>",
      "f FLOAT, s SMALLINT, t TINYINT, b BOOLEAN, e STRUCT<>",
  };
  for (const char* text : texts) {
    Schema first = MustParse(text);
    std::string printed = ToDdl(first);
    Schema second = MustParse(printed);
    EXPECT_EQ(first, second) << text << " -> " << printed;
    EXPECT_EQ(printed, ToDdl(second));
    for (size_t i = 0; i < first.fields.size(); ++i) {
      EXPECT_EQ(first.fields[i].metadata_json, second.fields[i].metadata_json) << printed;
    }
  }
}

TEST(DdlRoundTrip, TypeTextRoundTrips) {
  auto type = DataType::Map(DataType::String(),
                            DataType::Struct({Field{"a", DataType::Array(DataType::Long())}}));
  EXPECT_EQ(ToDdl(*type), "MAP<STRING, STRUCT<a: ARRAY<BIGINT>>>");
  EXPECT_EQ(*MustParseType(ToDdl(*type)), *type);
}

// Found by fuzz/fuzz_ddl: a name with invalid UTF-8 parsed, and the schema then printed
// as Delta schemaString JSON that no JSON reader accepts.
TEST(DdlParse, InvalidUtf8IsAnErrorNamingItsPosition) {
  auto name = ParseDdlSchema("id\xff\xff LONG, v STRING");
  ASSERT_FALSE(name.ok());
  EXPECT_NE(name.status().message().find("position 3 "), std::string::npos)
      << name.status().ToString();
  EXPECT_NE(name.status().message().find("invalid UTF-8"), std::string::npos);
  EXPECT_FALSE(ParseDdlSchema("a INT COMMENT 'caf\xc3'").ok());     // cut multi-byte character
  EXPECT_FALSE(ParseDdlSchema("`\xed\xa0\x80` INT").ok());           // UTF-16 surrogate
  EXPECT_FALSE(ParseDdlType("STRUCT<\xc0\xaf: INT>").ok());          // overlong '/'
}

TEST(DdlParse, ValidUtf8NamesStillParse) {
  auto parsed = ParseDdlSchema("caf\xc3\xa9 INT, `\xf0\x9f\x8c\xa1 temp` DOUBLE");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->fields.at(0).name, "caf\xc3\xa9");
  EXPECT_EQ(parsed->fields.at(1).name, "\xf0\x9f\x8c\xa1 temp");
}

TEST(DdlParse, TypePrefixChecksOnlyItsOwnBytesForUtf8) {
  const std::string text = "INT, rest \xff";
  size_t offset = 0;
  auto type = ParseDdlTypePrefix(text, &offset, nullptr);
  ASSERT_TRUE(type.ok()) << type.status().ToString();
  EXPECT_EQ(offset, 3u);
}

}  // namespace
}  // namespace inlet
