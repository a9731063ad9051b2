// The remote truth of a FileStateStore whose checkpoint is on object storage, laid out as
// Spark's RocksDB state store does with changelog checkpointing:
//   CHECKPOINT/sources/0/changes/N     the Nth write to the store (a RocksDB WriteBatch), made
//                                      before the local working copy applies it
//   CHECKPOINT/sources/0/snapshots/N   the whole store after change N, every so many changes
// A change is created only if absent, so a run that lost its lease cannot overwrite one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::source {

class FileStateChangelog {
 public:
  explicit FileStateChangelog(storage::Place root) : root_(std::move(root)) {}

  struct Versions {
    std::optional<int64_t> latest_change;
    std::optional<int64_t> latest_snapshot;
  };
  Result<Versions> List() const;

  Result<std::string> ReadChange(int64_t version) const;
  // AlreadyExists when change `version` was written by another run.
  Status WriteChange(int64_t version, std::string_view batch) const;
  Result<std::string> ReadSnapshot(int64_t version) const;
  // Writes snapshot `version`, then drops the changes it covers and older snapshots.
  Status WriteSnapshot(int64_t version, std::string_view batch) const;

  const std::string& path() const { return root_.path; }

 private:
  std::string PathOf(const char* kind, int64_t version) const;
  storage::Place root_;
};

}  // namespace inlet::source
