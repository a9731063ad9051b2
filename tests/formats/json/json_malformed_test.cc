// ReadJsonFile's malformed records: PERMISSIVE rows (nested schemas failing mid-value, good
// rows after them intact), DROPMALFORMED across batches, FAILFAST, the corrupt record
// column, the bad-record sink and the counts.
#include <arrow/api.h>
#include <gtest/gtest.h>

#include <set>

#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::AllRowsJson;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

constexpr const char* kCorrupt = "_corrupt_record";

// struct inside array inside struct, a map of structs, a map of longs.
Schema NestedSchema() {
  auto item = DataType::Struct({{"k", DataType::Long()}, {"tags", DataType::Array(DataType::String())}});
  auto s = DataType::Struct({{"name", DataType::String()},
                             {"items", DataType::Array(item)},
                             {"m", DataType::Map(DataType::String(), DataType::Struct({{"x", DataType::Long()}}))}});
  return Schema{{{"id", DataType::Long()},
                 {"s", s},
                 {"m2", DataType::Map(DataType::String(), DataType::Long())},
                 {"tail", DataType::String()},
                 {kCorrupt, DataType::String()}}};
}

// Good records 1, 3, 6, 9; the others fail deep inside nested values, or are not records.
const std::vector<std::string> kNestedLines = {
    R"({"id":1,"s":{"name":"a","items":[{"k":1,"tags":["x","y"]},{"k":2,"tags":[]}],"m":{"p":{"x":5}}},"m2":{"a":1},"tail":"t1"})",
    R"({"id":2,"s":{"name":"b","items":[{"k":3,"tags":["z", tru]}]},"tail":"t2"})",
    R"({"id":3,"s":{"name":"c","items":[{"k":4,"tags":["w"]}],"m":{}},"m2":{},"tail":"t3"})",
    R"({"id":4,"m2":{"a":1,"b":nul},"s":{"m":{"q":{"x":1}}}})",
    R"({"id":5,"s":{"name":"e","m":{"q":{"x":fals}}},"tail":"t5"})",
    R"({"id":6,"s":null,"tail":"t6"})",
    R"([1,2])",
    R"({"id":8,"tail":"t8"} x)",
    R"({"id":9,"s":{"items":[{"k":9}]}})",
};

const std::vector<std::string> kGoodRows = {
    R"({"id":1,"s":{"name":"a","items":[{"k":1,"tags":["x","y"]},{"k":2,"tags":[]}],"m":{"p":{"x":5}}},"m2":{"a":1},"tail":"t1","_corrupt_record":null})",
    R"({"id":3,"s":{"name":"c","items":[{"k":4,"tags":["w"]}],"m":{}},"m2":{},"tail":"t3","_corrupt_record":null})",
    R"({"id":6,"s":null,"m2":null,"tail":"t6","_corrupt_record":null})",
    R"({"id":9,"s":{"name":null,"items":[{"k":9,"tags":null}],"m":null},"m2":null,"tail":null,"_corrupt_record":null})",
};

std::string Lines(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

std::string BadRow(const std::string& raw) {
  std::string escaped;
  for (char c : raw) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"id":null,"s":null,"m2":null,"tail":null,"_corrupt_record":")" + escaped + "\"}";
}

TEST(MalformedPermissive, NestedFailuresBecomeNullRowsWithRawTextAndGoodRowsStayIntact) {
  TempDir dir;
  auto path = dir.Write("a.json", Lines(kNestedLines));
  JsonReadOptions options;
  options.corrupt_record_column = kCorrupt;
  ReadResult result = ReadAll(path, NestedSchema(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  const std::vector<std::string> expected = {
      kGoodRows[0],           BadRow(kNestedLines[1]), kGoodRows[1],
      BadRow(kNestedLines[3]), BadRow(kNestedLines[4]), kGoodRows[2],
      BadRow(kNestedLines[6]), BadRow(kNestedLines[7]), kGoodRows[3],
  };
  EXPECT_EQ(AllRowsJson(result.batches), expected);
  EXPECT_EQ(result.counts.records, 9);
  EXPECT_EQ(result.counts.bad_records, 5);
  EXPECT_EQ(result.counts.rows, 9);
  EXPECT_EQ(result.counts.type_mismatches, 0);  // `fals` is no mismatch: its record is malformed
}

// Any one-byte corruption of a nested record, wherever it lands: valid batches, the good
// rows around it exact, and the record either read or one all-null row with its text.
TEST(MalformedPermissive, RandomCorruptionsOfNestedRecordsKeepTheRowsAroundThemExact) {
  TempDir dir;
  const std::string good = kNestedLines[0];
  const std::string replacements = "{}[]\",:tfn0 x\\\xff";
  uint64_t state = 42;
  auto next = [&state](uint64_t bound) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % bound;
  };
  for (int trial = 0; trial < 300; ++trial) {
    std::string mutated = good;
    const size_t at = next(mutated.size());
    if (trial % 10 == 0) {
      mutated.resize(std::max<size_t>(at, 1));  // truncated
    } else {
      mutated[at] = replacements[next(replacements.size())];
    }
    for (ParseMode mode : {ParseMode::kPermissive, ParseMode::kDropMalformed}) {
      JsonReadOptions options;
      options.mode = mode;
      options.corrupt_record_column = kCorrupt;
      options.batch_rows = 2;
      ReadResult result = ReadAll(dir.Write("a.json", good + "\n" + mutated + "\n" + kNestedLines[2] + "\n"),
                                  NestedSchema(), options);
      ASSERT_TRUE(result.status.ok()) << mutated << ": " << result.status.ToString();
      const std::vector<std::string> rows = AllRowsJson(result.batches);
      const bool bad = result.counts.bad_records == 1;
      ASSERT_EQ(rows.size(), mode == ParseMode::kDropMalformed && bad ? 2u : 3u) << mutated;
      EXPECT_EQ(rows.front(), kGoodRows[0]) << mutated;
      EXPECT_EQ(rows.back(), kGoodRows[1]) << mutated;
      if (bad && mode == ParseMode::kPermissive) {
        EXPECT_EQ(rows[1].find(R"({"id":null,"s":null,"m2":null,"tail":null,"_corrupt_record":")"), 0u) << mutated;
      }
    }
  }
}

TEST(MalformedPermissive, WithoutCorruptColumnBadRowsAreAllNull) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1,\"b\":\"x\"}\n{\"a\":2,\"b\":}\n{\"a\":3,\"b\":\"z\"}\n");
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}, {"b", DataType::String()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"a":1,"b":"x"})", R"({"a":null,"b":null})", R"({"a":3,"b":"z"})"}));
  EXPECT_EQ(result.counts.bad_records, 1);
  EXPECT_EQ(result.counts.records, 3);
}

TEST(MalformedPermissive, StringsAreReadWithTheirEscapesAndAStringBeforeAColonIsMalformed) {
  // Strings without escapes are taken from the document in place; the reader must still
  // see what follows them, and strings with escapes must still be unescaped and checked.
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"a\":1,\"b\":\"plain\"}\n"
                        "{\"a\":2,\"b\":\"x\":1}\n"
                        "{\"a\":3,\"b\":\"q\\\"uote\\\\ tab\\t\\u00e9\"}\n"
                        "{\"a\":4,\"b\":\"bad \\x escape\"}\n"
                        "{\"a\":5,\"b\":\"" + std::string(40, 'l') + "\" }\n");
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}, {"b", DataType::String()}}});
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"a":1,"b":"plain"})", R"({"a":null,"b":null})",
                                      "{\"a\":3,\"b\":\"q\\\"uote\\\\ tab\t\u00e9\"}",
                                      R"({"a":null,"b":null})",
                                      R"({"a":5,"b":")" + std::string(40, 'l') + R"("})"}));
  EXPECT_EQ(result.counts.bad_records, 2);
}

TEST(MalformedDropMalformed, NestedFailuresLeaveOnlyTheGoodRowsIntact) {
  TempDir dir;
  auto path = dir.Write("a.json", Lines(kNestedLines));
  JsonReadOptions options;
  options.mode = ParseMode::kDropMalformed;
  options.corrupt_record_column = kCorrupt;
  ReadResult result = ReadAll(path, NestedSchema(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), kGoodRows);
  EXPECT_EQ(result.counts.records, 9);
  EXPECT_EQ(result.counts.bad_records, 5);
  EXPECT_EQ(result.counts.rows, 4);
}

// batch_rows 3 over 13 records: bad ones first (0), in the middle (4) and last (8) of a
// batch, and 9..11 a whole batch of them, so that batch is never emitted.
TEST(MalformedDropMalformed, FailuresFirstMiddleLastAndAcrossBatchBoundaries) {
  TempDir dir;
  const std::set<int> bad = {0, 4, 8, 9, 10, 11};
  std::string text;
  std::vector<std::string> expected;
  for (int i = 0; i < 13; ++i) {
    if (bad.count(i)) {
      text += "{\"n\":" + std::to_string(i) + ",\"v\":[1,}\n";
    } else {
      text += "{\"n\":" + std::to_string(i) + ",\"v\":[" + std::to_string(i) + "]}\n";
      expected.push_back("{\"n\":" + std::to_string(i) + ",\"v\":[" + std::to_string(i) + "]}");
    }
  }
  JsonReadOptions options;
  options.mode = ParseMode::kDropMalformed;
  options.batch_rows = 3;
  ReadResult result =
      ReadAll(dir.Write("a.json", text), Schema{{{"n", DataType::Long()}, {"v", DataType::Array(DataType::Long())}}},
              options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), expected);
  std::vector<int64_t> sizes;
  for (const auto& batch : result.batches) sizes.push_back(batch->num_rows());
  EXPECT_EQ(sizes, (std::vector<int64_t>{2, 2, 2, 1}));
  EXPECT_EQ(result.counts.rows, 7);
  EXPECT_EQ(result.counts.bad_records, 6);
  EXPECT_EQ(result.counts.records, 13);
}

TEST(MalformedDropMalformed, FileOfOnlyBadRecordsEmitsNoBatch) {
  TempDir dir;
  JsonReadOptions options;
  options.mode = ParseMode::kDropMalformed;
  ReadResult result = ReadAll(dir.Write("a.json", "{\n[1]\n\"x\"\n"), Schema{{{"a", DataType::Long()}}}, options);
  ASSERT_TRUE(result.status.ok());
  EXPECT_TRUE(result.batches.empty());
  EXPECT_EQ(result.counts.bad_records, 3);
  EXPECT_EQ(result.counts.rows, 0);
}

TEST(MalformedFailFast, FailsNamingPathLineAndByteOffsetAfterEarlierBatches) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"a\":2}\n{\"a\":[}\n{\"a\":4}\n");
  JsonReadOptions options;
  options.mode = ParseMode::kFailFast;
  options.batch_rows = 1;
  int sunk = 0;
  options.bad_record_sink = [&](const BadRecord&) {
    ++sunk;
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}}}, options);
  ASSERT_TRUE(result.status.IsInvalid());
  EXPECT_EQ(result.status.message().find(path + ":3 (byte 16): invalid JSON: "), 0u) << result.status.message();
  EXPECT_EQ(result.batches.size(), 2u);
  EXPECT_EQ(sunk, 0);
  EXPECT_EQ(result.counts.bad_records, 0);
}

TEST(MalformedRecords, ReasonsNameWhatIsWrong) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"a\":1", "invalid JSON: "},
      {"[1]", "record is an array holding a number (an array's elements must all be JSON objects)"},
      {"[{\"a\":1},null]", "record is an array holding null"},
      {"[{\"a\":1},{\"a\":}]", "invalid JSON: "},
      {"\"s\"", "record is not a JSON object (found a string)"},
      {"{\"a\":1} 2", "unexpected content after the record's object"},
      {"{\"a\":\"\xff\"}", "invalid UTF-8"},
      {std::string(300, '[') + std::string(300, ']'), "nesting deeper than 256 levels (inlet.maxNestingDepth)"},
  };
  for (const auto& [line, reason] : cases) {
    std::vector<BadRecord> bad;
    JsonReadOptions options;
    options.bad_record_sink = [&](const BadRecord& record) {
      bad.push_back(record);
      return Status::OK();
    };
    ReadResult result = ReadAll(dir.Write("a.json", "{\"a\":0}\n" + line + "\n"), Schema{{{"a", DataType::Long()}}},
                                options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    ASSERT_EQ(bad.size(), 1u) << line;
    EXPECT_EQ(bad[0].reason.find(reason), 0u) << line.substr(0, 20) << " -> " << bad[0].reason;
  }
}

TEST(MalformedRecords, SinkGetsFilePathLineOffsetReasonAndCappedRawText) {
  TempDir dir;
  const std::string long_bad = "{\"a\":\"" + std::string(100, 'x') + "\",";
  auto path = dir.Write("a.json", "{\"a\":\"ok\"}\r\n\r\n" + long_bad + "\r\n{\"a\":}\n");
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.file_path = "s3://bucket/a.json";
  options.bad_record_text_bytes = 20;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok());
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].file_path, "s3://bucket/a.json");
  EXPECT_EQ(bad[0].line, 3);
  EXPECT_EQ(bad[0].byte_offset, 14);
  EXPECT_EQ(bad[0].raw, long_bad.substr(0, 20));
  EXPECT_TRUE(bad[0].raw_truncated);
  EXPECT_EQ(bad[1].line, 4);
  EXPECT_EQ(bad[1].byte_offset, static_cast<int64_t>(14 + long_bad.size() + 2));
  EXPECT_EQ(bad[1].raw, "{\"a\":}");
  EXPECT_FALSE(bad[1].raw_truncated);
  EXPECT_EQ(bad[1].reason.find("invalid JSON: "), 0u);
}

TEST(MalformedRecords, CappedTextsAreCutBetweenUtf8CharactersNeverInside) {
  // Found by fuzz/fuzz_json_read: a cap falling inside a two-byte character left a lone
  // lead byte, which Arrow refused as a string column and no JSON reader accepts.
  TempDir dir;
  std::string bad_line = "{\"a\": ";
  for (int i = 0; i < 40; ++i) bad_line += "\xC3\xA9";  // é: two bytes each
  auto path = dir.Write("a.json", bad_line + "\n{\"a\":\"ok\"}\n");
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.corrupt_record_column = kCorrupt;
  options.max_record_bytes = 65;  // the line is longer: oversized, its text cut inside an é
  options.bad_record_text_bytes = 11;  // inside the third é
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::String()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].raw, "{\"a\": \xC3\xA9\xC3\xA9");
  EXPECT_TRUE(bad[0].raw_truncated);
  const std::vector<std::string> rows = AllRowsJson(result.batches);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1], R"({"a":"ok","_corrupt_record":null})");
  // The corrupt column holds the record's first max_record_bytes, cut between characters.
  EXPECT_NE(rows[0].find("\xC3\xA9\"}"), std::string::npos) << rows[0];
  for (const auto& batch : result.batches) {
    EXPECT_TRUE(batch->ValidateFull().ok()) << batch->ValidateFull().ToString();
  }
}

TEST(MalformedRecords, SinkErrorStopsTheRead) {
  TempDir dir;
  JsonReadOptions options;
  options.bad_record_sink = [](const BadRecord&) { return Status::IOError("disk full"); };
  ReadResult result = ReadAll(dir.Write("a.json", "{\"a\":1}\n{\n{\"a\":3}\n"), Schema{{{"a", DataType::Long()}}},
                              options);
  EXPECT_TRUE(result.status.IsIOError());
  EXPECT_TRUE(result.batches.empty());
  // A sink's failure is no damage to the file: ignoreCorruptFiles must not skip past it.
  EXPECT_FALSE(result.counts.source_unreadable);
}

TEST(MalformedRecords, CorruptColumnMustBeATopLevelStringColumnAndIsNeverFedByJson) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1,\"_corrupt_record\":\"from json\"}\n");
  JsonReadOptions options;
  options.corrupt_record_column = kCorrupt;
  EXPECT_TRUE(ReadAll(path, Schema{{{"a", DataType::Long()}}}, options).status.IsInvalid());
  ReadResult not_string = ReadAll(path, Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::Long()}}}, options);
  EXPECT_TRUE(not_string.status.IsInvalid());
  EXPECT_NE(not_string.status.message().find("must be a string column"), std::string::npos);
  options.rescued_data_column = kCorrupt;
  EXPECT_TRUE(ReadAll(path, Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options)
                  .status.IsInvalid());
  options.rescued_data_column.clear();
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok());
  EXPECT_EQ(AllRowsJson(result.batches), std::vector<std::string>{R"({"a":1,"_corrupt_record":null})"});
}

TEST(MalformedRecords, RescuedColumnIsNullAndUncountedForABadRecord) {
  TempDir dir;
  // Line 2 rescues "x" and then fails; line 3 rescues and has trailing content; line 4 is
  // rescued and good.
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"x\":1,\"a\":\"s\",\"b\":}\n{\"a\":\"s\"} []\n{\"a\":\"t\"}\n");
  JsonReadOptions options;
  options.rescued_data_column = "_rescued_data";
  options.corrupt_record_column = kCorrupt;
  options.file_path = "f.json";
  ReadResult result = ReadAll(
      path, Schema{{{"a", DataType::Long()}, {"_rescued_data", DataType::String()}, {kCorrupt, DataType::String()}}},
      options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{
                R"({"a":1,"_rescued_data":null,"_corrupt_record":null})",
                R"({"a":null,"_rescued_data":null,"_corrupt_record":"{\"x\":1,\"a\":\"s\",\"b\":}"})",
                R"({"a":null,"_rescued_data":null,"_corrupt_record":"{\"a\":\"s\"} []"})",
                R"({"a":null,"_rescued_data":"{\"a\":\"t\",\"_file_path\":\"f.json\"}","_corrupt_record":null})",
            }));
  EXPECT_EQ(result.counts.rescued_records, 1);
  EXPECT_EQ(result.counts.type_mismatches, 1);
  EXPECT_EQ(result.counts.bad_records, 2);
  EXPECT_EQ(result.counts.records, 4);
}

TEST(MalformedRecords, EmptySchemaCountsRowsOfBothModes) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1}\n{\n{}\n");
  ReadResult kept = ReadAll(path, Schema{});
  ASSERT_TRUE(kept.status.ok());
  EXPECT_EQ(kept.counts.rows, 3);
  JsonReadOptions options;
  options.mode = ParseMode::kDropMalformed;
  ReadResult dropped = ReadAll(path, Schema{}, options);
  ASSERT_TRUE(dropped.status.ok());
  ASSERT_EQ(dropped.batches.size(), 1u);
  EXPECT_EQ(dropped.batches[0]->num_rows(), 2);
}

TEST(MalformedMultiLine, ElementThatIsNotAnObjectIsOneBadRecordAndTheArrayGoesOn) {
  TempDir dir;
  auto path = dir.Write("a.json", "[\n {\"a\": 1},\n 42,\n [1, 2],\n {\"a\": 4}\n]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.corrupt_record_column = kCorrupt;
  std::vector<BadRecord> bad;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), (std::vector<std::string>{
                                             R"({"a":1,"_corrupt_record":null})",
                                             R"({"a":null,"_corrupt_record":"42"})",
                                             R"({"a":null,"_corrupt_record":"[1, 2]"})",
                                             R"({"a":4,"_corrupt_record":null})",
                                         }));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].line, 3);
  EXPECT_EQ(bad[0].byte_offset, 14);
  EXPECT_EQ(bad[1].reason, "record is not a JSON object (found an array)");
}

TEST(MalformedMultiLine, JsonErrorMakesTheRestOfTheFileOneBadRecord) {
  TempDir dir;
  auto path = dir.Write("a.json", "[\n {\"a\": 1, \"m\": {\"k\": 1}},\n {\"a\": 2, \"m\": {\"k\": tru}},\n {\"a\": 3}\n]\n");
  JsonReadOptions options;
  options.multi_line = true;
  options.corrupt_record_column = kCorrupt;
  ReadResult result = ReadAll(
      path,
      Schema{{{"a", DataType::Long()}, {"m", DataType::Map(DataType::String(), DataType::Long())}, {kCorrupt, DataType::String()}}},
      options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{
                R"({"a":1,"m":{"k":1},"_corrupt_record":null})",
                "{\"a\":null,\"m\":null,\"_corrupt_record\":\"{\\\"a\\\": 2, \\\"m\\\": {\\\"k\\\": tru}},\n {\\\"a\\\": 3}\n]\"}",
            }));
  EXPECT_EQ(result.counts.records, 2);
  EXPECT_EQ(result.counts.bad_records, 1);
}

TEST(MalformedMultiLine, BrokenSingleDocumentIsOneBadRecordWithTheWholeFile) {
  TempDir dir;
  const std::string text = "{\n  \"a\": 1,\n  \"b\": \"never closed\n}\n";
  JsonReadOptions options;
  options.multi_line = true;
  options.corrupt_record_column = kCorrupt;
  ReadResult result =
      ReadAll(dir.Write("a.json", text), Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  EXPECT_TRUE(result.batches[0]->column(0)->IsNull(0));
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(result.batches[0]->column(1))->GetView(0), text);
  options.mode = ParseMode::kFailFast;
  ReadResult failed = ReadAll(dir.Write("a.json", text), Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}, options);
  EXPECT_TRUE(failed.status.IsInvalid());
  EXPECT_NE(failed.status.message().find("(byte 0): invalid JSON"), std::string::npos) << failed.status.message();
}

TEST(MalformedMultiLine, ContentAfterTheTopLevelValueIsOneBadRecord) {
  TempDir dir;
  JsonReadOptions options;
  options.multi_line = true;
  options.mode = ParseMode::kDropMalformed;
  ReadResult result = ReadAll(dir.Write("a.json", "[{\"a\":1},{\"a\":2}] junk\n"), Schema{{{"a", DataType::Long()}}},
                              options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), (std::vector<std::string>{R"({"a":1})", R"({"a":2})"}));
  EXPECT_EQ(result.counts.bad_records, 1);
  EXPECT_EQ(result.counts.records, 3);
  // After a single object the whole file is the bad record.
  options.mode = ParseMode::kFailFast;
  auto single = dir.Write("b.json", "{\"a\":1}\n}\n");
  auto junk = dir.Write("c.json", "{\"a\":1} junk\n");
  EXPECT_EQ(ReadAll(junk, Schema{{{"a", DataType::Long()}}}, options).status.message(),
            junk + ":1 (byte 0): unexpected content after the record's object");
  EXPECT_EQ(ReadAll(single, Schema{{{"a", DataType::Long()}}}, options).status.message(),
            single + ":2 (byte 0): unexpected content after the record's object");  // the line of the error
}

}  // namespace
}  // namespace inlet::json
