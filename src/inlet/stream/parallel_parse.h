// A batch's files parsed and written as Parquet by several threads at once: each worker
// takes the next file, reads it with its own converter and writes its own data files, so
// parsing and Parquet encoding run on every core. Internal to stream/.
#pragma once

#include <atomic>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "inlet/formats/json/json_reader.h"
#include "inlet/options/ingest_options.h"
#include "inlet/schema/types.h"
#include "inlet/source/discovery.h"
#include "inlet/util/status.h"
#include "inlet/write/data_file_writer.h"

namespace inlet::stream {

struct ParsedFiles {
  std::vector<write::WrittenFile> files;  // in no particular order
  json::ParseCounts counts;               // totals over every file read
  std::vector<std::string> missing_files;  // planned but gone, in plan order
  // stop_on_new_fields: the lowest file index that met a new field, and that file's
  // counts (new_field_line, new_field_path). Files after it may not have been read.
  std::optional<size_t> new_field_file;
  json::ParseCounts new_field_counts;
  // collect_widenings: the lowest file index that needed a wider type.
  std::optional<size_t> first_widening_file;
};

// Files larger than two of these are parsed as several byte ranges (NDJSON only), so one
// big file still uses every core; ranges are large enough that their setup does not show.
constexpr int64_t kParseRangeBytes = 32LL << 20;

// Reads `files` into Parquet data files in `table_dir` with `threads` workers (at least
// one). `read_options.file_path` is set per file. The first error (lowest file index)
// stops the workers and is returned after they finish; a set `cancel` stops them at the
// next file and gives Status::Cancelled. Data files already written are then removed.
Result<ParsedFiles> ParseFilesInParallel(const std::vector<source::DiscoveredFile>& files,
                                         const Schema& file_schema, json::JsonReadOptions read_options,
                                         const std::string& table_dir, int64_t target_file_size,
                                         int threads, const std::atomic<bool>* cancel,
                                         int64_t range_bytes = kParseRangeBytes);

// Deletes data files that no commit will reference (a batch that stopped or failed).
void RemoveDataFiles(const std::string& table_dir, const std::vector<write::WrittenFile>& files);

// inlet.threads resolved: the option, or every core the machine has.
int ResolveThreads(const IngestOptions& options);

}  // namespace inlet::stream
