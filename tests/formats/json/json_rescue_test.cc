// The rescued data column: what lands in it (mismatches, unknown fields, case variants,
// duplicates, whole arrays/maps), its exact text and _file_path, and its text helpers.
#include "inlet/formats/json/json_rescue.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using nlohmann::json;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

constexpr char kRescue[] = "_rescued_data";

// `fields` plus the rescued data column at the end.
Schema WithRescue(std::vector<Field> fields) {
  fields.push_back({kRescue, DataType::String()});
  return Schema{std::move(fields)};
}

JsonReadOptions RescueOptions() {
  JsonReadOptions options;
  options.rescued_data_column = kRescue;
  options.file_path = "/x/f.json";
  return options;
}

// The rescued data column of a single-batch read.
std::shared_ptr<arrow::StringArray> Rescued(const ReadResult& result) {
  EXPECT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.batches.size(), 1u);
  if (result.batches.empty()) return nullptr;
  return std::static_pointer_cast<arrow::StringArray>(result.batches[0]->GetColumnByName(kRescue));
}

json RescuedJson(const ReadResult& result, int64_t row = 0) {
  auto column = Rescued(result);
  if (column == nullptr || column->IsNull(row)) return nullptr;
  return json::parse(column->GetView(row));
}

template <typename ArrayType>
std::shared_ptr<ArrayType> Col(const ReadResult& result, const std::string& name) {
  return std::static_pointer_cast<ArrayType>(result.batches.at(0)->GetColumnByName(name));
}

TEST(RescuedData, MismatchKeepsOriginalTextAndFilePathExactly) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"id":1,"temp":"n/a"})"
                                  "\n"
                                  R"({"id": 2, "temp": 70.5, "humidity": 70.50 })"
                                  "\n");
  ReadResult result =
      ReadAll(path, WithRescue({{"id", DataType::Long()}, {"temp", DataType::Double()}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"temp":"n/a","_file_path":"file:/x/f.json"})");
  EXPECT_EQ(rescued->GetView(1), R"({"humidity":70.50,"_file_path":"file:/x/f.json"})");
  EXPECT_TRUE(Col<arrow::DoubleArray>(result, "temp")->IsNull(0));
  EXPECT_DOUBLE_EQ(Col<arrow::DoubleArray>(result, "temp")->Value(1), 70.5);
  EXPECT_EQ(result.counts.type_mismatches, 1);
  EXPECT_EQ(result.counts.rescued_records, 2);
}

TEST(RescuedData, NullWhenNothingWasRescued) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"id\":1}\n{\"id\":\"x\"}\n{\"id\":3,\"tags\":[1,2]}\n");
  ReadResult result =
      ReadAll(path, WithRescue({{"id", DataType::Long()}, {"tags", DataType::Array(DataType::Long())}}),
              RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_TRUE(rescued->IsNull(0));
  EXPECT_FALSE(rescued->IsNull(1));
  EXPECT_TRUE(rescued->IsNull(2));
  EXPECT_EQ(result.counts.rescued_records, 1);
}

TEST(RescuedData, UnknownFieldsKeepTheirRawJson) {
  TempDir dir;
  auto path = dir.Write(
      "a.json", R"({"id":1,"extra":1.50,"obj":{"a": [1, 2], "b": null},"s":"q\"\u00e9","t":true,"n":null})");
  ReadResult result = ReadAll(path, WithRescue({{"id", DataType::Long()}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"extra":1.50,"obj":{"a": [1, 2], "b": null},"s":"q\"\u00e9","t":true,)"
                                 R"("n":null,"_file_path":"file:/x/f.json"})");
  EXPECT_EQ(Col<arrow::Int64Array>(result, "id")->Value(0), 1);
  EXPECT_EQ(result.counts.type_mismatches, 0);  // unknown fields are not mismatches
}

TEST(RescuedData, WithoutRescueColumnUnknownFieldsAreIgnored) {
  TempDir dir;
  ReadResult result =
      ReadAll(dir.Write("a.json", R"({"id":1,"Id":2,"id":3,"x":4})"), Schema{{{"id", DataType::Long()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Col<arrow::Int64Array>(result, "id")->Value(0), 3);  // the last "id" wins, as in Spark
  EXPECT_EQ(result.counts.rescued_records, 0);
}

TEST(RescuedData, NestedStructMismatchIsNestedUnderItsField) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"coordinates":{"latitude":"n/a","longitude":1.5},"id":1})");
  auto coordinates = DataType::Struct({{"latitude", DataType::Double()}, {"longitude", DataType::Double()}});
  ReadResult result =
      ReadAll(path, WithRescue({{"coordinates", coordinates}, {"id", DataType::Long()}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"coordinates":{"latitude":"n/a"},"_file_path":"file:/x/f.json"})");
  auto structs = Col<arrow::StructArray>(result, "coordinates");
  EXPECT_TRUE(structs->GetFieldByName("latitude")->IsNull(0));
  EXPECT_DOUBLE_EQ(
      std::static_pointer_cast<arrow::DoubleArray>(structs->GetFieldByName("longitude"))->Value(0), 1.5);
}

TEST(RescuedData, UnknownNestedFieldsKeepDocumentOrderAtEveryDepth) {
  TempDir dir;
  auto path =
      dir.Write("a.json", R"({"a":"A","s":{"t":{"x":"bad","new":1,"ok":2},"y":2},"u":{"v":1},"z":3})");
  auto t = DataType::Struct({{"x", DataType::Long()}, {"ok", DataType::Long()}});
  auto s = DataType::Struct({{"t", t}, {"y", DataType::Long()}});
  auto u = DataType::Struct({{"v", DataType::Long()}});
  ReadResult result =
      ReadAll(path, WithRescue({{"a", DataType::Long()}, {"s", s}, {"u", u}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"a":"A","s":{"t":{"x":"bad","new":1}},"z":3,"_file_path":"file:/x/f.json"})");
}

TEST(RescuedData, CaseVariantIsRescuedWhenCaseSensitive) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"Humidity":5,"id":1})");
  ReadResult result =
      ReadAll(path, WithRescue({{"humidity", DataType::Long()}, {"id", DataType::Long()}}), RescueOptions());
  EXPECT_EQ(RescuedJson(result), json::parse(R"({"Humidity":5,"_file_path":"file:/x/f.json"})"));
  EXPECT_TRUE(Col<arrow::Int64Array>(result, "humidity")->IsNull(0));
}

TEST(RescuedData, CaseVariantIsReadWhenCaseInsensitiveAndTheSecondSpellingRescued) {
  TempDir dir;
  auto path = dir.Write(
      "a.json", "{\"Humidity\":5}\n{\"Humidity\":5,\"humidity\":6}\n{\"humidity\":7,\"HUMIDITY\":8}\n");
  JsonReadOptions options = RescueOptions();
  options.case_sensitive = false;
  ReadResult result = ReadAll(path, WithRescue({{"humidity", DataType::Long()}}), options);
  auto humidity = Col<arrow::Int64Array>(result, "humidity");
  ASSERT_NE(humidity, nullptr);
  EXPECT_EQ(humidity->Value(0), 5);
  EXPECT_EQ(humidity->Value(1), 5);
  EXPECT_EQ(humidity->Value(2), 7);
  EXPECT_EQ(RescuedJson(result, 0), nullptr);
  EXPECT_EQ(RescuedJson(result, 1), json::parse(R"({"humidity":6,"_file_path":"file:/x/f.json"})"));
  EXPECT_EQ(RescuedJson(result, 2), json::parse(R"({"HUMIDITY":8,"_file_path":"file:/x/f.json"})"));
}

TEST(RescuedData, ExactNameWinsOverCaseVariant) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"Humidity":5,"humidity":6})");
  JsonReadOptions options = RescueOptions();
  options.case_sensitive = false;
  ReadResult result =
      ReadAll(path, WithRescue({{"humidity", DataType::Long()}, {"Humidity", DataType::Long()}}), options);
  EXPECT_EQ(Col<arrow::Int64Array>(result, "Humidity")->Value(0), 5);
  EXPECT_EQ(Col<arrow::Int64Array>(result, "humidity")->Value(0), 6);
  EXPECT_EQ(RescuedJson(result), nullptr);
}

TEST(RescuedData, TheLastDuplicateKeyWinsAndTheEarlierOnesAreRescued) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"id":"one","s":{"a":{"deep":true},"a":1},"id":2})");
  ReadResult result = ReadAll(
      path, WithRescue({{"id", DataType::Long()}, {"s", DataType::Struct({{"a", DataType::Long()}})}}),
      RescueOptions());
  EXPECT_EQ(Col<arrow::Int64Array>(result, "id")->Value(0), 2);
  auto s = Col<arrow::StructArray>(result, "s");
  EXPECT_EQ(std::static_pointer_cast<arrow::Int64Array>(s->field(0))->Value(0), 1);
  EXPECT_EQ(RescuedJson(result),
            json::parse(R"({"id":"one","s":{"a":{"deep":true}},"_file_path":"file:/x/f.json"})"));
  EXPECT_EQ(result.counts.type_mismatches, 0);
  EXPECT_EQ(result.counts.records, 1);
}

TEST(RescuedData, ArrayElementMismatchRescuesTheWholeArray) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"tags":[1, "x" ,3] , "id":2})");
  ReadResult result =
      ReadAll(path, WithRescue({{"tags", DataType::Array(DataType::Long())}, {"id", DataType::Long()}}),
              RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"tags":[1, "x" ,3],"_file_path":"file:/x/f.json"})");
  auto values =
      std::static_pointer_cast<arrow::Int64Array>(Col<arrow::ListArray>(result, "tags")->value_slice(0));
  ASSERT_EQ(values->length(), 3);
  EXPECT_EQ(values->Value(0), 1);
  EXPECT_TRUE(values->IsNull(1));
  EXPECT_EQ(values->Value(2), 3);
  EXPECT_EQ(Col<arrow::Int64Array>(result, "id")->Value(0), 2);
}

TEST(RescuedData, ArrayWithBracketsInStringsIsRescuedToItsOwnEnd) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"tags":["]\"[}",["x"]],"id":1})"
                                  "\n"
                                  R"({"tags":[["a]"],["b",1]]})"
                                  "\n");
  auto tags = DataType::Array(DataType::Array(DataType::String()));
  ReadResult long_tags =
      ReadAll(path, WithRescue({{"tags", DataType::Array(DataType::Long())}}), RescueOptions());
  EXPECT_EQ(RescuedJson(long_tags, 0),
            json::parse(R"({"tags":["]\"[}",["x"]],"id":1,"_file_path":"file:/x/f.json"})"));
  ReadResult nested = ReadAll(path, WithRescue({{"tags", tags}, {"id", DataType::Long()}}), RescueOptions());
  auto rescued = Rescued(nested);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"tags":["]\"[}",["x"]],"_file_path":"file:/x/f.json"})");
  // Strings take numbers as text, so the nested array fits: nothing rescued.
  EXPECT_TRUE(rescued->IsNull(1));
}

TEST(RescuedData, UnknownFieldInArrayOfStructsRescuesTheWholeArrayOnce) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"items":[{"a":1},{"a":2,"b":3},{"a":"x"}],"id":1})");
  auto items = DataType::Array(DataType::Struct({{"a", DataType::Long()}}));
  ReadResult result =
      ReadAll(path, WithRescue({{"items", items}, {"id", DataType::Long()}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"items":[{"a":1},{"a":2,"b":3},{"a":"x"}],"_file_path":"file:/x/f.json"})");
  auto elements =
      std::static_pointer_cast<arrow::StructArray>(Col<arrow::ListArray>(result, "items")->values());
  auto a = std::static_pointer_cast<arrow::Int64Array>(elements->GetFieldByName("a"));
  EXPECT_EQ(a->Value(1), 2);
  EXPECT_TRUE(a->IsNull(2));
}

TEST(RescuedData, ArrayInsideStructIsRescuedUnderTheStructPath) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"s":{"k":1,"v":[1,true]}})");
  auto s = DataType::Struct({{"k", DataType::Long()}, {"v", DataType::Array(DataType::Long())}});
  ReadResult result = ReadAll(path, WithRescue({{"s", s}}), RescueOptions());
  EXPECT_EQ(RescuedJson(result), json::parse(R"({"s":{"v":[1,true]},"_file_path":"file:/x/f.json"})"));
}

TEST(RescuedData, MapValueMismatchRescuesTheWholeMap) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"m":{"a":1,"b":"x"}, "id":1})");
  ReadResult result = ReadAll(
      path,
      WithRescue({{"m", DataType::Map(DataType::String(), DataType::Long())}, {"id", DataType::Long()}}),
      RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"m":{"a":1,"b":"x"},"_file_path":"file:/x/f.json"})");
  auto map = Col<arrow::MapArray>(result, "m");
  auto items = std::static_pointer_cast<arrow::Int64Array>(map->items());
  ASSERT_EQ(items->length(), 2);
  EXPECT_EQ(items->Value(0), 1);
  EXPECT_TRUE(items->IsNull(1));
}

TEST(RescuedData, FilePathIsEscapedAndDefaultsToThePathRead) {
  TempDir dir;
  auto path = dir.Write("we\"ird\\name.json", R"({"x":1})");
  JsonReadOptions options = RescueOptions();
  options.file_path = "C:\\dir\\\"q\"\n.json";
  ReadResult given = ReadAll(path, WithRescue({}), options);
  EXPECT_EQ(RescuedJson(given)["_file_path"], "C:\\dir\\\"q\"\n.json");
  options.file_path.clear();
  ReadResult defaulted = ReadAll(path, WithRescue({}), options);
  EXPECT_EQ(RescuedJson(defaulted)["_file_path"], "file:" + path);  // a URI, as Spark writes it
}

TEST(RescuedData, KeysAreReEscaped) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"we\"ird\n\u0041":1,"\u0069d":"x"})");
  ReadResult result = ReadAll(path, WithRescue({{"id", DataType::Long()}}), RescueOptions());
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"we\"ird\nA":1,"id":"x","_file_path":"file:/x/f.json"})");
}

TEST(RescuedData, KeyNamedLikeTheRescueColumnIsRescuedWherePlacedInTheSchema) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"_rescued_data\":\"mine\",\"id\":1}\n{\"id\":2}\n");
  ReadResult result =
      ReadAll(path, Schema{{{kRescue, DataType::String()}, {"id", DataType::Long()}}}, RescueOptions());
  EXPECT_EQ(RescuedJson(result), json::parse(R"({"_rescued_data":"mine","_file_path":"file:/x/f.json"})"));
  EXPECT_EQ(RescuedJson(result, 1), nullptr);
  EXPECT_EQ(Col<arrow::Int64Array>(result, "id")->Value(1), 2);
}

TEST(RescuedData, RescueColumnMustBeATopLevelStringColumn) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"id":1})");
  ReadResult missing = ReadAll(path, Schema{{{"id", DataType::Long()}}}, RescueOptions());
  EXPECT_TRUE(missing.status.IsInvalid());
  EXPECT_NE(missing.status.message().find("_rescued_data"), std::string::npos);
  ReadResult not_string = ReadAll(path, Schema{{{kRescue, DataType::Long()}}}, RescueOptions());
  EXPECT_TRUE(not_string.status.IsInvalid());
}

TEST(RescuedData, BrokenLiteralInARescuedFieldFailsTheRecord) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"id\":1}\n{\"x\":tru}\n");
  JsonReadOptions options = RescueOptions();
  options.mode = ParseMode::kFailFast;
  ReadResult result = ReadAll(path, WithRescue({{"id", DataType::Long()}}), options);
  EXPECT_TRUE(result.status.IsInvalid());
  EXPECT_NE(result.status.message().find(":2 (byte 9): invalid JSON"), std::string::npos) << result.status.ToString();
}

TEST(RescuedData, MultiLineArrayRecordsAreRescuedEach) {
  TempDir dir;
  auto path = dir.Write(
      "a.json", "[\n  {\"id\": 1, \"tags\": [1, \"x\"]\n  },\n  {\"id\": 2},\n  {\"id\": \"3\"}\n]\n");
  JsonReadOptions options = RescueOptions();
  options.multi_line = true;
  ReadResult result = ReadAll(
      path, WithRescue({{"id", DataType::Long()}, {"tags", DataType::Array(DataType::Long())}}), options);
  auto rescued = Rescued(result);
  ASSERT_NE(rescued, nullptr);
  EXPECT_EQ(rescued->GetView(0), R"({"tags":[1, "x"],"_file_path":"file:/x/f.json"})");
  EXPECT_TRUE(rescued->IsNull(1));
  EXPECT_EQ(rescued->GetView(2), R"({"id":"3","_file_path":"file:/x/f.json"})");
  EXPECT_EQ(result.counts.rescued_records, 2);
}

TEST(RescuedData, MultiLineSingleObjectIsRescued) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\n  \"id\": 1,\n  \"more\": {\n    \"x\": [1,\n 2]\n  }\n}\n");
  JsonReadOptions options = RescueOptions();
  options.multi_line = true;
  ReadResult result = ReadAll(path, WithRescue({{"id", DataType::Long()}}), options);
  EXPECT_EQ(RescuedJson(result), json::parse(R"({"more":{"x":[1,2]},"_file_path":"file:/x/f.json"})"));
}

TEST(RescuedData, FloatBeyondItsRangeIsAMismatch) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"f\":1e39}\n{\"f\":3.4028235e38}\n");
  ReadResult result = ReadAll(path, WithRescue({{"f", DataType::Float()}}), RescueOptions());
  auto f = Col<arrow::FloatArray>(result, "f");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->IsNull(0));
  EXPECT_FLOAT_EQ(f->Value(1), std::numeric_limits<float>::max());
  EXPECT_EQ(Rescued(result)->GetView(0), R"({"f":1e39,"_file_path":"file:/x/f.json"})");
}

TEST(JsonText, AppendJsonStringEscapesQuotesBackslashesAndControls) {
  std::string out;
  AppendJsonString("a\"b\\c\n\t\x01\xC3\xA9", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\t\\u0001\xC3\xA9\"");
}

TEST(JsonText, EnclosedJsonStopsAtTheMatchingBracket) {
  const std::string text = R"([1,{"a":"]}\\"},["\"]"]],"rest"])";
  EXPECT_EQ(EnclosedJson(text.data()), R"([1,{"a":"]}\\"},["\"]"]])");
  const std::string object = R"({"k":{"x":"}"}} , 1)";
  EXPECT_EQ(EnclosedJson(object.data()), R"({"k":{"x":"}"}})");
}

TEST(JsonText, MergeWideningKeepsTheWidestPerPath) {
  std::vector<TypeWidening> widenings;
  MergeWidening({"a"}, DataType::Double(), &widenings);
  MergeWidening({"a"}, DataType::Long(), &widenings);
  MergeWidening({"b", "element"}, DataType::Long(), &widenings);
  MergeWidening({"b", "element"}, DataType::Double(), &widenings);
  ASSERT_EQ(widenings.size(), 2u);
  EXPECT_EQ(widenings[0].to->kind, TypeKind::kDouble);
  EXPECT_EQ(widenings[1].path, (FieldPath{"b", "element"}));
  EXPECT_EQ(widenings[1].to->kind, TypeKind::kDouble);
}

}  // namespace
}  // namespace inlet::json
