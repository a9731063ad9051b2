// One batch, exactly once: the Delta txn action (appId = stream id, version = batch id)
// is the single source of truth for "this batch is in the table".
#include "inlet/stream/batch_executor.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include <fmt/format.h>

#include "inlet/delta/features.h"
#include "inlet/delta/partition_values.h"
#include "inlet/delta/table.h"
#include "inlet/delta/transaction.h"
#include "inlet/schema/spark_json.h"
#include "inlet/source/discovery.h"
#include "inlet/stream/bad_records.h"
#include "inlet/stream/parallel_parse.h"
#include "inlet/stream/reader_options.h"
#include "inlet/stream/table_constraints.h"
#include "inlet/util/ids.h"
#include "inlet/write/data_file_writer.h"
#include "inlet/storage/file_system.h"

namespace inlet::stream {
namespace {

struct WrittenBatch {
  std::vector<write::WrittenFile> files;
  formats::ReadCounts counts;
  std::vector<std::string> missing_files;
  std::vector<std::pair<std::string, std::string>> corrupt_files;  // ignoreCorruptFiles: path, reason
  std::vector<std::string> deferred_files;  // changed since planning: left for a later batch
  // Read as planned, then changed before the commit (the check just before it): what the
  // commit loads is the planned version; the change is reported, not loaded.
  std::vector<std::string> changed_before_commit;
  std::optional<ObservedDrift> drift;  // set when the read stopped on a schema change
  std::unique_ptr<BadRecordsWriter> bad_records;  // badRecordsPath, unless FAILFAST
  // Read with an inference guess (ParsedFiles): whether a record refuted it (then nothing
  // was kept), where, what the checks folded, and the sampled files left unchecked (read
  // only in part, or deferred).
  bool guess_refuted = false;
  std::string refuted_at;
  std::vector<DataTypePtr> guess_folded;
  std::vector<std::string> unchecked_sample_files;
};

struct ReadMode {
  bool stop_on_new_fields = false;
  bool collect_widenings = false;
};

// Where drift was first met, and the files from there on (what inference must look at).
ObservedDrift DriftFrom(const std::vector<source::DiscoveredFile>& files, size_t file_index,
                        const formats::ReadCounts& counts) {
  ObservedDrift drift;
  for (size_t i = file_index; i < files.size(); ++i) {
    if (storage::ExistsAt(files[i].path)) drift.files.push_back(files[i].path);
  }
  drift.first_file = files[file_index].path;
  drift.first_line = counts.new_field_line;
  drift.first_new_field = counts.new_field_path;
  return drift;
}

formats::ReadOptions ReadOptionsFor(const IngestOptions& options, const ReaderOptions& reader,
                                    const StreamReadSchema& read_schema, ReadMode mode, BadRecordsWriter* bad_records) {
  formats::ReadOptions read_options;
  read_options.temporal = reader.temporal;
  read_options.rescued_data_column = read_schema.rescued_column;
  read_options.corrupt_record_column = read_schema.corrupt_column;
  read_options.single_variant_column = options.single_variant_column.value_or("");
  read_options.case_sensitive = options.reader_case_sensitive;
  read_options.stop_on_new_fields = mode.stop_on_new_fields;
  read_options.collect_widenings = mode.collect_widenings;
  read_options.mode = options.mode;
  read_options.max_record_bytes = options.max_record_bytes;
  if (bad_records != nullptr) {
    read_options.bad_record_sink = [bad_records](const formats::BadRecord& record) { return bad_records->Add(record); };
  }
  return read_options;
}

// What became of planned files since planning, from one look at all of them (one listing
// per folder on object stores). A file whose size or modification time is no longer what
// the plan saw is still being written (or was rewritten): loading it now could load half
// of it. A file that is gone is not "changed": the parse reports it as missing.
struct FilesNow {
  std::vector<bool> changed;
  std::vector<bool> gone;
};

FilesNow LookAgain(const std::vector<source::DiscoveredFile>& planned) {
  std::vector<std::string> paths;
  for (const auto& file : planned) paths.push_back(file.path);
  const std::vector<std::optional<source::DiscoveredFile>> now = source::StatFiles(paths);
  FilesNow result{std::vector<bool>(planned.size()), std::vector<bool>(planned.size())};
  for (size_t i = 0; i < planned.size(); ++i) {
    result.gone[i] = !now[i];
    result.changed[i] = now[i] && (now[i]->size != planned[i].size ||
                                   now[i]->modification_time_ms != planned[i].modification_time_ms);
  }
  return result;
}

// The plan's files this batch loads: neither deferred nor missing.
std::vector<source::DiscoveredFile> LoadedFiles(const BatchPlan& plan, const std::vector<std::string>& deferred,
                                                const std::vector<std::string>& missing) {
  std::vector<source::DiscoveredFile> loaded;
  for (const auto& file : plan.files) {
    if (std::find(deferred.begin(), deferred.end(), file.path) != deferred.end()) continue;
    if (std::find(missing.begin(), missing.end(), file.path) != missing.end()) continue;
    loaded.push_back(file);
  }
  return loaded;
}

// Deferred files are offered again: a whole-file load is forgotten (the next listing sees
// the file as new, or rewritten); an appended load (inlet.loadAppendedBytes) is put back to
// what the earlier batches loaded, so the next listing appends from there again. Forgetting
// it instead would load its first bytes a second time.
Status OfferDeferredAgain(Checkpoint& checkpoint, const BatchPlan& plan, const std::vector<std::string>& deferred) {
  std::vector<std::string> forget;
  for (const auto& file : plan.files) {
    if (std::find(deferred.begin(), deferred.end(), file.path) == deferred.end()) continue;
    if (file.load_from == 0) {
      forget.push_back(file.path);
      continue;
    }
    source::FileState loaded_before;
    loaded_before.size = file.load_from;
    loaded_before.modification_time_ms = 0;  // unknown; the size alone tells the file grew
    loaded_before.batch_id = plan.batch_id;
    loaded_before.fingerprint = file.load_from_fingerprint;
    INLET_RETURN_NOT_OK(checkpoint.file_state().Put(file.path, loaded_before));
  }
  return checkpoint.file_state().RemoveAll(forget);
}

// Loaded files whose size or modification time is no longer the planned one.
std::vector<std::string> ChangedSinceLoaded(const std::vector<source::DiscoveredFile>& loaded) {
  std::vector<std::string> changed;
  const FilesNow now = LookAgain(loaded);
  for (size_t i = 0; i < loaded.size(); ++i) {
    if (now.changed[i]) changed.push_back(loaded[i].path);
  }
  return changed;
}

// After the commit: the loaded files that changed since they were read are reported, and
// marked in the file state (FileState::changed_size) so that listing reports each change
// once and `done:` can count them.
Status RecordChangedAfterLoad(Checkpoint& checkpoint, const std::vector<std::string>& changed) {
  for (const auto& path : changed) {
    auto now = source::StatFile(path);
    if (!now.ok()) continue;
    INLET_ASSIGN_OR_RAISE(auto state, checkpoint.file_state().Get(path));
    if (!state) continue;
    state->changed_size = now->size;
    state->changed_modification_time_ms = now->modification_time_ms;
    INLET_RETURN_NOT_OK(checkpoint.file_state().Put(path, *state));
  }
  return Status::OK();
}

// The plan's files minus those deferred, deferring any that changed since planning;
// `gone` gets those of them that no longer exist.
std::vector<source::DiscoveredFile> StableFiles(const BatchPlan& plan, std::vector<std::string>& deferred,
                                                std::vector<std::string>* gone) {
  std::vector<source::DiscoveredFile> candidates;
  for (const auto& file : plan.files) {
    if (std::find(deferred.begin(), deferred.end(), file.path) == deferred.end()) candidates.push_back(file);
  }
  const FilesNow now = LookAgain(candidates);
  std::vector<source::DiscoveredFile> stable;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (now.changed[i]) {
      deferred.push_back(candidates[i].path);
      continue;
    }
    if (now.gone[i]) gone->push_back(candidates[i].path);
    stable.push_back(candidates[i]);
  }
  return stable;
}

// ignoreMissingFiles=false (Spark's default): a planned file that is gone fails the batch,
// which stays planned, so every run fails the same way until the option says to skip it.
Status MissingFileError(const BatchPlan& plan, const std::string& path) {
  return Status::IOError(fmt::format(
      "batch {}: '{}' was listed but no longer exists; restore it, or set --option ignoreMissingFiles=true "
      "to skip it",
      plan.batch_id, path));
}

// Nothing of `written` is kept: its data files and bad records go.
void Discard(const IngestOptions& options, WrittenBatch& written) {
  RemoveDataFiles(options.table_dir, written.files);
  written.files.clear();
  if (written.bad_records) written.bad_records->Discard();
}

// The guess to check on `files` (the plan's stable files, in plan order): the plan's first
// `guess.sample_files()` are the sample; those deferred are left unchecked.
GuessToCheck CheckOnStableFiles(std::shared_ptr<const formats::InferenceGuess> guess, const BatchPlan& plan,
                                const std::vector<std::string>& deferred, std::vector<std::string>* unchecked) {
  GuessToCheck check{std::move(guess), 0};
  const size_t sample = std::min(check.guess->sample_files(), plan.files.size());
  for (size_t i = 0; i < sample; ++i) {
    const std::string& path = plan.files[i].path;
    if (std::find(deferred.begin(), deferred.end(), path) != deferred.end()) {
      unchecked->push_back(path);
    } else {
      ++check.sample_files;
    }
  }
  return check;
}

// Parses the plan's files that are stable, and checks them again afterwards: a file that
// changed while it was read is deferred and the batch parsed again without it (rare, so
// simply redone), because rows already written cannot be taken back out of a data file.
// With `guess`, the read checks it (parallel_parse.h's GuessToCheck).
// `table_rules`: the table's partition columns and CHECK constraints.
Result<WrittenBatch> ParseAndWrite(const IngestOptions& options, const StreamReadSchema& read_schema,
                                   const BatchPlan& plan, ReadMode mode, const std::atomic<bool>* cancel,
                                   const write::TableWriteRules& table_rules,
                                   std::shared_ptr<const formats::InferenceGuess> guess = nullptr) {
  constexpr int kMaxAttempts = 3;
  INLET_ASSIGN_OR_RAISE(const ReaderOptions reader, CompileReaderOptions(options));
  WrittenBatch result;
  for (int attempt = 1;; ++attempt) {
    if (options.bad_records_path && options.mode != MalformedRecordMode::kFailFast) {
      INLET_ASSIGN_OR_RAISE(result.bad_records, BadRecordsWriter::Open(*options.bad_records_path, plan));
    }
    std::vector<std::string> gone;
    const std::vector<source::DiscoveredFile> files = StableFiles(plan, result.deferred_files, &gone);
    if (!options.ignore_missing_files && !gone.empty()) {
      if (result.bad_records) result.bad_records->Discard();
      return MissingFileError(plan, gone.front());
    }
    formats::ReadOptions read_options = ReadOptionsFor(options, reader, read_schema, mode, result.bad_records.get());
    std::optional<GuessToCheck> check;
    result.unchecked_sample_files.clear();
    if (guess) check = CheckOnStableFiles(guess, plan, result.deferred_files, &result.unchecked_sample_files);
    auto parsed = ParseFilesInParallel(files, *reader.format, read_schema.FileSchema(), read_options, options.table_dir,
                                       options.target_file_size, ResolveThreads(options), cancel,
                                       check ? &*check : nullptr, kParseRangeBytes, options.ignore_corrupt_files, table_rules);
    if (!parsed.ok() && result.bad_records) result.bad_records->Discard();
    INLET_RETURN_NOT_OK(parsed.status());
    if (!options.ignore_missing_files && !parsed->missing_files.empty()) {  // deleted while the batch read
      RemoveDataFiles(options.table_dir, parsed->files);
      if (result.bad_records) result.bad_records->Discard();
      return MissingFileError(plan, parsed->missing_files.front());
    }
    const size_t deferred_before = result.deferred_files.size();
    const FilesNow after_read = LookAgain(files);
    for (size_t i = 0; i < files.size(); ++i) {
      if (after_read.changed[i]) result.deferred_files.push_back(files[i].path);
    }
    if (result.deferred_files.size() > deferred_before) {  // changed while read: redo without them
      RemoveDataFiles(options.table_dir, parsed->files);
      if (attempt < kMaxAttempts) continue;
      if (result.bad_records) result.bad_records->Discard();
      return Status::IOError("files of batch ", plan.batch_id, " kept changing while they were read (first: '",
                             result.deferred_files[deferred_before], "'); the next run tries again");
    }
    result.files = std::move(parsed->files);
    result.counts = std::move(parsed->counts);
    result.missing_files = std::move(parsed->missing_files);
    result.corrupt_files = std::move(parsed->corrupt_files);
    result.guess_refuted = parsed->guess_refuted;
    if (parsed->guess_refuted) {
      result.refuted_at = fmt::format("{}:{}", files[parsed->refuted_file].path, parsed->refuted_line);
    }
    result.guess_folded = std::move(parsed->guess_folded);
    result.unchecked_sample_files.insert(result.unchecked_sample_files.end(), parsed->unchecked_sample_files.begin(),
                                         parsed->unchecked_sample_files.end());
    if (parsed->guess_refuted) break;  // nothing was kept; the caller reads again
    if (parsed->new_field_file) {
      result.drift = DriftFrom(files, *parsed->new_field_file, parsed->new_field_counts);
    } else if (parsed->first_widening_file) {
      result.drift = DriftFrom(files, *parsed->first_widening_file, formats::ReadCounts{});
    }
    break;
  }
  if (result.drift) result.drift->widenings = result.counts.widenings;
  if (result.drift || result.guess_refuted) Discard(options, result);
  return result;
}

// Reads the batch; a guessed schema is settled by that read (json_inference_guess.h), and
// when it did not hold, the batch is read again with the schema the sample infers. On
// drift, lets the stream's schema decide: stop (the usual case), or, when the drift adds
// nothing, read again without stopping at new fields.
Result<WrittenBatch> ReadBatch(const IngestOptions& options, StreamSchema& stream_schema, const BatchPlan& plan,
                               const write::TableWriteRules& table_rules, const std::atomic<bool>* cancel,
                               BatchReport* report) {
  ReadMode mode{stream_schema.stops_on_new_fields(), stream_schema.collects_widenings()};
  const auto guess = stream_schema.guess();
  INLET_ASSIGN_OR_RAISE(WrittenBatch written,
                        ParseAndWrite(options, stream_schema.resolved(), plan, mode, cancel, table_rules, guess));
  if (guess) {
    INLET_ASSIGN_OR_RAISE(bool held, stream_schema.SettleGuess(written.guess_refuted, written.guess_folded,
                                                               written.unchecked_sample_files));
    if (!held) {
      report->guess_refuted_at = written.refuted_at.empty() ? "files changed since planning" : written.refuted_at;
      Discard(options, written);
      INLET_ASSIGN_OR_RAISE(written,
                            ParseAndWrite(options, stream_schema.resolved(), plan, mode, cancel, table_rules));
    }
  }
  if (!written.drift) return written;
  INLET_RETURN_NOT_OK(stream_schema.HandleDrift(*written.drift));
  return ParseAndWrite(options, stream_schema.resolved(), plan, ReadMode{}, cancel, table_rules);
}

// The partitioning and row checks of the table `snapshot` is (none for a new table).
Result<write::TableWriteRules> WriteRulesOf(const delta::Snapshot& snapshot, const std::string& table_dir) {
  write::TableWriteRules rules;
  if (!snapshot.exists()) return rules;
  rules.partition_columns = snapshot.metadata().partition_columns;
  INLET_ASSIGN_OR_RAISE(auto constraints, TableConstraints(snapshot.metadata(), table_dir));
  if (!constraints.empty()) {
    rules.check_rows = [constraints = std::move(constraints), table_dir](const arrow::RecordBatch& batch) {
      return CheckRows(constraints, batch, table_dir);
    };
  }
  return rules;
}

std::set<std::string> KeysOf(const std::map<std::string, std::string>& values) {
  std::set<std::string> keys;
  for (const auto& [key, value] : values) keys.insert(key);
  return keys;
}

// The table's schema after this batch, or nullopt when the batch changes nothing.
struct TableChange {
  std::optional<delta::Metadata> metadata;
  std::optional<delta::Protocol> protocol;
};

Result<TableChange> PlanTableChange(const IngestOptions& options, const StreamReadSchema& read_schema,
                                    const delta::Snapshot& snapshot) {
  TableChange change;
  const Schema file_schema = read_schema.FileSchema();
  // Readers must know the variant encoding to read such a column (Delta's variantType).
  const bool needs_variant = SchemaContains(file_schema, TypeKind::kVariant);
  if (!snapshot.exists()) {
    change.protocol = needs_variant ? delta::WithReaderWriterFeature(delta::Protocol{}, "variantType")
                                    : delta::Protocol{};
    delta::Metadata metadata;
    metadata.id = NewUuid();
    metadata.schema_string = ToSparkJson(file_schema);
    metadata.created_time = NowMillis();
    change.metadata = metadata;
    return change;
  }
  INLET_RETURN_NOT_OK(delta::CheckAppendable(snapshot.protocol(), snapshot.metadata(), options.table_dir));
  // Constraints inlet cannot evaluate are refused before anything is read.
  INLET_RETURN_NOT_OK(TableConstraints(snapshot.metadata(), options.table_dir).status());
  INLET_ASSIGN_OR_RAISE(Schema table_schema, ParseSparkJsonSchema(snapshot.metadata().schema_string));
  bool widened = false;
  INLET_ASSIGN_OR_RAISE(Schema merged, MergeIntoTableSchema(table_schema, file_schema, read_schema.rescued_column,
                                                            options.table_dir, &widened));
  std::string merged_json = ToSparkJson(merged);
  if (merged_json == snapshot.metadata().schema_string) return change;
  delta::Metadata metadata = snapshot.metadata();
  metadata.schema_string = std::move(merged_json);
  if (widened) {
    metadata.configuration["delta.enableTypeWidening"] = "true";
    if (!snapshot.protocol().HasReaderFeature("typeWidening")) {
      change.protocol = delta::WithReaderWriterFeature(snapshot.protocol(), "typeWidening");
    }
  }
  const delta::Protocol& protocol = change.protocol ? *change.protocol : snapshot.protocol();
  if (needs_variant && !protocol.HasReaderFeature("variantType") &&
      !protocol.HasReaderFeature("variantType-preview")) {
    change.protocol = delta::WithReaderWriterFeature(protocol, "variantType");
  }
  change.metadata = std::move(metadata);
  return change;
}

delta::CommitActions BuildCommit(const Checkpoint& checkpoint, const BatchPlan& plan,
                                 const WrittenBatch& written, TableChange change) {
  delta::CommitActions actions;
  int64_t now = NowMillis();
  int64_t output_bytes = 0;
  for (const auto& file : written.files) {
    delta::AddFile add;
    add.path = delta::EncodeAddPath(file.relative_path);
    add.partition_values = file.partition_values;
    add.size = file.size;
    add.modification_time = file.modification_time_ms;
    add.stats = file.stats_json;
    output_bytes += file.size;
    actions.adds.push_back(std::move(add));
  }
  actions.protocol = std::move(change.protocol);
  actions.metadata = std::move(change.metadata);
  delta::CommitInfo info;
  info.timestamp = now;
  info.operation = "STREAMING UPDATE";
  info.operation_parameters = {{"outputMode", "Append"},
                               {"queryId", checkpoint.stream_id()},
                               {"epochId", std::to_string(plan.batch_id)}};
  info.operation_metrics = {{"numAddedFiles", std::to_string(written.files.size())},
                            {"numOutputRows", std::to_string(written.counts.rows)},
                            {"numOutputBytes", std::to_string(output_bytes)},
                            {"numSourceFiles", std::to_string(plan.files.size())},
                            {"numMissingSourceFiles", std::to_string(written.missing_files.size())},
                            {"numCorruptSourceFiles", std::to_string(written.corrupt_files.size())},
                            {"numTypeMismatches", std::to_string(written.counts.type_mismatches)},
                            {"numSourceRecords", std::to_string(written.counts.records)},
                            {"numRescuedRecords", std::to_string(written.counts.rescued_records)},
                            {"numBadRecords", std::to_string(written.counts.bad_records)},
                            {"numDeferredSourceFiles", std::to_string(written.deferred_files.size())},
                            {"numChangedSourceFiles", std::to_string(written.changed_before_commit.size())}};
  info.engine_info = "inlet/" INLET_VERSION;
  actions.commit_info = info;
  return actions;
}

// Commits the batch as the next table version (delta::Transaction decides what a lost race
// means). When a winner changed the table's definition, the batch's own change is planned
// again on the new table, which must still have the partitioning and CHECK constraints
// the files were written and checked for.
Result<delta::Transaction::Committed> CommitBatch(const IngestOptions& options, const Checkpoint& checkpoint,
                                                  const StreamReadSchema& read_schema, const BatchPlan& plan,
                                                  const WrittenBatch& written, delta::Snapshot snapshot) {
  INLET_ASSIGN_OR_RAISE(auto constraints, TableConstraints(snapshot.metadata(), options.table_dir));
  const std::vector<std::string> checked_constraints = ConstraintTexts(constraints);
  const int64_t read_version = snapshot.version();
  delta::Transaction transaction(std::move(snapshot), checkpoint.stream_id(), plan.batch_id);
  return transaction.Commit([&](const delta::Snapshot& table) -> Result<delta::CommitActions> {
    // The files were laid out for the partitioning of the table when the batch began.
    if (table.exists() && !written.files.empty() &&
        std::set<std::string>(table.metadata().partition_columns.begin(), table.metadata().partition_columns.end()) !=
            KeysOf(written.files.front().partition_values)) {
      return Status::Invalid(fmt::format("the partition columns of '{}' changed while batch {} was written",
                                         options.table_dir, plan.batch_id));
    }
    if (table.version() != read_version) {
      // The rows were checked against the constraints of the table when the batch began.
      INLET_ASSIGN_OR_RAISE(auto now, TableConstraints(table.metadata(), options.table_dir));
      if (ConstraintTexts(now) != checked_constraints) {
        return Status::Invalid(fmt::format("the CHECK constraints of '{}' changed while batch {} was written",
                                           options.table_dir, plan.batch_id));
      }
    }
    INLET_ASSIGN_OR_RAISE(TableChange change, PlanTableChange(options, read_schema, table));
    return BuildCommit(checkpoint, plan, written, std::move(change));
  });
}

Status MaybeWriteDeltaCheckpoint(const std::string& table_dir, int64_t version) {
  if (version <= 0 || version % delta::kCheckpointInterval != 0) return Status::OK();
  INLET_ASSIGN_OR_RAISE(auto snapshot, delta::Snapshot::Load(table_dir));
  if (snapshot.version() != version) return Status::OK();  // a later commit will do it
  // A table whose checkpoint needs more than inlet writes (deletion vectors, ...) keeps
  // its log as JSON: a checkpoint dropping them would give other readers wrong answers.
  if (!delta::InletCheckpointPreserves(snapshot.protocol())) return Status::OK();
  return delta::WriteCheckpoint(snapshot);
}

// What must be durable before the commit makes the batch visible: its bad records, and
// which planned files it left for later.
Status PrepareCommit(Checkpoint& checkpoint, const BatchPlan& plan, WrittenBatch& written, BatchReport* report) {
  if (written.bad_records) {
    INLET_ASSIGN_OR_RAISE(int64_t saved, written.bad_records->Finish());
    if (saved > 0) report->bad_records_dir = written.bad_records->batch_dir();
  }
  return checkpoint.WriteDeferred(plan.batch_id, written.deferred_files);
}

}  // namespace

Result<BatchReport> ExecuteBatch(const IngestOptions& options, Checkpoint& checkpoint,
                                 StreamSchema& stream_schema, const BatchPlan& plan,
                                 const std::atomic<bool>* cancel) {
  BatchReport report;
  report.batch_id = plan.batch_id;
  report.files = static_cast<int64_t>(plan.files.size());
  for (const auto& file : plan.files) report.bytes += file.size - file.load_from;

  INLET_ASSIGN_OR_RAISE(auto snapshot, delta::Snapshot::Load(options.table_dir));
  auto txn = snapshot.TxnVersion(checkpoint.stream_id());
  if (txn && *txn >= plan.batch_id) {
    // Crashed after the Delta commit, before commits/N: nothing to redo but what follows
    // the commit.
    report.already_committed = true;
    report.table_version = snapshot.version();
    INLET_ASSIGN_OR_RAISE(report.deferred_files, checkpoint.ReadDeferred(plan.batch_id));
    INLET_RETURN_NOT_OK(OfferDeferredAgain(checkpoint, plan, report.deferred_files));
    INLET_RETURN_NOT_OK(checkpoint.MarkCommitted(plan.batch_id, snapshot.version()));
    return report;
  }

  // Fail before parsing when the table cannot take this schema.
  INLET_RETURN_NOT_OK(PlanTableChange(options, stream_schema.resolved(), snapshot).status());
  INLET_ASSIGN_OR_RAISE(const write::TableWriteRules table_rules, WriteRulesOf(snapshot, options.table_dir));
  INLET_ASSIGN_OR_RAISE(WrittenBatch written, ReadBatch(options, stream_schema, plan, table_rules, cancel, &report));
  const StreamReadSchema& read_schema = stream_schema.resolved();
  MaybeCrashAt("after_parquet");
  Status prepared = PrepareCommit(checkpoint, plan, written, &report);
  if (!prepared.ok()) {
    RemoveDataFiles(options.table_dir, written.files);
    return prepared;
  }
  // A file that changed after the read's own check (while Parquet was written) was loaded as
  // planned: counted in the commit's metrics, reported after it.
  const auto loaded = LoadedFiles(plan, written.deferred_files, written.missing_files);
  written.changed_before_commit = ChangedSinceLoaded(loaded);
  INLET_ASSIGN_OR_RAISE(const auto committed,
                        CommitBatch(options, checkpoint, read_schema, plan, written, std::move(snapshot)));
  const int64_t version = committed.version;
  MaybeCrashAt("after_commit");
  INLET_RETURN_NOT_OK(OfferDeferredAgain(checkpoint, plan, written.deferred_files));
  // And once more after the commit: an append that landed during the commit.
  report.changed_after_load = ChangedSinceLoaded(loaded);
  for (const auto& path : written.changed_before_commit) {
    if (std::find(report.changed_after_load.begin(), report.changed_after_load.end(), path) ==
        report.changed_after_load.end()) {
      report.changed_after_load.push_back(path);
    }
  }
  INLET_RETURN_NOT_OK(RecordChangedAfterLoad(checkpoint, report.changed_after_load));
  INLET_RETURN_NOT_OK(MaybeWriteDeltaCheckpoint(options.table_dir, version));
  INLET_RETURN_NOT_OK(checkpoint.MarkCommitted(plan.batch_id, version));

  report.records = written.counts.rows;
  report.records_read = written.counts.records;
  report.type_mismatches = written.counts.type_mismatches;
  report.rescued_records = written.counts.rescued_records;
  report.bad_records = written.counts.bad_records;
  report.missing_files = written.missing_files;
  report.corrupt_files = written.corrupt_files;
  report.deferred_files = written.deferred_files;
  report.data_files_written = static_cast<int64_t>(written.files.size());
  report.table_version = version;
  report.already_committed = committed.already_committed;
  return report;
}

}  // namespace inlet::stream
