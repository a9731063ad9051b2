// A stream's schema: where it comes from (repository, inference, hints), what drift does
// to it per evolution mode, and how a batch's file schema folds into the Delta table's.
#include "inlet/stream/stream_schema.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "inlet/schema/ddl.h"
#include "inlet/schema/spark_json.h"
#include "inlet/stream/schema_change.h"
#include "inlet/util/ids.h"

namespace inlet::stream {
namespace {

namespace fs = std::filesystem;

Schema Ddl(std::string_view ddl) {
  auto schema = ParseDdlSchema(ddl);
  EXPECT_TRUE(schema.ok()) << schema.status().ToString();
  return schema.ValueOrDie();
}

class StreamSchemaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("inlet-stream-schema-" + NewUuid());
    fs::create_directories(dir_ / "landing");
    options_.source_pattern = (dir_ / "landing" / "*.json").string();
    options_.table_dir = (dir_ / "table").string();
    options_.schema_location = (dir_ / "schemas").string();
    options_.infer_column_types = true;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    fs::path path = dir_ / "landing" / name;
    std::ofstream(path) << text;
    return path.string();
  }

  Result<StreamReadSchema> Resolve(const std::vector<std::string>& files,
                                   const std::optional<Schema>& table = std::nullopt) {
    INLET_ASSIGN_OR_RAISE(stream_, StreamSchema::Open(options_));
    return stream_->Resolve(files, table);
  }

  void OpenStream() {
    auto stream = StreamSchema::Open(options_);
    ASSERT_TRUE(stream.ok()) << stream.status().ToString();
    stream_ = std::move(*stream);
  }

  std::vector<int64_t> Versions() {
    auto repository = SchemaRepository::OpenExisting(*options_.schema_location);
    if (!repository.ok()) return {};
    return repository->ListVersions().ValueOr({});
  }

  fs::path dir_;
  IngestOptions options_;
  std::unique_ptr<StreamSchema> stream_;
};

TEST_F(StreamSchemaTest, NoSchemaAndNoLocationNamesTheOptionToSet) {
  options_.schema_location.reset();
  auto stream = StreamSchema::Open(options_);
  ASSERT_FALSE(stream.ok());
  EXPECT_NE(stream.status().message().find("cloudFiles.schemaLocation"), std::string::npos);
}

TEST_F(StreamSchemaTest, AddNewColumnsWithAUserSchemaNeedsALocation) {
  options_.schema_location.reset();
  options_.schema_ddl = "a BIGINT";
  options_.schema_evolution_mode = SchemaEvolutionMode::kAddNewColumns;
  EXPECT_FALSE(StreamSchema::Open(options_).ok());
  options_.schema_evolution_mode = SchemaEvolutionMode::kRescue;
  EXPECT_TRUE(StreamSchema::Open(options_).ok());
}

TEST_F(StreamSchemaTest, FirstResolveInfersWritesVersionZeroAndAddsTheRescuedColumn) {
  std::string file = Write("a.json", R"({"b": 1, "a": "x"})" "\n");
  auto read = Resolve({file});
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->data_schema, Ddl("a STRING, b BIGINT"));
  EXPECT_EQ(read->rescued_column, "_rescued_data");
  EXPECT_EQ(read->version, 0);
  EXPECT_EQ(read->FileSchema(), Ddl("a STRING, b BIGINT, _rescued_data STRING"));
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
  // The next run reads version 0 and writes nothing.
  auto again = Resolve({});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->data_schema, read->data_schema);
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

// ---- One-pass inference: a guess the first batch's read settles -----------------------------

TEST_F(StreamSchemaTest, AFirstBatchThatHoldsTheSampleGetsAGuessAndNoVersionUntilSettled) {
  std::string a = Write("a.json", R"({"b": 1, "a": "x"})" "\n");
  std::string b = Write("b.json", R"({"b": 2})" "\n");
  OpenStream();
  auto read = stream_->Resolve({a, b}, std::nullopt, /*first_batch_files=*/2);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  ASSERT_NE(stream_->guess(), nullptr);
  EXPECT_EQ(read->data_schema, Ddl("a STRING, b BIGINT"));
  EXPECT_EQ(read->rescued_column, "_rescued_data");
  EXPECT_TRUE(Versions().empty());  // a crash now leaves no version behind
  auto held = stream_->SettleGuess(false, {}, {});
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_TRUE(*held);
  EXPECT_EQ(stream_->guess(), nullptr);
  EXPECT_EQ(stream_->resolved().version, 0);
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST_F(StreamSchemaTest, ARefutedGuessSettlesOnWhatTheWholeSampleInfers) {
  std::string a = Write("a.json", R"({"b": 1})" "\n");
  std::string b = Write("b.json", R"({"b": 2})" "\n");
  OpenStream();
  ASSERT_TRUE(stream_->Resolve({a, b}, std::nullopt, 2).ok());
  ASSERT_NE(stream_->guess(), nullptr);
  // What the read would have found past the heads: b is written again with a new field.
  Write("b.json", R"({"b": 2, "c": true})" "\n");
  auto held = stream_->SettleGuess(/*refuted=*/true, {}, {b});
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  EXPECT_FALSE(*held);
  EXPECT_EQ(stream_->resolved().data_schema, Ddl("b BIGINT, c BOOLEAN"));
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST_F(StreamSchemaTest, NoGuessWhenTheBatchMissesPartOfTheSampleOrHintsOrTheOptionSayNo) {
  std::string a = Write("a.json", R"({"b": 1})" "\n");
  std::string b = Write("b.json", R"({"b": 2})" "\n");
  auto resolve = [&](size_t batch_files) {
    fs::remove_all(*options_.schema_location);
    OpenStream();
    EXPECT_TRUE(stream_->Resolve({a, b}, std::nullopt, batch_files).ok());
    return stream_->guess() != nullptr;
  };
  EXPECT_TRUE(resolve(2));
  EXPECT_FALSE(resolve(1));  // maxFilesPerTrigger below the sample: inference reads it first
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
  options_.schema_hints = "b DOUBLE";
  EXPECT_FALSE(resolve(2));
  options_.schema_hints.clear();
  options_.one_pass_inference = false;
  EXPECT_FALSE(resolve(2));
}

TEST_F(StreamSchemaTest, ChangedHintsWriteANewVersionAndUnchangedOnesDoNot) {
  std::string file = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({file}).ok());
  options_.schema_hints = "a DOUBLE";
  auto hinted = Resolve({});
  ASSERT_TRUE(hinted.ok());
  EXPECT_EQ(hinted->data_schema, Ddl("a DOUBLE"));
  EXPECT_EQ(Versions(), (std::vector<int64_t>{0, 1}));
  ASSERT_TRUE(Resolve({}).ok());
  EXPECT_EQ(Versions(), (std::vector<int64_t>{0, 1}));
}

TEST_F(StreamSchemaTest, AHintTheTableCannotTakeIsRefusedBeforeAnyVersion) {
  std::string file = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({file}).ok());
  options_.schema_hints = "a DOUBLE";
  auto refused = Resolve({}, Ddl("a BIGINT, _rescued_data STRING"));
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("cannot change long to double"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST_F(StreamSchemaTest, AHintTheReaderCannotUseIsRefusedUpFrontNamingIt) {
  options_.schema_hints = "a BIGINT, m MAP<INT,STRING>";
  Status refused = CheckSchemaOptionsReadable(options_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("'m MAP<INT,STRING>'"), std::string::npos) << refused.message();
  EXPECT_NE(refused.message().find("string keys"), std::string::npos) << refused.message();
  options_.schema_hints = "m MAP<STRING,INT>, a.b ARRAY<MAP<STRING,DATE>>";
  EXPECT_TRUE(CheckSchemaOptionsReadable(options_).ok());
  options_.schema_hints = "";
  options_.schema_ddl = "id BIGINT, m MAP<BIGINT,STRING>";
  refused = CheckSchemaOptionsReadable(options_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.message().rfind("--schema: column m", 0), 0u) << refused.message();
}

TEST_F(StreamSchemaTest, AHintedSchemaTheReaderCannotReadIsNeverRecorded) {
  std::string file = Write("a.json", R"({"m": {"x": 1}})" "\n");
  options_.schema_hints = "m MAP<STRING,BIGINT>";
  ASSERT_TRUE(Resolve({file}).ok());
  // Each hint alone is readable; together with the schema they make a map keyed by int.
  options_.schema_hints = "m MAP<STRING,BIGINT>, m.key INT";
  ASSERT_TRUE(CheckSchemaOptionsReadable(options_).ok());
  auto refused = Resolve({});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("m.key INT"), std::string::npos) << refused.status().message();
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST_F(StreamSchemaTest, AnUnreadableVersionFromAnOlderBuildSaysHowToRecover) {
  // What an older inlet wrote for schemaHints='m MAP<INT,STRING>' before failing.
  std::string file = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({file}).ok());
  auto repository = SchemaRepository::Open(*options_.schema_location);
  ASSERT_TRUE(repository.ok());
  ASSERT_TRUE(repository->Write(1, Ddl("a BIGINT, m MAP<INT,STRING>"), "m MAP<INT,STRING>").ok());
  auto refused = Resolve({});
  ASSERT_FALSE(refused.ok());
  const std::string& message = refused.status().message();
  EXPECT_NE(message.find("schema version 1"), std::string::npos) << message;
  EXPECT_NE(message.find("delete '" + (fs::path(*options_.schema_location) / "_schemas" / "1").string() + "'"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("goes back to version 0"), std::string::npos) << message;
  fs::remove(fs::path(*options_.schema_location) / "_schemas" / "1");
  auto recovered = Resolve({});
  ASSERT_TRUE(recovered.ok()) << recovered.status().ToString();
  EXPECT_EQ(recovered->data_schema, Ddl("a BIGINT"));
}

TEST_F(StreamSchemaTest, NoneModeWithAUserSchemaHasNoRescuedColumnUnlessNamed) {
  options_.schema_ddl = "a BIGINT";
  auto read = Resolve({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rescued_column, "");
  options_.rescued_data_column = "_bad";
  read = Resolve({});
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->rescued_column, "_bad");
}

TEST_F(StreamSchemaTest, DriftInAddNewColumnsWritesTheNextVersionAndStops) {
  std::string first = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({first}).ok());
  std::string second = Write("b.json", R"({"a": 2, "z": {"y": true}, "c": 1.5})" "\n");
  ObservedDrift drift{{second}, second, 1, {"z"}, {}};
  Status stop = stream_->HandleDrift(drift);
  ASSERT_TRUE(IsSchemaChange(stop)) << stop.ToString();
  EXPECT_EQ(stop.message().rfind("UnknownFieldException: ", 0), 0u);
  EXPECT_NE(stop.message().find("[c double, z struct]"), std::string::npos) << stop.message();
  EXPECT_NE(stop.message().find("_schemas/1"), std::string::npos);
  EXPECT_EQ(Versions(), (std::vector<int64_t>{0, 1}));
  auto next = Resolve({});
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->data_schema, Ddl("a BIGINT, c DOUBLE, z STRUCT<y: BOOLEAN>"));
}

TEST_F(StreamSchemaTest, FailOnNewColumnsStopsWithoutWritingAVersion) {
  options_.schema_evolution_mode = SchemaEvolutionMode::kFailOnNewColumns;
  std::string first = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({first}).ok());
  std::string second = Write("b.json", R"({"a": 2, "z": 1})" "\n");
  Status stop = stream_->HandleDrift(ObservedDrift{{second}, second, 1, {"z"}, {}});
  ASSERT_TRUE(IsSchemaChange(stop));
  EXPECT_NE(stop.message().find("failOnNewColumns"), std::string::npos);
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST_F(StreamSchemaTest, DriftThatAddsNothingLetsTheBatchGoOn) {
  std::string first = Write("a.json", R"({"a": 1})" "\n");
  ASSERT_TRUE(Resolve({first}).ok());
  std::string second = Write("b.json", R"({"a": 2, "empty": {}})" "\n");
  EXPECT_TRUE(stream_->HandleDrift(ObservedDrift{{second}, second, 1, {"empty"}, {}}).ok());
  EXPECT_EQ(Versions(), std::vector<int64_t>{0});
}

TEST(MergeIntoTableSchema, NewFieldsGoBeforeTheTrailingRescuedColumnAndNestedOnesAtTheirEnd) {
  bool widened = true;
  auto merged = MergeIntoTableSchema(Ddl("a BIGINT, s STRUCT<x: DOUBLE>, _rescued_data STRING"),
                                     Ddl("a BIGINT, s STRUCT<x: DOUBLE, y: STRING>, n STRING, _rescued_data STRING"),
                                     "_rescued_data", "t", &widened);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_EQ(*merged, Ddl("a BIGINT, s STRUCT<x: DOUBLE, y: STRING>, n STRING, _rescued_data STRING"));
  EXPECT_FALSE(widened);
}

TEST(MergeIntoTableSchema, KeepsTableColumnsTheBatchLacks) {
  bool widened = false;
  auto merged = MergeIntoTableSchema(Ddl("a BIGINT, old STRING"), Ddl("a BIGINT"), "", "t", &widened);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(*merged, Ddl("a BIGINT, old STRING"));
}

TEST(MergeIntoTableSchema, WidensWhereDeltaAllowsAndRecordsTheChange) {
  bool widened = false;
  auto merged = MergeIntoTableSchema(Ddl("a INT, f ARRAY<FLOAT>"), Ddl("a BIGINT, f ARRAY<DOUBLE>"), "", "t",
                                     &widened);
  ASSERT_TRUE(merged.ok()) << merged.status().ToString();
  EXPECT_TRUE(widened);
  EXPECT_EQ(*merged, Ddl("a BIGINT, f ARRAY<DOUBLE>"));
  EXPECT_NE(merged->fields[0].metadata_json.find(R"("fromType":"integer")"), std::string::npos)
      << merged->fields[0].metadata_json;
  EXPECT_NE(merged->fields[1].metadata_json.find(R"("fieldPath":"element")"), std::string::npos)
      << merged->fields[1].metadata_json;
}

TEST(MergeIntoTableSchema, RefusesChangesDeltaCannotMakeNamingColumnAndTable) {
  bool widened = false;
  auto merged =
      MergeIntoTableSchema(Ddl("s STRUCT<h: BIGINT>"), Ddl("s STRUCT<h: DOUBLE>"), "", "/data/bronze", &widened);
  ASSERT_FALSE(merged.ok());
  EXPECT_NE(merged.status().message().find("column s.h is long in table '/data/bronze' but double"),
            std::string::npos)
      << merged.status().message();
}

}  // namespace
}  // namespace inlet::stream
