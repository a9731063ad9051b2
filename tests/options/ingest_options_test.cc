// Tests for `--option KEY=VALUE` parsing and the generated help / README tables.
#include "inlet/options/ingest_options.h"

#include <gtest/gtest.h>

namespace inlet {
namespace {

Status Apply(std::vector<std::string> kvs, IngestOptions* options) {
  return ApplyIngestOptions(kvs, options);
}

TEST(IngestOptions, DefaultsMatchTheDocumentedTable) {
  IngestOptions o;
  EXPECT_EQ(o.format, "json");
  EXPECT_FALSE(o.infer_column_types);
  EXPECT_EQ(o.max_files_per_trigger, 1000);
  EXPECT_FALSE(o.max_bytes_per_trigger.has_value());
  EXPECT_TRUE(o.include_existing_files);
  EXPECT_EQ(o.inference_sample_files, 1000);
  EXPECT_EQ(o.inference_sample_bytes, 50LL << 30);
  EXPECT_EQ(o.target_file_size, 128LL << 20);
  // The table's defaults are what users read; they must agree with the struct.
  EXPECT_FALSE(o.schema_location.has_value());
  EXPECT_FALSE(o.schema_evolution_mode.has_value());
  EXPECT_TRUE(o.reader_case_sensitive);
  IngestOptions parsed;
  for (const OptionSpec& spec : IngestOptionTable()) {
    if (spec.default_value == "none") continue;
    ASSERT_TRUE(Apply({std::string(spec.name) + "=" + std::string(spec.default_value)}, &parsed)
                    .ok())
        << spec.name;
  }
  EXPECT_EQ(parsed.inference_sample_bytes, o.inference_sample_bytes);
  EXPECT_EQ(parsed.target_file_size, o.target_file_size);
  EXPECT_EQ(parsed.max_files_per_trigger, o.max_files_per_trigger);
  EXPECT_EQ(parsed.include_existing_files, o.include_existing_files);
  EXPECT_EQ(parsed.EffectiveEvolutionMode(), o.EffectiveEvolutionMode());
  EXPECT_EQ(parsed.reader_case_sensitive, o.reader_case_sensitive);
  EXPECT_EQ(parsed.mode, o.mode);
  EXPECT_EQ(parsed.max_record_bytes, o.max_record_bytes);
  EXPECT_EQ(parsed.allow_overwrites, o.allow_overwrites);
}

TEST(IngestOptions, BadInputOptionsFillTheirFields) {
  IngestOptions o;
  EXPECT_EQ(o.mode, MalformedRecordMode::kPermissive);
  ASSERT_TRUE(Apply({"mode=dropMalformed", "columnNameOfCorruptRecord=_corrupt_record", "badRecordsPath=/tmp/bad",
                     "inlet.maxRecordBytes=1m", "cloudFiles.allowOverwrites=true"},
                    &o)
                  .ok());
  EXPECT_EQ(o.mode, MalformedRecordMode::kDropMalformed);
  EXPECT_EQ(MalformedRecordModeName(o.mode), "DROPMALFORMED");
  EXPECT_EQ(o.corrupt_record_column, "_corrupt_record");
  EXPECT_EQ(o.bad_records_path, "/tmp/bad");
  EXPECT_EQ(o.max_record_bytes, 1 << 20);
  EXPECT_TRUE(o.allow_overwrites);
  ASSERT_TRUE(Apply({"MODE=failfast"}, &o).ok());
  EXPECT_EQ(o.mode, MalformedRecordMode::kFailFast);
}

TEST(IngestOptions, UnknownModeListsTheModesAndDepthIsBounded) {
  IngestOptions o;
  Status st = Apply({"mode=LENIENT"}, &o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("PERMISSIVE, DROPMALFORMED, FAILFAST"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("'LENIENT'"), std::string::npos) << st.message();
  st = Apply({"inlet.maxNestingDepth=5000"}, &o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("inlet.maxNestingDepth"), std::string::npos) << st.message();
}

TEST(IngestOptions, EvolutionModeDefaultsToAddNewColumnsAndToNoneWithASchema) {
  IngestOptions o;
  EXPECT_EQ(o.EffectiveEvolutionMode(), SchemaEvolutionMode::kAddNewColumns);
  o.schema_ddl = "a BIGINT";
  EXPECT_EQ(o.EffectiveEvolutionMode(), SchemaEvolutionMode::kNone);
  ASSERT_TRUE(Apply({"cloudFiles.schemaEvolutionMode=RESCUE"}, &o).ok());
  EXPECT_EQ(o.EffectiveEvolutionMode(), SchemaEvolutionMode::kRescue);
  ASSERT_TRUE(Apply({"cloudFiles.schemaEvolutionMode=addNewColumnsWithTypeWidening"}, &o).ok());
  EXPECT_EQ(SchemaEvolutionModeName(o.EffectiveEvolutionMode()), "addNewColumnsWithTypeWidening");
}

TEST(IngestOptions, UnknownEvolutionModeListsTheModes) {
  IngestOptions o;
  Status st = Apply({"cloudFiles.schemaEvolutionMode=evolve"}, &o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("'evolve'"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("addNewColumns, addNewColumnsWithTypeWidening, rescue, failOnNewColumns, none"),
            std::string::npos)
      << st.message();
}

TEST(IngestOptions, ThreadsAreAutoOrAPositiveCount) {
  IngestOptions o;
  EXPECT_EQ(o.threads, 0);
  ASSERT_TRUE(Apply({"inlet.threads=3"}, &o).ok());
  EXPECT_EQ(o.threads, 3);
  ASSERT_TRUE(Apply({"inlet.threads=AUTO"}, &o).ok());
  EXPECT_EQ(o.threads, 0);
  Status st = Apply({"inlet.threads=0"}, &o);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("auto or a positive integer"), std::string::npos) << st.message();
}

TEST(IngestOptions, SchemaOptionsFillTheirFields) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"cloudFiles.schemaLocation=/tmp/s", "cloudFiles.schemaHints=a INT, b.c DOUBLE",
                     "rescuedDataColumn=_rescued", "readerCaseSensitive=false"},
                    &o)
                  .ok());
  EXPECT_EQ(o.schema_location, "/tmp/s");
  EXPECT_EQ(o.schema_hints, "a INT, b.c DOUBLE");
  EXPECT_EQ(o.rescued_data_column, "_rescued");
  EXPECT_FALSE(o.reader_case_sensitive);
  EXPECT_FALSE(Apply({"cloudFiles.schemaLocation="}, &o).ok());
}

TEST(IngestOptions, NamesAreCaseInsensitive) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"CLOUDFILES.INFERCOLUMNTYPES=true", "cloudfiles.maxfilespertrigger=7",
                     "MultiLine=TRUE", "recursivefilelookup=True"},
                    &o)
                  .ok());
  EXPECT_TRUE(o.infer_column_types);
  EXPECT_EQ(o.max_files_per_trigger, 7);
  EXPECT_EQ(o.format_options.at("multiLine"), "TRUE");  // the JSON format's, kept as given
  EXPECT_TRUE(o.recursive_file_lookup);
}

TEST(IngestOptions, BooleansAcceptAnyCaseAndRejectOtherWords) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"cloudFiles.includeExistingFiles=FaLsE"}, &o).ok());
  EXPECT_FALSE(o.include_existing_files);
  Status st = Apply({"cloudFiles.includeExistingFiles=yes"}, &o);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("cloudFiles.includeExistingFiles"), std::string::npos);
  EXPECT_NE(st.message().find("'yes'"), std::string::npos);
}

TEST(IngestOptions, PositiveIntegerErrorsNameOptionAndValue) {
  IngestOptions o;
  Status st = Apply({"cloudFiles.maxFilesPerTrigger=abc"}, &o);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_EQ(st.message(),
            "option cloudFiles.maxFilesPerTrigger: expected a positive integer, got 'abc'");
  EXPECT_TRUE(Apply({"cloudFiles.maxFilesPerTrigger=0"}, &o).IsInvalid());
  EXPECT_TRUE(Apply({"cloudFiles.maxFilesPerTrigger=-3"}, &o).IsInvalid());
  EXPECT_TRUE(Apply({"cloudFiles.maxFilesPerTrigger=12x"}, &o).IsInvalid());
  EXPECT_TRUE(Apply({"cloudFiles.maxFilesPerTrigger="}, &o).IsInvalid());
  EXPECT_TRUE(Apply({"cloudFiles.maxFilesPerTrigger=99999999999999999999999"}, &o).IsInvalid());
  ASSERT_TRUE(Apply({"cloudFiles.schemaInference.sampleSize.numFiles=25"}, &o).ok());
  EXPECT_EQ(o.inference_sample_files, 25);
}

TEST(IngestOptions, ByteSizesAcceptSparkSuffixes) {
  struct Case {
    std::string text;
    int64_t bytes;
  };
  for (const Case& c : std::vector<Case>{{"1024", 1024},
                                         {"7b", 7},
                                         {"512k", 512LL << 10},
                                         {"2KB", 2LL << 10},
                                         {"512m", 512LL << 20},
                                         {"10g", 10LL << 30},
                                         {"3Gb", 3LL << 30},
                                         {"1t", 1LL << 40},
                                         {"2tb", 2LL << 40}}) {
    IngestOptions o;
    ASSERT_TRUE(Apply({"cloudFiles.maxBytesPerTrigger=" + c.text}, &o).ok()) << c.text;
    EXPECT_EQ(o.max_bytes_per_trigger, c.bytes) << c.text;
  }
  IngestOptions o;
  ASSERT_TRUE(Apply({"inlet.targetFileSize=64m",
                     "cloudFiles.schemaInference.sampleSize.numBytes=1g"},
                    &o)
                  .ok());
  EXPECT_EQ(o.target_file_size, 64LL << 20);
  EXPECT_EQ(o.inference_sample_bytes, 1LL << 30);
}

TEST(IngestOptions, ByteSizeRejectsUnknownSuffixZeroAndOverflow) {
  IngestOptions o;
  for (std::string bad : {"10x", "g", "0", "-5m", "1.5g", "10 g", "99999999t", ""}) {
    Status st = Apply({"inlet.targetFileSize=" + bad}, &o);
    ASSERT_TRUE(st.IsInvalid()) << bad;
    EXPECT_NE(st.message().find("inlet.targetFileSize"), std::string::npos) << st.message();
    EXPECT_NE(st.message().find("'" + bad + "'"), std::string::npos) << st.message();
  }
}

TEST(IngestOptions, FormatIsOneOfTheRegisteredAndTheErrorListsThem) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"cloudFiles.format=JSON"}, &o).ok());
  EXPECT_EQ(o.format, "json");
  ASSERT_TRUE(Apply({"cloudFiles.format=Csv"}, &o).ok());
  EXPECT_EQ(o.format, "csv");
  Status st = Apply({"cloudFiles.format=excel"}, &o);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("cloudFiles.format"), std::string::npos);
  EXPECT_NE(st.message().find("'excel'"), std::string::npos);
  EXPECT_NE(st.message().find("supported: json, csv"), std::string::npos) << st.message();
}

TEST(IngestOptions, AFormatsOwnOptionIsKeptForItAndCheckedByIt) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"cloudFiles.format=csv", "HEADER=true", "sep=;"}, &o).ok());
  EXPECT_EQ(o.format_options.at("header"), "true");  // canonical name, value as given
  EXPECT_EQ(o.format_options.at("sep"), ";");
  IngestOptions bad;
  Status st = Apply({"cloudFiles.format=csv", "header=maybe"}, &bad);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_EQ(st.message(), "option header: expected true or false, got 'maybe'");
}

TEST(IngestOptions, PathGlobFilterKeepsValueVerbatimIncludingEquals) {
  IngestOptions o;
  ASSERT_TRUE(Apply({"pathGlobFilter=*.{json,JSON}"}, &o).ok());
  EXPECT_EQ(o.path_glob_filter, "*.{json,JSON}");
  // Only the first '=' separates key from value.
  ASSERT_TRUE(Apply({"pathGlobFilter=a=b*"}, &o).ok());
  EXPECT_EQ(o.path_glob_filter, "a=b*");
  EXPECT_TRUE(Apply({"pathGlobFilter="}, &o).IsInvalid());
}

TEST(IngestOptions, UnknownOptionIsAnErrorPointingToHelp) {
  IngestOptions o;
  Status st = Apply({"cloudFiles.foo=1"}, &o);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_EQ(st.message(),
            "unknown option 'cloudFiles.foo' (see inlet ingest --help for the list; "
            "cloudFiles.validateOptions=false lets unknown options through with a warning)");
}

TEST(IngestOptions, MissingEqualsIsAnError) {
  IngestOptions o;
  Status st = Apply({"cloudFiles.inferColumnTypes"}, &o);
  ASSERT_TRUE(st.IsInvalid());
  EXPECT_NE(st.message().find("cloudFiles.inferColumnTypes"), std::string::npos);
  EXPECT_NE(st.message().find("KEY=VALUE"), std::string::npos);
}

TEST(IngestOptions, RepeatedOptionTakesTheLastValue) {
  IngestOptions o;
  ASSERT_TRUE(
      Apply({"cloudFiles.maxFilesPerTrigger=5", "cloudFiles.maxFilesPerTrigger=9"}, &o).ok());
  EXPECT_EQ(o.max_files_per_trigger, 9);
}

TEST(IngestOptions, FileSettleTimeTakesDurationsWithUnits) {
  IngestOptions options;
  EXPECT_EQ(options.file_settle_time_ms, 5000);
  ASSERT_TRUE(ApplyIngestOptions({"inlet.fileSettleTime=500ms"}, &options).ok());
  EXPECT_EQ(options.file_settle_time_ms, 500);
  ASSERT_TRUE(ApplyIngestOptions({"inlet.fileSettleTime=2m"}, &options).ok());
  EXPECT_EQ(options.file_settle_time_ms, 120000);
  ASSERT_TRUE(ApplyIngestOptions({"inlet.fileSettleTime=0"}, &options).ok());
  EXPECT_EQ(options.file_settle_time_ms, 0);
  ASSERT_TRUE(ApplyIngestOptions({"inlet.fileSettleTime=3"}, &options).ok());
  EXPECT_EQ(options.file_settle_time_ms, 3000);
  Status bad = ApplyIngestOptions({"inlet.fileSettleTime=soon"}, &options);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("inlet.fileSettleTime"), std::string::npos) << bad.message();
  EXPECT_FALSE(ApplyIngestOptions({"inlet.fileSettleTime=-1s"}, &options).ok());
}

TEST(IngestOptions, TableListsEveryAcceptedOptionOnce) {
  std::vector<std::string> expected = {"cloudFiles.format",
                                       "cloudFiles.inferColumnTypes",
                                       "cloudFiles.maxFilesPerTrigger",
                                       "maxFilesPerTrigger",
                                       "cloudFiles.maxBytesPerTrigger",
                                       "cloudFiles.includeExistingFiles",
                                       "cloudFiles.useIncrementalListing",
                                       "cloudFiles.schemaInference.sampleSize.numFiles",
                                       "cloudFiles.schemaInference.sampleSize.numBytes",
                                       "inlet.onePassInference",
                                       "pathGlobFilter",
                                       "recursiveFileLookup",
                                       "inlet.targetFileSize",
                                       "inlet.threads",
                                       "cloudFiles.schemaLocation",
                                       "cloudFiles.schemaEvolutionMode",
                                       "cloudFiles.schemaHints",
                                       "rescuedDataColumn",
                                       "readerCaseSensitive",
                                       "mode",
                                       "columnNameOfCorruptRecord",
                                       "badRecordsPath",
                                       "inlet.maxRecordBytes",
                                       "cloudFiles.allowOverwrites",
                                       "inlet.fileSettleTime",
                                       "inlet.loadAppendedBytes",
                                       "dateFormat",
                                       "timestampFormat",
                                       "timestampNTZFormat",
                                       "timeZone",
                                       "locale",
                                       "inferTimestamp",
                                       "samplingRatio",
                                       "compression",
                                       "singleVariantColumn",
                                       "modifiedAfter",
                                       "modifiedBefore",
                                       "ignoreCorruptFiles",
                                       "ignoreMissingFiles",
                                       "cloudFiles.validateOptions",
                                       "cloudFiles.useStrictGlobber"};
  std::vector<std::string> names;
  for (const OptionSpec& spec : IngestOptionTable()) {
    names.emplace_back(spec.name);
    EXPECT_FALSE(spec.doc.empty()) << spec.name;
    EXPECT_FALSE(spec.value_kind.empty()) << spec.name;
  }
  EXPECT_EQ(names, expected);
}

TEST(IngestOptions, HelpAndMarkdownMentionEveryOption) {
  std::string help = IngestOptionsHelp();
  std::string markdown = IngestOptionsMarkdown();
  EXPECT_EQ(markdown.rfind("| option | default | meaning |\n|---|---|---|\n", 0), 0u);
  for (const OptionSpec& spec : IngestOptionTable()) {
    EXPECT_NE(help.find(std::string(spec.name)), std::string::npos) << spec.name;
    EXPECT_NE(help.find(std::string(spec.doc)), std::string::npos) << spec.name;
    EXPECT_NE(markdown.find("| `" + std::string(spec.name) + "` | `" +
                            std::string(spec.default_value) + "` |"),
              std::string::npos)
        << spec.name;
  }
}

TEST(IngestOptions, MarkdownEscapesGlobCharactersInProse) {
  std::string markdown = IngestOptionsMarkdown();
  // pathGlobFilter's doc mentions *.json; unescaped it would start emphasis.
  EXPECT_NE(markdown.find("e.g. \\*.json"), std::string::npos) << markdown;
  EXPECT_NE(markdown.find("`cloudFiles.schemaInference.sampleSize.numFiles`"), std::string::npos);
}

TEST(IngestOptions, HelpColumnsAreAligned) {
  std::string help = IngestOptionsHelp();
  // Every row's default column starts at the same offset as the header's.
  size_t header_end = help.find('\n');
  size_t default_col = help.find("default");
  ASSERT_LT(default_col, header_end);
  size_t pos = header_end + 1;
  size_t rows = 0;
  for (const OptionSpec& spec : IngestOptionTable()) {
    size_t end = help.find('\n', pos);
    std::string line = help.substr(pos, end - pos);
    EXPECT_EQ(line.substr(default_col, spec.default_value.size()), spec.default_value) << line;
    EXPECT_EQ(line[default_col - 1], ' ') << line;
    pos = end + 1;
    ++rows;
  }
  // Then each format's rows under a heading.
  EXPECT_EQ(help.substr(pos, 31), "\n  with cloudFiles.format=json:");
  EXPECT_EQ(rows, IngestOptionTable().size());
}

}  // namespace
}  // namespace inlet
