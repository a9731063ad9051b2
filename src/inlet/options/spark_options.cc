// The rows of Spark's generic file source options (and its reader options every format shares) that
// pipelines copied from Databricks set: each does what Spark does, or is accepted where it
// cannot matter to inlet, or is refused with the reason (README "Spark options").
#include <charconv>

#include <fmt/format.h>

#include "inlet/options/ingest_options_internal.h"
#include "inlet/util/strings.h"

namespace inlet::option_rows {
namespace {

// Values inlet takes without doing anything with them: they cannot change what it reads.
template <auto Parse>
Status Accept(std::string_view option, std::string_view value, IngestOptions*) {
  return Parse(option, value).status();
}

Status Refused(std::string_view option, std::string_view value, std::string_view why) {
  return Status::Invalid(fmt::format("option {}='{}' is not supported: {}", option, value, why));
}

Result<bool> ParseSamplingRatio(std::string_view option, std::string_view value) {
  const std::string_view text = Trim(value);
  double ratio = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), ratio);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || !(ratio > 0) || ratio > 1) {
    return BadValue(option, "a fraction in (0, 1]", value);
  }
  if (ratio == 1) return true;
  return Refused(option, value,
                 "inlet infers from every record of the files it samples; bound the sample with "
                 "cloudFiles.schemaInference.sampleSize.numFiles or .numBytes instead");
}

Result<bool> ParseLocale(std::string_view option, std::string_view value) {
  const std::string lower = AsciiLower(Trim(value));
  if (lower == "en-us" || lower == "en_us" || lower == "en") return true;
  return Refused(option, value, "inlet reads month and day names in English only (en-US)");
}

Result<bool> ParseInferTimestamp(std::string_view option, std::string_view value) {
  INLET_ASSIGN_OR_RAISE(bool infer, ParseBoolean(option, value));
  if (!infer) return false;
  return Refused(option, value,
                 "not supported yet: inlet's inference never types strings as timestamps; hint the column "
                 "instead (cloudFiles.schemaHints='ts TIMESTAMP')");
}

Result<bool> ParseCompression(std::string_view option, std::string_view value) {
  static constexpr std::string_view kCodecs[] = {"none", "uncompressed", "bzip2", "gzip", "lz4",
                                                 "snappy", "deflate", "zstd"};
  const std::string lower = AsciiLower(Trim(value));
  for (std::string_view codec : kCodecs) {
    if (lower == codec) return true;
  }
  return BadValue(option, "none, uncompressed, bzip2, gzip, lz4, snappy, deflate or zstd", value);
}

Result<std::string> ParseTimeZone(std::string_view option, std::string_view value) {
  // Checked against the time zone database where the reader compiles it (stream/).
  return ParseNonEmptyString(option, Trim(value));
}

}  // namespace

const std::vector<OptionEntry>& SparkOptionEntries() {
  static const std::vector<OptionEntry> kEntries = {
      // --- Dates and times. ---
      {{"dateFormat", "Spark datetime pattern", "yyyy-MM-dd",
        "How DATE columns are read, e.g. dd/MM/yyyy or MMM d, yyyy; unset, ISO dates as Spark reads them "
        "(2024-3-5, 2024-03-05T10:00)."},
       &SetField<ParseNonEmptyString, &IngestOptions::date_format>},
      {{"timestampFormat", "Spark datetime pattern", "yyyy-MM-dd'T'HH:mm:ss[.SSS][XXX]",
        "How TIMESTAMP columns are read, e.g. dd/MM/yyyy HH:mm:ss.SSSXXX; unset, ISO 8601 as Spark reads it "
        "(T or space, any fraction, optional offset)."},
       &SetField<ParseNonEmptyString, &IngestOptions::timestamp_format>},
      {{"timestampNTZFormat", "Spark datetime pattern", "yyyy-MM-dd'T'HH:mm:ss[.SSS]",
        "Accepted, no effect: it reads TIMESTAMP_NTZ columns, which inlet does not have."},
       &Accept<ParseNonEmptyString>},
      {{"timeZone", "time zone ID", "UTC",
        "Zone of timestamps without an offset and of modifiedAfter/modifiedBefore: a region "
        "(America/Los_Angeles), an offset (+01:00) or UTC. Spark's default is the session time zone."},
       &SetField<ParseTimeZone, &IngestOptions::time_zone>},
      {{"locale", "language tag", "en-US", "Only en-US: month and day names (MMM, EEE) are read in English."},
       &Accept<ParseLocale>},
      {{"inferTimestamp", "boolean", "false",
        "Only false (Spark's default): inference keeps timestamp text a string; hint TIMESTAMP columns."},
       &Accept<ParseInferTimestamp>},
      // --- The bytes of the files. ---
      {{"samplingRatio", "fraction", "1.0",
        "Only 1.0: inference reads every record of the sampled files (bound it with sampleSize)."},
       &Accept<ParseSamplingRatio>},
      {{"compression", "codec", "none",
        "Accepted, no effect: a writer's option in Spark; inlet reads .gz and .zst files by their extension."},
       &Accept<ParseCompression>},
      {{"singleVariantColumn", "column name", "none",
        "Loads every record whole (any JSON value) into this one VARIANT column: no inference, no "
        "rescued data; not with --schema, schemaHints or rescuedDataColumn."},
       &SetField<ParseNonEmptyString, &IngestOptions::single_variant_column>},
      // --- Which files are read, and what a file that cannot be read does. ---
      {{"modifiedAfter", "timestamp", "none",
        "Only take files modified after this time, e.g. 2020-06-01T13:00:00 (in timeZone unless it has an "
        "offset); the others are left, not marked as seen."},
       &SetField<ParseNonEmptyString, &IngestOptions::modified_after>},
      {{"modifiedBefore", "timestamp", "none", "Only take files modified before this time (as modifiedAfter)."},
       &SetField<ParseNonEmptyString, &IngestOptions::modified_before>},
      {{"ignoreCorruptFiles", "boolean", "false",
        "A file that cannot be read to its end (a corrupt .gz or .zst) is skipped with a warning, keeping the "
        "records read before the damage, and counted as numCorruptSourceFiles; schema inference uses what was "
        "read of it too. false fails the run naming it."},
       &SetField<ParseBoolean, &IngestOptions::ignore_corrupt_files>},
      {{"ignoreMissingFiles", "boolean", "false",
        "A listed file deleted before its batch reads it is skipped with a warning (numMissingSourceFiles); "
        "false fails the batch naming it, as Spark does."},
       &SetField<ParseBoolean, &IngestOptions::ignore_missing_files>},
      {{"cloudFiles.validateOptions", "boolean", "true",
        "false lets unknown options through with a warning naming them; malformed values of known ones are "
        "still errors."},
       &SetField<ParseBoolean, &IngestOptions::validate_options>},
      {{"cloudFiles.useStrictGlobber", "boolean", "false",
        "Accepted, no effect: inlet always globs like the strict globber (Spark's file sources): * and ? "
        "match within one path component, so /a/*/c matches neither /a/b/c_file.txt nor /a/b/x/c/f.json."},
       &Accept<ParseBoolean>},
  };
  return kEntries;
}

}  // namespace inlet::option_rows
