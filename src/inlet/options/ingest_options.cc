// Parsing and documenting `inlet ingest --option KEY=VALUE`: one static table of options,
// each row carrying its documentation and the setter that parses its value.
#include "inlet/options/ingest_options.h"
#include "inlet/options/ingest_options_internal.h"
#include "inlet/formats/registry.h"
#include "inlet/schema/ddl.h"
#include "inlet/storage/location.h"
#include "inlet/util/strings.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

#include <fmt/format.h>

namespace inlet::option_rows {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

Status BadValue(std::string_view option, std::string_view expected, std::string_view value) {
  return Status::Invalid(fmt::format("option {}: expected {}, got '{}'", option, expected, value));
}

// --- One parse function per value kind. ---------------------------------------------------

Result<bool> ParseBoolean(std::string_view option, std::string_view value) {
  std::string lower = AsciiLower(value);
  if (lower == "true") return true;
  if (lower == "false") return false;
  return BadValue(option, "true or false", value);
}

Result<int64_t> ParsePositiveInteger(std::string_view option, std::string_view value) {
  int64_t n = 0;
  const char* end = value.data() + value.size();
  auto [ptr, ec] = std::from_chars(value.data(), end, n);
  if (value.empty() || ec != std::errc() || ptr != end || n <= 0) {
    return BadValue(option, "a positive integer", value);
  }
  return n;
}

Result<std::string> ParseNonEmptyString(std::string_view option, std::string_view value) {
  if (value.empty()) return BadValue(option, "a non-empty value", value);
  return std::string(value);
}

}  // namespace inlet::option_rows

namespace inlet {
namespace {

using namespace option_rows;  // NOLINT: the shared parsers of every row

// Spark-style sizes: "1024", "512k", "10g", "1tb" (binary multiples, suffix any case).
Result<int64_t> ParseByteSize(std::string_view option, std::string_view value) {
  constexpr std::string_view kExpected = "a positive byte size such as 1024, 512m or 10g";
  const char* begin = value.data();
  const char* end = begin + value.size();
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(begin, end, n);
  if (value.empty() || ec != std::errc() || ptr == begin || n <= 0) {
    return BadValue(option, kExpected, value);
  }
  std::string suffix = AsciiLower(std::string_view(ptr, static_cast<size_t>(end - ptr)));
  int shift = 0;
  if (suffix.empty() || suffix == "b") {
    shift = 0;
  } else if (suffix == "k" || suffix == "kb") {
    shift = 10;
  } else if (suffix == "m" || suffix == "mb") {
    shift = 20;
  } else if (suffix == "g" || suffix == "gb") {
    shift = 30;
  } else if (suffix == "t" || suffix == "tb") {
    shift = 40;
  } else {
    return BadValue(option, kExpected, value);
  }
  if (n > (std::numeric_limits<int64_t>::max() >> shift)) {
    return Status::Invalid(fmt::format("option {}: byte size '{}' is too large", option, value));
  }
  return n << shift;
}

// A duration in milliseconds: "5s", "500ms", "2m", "1h", or "0" (a bare number is seconds).
Result<int64_t> ParseDurationMillis(std::string_view option, std::string_view value) {
  constexpr std::string_view kExpected = "a duration such as 0, 500ms, 5s or 2m";
  value = Trim(value);
  const char* begin = value.data();
  const char* end = begin + value.size();
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(begin, end, n);
  if (value.empty() || ec != std::errc() || ptr == begin || n < 0) return BadValue(option, kExpected, value);
  std::string unit = AsciiLower(Trim(std::string_view(ptr, static_cast<size_t>(end - ptr))));
  int64_t scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit.empty() || unit == "s" || unit == "sec" || unit == "seconds") {
    scale = 1000;
  } else if (unit == "m" || unit == "min" || unit == "minutes") {
    scale = 60 * 1000;
  } else if (unit == "h" || unit == "hours") {
    scale = 3600 * 1000;
  } else {
    return BadValue(option, kExpected, value);
  }
  if (n > std::numeric_limits<int64_t>::max() / scale) return BadValue(option, kExpected, value);
  return n * scale;
}

Result<std::string> ParseNonEmptyString(std::string_view option, std::string_view value) {
  if (value.empty()) return BadValue(option, "a non-empty value", value);
  return std::string(value);
}

Result<std::string> ParseFormat(std::string_view option, std::string_view value) {
  const std::string lower = AsciiLower(Trim(value));
  for (const formats::FormatEntry& format : formats::Formats()) {
    if (lower == format.name) return lower;
  }
  return Status::Invalid(fmt::format("option {}: unsupported format '{}' (supported: {})", option, value,
                                     formats::FormatNames()));
}

constexpr std::array<std::pair<std::string_view, SchemaEvolutionMode>, 5> kEvolutionModes = {{
    {"addNewColumns", SchemaEvolutionMode::kAddNewColumns},
    {"addNewColumnsWithTypeWidening", SchemaEvolutionMode::kAddNewColumnsWithTypeWidening},
    {"rescue", SchemaEvolutionMode::kRescue},
    {"failOnNewColumns", SchemaEvolutionMode::kFailOnNewColumns},
    {"none", SchemaEvolutionMode::kNone},
}};

Result<SchemaEvolutionMode> ParseEvolutionMode(std::string_view option, std::string_view value) {
  std::string names;
  for (const auto& [name, mode] : kEvolutionModes) {
    if (EqualsIgnoreCase(name, Trim(value))) return mode;
    names += names.empty() ? "" : ", ";
    names += name;
  }
  return BadValue(option, "one of " + names, value);
}

Result<IncrementalListing> ParseIncrementalListing(std::string_view option, std::string_view value) {
  if (EqualsIgnoreCase(Trim(value), "auto")) return IncrementalListing::kAuto;
  if (EqualsIgnoreCase(Trim(value), "true")) return IncrementalListing::kOn;
  if (EqualsIgnoreCase(Trim(value), "false")) return IncrementalListing::kOff;
  return BadValue(option, "auto, true or false", value);
}

constexpr std::array<std::pair<std::string_view, MalformedRecordMode>, 3> kMalformedModes = {{
    {"PERMISSIVE", MalformedRecordMode::kPermissive},
    {"DROPMALFORMED", MalformedRecordMode::kDropMalformed},
    {"FAILFAST", MalformedRecordMode::kFailFast},
}};

Result<MalformedRecordMode> ParseMalformedMode(std::string_view option, std::string_view value) {
  std::string names;
  for (const auto& [name, mode] : kMalformedModes) {
    if (EqualsIgnoreCase(name, Trim(value))) return mode;
    names += names.empty() ? "" : ", ";
    names += name;
  }
  return BadValue(option, "one of " + names, value);
}

// A nesting limit: deep enough for any real document, shallow enough for every reader.
// "auto" (every core) or a positive count.
Result<int64_t> ParseThreads(std::string_view option, std::string_view value) {
  if (EqualsIgnoreCase(Trim(value), "auto")) return 0;
  auto n = ParsePositiveInteger(option, value);
  if (!n.ok()) return BadValue(option, "auto or a positive integer", value);
  return n;
}

Result<std::string> ParseAnyString(std::string_view, std::string_view value) { return std::string(value); }

// --- The table. ------------------------------------------------------------------------------

const std::vector<OptionEntry>& Entries() {
  static const std::vector<OptionEntry> kEntries = {
      {{"cloudFiles.format", "json or csv", "json",
        "File format of the source files; each format's own options are listed after this table."},
       &SetField<ParseFormat, &IngestOptions::format>},
      {{"cloudFiles.inferColumnTypes", "boolean", "false",
        "Infer exact column types (long, double, boolean, ...) instead of reading every "
        "column as string."},
       &SetField<ParseBoolean, &IngestOptions::infer_column_types>},
      {{"cloudFiles.maxFilesPerTrigger", "positive integer", "1000",
        "Most new files taken into one micro-batch."},
       &SetField<ParsePositiveInteger, &IngestOptions::max_files_per_trigger>},
      {{"cloudFiles.maxBytesPerTrigger", "byte size", "none",
        "Soft limit on the bytes of new files in one micro-batch (e.g. 10g); a batch always "
        "takes at least one file."},
       &SetField<ParseByteSize, &IngestOptions::max_bytes_per_trigger>},
      {{"cloudFiles.includeExistingFiles", "boolean", "true",
        "Load files already present when the stream first starts; false takes only files "
        "that arrive later."},
       &SetField<ParseBoolean, &IngestOptions::include_existing_files>},
      {{"cloudFiles.useIncrementalListing", "auto, true or false", "auto",
        "On object stores, list only the keys after the last one the stream took (one LIST "
        "from a start key) instead of the whole prefix; auto does so while new files arrive "
        "in lexical order, with a full listing every 10th run; local disks always list fully."},
       &SetField<ParseIncrementalListing, &IngestOptions::incremental_listing>},
      {{"cloudFiles.schemaInference.sampleSize.numFiles", "positive integer", "1000",
        "Most files read to infer the schema."},
       &SetField<ParsePositiveInteger, &IngestOptions::inference_sample_files>},
      {{"cloudFiles.schemaInference.sampleSize.numBytes", "byte size", "50g",
        "Most bytes read to infer the schema."},
       &SetField<ParseByteSize, &IngestOptions::inference_sample_bytes>},
      {{"inlet.onePassInference", "boolean", "true",
        "A new stream infers its schema while its first batch loads, reading the sample once: "
        "a guess from the head of each file, checked against every record (see Schema inference); "
        "false reads the sample once to infer and again to load."},
       &SetField<ParseBoolean, &IngestOptions::one_pass_inference>},
      {{"pathGlobFilter", "glob", "none",
        "Only take files whose name (not directory) matches this glob, e.g. *.json."},
       &SetField<ParseNonEmptyString, &IngestOptions::path_glob_filter>},
      {{"recursiveFileLookup", "boolean", "false",
        "Also take files in subdirectories below the source directories."},
       &SetField<ParseBoolean, &IngestOptions::recursive_file_lookup>},
      {{"inlet.targetFileSize", "byte size", "128m",
        "Approximate size of each Parquet data file written to the table."},
       &SetField<ParseByteSize, &IngestOptions::target_file_size>},
      {{"inlet.threads", "auto or positive integer", "auto",
        "Threads that parse files and write Parquet at the same time; auto uses every core."},
       &SetField<ParseThreads, &IngestOptions::threads>},
      {{"cloudFiles.schemaLocation", "directory", "none",
        "Where the stream keeps its schema versions (_schemas/0, 1, ...); required unless "
        "--schema is given. May be the checkpoint directory."},
       &SetField<ParseNonEmptyString, &IngestOptions::schema_location>},
      {{"cloudFiles.schemaEvolutionMode", "addNewColumns, addNewColumnsWithTypeWidening, rescue, "
        "failOnNewColumns or none", "addNewColumns",
        "What a batch does with new fields and values that do not fit (see Schema management); "
        "the default is none when --schema is given."},
       &SetField<ParseEvolutionMode, &IngestOptions::schema_evolution_mode>},
      {{"cloudFiles.schemaHints", "DDL list", "none",
        "Types that override inference, e.g. 'humidity DOUBLE, coordinates.latitude "
        "DECIMAL(9,6)'; a hinted column missing from the data is added."},
       &SetField<ParseAnyString, &IngestOptions::schema_hints>},
      {{"rescuedDataColumn", "column name", "_rescued_data",
        "Name of the column that keeps what did not fit the schema as JSON. Inferred schemas "
        "get it by default; setting it adds it to a --schema or schemaEvolutionMode=none stream."},
       &SetField<ParseNonEmptyString, &IngestOptions::rescued_data_column>},
      {{"readerCaseSensitive", "boolean", "true",
        "true: a field whose name differs from a column only in case is rescued; false: it "
        "is read into that column."},
       &SetField<ParseBoolean, &IngestOptions::reader_case_sensitive>},
      {{"mode", "PERMISSIVE, DROPMALFORMED or FAILFAST", "PERMISSIVE",
        "What a malformed record (not valid JSON, not an object, too long or too deep) does: "
        "kept as a row of nulls, dropped, or fails the run (see Bad input)."},
       &SetField<ParseMalformedMode, &IngestOptions::mode>},
      {{"columnNameOfCorruptRecord", "column name", "none",
        "Adds this string column; in PERMISSIVE mode it holds a malformed record's raw text."},
       &SetField<ParseNonEmptyString, &IngestOptions::corrupt_record_column>},
      {{"badRecordsPath", "directory", "none",
        "Saves every malformed record (file, line, byte offset, reason, raw text) as a JSON "
        "line under DIR/<time>-batch-<N>/bad_records/, in every mode but FAILFAST."},
       &SetField<ParseNonEmptyString, &IngestOptions::bad_records_path>},
      {{"inlet.maxRecordBytes", "byte size", "64m",
        "A longer line is a malformed record; memory per reader stays bounded by it."},
       &SetField<ParseByteSize, &IngestOptions::max_record_bytes>},
      {{"cloudFiles.allowOverwrites", "boolean", "false",
        "Load a file again when it is rewritten (new modification time or size) after it was "
        "loaded; false ignores rewrites."},
       &SetField<ParseBoolean, &IngestOptions::allow_overwrites>},
      {{"inlet.fileSettleTime", "duration", "5s",
        "A file whose last line has no newline yet (or that is empty) and that was modified less "
        "than this long ago is still being written: it is left for a later run instead of "
        "loaded torn (see Landing files). 0 loads every file as it is."},
       &SetField<ParseDurationMillis, &IngestOptions::file_settle_time_ms>},
      {{"inlet.loadAppendedBytes", "boolean", "false",
        "A loaded file that grew is loaded again from where the last load ended, only the "
        "appended lines, after checking that what was loaded is unchanged (see Landing files)."},
       &SetField<ParseBoolean, &IngestOptions::load_appended_bytes>},
  };
  static const std::vector<OptionEntry> kAll = [] {
    std::vector<OptionEntry> all = kEntries;
    // maxFilesPerTrigger (Spark's file source name) right after cloudFiles.maxFilesPerTrigger.
    all.insert(all.begin() + 3, {{"maxFilesPerTrigger", "positive integer", "1000",
                                  "The same as cloudFiles.maxFilesPerTrigger (Spark's file source name)."},
                                 &SetField<ParsePositiveInteger, &IngestOptions::max_files_per_trigger>});
    const auto& spark = SparkOptionEntries();
    all.insert(all.end(), spark.begin(), spark.end());
    return all;
  }();
  return kAll;
}

const OptionEntry* FindEntry(std::string_view name) {
  std::string lower = AsciiLower(name);
  for (const OptionEntry& entry : Entries()) {
    if (AsciiLower(entry.spec.name) == lower) return &entry;
  }
  return nullptr;
}

// Markdown cells must not break the table ('|'); prose cells must also not turn glob
// characters into emphasis. Code spans (`...`) only need the '|' escaped.
std::string MarkdownCell(std::string_view s, bool prose) {
  std::string out;
  for (char c : s) {
    if (c == '|' || (prose && (c == '*' || c == '_'))) out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

SchemaEvolutionMode IngestOptions::EffectiveEvolutionMode() const {
  if (schema_evolution_mode.has_value()) return schema_evolution_mode.value();
  return schema_ddl.has_value() ? SchemaEvolutionMode::kNone : SchemaEvolutionMode::kAddNewColumns;
}

std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode) {
  for (const auto& [name, value] : kEvolutionModes) {
    if (value == mode) return name;
  }
  return "unknown";
}

std::string_view MalformedRecordModeName(MalformedRecordMode mode) {
  for (const auto& [name, value] : kMalformedModes) {
    if (value == mode) return name;
  }
  return "unknown";
}

const std::vector<OptionSpec>& IngestOptionTable() {
  static const std::vector<OptionSpec> kTable = [] {
    std::vector<OptionSpec> specs;
    for (const OptionEntry& entry : Entries()) specs.push_back(entry.spec);
    return specs;
  }();
  return kTable;
}

namespace {

// singleVariantColumn fixes the schema, so what would shape another one is refused (Spark
// refuses a user schema with it too), and the column becomes the stream's user schema.
Status ApplySingleVariantColumn(IngestOptions* options) {
  if (!options->single_variant_column) return Status::OK();
  const std::string& column = *options->single_variant_column;
  auto refuse = [&](std::string_view what) {
    return Status::Invalid(fmt::format(
        "option singleVariantColumn '{}': {} cannot be used with it (every record is loaded whole into that "
        "one VARIANT column)",
        column, what));
  };
  if (options->schema_ddl) return refuse("--schema");
  if (!options->schema_hints.empty()) return refuse("cloudFiles.schemaHints");
  if (options->rescued_data_column) return refuse("rescuedDataColumn");
  if (options->schema_evolution_mode && *options->schema_evolution_mode != SchemaEvolutionMode::kNone) {
    return refuse("a cloudFiles.schemaEvolutionMode other than none");
  }
  if (options->corrupt_record_column && EqualsIgnoreCase(*options->corrupt_record_column, column)) {
    return refuse("a columnNameOfCorruptRecord of the same name");
  }
  options->schema_ddl = ToDdl(Schema{{Field{column, DataType::Variant()}}});
  return Status::OK();
}

}  // namespace

Status ApplyIngestOptions(const std::vector<std::string>& key_values, IngestOptions* options) {
  // cloudFiles.validateOptions decides how every other key is taken, wherever it stands.
  for (const std::string& kv : key_values) {
    size_t eq = kv.find('=');
    if (eq != std::string::npos && EqualsIgnoreCase(Trim(std::string_view(kv).substr(0, eq)), "cloudFiles.validateOptions")) {
      INLET_ASSIGN_OR_RAISE(options->validate_options,
                            ParseBoolean("cloudFiles.validateOptions", std::string_view(kv).substr(eq + 1)));
    }
  }
  for (const std::string& kv : key_values) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos) {
      return Status::Invalid(
          fmt::format("option '{}': expected KEY=VALUE (e.g. cloudFiles.maxFilesPerTrigger=100)",
                      kv));
    }
    std::string_view key = Trim(std::string_view(kv).substr(0, eq));
    std::string_view value = std::string_view(kv).substr(eq + 1);
    if (storage::IsStoreOptionKey(key)) {
      INLET_ASSIGN_OR_RAISE(storage::StoreSetting setting, storage::ParseStoreOption(key, value));
      options->store_options.settings.push_back(std::move(setting));
      continue;
    }
    const OptionEntry* entry = FindEntry(key);
    if (entry == nullptr) {
      if (const formats::OptionRow* row = formats::FindFormatOption(key)) {
        options->format_options[std::string(row->name)] = std::string(value);
        continue;
      }
    }
    if (entry == nullptr && !options->validate_options) {
      options->unknown_options.emplace_back(key);
      continue;
    }
    if (entry == nullptr) {
      return Status::Invalid(
          fmt::format("unknown option '{}' (see inlet ingest --help for the list; "
                      "cloudFiles.validateOptions=false lets unknown options through with a warning)",
                      key));
    }
    INLET_RETURN_NOT_OK(entry->set(entry->spec.name, value, options));
  }
  // The format checks its own options, once, here: a bad value is an error of the options.
  INLET_RETURN_NOT_OK(formats::MakeFileFormat(options->format, options->format_options).status());
  return ApplySingleVariantColumn(options);
}

Status ResolveLocations(IngestOptions* options) {
  auto resolve = [](std::string_view what, std::string* path) -> Status {
    INLET_ASSIGN_OR_RAISE(storage::Location location, storage::ParseLocation(what, *path));
    *path = location.path;
    return Status::OK();
  };
  INLET_RETURN_NOT_OK(resolve("--source", &options->source_pattern));
  INLET_RETURN_NOT_OK(resolve("--table", &options->table_dir));
  INLET_RETURN_NOT_OK(resolve("--checkpoint", &options->checkpoint_dir));
  if (options->schema_location) INLET_RETURN_NOT_OK(resolve("cloudFiles.schemaLocation", &*options->schema_location));
  if (options->bad_records_path) INLET_RETURN_NOT_OK(resolve("badRecordsPath", &*options->bad_records_path));
  return Status::OK();
}

namespace {

// The general rows, then each format's under a heading.
struct OptionSection {
  std::string title;  // "" for the general rows
  std::vector<OptionSpec> rows;
};

std::vector<OptionSection> OptionSections() {
  std::vector<OptionSection> sections{{"", IngestOptionTable()}};
  for (const formats::FormatEntry& format : formats::Formats()) {
    OptionSection section{std::string(format.name), {}};
    for (const formats::OptionRow& row : format.rows()) {
      section.rows.push_back(OptionSpec{row.name, row.value_kind, row.default_value, row.doc});
    }
    sections.push_back(std::move(section));
  }
  return sections;
}

}  // namespace

std::string IngestOptionsHelp() {
  constexpr std::string_view kNameHeader = "option";
  constexpr std::string_view kDefaultHeader = "default";
  const std::vector<OptionSection> sections = OptionSections();
  size_t name_width = kNameHeader.size();
  size_t default_width = kDefaultHeader.size();
  for (const OptionSection& section : sections) {
    for (const OptionSpec& spec : section.rows) {
      name_width = std::max(name_width, spec.name.size());
      default_width = std::max(default_width, spec.default_value.size());
    }
  }
  std::string out;
  out += fmt::format("  {:<{}}  {:<{}}  {}\n", kNameHeader, name_width, kDefaultHeader,
                     default_width, "meaning");
  for (const OptionSection& section : sections) {
    if (!section.title.empty()) out += fmt::format("\n  with cloudFiles.format={}:\n", section.title);
    for (const OptionSpec& spec : section.rows) {
      out += fmt::format("  {:<{}}  {:<{}}  {} ({})\n", spec.name, name_width, spec.default_value,
                         default_width, spec.doc, spec.value_kind);
    }
  }
  return out;
}

std::string IngestOptionsMarkdown() {
  std::string out;
  for (const OptionSection& section : OptionSections()) {
    if (!section.title.empty()) out += fmt::format("\nWith `cloudFiles.format={}`:\n\n", section.title);
    out += "| option | default | meaning |\n|---|---|---|\n";
    for (const OptionSpec& spec : section.rows) {
      out += fmt::format("| `{}` | `{}` | {} ({}) |\n", MarkdownCell(spec.name, false),
                         MarkdownCell(spec.default_value, false), MarkdownCell(spec.doc, true),
                         MarkdownCell(spec.value_kind, true));
    }
  }
  return out;
}

}  // namespace inlet
