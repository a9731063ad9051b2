// `inlet ingest`: flags -> IngestOptions, one progress line per batch on stderr.
#include <iostream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "inlet/cli/commands.h"
#include "inlet/util/strings.h"
#include "inlet/options/ingest_options.h"
#include "inlet/storage/store_options.h"
#include "inlet/schema/ddl.h"
#include "inlet/schema/hints.h"
#include "inlet/stream/ingest.h"
#include "inlet/stream/reader_options.h"
#include "inlet/stream/schema_change.h"
#include "inlet/stream/stream_schema.h"

namespace inlet::cli {
namespace {

struct IngestArgs {
  IngestOptions options;
  std::string schema;
  std::string trigger = "availableNow";
  std::vector<std::string> option_pairs;
};

void PrintBatchWarnings(const stream::BatchReport& batch) {
  for (const auto& path : batch.missing_files) {
    std::cerr << fmt::format("warning: batch {}: '{}' no longer exists; skipped\n", batch.batch_id, path);
  }
  for (const auto& path : batch.changed_after_load) {
    std::cerr << fmt::format(
        "warning: batch {}: '{}' changed after it was read (still being written?): the batch loaded it as "
        "it was listed; the change is not loaded unless cloudFiles.allowOverwrites or inlet.loadAppendedBytes "
        "is set\n",
        batch.batch_id, path);
  }
  for (const auto& [path, reason] : batch.corrupt_files) {
    std::cerr << fmt::format("warning: batch {}: '{}' is corrupt; skipped the rest of it (ignoreCorruptFiles=true): {}\n",
                             batch.batch_id, path, reason);
  }
  for (const auto& path : batch.deferred_files) {
    std::cerr << fmt::format(
        "warning: batch {}: '{}' changed since it was listed (still being written?); left for a later run\n",
        batch.batch_id, path);
  }
  if (!batch.guess_refuted_at.empty()) {
    // Not a problem with the data: only the reason this first batch read its files twice.
    std::cerr << fmt::format(
        "note: batch {}: the schema guessed from the first bytes of each file did not hold ({}); "
        "it was inferred from the whole sample and the batch read again\n",
        batch.batch_id, batch.guess_refuted_at);
  }
  if (batch.bad_records > 0) {
    std::string where = batch.bad_records_dir.empty() ? "" : fmt::format("; saved in {}", batch.bad_records_dir);
    std::cerr << fmt::format("warning: batch {}: {} malformed records{}\n", batch.batch_id, batch.bad_records, where);
  }
}

// read = loaded + rescued + bad, so a user can check that every record is accounted for.
void PrintBatchLine(const stream::BatchReport& batch) {
  PrintBatchWarnings(batch);
  std::string note;
  if (batch.recovered) note = batch.already_committed ? " (recovered: was already committed)" : " (recovered)";
  std::cerr << fmt::format(
      "batch {}: files={} bytes={} read={} loaded={} rescued={} bad={} rows={} mismatched_values={} "
      "changed_after_load={} data_files={} table_version={} seconds={:.3f}{}\n",
      batch.batch_id, batch.files, batch.bytes, batch.records_read, batch.LoadedRecords(), batch.rescued_records,
      batch.bad_records, batch.records, batch.type_mismatches, batch.changed_after_load.size(),
      batch.data_files_written, batch.table_version,
      batch.seconds, note);
}

int RunIngestCommand(IngestArgs& args) {
  // Log lines (a working copy rebuilt, a lease not renewed) join the batch lines on stderr:
  // stdout stays for what a script reads.
  auto log = spdlog::stderr_logger_mt("inlet-ingest");
  log->set_pattern("inlet %l: %v");
  spdlog::set_default_logger(log);
  IngestOptions& options = args.options;
  if (!args.schema.empty()) {
    auto parsed = ParseDdlSchema(args.schema);
    if (!parsed.ok()) throw UsageError("--schema: " + parsed.status().message());
    options.schema_ddl = args.schema;
  }
  std::string trigger = AsciiLower(args.trigger);
  if (trigger == "availablenow") {
    options.trigger = Trigger::kAvailableNow;
  } else if (trigger == "once") {
    options.trigger = Trigger::kOnce;
  } else {
    throw UsageError("--trigger must be availableNow or once, got '" + args.trigger + "'");
  }
  Status st = ApplyIngestOptions(args.option_pairs, &options);
  if (st.ok()) st = ResolveLocations(&options);
  if (!st.ok()) throw UsageError(st.message());
  for (const std::string& name : options.unknown_options) {
    std::cerr << fmt::format("warning: unknown option '{}' ignored (cloudFiles.validateOptions=false)\n", name);
  }
  storage::UseStoreOptions(options.store_options);
  if (!options.schema_ddl && !options.schema_location) {
    throw UsageError(
        "no schema to read with: set --option cloudFiles.schemaLocation=DIR (inlet infers the schema and "
        "keeps its versions there; the checkpoint directory will do) or give --schema");
  }
  auto hints = ParseSchemaHints(options.schema_hints);
  if (!hints.ok()) throw UsageError(hints.status().message());
  // A hint the reader cannot use fails here, before anything is written (exit 2).
  Status readable = stream::CheckSchemaOptionsReadable(options);
  if (!readable.ok()) throw UsageError(readable.message());
  auto reader = stream::CompileReaderOptions(options);
  if (!reader.ok()) throw UsageError(reader.status().message());

  auto report = stream::RunIngest(options, PrintBatchLine);
  if (!report.ok()) {
    if (stream::IsSchemaChange(report.status())) {
      // Starts with "UnknownFieldException:", as Auto Loader's failure does, for scripts.
      std::cerr << report.status().message() << "\n";
      return kExitSchemaChanged;
    }
    std::cerr << "inlet: error: " << report.status().message() << "\n";
    return kExitFailure;
  }
  for (const auto& message : report->listing_skipped) std::cerr << "warning: listing: " << message << "\n";
  for (const auto& path : report->files_in_flight) {
    std::cerr << fmt::format(
        "note: '{}' is still being written (its last line has no newline yet and it was modified within "
        "inlet.fileSettleTime); left for a later run\n",
        path);
  }
  for (const auto& changed : report->changed_reported) {
    std::cerr << fmt::format("warning: '{}' changed after batch {} loaded it ({} bytes loaded, {} now): {}\n",
                             changed.path, changed.batch_id, changed.loaded_size, changed.size, changed.reason);
  }
  int64_t rows = 0, files = 0, read = 0, rescued = 0, bad = 0;
  for (const auto& batch : report->batches) {
    rows += batch.records;
    files += batch.files;
    read += batch.records_read;
    rescued += batch.rescued_records;
    bad += batch.bad_records;
  }
  if (report->files_skipped_existing > 0) {
    std::cerr << fmt::format("skipped {} existing files (cloudFiles.includeExistingFiles=false)\n",
                             report->files_skipped_existing);
  }
  int64_t changed = report->changed_files;
  for (const auto& batch : report->batches) changed += static_cast<int64_t>(batch.changed_after_load.size());
  std::string pending;
  if (!report->files_in_flight.empty()) {
    pending += fmt::format(", {} still being written", report->files_in_flight.size());
  }
  if (changed > 0) pending += fmt::format(", {} changed after load", changed);
  std::cerr << fmt::format("done: {} batches, {} files, {} rows (read {} = loaded {} + rescued {} + bad {}){}\n",
                           report->batches.size(), files, rows, read, read - rescued - bad, rescued, bad, pending);
  return kExitOk;
}

}  // namespace

static std::string StoreOptionsHelp() {
  size_t width = 0;
  for (const auto& spec : storage::StoreOptionTable()) width = std::max(width, spec.name.size());
  std::string out;
  for (const auto& spec : storage::StoreOptionTable()) out += fmt::format("  {:<{}}  {}\n", spec.name, width, spec.doc);
  return out;
}

CommandRunner AddIngestCommand(CLI::App& app) {
  auto args = std::make_shared<IngestArgs>();
  app.add_option("--source", args->options.source_pattern, "Files to load: a path with globs, e.g. 'landing/*.json'")
      ->required();
  app.add_option("--table", args->options.table_dir, "Delta table directory (created if missing)")->required();
  app.add_option("--checkpoint", args->options.checkpoint_dir, "Stream checkpoint directory (created if missing)")
      ->required();
  app.add_option("--schema", args->schema, "Spark DDL schema, e.g. 'id BIGINT, tags ARRAY<STRING>'; skips inference");
  app.add_option("--option", args->option_pairs, "KEY=VALUE, repeatable; see the options below")
      ->type_name("KEY=VALUE");
  app.add_option("--trigger", args->trigger, "availableNow (all files present, in batches) or once (one batch)")
      ->capture_default_str();
  app.footer("Options (--option KEY=VALUE, names are case-insensitive):\n" + IngestOptionsHelp() +
             "\nObject-store options (--option KEY=VALUE; they win over the environment's credentials):\n" +
             StoreOptionsHelp());
  return [args] { return RunIngestCommand(*args); };
}

}  // namespace inlet::cli
