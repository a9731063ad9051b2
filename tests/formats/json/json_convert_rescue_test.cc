// Reading while a schema drifts: stop_on_new_fields (where and what the new field is,
// nothing emitted after) and collect_widenings (which wider type each column needs).
#include <arrow/api.h>
#include <gtest/gtest.h>

#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

JsonReadOptions StopOptions() {
  JsonReadOptions options;
  options.stop_on_new_fields = true;
  return options;
}

int64_t TotalRows(const ReadResult& result) {
  int64_t rows = 0;
  for (const auto& batch : result.batches) rows += batch->num_rows();
  return rows;
}

TEST(NewFieldStop, TopLevelFieldStopsAtItsLineAndEmitsNothingAfter) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"id\":1}\n{\"id\":2}\n\n{\"id\":3}\n{\"id\":4,\"location\":\"x\"}\n{\"id\":5}\n");
  JsonReadOptions options = StopOptions();
  options.batch_rows = 2;
  ReadResult result = ReadAll(path, Schema{{{"id", DataType::Long()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 5);
  EXPECT_EQ(result.counts.new_field_path, (FieldPath{"location"}));
  // The batch handed over before the stop stays; row 3 (not yet emitted) and later do not come.
  ASSERT_EQ(result.batches.size(), 1u);
  EXPECT_EQ(TotalRows(result), 2);
}

TEST(NewFieldStop, NestedFieldPathGoesThroughStructsArraysAndMaps) {
  TempDir dir;
  auto item = DataType::Struct({{"a", DataType::Long()}});
  Schema schema{{{"coordinates", DataType::Struct({{"latitude", DataType::Double()}})},
                 {"items", DataType::Array(item)},
                 {"m", DataType::Map(DataType::String(), item)}}};
  struct Case {
    std::string line;
    FieldPath path;
  };
  const std::vector<Case> cases = {
      {R"({"coordinates":{"latitude":1,"altitude":2}})", {"coordinates", "altitude"}},
      {R"({"items":[{"a":1},{"a":2,"b":3}]})", {"items", "element", "b"}},
      {R"({"m":{"k":{"a":1,"c":3}}})", {"m", "value", "c"}},
  };
  for (const Case& c : cases) {
    ReadResult result = ReadAll(dir.Write("a.json", "{}\n" + c.line + "\n"), schema, StopOptions());
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_EQ(result.counts.new_field_line, 2) << c.line;
    EXPECT_EQ(result.counts.new_field_path, c.path) << c.line;
    EXPECT_TRUE(result.batches.empty()) << c.line;
  }
}

TEST(NewFieldStop, CaseVariantsAreNotNewFields) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"ID":1,"s":{"X":2}})");
  Schema schema{{{"id", DataType::Long()}, {"s", DataType::Struct({{"x", DataType::Long()}})}}};
  ReadResult sensitive = ReadAll(path, schema, StopOptions());
  ASSERT_TRUE(sensitive.status.ok()) << sensitive.status.ToString();
  EXPECT_EQ(sensitive.counts.new_field_line, 0);
  EXPECT_TRUE(std::static_pointer_cast<arrow::Int64Array>(sensitive.batches.at(0)->column(0))->IsNull(0));
  JsonReadOptions insensitive = StopOptions();
  insensitive.case_sensitive = false;
  ReadResult read = ReadAll(path, schema, insensitive);
  EXPECT_EQ(read.counts.new_field_line, 0);
  EXPECT_EQ(std::static_pointer_cast<arrow::Int64Array>(read.batches.at(0)->column(0))->Value(0), 1);
}

TEST(NewFieldStop, KeyNamedLikeTheRescueColumnIsANewField) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"id\":1,\"x\":\"y\"}\n{\"_rescued_data\":\"mine\"}\n");
  JsonReadOptions options = StopOptions();
  options.rescued_data_column = "_rescued_data";
  ReadResult result = ReadAll(
      path,
      Schema{{{"id", DataType::Long()}, {"x", DataType::String()}, {"_rescued_data", DataType::String()}}},
      options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 2);
  EXPECT_EQ(result.counts.new_field_path, (FieldPath{"_rescued_data"}));
}

TEST(NewFieldStop, MismatchesAreRescuedNotStops) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"id\":\"one\"}\n{\"id\":2}\n");
  JsonReadOptions options = StopOptions();
  options.rescued_data_column = "_rescued_data";
  ReadResult result =
      ReadAll(path, Schema{{{"id", DataType::Long()}, {"_rescued_data", DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 0);
  EXPECT_EQ(TotalRows(result), 2);
  EXPECT_EQ(result.counts.rescued_records, 1);
}

TEST(NewFieldStop, MultiLineArrayStopsAtTheRecordIndex) {
  TempDir dir;
  auto path = dir.Write("a.json", "[\n{\"id\":1},\n{\"id\":2},\n{\"id\":3,\n \"s\":{\"new\":1}}\n]\n");
  JsonReadOptions options = StopOptions();
  options.multi_line = true;
  ReadResult result = ReadAll(path, Schema{{{"id", DataType::Long()}, {"s", DataType::Struct({})}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 3);
  EXPECT_EQ(result.counts.new_field_path, (FieldPath{"s", "new"}));
  EXPECT_TRUE(result.batches.empty());
}

TEST(NewFieldStop, MultiLineSingleObjectStops) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\n  \"id\": 1,\n  \"extra\": true\n}\n");
  JsonReadOptions options = StopOptions();
  options.multi_line = true;
  ReadResult result = ReadAll(path, Schema{{{"id", DataType::Long()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 1);
  EXPECT_EQ(result.counts.new_field_path, (FieldPath{"extra"}));
  EXPECT_TRUE(result.batches.empty());
}

JsonReadOptions WideningOptions() {
  JsonReadOptions options;
  options.collect_widenings = true;
  return options;
}

// The widened type per path, as "path=type" in the order recorded.
std::vector<std::string> Widenings(const ParseCounts& counts) {
  std::vector<std::string> out;
  for (const TypeWidening& w : counts.widenings) {
    std::string path;
    for (const std::string& name : w.path) path += (path.empty() ? "" : ".") + name;
    out.push_back(path + "=" + w.to->TypeName());
  }
  return out;
}

TEST(TypeWidenings, IntegerOutOfRangeNeedsLongAndFractionNeedsDouble) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"i":3000000000,"b":300,"s":70.5,"t":1e3,"f":1e39,"ok":5,"d":1.5})");
  Schema schema{{{"i", DataType::Integer()},
                 {"b", DataType::Byte()},
                 {"s", DataType::Short()},
                 {"t", DataType::Integer()},
                 {"f", DataType::Float()},
                 {"ok", DataType::Integer()},
                 {"d", DataType::Double()}}};
  ReadResult result = ReadAll(path, schema, WideningOptions());
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Widenings(result.counts),
            (std::vector<std::string>{"i=long", "b=long", "s=double", "t=double", "f=double"}));
  // Still mismatches: null and counted.
  EXPECT_EQ(result.counts.type_mismatches, 5);
  EXPECT_TRUE(result.batches.at(0)->column(0)->IsNull(0));
}

TEST(TypeWidenings, LongNeverWidensAndNonNumbersDoNot) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"l":70.5,"i":"abc","j":true,"k":99999999999999999999})");
  Schema schema{{{"l", DataType::Long()},
                 {"i", DataType::Integer()},
                 {"j", DataType::Integer()},
                 {"k", DataType::Long()}}};
  ReadResult result = ReadAll(path, schema, WideningOptions());
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_TRUE(result.counts.widenings.empty()) << ::testing::PrintToString(Widenings(result.counts));
  EXPECT_EQ(result.counts.type_mismatches, 4);
}

TEST(TypeWidenings, NestedPathsAndWidestAcrossRecordsAndFiles) {
  TempDir dir;
  Schema schema{{{"s", DataType::Struct({{"n", DataType::Integer()}})},
                 {"a", DataType::Array(DataType::Short())},
                 {"m", DataType::Map(DataType::String(), DataType::Byte())}}};
  auto first = dir.Write("a.json", "{\"s\":{\"n\":3000000000},\"a\":[1,70000],\"m\":{\"k\":1.5}}\n");
  auto second = dir.Write("b.json", "{\"s\":{\"n\":2.5}}\n{\"s\":{\"n\":3000000000},\"a\":[100000]}\n");
  ReadResult one = ReadAll(first, schema, WideningOptions());
  ASSERT_TRUE(one.status.ok()) << one.status.ToString();
  EXPECT_EQ(Widenings(one.counts),
            (std::vector<std::string>{"s.n=long", "a.element=long", "m.value=double"}));
  ReadResult both = ReadAll(second, schema, WideningOptions(), one.counts);
  ASSERT_TRUE(both.status.ok()) << both.status.ToString();
  EXPECT_EQ(Widenings(both.counts),
            (std::vector<std::string>{"s.n=double", "a.element=long", "m.value=double"}));
}

TEST(TypeWidenings, RecordedOnlyWhenAsked) {
  TempDir dir;
  ReadResult result = ReadAll(dir.Write("a.json", R"({"i":1.5})"), Schema{{{"i", DataType::Integer()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_TRUE(result.counts.widenings.empty());
  EXPECT_EQ(result.counts.type_mismatches, 1);
}

TEST(TypeWidenings, WidenedValuesAreStillRescued) {
  TempDir dir;
  JsonReadOptions options = WideningOptions();
  options.rescued_data_column = "_rescued_data";
  options.file_path = "f";
  ReadResult result =
      ReadAll(dir.Write("a.json", R"({"i":70.5})"),
              Schema{{{"i", DataType::Integer()}, {"_rescued_data", DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Widenings(result.counts), (std::vector<std::string>{"i=double"}));
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(result.batches.at(0)->column(1))->GetView(0),
            R"({"i":70.5,"_file_path":"f"})");
}

}  // namespace
}  // namespace inlet::json
