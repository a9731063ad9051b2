// ReadJsonFile: every column type, mismatches, line handling, multiLine, errors, batching.
#include "inlet/formats/json/json_reader.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "inlet/formats/temporal.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::TempDir;

struct ReadResult {
  Status status;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  ParseCounts counts;
};

ReadResult Read(const std::string& path, const Schema& schema, JsonReadOptions options = {}) {
  ReadResult result;
  result.status = ReadJsonFile(
      path, schema, options,
      [&](std::shared_ptr<arrow::RecordBatch> batch) {
        EXPECT_TRUE(batch->ValidateFull().ok()) << batch->ValidateFull().ToString();
        result.batches.push_back(std::move(batch));
        return Status::OK();
      },
      &result.counts);
  return result;
}

// The single batch of a successful read.
std::shared_ptr<arrow::RecordBatch> ReadOne(const std::string& path, const Schema& schema,
                                            JsonReadOptions options = {}) {
  ReadResult result = Read(path, schema, options);
  EXPECT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.batches.size(), 1u);
  return result.batches.empty() ? nullptr : result.batches[0];
}

template <typename ArrayType>
std::shared_ptr<ArrayType> Col(const std::shared_ptr<arrow::RecordBatch>& batch, const std::string& name) {
  auto column = batch->GetColumnByName(name);
  EXPECT_NE(column, nullptr) << name;
  return std::static_pointer_cast<ArrayType>(column);
}

Schema Fields(std::vector<Field> fields) { return Schema{std::move(fields)}; }

TEST(JsonReader, ReadsEveryScalarColumnType) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"s":"hi","l":9007199254740993,"i":-5,"sh":300,"b":-7,"d":1.5,"f":2.25,)"
                                  R"("t":true,"dt":"2016-03-20","ts":"2016-03-20 03:20:54.119","dec":"42.5",)"
                                  R"("bin":"aGVsbG8="})"
                                  "\n");
  Schema schema = Fields({{"s", DataType::String()},
                          {"l", DataType::Long()},
                          {"i", DataType::Integer()},
                          {"sh", DataType::Short()},
                          {"b", DataType::Byte()},
                          {"d", DataType::Double()},
                          {"f", DataType::Float()},
                          {"t", DataType::Boolean()},
                          {"dt", DataType::Date()},
                          {"ts", DataType::Timestamp()},
                          {"dec", DataType::Decimal(10, 2)},
                          {"bin", DataType::Binary()}});
  auto batch = ReadOne(path, schema);
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(Col<arrow::StringArray>(batch, "s")->GetView(0), "hi");
  EXPECT_EQ(Col<arrow::Int64Array>(batch, "l")->Value(0), 9007199254740993LL);
  EXPECT_EQ(Col<arrow::Int32Array>(batch, "i")->Value(0), -5);
  EXPECT_EQ(Col<arrow::Int16Array>(batch, "sh")->Value(0), 300);
  EXPECT_EQ(Col<arrow::Int8Array>(batch, "b")->Value(0), -7);
  EXPECT_DOUBLE_EQ(Col<arrow::DoubleArray>(batch, "d")->Value(0), 1.5);
  EXPECT_FLOAT_EQ(Col<arrow::FloatArray>(batch, "f")->Value(0), 2.25f);
  EXPECT_TRUE(Col<arrow::BooleanArray>(batch, "t")->Value(0));
  EXPECT_EQ(Col<arrow::Date32Array>(batch, "dt")->Value(0), formats::DaysFromCivil(2016, 3, 20));
  EXPECT_EQ(Col<arrow::TimestampArray>(batch, "ts")->Value(0),
            formats::DaysFromCivil(2016, 3, 20) * 86400000000LL + (3 * 3600 + 20 * 60 + 54) * 1000000LL + 119000);
  EXPECT_EQ(Col<arrow::Decimal128Array>(batch, "dec")->FormatValue(0), "42.50");
  EXPECT_EQ(Col<arrow::BinaryArray>(batch, "bin")->GetView(0), "hello");
  EXPECT_EQ(batch->schema()->field(9)->type()->ToString(), "timestamp[us, tz=UTC]");
}

TEST(JsonReader, StringColumnsKeepScalarTextAndRawJson) {
  TempDir dir;
  auto path = dir.Write(
      "a.json", R"({"a":42.50,"b":true,"c":{"x": [1, 2]},"d":[1,"two",null],"e":-1e3,"f":"q\"\u00e9"})");
  Schema schema = Fields({{"a", DataType::String()},
                          {"b", DataType::String()},
                          {"c", DataType::String()},
                          {"d", DataType::String()},
                          {"e", DataType::String()},
                          {"f", DataType::String()}});
  auto batch = ReadOne(path, schema);
  ASSERT_NE(batch, nullptr);
  EXPECT_EQ(Col<arrow::StringArray>(batch, "a")->GetView(0), "42.50");
  EXPECT_EQ(Col<arrow::StringArray>(batch, "b")->GetView(0), "true");
  EXPECT_EQ(Col<arrow::StringArray>(batch, "c")->GetView(0), R"({"x": [1, 2]})");
  EXPECT_EQ(Col<arrow::StringArray>(batch, "d")->GetView(0), R"([1,"two",null])");
  EXPECT_EQ(Col<arrow::StringArray>(batch, "e")->GetView(0), "-1e3");
  EXPECT_EQ(Col<arrow::StringArray>(batch, "f")->GetView(0), "q\"\xC3\xA9");
}

TEST(JsonReader, MismatchesBecomeNullAndAreCounted) {
  TempDir dir;
  auto path =
      dir.Write("a.json", R"({"l":"abc","i":3000000000,"b":200,"t":"yes","d":"x","dt":"nope","ts":5.5,)"
                          R"("st":5,"arr":{"a":1},"m":[1],"dec":"12345.678","l2":1.5,"ok":7})"
                          "\n");
  Schema schema = Fields({{"l", DataType::Long()},
                          {"i", DataType::Integer()},
                          {"b", DataType::Byte()},
                          {"t", DataType::Boolean()},
                          {"d", DataType::Double()},
                          {"dt", DataType::Date()},
                          {"ts", DataType::Timestamp()},
                          {"st", DataType::Struct({{"a", DataType::Long()}})},
                          {"arr", DataType::Array(DataType::Long())},
                          {"m", DataType::Map(DataType::String(), DataType::Long())},
                          {"dec", DataType::Decimal(5, 2)},
                          {"l2", DataType::Long()},
                          {"ok", DataType::Long()}});
  ReadResult result = Read(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  auto batch = result.batches[0];
  for (int i = 0; i < 12; ++i) EXPECT_TRUE(batch->column(i)->IsNull(0)) << schema.fields[i].name;
  EXPECT_EQ(Col<arrow::Int64Array>(batch, "ok")->Value(0), 7);
  EXPECT_EQ(result.counts.type_mismatches, 12);
}

TEST(JsonReader, JsonNullIsNullNotAMismatch) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"l":null,"s":null,"st":null,"arr":[1,null]})");
  Schema schema = Fields({{"l", DataType::Long()},
                          {"s", DataType::String()},
                          {"st", DataType::Struct({{"a", DataType::Long()}})},
                          {"arr", DataType::Array(DataType::Long())}});
  ReadResult result = Read(path, schema);
  ASSERT_TRUE(result.status.ok());
  auto batch = result.batches.at(0);
  EXPECT_TRUE(batch->column(0)->IsNull(0));
  EXPECT_TRUE(batch->column(1)->IsNull(0));
  EXPECT_TRUE(batch->column(2)->IsNull(0));
  auto list = Col<arrow::ListArray>(batch, "arr");
  auto values = std::static_pointer_cast<arrow::Int64Array>(list->value_slice(0));
  ASSERT_EQ(values->length(), 2);
  EXPECT_EQ(values->Value(0), 1);
  EXPECT_TRUE(values->IsNull(1));
  EXPECT_EQ(result.counts.type_mismatches, 0);
}

TEST(JsonReader, ReadsNestedStructsArraysAndMaps) {
  TempDir dir;
  auto path =
      dir.Write("a.json", R"({"device":{"id":62,"coordinates":{"latitude":38.5,"longitude":-97}},)"
                          R"("readings":[{"t":1,"v":"a"},{"v":"b"}],"tags":{"x":1,"y":2},"ids":[[1,2],[]]})"
                          "\n"
                          R"({"device":{"coordinates":null},"readings":[],"tags":{}})"
                          "\n");
  auto coords = DataType::Struct({{"latitude", DataType::Double()}, {"longitude", DataType::Long()}});
  Schema schema = Fields(
      {{"device", DataType::Struct({{"id", DataType::Long()}, {"coordinates", coords}})},
       {"readings", DataType::Array(DataType::Struct({{"t", DataType::Long()}, {"v", DataType::String()}}))},
       {"tags", DataType::Map(DataType::String(), DataType::Long())},
       {"ids", DataType::Array(DataType::Array(DataType::Long()))}});
  auto batch = ReadOne(path, schema);
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->num_rows(), 2);

  auto device = Col<arrow::StructArray>(batch, "device");
  auto id = std::static_pointer_cast<arrow::Int64Array>(device->GetFieldByName("id"));
  auto coord = std::static_pointer_cast<arrow::StructArray>(device->GetFieldByName("coordinates"));
  auto lat = std::static_pointer_cast<arrow::DoubleArray>(coord->GetFieldByName("latitude"));
  auto lon = std::static_pointer_cast<arrow::Int64Array>(coord->GetFieldByName("longitude"));
  EXPECT_EQ(id->Value(0), 62);
  EXPECT_DOUBLE_EQ(lat->Value(0), 38.5);
  EXPECT_EQ(lon->Value(0), -97);
  EXPECT_TRUE(id->IsNull(1));
  EXPECT_TRUE(coord->IsNull(1));

  auto readings = Col<arrow::ListArray>(batch, "readings");
  EXPECT_EQ(readings->value_length(0), 2);
  EXPECT_EQ(readings->value_length(1), 0);
  auto reading = std::static_pointer_cast<arrow::StructArray>(readings->values());
  auto t = std::static_pointer_cast<arrow::Int64Array>(reading->GetFieldByName("t"));
  auto v = std::static_pointer_cast<arrow::StringArray>(reading->GetFieldByName("v"));
  EXPECT_EQ(t->Value(0), 1);
  EXPECT_TRUE(t->IsNull(1));
  EXPECT_EQ(v->GetView(1), "b");

  auto tags = Col<arrow::MapArray>(batch, "tags");
  EXPECT_EQ(tags->value_length(0), 2);
  EXPECT_EQ(tags->value_length(1), 0);
  auto keys = std::static_pointer_cast<arrow::StringArray>(tags->keys());
  auto items = std::static_pointer_cast<arrow::Int64Array>(tags->items());
  EXPECT_EQ(keys->GetView(1), "y");
  EXPECT_EQ(items->Value(1), 2);

  auto ids = Col<arrow::ListArray>(batch, "ids");
  EXPECT_EQ(ids->value_length(0), 2);
  EXPECT_TRUE(ids->IsNull(1));
  auto inner = std::static_pointer_cast<arrow::ListArray>(ids->values());
  EXPECT_EQ(inner->value_length(0), 2);
  EXPECT_EQ(inner->value_length(1), 0);
}

TEST(JsonReader, MissingFieldsAreNullUnknownFieldsIgnoredLastDuplicateWins) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"zzz":{"deep":[1,2,{"x":3}]},"a":1,"a":2,"b":"x"})"
                                  "\n"
                                  R"({"b":"y","extra":true})"
                                  "\n"
                                  R"({"b\u0062":"escaped key","a":5})"
                                  "\n");
  Schema schema = Fields({{"a", DataType::Long()}, {"b", DataType::String()}, {"bb", DataType::String()}});
  ReadResult result = Read(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto batch = result.batches.at(0);
  auto a = Col<arrow::Int64Array>(batch, "a");
  auto b = Col<arrow::StringArray>(batch, "b");
  auto bb = Col<arrow::StringArray>(batch, "bb");
  EXPECT_EQ(a->Value(0), 2);
  EXPECT_TRUE(a->IsNull(1));
  EXPECT_EQ(a->Value(2), 5);
  EXPECT_EQ(b->GetView(1), "y");
  EXPECT_TRUE(b->IsNull(2));
  EXPECT_EQ(bb->GetView(2), "escaped key");
  EXPECT_EQ(result.counts.type_mismatches, 0);
}

TEST(JsonReader, HandlesBomCrlfBlankLinesAndMissingTrailingNewline) {
  TempDir dir;
  const std::string content = "\xEF\xBB\xBF{\"a\":1}\r\n\r\n   \n{\"a\":2}\r\n\n{\"a\":3}";
  auto path = dir.Write("a.json", content);
  ReadResult result = Read(path, Fields({{"a", DataType::Long()}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto a = Col<arrow::Int64Array>(result.batches.at(0), "a");
  ASSERT_EQ(a->length(), 3);
  EXPECT_EQ(a->Value(0), 1);
  EXPECT_EQ(a->Value(1), 2);
  EXPECT_EQ(a->Value(2), 3);
  EXPECT_EQ(result.counts.records, 3);
  EXPECT_EQ(result.counts.bytes, static_cast<int64_t>(content.size()));
}

TEST(JsonReader, EmptyFileEmitsNothing) {
  TempDir dir;
  ReadResult result = Read(dir.Write("a.json", "\n\n"), Fields({{"a", DataType::Long()}}));
  EXPECT_TRUE(result.status.ok());
  EXPECT_TRUE(result.batches.empty());
  EXPECT_EQ(result.counts.records, 0);
}

TEST(JsonReader, MultiLineReadsOneObject) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\n  \"a\": 1,\n  \"b\": {\"c\": \"x\"}\n}\n");
  JsonReadOptions options;
  options.multi_line = true;
  Schema schema = Fields({{"a", DataType::Long()}, {"b", DataType::Struct({{"c", DataType::String()}})}});
  auto batch = ReadOne(path, schema, options);
  ASSERT_NE(batch, nullptr);
  ASSERT_EQ(batch->num_rows(), 1);
  EXPECT_EQ(Col<arrow::Int64Array>(batch, "a")->Value(0), 1);
}

TEST(JsonReader, MultiLineReadsAnArrayOfObjectsInBatches) {
  TempDir dir;
  auto path = dir.Write("a.json", "[\n {\"a\": 1},\n {\"a\": 2},\n {\"a\": 3}\n]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.batch_rows = 2;
  ReadResult result = Read(path, Fields({{"a", DataType::Long()}}), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 2u);
  EXPECT_EQ(result.batches[0]->num_rows(), 2);
  EXPECT_EQ(Col<arrow::Int64Array>(result.batches[1], "a")->Value(0), 3);
  EXPECT_EQ(result.counts.records, 3);
}

TEST(JsonReader, MultiLineArrayElementThatIsNotAnObjectFailsWithItsLine) {
  TempDir dir;
  auto path = dir.Write("a.json", "[\n {\"a\": 1},\n 42\n]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.mode = ParseMode::kFailFast;
  ReadResult result = Read(path, Fields({{"a", DataType::Long()}}), options);
  ASSERT_TRUE(result.status.IsInvalid());
  EXPECT_NE(result.status.message().find(path + ":3 (byte 14): record is not a JSON object (found a number)"),
            std::string::npos)
      << result.status.message();
}

TEST(JsonReader, BadLineFailsWithPathAndLineAndEmitsNothingAfter) {
  TempDir dir;
  auto path = dir.Write("bad.json", "{\"a\":1}\n\n{\"a\":2}\n{\"a\": tru}\n{\"a\":4}\n");
  JsonReadOptions options;
  options.batch_rows = 1;
  options.mode = ParseMode::kFailFast;
  ReadResult result = Read(path, Fields({{"a", DataType::Long()}}), options);
  ASSERT_TRUE(result.status.IsInvalid());
  EXPECT_NE(result.status.message().find(path + ":4 (byte 17): invalid JSON: "), std::string::npos)
      << result.status.message();
  EXPECT_EQ(result.batches.size(), 2u);  // the two good records before it, nothing after
}

TEST(JsonReader, UnclosedObjectAndTrailingGarbageAndNonObjectsFail) {
  TempDir dir;
  Schema schema = Fields({{"a", DataType::Long()}});
  JsonReadOptions options;
  options.mode = ParseMode::kFailFast;
  for (std::string bad : {"{\"a\":1", "{\"a\":1} x", "{\"a\":1}{\"a\":2}", "[1,2]", "\"text\"", "12"}) {
    auto path = dir.Write("bad.json", "{\"a\":0}\n" + bad + "\n");
    ReadResult result = Read(path, schema, options);
    EXPECT_TRUE(result.status.IsInvalid()) << bad;
    EXPECT_NE(result.status.message().find(path + ":2 (byte 8): "), std::string::npos)
        << bad << " -> " << result.status.message();
  }
}

TEST(JsonReader, SplitsBatchesAtBatchRows) {
  TempDir dir;
  std::string content;
  for (int i = 0; i < 10; ++i) content += "{\"a\":" + std::to_string(i) + "}\n";
  JsonReadOptions options;
  options.batch_rows = 3;
  ReadResult result = Read(dir.Write("a.json", content), Fields({{"a", DataType::Long()}}), options);
  ASSERT_TRUE(result.status.ok());
  ASSERT_EQ(result.batches.size(), 4u);
  EXPECT_EQ(result.batches[0]->num_rows(), 3);
  EXPECT_EQ(result.batches[3]->num_rows(), 1);
  EXPECT_EQ(Col<arrow::Int64Array>(result.batches[3], "a")->Value(0), 9);
  EXPECT_EQ(Col<arrow::Int64Array>(result.batches[1], "a")->Value(2), 5);
}

TEST(JsonReader, IntegersOutOfRangeAreMismatches) {
  TempDir dir;
  auto path =
      dir.Write("a.json", R"({"i":2147483648,"l":9223372036854775808,"s":-32769,"b":127,"i2":-2147483648})");
  Schema schema = Fields({{"i", DataType::Integer()},
                          {"l", DataType::Long()},
                          {"s", DataType::Short()},
                          {"b", DataType::Byte()},
                          {"i2", DataType::Integer()}});
  ReadResult result = Read(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto batch = result.batches.at(0);
  EXPECT_TRUE(batch->column(0)->IsNull(0));
  EXPECT_TRUE(batch->column(1)->IsNull(0));
  EXPECT_TRUE(batch->column(2)->IsNull(0));
  EXPECT_EQ(Col<arrow::Int8Array>(batch, "b")->Value(0), 127);
  EXPECT_EQ(Col<arrow::Int32Array>(batch, "i2")->Value(0), -2147483648);
  EXPECT_EQ(result.counts.type_mismatches, 3);
}

TEST(JsonReader, DecimalsRoundHalfUpAndRejectWhatExceedsPrecision) {
  TempDir dir;
  auto path =
      dir.Write("a.json", "{\"d\":1.005}\n{\"d\":\"-2.5\"}\n{\"d\":12345.6}\n{\"d\":7}\n{\"d\":1.5e2}\n");
  ReadResult result = Read(path, Fields({{"d", DataType::Decimal(6, 2)}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto d = Col<arrow::Decimal128Array>(result.batches.at(0), "d");
  EXPECT_EQ(d->FormatValue(0), "1.01");
  EXPECT_EQ(d->FormatValue(1), "-2.50");
  EXPECT_TRUE(d->IsNull(2));
  EXPECT_EQ(d->FormatValue(3), "7.00");
  EXPECT_EQ(d->FormatValue(4), "150.00");
  EXPECT_EQ(result.counts.type_mismatches, 1);
}

TEST(JsonReader, TimestampsAcceptSparkFormsAndZones) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"t\":\"2016-03-20T03:20:54Z\"}\n"
                        "{\"t\":\"2016-03-20T05:20:54+02:00\"}\n"
                        "{\"t\":\"2016-03-20 03:20:54.000000\"}\n"
                        "{\"t\":1458444054}\n"
                        "{\"t\":\"2016-03-20T03:20\"}\n"
                        "{\"t\":\"2016-02-30T00:00:00\"}\n");
  ReadResult result = Read(path, Fields({{"t", DataType::Timestamp()}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto t = Col<arrow::TimestampArray>(result.batches.at(0), "t");
  const int64_t expected = 1458444054LL * 1000000;
  EXPECT_EQ(t->Value(0), expected);
  EXPECT_EQ(t->Value(1), expected);
  EXPECT_EQ(t->Value(2), expected);
  EXPECT_EQ(t->Value(3), expected);
  EXPECT_EQ(t->Value(4), expected - 54 * 1000000);
  EXPECT_TRUE(t->IsNull(5));
  EXPECT_EQ(result.counts.type_mismatches, 1);
}

TEST(JsonReader, DoublesAcceptIntegersAndNonNumericSpellings) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"d\":3}\n{\"d\":\"NaN\"}\n{\"d\":\"-Infinity\"}\n");
  ReadResult result = Read(path, Fields({{"d", DataType::Double()}}));
  ASSERT_TRUE(result.status.ok());
  auto d = Col<arrow::DoubleArray>(result.batches.at(0), "d");
  EXPECT_DOUBLE_EQ(d->Value(0), 3.0);
  EXPECT_TRUE(std::isnan(d->Value(1)));
  EXPECT_TRUE(std::isinf(d->Value(2)) && d->Value(2) < 0);
}

TEST(JsonReader, MissingFileIsAnIoError) {
  TempDir dir;
  ReadResult result = Read(dir.path() + "/nope.json", Fields({{"a", DataType::Long()}}));
  EXPECT_TRUE(result.status.IsIOError());
  EXPECT_NE(result.status.message().find("nope.json"), std::string::npos);
}

TEST(JsonReader, LinesLongerThanTheReadChunkAreWhole) {
  TempDir dir;
  std::string big(10 << 20, 'x');  // longer than the 4 MiB read chunk
  auto path = dir.Write("a.json", "{\"a\":\"" + big + "\"}\n{\"a\":\"short\"}");
  ReadResult result = Read(path, Fields({{"a", DataType::String()}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto a = Col<arrow::StringArray>(result.batches.at(0), "a");
  EXPECT_EQ(a->GetView(0).size(), big.size());
  EXPECT_EQ(a->GetView(1), "short");
}

TEST(JsonReader, EmptySchemaStillCountsRows) {
  TempDir dir;
  ReadResult result = Read(dir.Write("a.json", "{\"a\":1}\n{}\n"), Schema{});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  EXPECT_EQ(result.batches[0]->num_rows(), 2);
  EXPECT_EQ(result.batches[0]->num_columns(), 0);
}

TEST(JsonReader, ArrayElementMismatchesAreNullElements) {
  TempDir dir;
  ReadResult result = Read(dir.Write("a.json", R"({"a":[1,"x",{"k":1},3]})"),
                           Fields({{"a", DataType::Array(DataType::Long())}}));
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  auto list = Col<arrow::ListArray>(result.batches.at(0), "a");
  auto values = std::static_pointer_cast<arrow::Int64Array>(list->value_slice(0));
  ASSERT_EQ(values->length(), 4);
  EXPECT_EQ(values->Value(0), 1);
  EXPECT_TRUE(values->IsNull(1));
  EXPECT_TRUE(values->IsNull(2));
  EXPECT_EQ(values->Value(3), 3);
  EXPECT_EQ(result.counts.type_mismatches, 2);
}

}  // namespace
}  // namespace inlet::json
