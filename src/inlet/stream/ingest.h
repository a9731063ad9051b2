// `inlet ingest`: discover -> plan a batch -> parse -> write Parquet -> commit to Delta,
// micro-batch by micro-batch, exactly once across crashes and restarts.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "inlet/options/ingest_options.h"
#include "inlet/util/status.h"

namespace inlet::stream {

// Record accounting: records_read = loaded + rescued_records + bad_records, where loaded
// records fit the schema, rescued ones kept something in the rescued data column, and bad
// ones were malformed (kept as rows of nulls in PERMISSIVE mode, dropped in DROPMALFORMED,
// and in the bad-records file with badRecordsPath). `records` is the rows committed.
struct BatchReport {
  int64_t batch_id = 0;
  int64_t files = 0;
  int64_t records = 0;          // rows added to the table
  int64_t records_read = 0;     // records in the files read (blank lines are not records)
  int64_t bytes = 0;
  int64_t type_mismatches = 0;  // values nulled because they did not fit their column
  int64_t rescued_records = 0;  // records whose rescued data column holds something
  int64_t bad_records = 0;      // malformed records (see above)
  std::string bad_records_dir;  // where badRecordsPath put this batch's, when it has any
  std::vector<std::string> missing_files;  // planned, but gone when the batch read them
  // ignoreCorruptFiles: planned files that could not be read to their end (path, reason);
  // the records read before the damage are loaded.
  std::vector<std::pair<std::string, std::string>> corrupt_files;
  // Planned, but changed (size or modification time) since planning, i.e. still being
  // written: not loaded by this batch, offered again to a later one.
  std::vector<std::string> deferred_files;
  int64_t data_files_written = 0;
  int64_t LoadedRecords() const { return records_read - rescued_records - bad_records; }
  int64_t table_version = -1;
  double seconds = 0;
  bool recovered = false;          // a batch planned by an earlier, interrupted run
  bool already_committed = false;  // found in the table's txn; only the marker was missing
  // This batch's read inferred the stream's first schema from a guess (stream_schema.h)
  // that did not hold: the record that refuted it (FILE:LINE), after which the batch was
  // read again. Empty otherwise.
  std::string guess_refuted_at;
};

struct IngestReport {
  std::vector<BatchReport> batches;
  int64_t files_skipped_existing = 0;  // includeExistingFiles=false on the first run
};

using BatchCallback = std::function<void(const BatchReport&)>;

// Runs the stream per options.trigger. `on_batch` is called after each committed batch.
// A stop on a schema change comes back as a status IsSchemaChange() (schema_change.h)
// recognizes; the batches committed before it are lost from the report, not the table.
// `cancel`, when given, may be set by another thread: the run stops at the next file or
// batch boundary and returns Status::Cancelled. Batches committed before stay committed; a
// batch cut short commits nothing and is redone by the next run (its plan stays).
Result<IngestReport> RunIngest(const IngestOptions& options, const BatchCallback& on_batch,
                               const std::atomic<bool>* cancel = nullptr);

}  // namespace inlet::stream
