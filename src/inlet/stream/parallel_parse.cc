// Workers pull file indexes from one counter, so files are taken in plan order and a
// stop (error, new field, cancel) leaves every lower-indexed file read to its end.
#include "inlet/stream/parallel_parse.h"

#include <algorithm>
#include <filesystem>
#include <thread>

#include "inlet/schema/arrow_convert.h"
#include "inlet/stream/batch_executor.h"
#include "inlet/util/ids.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/fault.h"

namespace inlet::stream {
namespace {

// One piece of work: a file, or a byte range of a large NDJSON file.
struct WorkUnit {
  size_t file = 0;
  int64_t begin = 0;
  int64_t end = -1;  // -1: to the end of the file (the last range takes what grew)
};

std::vector<WorkUnit> PlanUnits(const std::vector<source::DiscoveredFile>& files, const formats::FileFormat& format,
                                bool parallel, int64_t range_bytes) {
  std::vector<WorkUnit> units;
  for (size_t i = 0; i < files.size(); ++i) {
    // inlet.loadAppendedBytes: only the lines from load_from on (planning made it a line
    // start, and never sets it for a compressed file).
    const int64_t from = files[i].load_from;
    if (!parallel || files[i].size - from <= 2 * range_bytes || !format.Splittable(files[i].path)) {
      units.push_back(WorkUnit{i, from, -1});
      continue;
    }
    for (int64_t begin = from; begin < files[i].size; begin += range_bytes) {
      const bool last = begin + range_bytes >= files[i].size;
      units.push_back(WorkUnit{i, begin, last ? -1 : begin + range_bytes});
    }
  }
  return units;
}

// Positions below are unit indexes (file order, then range order) until the end.
struct Worker {
  std::unique_ptr<write::DataFileWriter> writer;
  formats::ReadCounts counts;
  std::vector<size_t> missing;
  std::vector<std::pair<size_t, std::string>> corrupt;  // unit, reason
  std::optional<size_t> error_file;
  Status error;
  std::optional<size_t> new_field_file;
  formats::ReadCounts new_field_counts;
  std::optional<size_t> first_widening_file;
  std::vector<write::WrittenFile> written;
  std::unique_ptr<formats::InferenceCheck> check;  // with a guess
  std::optional<size_t> refuted_unit;
  int64_t refuted_line = 0;
};

struct SharedState {
  std::atomic<size_t> next{0};
  std::atomic<bool> stop{false};
  std::atomic<bool> cancelled{false};
  bool ignore_corrupt_files = false;
  size_t sample_files = 0;            // with a guess: files [0, sample_files) are checked
  std::vector<uint8_t> unit_checked;  // per unit; each written by the worker that read it
};

void RunWorker(const std::vector<source::DiscoveredFile>& files, const std::vector<WorkUnit>& units,
               const formats::FileFormat& format, const Schema& file_schema, formats::ReadOptions read_options,
               const std::atomic<bool>* cancel,
               SharedState& shared, Worker& worker) {
  while (!shared.stop.load()) {
    if (cancel != nullptr && cancel->load()) {
      shared.cancelled = true;
      shared.stop = true;
      break;
    }
    const size_t unit = shared.next.fetch_add(1);
    if (unit >= units.size()) break;
    const size_t i = units[unit].file;
    const std::string& path = files[i].path;
    const bool checked = worker.check != nullptr && i < shared.sample_files;
    read_options.file_path = path;
    read_options.inference_check = checked ? worker.check.get() : nullptr;
    read_options.range_begin = units[unit].begin;
    read_options.range_end = units[unit].end;
    formats::ReadCounts counts;
    Status status = format.ReadFile(
        path, file_schema, read_options,
        [&](std::shared_ptr<arrow::RecordBatch> batch) { return worker.writer->Write(batch); }, &counts);
    // A planned file that is gone (deleted after listing, or removed by the user to get
    // past a file that fails) cannot be loaded by any retry: note it and go on. Asked only
    // of a read that failed before any record (a missing file fails to open), so a file
    // that is there costs no extra request on an object store.
    if (!status.ok() && counts.records == 0 && !storage::ExistsAt(path)) {
      if (units[unit].begin == files[i].load_from) worker.missing.push_back(i);  // once per file
      if (checked) shared.unit_checked[unit] = 1;  // no records to check
      continue;
    }
    if (!status.ok() && counts.source_unreadable && shared.ignore_corrupt_files) {
      // Spark's ignoreCorruptFiles: what was read stays, the rest of the file is skipped.
      // A checked read checked every record there is to read (inference with the option
      // folds the same ones), so the guess is checked on this unit too.
      if (checked) shared.unit_checked[unit] = 1;
      formats::MergeReadCounts(counts, &worker.counts);
      if (!storage::ExistsAt(path)) {
        if (units[unit].begin == 0) worker.missing.push_back(i);
      } else {
        worker.corrupt.emplace_back(unit, status.message());
      }
      continue;
    }
    if (!status.ok()) {
      worker.error = std::move(status);
      worker.error_file = unit;
      shared.stop = true;
      break;
    }
    if (checked && (counts.guess_refuted_line > 0 || counts.new_field_line > 0)) {
      worker.refuted_unit = unit;
      worker.refuted_line = counts.guess_refuted_line > 0 ? counts.guess_refuted_line : counts.new_field_line;
      shared.stop = true;
      break;
    }
    if (checked) shared.unit_checked[unit] = 1;
    formats::MergeReadCounts(counts, &worker.counts);
    if (!counts.widenings.empty() && !worker.first_widening_file) worker.first_widening_file = unit;
    if (counts.new_field_line > 0) {
      worker.new_field_file = unit;
      worker.new_field_counts = std::move(counts);
      shared.stop = true;
      break;
    }
    MaybeCrashAt("mid_parse");
  }
  auto written = worker.writer->Finish();
  if (written.ok()) {
    worker.written = std::move(*written);
  } else if (!worker.error_file) {
    worker.error = written.status();
    worker.error_file = units.size();
  }
}

template <typename T>
void KeepLowest(std::optional<T>& slot, const std::optional<T>& candidate) {
  if (candidate && (!slot || *candidate < *slot)) slot = candidate;
}

// Sampled files with a unit that was not checked to its end.
std::vector<std::string> UncheckedSampleFiles(const std::vector<source::DiscoveredFile>& files,
                                              const std::vector<WorkUnit>& units, const SharedState& shared) {
  std::vector<uint8_t> unchecked(shared.sample_files, 0);
  for (size_t unit = 0; unit < units.size(); ++unit) {
    if (units[unit].file < shared.sample_files && !shared.unit_checked[unit]) unchecked[units[unit].file] = 1;
  }
  std::vector<std::string> paths;
  for (size_t i = 0; i < shared.sample_files; ++i) {
    if (unchecked[i]) paths.push_back(files[i].path);
  }
  return paths;
}

}  // namespace

void RemoveDataFiles(const std::string& table_dir, const std::vector<write::WrittenFile>& files) {
  auto table = storage::Resolve("--table", table_dir);
  if (!table.ok()) return;
  // An orphan data file is harmless (no commit references it): failures are ignored.
  for (const auto& file : files) (void)table->fs->Delete(table->Child(file.relative_path).path);
}

int ResolveThreads(const IngestOptions& options) {
  if (options.threads > 0) return static_cast<int>(options.threads);
  return std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
}

Result<ParsedFiles> ParseFilesInParallel(const std::vector<source::DiscoveredFile>& files,
                                         const formats::FileFormat& format, const Schema& file_schema,
                                         formats::ReadOptions read_options,
                                         const std::string& table_dir, int64_t target_file_size,
                                         int threads, const std::atomic<bool>* cancel,
                                         const GuessToCheck* guess, int64_t range_bytes,
                                         bool ignore_corrupt_files, const write::TableWriteRules& table_rules) {
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(file_schema));
  INLET_ASSIGN_OR_RAISE(const storage::Place table, storage::Resolve("--table", table_dir));
  write::DataFileWriterOptions writer_options;
  writer_options.target_file_size = target_file_size;
  writer_options.table = table_rules;
  const size_t wanted = static_cast<size_t>(std::max(threads, 1));
  const std::vector<WorkUnit> units = PlanUnits(files, format, wanted > 1, std::max<int64_t>(range_bytes, 1));
  const size_t count = std::clamp<size_t>(wanted, 1, std::max<size_t>(units.size(), 1));
  std::vector<Worker> workers(count);
  SharedState shared;
  shared.ignore_corrupt_files = ignore_corrupt_files;
  for (Worker& worker : workers) {
    worker.writer = std::make_unique<write::DataFileWriter>(table, arrow_schema, writer_options);
    if (guess != nullptr) worker.check = guess->guess->NewCheck();
  }
  if (guess != nullptr) {
    shared.sample_files = std::min(guess->sample_files, files.size());
    shared.unit_checked.assign(units.size(), 0);
  }
  if (count == 1) {
    RunWorker(files, units, format, file_schema, read_options, cancel, shared, workers[0]);
  } else {
    std::vector<std::thread> threads_running;
    for (Worker& worker : workers) {
      threads_running.emplace_back([&, &worker = worker] {
        RunWorker(files, units, format, file_schema, read_options, cancel, shared, worker);
      });
    }
    for (auto& thread : threads_running) thread.join();
  }

  ParsedFiles result;
  std::optional<size_t> refuted_unit;
  std::optional<size_t> error_file;
  Status error;
  std::vector<size_t> missing;
  std::vector<std::pair<size_t, std::string>> corrupt;
  for (Worker& worker : workers) {
    formats::MergeReadCounts(worker.counts, &result.counts);
    result.files.insert(result.files.end(), worker.written.begin(), worker.written.end());
    missing.insert(missing.end(), worker.missing.begin(), worker.missing.end());
    corrupt.insert(corrupt.end(), worker.corrupt.begin(), worker.corrupt.end());
    if (worker.error_file && (!error_file || *worker.error_file < *error_file)) {
      error_file = worker.error_file;
      error = worker.error;
    }
    if (worker.new_field_file && (!result.new_field_file || *worker.new_field_file < *result.new_field_file)) {
      result.new_field_file = worker.new_field_file;
      result.new_field_counts = worker.new_field_counts;
    }
    KeepLowest(result.first_widening_file, worker.first_widening_file);
    if (worker.check) result.guess_folded.push_back(worker.check->folded());
    if (worker.refuted_unit && (!refuted_unit || *worker.refuted_unit < *refuted_unit)) {
      refuted_unit = worker.refuted_unit;
      result.refuted_file = units[*refuted_unit].file;
      result.refuted_line = worker.refuted_line;
    }
  }
  result.guess_refuted = refuted_unit.has_value();
  if (error_file || shared.cancelled || result.guess_refuted) {
    RemoveDataFiles(table_dir, result.files);
    if (error_file) return error;
    if (shared.cancelled) {
      return Status::Cancelled("ingest cancelled; the batch in progress will be redone by the next run");
    }
    result.files.clear();
  }
  if (guess != nullptr) result.unchecked_sample_files = UncheckedSampleFiles(files, units, shared);
  std::sort(missing.begin(), missing.end());
  for (size_t i : missing) result.missing_files.push_back(files[i].path);
  std::sort(corrupt.begin(), corrupt.end());
  for (const auto& [unit, reason] : corrupt) {
    const std::string& path = files[units[unit].file].path;
    if (result.corrupt_files.empty() || result.corrupt_files.back().first != path) {
      result.corrupt_files.emplace_back(path, reason);
    }
  }
  // Workers ordered by unit; callers want files.
  if (result.new_field_file) result.new_field_file = units[*result.new_field_file].file;
  if (result.first_widening_file) result.first_widening_file = units[*result.first_widening_file].file;
  return result;
}

}  // namespace inlet::stream
