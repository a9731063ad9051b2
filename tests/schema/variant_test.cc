#include "inlet/schema/variant.h"

#include <gtest/gtest.h>

namespace inlet {
namespace {

VariantValue SampleVariant() {
  VariantBuilder builder;
  auto object = builder.StartObject();
  builder.AddKey("name");
  builder.AppendString(std::string(70, 'n'));  // a long string, not a short one
  builder.AddKey("list");
  auto list = builder.StartArray();
  for (int64_t v : {int64_t{1}, int64_t{300}, int64_t{1} << 40}) {
    builder.StartElement();
    builder.AppendInt(v);
  }
  builder.StartElement();
  builder.AppendDecimal(-5, 3);
  builder.EndArray(list);
  EXPECT_TRUE(builder.EndObject(object).ok());
  return *builder.Finish();
}

TEST(Variant, ABuiltValueReadsBack) {
  EXPECT_EQ(*VariantToJson(SampleVariant()),
            "{\"list\":[1,300,1099511627776,-0.005],\"name\":\"" + std::string(70, 'n') + "\"}");
}

TEST(Variant, TheBuilderIsEmptyAgainAfterFinish) {
  VariantBuilder builder;
  auto object = builder.StartObject();
  builder.AddKey("k");
  builder.AppendNull();
  ASSERT_TRUE(builder.EndObject(object).ok());
  ASSERT_TRUE(builder.Finish().ok());
  builder.AppendBool(false);
  auto second = builder.Finish();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->metadata, std::string("\x01\x00\x00", 3));  // no keys left over
  EXPECT_EQ(*VariantToJson(*second), "false");
}

TEST(Variant, AnUnendedContainerIsAnError) {
  VariantBuilder builder;
  builder.StartArray();
  builder.StartElement();
  builder.AppendNull();
  EXPECT_FALSE(builder.Finish().ok());
}

TEST(Variant, EveryTruncationOfAValueIsRefusedNotReadPastItsEnd) {
  const VariantValue whole = SampleVariant();
  for (size_t size = 0; size < whole.value.size(); ++size) {
    VariantValue cut{whole.metadata, whole.value.substr(0, size)};
    EXPECT_FALSE(VariantToJson(cut).ok()) << "value cut to " << size << " bytes";
  }
  for (size_t size = 0; size < whole.metadata.size(); ++size) {
    VariantValue cut{whole.metadata.substr(0, size), whole.value};
    EXPECT_FALSE(VariantToJson(cut).ok()) << "metadata cut to " << size << " bytes";
  }
}

}  // namespace
}  // namespace inlet
