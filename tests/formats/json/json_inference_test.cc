// InferJsonSchema: IoT-like records, inferColumnTypes on/off, arrays, nested structs,
// null-only fields, conflicts, limits and errors.
#include "inlet/formats/json/json_inference.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <utility>
#include <vector>

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
  EXPECT_NE(schema.status().message().find(scalar + ":2 (byte 8): record is an array holding a number"),
            std::string::npos)
      << schema.status().message();
}

// A record that fails part-way shapes nothing: fields met before its error stay out. A
// line holding an array of objects is records (f), as Spark reads it; one holding anything
// else among them is malformed whole (g).
TEST(JsonInference, MalformedRecordsShapeNothingUnlessFailFast) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        "{\"a\":1}\n{\"b\":2,\"c\":}\n{\"d\":[1}\n{\"e\":1} x\n[{\"f\":1}]\n[{\"g\":1},2]\n"
                        "{\"g\":{\"h\":tru}}\n{\"z\":true}\n");
  EXPECT_EQ(Infer({path}, true), "a:long,f:long,z:boolean");
  InferenceOptions drop;
  drop.mode = ParseMode::kDropMalformed;
  drop.infer_column_types = true;
  auto dropped = InferJsonSchema({path}, drop);
  ASSERT_TRUE(dropped.ok());
  EXPECT_EQ(SpellFields(dropped->fields), "a:long,f:long,z:boolean");
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

// --- The fast paths over raw JSON text: they must infer and reject exactly as simdjson's
// own parsing does.

// The FAILFAST reason for a file whose second record is {"bad":<value>}; "" when it passes.
std::string SecondRecordError(const TempDir& dir, const std::string& value, bool infer_types) {
  auto path = dir.Write("second.json", "{\"ok\":1}\n{\"bad\":" + value + "}\n");
  InferenceOptions options;
  options.mode = ParseMode::kFailFast;
  options.infer_column_types = infer_types;
  auto schema = InferJsonSchema({path}, options);
  if (schema.ok()) return "";
  const std::string prefix = path + ":2 (byte 9): ";
  const std::string& message = schema.status().message();
  return message.rfind(prefix, 0) == 0 ? message.substr(prefix.size()) : "unexpected: " + message;
}

TEST(JsonInference, EscapedKeysAreTheSameFieldAsTheirPlainSpelling) {
  TempDir dir;
  auto escaped_first = dir.Write("a.json", R"({"a\u0062":1,"c":"x"})"
                                           "\n"
                                           R"({"ab":2.5,"c":"y"})"
                                           "\n"
                                           R"({"c":"z","\u0061b":3})"
                                           "\n");
  EXPECT_EQ(Infer({escaped_first}, true), "ab:double,c:string");
  auto plain_first = dir.Write("b.json", R"({"xy":1,"z":1})"
                                         "\n"
                                         R"({"x\u0079":2.5,"\u007a":true})"
                                         "\n");
  EXPECT_EQ(Infer({plain_first}, true), "xy:double,z:string");
}

// The name a\ (written "a\\") must not match the key a" (written "a\""), whose raw text
// starts with the same bytes followed by a quote.
TEST(JsonInference, KeysWithQuotesAndBackslashesStayDistinct) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"a\\":1,"b":1})"
                                  "\n"
                                  R"({"a\"":true,"b":2})"
                                  "\n"
                                  R"({"a\\":2,"b":3,"\\":1.5,"\"":"q"})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true), R"(":string,\:double,a":boolean,a\:long,b:long)");
}

// Records list keys in the same order, so each key is first compared with the field in
// the same place last time: keys one byte apart, longer or shorter, must not match it.
TEST(JsonInference, SimilarKeysOfEveryLengthStayDistinct) {
  for (size_t length : {1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 24, 31, 32, 33, 40}) {
    TempDir dir;
    std::string key(length, 'k');
    for (size_t i = 0; i < length; ++i) key[i] = static_cast<char>('a' + i % 26);
    std::vector<std::pair<std::string, std::string>> expected;
    std::string text = "{\"" + key + "\":1}\n";
    expected.push_back({key, "long"});
    std::vector<size_t> places = {0, length / 2, length - 1};
    places.erase(std::unique(places.begin(), places.end()), places.end());
    for (size_t at : places) {
      std::string other = key;
      other[at] = 'X';
      text += "{\"" + other + "\":\"s\"}\n";
      expected.push_back({other, "string"});
    }
    text += "{\"" + key + "Z\":true}\n";
    expected.push_back({key + "Z", "boolean"});
    if (length > 1) {
      text += "{\"" + key.substr(0, length - 1) + "\":null}\n";
      expected.push_back({key.substr(0, length - 1), "string"});
    }
    text += "{\"" + key + "\":2.5}\n";  // the first field again: merges
    expected[0].second = "double";
    std::sort(expected.begin(), expected.end());
    std::string spelled;
    for (const auto& [name, type] : expected) spelled += (spelled.empty() ? "" : ",") + name + ":" + type;
    EXPECT_EQ(Infer({dir.Write("a.json", text)}, true), spelled) << "key length " << length;
  }
}

TEST(JsonInference, StringsWithValidEscapesAreStrings) {
  TempDir dir;
  auto path = dir.Write("a.json", R"({"s":"plain","t":"a\"b\\c\u00e9\n",)"
                                  R"("u":"0123456789abcdefghijklmnopqrstuvwxyz","v":"0123456789abcde\"","w":""})"
                                  "\n");
  EXPECT_EQ(Infer({path}, true), "s:string,t:string,u:string,v:string,w:string");
  EXPECT_EQ(SecondRecordError(dir, R"("\ud83d\ude00 \/ \b\f\r\t")", true), "");
}

TEST(JsonInference, InvalidEscapeInAStringMakesTheRecordMalformed) {
  TempDir dir;
  for (bool infer_types : {true, false}) {
    for (const char* value : {R"("bad \q")", R"("\u12")", R"("0123456789abcdefgh\q")", R"("a\"\q")",
                              R"("0123456789abcde\"\x")", R"("\u00zz")"}) {
      EXPECT_EQ(SecondRecordError(dir, value, infer_types), "invalid JSON: Problem while parsing a string") << value;
    }
  }
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"s\":\"x\",\"t\":\"bad \\q\"}\n{\"z\":\"\\\\\"}\n");
  EXPECT_EQ(Infer({path}, true), "a:long,z:string");
}

// A string value left unread would let the object iterator take it for a key.
TEST(JsonInference, AStringValueFollowedByAColonMakesTheRecordMalformed) {
  TempDir dir;
  EXPECT_EQ(SecondRecordError(dir, R"("x":1)", true),
            "invalid JSON: The JSON document has an improper structure: missing or superfluous commas, braces, "
            "missing keys, etc.");
  // Skipped as a key, the second record would read as {"s":..,"t":2}.
  auto path = dir.Write("a.json",
                        "{\"a\":1}\n{\"s\":\"x\":1},\"t\":2}\n{\"s\":\"x\" :\"y\",\"t\":1}\n{\"u\":[\"x\":1]}\n");
  EXPECT_EQ(Infer({path}, true), "a:long");
}

TEST(JsonInference, NumbersInferLongDecimalOrDouble) {
  TempDir dir;
  auto path = dir.Write(
      "a.json",
      R"({"z":0,"nz":-0,"l18":123456789012345678,"n18":-123456789012345678,"l19":1234567890123456789,)"
      R"("max":9223372036854775807,"min":-9223372036854775808,"over":9223372036854775808,)"
      R"("under":-9223372036854775809,"d20":12345678901234567890,)"
      R"("d38":12345678901234567890123456789012345678,"d39":123456789012345678901234567890123456789,)"
      R"("f":1.5,"nf":-1.5,"nzf":-0.0,"e":1e5,"ue":1E+2,"ne":-1.5e-10,"f19":0.1234567890123456789,)"
      R"("f20":1234567890123456789.5,"ws": 12 ,"wsf":	2.5	,"arr":[1,2],"arrf":[1.5]})"
      "\r\n");
  EXPECT_EQ(Infer({path}, true),
            "arr:array<long>,arrf:array<double>,d20:decimal(20,0),d38:decimal(38,0),d39:double,e:double,"
            "f:double,f19:double,f20:double,l18:long,l19:long,max:long,min:long,n18:long,ne:double,nf:double,"
            "nz:long,nzf:double,over:decimal(19,0),ue:double,under:decimal(19,0),ws:long,wsf:double,z:long");
  EXPECT_EQ(Infer({path}, false),
            "arr:array<string>,arrf:array<string>,d20:string,d38:string,d39:string,e:string,f:string,f19:string,"
            "f20:string,l18:string,l19:string,max:string,min:string,n18:string,ne:string,nf:string,nz:string,"
            "nzf:string,over:string,ue:string,under:string,ws:string,wsf:string,z:string");
}

// prefersDecimal: a number with a fraction or exponent is decimal(max(p, s), s) of its
// BigDecimal, merged as decimals merge (with a long: decimal(20,0) first); past 38 digits,
// or with a double, it is double. A negative scale (1e5) becomes scale 0 (Spark fails).
TEST(JsonInference, PrefersDecimalTypesFractionsAsTheirBigDecimal) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        R"({"a":1.5,"c":1.50,"d":0.001,"f":1,"n":1.5e-3,"o":-0.0,"t":1E-40,"u":2.5e3,"i":7,"v":[1.25]})"
                        "\n"
                        R"({"a":22.25,"f":2.5,"big":1e400,"nan":NaN,"w":1.5,"v":[100.125]})"
                        "\n"
                        R"({"w":1e400})"
                        "\n");
  InferenceOptions options;
  options.infer_column_types = true;
  options.prefers_decimal = true;
  auto schema = InferJsonSchema({path}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SpellFields(schema->fields),
            "a:decimal(4,2),big:double,c:decimal(3,2),d:decimal(3,3),f:decimal(21,1),i:long,n:decimal(4,4),"
            "nan:double,o:decimal(1,1),t:double,u:decimal(4,0),v:array<decimal(6,3)>,w:double");
  options.infer_column_types = false;  // prefersDecimal types nothing when no types are inferred
  schema = InferJsonSchema({path}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SpellFields(schema->fields).find("decimal"), std::string::npos);
}

// dropFieldIfAllNull: a field null in every record, an array of nothing but nulls, and a
// struct left without fields by that get no column; without it they are strings.
TEST(JsonInference, DropFieldIfAllNullLeavesOutNullOnlyFields) {
  TempDir dir;
  auto path = dir.Write("a.json",
                        R"({"h":null,"i":[],"j":{"k":null},"l":[null],"m":{},"s":{"x":null,"y":1},"q":[{"r":null}]})"
                        "\n"
                        R"({"h":null,"z":1,"g":null})"
                        "\n"
                        R"({"g":"now"})"
                        "\n");
  InferenceOptions options;
  options.infer_column_types = true;
  EXPECT_EQ(SpellFields(InferJsonSchema({path}, options)->fields),
            "g:string,h:string,i:array<string>,j:struct<k:string>,l:array<string>,q:array<struct<r:string>>,"
            "s:struct<x:string,y:long>,z:long");
  options.drop_field_if_all_null = true;
  EXPECT_EQ(SpellFields(InferJsonSchema({path}, options)->fields), "g:string,s:struct<y:long>,z:long");
}

// ignoreCorruptFiles: a sampled file that fails to read (a truncated .gz) adds what was
// read of it; without the option the inference fails naming the file.
TEST(JsonInference, IgnoreCorruptFilesKeepsWhatWasReadOfACorruptFile) {
  TempDir dir;
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "{\"a\":" + std::to_string(i) + ",\"pad\":\"" + std::to_string(i * 7919) + "\"}\n";
  const std::string gz = testing::Compress(arrow::Compression::GZIP, text);
  auto cut = dir.Write("cut.json.gz", gz.substr(0, gz.size() / 2));
  auto good = dir.Write("good.json", "{\"b\":true}\n");
  InferenceOptions options;
  options.infer_column_types = true;
  auto failed = InferJsonSchema({cut, good}, options);
  ASSERT_TRUE(failed.status().IsIOError()) << failed.status().ToString();
  EXPECT_NE(failed.status().message().find(cut), std::string::npos);
  options.ignore_corrupt_files = true;
  auto schema = InferJsonSchema({cut, good}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SpellFields(schema->fields), "a:long,b:boolean,pad:string");
}

TEST(JsonInference, MalformedNumbersMakeTheRecordMalformed) {
  TempDir dir;
  const std::string number = "invalid JSON: Problem while parsing a number";
  const std::string structure =
      "invalid JSON: The JSON document has an improper structure: missing or superfluous commas, braces, "
      "missing keys, etc.";
  const std::pair<const char*, std::string> cases[] = {
      {"1.e5", number},  {"01", number},     {"-01", number},     {"00", number},    {"1e", number},
      {"1.", number},    {"1x", number},     {"1.5x", number},    {"1.2.3", number},
      {"12\"x\"", number}, {"1.5\"x\"", number}, {"[1\"x\"]", number}, {".5", structure}, {"+1", structure},
      {"-", number}, {"-Inf", number}, {"NaNx", structure}};
  for (bool infer_types : {true, false}) {
    for (const auto& [value, reason] : cases) {
      EXPECT_EQ(SecondRecordError(dir, value, infer_types), reason) << value << " infer_types=" << infer_types;
    }
  }
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"b\":1,\"c\":01}\n{\"d\":[1,-]}\n{\"e\":2.5}\n");
  EXPECT_EQ(Infer({path}, true), "a:long,e:double");
}

// Spark reads numbers past double's range as doubles (Infinity), integers past 38 digits
// too, and Jackson's non-numeric numbers (allowNonNumericNumbers, on by default) likewise.
TEST(JsonInference, NumbersPastDoublesRangeAndNonNumericNumbersAreDoubles) {
  TempDir dir;
  const std::string digits309(309, '9');
  auto path = dir.Write("a.json", "{\"a\":1e309,\"b\":-1e400,\"c\":" + digits309 +
                                      ",\"d\":NaN,\"e\":-Infinity,\"f\":+INF,\"g\":Infinity,\"h\":12345678901234567890}\n");
  EXPECT_EQ(Infer({path}, true), "a:double,b:double,c:double,d:double,e:double,f:double,g:double,h:decimal(20,0)");
  EXPECT_EQ(Infer({path}, false), "a:string,b:string,c:string,d:string,e:string,f:string,g:string,h:string");
}

TEST(JsonInference, NonNumericNumbersAreMalformedWhenNotAllowed) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":1}\n{\"b\":NaN}\n{\"c\":-Infinity}\n");
  InferenceOptions options;
  options.infer_column_types = true;
  options.dialect.allow_non_numeric_numbers = false;
  auto schema = InferJsonSchema({path}, options);
  ASSERT_TRUE(schema.ok()) << schema.status().ToString();
  EXPECT_EQ(SpellFields(schema->fields), "a:long");
}

TEST(JsonInference, ALoneSurrogateEscapeIsAString) {
  TempDir dir;
  auto path = dir.Write("a.json", "{\"a\":\"\\ud800\"}\n{\"b\":\"\\ud800\\u0041\\udc00\"}\n{\"c\":\"\\ux\"}\n");
  EXPECT_EQ(Infer({path}, true), "a:string,b:string");
}

}  // namespace
}  // namespace inlet::json
