// The micro-batch loop of `inlet ingest`: finish an interrupted batch first, then plan and
// run new batches from the files listed at start, until the trigger says stop.
#include "inlet/stream/ingest.h"

#include <chrono>
#include <optional>


#include <spdlog/spdlog.h>

#include "inlet/delta/features.h"
#include "inlet/delta/table.h"
#include "inlet/schema/spark_json.h"
#include "inlet/source/discovery.h"
#include "inlet/source/file_content.h"
#include "inlet/stream/batch_executor.h"
#include "inlet/stream/checkpoint.h"
#include "inlet/stream/listing_cursor.h"
#include "inlet/stream/reader_options.h"
#include "inlet/stream/stream_schema.h"
#include "inlet/util/ids.h"
#include "inlet/util/fault.h"
#include "inlet/storage/file_system.h"
#include "inlet/storage/location.h"

namespace inlet::stream {
namespace {

using source::DiscoveredFile;

class Stopwatch {
 public:
  double Seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

bool Appendable(const IngestOptions& options, const formats::FileFormat& format, const std::string& path) {
  return options.load_appended_bytes && format.ReadsAppendedBytes() && !source::IsCompressedPath(path);
}

// A loaded file that changed since: reported (once per change, the state remembers the
// version seen) and not offered.
Status ReportChanged(Checkpoint& checkpoint, const DiscoveredFile& file, source::FileState state,
                     std::string reason, IngestReport* report) {
  ++report->changed_files;
  if (state.changed_size == file.size && state.changed_modification_time_ms == file.modification_time_ms) {
    return Status::OK();
  }
  report->changed_reported.push_back({file.path, state.batch_id, state.size, file.size, std::move(reason)});
  state.changed_size = file.size;
  state.changed_modification_time_ms = file.modification_time_ms;
  return checkpoint.file_state().Put(file.path, state);
}

// Whether a listed file is offered to a batch. A file never seen is. One loaded before is
// offered again only when it changed since (modification time or size): with
// cloudFiles.allowOverwrites whole, as Auto Loader does; with inlet.loadAppendedBytes, when
// it grew and still begins with what was loaded (fingerprint, file_content.h), from there
// (sets file.load_from). Any other change is reported.
Result<bool> Offer(const IngestOptions& options, const formats::FileFormat& format, Checkpoint& checkpoint,
                   DiscoveredFile& file,
                   const std::optional<source::FileState>& state, IngestReport* report) {
  if (!state) return true;
  if (state->modification_time_ms == file.modification_time_ms && state->size == file.size) return false;
  if (state->batch_id < 0) return options.allow_overwrites;  // includeExistingFiles=false: never loaded
  if (options.allow_overwrites) return true;
  std::string reason =
      "its new version is not loaded (cloudFiles.allowOverwrites=true loads it again, "
      "inlet.loadAppendedBytes=true loads the lines appended to a file)";
  if (Appendable(options, format, file.path)) {
    if (file.size < state->size) {
      reason = "it is shorter than what was loaded: not an append, not loaded";
    } else if (!state->fingerprint) {
      reason = "it was loaded without inlet.loadAppendedBytes, so what was loaded cannot be checked: not loaded";
    } else {
      auto read = source::FingerprintPrefix(file.path, state->size);
      if (!read.ok()) return false;  // gone or unreadable since listing: the next listing looks again
      const auto& print = *read;
      if (!print || print->hash != *state->fingerprint) {
        reason = "what was loaded is no longer its beginning (rewritten, not appended to): not loaded";
      } else if (!print->ends_at_line) {
        reason = "what was loaded did not end with a newline, so the appended bytes do not start a line: not loaded";
      } else if (file.size == state->size) {
        reason = "it was touched (same size, same loaded bytes): nothing to load";
      } else {
        file.load_from = state->size;
        file.load_from_fingerprint = state->fingerprint;
        return true;
      }
    }
  }
  INLET_RETURN_NOT_OK(ReportChanged(checkpoint, file, *state, std::move(reason), report));
  return false;
}

// inlet.fileSettleTime: a file freshly modified whose last line is torn is left for later.
Result<bool> StillBeingWritten(const IngestOptions& options, const formats::FileFormat& format,
                               const DiscoveredFile& file, int64_t now_ms) {
  if (options.file_settle_time_ms <= 0 || now_ms - file.modification_time_ms >= options.file_settle_time_ms) {
    return false;  // settled: no need to look at its bytes
  }
  auto tail = source::ReadFileTail(file.path, [&format](char last) { return format.MayEndWith(last); });
  if (!tail.ok()) return false;  // gone or unreadable: the batch reports it
  return source::IsStillBeingWritten(file, *tail, now_ms, options.file_settle_time_ms);
}

// Files listed now that no earlier batch took (or that it took before they changed, see
// Offer), and that are not still being written, in listing order.
// With `list_after`, only the files after it are listed (listing_cursor.h); `outcome` gets
// what the listing was.
Result<std::vector<DiscoveredFile>> ListNewFiles(const IngestOptions& options, Checkpoint& checkpoint,
                                                 const std::optional<std::string>& list_after,
                                                 IngestReport* report, ListingOutcome* outcome) {
  source::DiscoveryOptions discovery;
  discovery.pattern = options.source_pattern;
  discovery.path_glob_filter = options.path_glob_filter;
  discovery.recursive = options.recursive_file_lookup;
  discovery.list_after = list_after;
  INLET_ASSIGN_OR_RAISE(auto listed, source::ListFiles(discovery, &report->listing_skipped, &outcome->incremental));
  if (outcome->incremental) {
    spdlog::info("listing: {} files after '{}' (cloudFiles.useIncrementalListing)", listed.size(), *list_after);
  }
  const int64_t now_ms = NowMillis();
  INLET_ASSIGN_OR_RAISE(ReaderOptions reader, CompileReaderOptions(options));
  std::vector<DiscoveredFile> fresh;
  for (auto& file : listed) {
    // modifiedAfter/modifiedBefore: outside the window is not taken, nor marked as seen.
    if (!reader.InModifiedWindow(file.modification_time_ms)) continue;
    INLET_ASSIGN_OR_RAISE(auto state, checkpoint.file_state().Get(file.path));
    outcome->paths.push_back(file.path);
    if (!state && (!outcome->first_new || file.path < *outcome->first_new)) outcome->first_new = file.path;
    INLET_ASSIGN_OR_RAISE(bool offered, Offer(options, *reader.format, checkpoint, file, state, report));
    if (!offered) continue;
    INLET_ASSIGN_OR_RAISE(bool writing, StillBeingWritten(options, *reader.format, file, now_ms));
    if (writing) {
      report->files_in_flight.push_back(file.path);
      continue;
    }
    if (Appendable(options, *reader.format, file.path)) {
      // What this load takes, to check a later append against (file_content.h).
      auto print = source::FingerprintPrefix(file.path, file.size);
      if (!print.ok() || !print->has_value()) continue;  // gone or truncated since listing: next run
      file.fingerprint = (*print)->hash;
    }
    fresh.push_back(std::move(file));
  }
  return fresh;
}

// The first files up to maxFilesPerTrigger and maxBytesPerTrigger (always at least one).
// Trigger once takes every new file in its one batch: Auto Loader ignores the rate limits
// with Trigger.Once, and a limit there would leave files behind for no reason.
std::vector<DiscoveredFile> TakeBatch(const IngestOptions& options, std::vector<DiscoveredFile>& pending,
                                      size_t& cursor) {
  std::vector<DiscoveredFile> batch;
  int64_t bytes = 0;
  const bool limited = options.trigger != Trigger::kOnce;
  while (cursor < pending.size()) {
    const auto& file = pending[cursor];
    bool full_by_count = limited && static_cast<int64_t>(batch.size()) >= options.max_files_per_trigger;
    bool full_by_bytes = limited && options.max_bytes_per_trigger && !batch.empty() &&
                         bytes + file.size > *options.max_bytes_per_trigger;
    if (full_by_count || full_by_bytes) break;
    bytes += file.size;
    batch.push_back(file);
    ++cursor;
  }
  return batch;
}

class IngestRun {
 public:
  IngestRun(const IngestOptions& options, Checkpoint& checkpoint, StreamSchema& stream_schema,
            const BatchCallback& on_batch, const std::atomic<bool>* cancel)
      : options_(options),
        checkpoint_(checkpoint),
        stream_schema_(stream_schema),
        on_batch_(on_batch),
        cancel_(cancel) {}

  Result<IngestReport> Run() {
    INLET_ASSIGN_OR_RAISE(bool ran_recovery, FinishInterruptedBatch());
    if (ran_recovery && options_.trigger == Trigger::kOnce) return report_;
    // A new hint or --schema is checked against the table (and recorded as a version)
    // even when no file is new.
    INLET_ASSIGN_OR_RAISE(bool needs_files, stream_schema_.NeedsFilesToResolve());
    if (!needs_files) INLET_RETURN_NOT_OK(ResolveSchema({}));
    INLET_ASSIGN_OR_RAISE(auto listing_cursor, LoadListingCursor(checkpoint_.file_state()));
    ListingOutcome listing;
    INLET_ASSIGN_OR_RAISE(auto pending,
                          ListNewFiles(options_, checkpoint_, ListAfter(options_.incremental_listing, listing_cursor),
                                       &report_, &listing));
    INLET_RETURN_NOT_OK(ApplyIncludeExistingFiles(pending));
    size_t cursor = 0;
    while (cursor < pending.size()) {
      if (cancel_ != nullptr && cancel_->load()) {
        return Status::Cancelled("ingest cancelled after ", report_.batches.size(), " batches");
      }
      INLET_RETURN_NOT_OK(RunNewBatch(pending, cursor));
      if (options_.trigger == Trigger::kOnce) break;
    }
    INLET_RETURN_NOT_OK(MoveListingCursor(listing_cursor, std::move(listing)));
    return report_;
  }

 private:
  // offsets/N without commits/N: a run died inside batch N. Redo it with the same plan.
  Result<bool> FinishInterruptedBatch() {
    INLET_ASSIGN_OR_RAISE(auto planned, checkpoint_.LatestPlanned());
    INLET_ASSIGN_OR_RAISE(auto committed, checkpoint_.LatestCommitted());
    next_batch_id_ = planned ? *planned + 1 : 0;
    if (!planned || (committed && *committed >= *planned)) return false;
    INLET_ASSIGN_OR_RAISE(BatchPlan plan, checkpoint_.ReadPlan(*planned));
    // The plan may have been written just before the crash, before the state store.
    INLET_RETURN_NOT_OK(checkpoint_.file_state().PutAll(plan.files, plan.batch_id));
    std::vector<std::string> candidates;
    for (const auto& file : plan.files) candidates.push_back(file.path);
    INLET_RETURN_NOT_OK(ResolveSchema(candidates, plan.files.size()));
    INLET_RETURN_NOT_OK(Execute(plan, /*recovered=*/true));
    return true;
  }

  // Past every listed file the state now holds (listing_cursor.h); only once the batches
  // that took them are planned, so a crash before leaves the cursor where it was.
  Status MoveListingCursor(const std::optional<ListingCursor>& cursor, ListingOutcome listing) {
    if (options_.incremental_listing == IncrementalListing::kOff) return Status::OK();
    // Only object stores list from a key; a local landing zone has no use for a cursor.
    INLET_ASSIGN_OR_RAISE(const storage::Location source, storage::ParseLocation("--source", options_.source_pattern));
    if (source.backend == storage::Backend::kLocal) return Status::OK();
    auto& state = checkpoint_.file_state();
    INLET_ASSIGN_OR_RAISE(auto next, NextListingCursor(cursor, std::move(listing), [&](const std::string& path) -> Result<bool> {
      INLET_ASSIGN_OR_RAISE(auto found, state.Get(path));
      return found.has_value();
    }));
    return SaveListingCursor(state, cursor, next);
  }

  // includeExistingFiles=false: on the stream's first run, what is already there is marked
  // as seen and never loaded.
  Status ApplyIncludeExistingFiles(std::vector<DiscoveredFile>& pending) {
    if (checkpoint_.existing_files_decided()) return Status::OK();
    if (!options_.include_existing_files && next_batch_id_ == 0) {
      INLET_RETURN_NOT_OK(checkpoint_.file_state().PutAll(pending, /*batch_id=*/-1));
      report_.files_skipped_existing = static_cast<int64_t>(pending.size());
      pending.clear();
    }
    return checkpoint_.MarkExistingFilesDecided();
  }

  Status RunNewBatch(std::vector<DiscoveredFile>& pending, size_t& cursor) {
    size_t batch_start = cursor;
    BatchPlan plan;
    plan.batch_id = next_batch_id_++;
    plan.planned_at_ms = NowMillis();
    std::vector<std::string> candidates;
    for (size_t i = batch_start; i < pending.size(); ++i) candidates.push_back(pending[i].path);
    plan.files = TakeBatch(options_, pending, cursor);
    INLET_RETURN_NOT_OK(ResolveSchema(candidates, plan.files.size()));
    plan.schema_json = ToSparkJson(stream_schema_.resolved().FileSchema());
    INLET_RETURN_NOT_OK(checkpoint_.WritePlan(plan));
    MaybeCrashAt("after_plan");
    INLET_RETURN_NOT_OK(checkpoint_.file_state().PutAll(plan.files, plan.batch_id));
    return Execute(plan, /*recovered=*/false);
  }

  // Once per run, before the first batch: inference (if needed) samples `candidates`, of
  // which the batch takes the first `batch_files` (so its read may infer, stream_schema.h).
  Status ResolveSchema(const std::vector<std::string>& candidates, size_t batch_files = 0) {
    if (stream_schema_.is_resolved()) return Status::OK();
    INLET_ASSIGN_OR_RAISE(auto snapshot, delta::Snapshot::Load(options_.table_dir));
    std::optional<Schema> table_schema;
    if (snapshot.exists()) {
      // Before its schema is parsed: a table with features inlet cannot write is refused by name.
      INLET_RETURN_NOT_OK(delta::CheckAppendable(snapshot.protocol(), snapshot.metadata(), options_.table_dir));
      INLET_ASSIGN_OR_RAISE(table_schema, ParseSparkJsonSchema(snapshot.metadata().schema_string));
    }
    return stream_schema_.Resolve(candidates, table_schema, batch_files).status();
  }

  Status Execute(const BatchPlan& plan, bool recovered) {
    Stopwatch watch;
    INLET_ASSIGN_OR_RAISE(BatchReport report, ExecuteBatch(options_, checkpoint_, stream_schema_, plan, cancel_));
    report.recovered = recovered;
    report.seconds = watch.Seconds();
    if (on_batch_) on_batch_(report);
    report_.batches.push_back(report);
    return Status::OK();
  }

  const IngestOptions& options_;
  Checkpoint& checkpoint_;
  StreamSchema& stream_schema_;
  const BatchCallback& on_batch_;
  const std::atomic<bool>* cancel_;
  IngestReport report_;
  int64_t next_batch_id_ = 0;
};

}  // namespace

Result<IngestReport> RunIngest(const IngestOptions& options, const BatchCallback& on_batch,
                               const std::atomic<bool>* cancel) {
  if (options.source_pattern.empty()) return Status::Invalid("--source is required");
  if (options.table_dir.empty()) return Status::Invalid("--table is required");
  if (options.checkpoint_dir.empty()) return Status::Invalid("--checkpoint is required");
  INLET_RETURN_NOT_OK(CheckSchemaOptionsReadable(options));  // before anything is created
  INLET_RETURN_NOT_OK(CompileReaderOptions(options).status());
  INLET_ASSIGN_OR_RAISE(const storage::Place table, storage::Resolve("--table", options.table_dir));
  INLET_RETURN_NOT_OK(table.fs->CreateDirs(table.path));
  // Options first (nothing is created for a bad command); the repository's newest version
  // is read in Resolve, under the checkpoint's lock.
  INLET_ASSIGN_OR_RAISE(auto stream_schema, StreamSchema::Open(options));
  INLET_ASSIGN_OR_RAISE(auto checkpoint, Checkpoint::Open(options.checkpoint_dir));
  IngestRun run(options, *checkpoint, *stream_schema, on_batch, cancel);
  return run.Run();
}

}  // namespace inlet::stream
