// Duplicate keys as Spark reads them: the last occurrence wins, in NDJSON and multiLine
// files, at every level, with the earlier ones rescued when there is a rescued column.
#include "inlet/formats/json/json_duplicates.h"

#include <arrow/api.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

// FindOverriddenKeys over `text`, as offsets of the keys' first byte after the quote.
std::vector<size_t> OverriddenOffsets(const std::string& text) {
  simdjson::padded_string padded(text);
  simdjson::ondemand::parser parser;
  std::vector<const char*> keys;
  EXPECT_EQ(FindOverriddenKeys(parser, padded.data(), padded.size(), padded.size() + simdjson::SIMDJSON_PADDING, &keys),
            simdjson::SUCCESS);
  std::vector<size_t> offsets;
  for (const char* key : keys) offsets.push_back(static_cast<size_t>(key - padded.data()));
  return offsets;
}

std::vector<int64_t> Longs(const ReadResult& result, const std::string& name) {
  std::vector<int64_t> values;
  for (const auto& batch : result.batches) {
    auto column = std::static_pointer_cast<arrow::Int64Array>(batch->GetColumnByName(name));
    for (int64_t i = 0; i < column->length(); ++i) values.push_back(column->IsNull(i) ? -1 : column->Value(i));
  }
  return values;
}

Schema Ids() { return Schema{{{"a", DataType::Long()}}}; }

TEST(FindOverriddenKeys, NamesEveryEarlierOccurrenceAtEveryLevel) {
  const std::string text = R"({"a":1,"b":{"x":1,"x":2,"x":3},"a":3,"c":[{"y":1,"y":2}],"\u0061":4})";
  // The first and second "x", the first "y", and the first two spellings of "a".
  EXPECT_EQ(OverriddenOffsets(text),
            (std::vector<size_t>{2, 13, 19, 32, 44}));
  EXPECT_TRUE(OverriddenOffsets(R"({"a":1,"b":{"a":2},"c":[{"a":3},{"a":4}]})").empty());
}

TEST(DuplicateKeys, TheLastOccurrenceWinsInNdjsonAtEveryLevel) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"a":1,"a":2})" "\n"
                                  R"({"s":{"x":1,"x":{"y":5}},"a":7})" "\n"
                                  R"({"t":[{"x":1,"x":2},{"x":3}],"a":8,"a":null})" "\n"
                                  R"({"a":9})" "\n");
  auto inner = DataType::Struct({{"y", DataType::Long()}});
  Schema schema{{{"a", DataType::Long()},
                 {"s", DataType::Struct({{"x", inner}})},
                 {"t", DataType::Array(DataType::Struct({{"x", DataType::Long()}}))}}};
  ReadResult result = ReadAll(path, schema);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{2, 7, -1, 9}));
  EXPECT_EQ(result.counts.records, 4);
  EXPECT_EQ(result.counts.bad_records, 0);
  auto batch = result.batches.at(0);
  auto s = std::static_pointer_cast<arrow::StructArray>(batch->GetColumnByName("s"));
  auto x = std::static_pointer_cast<arrow::StructArray>(s->field(0));
  EXPECT_EQ(std::static_pointer_cast<arrow::Int64Array>(x->field(0))->Value(1), 5);
  auto t = std::static_pointer_cast<arrow::ListArray>(batch->GetColumnByName("t"));
  auto elements = std::static_pointer_cast<arrow::StructArray>(t->values());
  auto tx = std::static_pointer_cast<arrow::Int64Array>(elements->field(0));
  ASSERT_EQ(tx->length(), 2);
  EXPECT_EQ(tx->Value(0), 2);
  EXPECT_EQ(tx->Value(1), 3);
}

TEST(DuplicateKeys, ASyntaxErrorAfterADuplicateIsStillMalformed) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"a":1,"a":2,"u":[1,,2]})" "\n" R"({"a":3})" "\n");
  std::vector<int64_t> bad_lines;
  JsonReadOptions options;
  options.bad_record_sink = [&](const BadRecord& bad) {
    bad_lines.push_back(bad.line);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Ids(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(bad_lines, (std::vector<int64_t>{1}));
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{-1, 3}));
}

TEST(DuplicateKeys, LenientRecordsKeepTheLastOccurrenceToo) {
  TempDir dir;
  auto path = dir.Write("a.json", "{'a':1,'a':2}\n");
  ReadResult result = ReadAll(path, Ids());
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{2}));
}

TEST(DuplicateKeys, TwoSpellingsOfOneColumnWithoutCaseSensitivityEndTheRetry) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"a":1,"A":2,"a":3})" "\n");
  JsonReadOptions options;
  options.case_sensitive = false;
  ReadResult result = ReadAll(path, Ids(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  // The exact duplicate "a" is overridden; of the two spellings left the first is kept.
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{2}));
}

TEST(DuplicateKeys, MultiLineObjectKeepsTheLastOccurrence) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\n  \"a\": 1,\n  \"a\": 2\n}\n");
  JsonReadOptions options;
  options.multi_line = true;
  ReadResult result = ReadAll(path, Ids(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{2}));
}

TEST(DuplicateKeys, MultiLineArrayReadsOnPastADuplicateWithLinesIntact) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":1},\n{\"a\":2,\"a\":3},\n{\"a\":4,\"a\":5},\n7,\n{\"a\":6}]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.batch_rows = 2;  // batches emitted before the duplicate stay as they are
  std::vector<int64_t> bad_lines;
  options.bad_record_sink = [&](const BadRecord& bad) {
    bad_lines.push_back(bad.line);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Ids(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(Longs(result, "a"), (std::vector<int64_t>{1, 3, 5, -1, 6}));
  EXPECT_EQ(bad_lines, (std::vector<int64_t>{4}));
  EXPECT_EQ(result.counts.records, 5);
}

}  // namespace
}  // namespace inlet::json
