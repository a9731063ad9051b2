// Tests for schema evolution: addNewColumns, Delta type widening (with delta.typeChanges
// metadata), schema diffs and case folding of inferred schemas.
#include "inlet/schema/evolution.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "inlet/schema/ddl.h"
#include "ddl_test_util.h"

namespace inlet {
namespace {


std::vector<std::string> Names(const Schema& schema) {
  std::vector<std::string> names;
  for (const Field& field : schema.fields) names.push_back(field.name);
  return names;
}

std::vector<std::string> ChangePaths(const std::vector<SchemaChange>& changes) {
  std::vector<std::string> paths;
  for (const SchemaChange& change : changes) paths.push_back(FieldPathString(change.path));
  return paths;
}

constexpr std::string_view kIotDdl =
    "alarm_status STRING, battery_level BIGINT, c02_level BIGINT, cca2 STRING, cca3 STRING, "
    "cn STRING, coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, date STRING, "
    "device_id BIGINT, device_serial_number STRING, device_type STRING, "
    "epoch_time_milliseconds BIGINT, humidity BIGINT, ip STRING, scale STRING, temp DOUBLE, "
    "timestamp STRING";

// The seed's IoT schema (printSchema of example 5) as the stream's current schema.
Schema IotSchema() { return Ddl(kIotDdl); }

// What inference sees in the seed's second file shape: the IoT columns, a few new
// top-level ones, a new nested field and a case variant of humidity (sorted by name, as
// inference sorts).
Schema ShapeTwoSchema() {
  return Ddl(
      "Humidity DOUBLE, alarm_status STRING, battery_level BIGINT, c02_level BIGINT, "
      "cca2 STRING, cca3 STRING, cn STRING, "
      "coordinates STRUCT<altitude: DOUBLE, latitude: DOUBLE, longitude: DOUBLE>, date STRING, "
      "device_id BIGINT, device_serial_number STRING, device_serial_number_device_type STRING, "
      "device_type STRING, epoch_time_milliseconds BIGINT, humidity DOUBLE, ip STRING, "
      "latitude DOUBLE, location STRUCT<cca2: STRING, cca3: STRING, cn: STRING>, "
      "longitude DOUBLE, scale STRING, temp DOUBLE, timestamp STRING");
}

nlohmann::json Metadata(const Field& field) { return nlohmann::json::parse(field.metadata_json); }

TEST(FieldPathString, JoinsWithDotsAndQuotesOddNames) {
  EXPECT_EQ(FieldPathString({"location", "cca2"}), "location.cca2");
  EXPECT_EQ(FieldPathString({"tags", "element", "name"}), "tags.element.name");
  EXPECT_EQ(FieldPathString({"weird.name", "x"}), "`weird.name`.x");
  EXPECT_EQ(FieldPathString({"a`b"}), "`a``b`");
  EXPECT_EQ(FieldPathString({}), "");
}

TEST(AddNewFields, SeedShapeTwoAppendsNewColumnsSortedAfterExistingOnes) {
  SchemaEvolution evolved = AddNewFields(IotSchema(), ShapeTwoSchema());
  std::vector<std::string> expected = Names(IotSchema());
  for (const char* added : {"device_serial_number_device_type", "latitude", "location",
                            "longitude"}) {
    expected.push_back(added);
  }
  EXPECT_EQ(Names(evolved.schema), expected);
  EXPECT_EQ(*evolved.schema.FindField("location")->type,
            *Type("STRUCT<cca2: STRING, cca3: STRING, cn: STRING>"));
  // The new nested field goes at the end of coordinates.
  EXPECT_EQ(*evolved.schema.FindField("coordinates")->type,
            *Type("STRUCT<latitude: DOUBLE, longitude: DOUBLE, altitude: DOUBLE>"));
  // Changes in schema order: coordinates comes before the appended columns.
  EXPECT_EQ(ChangePaths(evolved.changes),
            (std::vector<std::string>{"coordinates.altitude", "device_serial_number_device_type",
                                      "latitude", "location", "longitude"}));
  for (const SchemaChange& change : evolved.changes) {
    EXPECT_EQ(change.kind, SchemaChange::Kind::kAdded);
    EXPECT_EQ(change.from, nullptr);
    ASSERT_NE(change.to, nullptr);
  }
  EXPECT_EQ(*evolved.changes[3].to, *evolved.schema.FindField("location")->type);
}

TEST(AddNewFields, CaseVariantOfAnExistingColumnIsNotAdded) {
  SchemaEvolution evolved = AddNewFields(IotSchema(), ShapeTwoSchema());
  EXPECT_EQ(evolved.schema.FindField("Humidity"), nullptr);
  auto no_variant = AddNewFields(Ddl("humidity BIGINT"), Ddl("HUMIDITY BIGINT"));
  EXPECT_TRUE(no_variant.changes.empty());
  EXPECT_EQ(no_variant.schema, Ddl("humidity BIGINT"));
}

TEST(AddNewFields, ExistingTypesNeverChange) {
  SchemaEvolution evolved = AddNewFields(IotSchema(), ShapeTwoSchema());
  EXPECT_EQ(*evolved.schema.FindField("humidity")->type, *DataType::Long());
  auto conflicting = AddNewFields(Ddl("a BIGINT, s STRUCT<x: INT>"), Ddl("a STRING, s STRING"));
  EXPECT_TRUE(conflicting.changes.empty());
  EXPECT_EQ(conflicting.schema, Ddl("a BIGINT, s STRUCT<x: INT>"));
}

TEST(AddNewFields, NothingNewMeansNoChanges) {
  SchemaEvolution evolved = AddNewFields(IotSchema(), IotSchema());
  EXPECT_TRUE(evolved.changes.empty());
  EXPECT_EQ(evolved.schema, IotSchema());
  SchemaEvolution subset = AddNewFields(IotSchema(), Ddl("temp DOUBLE"));
  EXPECT_TRUE(subset.changes.empty());
}

TEST(AddNewFields, ReachesIntoArrayElementsAndMapValues) {
  Schema current = Ddl("items ARRAY<STRUCT<b: INT>>, m MAP<STRING, STRUCT<v: INT>>");
  Schema observed = Ddl(
      "items ARRAY<STRUCT<a: STRING, b: INT, c: STRING>>, m MAP<STRING, STRUCT<u: INT, v: INT>>");
  SchemaEvolution evolved = AddNewFields(current, observed);
  EXPECT_EQ(evolved.schema, Ddl("items ARRAY<STRUCT<b: INT, a: STRING, c: STRING>>, "
                                "m MAP<STRING, STRUCT<v: INT, u: INT>>"));
  EXPECT_EQ(ChangePaths(evolved.changes),
            (std::vector<std::string>{"items.element.a", "items.element.c", "m.value.u"}));
}

TEST(AddNewFields, NestedMatchIsCaseInsensitiveToo) {
  SchemaEvolution evolved = AddNewFields(Ddl("Coordinates STRUCT<lat: DOUBLE>"),
                                         Ddl("coordinates STRUCT<LAT: DOUBLE, lon: DOUBLE>"));
  EXPECT_EQ(evolved.schema, Ddl("Coordinates STRUCT<lat: DOUBLE, lon: DOUBLE>"));
  EXPECT_EQ(ChangePaths(evolved.changes), std::vector<std::string>{"Coordinates.lon"});
}

TEST(AddNewFields, TwoSpellingsOfOneNewNameAddOneColumn) {
  SchemaEvolution evolved = AddNewFields(Ddl("a INT"), Ddl("Zed INT, a INT, zed INT"));
  EXPECT_EQ(Names(evolved.schema), (std::vector<std::string>{"a", "Zed"}));
  EXPECT_EQ(evolved.changes.size(), 1u);
}

TEST(DeltaTypeWidening, IntegralTypesWidenUpward) {
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Byte(), *DataType::Short()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Byte(), *DataType::Long()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Short(), *DataType::Integer()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Long()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Long(), *DataType::Integer()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Integer()));
}

TEST(DeltaTypeWidening, FloatAndSmallIntegersWidenToDoubleButLongDoesNot) {
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Float(), *DataType::Double()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Byte(), *DataType::Double()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Short(), *DataType::Double()));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Double()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Long(), *DataType::Double()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Double(), *DataType::Float()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Float()));
}

TEST(DeltaTypeWidening, DecimalsGrowWhenIntegerDigitsDoNotShrink) {
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Decimal(9, 2), *DataType::Decimal(12, 2)));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Decimal(9, 2), *DataType::Decimal(12, 5)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Decimal(9, 2), *DataType::Decimal(10, 4)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Decimal(9, 2), *DataType::Decimal(9, 1)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Decimal(12, 2), *DataType::Decimal(9, 2)));
}

TEST(DeltaTypeWidening, IntegersWidenToDecimalsThatHoldEveryValue) {
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Decimal(10, 0)));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Byte(), *DataType::Decimal(12, 2)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::Decimal(11, 2)));
  EXPECT_TRUE(IsDeltaTypeWidening(*DataType::Long(), *DataType::Decimal(20, 0)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Long(), *DataType::Decimal(19, 0)));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Double(), *DataType::Decimal(38, 10)));
}

TEST(DeltaTypeWidening, NothingFromOrToStringAndNoContainers) {
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Integer(), *DataType::String()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::String(), *DataType::Long()));
  EXPECT_FALSE(IsDeltaTypeWidening(*DataType::Date(), *DataType::Timestamp()));
  EXPECT_FALSE(IsDeltaTypeWidening(*Type("ARRAY<INT>"), *Type("ARRAY<BIGINT>")));
}

TEST(ApplyWidenings, IntToLongRecordsDeltaTypeChanges) {
  auto evolved = ApplyWidenings(Ddl("a STRING, n INT"), {{{"n"}, DataType::Long()}});
  ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
  EXPECT_EQ(evolved->schema, Ddl("a STRING, n BIGINT"));
  EXPECT_EQ(Metadata(evolved->schema.fields[1]),
            nlohmann::json::parse(
                R"({"delta.typeChanges":[{"fromType":"integer","toType":"long"}]})"));
  EXPECT_EQ(evolved->schema.fields[0].metadata_json, "{}");
  ASSERT_EQ(evolved->changes.size(), 1u);
  EXPECT_EQ(evolved->changes[0].kind, SchemaChange::Kind::kWidened);
  EXPECT_EQ(evolved->changes[0].path, FieldPath{"n"});
  EXPECT_EQ(*evolved->changes[0].from, *DataType::Integer());
  EXPECT_EQ(*evolved->changes[0].to, *DataType::Long());
}

TEST(ApplyWidenings, ExistingMetadataAndEarlierTypeChangesAreKept) {
  Schema schema = Ddl("n BIGINT COMMENT 'count'");
  schema.fields[0].metadata_json =
      R"({"comment":"count","delta.typeChanges":[{"fromType":"short","toType":"integer"}]})";
  // An earlier change left the column at long; now widen to a decimal.
  auto evolved = ApplyWidenings(schema, {{{"n"}, DataType::Decimal(22, 2)}});
  ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
  // The json( delimiter: "decimal(22,2)" holds )" and would end a plain raw string.
  auto expected = nlohmann::json::parse(R"json({
      "comment": "count",
      "delta.typeChanges": [{"fromType": "short", "toType": "integer"},
                            {"fromType": "long", "toType": "decimal(22,2)"}]})json");
  EXPECT_EQ(Metadata(evolved->schema.fields[0]), expected);
}

TEST(ApplyWidenings, NestedStructFieldGetsTheMetadata) {
  Schema schema = Ddl("coordinates STRUCT<latitude: FLOAT, longitude: DOUBLE>");
  auto evolved = ApplyWidenings(schema, {{{"Coordinates", "latitude"}, DataType::Double()}});
  ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
  EXPECT_EQ(evolved->schema, Ddl("coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>"));
  const Field& latitude = evolved->schema.fields[0].type->fields[0];
  EXPECT_EQ(Metadata(latitude), nlohmann::json::parse(
                                    R"({"delta.typeChanges":[{"fromType":"float","toType":"double"}]})"));
  EXPECT_EQ(evolved->schema.fields[0].metadata_json, "{}");
  EXPECT_EQ(evolved->changes[0].path, (FieldPath{"coordinates", "latitude"}));
}

TEST(ApplyWidenings, ChangesInsideArraysAndMapsNameTheFieldPath) {
  Schema schema = Ddl("ids ARRAY<INT>, m MAP<STRING, ARRAY<SHORT>>, s ARRAY<STRUCT<x: BYTE>>");
  auto evolved = ApplyWidenings(schema, {{{"ids", "element"}, DataType::Long()},
                                         {{"m", "value", "element"}, DataType::Integer()},
                                         {{"s", "element", "x"}, DataType::Short()}});
  ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
  EXPECT_EQ(evolved->schema, Ddl("ids ARRAY<BIGINT>, m MAP<STRING, ARRAY<INT>>, "
                                 "s ARRAY<STRUCT<x: SMALLINT>>"));
  auto ids_expected = nlohmann::json::parse(
      R"({"delta.typeChanges":[{"fromType":"integer","toType":"long","fieldPath":"element"}]})");
  auto m_expected = nlohmann::json::parse(
      R"({"delta.typeChanges":[{"fromType":"short","toType":"integer",)"
      R"("fieldPath":"value.element"}]})");
  EXPECT_EQ(Metadata(evolved->schema.fields[0]), ids_expected);
  EXPECT_EQ(Metadata(evolved->schema.fields[1]), m_expected);
  // Inside the array's struct the nearest struct field is x itself: no fieldPath.
  EXPECT_EQ(evolved->schema.fields[2].metadata_json, "{}");
  EXPECT_EQ(Metadata(evolved->schema.fields[2].type->element->fields[0]),
            nlohmann::json::parse(R"({"delta.typeChanges":[{"fromType":"byte","toType":"short"}]})"));
  EXPECT_EQ(ChangePaths(evolved->changes),
            (std::vector<std::string>{"ids.element", "m.value.element", "s.element.x"}));
}

TEST(ApplyWidenings, LongToDoubleIsRejectedNamingPathAndTypes) {
  auto evolved = ApplyWidenings(Ddl("c STRUCT<n: BIGINT>"), {{{"c", "n"}, DataType::Double()}});
  ASSERT_FALSE(evolved.ok());
  EXPECT_TRUE(evolved.status().IsInvalid());
  EXPECT_EQ(evolved.status().message(),
            "cannot widen column 'c.n' from long to double: Delta type widening does not allow it");
}

TEST(ApplyWidenings, MissingColumnIsRejected) {
  auto evolved = ApplyWidenings(Ddl("a INT"), {{{"b"}, DataType::Long()}});
  ASSERT_FALSE(evolved.ok());
  EXPECT_NE(evolved.status().message().find("'b'"), std::string::npos);
  auto through_primitive = ApplyWidenings(Ddl("a INT"), {{{"a", "element"}, DataType::Long()}});
  EXPECT_FALSE(through_primitive.ok());
}

TEST(ApplyWidenings, SameTypeIsNoChange) {
  auto evolved = ApplyWidenings(Ddl("a BIGINT"), {{{"a"}, DataType::Long()}});
  ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
  EXPECT_TRUE(evolved->changes.empty());
  EXPECT_EQ(evolved->schema.fields[0].metadata_json, "{}");
}

TEST(ApplyWidenings, TwoWideningsOfOneColumnKeepTheWiderAndRecordOnce) {
  for (bool wider_first : {true, false}) {
    std::vector<TypeWidening> widenings = {{{"a"}, DataType::Short()}, {{"a"}, DataType::Long()}};
    if (wider_first) std::swap(widenings[0], widenings[1]);
    auto evolved = ApplyWidenings(Ddl("a TINYINT"), widenings);
    ASSERT_TRUE(evolved.ok()) << evolved.status().ToString();
    EXPECT_EQ(evolved->schema, Ddl("a BIGINT"));
    ASSERT_EQ(evolved->changes.size(), 1u);
    EXPECT_EQ(*evolved->changes[0].from, *DataType::Byte());
    EXPECT_EQ(Metadata(evolved->schema.fields[0]),
              nlohmann::json::parse(R"({"delta.typeChanges":[{"fromType":"byte","toType":"long"}]})"));
  }
  // long and double do not hold each other: an error, not a guess.
  auto clash = ApplyWidenings(Ddl("a INT"), {{{"a"}, DataType::Long()}, {{"a"}, DataType::Double()}});
  EXPECT_FALSE(clash.ok());
}

TEST(DiffSchemas, ReportsAddedWidenedAndChangedInAfterOrder) {
  Schema before = Ddl("a INT, s STRUCT<x: FLOAT, y: STRING>, t STRING, l BIGINT");
  Schema after = Ddl(
      "a BIGINT, s STRUCT<x: DOUBLE, y: STRING, z: INT>, t BIGINT, l DOUBLE, "
      "tags ARRAY<STRING>");
  std::vector<SchemaChange> changes = DiffSchemas(before, after);
  EXPECT_EQ(ChangePaths(changes),
            (std::vector<std::string>{"a", "s.x", "s.z", "t", "l", "tags"}));
  using Kind = SchemaChange::Kind;
  std::vector<Kind> kinds;
  for (const SchemaChange& change : changes) kinds.push_back(change.kind);
  EXPECT_EQ(kinds, (std::vector<Kind>{Kind::kWidened, Kind::kWidened, Kind::kAdded,
                                      Kind::kTypeChanged, Kind::kTypeChanged, Kind::kAdded}));
  EXPECT_EQ(*changes[0].from, *DataType::Integer());
  EXPECT_EQ(*changes[0].to, *DataType::Long());
  EXPECT_EQ(changes[2].from, nullptr);
}

TEST(DiffSchemas, LooksInsideArraysAndMapsAndIgnoresRemovals) {
  Schema before = Ddl("ids ARRAY<INT>, m MAP<STRING, STRUCT<v: INT>>, gone STRING");
  Schema after = Ddl("ids ARRAY<BIGINT>, m MAP<STRING, STRUCT<v: INT, w: STRING>>");
  EXPECT_EQ(ChangePaths(DiffSchemas(before, after)),
            (std::vector<std::string>{"ids.element", "m.value.w"}));
  EXPECT_TRUE(DiffSchemas(IotSchema(), IotSchema()).empty());
}

TEST(DiffSchemas, SeedEvolutionIsFourAddedColumns) {
  Schema before = IotSchema();
  Schema after = AddNewFields(IotSchema(), ShapeTwoSchema()).schema;
  EXPECT_EQ(ChangePaths(DiffSchemas(before, after)),
            (std::vector<std::string>{"coordinates.altitude", "device_serial_number_device_type",
                                      "latitude", "location", "longitude"}));
}

TEST(FoldCaseVariants, KeepsTheLeastUpperCaseSpellingAndMergesTypes) {
  Schema folded = FoldCaseVariants(Ddl("Humidity DOUBLE, alarm STRING, humidity BIGINT"));
  EXPECT_EQ(folded, Ddl("alarm STRING, humidity DOUBLE"));
}

TEST(FoldCaseVariants, TiesKeepTheFirstSpellingAtItsPlace) {
  Schema folded = FoldCaseVariants(Ddl("aB BIGINT, c STRING, Ab BIGINT"));
  EXPECT_EQ(folded, Ddl("aB BIGINT, c STRING"));
}

TEST(FoldCaseVariants, FoldsAtEveryDepthAndMergesStructs) {
  Schema folded = FoldCaseVariants(
      Ddl("Loc STRUCT<A: BIGINT>, loc STRUCT<b: STRING, B: STRING>, "
          "items ARRAY<STRUCT<X: BIGINT, x: DOUBLE>>"));
  EXPECT_EQ(folded, Ddl("loc STRUCT<A: BIGINT, b: STRING>, items ARRAY<STRUCT<x: DOUBLE>>"));
}

TEST(FoldCaseVariants, SchemaWithoutVariantsIsUnchanged) {
  EXPECT_EQ(FoldCaseVariants(IotSchema()), IotSchema());
}

}  // namespace
}  // namespace inlet
