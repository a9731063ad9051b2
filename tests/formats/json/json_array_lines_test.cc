// An NDJSON line holding a top-level array, read as Spark reads it: one record per element
// when every element is an object, else the whole line one malformed record.
#include <arrow/api.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::AllRowsJson;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

constexpr const char* kCorrupt = "_corrupt_record";

int64_t TotalRows(const ReadResult& result) {
  int64_t rows = 0;
  for (const auto& batch : result.batches) rows += batch->num_rows();
  return rows;
}

TEST(JsonArrayLines, EachObjectOfALineHoldingAnArrayIsARecordAndAnEmptyArrayNone) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":0}\n[{\"a\":1},{\"a\":2,\"b\":\"x\"}]\n[]\n  [ {\"a\":3} ]  \n");
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}, {"b", DataType::String()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), (std::vector<std::string>{
                                             R"({"a":0,"b":null})",
                                             R"({"a":1,"b":null})",
                                             R"({"a":2,"b":"x"})",
                                             R"({"a":3,"b":null})",
                                         }));
  EXPECT_EQ(result.counts.records, 4);
  EXPECT_EQ(result.counts.bad_records, 0);
}

TEST(JsonArrayLines, ALineWithAnythingButObjectsInItsArrayIsOneMalformedRecordWhole) {
  TempDir dir;
  const std::vector<std::string> lines = {
      R"([{"a":1},2])", R"([1,2])", R"([{"a":1},{"a":}])", R"([[{"a":1}]])", R"([{"a":1},{"a":2}] x)",
      R"([{"a":1},{"b":[1,,2]}])",
  };
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.corrupt_record_column = kCorrupt;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(dir.Write("a.json", text),
                              Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  const std::vector<std::string> rows = AllRowsJson(result.batches);
  ASSERT_EQ(rows.size(), lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    EXPECT_NE(rows[i].find(R"({"a":null,"_corrupt_record":)"), std::string::npos) << rows[i];
    EXPECT_EQ(bad[i].line, static_cast<int64_t>(i + 1));
    EXPECT_EQ(bad[i].raw, lines[i]);
  }
  EXPECT_EQ(result.counts.bad_records, static_cast<int64_t>(lines.size()));
  EXPECT_EQ(result.counts.records, static_cast<int64_t>(lines.size()));
  EXPECT_EQ(bad[0].reason, "record is an array holding a number (an array's elements must all be JSON objects)");
  EXPECT_EQ(bad[3].reason, "record is an array holding an array (an array's elements must all be JSON objects)");
}

TEST(JsonArrayLines, EachRecordOfAnArrayIsRescuedAndKeepsItsLastDuplicateOnItsOwn) {
  TempDir dir;
  auto path = dir.Write("a.json", R"([{"a":1,"a":2},{"a":"x"},{"a":3,"z":true}])"
                                  "\n");
  JsonReadOptions options;
  options.rescued_data_column = "_rescued_data";
  options.file_path = "/x/f.json";
  ReadResult result =
      ReadAll(path, Schema{{{"a", DataType::Long()}, {"_rescued_data", DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{
                R"({"a":2,"_rescued_data":"{\"a\":1,\"_file_path\":\"file:/x/f.json\"}"})",
                R"({"a":null,"_rescued_data":"{\"a\":\"x\",\"_file_path\":\"file:/x/f.json\"}"})",
                R"({"a":3,"_rescued_data":"{\"z\":true,\"_file_path\":\"file:/x/f.json\"}"})",
            }));
  EXPECT_EQ(result.counts.rescued_records, 3);
  EXPECT_EQ(result.counts.type_mismatches, 1);
}

TEST(JsonArrayLines, ANewFieldInALaterRecordOfTheArrayLeavesNoneOfItsRecordsEmitted) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":0}\n[{\"a\":1},{\"a\":2,\"n\":1}]\n{\"a\":3}\n");
  JsonReadOptions options;
  options.stop_on_new_fields = true;
  options.batch_rows = 1;
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(result.counts.new_field_line, 2);
  EXPECT_EQ(result.counts.new_field_path, (FieldPath{"n"}));
  EXPECT_EQ(TotalRows(result), 1);  // line 1 only: {"a":1} was not handed over
}

// The converter side of taking a failed array's records back: rows and counters since the
// mark are gone, those before it stay.
TEST(JsonArrayLines, RowsSinceAMarkAreTakenBackWithTheirCounts) {
  JsonReadOptions options;
  options.rescued_data_column = "_rescued_data";
  auto converter =
      RecordConverter::Make(Schema{{{"a", DataType::Long()}, {"_rescued_data", DataType::String()}}}, options, "f");
  ASSERT_TRUE(converter.ok()) << converter.status().ToString();
  simdjson::ondemand::parser parser;
  auto append = [&](const std::string& text) {
    simdjson::padded_string padded(text);
    simdjson::ondemand::document doc;
    ASSERT_EQ(parser.iterate(padded).get(doc), simdjson::SUCCESS);
    simdjson::ondemand::object object;
    ASSERT_EQ(doc.get_object().get(object), simdjson::SUCCESS);
    ASSERT_EQ((*converter)->AppendRecord(object), simdjson::SUCCESS);
  };
  append(R"({"a":"kept"})");
  const RecordConverter::RowMark mark = (*converter)->Mark();
  append(R"({"a":"x"})");
  append(R"({"a":2,"b":1})");
  ASSERT_EQ((*converter)->DiscardRecord(true), Status::OK());  // the last one, already left out
  (*converter)->DiscardSince(mark);
  EXPECT_EQ((*converter)->type_mismatches(), 1);
  EXPECT_EQ((*converter)->rescued_records(), 1);
  auto batch = (*converter)->Flush();
  ASSERT_TRUE(batch.ok()) << batch.status().ToString();
  EXPECT_EQ((*batch)->num_rows(), 1);
  EXPECT_EQ(AllRowsJson({*batch}), (std::vector<std::string>{
                                       R"({"a":null,"_rescued_data":"{\"a\":\"kept\",\"_file_path\":\"f\"}"})",
                                   }));
}

}  // namespace
}  // namespace inlet::json
