// Partition values as the Delta protocol serializes them, and Hive-style directories and
// add paths as Spark writes them.
#include "inlet/delta/partition_values.h"

#include <arrow/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/json/from_string.h>
#include <gtest/gtest.h>

namespace inlet::delta {
namespace {

std::vector<std::optional<std::string>> Serialize(const std::shared_ptr<arrow::DataType>& type,
                                                  const std::string& json) {
  EXPECT_TRUE(arrow::compute::Initialize().ok());
  auto array = arrow::json::ArrayFromJSONString(type, json).ValueOrDie();
  auto values = SerializePartitionValues(*array, "c");
  EXPECT_TRUE(values.ok()) << values.status().ToString();
  return values.ok() ? *values : std::vector<std::optional<std::string>>{};
}

using Values = std::vector<std::optional<std::string>>;

TEST(PartitionValues, EachTypeIsWrittenAsTheProtocolSays) {
  EXPECT_EQ(Serialize(arrow::utf8(), R"(["eu", "", null, "a b"])"), (Values{"eu", std::nullopt, std::nullopt, "a b"}));
  EXPECT_EQ(Serialize(arrow::int64(), "[1, -20, null]"), (Values{"1", "-20", std::nullopt}));
  EXPECT_EQ(Serialize(arrow::int32(), "[7]"), (Values{"7"}));
  EXPECT_EQ(Serialize(arrow::boolean(), "[true, false]"), (Values{"true", "false"}));
  EXPECT_EQ(Serialize(arrow::date32(), "[19723, 0, -1]"), (Values{"2024-01-01", "1970-01-01", "1969-12-31"}));
  EXPECT_EQ(Serialize(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC"), "[1704103200123456, -1]"),
            (Values{"2024-01-01 10:00:00.123456", "1969-12-31 23:59:59.999999"}));
  EXPECT_EQ(Serialize(arrow::decimal128(5, 2), R"(["1.50"])"), (Values{"1.50"}));
}

TEST(PartitionValues, BinaryAndNestedPartitionColumnsAreRefusedNamingTheColumn) {
  auto array = arrow::json::ArrayFromJSONString(arrow::binary(), R"(["ab"])").ValueOrDie();
  auto values = SerializePartitionValues(*array, "blob");
  ASSERT_FALSE(values.ok());
  EXPECT_NE(values.status().message().find("'blob'"), std::string::npos);
}

TEST(PartitionValues, DirectoriesAreHiveEscapedAndNullIsTheDefaultPartition) {
  EXPECT_EQ(EscapePartitionPathSegment("us west/1:x%"), "us west%2F1%3Ax%25");
  EXPECT_EQ(EscapePartitionPathSegment("a=b#c?d*e"), "a%3Db%23c%3Fd%2Ae");
  EXPECT_EQ(EscapePartitionPathSegment("\x01[]^{}"), "%01%5B%5D%5E%7B}");
  EXPECT_EQ(PartitionDirectory({"day", "region"}, {"2024-01-01", std::nullopt}),
            "day=2024-01-01/region=__HIVE_DEFAULT_PARTITION__");
  EXPECT_EQ(PartitionDirectory({"day"}, {""}), "day=__HIVE_DEFAULT_PARTITION__");
}

TEST(PartitionValues, AddPathsAreUriEncodedOnceMore) {
  EXPECT_EQ(EncodeAddPath("day=2024-01-01/part-00000-x.snappy.parquet"), "day=2024-01-01/part-00000-x.snappy.parquet");
  EXPECT_EQ(EncodeAddPath("r=us west%2F1/p.parquet"), "r=us%20west%252F1/p.parquet");
  EXPECT_EQ(EncodeAddPath("r=\xc3\xa9t\xc3\xa9/p"), "r=%C3%A9t%C3%A9/p");
}

}  // namespace
}  // namespace inlet::delta
