// What discovery walks: the landing zone's directories, either as the source's file system
// shows them now (one listing per directory, several directories listed at once), or as
// one flat listing from a start key showed them (incremental listing: only the files
// after the stream's listing cursor are there). Internal to source/.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::source {

class Directories {
 public:
  virtual ~Directories() = default;
  // The entries directly inside `dir` (FileSystem::ListDir's contract).
  virtual Result<std::vector<storage::FileInfo>> List(const std::string& dir) = 0;
  virtual Result<std::optional<storage::FileInfo>> Stat(const std::string& path) = 0;
  // List() of each of `dirs`, in the order given. Object stores answer a listing in tens
  // of milliseconds, so a walk over many directories lists several at a time.
  std::vector<Result<std::vector<storage::FileInfo>>> ListAll(const std::vector<std::string>& dirs);
};

// The source's file system as it is.
std::unique_ptr<Directories> LiveDirectories(std::shared_ptr<storage::FileSystem> fs);

// The tree below `base` made of `files` (every one below it, as ListFilesAfter gives
// them): directories exist where a file is below them.
std::unique_ptr<Directories> ListedDirectories(const std::string& base, std::vector<storage::FileInfo> files);

}  // namespace inlet::source
