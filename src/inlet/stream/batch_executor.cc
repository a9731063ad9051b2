// One batch, exactly once: the Delta txn action (appId = stream id, version = batch id)
// is the single source of truth for "this batch is in the table".
#include "inlet/stream/batch_executor.h"

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "inlet/delta/table.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/schema/spark_json.h"
#include "inlet/util/fs.h"
#include "inlet/write/data_file_writer.h"

namespace inlet::stream {
namespace {

struct WrittenBatch {
  std::vector<write::WrittenFile> files;
  json::ParseCounts counts;
  std::vector<std::string> missing_files;
};

Result<WrittenBatch> ParseAndWrite(const IngestOptions& options, const Schema& schema,
                                   const BatchPlan& plan) {
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(schema));
  write::DataFileWriterOptions writer_options;
  writer_options.target_file_size = options.target_file_size;
  write::DataFileWriter writer(options.table_dir, arrow_schema, writer_options);
  json::JsonReadOptions read_options;
  read_options.multi_line = options.multi_line;
  WrittenBatch result;
  for (const auto& file : plan.files) {
    // A planned file that is gone (deleted after listing, or removed by the user to get
    // past a file that fails) cannot be loaded by any retry: note it and go on, rather
    // than leave the stream stuck on it.
    if (!PathExists(file.path)) {
      result.missing_files.push_back(file.path);
      continue;
    }
    json::ParseCounts counts;
    INLET_RETURN_NOT_OK(json::ReadJsonFile(
        file.path, schema, read_options,
        [&](std::shared_ptr<arrow::RecordBatch> batch) { return writer.Write(batch); }, &counts));
    result.counts.records += counts.records;
    result.counts.bytes += counts.bytes;
    result.counts.type_mismatches += counts.type_mismatches;
    MaybeCrashAt("mid_parse");
  }
  INLET_ASSIGN_OR_RAISE(result.files, writer.Finish());
  return result;
}

delta::CommitActions BuildCommit(const IngestOptions& options, const Checkpoint& checkpoint,
                                 const BatchPlan& plan, const WrittenBatch& written,
                                 const delta::Snapshot& snapshot) {
  delta::CommitActions actions;
  int64_t now = NowMillis();
  int64_t output_bytes = 0;
  for (const auto& file : written.files) {
    delta::AddFile add;
    add.path = file.relative_path;
    add.size = file.size;
    add.modification_time = file.modification_time_ms;
    add.stats = file.stats_json;
    output_bytes += file.size;
    actions.adds.push_back(std::move(add));
  }
  if (!snapshot.exists()) {
    actions.protocol = delta::Protocol{};
    delta::Metadata metadata;
    metadata.id = NewUuid();
    metadata.schema_string = plan.schema_json;
    metadata.created_time = now;
    actions.metadata = metadata;
  }
  actions.txn = delta::Txn{checkpoint.stream_id(), plan.batch_id, now};
  delta::CommitInfo info;
  info.timestamp = now;
  info.operation = "STREAMING UPDATE";
  info.operation_parameters = {{"outputMode", "Append"},
                               {"queryId", checkpoint.stream_id()},
                               {"epochId", std::to_string(plan.batch_id)}};
  info.operation_metrics = {{"numAddedFiles", std::to_string(written.files.size())},
                            {"numOutputRows", std::to_string(written.counts.records)},
                            {"numOutputBytes", std::to_string(output_bytes)},
                            {"numSourceFiles", std::to_string(plan.files.size())},
                            {"numMissingSourceFiles", std::to_string(written.missing_files.size())},
                            {"numTypeMismatches", std::to_string(written.counts.type_mismatches)}};
  info.engine_info = "inlet/" INLET_VERSION;
  actions.commit_info = info;
  return actions;
}

// Optimistic concurrency: tries the version after `snapshot` (loaded before the batch was
// parsed); if another writer took it, reloads and goes again, unless the winner already
// recorded this batch for this stream.
Result<int64_t> CommitOnce(const IngestOptions& options, const Checkpoint& checkpoint,
                           const BatchPlan& plan, const WrittenBatch& written,
                           delta::Snapshot snapshot, bool* already) {
  constexpr int kMaxAttempts = 100;
  for (int attempt = 0; attempt < kMaxAttempts; ++attempt) {
    if (attempt > 0) {
      INLET_ASSIGN_OR_RAISE(snapshot, delta::Snapshot::Load(options.table_dir));
    }
    auto txn = snapshot.TxnVersion(checkpoint.stream_id());
    if (txn && *txn >= plan.batch_id) {
      *already = true;
      return snapshot.version();
    }
    if (snapshot.exists() && snapshot.metadata().schema_string != plan.schema_json) {
      return Status::Invalid(fmt::format(
          "table '{}' changed schema while batch {} was planned; re-run to plan again",
          options.table_dir, plan.batch_id));
    }
    int64_t version = snapshot.version() + 1;
    Status st = delta::WriteCommit(options.table_dir, version,
                                   BuildCommit(options, checkpoint, plan, written, snapshot));
    if (st.IsAlreadyExists()) continue;
    INLET_RETURN_NOT_OK(st);
    return version;
  }
  return Status::IOError(fmt::format("could not commit batch {} to '{}' after {} attempts",
                                     plan.batch_id, options.table_dir, kMaxAttempts));
}

Status MaybeWriteDeltaCheckpoint(const std::string& table_dir, int64_t version) {
  if (version <= 0 || version % delta::kCheckpointInterval != 0) return Status::OK();
  INLET_ASSIGN_OR_RAISE(auto snapshot, delta::Snapshot::Load(table_dir));
  if (snapshot.version() != version) return Status::OK();  // a later commit will do it
  return delta::WriteCheckpoint(snapshot);
}

}  // namespace

void MaybeCrashAt(const char* point) {
  const char* wanted = std::getenv("INLET_TEST_CRASH_AT");
  if (wanted != nullptr && std::strcmp(wanted, point) == 0) std::raise(SIGKILL);
}

Result<BatchReport> ExecuteBatch(const IngestOptions& options, Checkpoint& checkpoint,
                                 const BatchPlan& plan) {
  BatchReport report;
  report.batch_id = plan.batch_id;
  report.files = static_cast<int64_t>(plan.files.size());
  for (const auto& file : plan.files) report.bytes += file.size;

  INLET_ASSIGN_OR_RAISE(auto snapshot, delta::Snapshot::Load(options.table_dir));
  auto txn = snapshot.TxnVersion(checkpoint.stream_id());
  if (txn && *txn >= plan.batch_id) {
    // Crashed after the Delta commit, before commits/N: nothing to redo.
    report.already_committed = true;
    report.table_version = snapshot.version();
    INLET_RETURN_NOT_OK(checkpoint.MarkCommitted(plan.batch_id, snapshot.version()));
    return report;
  }

  INLET_ASSIGN_OR_RAISE(Schema schema, ParseSparkJsonSchema(plan.schema_json));
  INLET_ASSIGN_OR_RAISE(WrittenBatch written, ParseAndWrite(options, schema, plan));
  MaybeCrashAt("after_parquet");
  bool already = false;
  INLET_ASSIGN_OR_RAISE(int64_t version, CommitOnce(options, checkpoint, plan, written,
                                                        std::move(snapshot), &already));
  MaybeCrashAt("after_commit");
  INLET_RETURN_NOT_OK(MaybeWriteDeltaCheckpoint(options.table_dir, version));
  INLET_RETURN_NOT_OK(checkpoint.MarkCommitted(plan.batch_id, version));

  report.records = written.counts.records;
  report.type_mismatches = written.counts.type_mismatches;
  report.missing_files = written.missing_files;
  report.data_files_written = static_cast<int64_t>(written.files.size());
  report.table_version = version;
  report.already_committed = already;
  return report;
}

}  // namespace inlet::stream
