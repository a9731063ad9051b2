// Delta add.stats JSON of batches written as a real Parquet file: null counts from the
// batches, bounds from the file's footer; exact text for small mixed batches.
#include "inlet/write/file_stats.h"

#include <cmath>
#include <limits>

#include <arrow/api.h>
#include <arrow/io/memory.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>
#include <parquet/arrow/writer.h>
#include <parquet/file_reader.h>

namespace inlet::write {
namespace {

std::shared_ptr<arrow::Array> FromJson(const std::shared_ptr<arrow::DataType>& type,
                                       const std::string& json) {
  auto result = arrow::json::ArrayFromJSONString(type, json);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return *result;
}

std::shared_ptr<arrow::Array> Doubles(const std::vector<std::optional<double>>& values) {
  arrow::DoubleBuilder builder;
  for (const auto& value : values) {
    EXPECT_TRUE((value ? builder.Append(*value) : builder.AppendNull()).ok());
  }
  return *builder.Finish();
}

// The stats JSON of `batches` written as one Parquet file with row groups of at most
// `rows_per_group` rows, read back from the file's footer as a reader would see it.
std::string StatsOf(const std::shared_ptr<arrow::Schema>& schema,
                    const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches,
                    int64_t rows_per_group = 1 << 20) {
  FileStatsCollector stats(*schema);
  for (const auto& batch : batches) EXPECT_TRUE(stats.Add(*batch).ok());
  auto table = arrow::Table::FromRecordBatches(schema, batches).ValueOrDie();
  auto sink = arrow::io::BufferOutputStream::Create().ValueOrDie();
  auto arrow_properties = parquet::ArrowWriterProperties::Builder().coerce_timestamps(arrow::TimeUnit::MICRO)->build();
  EXPECT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, rows_per_group,
                                         parquet::default_writer_properties(), arrow_properties)
                  .ok());
  auto buffer = sink->Finish().ValueOrDie();
  auto reader = parquet::ParquetFileReader::Open(std::make_shared<arrow::io::BufferReader>(buffer));
  Status added = stats.AddBounds(*reader->metadata());
  EXPECT_TRUE(added.ok()) << added.ToString();
  auto json = stats.ToJson();
  EXPECT_TRUE(json.ok()) << json.status().ToString();
  return json.ok() ? *json : "";
}

TEST(FileStats, MixedBatchGivesExactDeltaStatsJson) {
  auto coords = arrow::struct_({arrow::field("lat", arrow::float64()),
                                arrow::field("name", arrow::utf8())});
  auto schema = arrow::schema({
      arrow::field("id", arrow::int64()),
      arrow::field("score", arrow::float64()),
      arrow::field("name", arrow::utf8()),
      arrow::field("coords", coords),
      arrow::field("tags", arrow::list(arrow::utf8())),
      arrow::field("flag", arrow::boolean()),
      arrow::field("day", arrow::date32()),
      arrow::field("ts", arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")),
  });
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto batch = arrow::RecordBatch::Make(
      schema, 3,
      {FromJson(arrow::int64(), "[7, null, -3]"), Doubles({1.5, nan, -2.25}),
       FromJson(arrow::utf8(), R"(["pear", null, "apple"])"),
       FromJson(coords, R"([{"lat": 1.0, "name": "x"}, null, {"lat": null, "name": "y"}])"),
       FromJson(arrow::list(arrow::utf8()), R"([["a"], null, []])"),
       FromJson(arrow::boolean(), "[true, false, null]"),
       FromJson(arrow::date32(), "[19723, 0, null]"),  // 2024-01-01, 1970-01-01
       // 2024-01-01T00:00:00.000001Z: the max rounds up to the next millisecond.
       FromJson(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"),
                "[1704067200000001, 1704067199999000, null]")});

  EXPECT_EQ(StatsOf(schema, {batch}),
            R"({"numRecords":3,)"
            R"("minValues":{"id":-3,"score":-2.25,"name":"apple","coords":{"lat":1.0,"name":"x"},)"
            R"("day":"1970-01-01","ts":"2023-12-31T23:59:59.999Z"},)"
            R"("maxValues":{"id":7,"score":1.5,"name":"pear","coords":{"lat":1.0,"name":"y"},)"
            R"("day":"2024-01-01","ts":"2024-01-01T00:00:00.001Z"},)"
            R"("nullCount":{"id":1,"score":0,"name":1,"coords":{"lat":2,"name":1},"tags":1,)"
            R"("flag":1,"day":1,"ts":1}})");
}

TEST(FileStats, CombinesRowGroupsAndKeepsAllNullColumnsOutOfBounds) {
  auto schema = arrow::schema({arrow::field("n", arrow::int32()),
                               arrow::field("empty", arrow::utf8()),
                               arrow::field("s", arrow::utf8())});
  auto first = arrow::RecordBatch::Make(
      schema, 2, {FromJson(arrow::int32(), "[5, 9]"), FromJson(arrow::utf8(), "[null, null]"),
                  FromJson(arrow::utf8(), R"(["m", null])")});
  auto second = arrow::RecordBatch::Make(
      schema, 1, {FromJson(arrow::int32(), "[-1]"), FromJson(arrow::utf8(), "[null]"),
                  FromJson(arrow::utf8(), R"(["b"])")});
  auto third = arrow::RecordBatch::Make(
      schema, 2, {FromJson(arrow::int32(), "[null, 3]"), FromJson(arrow::utf8(), "[null, null]"),
                  FromJson(arrow::utf8(), R"(["z", "a"])")});
  // One row per row group: every bound is the min/max across row groups.
  EXPECT_EQ(StatsOf(schema, {first, second, third}, /*rows_per_group=*/1),
            R"({"numRecords":5,"minValues":{"n":-1,"s":"a"},"maxValues":{"n":9,"s":"z"},)"
            R"("nullCount":{"n":1,"empty":5,"s":1}})");
}

TEST(FileStats, SmallIntegerFloatAndDateColumnsKeepTheirTypes) {
  auto schema = arrow::schema({arrow::field("b", arrow::int8()), arrow::field("h", arrow::int16()),
                               arrow::field("f", arrow::float32()), arrow::field("d", arrow::date32()),
                               arrow::field("local", arrow::timestamp(arrow::TimeUnit::MILLI))});
  auto batch = arrow::RecordBatch::Make(
      schema, 3,
      {FromJson(arrow::int8(), "[-128, 127, 0]"), FromJson(arrow::int16(), "[300, -300, null]"),
       FromJson(arrow::float32(), "[0.5, -1.25, 8]"), FromJson(arrow::date32(), "[-1, 0, 1]"),
       FromJson(arrow::timestamp(arrow::TimeUnit::MILLI), "[1, -1, null]")});
  EXPECT_EQ(StatsOf(schema, {batch}),
            R"({"numRecords":3,"minValues":{"b":-128,"h":-300,"f":-1.25,"d":"1969-12-31",)"
            R"("local":"1969-12-31T23:59:59.999"},)"
            R"("maxValues":{"b":127,"h":300,"f":8.0,"d":"1970-01-02","local":"1970-01-01T00:00:00.001"},)"
            R"("nullCount":{"b":0,"h":1,"f":0,"d":0,"local":1}})");
}

TEST(FileStats, LongStringsKeepTruncatedMinAndNoMax) {
  auto schema = arrow::schema({arrow::field("s", arrow::utf8())});
  std::string long_text(40, 'z');
  std::string accented = "\u00e9" + std::string(40, 'a');  // multi-byte first character
  auto batch = arrow::RecordBatch::Make(
      schema, 2, {FromJson(arrow::utf8(), "[\"" + long_text + "\", \"" + accented + "\"]")});
  // Min is the 40 x 'z' string (bytewise below U+00E9) cut to 32 characters; max would be
  // the accented one, which cannot be truncated safely, so it is left out.
  EXPECT_EQ(StatsOf(schema, {batch}), R"({"numRecords":2,"minValues":{"s":")" + std::string(32, 'z') +
                                 R"("},"maxValues":{},"nullCount":{"s":0}})");
}

TEST(FileStats, AllNanDoubleColumnHasNoBounds) {
  auto schema = arrow::schema({arrow::field("d", arrow::float64())});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto batch = arrow::RecordBatch::Make(schema, 2, {Doubles({nan, nan})});
  EXPECT_EQ(StatsOf(schema, {batch}),
            R"({"numRecords":2,"minValues":{},"maxValues":{},"nullCount":{"d":0}})");
}

TEST(FileStats, LeavesAfterListsAndMapsGetTheirOwnBounds) {
  // A list of structs and a map flatten into several Parquet columns each: the bounds of
  // the columns after them must still come from their own leaves.
  auto item = arrow::struct_({arrow::field("x", arrow::int64()), arrow::field("y", arrow::utf8())});
  auto schema = arrow::schema({arrow::field("items", arrow::list(item)),
                               arrow::field("attrs", arrow::map(arrow::utf8(), arrow::int64())),
                               arrow::field("n", arrow::int64()), arrow::field("s", arrow::utf8())});
  auto batch = arrow::RecordBatch::Make(
      schema, 2,
      {FromJson(arrow::list(item), R"([[{"x": 100, "y": "zz"}], null])"),
       FromJson(arrow::map(arrow::utf8(), arrow::int64()), R"([[["k", 500]], [["a", -500]]])"),
       FromJson(arrow::int64(), "[1, 2]"), FromJson(arrow::utf8(), R"(["c", "d"])")});
  EXPECT_EQ(StatsOf(schema, {batch}),
            R"({"numRecords":2,"minValues":{"n":1,"s":"c"},"maxValues":{"n":2,"s":"d"},)"
            R"("nullCount":{"items":1,"attrs":0,"n":0,"s":0}})");
}

TEST(FileStats, NanRowGroupDoesNotHideTheOthersBounds) {
  auto schema = arrow::schema({arrow::field("d", arrow::float64())});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto batch = arrow::RecordBatch::Make(schema, 3, {Doubles({nan, 2.5, -0.5})});
  EXPECT_EQ(StatsOf(schema, {batch}, /*rows_per_group=*/1),
            R"({"numRecords":3,"minValues":{"d":-0.5},"maxValues":{"d":2.5},"nullCount":{"d":0}})");
}

TEST(FileStats, AFooterOfAnotherSchemaIsRefused) {
  auto schema = arrow::schema({arrow::field("a", arrow::int64())});
  auto other = arrow::schema({arrow::field("a", arrow::int64()), arrow::field("b", arrow::int64())});
  auto batch = arrow::RecordBatch::Make(other, 1, {FromJson(arrow::int64(), "[1]"), FromJson(arrow::int64(), "[2]")});
  auto table = arrow::Table::FromRecordBatches(other, {batch}).ValueOrDie();
  auto sink = arrow::io::BufferOutputStream::Create().ValueOrDie();
  ASSERT_TRUE(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink, 10).ok());
  auto reader = parquet::ParquetFileReader::Open(std::make_shared<arrow::io::BufferReader>(sink->Finish().ValueOrDie()));
  FileStatsCollector stats(*schema);
  EXPECT_FALSE(stats.AddBounds(*reader->metadata()).ok());
}

}  // namespace
}  // namespace inlet::write
