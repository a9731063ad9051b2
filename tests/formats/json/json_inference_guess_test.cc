// The inference guess (one pass over the sample): it is made only where it can stand for
// the sample, the check admits what cannot change the inferred schema and refutes what
// can, and whatever the data, guess + checks + re-inference give what InferJsonSchema gives.
#include "inlet/formats/json/json_inference_guess.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "inlet/formats/json/json_input.h"
#include "json_test_util.h"

namespace inlet::json {
namespace {

using testing::TempDir;

// Records in the head of a file (> 64 KB of them), then `tail` after it.
std::string HeadThen(const std::string& record, const std::string& tail, size_t head_bytes = 70 << 10) {
  std::string text;
  while (text.size() < head_bytes) text += record + "\n";
  return text + tail;
}

InferenceOptions Typed() {
  InferenceOptions options;
  options.infer_column_types = true;
  return options;
}

std::shared_ptr<const InferenceGuess> MakeGuess(const std::vector<std::string>& paths,
                                                const InferenceOptions& options = Typed()) {
  auto guess = InferenceGuess::Make(paths, options, paths.size());
  EXPECT_TRUE(guess.ok()) << guess.status().ToString();
  return guess.ok() ? *guess : nullptr;
}

// Every line of `path` through one check, as a reader would hand flagged ones over.
bool AdmitsEveryLine(InferenceCheck& check, const std::string& path) {
  NdjsonLineReader reader;
  EXPECT_TRUE(reader.Open(path).ok());
  JsonLine line;
  while (true) {
    auto more = reader.Next(&line);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) return true;
    if (!check.Admit(line)) return false;
  }
}

Schema Truth(const std::vector<std::string>& paths, const InferenceOptions& options = Typed()) {
  auto schema = InferJsonSchema(paths, options);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ValueOr(Schema{});
}

TEST(InferenceGuess, IsWhatInferenceGivesWhenTheHeadsSawEveryShape) {
  TempDir dir;
  const std::string a = dir.Write("a.json", HeadThen(R"({"id":1,"t":20.5,"s":{"x":"a"}})", ""));
  const std::string b = dir.Write("b.json", HeadThen(R"({"id":2,"t":21,"s":{"x":"b"},"ok":true})", ""));
  auto guess = MakeGuess({a, b});
  ASSERT_NE(guess, nullptr);
  EXPECT_EQ(guess->schema(), Truth({a, b}));
  EXPECT_EQ(guess->sample_files(), 2u);
}

TEST(InferenceGuess, IsNotMadeWhereItCannotStandForTheSample) {
  TempDir dir;
  const std::string a = dir.Write("a.json", HeadThen(R"({"id":1})", ""));
  const std::string b = dir.Write("b.json", HeadThen(R"({"id":2})", ""));
  InferenceOptions multi_line = Typed();
  multi_line.multi_line = true;
  EXPECT_EQ(*InferenceGuess::Make({a}, multi_line, 1), nullptr);
  InferenceOptions part_of_a_file = Typed();
  part_of_a_file.max_bytes = 1000;  // the sample would end inside a.json
  EXPECT_EQ(*InferenceGuess::Make({a, b}, part_of_a_file, 2), nullptr);
  EXPECT_EQ(*InferenceGuess::Make({a, b}, Typed(), 1), nullptr);  // the read takes one file only
  const std::string wide = dir.Write("wide.json", R"({"id":123456789012345678901})" "\n");
  EXPECT_EQ(*InferenceGuess::Make({wide}, Typed(), 1), nullptr);  // decimal(21,0)
  const std::string blank = dir.Write("blank.json", "\n\n");
  EXPECT_EQ(*InferenceGuess::Make({blank}, Typed(), 1), nullptr);
  EXPECT_EQ(*InferenceGuess::Make({dir.path() + "/gone.json"}, Typed(), 1), nullptr);
}

TEST(InferenceCheck, AdmitsRecordsThatAddNothingAndRefutesOnesThatDo) {
  TempDir dir;
  const std::string a = dir.Write("a.json", HeadThen(R"({"id":1,"t":2.5,"tags":["x"],"n":null})", ""));
  auto guess = MakeGuess({a});
  ASSERT_NE(guess, nullptr);
  EXPECT_EQ(guess->null_only_paths(), std::vector<FieldPath>{FieldPath{"n"}});
  auto admits = [&](const std::string& record) {
    InferenceCheck check(guess);
    std::string text = record + "\n";
    std::vector<char> padded(text.begin(), text.end());
    padded.resize(text.size() + simdjson::SIMDJSON_PADDING);
    JsonLine line;
    line.data = padded.data();
    line.size = record.size();
    line.capacity = padded.size();
    return check.Admit(line);
  };
  EXPECT_TRUE(admits(R"({"id":5,"t":3})"));             // long fits double
  EXPECT_TRUE(admits(R"({"n":"text"})"));               // null + string = string, as guessed
  EXPECT_TRUE(admits(R"({"id":1,"id":2})"));            // a duplicate of the same kind
  EXPECT_TRUE(admits(R"({"id":1,)"));                   // malformed: inference skips it
  EXPECT_FALSE(admits(R"({"id":1.5})"));                // long -> double
  EXPECT_FALSE(admits(R"({"n":3})"));                   // null-only -> long
  EXPECT_FALSE(admits(R"({"id":1,"new":1})"));          // a new column
  EXPECT_FALSE(admits(R"({"tags":"x"})"));              // array + string -> string
  EXPECT_FALSE(admits(R"({"t":"NaN"})"));               // double + string -> string
  EXPECT_FALSE(admits(R"({"id":12345678901234567890123})"));  // long -> decimal
}

TEST(InferenceCheck, ThreadsThatEachAdmitNothingNewCanTogetherChangeTheSchema) {
  TempDir dir;
  const std::string a = dir.Write("a.json", HeadThen(R"({"id":1})", R"({"id":2,"e":{}})" "\n"));
  const std::string b = dir.Write("b.json", HeadThen(R"({"id":1})", R"({"id":3,"e":[{}]})" "\n"));
  auto guess = MakeGuess({a, b});
  ASSERT_NE(guess, nullptr);
  InferenceCheck first(guess), second(guess);
  EXPECT_TRUE(AdmitsEveryLine(first, a));   // {} infers no column
  EXPECT_TRUE(AdmitsEveryLine(second, b));  // [{}] infers no column either
  EXPECT_TRUE(GuessHolds(*guess, {first.folded()}));
  EXPECT_TRUE(GuessHolds(*guess, {second.folded()}));
  EXPECT_FALSE(GuessHolds(*guess, {first.folded(), second.folded()}));  // together: e string
  auto inferred = InferAfterRefutedGuess(*guess, {first.folded(), second.folded()}, {});
  ASSERT_TRUE(inferred.ok());
  EXPECT_EQ(*inferred, Truth({a, b}));
}

TEST(InferenceCheck, ReinferenceAfterARefutationReadsOnlyTheUncheckedFiles) {
  TempDir dir;
  const std::string a = dir.Write("a.json", HeadThen(R"({"id":1})", ""));
  const std::string b = dir.Write("b.json", HeadThen(R"({"id":1})", R"({"id":2,"late":"x"})" "\n"));
  auto guess = MakeGuess({a, b});
  ASSERT_NE(guess, nullptr);
  InferenceCheck check(guess);
  EXPECT_TRUE(AdmitsEveryLine(check, a));
  EXPECT_FALSE(AdmitsEveryLine(check, b));
  auto inferred = InferAfterRefutedGuess(*guess, {check.folded()}, {b});
  ASSERT_TRUE(inferred.ok());
  EXPECT_EQ(*inferred, Truth({a, b}));
}

// The reader hands the check every record that may change the inference, and stops at the
// first one that does; records plainly of the guess's types never reach it.
TEST(InferenceCheck, TheReaderStopsAtTheFirstRecordThatRefutesTheGuess) {
  TempDir dir;
  const std::string head = R"({"id":1,"t":2.5,"tags":["x"],"n":null,"s":{"x":1}})";
  const std::string base = dir.Write("base.json", HeadThen(head, ""));
  auto guess = MakeGuess({base});
  ASSERT_NE(guess, nullptr);
  const int head_lines = static_cast<int>(HeadThen(head, "").size() / (head.size() + 1));
  struct Case {
    const char* tail;
    bool refutes;
  };
  const Case cases[] = {
      {R"({"id":2})", false},                    // fields missing
      {R"({"n":"text"})", false},                // null-only, then a string: string
      {R"({"id":1,"id":2})", false},             // a duplicate of the same kind
      {R"({"id":5})", false},               // an escaped spelling of a column
      {R"({"tags":[1]})", false},                // string elements take a number
      {R"({"id":)", false},                      // malformed: inference skips it too
      {R"({"id":"x"})", true},                   // long + string
      {R"({"t":"NaN"})", true},                  // read as NaN, inferred as string
      {R"({"n":5})", true},                      // null-only + long
      {R"({"id":1,"id":"x"})", true},            // a duplicate of another kind
      {R"({"zz":1})", true},                     // a new column
      {R"({"ID":1})", true},                     // a case variant
      {R"({"s":{"x":1,"y":2}})", true},          // a new nested field
      {R"({"s":{"x":1.5}})", true},              // a nested long -> double
  };
  for (bool rescue : {false, true}) {
    for (const Case& c : cases) {
      const std::string path =
          dir.Write("f.json", HeadThen(head, std::string(c.tail) + "\n" + R"({"id":9})" "\n"));
      JsonReadOptions read;
      Schema schema = guess->schema();
      if (rescue) {
        read.rescued_data_column = "_rescued_data";
        schema.fields.push_back(Field{"_rescued_data", DataType::String(), true, "{}"});
      }
      InferenceCheck check(guess);
      read.inference_check = &check;
      auto result = testing::ReadAll(path, schema, read);
      ASSERT_TRUE(result.status.ok()) << result.status.ToString();
      EXPECT_EQ(result.counts.guess_refuted_line, c.refutes ? head_lines + 1 : 0)
          << c.tail << (rescue ? " (with a rescued data column)" : "");
      // Reading stops after the refuting record; otherwise it goes on to the end.
      EXPECT_EQ(result.counts.records, c.refutes ? head_lines + 1 : head_lines + 2) << c.tail;
    }
  }
}

// ---- Differential: guess + reader checks + re-inference == InferJsonSchema -------------------

// Random NDJSON over a small vocabulary of names and JSON kinds. Each file has a producer:
// a fixed list of fields, each of one kind (nested structs, arrays, null-only ones), which
// fills the heads. Past the heads come a few records that change one thing each: a value of
// another kind (nulls, wide integers, "NaN", exponents, {}, [{}], mixed arrays), a duplicate
// key, a new, escaped or case-variant key, a missing field, or a malformed line.
class Producer {
 public:
  explicit Producer(std::mt19937& rng) : rng_(rng) {
    static const char* kNames[] = {"a", "b", "c", "s", "arr", "d"};
    const int count = Pick(2, 6);
    for (int i = 0; i < count; ++i) fields_.push_back({kNames[i], Pick(0, 9)});
  }

  std::string Usual() {
    std::string out = "{";
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i > 0) out += ",";
      out += "\"" + fields_[i].name + "\":" + Value(fields_[i].kind, 0);
    }
    return out + "}";
  }

  std::string Rare() {
    std::string out = "{";
    const size_t changed = static_cast<size_t>(Pick(0, static_cast<int>(fields_.size()) - 1));
    const int how = Pick(0, 5);
    for (size_t i = 0; i < fields_.size(); ++i) {
      if (i == changed && how == 4) continue;  // missing
      if (out.size() > 1) out += ",";
      const int kind = i == changed && how == 0 ? Pick(0, 16) : fields_[i].kind;
      out += "\"" + fields_[i].name + "\":" + Value(kind, 0);
    }
    static const char* kOther[] = {"A", "new", "\\u0061", "S"};
    if (how == 1) out += ",\"" + fields_[changed].name + "\":" + Value(Pick(0, 16), 0);  // duplicate
    if (how == 2) out += std::string(",\"") + kOther[Pick(0, 3)] + "\":" + Value(Pick(0, 16), 0);
    out += "}";
    if (how == 3) out = out.substr(0, out.size() / 2);  // malformed
    return out;
  }

 private:
  struct FieldKind {
    std::string name;
    int kind;
  };
  int Pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  std::string Value(int kind, int depth) {
    if (depth > 2) kind %= 5;
    switch (kind) {
      case 0: return "null";
      case 1: return std::to_string(Pick(-50, 50));
      case 2: return std::to_string(Pick(0, 99)) + ".5";
      case 3: return "\"v" + std::to_string(Pick(0, 9)) + "\"";
      case 4: return Pick(0, 1) ? "true" : "false";
      case 5: return "[" + std::to_string(Pick(0, 9)) + "]";
      case 6: return "{\"x\":" + Value(1 + depth % 4, depth + 1) + ",\"n\":null}";
      case 7: return "[{\"y\":" + Value(2, depth + 1) + "}]";
      case 8: return "[]";
      case 9: return "[null]";
      case 10: return "{}";
      case 11: return "[{}]";
      case 12: return "12345678901234567890123";
      case 13: return "\"NaN\"";
      case 14: return "1e3";
      case 15: return "[" + Value(Pick(0, 7), depth + 1) + "," + Value(Pick(0, 7), depth + 1) + "]";
      default: return "{\"x\":" + Value(Pick(0, 16), depth + 1) + "}";
    }
  }

  std::mt19937& rng_;
  std::vector<FieldKind> fields_;
};

TEST(InferenceGuessDifferential, GuessChecksAndReinferenceAlwaysGiveWhatInferenceGives) {
  int held = 0, refuted = 0, not_made = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    TempDir dir;
    std::mt19937 rng(seed);
    std::vector<std::string> paths;
    for (int f = 0; f < 3; ++f) {
      // A producer's records fill the head (64 KB); at most one changed record may follow.
      Producer producer(rng);
      std::string text;
      while (text.size() < (66 << 10)) text += producer.Usual() + "\n";
      if (rng() % 2 == 0) text += producer.Rare() + "\n";
      paths.push_back(dir.Write("f" + std::to_string(f) + ".json", text));
    }
    InferenceOptions options = Typed();
    options.infer_column_types = seed % 5 != 0;
    const Schema truth = Truth(paths, options);
    auto guess = InferenceGuess::Make(paths, options, paths.size());
    ASSERT_TRUE(guess.ok()) << guess.status().ToString();
    if (*guess == nullptr) {
      ++not_made;
      continue;
    }
    // The reader side: the guess read as a schema, with rescue or not, new-field stops or
    // not; every file checked on one of two "threads".
    JsonReadOptions read;
    Schema schema = (*guess)->schema();
    if (seed % 2 == 0) {
      read.rescued_data_column = "_rescued_data";
      schema.fields.push_back(Field{"_rescued_data", DataType::String(), true, "{}"});
    }
    read.stop_on_new_fields = seed % 3 == 0;
    read.case_sensitive = seed % 7 != 0;
    InferenceCheck checks[2] = {InferenceCheck(*guess), InferenceCheck(*guess)};
    std::vector<std::string> unchecked;
    bool was_refuted = false;
    for (size_t f = 0; f < paths.size(); ++f) {
      if (was_refuted) {
        unchecked.push_back(paths[f]);
        continue;
      }
      read.inference_check = &checks[f % 2];
      auto result = testing::ReadAll(paths[f], schema, read);
      ASSERT_TRUE(result.status.ok()) << "seed " << seed << ": " << result.status.ToString();
      if (result.counts.guess_refuted_line > 0 || result.counts.new_field_line > 0) {
        was_refuted = true;
        unchecked.push_back(paths[f]);
      }
    }
    std::vector<DataTypePtr> folded = {checks[0].folded(), checks[1].folded()};
    if (!was_refuted && GuessHolds(**guess, folded)) {
      ++held;
      EXPECT_EQ((*guess)->schema(), truth) << "seed " << seed << ": the guess held but inference differs";
    } else {
      ++refuted;
      auto inferred = InferAfterRefutedGuess(**guess, folded, unchecked);
      ASSERT_TRUE(inferred.ok()) << inferred.status().ToString();
      EXPECT_EQ(*inferred, truth) << "seed " << seed;
    }
  }
  // The cases cover both outcomes, not one of them only.
  EXPECT_GT(held, 80);
  EXPECT_GT(refuted, 80);
  EXPECT_LT(not_made, 100);
}

}  // namespace
}  // namespace inlet::json
