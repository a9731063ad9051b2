// The schema a stream reads with — from --schema, the schema repository
// (cloudFiles.schemaLocation) or inference, with cloudFiles.schemaHints applied — and what
// happens when a batch's data does not fit it (cloudFiles.schemaEvolutionMode).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/stream/reader_options.h"
#include "inlet/options/ingest_options.h"
#include "inlet/schema/evolution.h"
#include "inlet/schema/hints.h"
#include "inlet/schema/repository.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::stream {

struct StreamReadSchema {
  Schema data_schema;          // the columns the JSON feeds
  std::string rescued_column;  // "" when the stream has none
  std::string corrupt_column;  // columnNameOfCorruptRecord; "" when not set
  int64_t version = -1;        // schema repository version; -1 without a repository

  // data_schema plus the corrupt record column and the rescued column (nullable strings,
  // in that order, last): the layout of the Parquet files a batch writes.
  Schema FileSchema() const;
};

// What a batch met that the schema lacks.
struct ObservedDrift {
  std::vector<std::string> files;  // the batch's files from the one where drift was met on
  std::string first_file;
  int64_t first_line = 0;
  FieldPath first_new_field;       // empty when only widenings were met
  std::vector<TypeWidening> widenings;
};

class StreamSchema {
 public:
  // Checks the options fit together (a schema source exists, the mode has what it needs)
  // and opens the repository. Errors name the option to set.
  static Result<std::unique_ptr<StreamSchema>> Open(const IngestOptions& options);

  // The schema for this run's batches, resolved on first call: --schema, else the newest
  // repository version, else inferred from `candidate_files` (in order, within the
  // sampling limits); then hints. When that differs from the newest version (first
  // inference, new hints, a changed --schema), it is written as the next version — but
  // only after checking that the Delta table (`table_schema`, when the table exists) can
  // take it, so a version the table cannot use is never recorded.
  //
  // `first_batch_files`: how many of `candidate_files`, from the first, the batch about to
  // be read takes. When the schema must be inferred (no hints, NDJSON) and that batch
  // holds the whole sample, the answer is an inference guess instead (guess() is set,
  // json_inference_guess.h), and nothing is written until SettleGuess: the batch's read
  // checks the sample, so it is read once, not once to infer and once to load.
  Result<StreamReadSchema> Resolve(const std::vector<std::string>& candidate_files,
                                   const std::optional<Schema>& table_schema, size_t first_batch_files = 0);

  // The schema the stream reads with now: Resolve's, or what settled its guess since.
  // Only after Resolve.
  bool is_resolved() const { return resolved_.has_value(); }
  const StreamReadSchema& resolved() const { return *resolved_; }
  // Set between Resolve and SettleGuess when Resolve answered with a guess.
  const std::shared_ptr<const formats::InferenceGuess>& guess() const { return guess_; }

  // After the batch was read with the guess: writes the schema version the sample infers,
  // and says whether it is the guess, i.e. whether what was read stands. Not when the
  // read was refuted, or files of the sample went unchecked (changed since planning) and
  // add something: then resolved() is the sample's schema, inferred from the guess, what
  // the checks folded and the unchecked files, and the batch must be read again.
  Result<bool> SettleGuess(bool refuted, const std::vector<DataTypePtr>& folded,
                           const std::vector<std::string>& unchecked_files);

  // A batch met `drift`. Returns the status the stream stops with (exit 3): for
  // addNewColumns modes after writing the evolved schema as the next version, for
  // failOnNewColumns without writing anything. Returns OK when the drifted data adds
  // nothing after all (e.g. a new field that only ever holds {}): the caller then reads
  // the batch again without stopping at new fields.
  Status HandleDrift(const ObservedDrift& drift);

  // False when Resolve needs no files (a --schema, or a version in the repository), so a
  // run can resolve, and report a schema the table cannot take, before it lists files.
  Result<bool> NeedsFilesToResolve() const;

  SchemaEvolutionMode mode() const { return mode_; }
  bool stops_on_new_fields() const;
  bool collects_widenings() const { return mode_ == SchemaEvolutionMode::kAddNewColumnsWithTypeWidening; }

 private:
  explicit StreamSchema(const IngestOptions& options) : options_(options) {}
  Result<Schema> BaseSchema(const std::vector<std::string>& candidate_files, bool* inferred,
                            bool* hints_recorded);
  Result<bool> TryGuess(const std::vector<std::string>& candidate_files, size_t first_batch_files);
  Result<StreamReadSchema> ReadSchemaFor(const Schema& schema, bool from_user_schema) const;
  Result<StreamReadSchema> Settle(Schema schema, bool from_user_schema);
  std::string RescuedColumnName(bool inferred) const;
  Result<std::string> WriteNextVersion(const Schema& schema);
  Status CheckTableCanTake(const Schema& data_schema, const std::string& rescued_column) const;
  Status CheckReaderColumns(const Schema& data_schema, const StreamReadSchema& read) const;
  Status CheckReadable(const Schema& schema) const;

  const IngestOptions& options_;
  ReaderOptions reader_;  // the format, and the temporal formats it infers with
  SchemaEvolutionMode mode_ = SchemaEvolutionMode::kAddNewColumns;
  std::vector<SchemaHint> hints_;
  std::optional<SchemaRepository> repository_;
  std::optional<SchemaVersion> newest_;
  std::optional<StreamReadSchema> resolved_;
  std::optional<Schema> table_schema_;
  std::shared_ptr<const formats::InferenceGuess> guess_;
};

// --schema and each cloudFiles.schemaHints item checked against the format's reader, before
// anything is created: Status::Invalid naming the hint (or --schema) and why the reader
// cannot read it (e.g. 'm MAP<INT,STRING>': JSON object keys are strings). A hint is
// checked on its own; the schema it makes with the inferred one is checked again before
// it is recorded (StreamSchema::Resolve).
Status CheckSchemaOptionsReadable(const IngestOptions& options);

// The Delta table's schema once a batch written with `file_schema` is committed: the
// table's columns (order kept) with the batch's new fields added — top-level ones before a
// trailing rescued column `rescued_column`, nested ones at the end of their struct — and
// column types widened where the batch's are wider in a way Delta's typeWidening allows
// (recorded in delta.typeChanges; *widened is set). Any other type difference fails naming
// the column, both types and the table, before anything is written.
Result<Schema> MergeIntoTableSchema(const Schema& table_schema, const Schema& file_schema,
                                    const std::string& rescued_column, const std::string& table_dir,
                                    bool* widened);

}  // namespace inlet::stream
