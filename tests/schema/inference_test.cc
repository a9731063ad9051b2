// Tests for the inference lattice; expectations are what Spark 4.2's spark.read.json infers
// for the same records (checked with pyspark).
#include "inlet/schema/inference.h"

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"

namespace inlet {
namespace {

DataTypePtr Merge(const DataTypePtr& a, const DataTypePtr& b) { return MergeInferredTypes(a, b); }

DataTypePtr StructOf(std::vector<Field> fields) { return DataType::Struct(std::move(fields)); }

std::vector<std::string> Names(const std::vector<Field>& fields) {
  std::vector<std::string> names;
  for (const Field& field : fields) names.push_back(field.name);
  return names;
}

TEST(InferenceMerge, NullYieldsToTheOtherType) {
  EXPECT_EQ(*Merge(DataType::Null(), DataType::Long()), *DataType::Long());
  EXPECT_EQ(*Merge(DataType::Double(), DataType::Null()), *DataType::Double());
  EXPECT_EQ(*Merge(DataType::Null(), DataType::Null()), *DataType::Null());
  auto s = StructOf({Field{"x", DataType::Long()}});
  EXPECT_EQ(*Merge(DataType::Null(), s), *s);  // {"s":null} then {"s":{"x":1}}
}

TEST(InferenceMerge, LongAndDoubleWidenToDouble) {
  EXPECT_EQ(*Merge(DataType::Long(), DataType::Double()), *DataType::Double());
  EXPECT_EQ(*Merge(DataType::Double(), DataType::Long()), *DataType::Double());
}

TEST(InferenceMerge, IntegralTypesWidenByNumericPrecedence) {
  EXPECT_EQ(*Merge(DataType::Integer(), DataType::Long()), *DataType::Long());
  EXPECT_EQ(*Merge(DataType::Byte(), DataType::Short()), *DataType::Short());
  EXPECT_EQ(*Merge(DataType::Float(), DataType::Double()), *DataType::Double());
  EXPECT_EQ(*Merge(DataType::Long(), DataType::Float()), *DataType::Float());
}

TEST(InferenceMerge, MismatchedPrimitivesBecomeString) {
  EXPECT_EQ(*Merge(DataType::Long(), DataType::String()), *DataType::String());
  EXPECT_EQ(*Merge(DataType::Boolean(), DataType::Long()), *DataType::String());
  EXPECT_EQ(*Merge(DataType::Boolean(), DataType::Double()), *DataType::String());
}

TEST(InferenceMerge, ContainersMixedWithOtherKindsBecomeString) {
  auto s = StructOf({Field{"b", DataType::Long()}});
  auto a = DataType::Array(DataType::Long());
  EXPECT_EQ(*Merge(s, DataType::Long()), *DataType::String());
  EXPECT_EQ(*Merge(a, DataType::Long()), *DataType::String());
  EXPECT_EQ(*Merge(a, s), *DataType::String());
  EXPECT_EQ(*Merge(DataType::Map(DataType::String(), DataType::Long()),
                   DataType::Map(DataType::String(), DataType::Double())),
            *DataType::String());
}

TEST(InferenceMerge, DecimalsFollowSparkRules) {
  // {"a":12345678901234567890} infers decimal(20,0); with 1 it stays, with 1.5 it is double.
  auto big = DataType::Decimal(20, 0);
  EXPECT_EQ(*Merge(big, DataType::Long()), *big);
  EXPECT_EQ(*Merge(DataType::Long(), big), *big);
  EXPECT_EQ(*Merge(big, DataType::Double()), *DataType::Double());
  EXPECT_EQ(*Merge(DataType::Decimal(5, 2), DataType::Decimal(10, 0)), *DataType::Decimal(12, 2));
  EXPECT_EQ(*Merge(DataType::Decimal(38, 30), DataType::Decimal(38, 0)), *DataType::Double());
  // A long does not fit decimal(5,2): both widen to decimal(22,2).
  EXPECT_EQ(*Merge(DataType::Decimal(5, 2), DataType::Long()), *DataType::Decimal(22, 2));
}

TEST(InferenceMerge, DateAndTimestampWidenToTimestamp) {
  EXPECT_EQ(*Merge(DataType::Date(), DataType::Timestamp()), *DataType::Timestamp());
}

TEST(InferenceMerge, StructsMergeByNameSortedByName) {
  // {"s":{"b":1,"a":"x"}} and {"s":{"c":2.5,"a":"y"}} -> struct<a:string,b:bigint,c:double>
  auto first = StructOf({Field{"b", DataType::Long()}, Field{"a", DataType::String()}});
  auto second = StructOf({Field{"c", DataType::Double()}, Field{"a", DataType::String()}});
  auto merged = Merge(first, second);
  ASSERT_EQ(merged->kind, TypeKind::kStruct);
  EXPECT_EQ(*merged, *StructOf({Field{"a", DataType::String()}, Field{"b", DataType::Long()},
                                Field{"c", DataType::Double()}}));
}

TEST(InferenceMerge, StructFieldTypesMergeRecursively) {
  auto first = StructOf({Field{"x", DataType::Long()},
                         Field{"inner", StructOf({Field{"q", DataType::Null()}})}});
  auto second = StructOf({Field{"x", DataType::Double()},
                          Field{"inner", StructOf({Field{"q", DataType::Boolean()}})}});
  auto merged = Merge(first, second);
  EXPECT_EQ(*merged, *StructOf({Field{"inner", StructOf({Field{"q", DataType::Boolean()}})},
                                Field{"x", DataType::Double()}}));
}

TEST(InferenceMerge, NamesSortLikeJavaStrings) {
  // Spark sorts by UTF-16 code units: U+1F600 (a surrogate pair) comes before U+FF21.
  auto first = StructOf({Field{"\xEF\xBC\xA1", DataType::Long()}});   // U+FF21
  auto second = StructOf({Field{"\xF0\x9F\x98\x80", DataType::Long()},  // U+1F600
                          Field{"a", DataType::Long()}});
  auto merged = Merge(first, second);
  EXPECT_EQ(Names(merged->fields),
            (std::vector<std::string>{"a", "\xF0\x9F\x98\x80", "\xEF\xBC\xA1"}));
}

TEST(InferenceMerge, ArraysMergeElements) {
  // {"a":[1,2]} and {"a":[1.5]} -> array<double>; [] is array<null> and yields to [1].
  EXPECT_EQ(*Merge(DataType::Array(DataType::Long()), DataType::Array(DataType::Double())),
            *DataType::Array(DataType::Double()));
  EXPECT_EQ(*Merge(DataType::Array(DataType::Null()), DataType::Array(DataType::Long())),
            *DataType::Array(DataType::Long()));
  EXPECT_EQ(*Merge(DataType::Array(DataType::Array(DataType::Long())),
                   DataType::Array(DataType::Array(DataType::Double()))),
            *DataType::Array(DataType::Array(DataType::Double())));
  auto merged = Merge(DataType::Array(DataType::Long(), false), DataType::Array(DataType::Long()));
  EXPECT_TRUE(merged->contains_null);
}

TEST(InferenceMerge, ArrayOfStructsMergesTheStructs) {
  // {"a":[{"x":1},{"y":"z"}]} -> array<struct<x:bigint,y:string>>
  auto merged = Merge(DataType::Array(StructOf({Field{"x", DataType::Long()}})),
                      DataType::Array(StructOf({Field{"y", DataType::String()}})));
  EXPECT_EQ(*merged, *DataType::Array(StructOf(
                         {Field{"x", DataType::Long()}, Field{"y", DataType::String()}})));
}

TEST(InferenceMerge, EqualMapsStay) {
  auto map = DataType::Map(DataType::String(), DataType::Long());
  EXPECT_EQ(*Merge(map, DataType::Map(DataType::String(), DataType::Long())), *map);
}

TEST(InferenceMerge, MergedStructFieldsAreNullable) {
  auto first = StructOf({Field{"x", DataType::Long(), false}});
  auto second = StructOf({Field{"x", DataType::Long(), false}});
  EXPECT_TRUE(Merge(first, second)->fields[0].nullable);
}

TEST(InferenceSchemas, MergeSortsTopLevelFieldsByName) {
  // {"z":1,"b":2,"a":3} -> a, b, z
  Schema first{{Field{"z", DataType::Long()}, Field{"b", DataType::Long()}}};
  Schema second{{Field{"a", DataType::Long()}, Field{"b", DataType::Double()}}};
  Schema merged = MergeInferredSchemas(first, second);
  EXPECT_EQ(Names(merged.fields), (std::vector<std::string>{"a", "b", "z"}));
  EXPECT_EQ(*merged.fields[1].type, *DataType::Double());
  EXPECT_EQ(MergeInferredSchemas(Schema{}, first).fields.size(), 2u);
}

TEST(InferenceFinalize, NullOnlyFieldsBecomeStringEverywhere) {
  // {"a":null} -> string; {"a":[]} and {"a":[null]} -> array<string>
  Schema schema{{Field{"a", DataType::Null()},
                 Field{"arr", DataType::Array(DataType::Null())},
                 Field{"s", StructOf({Field{"n", DataType::Null()}, Field{"x", DataType::Long()}})},
                 Field{"deep", DataType::Array(DataType::Array(DataType::Null()))}}};
  Schema final_schema = FinalizeInferredSchema(schema);
  auto expected = ParseDdlSchema(
      "a STRING, arr ARRAY<STRING>, s STRUCT<n: STRING, x: BIGINT>, deep ARRAY<ARRAY<STRING>>");
  ASSERT_TRUE(expected.ok());
  EXPECT_EQ(final_schema, *expected);
}

TEST(InferenceFinalize, DropsEmptyStructsAndEmptyNamesLikeSpark) {
  // {"a":{"b":{}},"c":1}, {"a":[{}],"c":1} and {"":1,"c":1} all infer struct<c:bigint>.
  Schema schema{{Field{"", DataType::Long()},
                 Field{"a", StructOf({Field{"b", StructOf({})}})},
                 Field{"arr", DataType::Array(StructOf({}))},
                 Field{"c", DataType::Long()}}};
  Schema final_schema = FinalizeInferredSchema(schema);
  EXPECT_EQ(Names(final_schema.fields), (std::vector<std::string>{"c"}));
}

TEST(InferenceFinalize, LeavesResolvedTypesAlone) {
  Schema schema{{Field{"x", DataType::Decimal(20, 0)}, Field{"y", DataType::Boolean(), false}}};
  EXPECT_EQ(FinalizeInferredSchema(schema), schema);
}

}  // namespace
}  // namespace inlet
