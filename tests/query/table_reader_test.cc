// Reading a Delta table whose files predate later columns: the union read fills nulls.
// The _delta_log is written by hand here so the test depends only on Delta's format.
#include "inlet/query/table_reader.h"

#include <filesystem>
#include <fstream>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>

#include "inlet/query/show.h"

namespace inlet::query {
namespace {

namespace fs = std::filesystem;

class TableReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("inlet_table_reader_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "_delta_log");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void WriteParquet(const std::string& name, const std::shared_ptr<arrow::Table>& table) {
    auto out = arrow::io::FileOutputStream::Open((dir_ / name).string()).ValueOrDie();
    ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), out, 1024).ok());
    ASSERT_TRUE(out->Close().ok());
  }

  void WriteCommit(int version, const std::string& text) {
    char name[32];
    std::snprintf(name, sizeof(name), "%020d.json", version);
    std::ofstream(dir_ / "_delta_log" / name) << text;
  }

  static std::string MetaData(const std::string& schema_string) {
    std::string escaped;
    for (char c : schema_string) {
      if (c == '"') escaped += '\\';
      escaped += c;
    }
    return R"({"metaData":{"id":"5b1f3a2e-0c1d-4a53-9a55-1f0e2c3d4b5a","format":{"provider":"parquet","options":{}},)"
           R"("schemaString":")" +
           escaped + R"(","partitionColumns":[],"configuration":{},"createdTime":1700000000000}})" + "\n";
  }

  static std::string Add(const std::string& path) {
    return R"({"add":{"path":")" + path +
           R"(","partitionValues":{},"size":1,"modificationTime":1700000000000,"dataChange":true}})" + "\n";
  }

  fs::path dir_;
};

const char* kSchemaV0 =
    R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"coordinates","type":{"type":"struct","fields":[{"name":"latitude","type":"double","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}}]})";
const char* kSchemaV1 =
    R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
    R"({"name":"coordinates","type":{"type":"struct","fields":[{"name":"latitude","type":"double","nullable":true,"metadata":{}},)"
    R"({"name":"longitude","type":"double","nullable":true,"metadata":{}}]},"nullable":true,"metadata":{}},)"
    R"({"name":"name","type":"string","nullable":true,"metadata":{}}]})";

TEST_F(TableReaderTest, FilesWrittenBeforeAColumnExistedReadItAsNull) {
  auto coords0 = arrow::struct_({arrow::field("latitude", arrow::float64())});
  auto first = arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("coordinates", coords0)}),
      {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2]").ValueOrDie(),
       arrow::json::ArrayFromJSONString(coords0, R"([{"latitude": 38.0}, null])").ValueOrDie()});
  auto coords1 = arrow::struct_({arrow::field("latitude", arrow::float64()), arrow::field("longitude", arrow::float64())});
  // Columns in a different order than the table schema: matched by name.
  auto second = arrow::Table::Make(
      arrow::schema({arrow::field("name", arrow::utf8()), arrow::field("id", arrow::int64()),
                     arrow::field("coordinates", coords1)}),
      {arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["c"])").ValueOrDie(),
       arrow::json::ArrayFromJSONString(arrow::int64(), "[3]").ValueOrDie(),
       arrow::json::ArrayFromJSONString(coords1, R"([{"latitude": 51.8, "longitude": -0.1}])").ValueOrDie()});
  WriteParquet("part-00000.parquet", first);
  WriteParquet("part 00001.parquet", second);  // a space: the log stores it as %20
  WriteCommit(0, R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
                 "\n" +
                     MetaData(kSchemaV0) + Add("part-00000.parquet"));
  WriteCommit(1, MetaData(kSchemaV1) + Add("part%2000001.parquet"));

  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto schema = TableSchema(*snapshot);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->fields.size(), 3u);
  auto table = ReadTable(*snapshot);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->schema()->ToString(),
            "id: int64\ncoordinates: struct<latitude: double, longitude: double>\nname: string");
  EXPECT_EQ(FormatJsonLines(**table, -1),
            "{\"id\":1,\"coordinates\":{\"latitude\":38.0}}\n"
            "{\"id\":2}\n"
            "{\"id\":3,\"coordinates\":{\"latitude\":51.8,\"longitude\":-0.1},\"name\":\"c\"}\n");
}

TEST_F(TableReaderTest, ColumnSelectionReadsOnlyThoseColumnsInTheGivenOrder) {
  auto coords0 = arrow::struct_({arrow::field("latitude", arrow::float64())});
  auto first = arrow::Table::Make(
      arrow::schema({arrow::field("id", arrow::int64()), arrow::field("coordinates", coords0)}),
      {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2]").ValueOrDie(),
       arrow::json::ArrayFromJSONString(coords0, R"([{"latitude": 38.0}, null])").ValueOrDie()});
  auto second = arrow::Table::Make(
      arrow::schema({arrow::field("name", arrow::utf8()), arrow::field("id", arrow::int64())}),
      {arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["c"])").ValueOrDie(),
       arrow::json::ArrayFromJSONString(arrow::int64(), "[3]").ValueOrDie()});
  WriteParquet("a.parquet", first);
  WriteParquet("b.parquet", second);
  WriteCommit(0, R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
                 "\n" +
                     MetaData(kSchemaV1) + Add("a.parquet") + Add("b.parquet"));
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();

  // The first file predates "name": its rows still count, with name null.
  auto table = ReadTable(*snapshot, {"name", "id"});
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->schema()->ToString(), "name: string\nid: int64");
  EXPECT_EQ(FormatJsonLines(**table, -1), "{\"id\":1}\n{\"id\":2}\n{\"name\":\"c\",\"id\":3}\n");

  auto names = ReadTable(*snapshot, {"name"});
  ASSERT_TRUE(names.ok()) << names.status().ToString();
  EXPECT_EQ((*names)->num_rows(), 3);

  auto missing = ReadTable(*snapshot, {"nope"});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("no column 'nope'"), std::string::npos) << missing.status().message();
}

TEST_F(TableReaderTest, TableWithoutFilesReadsAsZeroRowsWithTheSchema) {
  WriteCommit(0, R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
                 "\n" +
                     MetaData(kSchemaV1));
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto table = ReadTable(*snapshot);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ((*table)->num_rows(), 0);
  EXPECT_EQ((*table)->schema()->ToString(),
            "id: int64\ncoordinates: struct<latitude: double, longitude: double>\nname: string");
}

TEST_F(TableReaderTest, DirectoryWithoutDeltaLogIsAnError) {
  fs::remove_all(dir_ / "_delta_log");
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto table = ReadTable(*snapshot);
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("is not a Delta table"), std::string::npos);
}

TEST_F(TableReaderTest, MissingDataFileNamesIt) {
  WriteCommit(0, R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})"
                 "\n" +
                     MetaData(kSchemaV0) + Add("gone.parquet"));
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto table = ReadTable(*snapshot);
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("gone.parquet"), std::string::npos) << table.status().ToString();
}

// Spark's layout for a partitioned table: the partition column lives only in the log, and
// wins over a column of that name in an old file.
TEST_F(TableReaderTest, PartitionColumnsAreReadFromPartitionValues) {
  fs::create_directories(dir_ / "day=2024-01-01");
  auto file = arrow::Table::Make(arrow::schema({arrow::field("id", arrow::int64())}),
                                 {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2]").ValueOrDie()});
  WriteParquet("day=2024-01-01/a.parquet", file);
  WriteParquet("b.parquet", file);
  const std::string schema =
      R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},)"
      R"({"name":"day","type":"date","nullable":true,"metadata":{}}]})";
  std::string metadata = MetaData(schema);
  metadata.replace(metadata.find(R"("partitionColumns":[])"), 21, R"("partitionColumns":["day"])");
  WriteCommit(0, R"({"protocol":{"minReaderVersion":1,"minWriterVersion":2}})" "\n" + metadata +
                     R"({"add":{"path":"day=2024-01-01/a.parquet","partitionValues":{"day":"2024-01-01"},"size":1,"modificationTime":1,"dataChange":true}})" "\n"
                     R"({"add":{"path":"b.parquet","partitionValues":{"day":null},"size":1,"modificationTime":1,"dataChange":true}})" "\n");
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto table = ReadTable(*snapshot);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(FormatJsonLines(**table, -1),
            "{\"id\":1,\"day\":\"2024-01-01\"}\n{\"id\":2,\"day\":\"2024-01-01\"}\n{\"id\":1}\n{\"id\":2}\n");
}

// Column mapping: files hold physical names (and, in id mode, field ids); the table reads
// under the logical names, nested fields too.
TEST_F(TableReaderTest, ColumnMappedFilesReadUnderLogicalNames) {
  for (const std::string mode : {"name", "id"}) {
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "_delta_log");
    auto inner = arrow::struct_({arrow::field("col-x", arrow::int64())});
    auto id_field = arrow::field("col-1", arrow::int64());
    auto name_field = arrow::field(mode == "id" ? "renamed-by-writer" : "col-2", arrow::utf8());
    name_field = name_field->WithMetadata(arrow::key_value_metadata({"PARQUET:field_id"}, {"2"}));
    auto file = arrow::Table::Make(
        arrow::schema({id_field, name_field, arrow::field("col-3", inner)}),
        {arrow::json::ArrayFromJSONString(arrow::int64(), "[1]").ValueOrDie(),
         arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["a"])").ValueOrDie(),
         arrow::json::ArrayFromJSONString(inner, R"([{"col-x": 10}])").ValueOrDie()});
    WriteParquet("a.parquet", file);
    const std::string schema =
        R"({"type":"struct","fields":[)"
        R"({"name":"id","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":1,"delta.columnMapping.physicalName":"col-1"}},)"
        R"({"name":"label","type":"string","nullable":true,"metadata":{"delta.columnMapping.id":2,"delta.columnMapping.physicalName":"col-2"}},)"
        R"({"name":"info","type":{"type":"struct","fields":[{"name":"x","type":"long","nullable":true,"metadata":{"delta.columnMapping.id":4,"delta.columnMapping.physicalName":"col-x"}}]},"nullable":true,"metadata":{"delta.columnMapping.id":3,"delta.columnMapping.physicalName":"col-3"}}]})";
    std::string metadata = MetaData(schema);
    metadata.replace(metadata.find(R"("configuration":{})"), 18,
                     R"("configuration":{"delta.columnMapping.mode":")" + mode + R"("})");
    WriteCommit(0, R"({"protocol":{"minReaderVersion":2,"minWriterVersion":5}})" "\n" + metadata + Add("a.parquet"));
    auto snapshot = delta::Snapshot::Load(dir_.string());
    ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
    auto table = ReadTable(*snapshot);
    ASSERT_TRUE(table.ok()) << table.status().ToString();
    EXPECT_EQ(FormatJsonLines(**table, -1), "{\"id\":1,\"label\":\"a\",\"info\":{\"x\":10}}\n") << mode;
    auto selected = ReadTable(*snapshot, {"label"});
    ASSERT_TRUE(selected.ok()) << selected.status().ToString();
    EXPECT_EQ(FormatJsonLines(**selected, -1), "{\"label\":\"a\"}\n") << mode;
  }
}

TEST_F(TableReaderTest, RowsADeletionVectorNamesAreNotRead) {
  auto file = arrow::Table::Make(arrow::schema({arrow::field("id", arrow::int64())}),
                                 {arrow::json::ArrayFromJSONString(arrow::int64(), "[0, 1, 2, 3, 4]").ValueOrDie()});
  WriteParquet("a.parquet", file);
  // Inline RoaringBitmapArray {1, 3} in Z85, as Spark writes small vectors.
  std::string bitmap;
  auto put = [&](uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) bitmap.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
  };
  put(1681511377, 4); put(1, 8); put(0, 4); put(12346, 4); put(1, 4); put(0, 2); put(1, 2); put(0, 4);
  put(1, 2); put(3, 2);
  static const char* alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  std::string padded = bitmap, z85;
  while (padded.size() % 4 != 0) padded.push_back('\0');
  for (size_t i = 0; i < padded.size(); i += 4) {
    uint32_t value = 0;
    for (int j = 0; j < 4; ++j) value = (value << 8) | static_cast<unsigned char>(padded[i + j]);
    char group[5];
    for (int j = 4; j >= 0; --j, value /= 85) group[j] = alphabet[value % 85];
    z85.append(group, 5);
  }
  WriteCommit(0, R"({"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}})" "\n" +
                     MetaData(R"({"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]})") +
                     R"({"add":{"path":"a.parquet","partitionValues":{},"size":1,"modificationTime":1,"dataChange":true,)"
                     R"("deletionVector":{"storageType":"i","pathOrInlineDv":")" + z85 + R"(","sizeInBytes":)" +
                     std::to_string(bitmap.size()) + R"(,"cardinality":2}}})" "\n");
  auto snapshot = delta::Snapshot::Load(dir_.string());
  ASSERT_TRUE(snapshot.ok()) << snapshot.status().ToString();
  auto table = ReadTable(*snapshot);
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(FormatJsonLines(**table, -1), "{\"id\":0}\n{\"id\":2}\n{\"id\":4}\n");
  auto selected = ReadTable(*snapshot, {"id"});
  ASSERT_TRUE(selected.ok()) << selected.status().ToString();
  EXPECT_EQ((*selected)->num_rows(), 3);
}

}  // namespace
}  // namespace inlet::query
