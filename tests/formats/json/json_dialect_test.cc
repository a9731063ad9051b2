// Spark's lenient JSON dialect: each Jackson feature rewrites what it allows into strict
// JSON and nothing else, and the reader and inference read such records only when asked.
#include "inlet/formats/json/json_dialect.h"

#include <arrow/api.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include "inlet/formats/json/json_inference.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::AllRowsJson;
using testing::ReadAll;
using testing::ReadResult;
using testing::TempDir;

JsonDialect Everything() {
  JsonDialect d;
  d.allow_comments = d.allow_unquoted_field_names = d.allow_numeric_leading_zeros = true;
  d.allow_backslash_escaping_any_character = d.allow_unquoted_control_chars = true;
  return d;
}

std::string Rewrite(std::string_view text, const JsonDialect& dialect) {
  std::string out;
  size_t size = 0;
  if (!RewriteLenientJson(text, dialect, &out, &size)) return "<unchanged>";
  EXPECT_GE(out.size(), size + simdjson::SIMDJSON_PADDING);
  return out.substr(0, size);
}

TEST(LenientDialect, EachFeatureRewritesWhatItAllows) {
  const JsonDialect all = Everything();
  EXPECT_EQ(Rewrite(R"({'a':'x"y','b':'it\'s'})", all), R"({"a":"x\"y","b":"it's"})");
  EXPECT_EQ(Rewrite(R"({"a":1 /* c */, "b":2} // end)", all), R"({"a":1  , "b":2}  )");
  EXPECT_EQ(Rewrite(R"({a:1, $b_2 : true, c:NaN})", all), R"({"a":1, "$b_2" : true, "c":NaN})");
  EXPECT_EQ(Rewrite(R"({"a":007,"b":-00.5,"c":0,"d":[00]})", all), R"({"a":7,"b":-0.5,"c":0,"d":[0]})");
  EXPECT_EQ(Rewrite(R"({"a":"\q\'"})", all), R"({"a":"q'"})");
  EXPECT_EQ(Rewrite("{\"a\":\"tab\there\"}", all), R"({"a":"tab\u0009here"})");
}

TEST(LenientDialect, FeaturesOffRewriteNothing) {
  JsonDialect none;
  none.allow_single_quotes = false;
  none.allow_non_numeric_numbers = false;
  for (const char* text : {R"({'a':1})", R"({"a":1 /* c */})", R"({a:1})", R"({"a":007})", R"({"a":"\q"})",
                           "{\"a\":\"\t\"}"}) {
    EXPECT_EQ(Rewrite(text, none), "<unchanged>") << text;
  }
  EXPECT_EQ(Rewrite(R"({"a":'x'})", JsonDialect{}), R"({"a":"x"})");  // Spark's default: single quotes on
}

TEST(LenientDialect, UnclosedStringsAndCommentsStayMalformed) {
  EXPECT_EQ(Rewrite(R"({'a':'x})", Everything()), "<unchanged>");
  EXPECT_EQ(Rewrite(R"({"a":1 /* no end)", Everything()), "<unchanged>");
}

TEST(LenientDialect, TheReaderLoadsLenientRecordsAndCountsTheRestMalformed) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{'id':1,'s':'one'}\n"
                        "{\"id\":2,/*c*/\"s\":\"two\"}\n"
                        "{id:3,s:\"three\"}\n"
                        "{\"id\":004,\"s\":\"four\"}\n"
                        "{\"id\":5,\"s\":\"fi\\ve\"}\n"
                        "{\"id\":6,\"s\":\"si\tx\"}\n"
                        "{\"id\":7,\"s\":'seven}\n");
  Schema schema{{{"id", DataType::Long()}, {"s", DataType::String()}, {"_corrupt_record", DataType::String()}}};
  for (bool lenient : {false, true}) {
    JsonReadOptions options;
    options.corrupt_record_column = "_corrupt_record";
    if (lenient) options.dialect = Everything();
    ReadResult result = ReadAll(path, schema, options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_EQ(result.counts.records, 7);
    EXPECT_EQ(result.counts.bad_records, lenient ? 1 : 6);
    const std::vector<std::string> rows = AllRowsJson(result.batches);
    ASSERT_EQ(rows.size(), 7u);
    EXPECT_EQ(rows[0], R"({"id":1,"s":"one","_corrupt_record":null})");
    if (lenient) {
      EXPECT_EQ(rows[1], R"({"id":2,"s":"two","_corrupt_record":null})");
      EXPECT_EQ(rows[2], R"({"id":3,"s":"three","_corrupt_record":null})");
      EXPECT_EQ(rows[3], R"({"id":4,"s":"four","_corrupt_record":null})");
      EXPECT_EQ(rows[4], R"({"id":5,"s":"five","_corrupt_record":null})");
      EXPECT_EQ(rows[5], "{\"id\":6,\"s\":\"si\tx\",\"_corrupt_record\":null}");  // a real tab
    } else {
      EXPECT_EQ(rows[2], R"({"id":null,"s":null,"_corrupt_record":"{id:3,s:\"three\"}"})");
    }
    EXPECT_EQ(rows[6], R"({"id":null,"s":null,"_corrupt_record":"{\"id\":7,\"s\":'seven}"})");
  }
}

TEST(LenientDialect, DropMalformedKeepsEveryRewrittenRecordOnce) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"id\":1,\"s\":{\"x\":'a'}}\n{'id':2}\n{\"id\":3,\"s\":{\"x\":\"c\"}} x\n");
  JsonReadOptions options;
  options.mode = ParseMode::kDropMalformed;
  auto s = DataType::Struct({{"x", DataType::String()}});
  ReadResult result = ReadAll(path, Schema{{{"id", DataType::Long()}, {"s", s}}}, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  EXPECT_EQ(AllRowsJson(result.batches),
            (std::vector<std::string>{R"({"id":1,"s":{"x":"a"}})", R"({"id":2,"s":null})"}));
  EXPECT_EQ(result.counts.bad_records, 1);
  EXPECT_EQ(result.counts.rows, 2);
}

TEST(LenientDialect, InferenceReadsWhatTheReaderReads) {
  TempDir dir;
  auto path = dir.Write("a.json", "{'a':1}\n{b:2,/*x*/\"c\":'t'}\n");
  InferenceOptions options;
  options.infer_column_types = true;
  auto strict_default = InferJsonSchema({path}, options);
  ASSERT_TRUE(strict_default.ok());
  EXPECT_EQ(strict_default->fields.size(), 1u);  // only single quotes are on by default
  options.dialect = Everything();
  auto lenient = InferJsonSchema({path}, options);
  ASSERT_TRUE(lenient.ok());
  ASSERT_EQ(lenient->fields.size(), 3u);
  EXPECT_EQ(lenient->fields[2].name, "c");
}

// multiLine files are read as Spark reads them too: a document strict JSON refuses is read
// again rewritten, from the array element the strict read stopped at, so the rows handed
// over before it (batch_rows 1 here) stay exactly once.
TEST(LenientDialect, MultiLineDocumentsAreReadRewrittenFromWhereStrictParsingStopped) {
  TempDir dir;
  JsonReadOptions options;
  options.multi_line = true;
  options.batch_rows = 1;
  options.dialect = Everything();
  options.corrupt_record_column = "_corrupt_record";
  Schema schema{{{"a", DataType::Long()}, {"b", DataType::String()}, {"_corrupt_record", DataType::String()}}};
  struct Case {
    std::string text;
    std::vector<std::string> rows;
    int64_t bad;
  };
  const std::vector<Case> cases = {
      {"[\n{\"a\":1},\n{\"a\":2,'b':'x'},\n{a:3, // three\n\"b\":\"y\"}\n]\n",
       {R"({"a":1,"b":null,"_corrupt_record":null})", R"({"a":2,"b":"x","_corrupt_record":null})",
        R"({"a":3,"b":"y","_corrupt_record":null})"},
       0},
      {"{\"a\":1, /* c */ 'b':'x'}\n// the end\n", {R"({"a":1,"b":"x","_corrupt_record":null})"}, 0},
      {"[{\"a\":1,\"a\":5},{'a':2,\"u\":{'x':[1,'y']}}] /* done */",
       {R"({"a":5,"b":null,"_corrupt_record":null})", R"({"a":2,"b":null,"_corrupt_record":null})"}, 0},
      {"[{\"a\":1,\"u\":{'x':1}},{\"a\":2}]",
       {R"({"a":1,"b":null,"_corrupt_record":null})", R"({"a":2,"b":null,"_corrupt_record":null})"}, 0},
      {"[{\"a\":1},{'a':}]", {R"({"a":1,"b":null,"_corrupt_record":null})", R"({"a":null,"b":null,"_corrupt_record":"{'a':}]"})"}, 1},
  };
  for (const Case& c : cases) {
    ReadResult result = ReadAll(dir.Write("m.json", c.text), schema, options);
    ASSERT_TRUE(result.status.ok()) << result.status.ToString();
    EXPECT_EQ(AllRowsJson(result.batches), c.rows) << c.text;
    EXPECT_EQ(result.counts.bad_records, c.bad) << c.text;
    EXPECT_EQ(result.counts.records, static_cast<int64_t>(c.rows.size())) << c.text;
  }
  // Without the dialect the same single quotes are malformed.
  options.dialect.allow_single_quotes = false;
  ReadResult strict = ReadAll(dir.Write("m.json", "[{\"a\":1},{'a':2}]"), schema, options);
  ASSERT_TRUE(strict.status.ok()) << strict.status.ToString();
  EXPECT_EQ(strict.counts.bad_records, 1);
}

// A rewrite moves bytes (a comment over lines becomes a space, a raw tab grows to \u0009):
// a malformed element found in it is still reported at the file's own line and offset,
// with the file's own text.
TEST(LenientDialect, MultiLineMalformedElementsOfARewriteAreReportedWhereTheFileHasThem) {
  TempDir dir;
  JsonReadOptions options;
  options.multi_line = true;
  options.dialect = Everything();
  std::vector<BadRecord> bad;
  options.bad_record_sink = [&](const BadRecord& record) {
    bad.push_back(record);
    return Status::OK();
  };
  Schema schema{{{"a", DataType::Long()}, {"b", DataType::String()}}};
  const std::string text =
      "[\n/* a comment\nover lines */ {'a':1, \"b\":\"x\ty\u0001\"},\n{\"a\":2},\n   {a:}\n]\n";
  ReadResult result = ReadAll(dir.Write("m.json", text), schema, options);
  ASSERT_TRUE(result.status.ok()) << result.status.ToString();
  // The row helper prints strings unescaped: the value holds the file's own tab and U+0001.
  EXPECT_EQ(AllRowsJson(result.batches).front(), "{\"a\":1,\"b\":\"x\ty\x01\"}");
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0].line, 5);
  EXPECT_EQ(bad[0].byte_offset, static_cast<int64_t>(text.find("{a:}")));
  EXPECT_EQ(bad[0].raw, "{a:}\n]");
}

TEST(LenientDialect, MultiLineInferenceReadsWhatTheReaderReads) {
  TempDir dir;
  auto path = dir.Write("m.json", "[\n{'a':1},\n{\"b\":'x', // b\n\"c\":[1.5]}\n] // end\n");
  InferenceOptions options;
  options.infer_column_types = true;
  options.multi_line = true;
  options.dialect = Everything();
  auto schema = InferJsonSchema({path}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  ASSERT_EQ(schema->fields.size(), 3u);
  EXPECT_EQ(schema->fields[0].name, "a");
  EXPECT_EQ(schema->fields[1].type->TypeName(), "string");
  EXPECT_EQ(schema->fields[2].name, "c");
  options.dialect = JsonDialect{};
  options.dialect.allow_single_quotes = false;
  options.mode = ParseMode::kFailFast;
  EXPECT_FALSE(InferJsonSchema({path}, options).ok());  // strict: the file is malformed
}

TEST(LenientDialect, MultiLineInferenceNamesTheFilesOwnLineAndOffset) {
  TempDir dir;
  const std::string text = "[\n/* a comment\nover lines */ {'a':1, \"b\":\"x\ty\"},\n   {a:}\n]\n";
  auto path = dir.Write("m.json", text);
  InferenceOptions options;
  options.multi_line = true;
  options.dialect = Everything();
  options.mode = ParseMode::kFailFast;
  auto schema = InferJsonSchema({path}, options);
  ASSERT_FALSE(schema.ok());
  const std::string where = path + ":4 (byte " + std::to_string(text.find("{a:}")) + "): ";
  EXPECT_EQ(schema.status().message().find(where), 0u) << schema.status().message();
}

}  // namespace
}  // namespace inlet::json
