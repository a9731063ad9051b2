// `inlet drift`'s analysis on a small Delta table built with the write/ and delta/ modules:
// which paths were rescued, walked into struct columns only, with JSON types and files.
#include "inlet/query/drift.h"

#include <filesystem>

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "inlet/schema/arrow_convert.h"
#include "inlet/schema/ddl.h"
#include "inlet/schema/spark_json.h"
#include "inlet/util/ids.h"
#include "inlet/write/data_file_writer.h"
#include "inlet/storage/file_system.h"

namespace inlet::query {
namespace {

namespace fs = std::filesystem;

const char* kTableDdl =
    "id BIGINT, coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, humidity BIGINT, "
    "tags ARRAY<STRING>, _rescued_data STRING";

// Rows of the second data file: the rescued column's text, or nullopt for null.
const std::vector<std::optional<std::string>> kRescued = {
    R"({"coordinates":{"latitude":"n/a","altitude":5},"_file_path":"file:/in/a.json"})",
    R"({"location":{"cca2":"NO"},"humidity":70.5,"_file_path":"file:/in/b.json"})",
    R"({"location":{"cca2":"US"}, "Humidity":3, "id":99999999999999999999, "_file_path":"file:/in/b.json"})",
    std::nullopt,
    "not json",
    R"({"location":"x","humidity":"high","tags":[1,{"a":2}],"_file_path":"file:/in/a.json"})",
    "[1,2]",
};

class DriftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (fs::temp_directory_path() / ("inlet-drift-" + NewUuid())).string();
    ASSERT_TRUE(storage::Local()->CreateDirs(dir_).ok());
  }
  void TearDown() override { fs::remove_all(dir_); }

  // Writes `batch` as one data file and commits it as `version` with `schema`.
  void Commit(int64_t version, const Schema& schema, const std::shared_ptr<arrow::RecordBatch>& batch) {
    write::DataFileWriter writer(dir_, batch->schema(), write::DataFileWriterOptions{});
    ASSERT_TRUE(writer.Write(batch).ok());
    auto files = writer.Finish();
    ASSERT_TRUE(files.ok()) << files.status().ToString();
    delta::CommitActions actions;
    if (version == 0) actions.protocol = delta::Protocol{};
    delta::Metadata metadata;
    metadata.id = "drift-test";
    metadata.schema_string = ToSparkJson(schema);
    actions.metadata = metadata;
    for (const auto& file : *files) {
      delta::AddFile add;
      add.path = file.relative_path;
      add.size = file.size;
      add.modification_time = file.modification_time_ms;
      add.stats = file.stats_json;
      actions.adds.push_back(add);
    }
    ASSERT_TRUE(delta::WriteCommit(dir_, version, actions).ok());
  }

  // Version 0: two rows, no rescued column yet. Version 1: the rows of kRescued.
  delta::Snapshot BuildTable() {
    Schema before = ParseDdlSchema("id BIGINT, humidity BIGINT").ValueOrDie();
    auto before_arrow = ToArrowSchema(before).ValueOrDie();
    auto first = arrow::RecordBatch::Make(
        before_arrow, 2,
        {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2]").ValueOrDie(),
         arrow::json::ArrayFromJSONString(arrow::int64(), "[10, 20]").ValueOrDie()});
    Commit(0, before, first);

    Schema schema = ParseDdlSchema(kTableDdl).ValueOrDie();
    auto arrow_schema = ToArrowSchema(schema).ValueOrDie();
    const int64_t n = static_cast<int64_t>(kRescued.size());
    arrow::ArrayVector columns;
    for (int i = 0; i < 4; ++i) columns.push_back(arrow::MakeArrayOfNull(arrow_schema->field(i)->type(), n).ValueOrDie());
    arrow::StringBuilder rescued;
    for (const auto& value : kRescued) {
      EXPECT_TRUE((value ? rescued.Append(*value) : rescued.AppendNull()).ok());
    }
    columns.push_back(rescued.Finish().ValueOrDie());
    Commit(1, schema, arrow::RecordBatch::Make(arrow_schema, n, columns));
    return delta::Snapshot::Load(dir_).ValueOrDie();
  }

  static const DriftField* Find(const DriftReport& report, const std::string& path) {
    for (const auto& field : report.fields) {
      if (field.path == path) return &field;
    }
    return nullptr;
  }

  std::string dir_;
};

TEST_F(DriftTest, CountsRowsAndRescuedRowsAcrossFilesThatPredateTheColumn) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{});
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_EQ(report->rows, 9);
  EXPECT_EQ(report->rescued_rows, 6);
}

TEST_F(DriftTest, FieldsAreOrderedByRecordsThenPath) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  std::vector<std::string> paths;
  for (const auto& field : report.fields) paths.push_back(field.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"location", "<unparsable>", "humidity", "Humidity", "coordinates.altitude",
                                             "coordinates.latitude", "id", "tags"}));
}

TEST_F(DriftTest, WalksIntoStructColumnsOnly) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  const DriftField* latitude = Find(report, "coordinates.latitude");
  ASSERT_NE(latitude, nullptr);
  EXPECT_FALSE(latitude->unknown_field);
  EXPECT_EQ(latitude->json_types, (std::map<std::string, int64_t>{{"string", 1}}));
  EXPECT_EQ(latitude->example, "\"n/a\"");
  const DriftField* altitude = Find(report, "coordinates.altitude");
  ASSERT_NE(altitude, nullptr);
  EXPECT_TRUE(altitude->unknown_field);
  EXPECT_EQ(Find(report, "coordinates"), nullptr);

  // An unknown field holding an object is one path of type object; its members are not fields.
  const DriftField* location = Find(report, "location");
  ASSERT_NE(location, nullptr);
  EXPECT_TRUE(location->unknown_field);
  EXPECT_EQ(location->records, 3);
  EXPECT_EQ(location->json_types, (std::map<std::string, int64_t>{{"object", 2}, {"string", 1}}));
  EXPECT_EQ(location->example, R"({"cca2":"NO"})");
  EXPECT_EQ(Find(report, "location.cca2"), nullptr);

  // An array column's rescued value is the whole array.
  const DriftField* tags = Find(report, "tags");
  ASSERT_NE(tags, nullptr);
  EXPECT_EQ(tags->json_types, (std::map<std::string, int64_t>{{"array", 1}}));
  EXPECT_EQ(tags->example, R"([1,{"a":2}])");
}

TEST_F(DriftTest, DistinguishesIntegersFromFractionalNumbers) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  const DriftField* humidity = Find(report, "humidity");
  ASSERT_NE(humidity, nullptr);
  EXPECT_FALSE(humidity->unknown_field);
  EXPECT_EQ(humidity->json_types, (std::map<std::string, int64_t>{{"number", 1}, {"string", 1}}));
  // An integer too big for 64 bits is still an integer.
  const DriftField* id = Find(report, "id");
  ASSERT_NE(id, nullptr);
  EXPECT_EQ(id->json_types, (std::map<std::string, int64_t>{{"integer", 1}}));
  EXPECT_EQ(id->example, "99999999999999999999");
}

TEST_F(DriftTest, CaseVariantOfAColumnIsNotAnUnknownField) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  const DriftField* variant = Find(report, "Humidity");
  ASSERT_NE(variant, nullptr);
  EXPECT_FALSE(variant->unknown_field);
  EXPECT_EQ(variant->json_types, (std::map<std::string, int64_t>{{"integer", 1}}));
}

TEST_F(DriftTest, ValuesThatAreNotObjectsAreUnparsable) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  const DriftField* bad = Find(report, "<unparsable>");
  ASSERT_NE(bad, nullptr);
  EXPECT_EQ(bad->records, 2);
  EXPECT_EQ(bad->json_types, (std::map<std::string, int64_t>{{"array", 1}, {"invalid", 1}}));
  EXPECT_EQ(bad->example, "not json");
  EXPECT_TRUE(bad->top_files.empty());
}

TEST_F(DriftTest, TopFilesAreMostRowsFirstAndLimited) {
  auto snapshot = BuildTable();
  auto report = AnalyzeDrift(snapshot, DriftOptions{}).ValueOrDie();
  const DriftField* location = Find(report, "location");
  ASSERT_NE(location, nullptr);
  using Files = std::vector<std::pair<std::string, int64_t>>;
  EXPECT_EQ(location->top_files, (Files{{"file:/in/b.json", 2}, {"file:/in/a.json", 1}}));
  // The file path is not a field.
  EXPECT_EQ(Find(report, "_file_path"), nullptr);

  DriftOptions one;
  one.top_files = 1;
  auto limited = AnalyzeDrift(snapshot, one).ValueOrDie();
  EXPECT_EQ(Find(limited, "location")->top_files, (Files{{"file:/in/b.json", 2}}));
}

TEST_F(DriftTest, MissingRescuedColumnFailsNamingIt) {
  auto snapshot = BuildTable();
  DriftOptions options;
  options.rescued_column = "_bad_rows";
  auto report = AnalyzeDrift(snapshot, options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("'_bad_rows'"), std::string::npos) << report.status().message();

  options.rescued_column = "id";
  report = AnalyzeDrift(snapshot, options);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.status().message().find("not a string"), std::string::npos) << report.status().message();
}

TEST_F(DriftTest, TableWithoutRescuesReportsNoFields) {
  Schema schema = ParseDdlSchema("id BIGINT, _rescued_data STRING").ValueOrDie();
  auto arrow_schema = ToArrowSchema(schema).ValueOrDie();
  Commit(0, schema,
         arrow::RecordBatch::Make(arrow_schema, 2,
                                  {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2]").ValueOrDie(),
                                   arrow::MakeArrayOfNull(arrow::utf8(), 2).ValueOrDie()}));
  auto report = AnalyzeDrift(delta::Snapshot::Load(dir_).ValueOrDie(), DriftOptions{}).ValueOrDie();
  EXPECT_EQ(report.rows, 2);
  EXPECT_EQ(report.rescued_rows, 0);
  EXPECT_TRUE(report.fields.empty());
  EXPECT_EQ(FormatDriftReport(report), "2 rows, 0 with rescued data (0.0%), 0 rescued field paths\n");
}

TEST(DriftFormat, TableHasASummaryLineAndAlignedRows) {
  DriftReport report;
  report.rows = 200;
  report.rescued_rows = 20;
  DriftField location{"location", true, 20, {{"object", 20}}, {{"in/b.json", 15}, {"in/a.json", 5}}, "{}"};
  DriftField humidity{"humidity", false, 5, {{"number", 4}, {"string", 1}}, {{"in/a.json", 5}}, "70.5"};
  report.fields = {location, humidity};
  EXPECT_EQ(FormatDriftReport(report),
            "200 rows, 20 with rescued data (10.0%), 2 rescued field paths\n"
            "field     records  share  kind       json types          top files\n"
            "location       20  10.0%  new field  object 20           in/b.json (15), in/a.json (5)\n"
            "humidity        5   2.5%  mismatch   number 4, string 1  in/a.json (5)\n");
}

TEST_F(DriftTest, JsonReportCarriesEveryField) {
  auto report = AnalyzeDrift(BuildTable(), DriftOptions{}).ValueOrDie();
  auto json = nlohmann::json::parse(DriftReportJson(report));
  EXPECT_EQ(json["rows"], 9);
  EXPECT_EQ(json["rescued_rows"], 6);
  ASSERT_EQ(json["fields"].size(), report.fields.size());
  const auto& first = json["fields"][0];
  EXPECT_EQ(first["path"], "location");
  EXPECT_EQ(first["unknown_field"], true);
  EXPECT_EQ(first["records"], 3);
  EXPECT_EQ(first["json_types"]["object"], 2);
  EXPECT_EQ(first["top_files"][0]["file"], "file:/in/b.json");
  EXPECT_EQ(first["top_files"][0]["rows"], 2);
  EXPECT_EQ(first["example"], R"({"cca2":"NO"})");
}

}  // namespace
}  // namespace inlet::query
