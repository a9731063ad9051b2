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

// The builder remembers keys from value to value (to save allocations); each value's
// dictionary must still hold only its own keys, numbered in the order it met them.
TEST(Variant, AReusedBuilderNumbersEachValuesKeysAfresh) {
  VariantBuilder builder;
  VariantValue out;
  auto object_of = [&](std::initializer_list<std::string_view> keys) {
    auto object = builder.StartObject();
    for (std::string_view key : keys) {
      builder.AddKey(key);
      builder.AppendInt(static_cast<int64_t>(key.size()));
    }
    EXPECT_TRUE(builder.EndObject(object).ok());
    EXPECT_TRUE(builder.Finish(&out).ok());
  };
  object_of({"b", "a"});
  EXPECT_EQ(out.metadata, std::string("\x01\x02\x00\x01\x02" "ba", 7));
  object_of({"a"});
  EXPECT_EQ(out.metadata, std::string("\x01\x01\x00\x01" "a", 5));
  EXPECT_EQ(*VariantToJson(out), R"({"a":1})");
  // An abandoned value leaves no key behind either.
  builder.StartObject();
  builder.AddKey("zz");
  builder.Clear();
  object_of({"c", "a"});
  EXPECT_EQ(out.metadata, std::string("\x01\x02\x00\x01\x02" "ca", 7));
  // Past the keys it remembers, it forgets them and still numbers correctly.
  for (int i = 0; i < 5000; ++i) {
    const std::string key = "k" + std::to_string(i);
    object_of({key, "a"});
  }
  object_of({"a", "k4999"});
  EXPECT_EQ(*VariantToJson(out), R"({"a":1,"k4999":5})");
  EXPECT_EQ(out.metadata.substr(out.metadata.size() - 6), "ak4999");
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
