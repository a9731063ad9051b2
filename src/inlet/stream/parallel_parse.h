// A batch's files parsed and written as Parquet by several threads at once: each worker
// takes the next file, reads it with its own converter and writes its own data files, so
// parsing and Parquet encoding run on every core. Internal to stream/.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/options/ingest_options.h"
#include "inlet/schema/types.h"
#include "inlet/source/discovery.h"
#include "inlet/util/status.h"
#include "inlet/write/data_file_writer.h"

namespace inlet::stream {

struct ParsedFiles {
  std::vector<write::WrittenFile> files;  // in no particular order
  formats::ReadCounts counts;               // totals over every file read
  std::vector<std::string> missing_files;  // planned but gone, in plan order
  // ignore_corrupt_files: files whose read failed (IOError: a corrupt .gz/.zst, a read
  // error) with the reason, in plan order; the rows read before the failure are kept.
  std::vector<std::pair<std::string, std::string>> corrupt_files;
  // stop_on_new_fields: the lowest file index that met a new field, and that file's
  // counts (new_field_line, new_field_path). Files after it may not have been read.
  std::optional<size_t> new_field_file;
  formats::ReadCounts new_field_counts;
  // collect_widenings: the lowest file index that needed a wider type.
  std::optional<size_t> first_widening_file;
  // Read with a guess (GuessToCheck): whether a sampled record refuted it (then nothing
  // else here counts, and the data files are already removed); what each worker's check
  // folded; the sampled files not checked to their end (refuted first, or never reached).
  bool guess_refuted = false;
  size_t refuted_file = 0;       // when refuted: the lowest file index a record refuted it in
  int64_t refuted_line = 0;      // and that record's line
  std::vector<DataTypePtr> guess_folded;
  std::vector<std::string> unchecked_sample_files;
};

// A stream's first batch read with an inference guess: the first `sample_files` files are
// the inference sample, and every record of theirs is checked against the guess. A new
// field in them refutes the guess rather than stopping the read as drift.
struct GuessToCheck {
  std::shared_ptr<const formats::InferenceGuess> guess;
  size_t sample_files = 0;
};

// Files larger than two of these are parsed as several byte ranges (when the format can
// split them: FileFormat::Splittable), so one
// big file still uses every core; ranges are large enough that their setup does not show.
constexpr int64_t kParseRangeBytes = 32LL << 20;

// Reads `files` into Parquet data files in `table_dir` with `threads` workers (at least
// one). `read_options.file_path` is set per file. The first error (lowest file index)
// stops the workers and is returned after they finish; a set `cancel` stops them at the
// next file and gives Status::Cancelled. Data files already written are then removed.
// `ignore_corrupt_files` (ignoreCorruptFiles): a file whose read fails with an IOError is
// noted in corrupt_files instead, keeping what was read of it, as Spark does.
// `table_rules`: the table's partition columns and row checks (write::TableWriteRules).
Result<ParsedFiles> ParseFilesInParallel(const std::vector<source::DiscoveredFile>& files,
                                         const formats::FileFormat& format, const Schema& file_schema,
                                         formats::ReadOptions read_options,
                                         const std::string& table_dir, int64_t target_file_size,
                                         int threads, const std::atomic<bool>* cancel,
                                         const GuessToCheck* guess = nullptr,
                                         int64_t range_bytes = kParseRangeBytes,
                                         bool ignore_corrupt_files = false, const write::TableWriteRules& table_rules = {});

// Deletes data files that no commit will reference (a batch that stopped or failed).
void RemoveDataFiles(const std::string& table_dir, const std::vector<write::WrittenFile>& files);

// inlet.threads resolved: the option, or every core the machine has.
int ResolveThreads(const IngestOptions& options);

}  // namespace inlet::stream
