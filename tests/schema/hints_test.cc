// Tests for cloudFiles.schemaHints: parsing the option (with positioned errors) and
// applying hints to schemas at any depth.
#include "inlet/schema/hints.h"

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"
#include "ddl_test_util.h"

namespace inlet {
namespace {

using Path = std::vector<std::string>;


std::string ParseError(std::string_view text) {
  auto hints = ParseSchemaHints(text);
  EXPECT_FALSE(hints.ok()) << text;
  return hints.ok() ? "" : hints.status().message();
}

Result<Schema> Apply(const Schema& schema, std::string_view hints_text) {
  auto hints = ParseSchemaHints(hints_text);
  EXPECT_TRUE(hints.ok()) << hints.status().ToString();
  return ApplySchemaHints(schema, hints.ValueOrDie());
}

// The seed's 19-column IoT schema (as Auto Loader infers it from the sample files).
Schema IotSchema() {
  return Ddl(
      "alarm_status STRING, battery_level BIGINT, c02_level BIGINT, cca2 STRING, cca3 STRING, "
      "cn STRING, coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, date STRING, "
      "device_id BIGINT, device_serial_number STRING, device_type STRING, "
      "epoch_time_milliseconds BIGINT, humidity BIGINT, ip STRING, scale STRING, temp DOUBLE, "
      "timestamp STRING");
}

TEST(SchemaHintsParse, SeedHintIsOneTopLevelColumn) {
  auto hints = ParseSchemaHints("humidity DOUBLE");
  ASSERT_TRUE(hints.ok()) << hints.status().ToString();
  ASSERT_EQ(hints->size(), 1u);
  EXPECT_EQ((*hints)[0].path, Path{"humidity"});
  EXPECT_EQ(*(*hints)[0].type, *DataType::Double());
  EXPECT_EQ((*hints)[0].text, "humidity DOUBLE");
}

TEST(SchemaHintsParse, SplitsOnlyAtTopLevelCommas) {
  auto hints = ParseSchemaHints(
      "humidity DOUBLE, coordinates.latitude DECIMAL(9,6), tags MAP<STRING,STRING>, "
      "ids ARRAY<BIGINT>, `weird.name` INT, a.element.b STRING, m.value LONG");
  ASSERT_TRUE(hints.ok()) << hints.status().ToString();
  ASSERT_EQ(hints->size(), 7u);
  const auto& h = *hints;
  EXPECT_EQ(h[1].path, (Path{"coordinates", "latitude"}));
  EXPECT_EQ(*h[1].type, *DataType::Decimal(9, 6));
  EXPECT_EQ(h[1].text, "coordinates.latitude DECIMAL(9,6)");
  EXPECT_EQ(*h[2].type, *DataType::Map(DataType::String(), DataType::String()));
  EXPECT_EQ(*h[3].type, *DataType::Array(DataType::Long()));
  EXPECT_EQ(h[4].path, Path{"weird.name"});
  EXPECT_EQ(*h[4].type, *DataType::Integer());
  EXPECT_EQ(h[5].path, (Path{"a", "element", "b"}));
  EXPECT_EQ(h[6].path, (Path{"m", "value"}));
  EXPECT_EQ(*h[6].type, *DataType::Long());
}

TEST(SchemaHintsParse, BackQuotedNamesKeepCommasSpacesAndDoubledQuotes) {
  auto hints = ParseSchemaHints("`a, b`.`c``d` STRUCT<x: INT, y: STRING>");
  ASSERT_TRUE(hints.ok()) << hints.status().ToString();
  ASSERT_EQ(hints->size(), 1u);
  EXPECT_EQ((*hints)[0].path, (Path{"a, b", "c`d"}));
  EXPECT_EQ(*(*hints)[0].type, *Type("STRUCT<x: INT, y: STRING>"));
}

TEST(SchemaHintsParse, BlankTextGivesNoHints) {
  for (std::string_view text : {"", "   ", "\t\n"}) {
    auto hints = ParseSchemaHints(text);
    ASSERT_TRUE(hints.ok()) << hints.status().ToString();
    EXPECT_TRUE(hints->empty());
  }
}

TEST(SchemaHintsParse, BadTypeQuotesTheItemAndItsPositionInTheWholeOption) {
  // "humidity DOUBLE, " is 17 characters, "coordinates.latitude " 21 and "DECIMAL(9," 10: the
  // missing scale is at position 49.
  EXPECT_EQ(ParseError("humidity DOUBLE, coordinates.latitude DECIMAL(9,"),
            "cloudFiles.schemaHints: cannot parse 'coordinates.latitude DECIMAL(9,' at "
            "position 49: expected a number");
  EXPECT_EQ(ParseError("a INT, b FOO"),
            "cloudFiles.schemaHints: cannot parse 'b FOO' at position 10: unknown type FOO");
  EXPECT_EQ(ParseError("a ARRAY<INT"),
            "cloudFiles.schemaHints: cannot parse 'a ARRAY<INT' at position 12: expected '>' "
            "to close ARRAY<");
}

TEST(SchemaHintsParse, ItemWithoutATypeFails) {
  EXPECT_EQ(ParseError("a INT, humidity"),
            "cloudFiles.schemaHints: cannot parse 'humidity' at position 16: expected a type "
            "after the column name");
  EXPECT_EQ(ParseError("humidity"),
            "cloudFiles.schemaHints: cannot parse 'humidity' at position 9: expected a type "
            "after the column name");
}

TEST(SchemaHintsParse, EmptyItemFails) {
  EXPECT_EQ(ParseError("a INT,, b INT"),
            "cloudFiles.schemaHints: empty hint at position 7 in 'a INT,, b INT'");
  EXPECT_NE(ParseError("a INT, ").find("empty hint at position 8"), std::string::npos);
  EXPECT_NE(ParseError(", a INT").find("empty hint at position 1"), std::string::npos);
}

TEST(SchemaHintsParse, UnterminatedBackQuoteFails) {
  EXPECT_EQ(ParseError("a INT, `b INT"),
            "cloudFiles.schemaHints: cannot parse '`b INT' at position 8: unterminated back "
            "quote");
}

TEST(SchemaHintsParse, TextAfterTheTypeFails) {
  EXPECT_EQ(ParseError("a INT junk"),
            "cloudFiles.schemaHints: cannot parse 'a INT junk' at position 7: unexpected text "
            "after the type");
}

TEST(SchemaHintsParse, PositionsCountCharactersNotBytes) {
  // "é" is two bytes but one character: FOO starts at character 10.
  EXPECT_NE(ParseError("é INT, b FOO").find("at position 10:"), std::string::npos);
}

TEST(SchemaHintsApply, SeedHintTurnsHumidityIntoDouble) {
  Schema iot = IotSchema();
  auto hinted = Apply(iot, "humidity DOUBLE");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  ASSERT_EQ(hinted->fields.size(), iot.fields.size());
  EXPECT_EQ(hinted->fields[12].name, "humidity");
  EXPECT_EQ(*hinted->fields[12].type, *DataType::Double());
  for (size_t i = 0; i < iot.fields.size(); ++i) {
    if (i != 12) {
      EXPECT_EQ(hinted->fields[i], iot.fields[i]);
    }
  }
}

TEST(SchemaHintsApply, ReplacedFieldKeepsNameNullabilityAndMetadata) {
  Schema schema = Ddl("Humidity BIGINT NOT NULL COMMENT 'rh', b STRING");
  auto hinted = Apply(schema, "humidity DOUBLE");  // case-insensitive match
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  ASSERT_EQ(hinted->fields.size(), 2u);
  const Field& field = hinted->fields[0];
  EXPECT_EQ(field.name, "Humidity");
  EXPECT_FALSE(field.nullable);
  EXPECT_EQ(field.metadata_json, schema.fields[0].metadata_json);
  EXPECT_EQ(*field.type, *DataType::Double());
}

TEST(SchemaHintsApply, ExactNameWinsOverCaseInsensitiveMatch) {
  auto hinted = Apply(Ddl("a INT, A INT"), "A LONG");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted->fields[0].type, *DataType::Integer());
  EXPECT_EQ(*hinted->fields[1].type, *DataType::Long());
}

TEST(SchemaHintsApply, MissingTopLevelColumnsAreAppendedInHintOrder) {
  auto hinted = Apply(Ddl("b STRING, a STRING"), "z INT, c DATE, a LONG");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted, Ddl("b STRING, a BIGINT, z INT, c DATE"));
}

TEST(SchemaHintsApply, NestedHintReplacesOrAddsInsideTheStruct) {
  auto hinted = Apply(IotSchema(), "coordinates.latitude DECIMAL(9,6), coordinates.altitude FLOAT");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  const Field* coordinates = hinted->FindField("coordinates");
  ASSERT_NE(coordinates, nullptr);
  EXPECT_EQ(*coordinates->type,
            *Type("STRUCT<latitude: DECIMAL(9,6), longitude: DOUBLE, altitude: FLOAT>"));
  EXPECT_EQ(hinted->fields.size(), IotSchema().fields.size());
}

TEST(SchemaHintsApply, MissingParentsAreCreatedAsStructs) {
  auto hinted = Apply(Ddl("a STRING"), "geo.point.lat DOUBLE, geo.point.lon DOUBLE");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted, Ddl("a STRING, geo STRUCT<point: STRUCT<lat: DOUBLE, lon: DOUBLE>>"));
}

TEST(SchemaHintsApply, HintsReachArrayElementsAndMapParts) {
  Schema schema = Ddl("ids ARRAY<STRUCT<x: INT>>, m MAP<STRING, INT>, tags ARRAY<INT>");
  auto hinted = Apply(schema,
                      "ids.element.x LONG, ids.element.y STRING, m.value DOUBLE, "
                      "m.key INT, tags.element STRING");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted, Ddl("ids ARRAY<STRUCT<x: BIGINT, y: STRING>>, m MAP<INT, DOUBLE>, "
                         "tags ARRAY<STRING>"));
}

TEST(SchemaHintsApply, WholeContainerTypesCanBeHinted) {
  auto hinted = Apply(Ddl("tags STRING"), "tags MAP<STRING,STRING>, ids ARRAY<BIGINT>");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted, Ddl("tags MAP<STRING, STRING>, ids ARRAY<BIGINT>"));
}

TEST(SchemaHintsApply, BackQuotedDottedNameIsOneColumn) {
  auto hinted = Apply(Ddl("`weird.name` STRING"), "`weird.name` INT");
  ASSERT_TRUE(hinted.ok()) << hinted.status().ToString();
  EXPECT_EQ(*hinted, Ddl("`weird.name` INT"));
}

TEST(SchemaHintsApply, PathThroughAPrimitiveFailsNamingTheHint) {
  auto hinted = Apply(IotSchema(), "ip.x STRING");
  ASSERT_FALSE(hinted.ok());
  EXPECT_TRUE(hinted.status().IsInvalid());
  EXPECT_NE(hinted.status().message().find("'ip.x STRING'"), std::string::npos)
      << hinted.status().message();
  EXPECT_NE(hinted.status().message().find("string"), std::string::npos);
}

TEST(SchemaHintsApply, WrongPartNameOnArrayOrMapFails) {
  Schema schema = Ddl("ids ARRAY<INT>, m MAP<STRING, INT>");
  auto on_array = Apply(schema, "ids.items INT");
  ASSERT_FALSE(on_array.ok());
  EXPECT_NE(on_array.status().message().find("'ids.items INT'"), std::string::npos);
  EXPECT_NE(on_array.status().message().find("element"), std::string::npos);
  auto on_map = Apply(schema, "m.element INT");
  ASSERT_FALSE(on_map.ok());
  EXPECT_NE(on_map.status().message().find("'m.element INT'"), std::string::npos);
}

TEST(SchemaHintsApply, NoHintsLeaveTheSchemaAlone) {
  auto hinted = ApplySchemaHints(IotSchema(), {});
  ASSERT_TRUE(hinted.ok());
  EXPECT_EQ(*hinted, IotSchema());
}

// Hinted names reach Delta's JSON schemaString, which must be UTF-8 (see fuzz_ddl).
TEST(SchemaHintsParse, InvalidUtf8IsAnErrorNamingItsPosition) {
  auto hints = ParseSchemaHints("humidity DOUBLE, t\xe9mp INT");
  ASSERT_FALSE(hints.ok());
  EXPECT_NE(hints.status().message().find("invalid UTF-8 at position 19"), std::string::npos)
      << hints.status().ToString();
}

}  // namespace
}  // namespace inlet
