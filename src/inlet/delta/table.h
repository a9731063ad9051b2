// Reading and committing to a Delta table, on whatever storage holds it (storage/).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "inlet/delta/actions.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::delta {

// The table's state at one version: replay of the newest checkpoint (via
// _delta_log/_last_checkpoint) plus the JSON commits after it.
class Snapshot {
 public:
  // Latest version; a directory without _delta_log gives an empty snapshot (version -1).
  static Result<Snapshot> Load(const storage::Place& table);
  // The same, for a path or URI as a user gives it.
  static Result<Snapshot> Load(const std::string& table_uri);

  int64_t version() const { return version_; }
  bool exists() const { return version_ >= 0; }
  const Protocol& protocol() const { return protocol_; }
  const Metadata& metadata() const { return metadata_; }
  // Active files, in the order they were added.
  const std::vector<AddFile>& files() const { return files_; }
  // Latest txn version recorded for `app_id`, if any.
  std::optional<int64_t> TxnVersion(const std::string& app_id) const;
  const std::map<std::string, Txn>& txns() const { return txns_; }
  // Files removed from the table (remove actions not undone by a later add), kept so that
  // checkpoints carry the tombstones other engines' VACUUM relies on.
  const std::vector<RemoveFile>& tombstones() const { return tombstones_; }
  const std::string& table_dir() const { return table_.path; }
  const storage::Place& table() const { return table_; }

 private:
  storage::Place table_;
  int64_t version_ = -1;
  Protocol protocol_;
  Metadata metadata_;
  std::vector<AddFile> files_;
  std::map<std::string, Txn> txns_;
  std::vector<RemoveFile> tombstones_;
};

// Writes `actions` as version `version` with put-if-absent semantics. Returns
// Status::AlreadyExists when another writer committed that version first (the caller
// reloads, checks its txn and retries at the next version).
Status WriteCommit(const storage::Place& table, int64_t version, const CommitActions& actions);
Status WriteCommit(const std::string& table_uri, int64_t version, const CommitActions& actions);

// Writes a single-part Parquet checkpoint of `snapshot` as
// _delta_log/<version>.checkpoint.parquet, then _delta_log/_last_checkpoint
// ({"version":V,"size":N}), readable by delta-rs and Spark.
Status WriteCheckpoint(const Snapshot& snapshot);

// Commits a checkpoint after every this many versions (version % interval == 0).
constexpr int64_t kCheckpointInterval = 10;

// One line of `inlet history`.
struct HistoryEntry {
  int64_t version = 0;
  CommitInfo commit_info;
  int64_t files_added = 0;
  int64_t files_removed = 0;
  int64_t rows_added = 0;  // from add stats numRecords
};

// Every commit still in the log, newest first.
Result<std::vector<HistoryEntry>> ReadHistory(const storage::Place& table);
Result<std::vector<HistoryEntry>> ReadHistory(const std::string& table_uri);

}  // namespace inlet::delta
