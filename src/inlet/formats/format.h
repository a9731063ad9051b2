// The format seam: what a stream asks of a file format, and what a format reports back.
// A format infers a schema from a sample of files and reads one file (or a byte range of
// one) into Arrow batches under the stream's schema; what did not fit comes back through
// one contract (ReadCounts, BadRecord, the rescued and corrupt-record columns), so stream/
// plans, writes and commits without knowing which format it holds. A format lives in
// formats/<name>/ and is registered by one line in formats/registry.cc.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/formats/temporal.h"
#include "inlet/schema/evolution.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::formats {

// Spark's `mode` option, for every format: what a malformed record does. What is malformed
// is the format's to say, as Spark says it: JSON, not valid JSON (a value that does not fit
// its column is a type mismatch, never malformed); CSV, a record the tokenizer cannot read,
// and without a rescued data column also one with too few or too many values or a value
// that does not convert.
enum class MalformedRecordMode {
  kPermissive,     // kept as a row of nulls (raw text in columnNameOfCorruptRecord if set)
  kDropMalformed,  // not loaded
  kFailFast,       // the read fails naming file, line and byte offset
};

// One malformed record, as handed to ReadOptions::bad_record_sink.
struct BadRecord {
  std::string file_path;    // the file read (ReadOptions::file_path when set)
  int64_t line = 0;         // 1-based line of the record's start
  int64_t byte_offset = 0;  // offset of the record's first byte (decompressed)
  std::string reason;       // e.g. "invalid JSON: ..." or "record is longer than ..."
  std::string raw;          // the record's text, at most bad_record_text_bytes of it
  bool raw_truncated = false;
};

// Called once per malformed record (PERMISSIVE and DROPMALFORMED), from the reading thread;
// an error from it stops the read and is returned.
using BadRecordSink = std::function<Status(const BadRecord&)>;
using BatchSink = std::function<Status(std::shared_ptr<arrow::RecordBatch>)>;

class InferenceCheck;

// How a format reads a file for the stream: what every format honours the same way.
struct ReadOptions {
  // Rows per emitted RecordBatch, and a byte bound on what one batch holds.
  int64_t batch_rows = 8 * 1024;
  int64_t batch_bytes = 32LL << 20;
  // rescuedDataColumn: "" for none, else a top-level string column of the schema that the
  // reader fills itself. Per record a JSON object with every value that did not make it
  // into a column, under its original name, plus "_file_path"; null when nothing was.
  std::string rescued_data_column;
  // singleVariantColumn (JSON): every record whole into this one VARIANT column.
  std::string single_variant_column;
  std::string file_path;  // the "_file_path" value and the name in errors; the path when empty
  // readerCaseSensitive: false reads a field into the column its name matches
  // case-insensitively; true rescues it (or ignores it with no rescued data column).
  bool case_sensitive = true;
  // addNewColumns / failOnNewColumns: a field absent from the schema stops the read at that
  // record (ReadCounts::new_field_line and _path); the read returns OK.
  bool stop_on_new_fields = false;
  // addNewColumnsWithTypeWidening: values that fit a wider type Delta allows are recorded in
  // ReadCounts::widenings (and still rescued or nulled as mismatches).
  bool collect_widenings = false;
  // A byte range of the file (FileFormat::Splittable files only): the records that start in
  // [range_begin, range_end); -1 is the end of the file. Line numbers stay the file's.
  int64_t range_begin = 0;
  int64_t range_end = -1;
  MalformedRecordMode mode = MalformedRecordMode::kPermissive;
  // columnNameOfCorruptRecord: "" for none, else a top-level string column the reader fills
  // with a PERMISSIVE malformed record's raw text.
  std::string corrupt_record_column;
  BadRecordSink bad_record_sink;  // may be empty
  // inlet.maxRecordBytes: a longer record is malformed, and never held whole in memory.
  int64_t max_record_bytes = 64LL << 20;
  int64_t bad_record_text_bytes = 64 << 10;  // BadRecord::raw cap
  // dateFormat, timestampFormat and timeZone: how DATE and TIMESTAMP columns read text.
  TemporalFormats temporal;
  // A stream's first batch read under an inference guess (FileFormat::Guess): every record
  // that could make the sample infer something else goes to this check. Set only with a
  // check made by the same format's guess.
  InferenceCheck* inference_check = nullptr;
};

struct ReadCounts {
  int64_t records = 0;
  int64_t bytes = 0;
  // Values present that did not fit their column's type: the column got null.
  int64_t type_mismatches = 0;
  int64_t rescued_records = 0;  // records whose rescued data column is not null
  // stop_on_new_fields: the 1-based line where a new field was met, and its path; 0: none.
  int64_t new_field_line = 0;
  FieldPath new_field_path;
  // inference_check: the 1-based line of the record that refuted the guess; 0 when none.
  int64_t guess_refuted_line = 0;
  // collect_widenings: one entry per path, the widest type needed.
  std::vector<TypeWidening> widenings;
  // Malformed records met (counted in `records` too).
  int64_t bad_records = 0;
  int64_t rows = 0;  // rows emitted to the sink
  // The file itself could not be read on (a corrupt .gz, a read error): what
  // ignoreCorruptFiles may skip. Rows before the damage were emitted.
  bool source_unreadable = false;
};

// Adds `from`'s counters into `into` and merges widenings (widest per path). The new-field
// and guess fields are not merged: they belong to one file.
void MergeReadCounts(const ReadCounts& from, ReadCounts* into);

// How a schema is inferred from a sample of files, for every format.
struct SampleOptions {
  bool infer_column_types = false;  // cloudFiles.inferColumnTypes; false: leaves are strings
  int64_t max_files = 1000;
  int64_t max_bytes = 50LL << 30;
  int threads = 1;
  // Malformed records are skipped by inference unless kFailFast, which fails as a read would.
  MalformedRecordMode mode = MalformedRecordMode::kPermissive;
  int64_t max_record_bytes = 64LL << 20;
  bool ignore_corrupt_files = false;  // ignoreCorruptFiles
  TemporalFormats temporal;           // what a date or timestamp is, where a format infers them
};

// One reading thread's checks of records against an inference guess (FileFormat::Guess).
class InferenceCheck {
 public:
  virtual ~InferenceCheck() = default;
  // The guess's records with every admitted record folded in.
  virtual const DataTypePtr& folded() const = 0;
};

// A stream's first schema inferred in the pass that loads the first batch: a format's
// optional capability (JSON has it).
class InferenceGuess {
 public:
  virtual ~InferenceGuess() = default;
  // What the format's InferSchema returns over the sample if the guess holds.
  virtual const Schema& schema() const = 0;
  // The first files of the guessed list every record of which must be checked.
  virtual size_t sample_files() const = 0;
  virtual std::unique_ptr<InferenceCheck> NewCheck() const = 0;
  // Whether the records every thread's check admitted, together, still infer the guess.
  virtual bool Holds(const std::vector<DataTypePtr>& folded) const = 0;
  // InferSchema's answer after a refuted guess, reading only `unchecked_paths` again.
  virtual Result<Schema> InferAfterRefuted(const std::vector<DataTypePtr>& folded,
                                           const std::vector<std::string>& unchecked_paths) const = 0;
};

// One option a format reads, with Spark's name: drives parsing, --help and the README.
struct OptionRow {
  std::string_view name;
  std::string_view value_kind;  // "boolean", "string", "character", ...
  std::string_view default_value;
  std::string_view doc;
};

// The options given for a stream that belong to formats, by canonical name (OptionRow::name)
// and as given; a format parses the ones it owns when it is made.
using FormatOptionValues = std::map<std::string, std::string, std::less<>>;

class FileFormat {
 public:
  virtual ~FileFormat() = default;

  virtual std::string_view name() const = 0;
  // Whether `path` can be read by byte ranges (ReadOptions::range_*) by several threads.
  virtual bool Splittable(const std::string& path) const { return false; }
  // Whether a file that grew can be read on from where an earlier read ended, as more
  // records (inlet.loadAppendedBytes).
  virtual bool ReadsAppendedBytes() const { return false; }
  // Whether a file's last byte says it is complete (the settle check, source/file_content).
  virtual bool MayEndWith(char last_byte) const { return last_byte == '\n'; }
  // OK, or Status::Invalid naming the top-level column that this format cannot fill.
  virtual Status CheckReadableSchema(const Schema& schema) const = 0;
  // A schema from `paths` in order, within the sample limits. No record at all: empty.
  virtual Result<Schema> InferSchema(const std::vector<std::string>& paths, const SampleOptions& options) const = 0;
  // Reads one file into `sink` under `schema` (ToArrowSchema layout); counts are ADDED to
  // `counts` (may be null). FAILFAST's malformed record: Status::Invalid "PATH:LINE ...".
  // A corrupt file: Status::IOError naming it, counts->source_unreadable set.
  virtual Status ReadFile(const std::string& path, const Schema& schema, const ReadOptions& options,
                          const BatchSink& sink, ReadCounts* counts) const = 0;
  // One-pass inference (see InferenceGuess): nullptr when this format, these options or
  // this sample cannot be guessed from the heads of the files.
  virtual Result<std::shared_ptr<const InferenceGuess>> Guess(const std::vector<std::string>& paths,
                                                              const SampleOptions& options,
                                                              size_t max_sample_files) const {
    return std::shared_ptr<const InferenceGuess>();
  }
};

}  // namespace inlet::formats
