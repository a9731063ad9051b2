// Tests for the Spark type model: factories, names, equality, lookup.
#include "inlet/schema/types.h"

#include <gtest/gtest.h>

namespace inlet {
namespace {

TEST(DataTypeNames, PrimitivesUseSparkJsonNames) {
  EXPECT_EQ(DataType::String()->TypeName(), "string");
  EXPECT_EQ(DataType::Long()->TypeName(), "long");
  EXPECT_EQ(DataType::Integer()->TypeName(), "integer");
  EXPECT_EQ(DataType::Short()->TypeName(), "short");
  EXPECT_EQ(DataType::Byte()->TypeName(), "byte");
  EXPECT_EQ(DataType::Double()->TypeName(), "double");
  EXPECT_EQ(DataType::Float()->TypeName(), "float");
  EXPECT_EQ(DataType::Boolean()->TypeName(), "boolean");
  EXPECT_EQ(DataType::Date()->TypeName(), "date");
  EXPECT_EQ(DataType::Timestamp()->TypeName(), "timestamp");
  EXPECT_EQ(DataType::Binary()->TypeName(), "binary");
  EXPECT_EQ(DataType::Null()->TypeName(), "void");
}

TEST(DataTypeNames, DecimalNameCarriesPrecisionAndScale) {
  EXPECT_EQ(DataType::Decimal(9, 6)->TypeName(), "decimal(9,6)");
}

TEST(DataTypeNames, ContainersUseTheirKindName) {
  EXPECT_EQ(DataType::Struct({})->TypeName(), "struct");
  EXPECT_EQ(DataType::Array(DataType::Long())->TypeName(), "array");
  EXPECT_EQ(DataType::Map(DataType::String(), DataType::Long())->TypeName(), "map");
}

TEST(DataTypeEquality, ComparesStructurallyNotByPointer) {
  auto a = DataType::Struct({Field{"x", DataType::Array(DataType::Long())}});
  auto b = DataType::Struct({Field{"x", DataType::Array(DataType::Long())}});
  EXPECT_NE(a.get(), b.get());
  EXPECT_EQ(*a, *b);
}

TEST(DataTypeEquality, DistinguishesDecimalParametersAndNullability) {
  EXPECT_NE(*DataType::Decimal(9, 6), *DataType::Decimal(9, 5));
  EXPECT_NE(*DataType::Array(DataType::Long(), true), *DataType::Array(DataType::Long(), false));
  EXPECT_NE(*DataType::Map(DataType::String(), DataType::Long(), true),
            *DataType::Map(DataType::String(), DataType::Long(), false));
  EXPECT_NE(*DataType::Map(DataType::String(), DataType::Long()),
            *DataType::Map(DataType::String(), DataType::Double()));
}

TEST(DataTypeEquality, FieldEqualityIgnoresMetadata) {
  Field a{"x", DataType::Long(), true, "{}"};
  Field b{"x", DataType::Long(), true, R"({"comment":"c"})"};
  EXPECT_EQ(a, b);
  b.nullable = false;
  EXPECT_NE(a, b);
}

TEST(DataTypeEquality, FieldOrderMatters) {
  Schema a{{Field{"x", DataType::Long()}, Field{"y", DataType::String()}}};
  Schema b{{Field{"y", DataType::String()}, Field{"x", DataType::Long()}}};
  EXPECT_NE(a, b);
}

TEST(DataTypeLookup, FindsFieldsByExactName) {
  Schema schema{{Field{"alpha", DataType::Long()}, Field{"Beta", DataType::String()}}};
  ASSERT_NE(schema.FindField("Beta"), nullptr);
  EXPECT_EQ(schema.FindField("Beta")->type->kind, TypeKind::kString);
  EXPECT_EQ(schema.FindField("beta"), nullptr);
  auto as_struct = schema.AsStruct();
  EXPECT_EQ(as_struct->kind, TypeKind::kStruct);
  ASSERT_NE(as_struct->FindField("alpha"), nullptr);
  EXPECT_EQ(as_struct->FindField("missing"), nullptr);
}

TEST(DataTypeFactories, PrimitivesAreSharedAndContainersKeepParameters) {
  EXPECT_EQ(DataType::Long().get(), DataType::Long().get());
  auto array = DataType::Array(DataType::String(), false);
  EXPECT_FALSE(array->contains_null);
  EXPECT_FALSE(array->is_primitive());
  EXPECT_TRUE(DataType::Decimal(3, 1)->is_primitive());
  auto map = DataType::Map(DataType::String(), DataType::Long(), false);
  EXPECT_EQ(map->key->kind, TypeKind::kString);
  EXPECT_FALSE(map->value_contains_null);
}

}  // namespace
}  // namespace inlet
