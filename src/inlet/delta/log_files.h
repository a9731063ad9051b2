// Names and listing of the files in a table's _delta_log directory (internal to delta/).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::delta {

struct LogListing {
  std::vector<int64_t> commits;  // versions with a JSON commit file, ascending
  // Complete checkpoints: version -> paths of all its parts (one for single-part).
  std::map<int64_t, std::vector<std::string>> checkpoints;
  // v2 checkpoints (<version>.checkpoint.<uuid>.json|parquet): version -> top-level file.
  std::map<int64_t, std::string> v2_checkpoints;
};

std::string LogDir(const std::string& table_dir);
// "_delta_log/00000000000000000010.checkpoint.parquet", relative to the table dir.
std::string CheckpointFileName(int64_t version);

// Lists the table's _delta_log; a missing directory gives an empty listing. Checkpoint
// paths are in the table's file system.
Result<LogListing> ListLog(const storage::Place& table);

}  // namespace inlet::delta
