// Awkward input files end to end through ReadJsonFile and inference: empty and blank
// files, BOM, CRLF, no final newline, invalid UTF-8, overlong lines, deep nesting, and
// gzip/zstd files (truncated ones included).
#include <arrow/api.h>
#include <gtest/gtest.h>

#include <filesystem>

#include "inlet/formats/json/json_inference.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_reader.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::AllRowsJson;
using testing::Compress;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

constexpr const char* kCorrupt = "_corrupt_record";

Schema ASchema() { return Schema{{{"a", DataType::Long()}}}; }
Schema AWithCorrupt() { return Schema{{{"a", DataType::Long()}, {kCorrupt, DataType::String()}}}; }

JsonReadOptions MultiLine() {
  JsonReadOptions options;
  options.multi_line = true;
  return options;
}

TEST(AwkwardFiles, EmptyFileHasNoRecordsAndNoBatch) {
  TempDir dir;
  auto path = dir.Write("a.json", "");
  for (const JsonReadOptions& options : {JsonReadOptions{}, MultiLine()}) {
    ReadResult result = ReadAll(path, ASchema(), options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_TRUE(result.batches.empty());
    EXPECT_EQ(result.counts.records, 0);
    EXPECT_EQ(result.counts.bad_records, 0);
  }
}

TEST(AwkwardFiles, WhitespaceOnlyFileHasNoRecords) {
  TempDir dir;
  auto path = dir.Write("a.json", " \n\t\r\n\n   \r\n");
  for (const JsonReadOptions& options : {JsonReadOptions{}, MultiLine()}) {
    ReadResult result = ReadAll(path, ASchema(), options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_TRUE(result.batches.empty());
    EXPECT_EQ(result.counts.records, 0);
  }
}

TEST(AwkwardFiles, Utf8BomIsSkippedInLinesAndMultiLine) {
  TempDir dir;
  ReadResult lines = ReadAll(dir.Write("a.json", "\xEF\xBB\xBF{\"a\":1}\n{\"a\":2}\n"), ASchema());
  ASSERT_TRUE(lines.status.ok()) << lines.status.ToString();
  EXPECT_EQ(AllRowsJson(lines.batches), (std::vector<std::string>{R"({"a":1})", R"({"a":2})"}));
  EXPECT_EQ(lines.counts.bad_records, 0);
  ReadResult multi = ReadAll(dir.Write("b.json", "\xEF\xBB\xBF[{\"a\":1}]"), ASchema(), MultiLine());
  ASSERT_TRUE(multi.status.ok()) << multi.status.ToString();
  EXPECT_EQ(AllRowsJson(multi.batches), std::vector<std::string>{R"({"a":1})"});
}

TEST(AwkwardFiles, CrlfLineEndsAndALastLineWithoutNewline) {
  TempDir dir;
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(dir.Write("a.json", "{\"a\":1}\r\n{\"a\":}\r\n\r\n{\"a\":3}"), ASchema(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"a":1})", R"({"a":null})", R"({"a":3})"}));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].raw, "{\"a\":}");  // no CR
  EXPECT_EQ(bad[0].line, 2);
  EXPECT_EQ(bad[0].byte_offset, 9);
}

TEST(AwkwardFiles, InvalidUtf8LineBetweenGoodLinesIsMalformedAndStoredAsValidUtf8) {
  TempDir dir;
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.corrupt_record_column = kCorrupt;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"a\":2,\"s\":\"caf\xE9\"}\n\xC3\x28\xFF\n{\"a\":4}\n");
  ReadResult result = ReadAll(path, AWithCorrupt(), options);  // ReadAll validates the UTF-8 of strings
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{
                R"({"a":1,"_corrupt_record":null})",
                "{\"a\":null,\"_corrupt_record\":\"{\\\"a\\\":2,\\\"s\\\":\\\"caf\xEF\xBF\xBD\\\"}\"}",
                "{\"a\":null,\"_corrupt_record\":\"\xEF\xBF\xBD(\xEF\xBF\xBD\"}",
                R"({"a":4,"_corrupt_record":null})",
            }));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].reason, "invalid UTF-8");
  EXPECT_EQ(bad[1].reason, "invalid UTF-8");
  EXPECT_EQ(bad[1].line, 3);
  // Inference skips them too.
  auto schema = InferJsonSchema({path}, InferenceOptions{});
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->fields.size(), 1u);
  EXPECT_EQ(schema->fields[0].name, "a");
}

TEST(AwkwardFiles, FiveMegabyteLineOverAOneMegabyteLimitIsOneBadRecord) {
  TempDir dir;
  const std::string huge = "{\"a\":\"" + std::string(5 << 20, 'x') + "\"}";
  auto path = dir.Write("a.json", "{\"a\":1}\n" + huge + "\r\n{\"a\":3}\n");
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.max_record_bytes = 1 << 20;
  options.bad_record_text_bytes = 100;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, ASchema(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"a":1})", R"({"a":null})", R"({"a":3})"}));
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].reason, "record is longer than inlet.maxRecordBytes (1048576 bytes)");
  EXPECT_EQ(bad[0].line, 2);
  EXPECT_EQ(bad[0].byte_offset, 8);
  EXPECT_EQ(bad[0].raw, huge.substr(0, 100));
  EXPECT_TRUE(bad[0].raw_truncated);
  EXPECT_EQ(result.counts.bytes, static_cast<int64_t>(std::filesystem::file_size(path)));

  // The line reader never buffers the whole line.
  NdjsonLineReader reader;
  ASSERT_TRUE(reader.Open(path, 64 << 10).ok());
  reader.SetLineLimit(1 << 20, 100);
  JsonLine line;
  std::vector<int64_t> numbers;
  while (*reader.Next(&line)) {
    numbers.push_back(line.number);
    EXPECT_LE(reader.buffer_size(), size_t{3} << 20);
    if (line.number == 2) {
      EXPECT_TRUE(line.oversized);
      EXPECT_EQ(line.full_size, static_cast<int64_t>(huge.size()));
      EXPECT_EQ(std::string(line.data, line.size), huge.substr(0, 100));
    }
  }
  EXPECT_EQ(numbers, (std::vector<int64_t>{1, 2, 3}));

  // FAILFAST names it; inference skips it or fails the same way.
  options.mode = ParseMode::kFailFast;
  ReadResult failed = ReadAll(path, ASchema(), options);
  EXPECT_EQ(failed.status.message(),
            path + ":2 (byte 8): record is longer than inlet.maxRecordBytes (1048576 bytes)");
  InferenceOptions inference;
  inference.max_record_bytes = 1 << 20;
  auto schema = InferJsonSchema({path}, inference);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(schema->fields.size(), 1u);
  inference.mode = ParseMode::kFailFast;
  EXPECT_EQ(InferJsonSchema({path}, inference).status().message(), failed.status.message());
}

TEST(AwkwardFiles, MultiLineFileOverTheLimitIsOneBadRecord) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":\"" + std::string(4000, 'y') + "\"}]");
  JsonReadOptions options = MultiLine();
  options.max_record_bytes = 1000;
  options.corrupt_record_column = kCorrupt;
  ReadResult result = ReadAll(path, AWithCorrupt(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  ASSERT_EQ(result.batches.size(), 1u);
  ASSERT_EQ(result.batches[0]->num_rows(), 1);
  EXPECT_EQ(std::static_pointer_cast<arrow::StringArray>(result.batches[0]->column(1))->GetView(0).size(), 1000u);
  EXPECT_EQ(result.counts.bad_records, 1);
  options.mode = ParseMode::kFailFast;
  EXPECT_EQ(ReadAll(path, AWithCorrupt(), options).status.message(),
            path + ":1 (byte 0): record is longer than inlet.maxRecordBytes (1000 bytes)");
}

std::string Nested(int depth, const std::string& open, const std::string& close) {
  std::string text;
  for (int i = 0; i < depth; ++i) text += open;
  text += "1";
  for (int i = 0; i < depth; ++i) text += close;
  return text;
}

TEST(AwkwardFiles, TenThousandDeepNestingIsMalformedForReaderAndInference) {
  TempDir dir;
  const std::string deep_arrays = "{\"a\":2,\"d\":" + Nested(10000, "[", "]") + "}";
  const std::string deep_objects = "{\"a\":3,\"d\":" + Nested(10000, "{\"k\":", "}") + "}";
  auto path = dir.Write("a.json", "{\"a\":1}\n" + deep_arrays + "\n" + deep_objects + "\n{\"a\":4,\"d\":[[1]]}\n");
  // A string column would take the nested value as raw text: still malformed.
  Schema schema{{{"a", DataType::Long()}, {"d", DataType::String()}}};
  std::vector<BadRecord> bad;
  JsonReadOptions options;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  ReadResult result = ReadAll(path, schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"a":1,"d":null})", R"({"a":null,"d":null})", R"({"a":null,"d":null})",
                                      R"({"a":4,"d":"[[1]]"})"}));
  ASSERT_EQ(bad.size(), 2u);
  EXPECT_EQ(bad[0].reason, "nesting deeper than 256 levels (inlet.maxNestingDepth)");

  options.mode = ParseMode::kFailFast;
  EXPECT_EQ(ReadAll(path, schema, options).status.message(),
            path + ":2 (byte 8): nesting deeper than 256 levels (inlet.maxNestingDepth)");

  auto inferred = InferJsonSchema({path}, InferenceOptions{});
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  ASSERT_EQ(inferred->fields.size(), 2u);
  EXPECT_EQ(inferred->fields[1].type->kind, TypeKind::kArray);  // from record 4 only
  InferenceOptions fail_fast;
  fail_fast.mode = ParseMode::kFailFast;
  EXPECT_EQ(InferJsonSchema({path}, fail_fast).status().message(),
            path + ":2 (byte 8): nesting deeper than 256 levels (inlet.maxNestingDepth)");
}

TEST(AwkwardFiles, DeepElementOfAMultiLineArrayIsOneBadRecordAndTheArrayGoesOn) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":1},\n{\"a\":2,\"d\":" + Nested(10000, "[", "]") + "},\n{\"a\":3}]");
  JsonReadOptions options = MultiLine();
  options.mode = ParseMode::kDropMalformed;
  ReadResult result = ReadAll(path, ASchema(), options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches), (std::vector<std::string>{R"({"a":1})", R"({"a":3})"}));
  EXPECT_EQ(result.counts.bad_records, 1);
  InferenceOptions inference;
  inference.multi_line = true;
  auto inferred = InferJsonSchema({path}, inference);
  ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
  EXPECT_EQ(inferred->fields.size(), 1u);  // "d" came only from the deep record
  // Exactly the limit is fine.
  auto at_limit = dir.Write("b.json", "[{\"d\":" + Nested(255, "[", "]") + "}]");
  ReadResult ok = ReadAll(at_limit, ASchema(), options);
  EXPECT_EQ(ok.counts.bad_records, 0);
  EXPECT_EQ(ok.counts.rows, 1);
}

TEST(AwkwardFiles, GzipAndZstdFilesAreDecompressedForLinesMultiLineAndInference) {
  TempDir dir;
  const std::string lines = "{\"a\":1}\n{\"a\":}\n{\"a\":3}\n";
  for (const auto& [name, type] : std::vector<std::pair<std::string, arrow::Compression::type>>{
           {"a.json.gz", arrow::Compression::GZIP},
           {"a.json.zst", arrow::Compression::ZSTD},
           {"a.JSON.ZSTD", arrow::Compression::ZSTD}}) {
    auto path = dir.Write(name, Compress(type, lines));
    std::vector<BadRecord> bad;
    JsonReadOptions options;
    options.bad_record_sink = [&](const BadRecord& record) {
      bad.push_back(record);
      return Status::OK();
    };
    ReadResult result = ReadAll(path, ASchema(), options);
    ASSERT_TRUE(result.status.ok()) << name << ": " << result.status.ToString();
    EXPECT_EQ(AllRowsJson(result.batches),
              (std::vector<std::string>{R"({"a":1})", R"({"a":null})", R"({"a":3})"}))
        << name;
    EXPECT_EQ(result.counts.bytes, static_cast<int64_t>(std::filesystem::file_size(path)));
    ASSERT_EQ(bad.size(), 1u);
    EXPECT_EQ(bad[0].byte_offset, 8);  // in the decompressed text

    auto multi = dir.Write("m-" + name, Compress(type, "[{\"a\":5},\n{\"a\":6}]"));
    ReadResult multi_result = ReadAll(multi, ASchema(), MultiLine());
    ASSERT_TRUE(multi_result.status.ok()) << multi_result.status.ToString();
    EXPECT_EQ(AllRowsJson(multi_result.batches), (std::vector<std::string>{R"({"a":5})", R"({"a":6})"}));

    InferenceOptions inference;
    inference.infer_column_types = true;
    auto schema = InferJsonSchema({path}, inference);
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    ASSERT_EQ(schema->fields.size(), 1u);
    EXPECT_EQ(schema->fields[0].type->kind, TypeKind::kLong);
  }
}

TEST(AwkwardFiles, TruncatedGzipIsAnIoErrorNamingTheFile) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"a\":" + std::to_string(i) + ",\"pad\":\"" + std::to_string(i * 7919) + "\"}\n";
  const std::string gz = Compress(arrow::Compression::GZIP, text);
  auto path = dir.Write("cut.json.gz", gz.substr(0, gz.size() / 2));
  ReadResult result = ReadAll(path, ASchema());
  ASSERT_TRUE(result.status.IsIOError()) << result.status.ToString();
  EXPECT_NE(result.status.message().find(path), std::string::npos) << result.status.message();
  EXPECT_TRUE(result.counts.source_unreadable);
  // The whole lines before the damage are handed over first, in order (ignoreCorruptFiles
  // keeps them); the line the damage cut is none of them.
  const std::vector<std::string> rows = AllRowsJson(result.batches);
  ASSERT_GT(rows.size(), 1000u);
  ASSERT_LT(rows.size(), 20000u);
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i], "{\"a\":" + std::to_string(i) + "}");
  }
  ReadResult multi = ReadAll(path, ASchema(), MultiLine());
  ASSERT_TRUE(multi.status.IsIOError()) << multi.status.ToString();
  EXPECT_NE(multi.status.message().find(path), std::string::npos);
  EXPECT_TRUE(InferJsonSchema({path}, InferenceOptions{}).status().IsIOError());
  // Garbage that is no gzip at all.
  auto garbage = dir.Write("junk.json.gz", "this is not gzip data at all\n");
  EXPECT_TRUE(ReadAll(garbage, ASchema()).status.IsIOError());
}

TEST(AwkwardFiles, CompressedFileCannotBeReadByRange) {
  TempDir dir;
  auto path = dir.Write("a.json.gz", Compress(arrow::Compression::GZIP, "{\"a\":1}\n"));
  JsonReadOptions options;
  options.range_begin = 0;
  options.range_end = 4;
  ReadResult result = ReadAll(path, ASchema(), options);
  EXPECT_TRUE(result.status.IsInvalid()) << result.status.ToString();
  EXPECT_NE(result.status.message().find("cannot be read by byte range"), std::string::npos);
  EXPECT_TRUE(IsCompressedJsonPath("x/y.JSON.GZ"));
  EXPECT_FALSE(IsCompressedJsonPath("x/y.json"));
  EXPECT_FALSE(IsCompressedJsonPath("x/gz"));
}

}  // namespace
}  // namespace inlet::json
