// Spark's JSON and file source options as pipelines copied from Databricks set them: every
// one is accepted with Spark's default, and the few inlet cannot honour say why.
#include <gtest/gtest.h>

#include "inlet/options/ingest_options.h"

namespace inlet {
namespace {

Status Apply(std::vector<std::string> kvs, IngestOptions* options) { return ApplyIngestOptions(kvs, options); }

void ExpectRefused(const std::string& kv, const std::string& why) {
  IngestOptions options;
  Status st = Apply({kv}, &options);
  ASSERT_FALSE(st.ok()) << kv;
  EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
}

TEST(SparkOptions, APipelineWithEveryOptionAtItsDefaultStarts) {
  IngestOptions options;
  Status st = Apply({"allowComments=false", "allowSingleQuotes=true", "allowUnquotedFieldNames=false",
                     "allowNonNumericNumbers=true", "allowNumericLeadingZeros=false",
                     "allowBackslashEscapingAnyCharacter=false", "allowUnquotedControlChars=false",
                     "dateFormat=yyyy-MM-dd", "timestampFormat=yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
                     "timestampNTZFormat=yyyy-MM-dd'T'HH:mm:ss[.SSS]", "primitivesAsString=false",
                     "prefersDecimal=false", "dropFieldIfAllNull=false", "encoding=UTF-8", "lineSep=\n",
                     "samplingRatio=1.0", "locale=en-US", "timeZone=UTC", "inferTimestamp=false",
                     "compression=gzip", "ignoreCorruptFiles=false", "ignoreMissingFiles=false",
                     "modifiedAfter=2020-06-01T13:00:00", "modifiedBefore=2030-06-01T13:00:00",
                     "cloudFiles.validateOptions=true", "cloudFiles.useStrictGlobber=true",
                     "maxFilesPerTrigger=7"},
                    &options);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(options.max_files_per_trigger, 7);
  EXPECT_EQ(options.modified_after, "2020-06-01T13:00:00");
  EXPECT_EQ(options.date_format, "yyyy-MM-dd");
}

TEST(SparkOptions, FileOptionsDefaultToSparksAndFillTheirFields) {
  IngestOptions defaults;
  EXPECT_FALSE(defaults.ignore_corrupt_files);
  EXPECT_FALSE(defaults.ignore_missing_files);
  EXPECT_TRUE(defaults.validate_options);
  EXPECT_EQ(defaults.time_zone, "UTC");
  EXPECT_FALSE(defaults.date_format || defaults.timestamp_format || defaults.modified_after ||
               defaults.modified_before);
  IngestOptions options;
  ASSERT_TRUE(Apply({"ignoreCorruptFiles=true", "ignoreMissingFiles=TRUE", "timeZone=America/Los_Angeles",
                     "timestampFormat=dd/MM/yyyy HH:mm"},
                    &options)
                  .ok());
  EXPECT_TRUE(options.ignore_corrupt_files && options.ignore_missing_files);
  EXPECT_EQ(options.time_zone, "America/Los_Angeles");
  EXPECT_EQ(options.timestamp_format, "dd/MM/yyyy HH:mm");
}

TEST(SparkOptions, EncodingsOtherThanUtf8AreRefusedSayingInletReadsUtf8) {
  IngestOptions options;
  EXPECT_TRUE(Apply({"encoding=utf-8", "encoding=UTF8", "encoding=utf_8"}, &options).ok());
  ExpectRefused("encoding=UTF-16LE", "inlet reads UTF-8 only");
  ExpectRefused("encoding=ISO-8859-1", "inlet reads UTF-8 only");
}

TEST(SparkOptions, LineSeparatorsAreLineFeedsOnly) {
  IngestOptions options;
  EXPECT_TRUE(Apply({"lineSep=\n", "lineSep=\r\n", "lineSep=\\n", "lineSep=\\r\\n"}, &options).ok());
  ExpectRefused("lineSep=\r", "a lone \\r does not end one");
  ExpectRefused("lineSep=|", "line feed");
}

TEST(SparkOptions, SamplingRatioOtherThanOneSaysWhatToUseInstead) {
  IngestOptions options;
  EXPECT_TRUE(Apply({"samplingRatio=1", "samplingRatio=1.0"}, &options).ok());
  ExpectRefused("samplingRatio=0.5", "sampleSize.numFiles");
  ExpectRefused("samplingRatio=0", "a fraction in (0, 1]");
  ExpectRefused("samplingRatio=abc", "a fraction in (0, 1]");
}

TEST(SparkOptions, LocaleAndInferTimestampRefusalsSayWhy) {
  IngestOptions options;
  EXPECT_TRUE(Apply({"locale=en-US", "locale=en_us", "inferTimestamp=false", "compression=ZSTD"}, &options).ok());
  ExpectRefused("locale=fr-FR", "English only");
  ExpectRefused("inferTimestamp=true", "hint the column");
  ExpectRefused("compression=brotli", "expected none");
}

// singleVariantColumn is the stream's whole schema: one VARIANT column (quoted, so any name
// works), nothing inferred, hinted or rescued beside it.
TEST(SparkOptions, SingleVariantColumnIsTheWholeSchema) {
  IngestOptions options;
  ASSERT_TRUE(Apply({"singleVariantColumn=my `col`", "columnNameOfCorruptRecord=_bad"}, &options).ok());
  EXPECT_EQ(options.single_variant_column, "my `col`");
  EXPECT_EQ(options.schema_ddl, "`my ``col``` VARIANT");
  IngestOptions none_mode;
  EXPECT_TRUE(Apply({"singleVariantColumn=v", "cloudFiles.schemaEvolutionMode=none"}, &none_mode).ok());

  const std::vector<std::pair<std::vector<std::string>, std::string>> refused = {
      {{"singleVariantColumn=v", "cloudFiles.schemaHints=a INT"}, "cloudFiles.schemaHints"},
      {{"rescuedDataColumn=_r", "singleVariantColumn=v"}, "rescuedDataColumn"},
      {{"singleVariantColumn=v", "cloudFiles.schemaEvolutionMode=rescue"}, "schemaEvolutionMode"},
      {{"singleVariantColumn=v", "columnNameOfCorruptRecord=V"}, "columnNameOfCorruptRecord"},
      {{"singleVariantColumn="}, "singleVariantColumn"},
  };
  for (const auto& [kvs, why] : refused) {
    IngestOptions o;
    Status st = Apply(kvs, &o);
    ASSERT_FALSE(st.ok()) << kvs.back();
    EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
  }
  IngestOptions with_schema;
  with_schema.schema_ddl = "a INT";
  Status st = Apply({"singleVariantColumn=v"}, &with_schema);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("--schema"), std::string::npos) << st.message();
}

TEST(SparkOptions, ValidateOptionsFalseLetsUnknownOptionsThroughWhereverItStands) {
  IngestOptions options;
  ASSERT_TRUE(Apply({"cloudFiles.fancyThing=1", "cloudFiles.validateOptions=false", "mode=FAILFAST"}, &options).ok());
  EXPECT_EQ(options.unknown_options, std::vector<std::string>{"cloudFiles.fancyThing"});
  EXPECT_EQ(options.mode, MalformedRecordMode::kFailFast);
  IngestOptions strict;
  Status st = Apply({"cloudFiles.fancyThing=1"}, &strict);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("cloudFiles.validateOptions=false"), std::string::npos);
  // Known options are still checked.
  IngestOptions lax;
  EXPECT_FALSE(Apply({"cloudFiles.validateOptions=false", "mode=SOMETIMES"}, &lax).ok());
}

}  // namespace
}  // namespace inlet
