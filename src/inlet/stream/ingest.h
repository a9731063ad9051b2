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
  // Loaded (as planned), then changed before or during the commit (still being written):
  // marked in the file state; loaded again by a later run only with
  // cloudFiles.allowOverwrites or inlet.loadAppendedBytes.
  std::vector<std::string> changed_after_load;
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

// A file an earlier batch loaded that the listing found changed since (size or modification
// time), and that is not loaded again: its new version is ignored, as Auto Loader does
// without cloudFiles.allowOverwrites.
struct ChangedFile {
  std::string path;
  int64_t batch_id = 0;     // the batch that loaded it
  int64_t loaded_size = 0;  // what was loaded
  int64_t size = 0;         // what it is now
  std::string reason;       // why the change is not loaded
};

struct IngestReport {
  std::vector<BatchReport> batches;
  // Listed files not loaded because they are still being written (inlet.fileSettleTime).
  std::vector<std::string> files_in_flight;
  // Listed files found changed after they were loaded: `changed_reported` the changes not
  // reported by an earlier run, `changed_files` how many listed files are in that state.
  std::vector<ChangedFile> changed_reported;
  int64_t changed_files = 0;
  int64_t files_skipped_existing = 0;  // includeExistingFiles=false on the first run
  // Listing: entries that could not be examined (a symlink loop, an unreadable directory),
  // skipped with these messages naming them (source::ListFiles).
  std::vector<std::string> listing_skipped;
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
