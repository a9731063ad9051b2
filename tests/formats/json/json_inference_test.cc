// InferJsonSchema: IoT-like records, inferColumnTypes on/off, arrays, nested structs,
// null-only fields, conflicts, limits and errors.
#include "inlet/formats/json/json_inference.h"

#include <gtest/gtest.h>

#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::TempDir;

// A compact spelling for assertions: name:type, structs as struct<...>, arrays array<...>.
std::string Spell(const DataType& type);

std::string SpellFields(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& field : fields) {
    if (!out.empty()) out += ",";
    out += field.name + ":" + Spell(*field.type);
  }
  return out;
}

std::string Spell(const DataType& type) {
  switch (type.kind) {
    case TypeKind::kStruct:
      return "struct<" + SpellFields(type.fields) + ">";
    case TypeKind::kArray:
      return "array<" + Spell(*type.element) + ">";
    case TypeKind::kMap:
      return "map<" + Spell(*type.key) + "," + Spell(*type.value) + ">";
    default:
      return type.TypeName();
  }
}

std::string Infer(const std::vector<std::string>& paths, bool infer_types, bool multi_line = false) {
  InferenceOptions options;
  options.infer_column_types = infer_types;
  options.multi_line = multi_line;
  auto schema = InferJsonSchema(paths, options);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ok() ? SpellFields(schema->fields) : "";
}

const char* kIot =
    R"({"device_id":62,"coordinates":{"latitude":38,"longitude":-97},"temp":51.8,"cn":"United States","humidity":70})"
    "\n"
    R"({"device_id":63,"coordinates":{"latitude":42.36,"longitude":-71},"temp":49,"cn":"United States","humidity":65})"
    "\n";

TEST(JsonInference, IotRecordsWithColumnTypesWidenLatitudeToDouble) {
  TempDir dir;
  EXPECT_EQ(Infer({dir.Write("iot.json", kIot)}, true),
            "cn:string,coordinates:struct<latitude:double,longitude:long>,device_id:long,"
            "humidity:long,temp:double");
}

TEST(JsonInference, WithoutColumnTypesEveryLeafIsStringButStructureStays) {
  TempDir dir;
  auto path = dir.Write("a.json", std::string(kIot) + R"({"flags":[true,false],"ok":true})" + "\n");
  EXPECT_EQ(Infer({path}, false),
            "cn:string,coordinates:struct<latitude:string,longitude:string>,device_id:string,"
            "flags:array<string>,humidity:string,ok:string,temp:string");
}

TEST(JsonInference, InfersArraysOfScalarsAndEmptyArrays) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"ints":[1,2],"mixed":[1,2.5],"empty":[],"later":[]})"
                                  "\n"
                                  R"({"later":[true],"strs":["a",1]})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true),
            "empty:array<string>,ints:array<long>,later:array<boolean>,mixed:array<double>,"
            "strs:array<string>");
}

TEST(JsonInference, MergesNestedArraysOfStructsAndSortsEveryLevel) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"z":1,"items":[{"b":1,"a":{"y":1,"x":"s"}},{"c":"x"}]})"
                                  "\n"
                                  R"({"items":[{"b":2.5,"a":{"w":null}}],"m":[[{"q":1}],[]]})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true),
            "items:array<struct<a:struct<w:string,x:string,y:long>,b:double,c:string>>,"
            "m:array<array<struct<q:long>>>,z:long");
}

TEST(JsonInference, NullOnlyFieldsBecomeStringAndNullMergesAway) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"n":null,"later":null,"arr":[null],"obj":null})"
                                  "\n"
                                  R"({"later":5,"obj":{"k":true}})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true), "arr:array<string>,later:long,n:string,obj:struct<k:boolean>");
}

TEST(JsonInference, ConflictingTypesWidenToString) {
  TempDir dir;
  auto first = dir.Write("a.json", R"({"a":1,"b":{"x":1},"c":[1],"d":true,"e":1})"
                                   "\n");
  auto second = dir.Write("b.json", R"({"a":"one","b":5,"c":{"y":2},"d":1,"e":2.0})"
                                    "\n");
  EXPECT_EQ(Infer({first, second}, true), "a:string,b:string,c:string,d:string,e:double");
}

TEST(JsonInference, IntegersBeyondLongInferDecimal) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"big":12345678901234567890,"n":-3})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true), "big:decimal(20,0),n:long");
}

TEST(JsonInference, MultiLineArrayAndObjectFiles) {
  TempDir dir;
  auto array = dir.Write("a.json", "[\n  {\"a\": 1},\n  {\"b\": \"x\"}\n]\n");
  auto object = dir.Write("b.json", "{\n  \"a\": 2.5\n}\n");
  EXPECT_EQ(Infer({array, object}, true, /*multi_line=*/true), "a:double,b:string");
}

TEST(JsonInference, StopsAtMaxFilesAndMaxBytes) {
  TempDir dir;
  auto first = dir.Write("a.json", "{\"a\":1}\n{\"b\":1}\n");
  auto second = dir.Write("b.json", "{\"c\":1}\n");
  InferenceOptions options;
  options.max_files = 1;
  auto schema = InferJsonSchema({first, second}, options);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(SpellFields(schema->fields), "a:string,b:string");
  options.max_files = 10;
  options.max_bytes = 3;  // the first record crosses it: sampling stops after it
  schema = InferJsonSchema({first, second}, options);
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(SpellFields(schema->fields), "a:string");
}

TEST(JsonInference, NoRecordsGiveAnEmptySchema) {
  TempDir dir;
  auto schema = InferJsonSchema({dir.Write("a.json", "\n \n")}, InferenceOptions{});
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->fields.empty());
}

TEST(JsonInference, FailFastBadRecordFailsWithPathLineAndOffset) {
  TempDir dir;
  InferenceOptions options;
  options.mode = ParseMode::kFailFast;
  auto path = dir.Write("bad.json", "{\"a\":1}\n\n{\"a\":}\n");
  auto schema = InferJsonSchema({path}, options);
  ASSERT_TRUE(schema.status().IsInvalid());
  EXPECT_NE(schema.status().message().find(path + ":3 (byte 9): invalid JSON: "), std::string::npos)
      << schema.status().message();
  auto scalar = dir.Write("scalar.json", "{\"a\":1}\n[1]\n");
  schema = InferJsonSchema({scalar}, options);
  ASSERT_TRUE(schema.status().IsInvalid());
  EXPECT_NE(schema.status().message().find(scalar + ":2 (byte 8): record is not a JSON object (found an array)"),
            std::string::npos)
      << schema.status().message();
}

// A record that fails part-way shapes nothing: fields met before its error stay out.
TEST(JsonInference, MalformedRecordsShapeNothingUnlessFailFast) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"a\":1}\n{\"b\":2,\"c\":}\n{\"d\":[1}\n{\"e\":1} x\n[{\"f\":1}]\n{\"g\":{\"h\":tru}}\n{\"z\":true}\n");
  EXPECT_EQ(Infer({path}, true), "a:long,z:boolean");
  InferenceOptions drop;
  drop.mode = ParseMode::kDropMalformed;
  drop.infer_column_types = true;
  auto dropped = InferJsonSchema({path}, drop);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(SpellFields(dropped->fields), "a:long,z:boolean");
  InferenceOptions fail_fast;
  fail_fast.mode = ParseMode::kFailFast;
  EXPECT_EQ(InferJsonSchema({path}, fail_fast).status().message().find(path + ":2 (byte 8): invalid JSON: "), 0u);
}

TEST(JsonInference, MultiLineMalformedElementsAreSkippedAndTheArrayGoesOn) {
  TempDir dir;
  auto path = dir.Write("a.json", "[{\"a\":1}, 7, {\"b\":\"x\"}] trailing\n");
  EXPECT_EQ(Infer({path}, true, true), "a:long,b:string");
  auto broken = dir.Write("b.json", "[{\"a\":1}, {\"c\":tru}, {\"d\":1}]\n");
  EXPECT_EQ(Infer({broken}, true, true), "a:long");  // nothing after a JSON error
  InferenceOptions fail_fast;
  fail_fast.multi_line = true;
  fail_fast.mode = ParseMode::kFailFast;
  EXPECT_EQ(InferJsonSchema({path}, fail_fast).status().message(),
            path + ":1 (byte 10): record is not a JSON object (found a number)");
}

TEST(JsonInference, ThreadsGiveTheSameSchemaAsOnePass) {
  TempDir dir;
  std::vector<std::string> paths;
  // Files that each widen something differently: the join must not depend on order.
  const char* shapes[] = {
      R"({"a":1,"s":{"x":1}})", R"({"a":1.5,"t":[1]})", R"({"a":"x","s":{"y":true}})",
      R"({"b":null,"t":[{"k":1}]})", R"({"s":{"x":2.5},"b":false})", R"({"c":{"d":{"e":[null]}}})"};
  for (int i = 0; i < 24; ++i) {
    paths.push_back(dir.Write("f" + std::to_string(i) + ".json", std::string(shapes[i % 6]) + "\n"));
  }
  InferenceOptions one;
  one.infer_column_types = true;
  InferenceOptions many = one;
  many.threads = 4;
  auto a = InferJsonSchema(paths, one);
  auto b = InferJsonSchema(paths, many);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(SpellFields(a->fields), SpellFields(b->fields));
  EXPECT_EQ(SpellFields(b->fields),
            "a:string,b:boolean,c:struct<d:struct<e:array<string>>>,s:struct<x:double,y:boolean>,t:array<string>");
}

TEST(JsonInference, ThreadedSampleKeepsTheFileAndByteLimits) {
  TempDir dir;
  std::vector<std::string> paths;
  paths.push_back(dir.Write("1.json", "{\"a\":1}\n{\"b\":1}\n"));
  paths.push_back(dir.Write("2.json", "{\"c\":1}\n"));
  paths.push_back(dir.Write("3.json", "{\"d\":1}\n"));
  InferenceOptions options;
  options.infer_column_types = true;
  options.threads = 3;
  options.max_files = 2;
  auto two = InferJsonSchema(paths, options);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(SpellFields(two->fields), "a:long,b:long,c:long");
  options.max_files = 10;
  options.max_bytes = 8;  // the first line only: 8 bytes with its newline
  auto first_line = InferJsonSchema(paths, options);
  ASSERT_TRUE(first_line.ok());
  EXPECT_EQ(SpellFields(first_line->fields), "a:long");
}

TEST(JsonInference, ThreadedErrorIsTheFirstFilesError) {
  TempDir dir;
  std::vector<std::string> paths;
  for (int i = 0; i < 8; ++i) {
    paths.push_back(dir.Write("f" + std::to_string(i) + ".json", i >= 3 ? "{oops\n" : "{\"a\":1}\n"));
  }
  InferenceOptions options;
  options.threads = 4;
  options.mode = ParseMode::kFailFast;
  auto result = InferJsonSchema(paths, options);
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().message().find("f3.json:1"), std::string::npos) << result.status().message();
}

}  // namespace
}  // namespace inlet::json
