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
};

class FileStateStore {
 public:
  static Result<std::unique_ptr<FileStateStore>> Open(const std::string& dir);
  ~FileStateStore();

  Result<std::optional<FileState>> Get(const std::string& path) const;
  // Records all files with one atomic, synced write.
  Status PutAll(const std::vector<DiscoveredFile>& files, int64_t batch_id);
  // Forgets `paths` (one synced write), so the next listing offers them again: files a
  // batch planned but left for later because they were still being written.
  Status RemoveAll(const std::vector<std::string>& paths);
  Result<int64_t> Count() const;

 private:
  explicit FileStateStore(std::unique_ptr<rocksdb::DB> db);
  std::unique_ptr<rocksdb::DB> db_;
};

}  // namespace inlet::source
