// What the stream has already taken: path -> (size, mtime, batch id), in RocksDB under
// CHECKPOINT/sources/0/rocksdb. A file present here is never planned again.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/source/discovery.h"
#include "inlet/util/status.h"

namespace rocksdb {
class DB;
}

namespace inlet::source {

struct FileState {
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  int64_t batch_id = -1;  // -1: seen but deliberately skipped (includeExistingFiles=false)
  // inlet.loadAppendedBytes: FingerprintPrefix of the `size` bytes loaded, so that a file
  // that grew can be checked to still begin with them.
  std::optional<uint64_t> fingerprint = std::nullopt;
  // The file changed after it was loaded and was not loaded again: the size and
  // modification time it was seen with (each change is reported once). -1: no change seen.
  int64_t changed_size = -1;
  int64_t changed_modification_time_ms = 0;
  bool changed_after_load() const { return changed_size >= 0; }
};

class FileStateStore {
 public:
  static Result<std::unique_ptr<FileStateStore>> Open(const std::string& dir);
  ~FileStateStore();

  Result<std::optional<FileState>> Get(const std::string& path) const;
  // Records all files with one atomic, synced write.
  Status PutAll(const std::vector<DiscoveredFile>& files, int64_t batch_id);
  // Replaces one file's state (one synced write): a change seen after load, or a deferred
  // appended load put back to what the earlier batches loaded.
  Status Put(const std::string& path, const FileState& state);
  // Every file seen changed after it was loaded and not loaded again (a full scan).
  Result<std::vector<std::string>> ChangedAfterLoad() const;
  // Forgets `paths` (one synced write), so the next listing offers them again: files a
  // batch planned but left for later because they were still being written.
  Status RemoveAll(const std::vector<std::string>& paths);
  Result<int64_t> Count() const;

 private:
  explicit FileStateStore(std::unique_ptr<rocksdb::DB> db);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace inlet::source
