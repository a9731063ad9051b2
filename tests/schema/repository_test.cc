// The schema repository: Auto Loader's _schemas/N file format, put-if-absent writes,
// version listing and the errors a broken or foreign file gives.
#include "inlet/schema/repository.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"
#include "inlet/util/ids.h"
#include "inlet/storage/fault_injecting_file_system.h"
#include "inlet/storage/file_system.h"

namespace inlet {
namespace {

namespace fs = std::filesystem;

// The seed's IoT schema: the 17 top-level columns Auto Loader inferred (no _rescued_data).
Schema IotSchema() {
  return ParseDdlSchema(
             "alarm_status STRING, battery_level BIGINT, c02_level BIGINT, cca2 STRING, cca3 STRING, cn STRING, "
             "coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, date STRING, device_id BIGINT, "
             "device_serial_number STRING, device_type STRING, epoch_time_milliseconds BIGINT, humidity BIGINT, "
             "ip STRING, scale STRING, temp DOUBLE, timestamp STRING")
      .ValueOrDie();
}

class SchemaRepositoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inlet-repo-" + NewUuid());
    ASSERT_TRUE(storage::Local()->CreateDirs(dir_.string()).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }
  void WriteRaw(const std::string& name, const std::string& text) {
    fs::create_directories(dir_ / "_schemas");
    std::ofstream(dir_ / "_schemas" / name, std::ios::binary) << text;
  }
  fs::path dir_;
};

TEST(SchemaVersionFile, HasTwoLinesAndNoTrailingNewline) {
  Schema schema = ParseDdlSchema("a BIGINT").ValueOrDie();
  EXPECT_EQ(FormatSchemaVersionFile(schema, ""),
            "v1\n"
            R"({"dataSchemaJson":"{\"type\":\"struct\",\"fields\":[{\"name\":\"a\",\"type\":\"long\",)"
            R"(\"nullable\":true,\"metadata\":{}}]}","partitionSchemaJson":"{\"type\":\"struct\",\"fields\":[]}"})");
}

TEST(SchemaVersionFile, IotSchemaFileIsTheSizeAutoLoaderWrites) {
  // Databricks wrote 1628 bytes for version 0 of a near-identical schema in the seed.
  Schema iot = IotSchema();
  ASSERT_EQ(iot.fields.size(), 17u);
  EXPECT_EQ(FormatSchemaVersionFile(iot, "").size(), 1629u);
}

TEST(SchemaVersionFile, HintsAreAThirdKeyOnlyWhenPresent) {
  Schema schema = ParseDdlSchema("humidity DOUBLE").ValueOrDie();
  std::string text = FormatSchemaVersionFile(schema, "humidity DOUBLE");
  EXPECT_NE(text.find(R"(,"schemaHints":"humidity DOUBLE"})"), std::string::npos) << text;
  EXPECT_EQ(FormatSchemaVersionFile(schema, "").find("schemaHints"), std::string::npos);
}

TEST(SchemaVersionFile, RoundTripsSchemaAndHints) {
  Schema iot = IotSchema();
  auto parsed = ParseSchemaVersionFile(FormatSchemaVersionFile(iot, "humidity DOUBLE"), "x/_schemas/0");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->data_schema, iot);
  EXPECT_EQ(parsed->schema_hints, "humidity DOUBLE");
  EXPECT_EQ(parsed->partition_schema_json, R"({"type":"struct","fields":[]})");
}

TEST(SchemaVersionFile, ToleratesATrailingNewlineAndSpacedJson) {
  std::string text =
      "v1\n{ \"dataSchemaJson\" : \"{\\\"type\\\": \\\"struct\\\", \\\"fields\\\": []}\", "
      "\"partitionSchemaJson\": \"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\" }\n";
  auto parsed = ParseSchemaVersionFile(text, "f");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_TRUE(parsed->data_schema.fields.empty());
  EXPECT_EQ(parsed->schema_hints, "");
}

TEST(SchemaVersionFile, OtherFormatVersionFailsNamingTheFileAndVersion) {
  auto parsed = ParseSchemaVersionFile("v2\n{}", "loc/_schemas/3");
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("loc/_schemas/3"), std::string::npos) << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("'v2'"), std::string::npos) << parsed.status().message();
}

TEST(SchemaVersionFile, MalformedFilesFailNamingFileAndLine) {
  for (const std::string text : {"", "hello\n{}", "v1", "v1\nnot json", "v1\n[1]", "v1\n{\"partitionSchemaJson\":\"\"}",
                                 "v1\n{\"dataSchemaJson\":5}", "v1\n{\"dataSchemaJson\":\"{\\\"type\\\":\\\"long\\\"}\"}"}) {
    auto parsed = ParseSchemaVersionFile(text, "loc/_schemas/0");
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_NE(parsed.status().message().find("loc/_schemas/0"), std::string::npos) << parsed.status().message();
    EXPECT_NE(parsed.status().message().find("line"), std::string::npos) << parsed.status().message();
  }
}

SchemaVersion VersionOf(const std::string& ddl, const std::string& hints = "") {
  SchemaVersion version;
  version.data_schema = ParseDdlSchema(ddl).ValueOrDie();
  version.schema_hints = hints;
  return version;
}

TEST(DescribeSchemaVersion, FirstVersionCountsItsColumns) {
  SchemaVersion first;
  first.data_schema = IotSchema();
  EXPECT_EQ(DescribeSchemaVersion(nullptr, first), "initial (17 columns)");
  EXPECT_EQ(DescribeSchemaVersion(nullptr, VersionOf("a INT", "a INT")), "initial (1 column); hints: a INT");
}

TEST(DescribeSchemaVersion, ListsAddedWidenedAndChangedColumnsThenNewHints) {
  SchemaVersion before = VersionOf("humidity BIGINT, level INT, coordinates STRUCT<latitude: DOUBLE>");
  SchemaVersion after = VersionOf(
      "humidity DOUBLE, level BIGINT, coordinates STRUCT<latitude: DOUBLE, altitude: DOUBLE>, "
      "latitude DOUBLE, location STRUCT<cca2: STRING>",
      "humidity DOUBLE");
  EXPECT_EQ(DescribeSchemaVersion(&before, after),
            "added: coordinates.altitude double, latitude double, location struct; widened: level integer -> long; "
            "changed: humidity long -> double; hints: humidity DOUBLE");
}

TEST(DescribeSchemaVersion, SameSchemaAndHintsIsNoChange) {
  SchemaVersion version = VersionOf("a BIGINT", "a BIGINT");
  EXPECT_EQ(DescribeSchemaVersion(&version, version), "no change");
  EXPECT_EQ(DescribeSchemaVersion(&version, VersionOf("a BIGINT")), "hints: (none)");
}

TEST_F(SchemaRepositoryTest, OpenCreatesTheSchemasFolderAndStartsEmpty) {
  auto repo = SchemaRepository::Open(dir_.string() + "/loc");
  ASSERT_TRUE(repo.ok()) << repo.status().ToString();
  EXPECT_TRUE(fs::is_directory(dir_ / "loc" / "_schemas"));
  EXPECT_TRUE(repo->ListVersions()->empty());
  EXPECT_FALSE(repo->Latest()->has_value());
}

TEST_F(SchemaRepositoryTest, OpenExistingDoesNotCreateAnything) {
  auto repo = SchemaRepository::OpenExisting(dir_.string() + "/nothing");
  ASSERT_FALSE(repo.ok());
  EXPECT_EQ(repo.status().message(), "no schema repository at '" + dir_.string() + "/nothing' (no _schemas folder)");
  EXPECT_FALSE(fs::exists(dir_ / "nothing"));
}

TEST_F(SchemaRepositoryTest, WriteThenReadGivesTheSchemaPathAndModificationTime) {
  auto repo = SchemaRepository::Open(dir_.string()).ValueOrDie();
  const int64_t before = NowMillis();
  auto path = repo.Write(0, IotSchema(), "");
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, dir_.string() + "/_schemas/0");
  EXPECT_EQ(fs::file_size(*path), 1629u);

  auto version = repo.Read(0);
  ASSERT_TRUE(version.ok()) << version.status().ToString();
  EXPECT_EQ(version->version, 0);
  EXPECT_EQ(version->path, *path);
  EXPECT_EQ(version->data_schema, IotSchema());
  EXPECT_GE(version->written_at_ms, before - 2000);
  EXPECT_LE(version->written_at_ms, NowMillis() + 2000);
}

TEST_F(SchemaRepositoryTest, WriteNeverReplacesAnExistingVersion) {
  auto repo = SchemaRepository::Open(dir_.string()).ValueOrDie();
  ASSERT_TRUE(repo.Write(0, IotSchema(), "").ok());
  auto second = repo.Write(0, ParseDdlSchema("other STRING").ValueOrDie(), "");
  ASSERT_FALSE(second.ok());
  EXPECT_TRUE(second.status().IsAlreadyExists()) << second.status().ToString();
  EXPECT_EQ(repo.Read(0)->data_schema, IotSchema());
}

TEST_F(SchemaRepositoryTest, ListsNumericVersionsInOrderIgnoringOtherFiles) {
  auto repo = SchemaRepository::Open(dir_.string()).ValueOrDie();
  for (int64_t v : {2, 0, 10, 1}) ASSERT_TRUE(repo.Write(v, IotSchema(), "").ok());
  WriteRaw("3.tmp.123.0", "v1\n");
  WriteRaw("notes", "x");
  WriteRaw("04", "x");
  EXPECT_EQ(repo.ListVersions().ValueOrDie(), (std::vector<int64_t>{0, 1, 2, 10}));
  auto latest = repo.Latest();
  ASSERT_TRUE(latest.ok()) << latest.status().ToString();
  ASSERT_TRUE(latest->has_value());
  EXPECT_EQ((*latest)->version, 10);
}

TEST_F(SchemaRepositoryTest, ReadOfMissingOrBrokenVersionNamesTheFile) {
  auto repo = SchemaRepository::Open(dir_.string()).ValueOrDie();
  auto missing = repo.Read(4);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("_schemas/4"), std::string::npos) << missing.status().message();

  WriteRaw("5", "v1\n{\"dataSchemaJson\":");
  auto broken = repo.Read(5);
  ASSERT_FALSE(broken.ok());
  EXPECT_NE(broken.status().message().find("_schemas/5: line 2"), std::string::npos) << broken.status().message();
}

TEST_F(SchemaRepositoryTest, ReadsAFileWrittenByAutoLoader) {
  // Spark writes the schema JSON without the schemaHints key; the partition schema is empty.
  WriteRaw("0",
           "v1\n{\"dataSchemaJson\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[{\\\"name\\\":\\\"cn\\\","
           "\\\"type\\\":\\\"string\\\",\\\"nullable\\\":true,\\\"metadata\\\":{}}]}\","
           "\"partitionSchemaJson\":\"{\\\"type\\\":\\\"struct\\\",\\\"fields\\\":[]}\"}");
  auto repo = SchemaRepository::OpenExisting(dir_.string()).ValueOrDie();
  auto latest = repo.Latest().ValueOrDie();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->data_schema, ParseDdlSchema("cn STRING").ValueOrDie());
  EXPECT_EQ(latest->schema_hints, "");
}

TEST_F(SchemaRepositoryTest, AVersionAnotherRunWroteJustBeforeOursIsKeptAndOursRefused) {
  auto faults = std::make_shared<storage::FaultInjectingFileSystem>(storage::Local());
  auto repo = SchemaRepository::Open(storage::Place{faults, dir_.string()}).ValueOrDie();
  faults->BeforeNext(storage::FaultInjectingFileSystem::Op::kCreateIfAbsent, "_schemas/1", [&] {
    ASSERT_TRUE(repo.Write(1, ParseDdlSchema("theirs STRING").ValueOrDie(), "").ok());
  });
  auto ours = repo.Write(1, ParseDdlSchema("ours BIGINT").ValueOrDie(), "");
  ASSERT_TRUE(ours.status().IsAlreadyExists()) << ours.status();
  EXPECT_NE(repo.Read(1).ValueOrDie().data_schema_json.find("theirs"), std::string::npos);
}

}  // namespace
}  // namespace inlet
