// Delta add.stats JSON produced from Arrow batches: exact text for a small mixed batch.
#include "inlet/write/file_stats.h"

#include <cmath>
#include <limits>

#include <arrow/api.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

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

  FileStatsCollector stats(*schema);
  ASSERT_TRUE(stats.Add(*batch).ok());
  auto json = stats.ToJson();
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_EQ(*json,
            R"({"numRecords":3,)"
            R"("minValues":{"id":-3,"score":-2.25,"name":"apple","coords":{"lat":1.0,"name":"x"},)"
            R"("day":"1970-01-01","ts":"2023-12-31T23:59:59.999Z"},)"
            R"("maxValues":{"id":7,"score":1.5,"name":"pear","coords":{"lat":1.0,"name":"y"},)"
            R"("day":"2024-01-01","ts":"2024-01-01T00:00:00.001Z"},)"
            R"("nullCount":{"id":1,"score":0,"name":1,"coords":{"lat":2,"name":1},"tags":1,)"
            R"("flag":1,"day":1,"ts":1}})");
}

TEST(FileStats, CombinesBatchesAndKeepsAllNullColumnsOutOfBounds) {
  auto schema = arrow::schema({arrow::field("n", arrow::int32()),
                               arrow::field("empty", arrow::utf8())});
  FileStatsCollector stats(*schema);
  auto first = arrow::RecordBatch::Make(
      schema, 2, {FromJson(arrow::int32(), "[5, 9]"), FromJson(arrow::utf8(), "[null, null]")});
  auto second = arrow::RecordBatch::Make(
      schema, 1, {FromJson(arrow::int32(), "[-1]"), FromJson(arrow::utf8(), "[null]")});
  ASSERT_TRUE(stats.Add(*first).ok());
  ASSERT_TRUE(stats.Add(*second).ok());
  EXPECT_EQ(*stats.ToJson(),
            R"({"numRecords":3,"minValues":{"n":-1},"maxValues":{"n":9},)"
            R"("nullCount":{"n":0,"empty":3}})");
}

TEST(FileStats, LongStringsKeepTruncatedMinAndNoMax) {
  auto schema = arrow::schema({arrow::field("s", arrow::utf8())});
  std::string long_text(40, 'z');
  std::string accented = "\u00e9" + std::string(40, 'a');  // multi-byte first character
  auto batch = arrow::RecordBatch::Make(
      schema, 2, {FromJson(arrow::utf8(), "[\"" + long_text + "\", \"" + accented + "\"]")});
  FileStatsCollector stats(*schema);
  ASSERT_TRUE(stats.Add(*batch).ok());
  // Min is the 40 x 'z' string (bytewise below U+00E9) cut to 32 characters; max would be
  // the accented one, which cannot be truncated safely, so it is left out.
  EXPECT_EQ(*stats.ToJson(), R"({"numRecords":2,"minValues":{"s":")" + std::string(32, 'z') +
                                 R"("},"maxValues":{},"nullCount":{"s":0}})");
}

TEST(FileStats, AllNanDoubleColumnHasNoBounds) {
  auto schema = arrow::schema({arrow::field("d", arrow::float64())});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto batch = arrow::RecordBatch::Make(schema, 2, {Doubles({nan, nan})});
  FileStatsCollector stats(*schema);
  ASSERT_TRUE(stats.Add(*batch).ok());
  EXPECT_EQ(*stats.ToJson(),
            R"({"numRecords":2,"minValues":{},"maxValues":{},"nullCount":{"d":0}})");
}

}  // namespace
}  // namespace inlet::write
