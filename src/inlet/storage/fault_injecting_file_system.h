// A FileSystem that passes every call to another one, except those a test chose to fail
// or to precede with a hook (a competing writer's commit just before ours, a disk that
// fills on the third write). LevelDB's fault-injection Env plays this part for its tests.
#pragma once

#include <array>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "inlet/storage/file_system.h"

namespace inlet::storage {

class FaultInjectingFileSystem final : public FileSystem {
 public:
  enum class Op { kRead, kOpenForRead, kReplace, kCreateIfAbsent, kOpenForWrite, kStat, kList, kDelete, kCreateDirs,
                  kLease, kCount };

  explicit FaultInjectingFileSystem(std::shared_ptr<FileSystem> base) : base_(std::move(base)) {}

  // The next `times` calls of `op` on a path containing `path_part` fail with `status`
  // (and do nothing).
  void FailNext(Op op, std::string path_part, Status status, int times = 1);
  // `hook` runs once, before the next call of `op` on a path containing `path_part`.
  void BeforeNext(Op op, std::string path_part, std::function<void()> hook);
  // Calls of `op` made so far.
  int64_t Count(Op op) const;

  Result<std::string> ReadFile(const std::string& path) override;
  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(const std::string& path) override;
  Status WriteFile(const std::string& path, std::string_view data, WriteMode mode) override;
  Result<std::shared_ptr<OutputFile>> OpenForWrite(const std::string& path) override;
  Result<std::optional<FileInfo>> Stat(const std::string& path) override;
  Result<std::vector<FileInfo>> ListDir(const std::string& dir) override;
  Result<std::vector<FileInfo>> ListFilesAfter(const std::string& dir, const std::string& after) override;
  Result<std::string> Normalize(const std::string& path) override { return base_->Normalize(path); }
  Status Delete(const std::string& path) override;
  Status DeleteTree(const std::string& dir) override;
  Status CreateDirs(const std::string& dir) override;
  Result<std::unique_ptr<Lease>> AcquireLease(const std::string& path, std::string_view what) override;

 private:
  struct Rule {
    Op op;
    std::string path_part;
    Status status;  // OK for a hook
    std::function<void()> hook;
    int times = 1;
  };
  // Counts the call, runs a matching hook, and returns the injected failure, if any.
  Status Intercept(Op op, const std::string& path);

  std::shared_ptr<FileSystem> base_;
  mutable std::mutex mutex_;
  std::vector<Rule> rules_;
  std::array<int64_t, static_cast<size_t>(Op::kCount)> counts_{};
};

}  // namespace inlet::storage
