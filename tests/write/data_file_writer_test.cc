// Parquet data files: rolling at the target size, Spark-compatible physical layout, and no
// partial file ever under a final name.
#include "inlet/write/data_file_writer.h"

#include <stdlib.h>

#include <filesystem>
#include <regex>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <parquet/arrow/reader.h>
#include <parquet/file_reader.h>
#include <parquet/schema.h>

namespace inlet::write {
namespace {

namespace fs = std::filesystem;

std::string MakeTempDir() {
  std::string pattern = (fs::temp_directory_path() / "inlet_writer_XXXXXX").string();
  return ::mkdtemp(pattern.data());
}

std::shared_ptr<arrow::Schema> TestSchema() {
  return arrow::schema({
      arrow::field("id", arrow::int64()),
      arrow::field("tags", arrow::list(arrow::utf8())),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
  });
}

std::shared_ptr<arrow::RecordBatch> MakeBatch(int64_t first_id, int64_t rows) {
  arrow::Int64Builder ids;
  arrow::ListBuilder tags(arrow::default_memory_pool(), std::make_shared<arrow::StringBuilder>());
  auto* tag_values = static_cast<arrow::StringBuilder*>(tags.value_builder());
  arrow::TimestampBuilder ts(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                             arrow::default_memory_pool());
  for (int64_t i = 0; i < rows; ++i) {
    EXPECT_TRUE(ids.Append(first_id + i).ok());
    EXPECT_TRUE(tags.Append().ok());
    EXPECT_TRUE(tag_values->Append("tag-" + std::to_string((first_id + i) * 7919)).ok());
    EXPECT_TRUE(ts.Append(1700000000000000 + (first_id + i) * 1000).ok());
  }
  return arrow::RecordBatch::Make(TestSchema(), rows,
                                  {*ids.Finish(), *tags.Finish(), *ts.Finish()});
}

int64_t ParquetRowCount(const std::string& path) {
  auto reader = parquet::ParquetFileReader::OpenFile(path);
  return reader->metadata()->num_rows();
}

TEST(DataFileWriter, RollsToNewFilesAtTargetSize) {
  std::string dir = MakeTempDir();
  DataFileWriterOptions options;
  options.target_file_size = 4096;
  DataFileWriter writer(dir, TestSchema(), options);
  for (int i = 0; i < 20; ++i) ASSERT_TRUE(writer.Write(MakeBatch(i * 200, 200)).ok());
  auto files = writer.Finish();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_GT(files->size(), 2u);

  std::regex name(
      R"(part-\d{5}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})"
      R"(-c000\.snappy\.parquet)");
  int64_t total = 0;
  for (const WrittenFile& file : *files) {
    EXPECT_TRUE(std::regex_match(file.relative_path, name)) << file.relative_path;
    std::string path = dir + "/" + file.relative_path;
    EXPECT_EQ(file.size, static_cast<int64_t>(fs::file_size(path)));
    EXPECT_EQ(file.num_records, ParquetRowCount(path));
    EXPECT_NE(file.stats_json.find("\"numRecords\":" + std::to_string(file.num_records)),
              std::string::npos);
    EXPECT_GT(file.modification_time_ms, 0);
    total += file.num_records;
  }
  EXPECT_EQ(total, 4000);
  // Only the finished files are in the directory: no temp files left behind.
  EXPECT_EQ(static_cast<size_t>(std::distance(fs::directory_iterator(dir), {})), files->size());
  fs::remove_all(dir);
}

TEST(DataFileWriter, OneFileWhenUnderTargetWithIdsInOrder) {
  std::string dir = MakeTempDir();
  DataFileWriter writer(dir, TestSchema(), DataFileWriterOptions{});
  ASSERT_TRUE(writer.Write(MakeBatch(0, 10)).ok());
  ASSERT_TRUE(writer.Write(MakeBatch(10, 5)).ok());
  auto files = writer.Finish();
  ASSERT_TRUE(files.ok());
  ASSERT_EQ(files->size(), 1u);
  EXPECT_EQ((*files)[0].num_records, 15);
  EXPECT_NE((*files)[0].stats_json.find(R"("minValues":{"id":0,"ts":"2023-11-14T22:13:20.000Z"})"),
            std::string::npos)
      << (*files)[0].stats_json;

  auto input = arrow::io::ReadableFile::Open(dir + "/" + (*files)[0].relative_path).ValueOrDie();
  auto reader = parquet::arrow::OpenFile(input, arrow::default_memory_pool()).ValueOrDie();
  auto table = reader->ReadTable().ValueOrDie();
  auto ids = std::static_pointer_cast<arrow::Int64Array>(table->GetColumnByName("id")->chunk(0));
  EXPECT_EQ(ids->Value(0), 0);
  EXPECT_EQ(ids->Value(14), 14);
  fs::remove_all(dir);
}

TEST(DataFileWriter, WritesSparkCompatibleListsAndMicrosecondTimestamps) {
  std::string dir = MakeTempDir();
  DataFileWriter writer(dir, TestSchema(), DataFileWriterOptions{});
  ASSERT_TRUE(writer.Write(MakeBatch(0, 3)).ok());
  auto files = writer.Finish().ValueOrDie();
  auto reader = parquet::ParquetFileReader::OpenFile(dir + "/" + files[0].relative_path);
  const parquet::SchemaDescriptor* schema = reader->metadata()->schema();
  ASSERT_EQ(schema->num_columns(), 3);
  EXPECT_EQ(schema->Column(1)->path()->ToDotString(), "tags.list.element");
  const parquet::ColumnDescriptor* ts = schema->Column(2);
  EXPECT_EQ(ts->physical_type(), parquet::Type::INT64);
  auto logical = std::static_pointer_cast<const parquet::TimestampLogicalType>(ts->logical_type());
  ASSERT_TRUE(logical->is_timestamp());
  EXPECT_TRUE(logical->is_adjusted_to_utc());
  EXPECT_EQ(logical->time_unit(), parquet::LogicalType::TimeUnit::MICROS);
  EXPECT_EQ(reader->metadata()->RowGroup(0)->ColumnChunk(0)->compression(),
            parquet::Compression::SNAPPY);
  fs::remove_all(dir);
}

TEST(DataFileWriter, NoRowsMeansNoFiles) {
  std::string dir = MakeTempDir();
  DataFileWriter writer(dir, TestSchema(), DataFileWriterOptions{});
  ASSERT_TRUE(writer.Write(MakeBatch(0, 0)).ok());
  EXPECT_TRUE(writer.Finish().ValueOrDie().empty());
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(DataFileWriter, AbandonedWriterLeavesNoFile) {
  std::string dir = MakeTempDir();
  {
    DataFileWriter writer(dir, TestSchema(), DataFileWriterOptions{});
    ASSERT_TRUE(writer.Write(MakeBatch(0, 100)).ok());
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

TEST(DataFileWriter, RejectsBatchWithOtherSchema) {
  std::string dir = MakeTempDir();
  DataFileWriter writer(dir, TestSchema(), DataFileWriterOptions{});
  auto other = arrow::schema({arrow::field("id", arrow::utf8())});
  auto batch = arrow::RecordBatch::Make(
      other, 1, {arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["x"])").ValueOrDie()});
  Status status = writer.Write(batch);
  EXPECT_TRUE(status.IsInvalid());
  EXPECT_NE(status.message().find(dir), std::string::npos);
  fs::remove_all(dir);
}

// Spark's layout for a table partitioned by (day, region): one directory per value pair,
// files without those columns, the values (null as "") handed to the add action.
TEST(DataFileWriter, PartitionedTablesSplitRowsIntoHiveDirectoriesWithoutThePartitionColumns) {
  std::string dir = MakeTempDir();
  auto schema = arrow::schema({arrow::field("id", arrow::int64()), arrow::field("day", arrow::date32()),
                               arrow::field("region", arrow::utf8())});
  DataFileWriterOptions options;
  options.table.partition_columns = {"day", "region"};
  DataFileWriter writer(dir, schema, options);
  auto batch = arrow::RecordBatch::Make(
      schema, 4,
      {arrow::json::ArrayFromJSONString(arrow::int64(), "[1, 2, 3, 4]").ValueOrDie(),
       arrow::json::ArrayFromJSONString(arrow::date32(), "[19723, null, 19723, 19723]").ValueOrDie(),
       arrow::json::ArrayFromJSONString(arrow::utf8(), R"(["eu", "eu", "a/b", "eu"])").ValueOrDie()});
  ASSERT_TRUE(writer.Write(batch).ok());
  auto files = writer.Finish();
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 3u);
  std::map<std::string, int64_t> rows_by_dir;
  for (const WrittenFile& file : *files) {
    const std::string directory = file.relative_path.substr(0, file.relative_path.rfind('/'));
    rows_by_dir[directory] = file.num_records;
    EXPECT_EQ(file.partition_values.size(), 2u);
    EXPECT_EQ(file.stats_json.find("day"), std::string::npos) << file.stats_json;
    std::unique_ptr<parquet::arrow::FileReader> reader;
    auto input = arrow::io::ReadableFile::Open(dir + "/" + file.relative_path).ValueOrDie();
    reader = parquet::arrow::OpenFile(input, arrow::default_memory_pool()).ValueOrDie();
    std::shared_ptr<arrow::Schema> file_schema;
    ASSERT_TRUE(reader->GetSchema(&file_schema).ok());
    EXPECT_EQ(file_schema->ToString(), "id: int64");
    if (directory == "day=__HIVE_DEFAULT_PARTITION__/region=eu") {
      EXPECT_EQ(file.partition_values.at("day"), "");
      EXPECT_EQ(file.partition_values.at("region"), "eu");
    }
  }
  EXPECT_EQ(rows_by_dir, (std::map<std::string, int64_t>{{"day=2024-01-01/region=eu", 2},
                                                         {"day=2024-01-01/region=a%2Fb", 1},
                                                         {"day=__HIVE_DEFAULT_PARTITION__/region=eu", 1}}));
  fs::remove_all(dir);
}

// A table's row check (its CHECK constraints) runs before a batch is written: a failing
// batch leaves no file behind.
TEST(DataFileWriter, ABatchFailingTheTableRowCheckWritesNothing) {
  std::string dir = MakeTempDir();
  DataFileWriterOptions options;
  options.table.check_rows = [](const arrow::RecordBatch& batch) {
    return batch.num_rows() > 50 ? Status::Invalid("too many rows") : Status::OK();
  };
  {
    DataFileWriter writer(dir, TestSchema(), options);
    ASSERT_TRUE(writer.Write(MakeBatch(0, 10)).ok());
    Status status = writer.Write(MakeBatch(10, 100));
    EXPECT_EQ(status.message(), "too many rows");
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inlet::write
