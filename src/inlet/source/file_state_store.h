// What the stream has already taken: path -> (size, mtime, batch id), in RocksDB under
// CHECKPOINT/sources/0/rocksdb. A file present here is never planned again. RocksDB needs a
// local disk: for a checkpoint on object storage the RocksDB folder is a local working copy
// (a cache) of a remote change log (file_state_changelog.h), which is the truth.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/source/discovery.h"
#include "inlet/util/status.h"

#include "inlet/storage/file_system.h"

namespace rocksdb {
class DB;
class WriteBatch;
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

class FileStateChangelog;

// Where a remote store's truth is, and whose it is.
struct FileStateRemote {
  storage::Place root;     // CHECKPOINT/sources/0
  std::string stream_id;   // a working copy of another stream's state is thrown away
};

class FileStateStore {
 public:
  static Result<std::unique_ptr<FileStateStore>> Open(const std::string& dir);
  // `dir` is the local working copy of `remote`: missing, stale or another stream's, it is
  // brought up to the remote change log before use, and every write goes to the change log
  // before it is applied here.
  static Result<std::unique_ptr<FileStateStore>> Open(const std::string& dir, FileStateRemote remote);
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
  // A value the stream keeps beside the files' states (the listing cursor), by name; it
  // goes where they go (the change log and snapshots of a remote store).
  Result<std::optional<std::string>> GetMeta(std::string_view name) const;
  Status PutMeta(std::string_view name, std::string_view value);
  // Remote stores: the changes and snapshots read to bring the working copy up to date.
  int64_t changes_replayed() const { return changes_replayed_; }

 private:
  explicit FileStateStore(std::unique_ptr<rocksdb::DB> db);
  static Result<std::unique_ptr<rocksdb::DB>> OpenDb(const std::string& dir);
  Status CatchUp(const std::string& dir);
  Status LoadSnapshot(const std::string& dir, int64_t version);
  Status Apply(rocksdb::WriteBatch& batch, int64_t version);
  // Every write goes through here: to the change log first when remote, then to RocksDB.
  Status Commit(rocksdb::WriteBatch& batch, std::string_view what);
  Status Snapshot(int64_t version);

  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<FileStateChangelog> changelog_;  // null for a local checkpoint
  std::string stream_id_;
  int64_t next_change_ = 0;
  int64_t changes_replayed_ = 0;
};

}  // namespace inlet::source
