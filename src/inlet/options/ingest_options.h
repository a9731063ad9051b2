// The options of `inlet ingest`, with Auto Loader's names. One table (IngestOptionTable())
// drives parsing, `inlet ingest --help` and the README's option table, so they never differ.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/storage/store_options.h"
#include "inlet/util/status.h"

namespace inlet {

enum class Trigger { kAvailableNow, kOnce };

// cloudFiles.schemaEvolutionMode: what a batch does with data that does not fit the schema.
enum class SchemaEvolutionMode {
  kAddNewColumns,                  // new fields: write the next schema version, stop (exit 3)
  kAddNewColumnsWithTypeWidening,  // the same, and widen columns Delta can widen
  kRescue,                         // never change, never fail: rescue what does not fit
  kFailOnNewColumns,               // new fields: stop (exit 3), schema unchanged
  kNone,                           // ignore new fields; rescue only with rescuedDataColumn
};

// The option's spelling ("addNewColumns", ...).
std::string_view SchemaEvolutionModeName(SchemaEvolutionMode mode);

// Spark's `mode`, one enum for every format (formats/format.h).
using formats::MalformedRecordMode;

// The option's spelling ("PERMISSIVE", ...).
std::string_view MalformedRecordModeName(MalformedRecordMode mode);

// cloudFiles.useIncrementalListing: list only the keys after the last one the stream took.
enum class IncrementalListing {
  kAuto,  // when the last full listing showed new files arriving in lexical order
  kOn,    // always, after the first listing (new keys must sort after the old ones)
  kOff,   // always the full listing
};

struct IngestOptions {
  // From the command line.
  std::string source_pattern;  // --source 'DIR/*.json'
  std::string table_dir;       // --table
  std::string checkpoint_dir;  // --checkpoint
  std::optional<std::string> schema_ddl;  // --schema
  Trigger trigger = Trigger::kAvailableNow;

  // From --option KEY=VALUE (names matched case-insensitively).
  std::string format = "json";                      // cloudFiles.format
  bool infer_column_types = false;                  // cloudFiles.inferColumnTypes
  int64_t max_files_per_trigger = 1000;             // cloudFiles.maxFilesPerTrigger
  std::optional<int64_t> max_bytes_per_trigger;     // cloudFiles.maxBytesPerTrigger
  bool include_existing_files = true;               // cloudFiles.includeExistingFiles
  IncrementalListing incremental_listing = IncrementalListing::kAuto;  // cloudFiles.useIncrementalListing
  int64_t inference_sample_files = 1000;            // cloudFiles.schemaInference.sampleSize.numFiles
  int64_t inference_sample_bytes = 50LL << 30;      // cloudFiles.schemaInference.sampleSize.numBytes
  bool one_pass_inference = true;                   // inlet.onePassInference
  std::optional<std::string> path_glob_filter;      // pathGlobFilter
  bool recursive_file_lookup = false;               // recursiveFileLookup
  int64_t target_file_size = 128LL << 20;           // inlet.targetFileSize
  int64_t threads = 0;                              // inlet.threads; 0: every core

  // Schema management.
  std::optional<std::string> schema_location;       // cloudFiles.schemaLocation
  // cloudFiles.schemaEvolutionMode; unset: addNewColumns without --schema, none with it.
  std::optional<SchemaEvolutionMode> schema_evolution_mode;
  std::string schema_hints;                         // cloudFiles.schemaHints
  std::optional<std::string> rescued_data_column;   // rescuedDataColumn
  // singleVariantColumn: the stream's schema is this one VARIANT column (ApplyIngestOptions
  // sets schema_ddl to it).
  std::optional<std::string> single_variant_column;
  bool reader_case_sensitive = true;                // readerCaseSensitive

  // Bad input.
  MalformedRecordMode mode = MalformedRecordMode::kPermissive;  // mode
  std::optional<std::string> corrupt_record_column; // columnNameOfCorruptRecord
  std::optional<std::string> bad_records_path;      // badRecordsPath
  int64_t max_record_bytes = 64LL << 20;            // inlet.maxRecordBytes
  bool allow_overwrites = false;                    // cloudFiles.allowOverwrites
  int64_t file_settle_time_ms = 5000;               // inlet.fileSettleTime
  bool load_appended_bytes = false;                 // inlet.loadAppendedBytes

  // The options a format owns (formats/<name>/: JSON's dialect, CSV's header and sep, ...),
  // by canonical name and as given; the format parses them when it is made
  // (formats::MakeFileFormat), which ApplyIngestOptions does once to validate them.
  formats::FormatOptionValues format_options;
  // Spark's generic file source options (spark_options.cc).
  // Spark datetime patterns; unset: Spark's defaults, which read ISO 8601 leniently.
  std::optional<std::string> date_format;           // dateFormat
  std::optional<std::string> timestamp_format;      // timestampFormat
  std::string time_zone = "UTC";                    // timeZone
  // Spark's timestamp text (2020-06-01T13:00:00, in time_zone unless it has an offset):
  // only files modified after / before it are taken.
  std::optional<std::string> modified_after;        // modifiedAfter
  std::optional<std::string> modified_before;       // modifiedBefore
  bool ignore_corrupt_files = false;                // ignoreCorruptFiles
  bool ignore_missing_files = false;                // ignoreMissingFiles
  bool validate_options = true;                     // cloudFiles.validateOptions
  // cloudFiles.validateOptions=false: the unknown options that were let through, for a warning.
  std::vector<std::string> unknown_options;
  // Credentials and endpoints for object stores (fs.s3a.*, fs.azure.*, ...; store_options.h).
  storage::StoreOptions store_options;

  SchemaEvolutionMode EffectiveEvolutionMode() const;
};

struct OptionSpec {
  std::string_view name;           // canonical spelling, e.g. "cloudFiles.inferColumnTypes"
  std::string_view value_kind;     // "boolean", "integer", "byte size", "string", ...
  std::string_view default_value;  // as shown to users
  std::string_view doc;            // one sentence
};

// Every option `--option` accepts but the formats' own, in documentation order.
const std::vector<OptionSpec>& IngestOptionTable();

// Applies KEY=VALUE pairs to `options`. Unknown keys and malformed values are errors
// (Status::Invalid) that name the option and the value; with cloudFiles.validateOptions=false
// (anywhere in the list) unknown keys go to options->unknown_options instead. Byte sizes accept plain numbers
// and suffixes b, k/kb, m/mb, g/gb, t/tb (Spark's "10g" style).
Status ApplyIngestOptions(const std::vector<std::string>& key_values, IngestOptions* options);

// The stream's locations (--source, --table, --checkpoint, cloudFiles.schemaLocation,
// badRecordsPath), checked: a file: URI becomes its path, an object-store URI stays as
// given; an unknown URI scheme is Invalid naming the schemes inlet knows. A checkpoint on
// object storage is NotImplemented for now (its file state needs a synced local copy).
// Errors name the option. Call after ApplyIngestOptions.
Status ResolveLocations(IngestOptions* options);

// The option table as a text block for --help: one aligned row per option
// (name, default, meaning), then a section per format (formats/registry.h) with its rows.
std::string IngestOptionsHelp();

// The option table as a Markdown table (| option | default | meaning |), so the README's
// table is regenerated from the same data as --help.
std::string IngestOptionsMarkdown();

}  // namespace inlet
