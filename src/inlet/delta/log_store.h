// A table's _delta_log on whatever storage holds it, as delta-rs's LogStore: the one place
// that reads and writes log entries. A commit is the creation of NNN.json if it is absent;
// of two writers racing for a version, exactly one creates it (the FileSystem contract:
// link(2) on a local disk, a conditional PUT on object stores).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "inlet/delta/log_files.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::delta {

class LogStore {
 public:
  explicit LogStore(storage::Place table) : table_(std::move(table)) {}

  const storage::Place& table() const { return table_; }
  storage::FileSystem& fs() const { return *table_.fs; }
  // `relative` (e.g. "_delta_log/00000000000000000003.json") in the table's file system.
  std::string PathOf(std::string_view relative) const { return table_.Child(relative).path; }

  Result<LogListing> List() const { return ListLog(table_); }
  // The text of commit `version`.
  Result<std::string> ReadEntry(int64_t version) const;
  // Creates commit `version` with `bytes` only if it does not exist: AlreadyExists when
  // another writer committed that version first.
  Status WriteCommitEntry(int64_t version, std::string_view bytes) const;

 private:
  storage::Place table_;
};

}  // namespace inlet::delta
