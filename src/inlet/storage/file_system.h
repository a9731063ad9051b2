// The storage seam: every list, read, write and commit inlet makes goes through one
// FileSystem, chosen by the URI scheme of the location it is for (location.h). Callers
// never learn which backend they hold; a backend lives in its own file and is registered
// in registry.cc. The local backend is POSIX (local_file_system.h); tests wrap any backend
// in a FaultInjectingFileSystem (fault_injecting_file_system.h).
//
// The contract every backend keeps, because the Delta log, the stream checkpoint and the
// schema repository are built on it:
//   - WriteFile(kCreateIfAbsent) creates a file only if none exists, atomically: of two
//     writers racing for one name, exactly one succeeds and the other gets AlreadyExists.
//   - WriteFile(kReplace) and OpenForWrite publish a file whole or not at all: no reader
//     ever sees a prefix.
//   - A Lease is held by one holder at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/io/interfaces.h>

#include "inlet/util/status.h"

namespace inlet::storage {

enum class FileKind { kFile, kDirectory, kOther };  // kOther: a device, FIFO or socket

struct FileInfo {
  std::string path;  // as the FileSystem spells it: the directory given to ListDir + "/" + name
  std::string name;  // the last path component
  FileKind kind = FileKind::kFile;
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  // Local disks: the (device, inode) of the file, so that a walk through symlinked
  // directories visits each once; 0 on object stores, which have no links.
  uint64_t device = 0;
  uint64_t inode = 0;
  // ListDir only: the entry is there but could not be examined (a symlink loop, permission
  // denied), and this says why; nothing but path and name is set then.
  std::string error;

  bool is_directory() const { return kind == FileKind::kDirectory; }
  bool is_file() const { return kind == FileKind::kFile && error.empty(); }
};

enum class WriteMode {
  kReplace,         // atomically replaces whatever is there
  kCreateIfAbsent,  // AlreadyExists when a file of that name exists; never overwrites
};

// A file being written front to back. Close() makes it durable and visible under its name;
// destroyed or Abort()ed (arrow::io::FileInterface's) before that, it never appears.
class OutputFile : public arrow::io::OutputStream {};

// Exclusive use of something (a checkpoint) by one holder until destroyed.
class Lease {
 public:
  virtual ~Lease() = default;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  // The whole file. IOError naming the path ("no such file '...'") when it does not exist.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Random-access reads, for Parquet footers and byte ranges of large files.
  virtual Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(const std::string& path) = 0;
  virtual Status WriteFile(const std::string& path, std::string_view data, WriteMode mode) = 0;
  virtual Result<std::shared_ptr<OutputFile>> OpenForWrite(const std::string& path) = 0;

  // nullopt when nothing is there.
  virtual Result<std::optional<FileInfo>> Stat(const std::string& path) = 0;
  // Stat of many files at once, in the order given; nullopt for one that is not there (or
  // is a directory) or cannot be examined. A backend where a listing answers for many
  // files in one request (an object store) uses one; the default asks one by one.
  virtual std::vector<std::optional<FileInfo>> StatFiles(const std::vector<std::string>& paths);
  // The entries directly inside `dir`, in no particular order, symlinks followed; a missing
  // dir has none, one that cannot be read is an IOError. An entry that vanishes while
  // listed is left out; one that cannot be examined is listed with `error` set.
  virtual Result<std::vector<FileInfo>> ListDir(const std::string& dir) = 0;
  // Every file at any depth below `dir` whose path sorts after `after` (a path in this
  // file system's spelling), in path order: what an object store answers in one paged
  // listing from a start key (S3 StartAfter) without walking its "directories".
  // NotImplemented where no such listing exists (this machine's file system).
  virtual Result<std::vector<FileInfo>> ListFilesAfter(const std::string& dir, const std::string& after);

  // `path` in the form it is named by in plans, logs and messages (a local path made
  // absolute and normal).
  virtual Result<std::string> Normalize(const std::string& path) = 0;

  // Removing what is not there is not an error.
  virtual Status Delete(const std::string& path) = 0;
  virtual Status DeleteTree(const std::string& dir) = 0;
  // mkdir -p where directories exist; object stores have none and do nothing.
  virtual Status CreateDirs(const std::string& dir) = 0;

  // The lease named by `path`, or IOError when another holder has it; `what` names the
  // thing leased in that error.
  virtual Result<std::unique_ptr<Lease>> AcquireLease(const std::string& path, std::string_view what) = 0;
};

// A location resolved to the file system that holds it.
struct Place {
  std::shared_ptr<FileSystem> fs;
  std::string path;  // in `fs`'s spelling

  Place Child(std::string_view relative) const;
};

// `uri` (a path or URI a user gave for `what`, e.g. "--table") on its backend. Invalid for
// an unknown scheme (naming the known ones); NotImplemented for a backend not built yet.
Result<Place> Resolve(std::string_view what, std::string_view uri);

// This machine's file system (a process-wide instance).
std::shared_ptr<FileSystem> Local();

// Convenience for a file on `place`'s file system: whether something is there (an error
// reading counts as not there).
bool Exists(const Place& place);
// The same for a path or URI (a source file's): false also when it cannot be resolved.
bool ExistsAt(std::string_view uri);

// The number a log entry is named by ("17" for offsets/17, lock/17); nullopt for any other
// name (a temporary file, "17.tmp").
std::optional<int64_t> NumberedName(std::string_view name);

}  // namespace inlet::storage
