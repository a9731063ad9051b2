// Tests for the Spark <-> Arrow type mapping used when writing and reading Parquet.
#include "inlet/schema/arrow_convert.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"

namespace inlet {
namespace {

std::shared_ptr<arrow::DataType> MustArrow(const DataTypePtr& type) {
  auto result = ToArrowType(*type);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? *result : arrow::null();
}

TEST(ArrowConvert, PrimitivesMapToDeltaParquetTypes) {
  EXPECT_TRUE(MustArrow(DataType::String())->Equals(arrow::utf8()));
  EXPECT_TRUE(MustArrow(DataType::Long())->Equals(arrow::int64()));
  EXPECT_TRUE(MustArrow(DataType::Integer())->Equals(arrow::int32()));
  EXPECT_TRUE(MustArrow(DataType::Short())->Equals(arrow::int16()));
  EXPECT_TRUE(MustArrow(DataType::Byte())->Equals(arrow::int8()));
  EXPECT_TRUE(MustArrow(DataType::Double())->Equals(arrow::float64()));
  EXPECT_TRUE(MustArrow(DataType::Float())->Equals(arrow::float32()));
  EXPECT_TRUE(MustArrow(DataType::Boolean())->Equals(arrow::boolean()));
  EXPECT_TRUE(MustArrow(DataType::Binary())->Equals(arrow::binary()));
  EXPECT_TRUE(MustArrow(DataType::Date())->Equals(arrow::date32()));
  EXPECT_TRUE(MustArrow(DataType::Timestamp())
                  ->Equals(arrow::timestamp(arrow::TimeUnit::MICRO, "UTC")));
  EXPECT_TRUE(MustArrow(DataType::Decimal(9, 6))->Equals(arrow::decimal128(9, 6)));
  EXPECT_TRUE(MustArrow(DataType::Null())->Equals(arrow::utf8()));
}

TEST(ArrowConvert, ContainersKeepNamesAndNullability) {
  auto list = MustArrow(DataType::Array(DataType::Long(), false));
  ASSERT_EQ(list->id(), arrow::Type::LIST);
  EXPECT_EQ(list->field(0)->name(), "element");
  EXPECT_FALSE(list->field(0)->nullable());

  auto map = MustArrow(DataType::Map(DataType::String(), DataType::Double(), true));
  ASSERT_EQ(map->id(), arrow::Type::MAP);
  const auto& map_type = static_cast<const arrow::MapType&>(*map);
  EXPECT_TRUE(map_type.key_type()->Equals(arrow::utf8()));
  EXPECT_FALSE(map_type.key_field()->nullable());
  EXPECT_TRUE(map_type.item_field()->nullable());

  auto s = MustArrow(DataType::Struct({Field{"lat", DataType::Double(), false}}));
  ASSERT_EQ(s->id(), arrow::Type::STRUCT);
  EXPECT_EQ(s->field(0)->name(), "lat");
  EXPECT_FALSE(s->field(0)->nullable());
}

TEST(ArrowConvert, SchemaRoundTripsThroughArrow) {
  auto schema = ParseDdlSchema(
      "alarm_status STRING, battery_level BIGINT NOT NULL, "
      "coordinates STRUCT<latitude: DOUBLE, longitude: DOUBLE>, tags ARRAY<STRING>, "
      "m MAP<STRING, ARRAY<STRUCT<x: DECIMAL(9,6)>>>, d DATE, ts TIMESTAMP, b BINARY, "
      "i INT, s SMALLINT, t TINYINT, f FLOAT, bo BOOLEAN");
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  auto arrow_schema = ToArrowSchema(*schema);
  ASSERT_TRUE(arrow_schema.ok()) << arrow_schema.status().ToString();
  EXPECT_EQ((*arrow_schema)->num_fields(), 13);
  EXPECT_FALSE((*arrow_schema)->field(1)->nullable());
  auto back = FromArrowSchema(**arrow_schema);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, *schema);
}

TEST(ArrowConvert, ReadsOtherWritersTypesAsSparkWould) {
  auto from = [](const std::shared_ptr<arrow::DataType>& type) {
    auto result = FromArrowType(*type);
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : DataType::Null();
  };
  EXPECT_EQ(*from(arrow::large_utf8()), *DataType::String());
  EXPECT_EQ(*from(arrow::uint8()), *DataType::Short());
  EXPECT_EQ(*from(arrow::uint32()), *DataType::Long());
  EXPECT_EQ(*from(arrow::uint64()), *DataType::Decimal(20, 0));
  EXPECT_EQ(*from(arrow::timestamp(arrow::TimeUnit::NANO)), *DataType::Timestamp());
  EXPECT_EQ(*from(arrow::large_list(arrow::int64())), *DataType::Array(DataType::Long()));
  EXPECT_EQ(*from(arrow::dictionary(arrow::int32(), arrow::utf8())), *DataType::String());
  EXPECT_EQ(*from(arrow::decimal256(20, 2)), *DataType::Decimal(20, 2));
}

TEST(ArrowConvert, UnmappableArrowTypesAreErrors) {
  auto result = FromArrowType(*arrow::time64(arrow::TimeUnit::MICRO));
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("time64"), std::string::npos)
      << result.status().ToString();
  EXPECT_FALSE(FromArrowType(*arrow::decimal256(60, 2)).ok());
}

}  // namespace
}  // namespace inlet
