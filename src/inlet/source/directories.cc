#include "inlet/source/directories.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace inlet::source {
namespace {

// Listings in flight at once: enough to hide a store's round trip, few enough not to be
// throttled (S3 allows thousands of LISTs per second per prefix).
constexpr size_t kParallelListings = 8;

class Live : public Directories {
 public:
  explicit Live(std::shared_ptr<storage::FileSystem> fs) : fs_(std::move(fs)) {}
  Result<std::vector<storage::FileInfo>> List(const std::string& dir) override { return fs_->ListDir(dir); }
  Result<std::optional<storage::FileInfo>> Stat(const std::string& path) override { return fs_->Stat(path); }

 private:
  std::shared_ptr<storage::FileSystem> fs_;
};

std::string ParentOf(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? "" : path.substr(0, slash);
}

class Listed : public Directories {
 public:
  Listed(const std::string& base, std::vector<storage::FileInfo> files) {
    std::set<std::string> known_dirs;
    for (storage::FileInfo& file : files) {
      if (file.path.size() <= base.size() || file.path.compare(0, base.size(), base) != 0) continue;
      // Each directory between the file and `base` is an entry of its parent, once.
      for (std::string dir = ParentOf(file.path); dir.size() > base.size(); dir = ParentOf(dir)) {
        if (!known_dirs.insert(dir).second) break;
        storage::FileInfo entry;
        entry.path = dir;
        entry.name = dir.substr(dir.find_last_of('/') + 1);
        entry.kind = storage::FileKind::kDirectory;
        entries_[ParentOf(dir)].push_back(entry);
        dirs_[dir] = entry;
      }
      const std::string parent = ParentOf(file.path);
      files_[file.path] = file;
      entries_[parent].push_back(std::move(file));
    }
  }

  Result<std::vector<storage::FileInfo>> List(const std::string& dir) override {
    std::string key = dir;
    while (key.size() > 1 && key.back() == '/') key.pop_back();
    auto it = entries_.find(key);
    return it == entries_.end() ? std::vector<storage::FileInfo>() : it->second;
  }

  Result<std::optional<storage::FileInfo>> Stat(const std::string& path) override {
    if (auto it = files_.find(path); it != files_.end()) return std::optional<storage::FileInfo>(it->second);
    if (auto it = dirs_.find(path); it != dirs_.end()) return std::optional<storage::FileInfo>(it->second);
    return std::optional<storage::FileInfo>();
  }

 private:
  std::map<std::string, std::vector<storage::FileInfo>> entries_;  // by directory
  std::map<std::string, storage::FileInfo> files_;
  std::map<std::string, storage::FileInfo> dirs_;
};

}  // namespace

std::vector<Result<std::vector<storage::FileInfo>>> Directories::ListAll(const std::vector<std::string>& dirs) {
  std::vector<Result<std::vector<storage::FileInfo>>> listed(dirs.size(), std::vector<storage::FileInfo>());
  if (dirs.size() <= 1) {
    for (size_t i = 0; i < dirs.size(); ++i) listed[i] = List(dirs[i]);
    return listed;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < dirs.size(); i = next++) listed[i] = List(dirs[i]);
  };
  std::vector<std::thread> workers;
  const size_t count = std::min(kParallelListings, dirs.size());
  for (size_t w = 1; w < count; ++w) workers.emplace_back(work);
  work();
  for (std::thread& worker : workers) worker.join();
  return listed;
}

std::unique_ptr<Directories> LiveDirectories(std::shared_ptr<storage::FileSystem> fs) {
  return std::make_unique<Live>(std::move(fs));
}

std::unique_ptr<Directories> ListedDirectories(const std::string& base, std::vector<storage::FileInfo> files) {
  return std::make_unique<Listed>(base, std::move(files));
}

}  // namespace inlet::source
