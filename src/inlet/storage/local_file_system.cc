// POSIX implementation of the FileSystem contract (file_system.h).
#include "inlet/storage/local_file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include <arrow/buffer.h>
#include <arrow/io/file.h>
#include <arrow/util/io_util.h>
#include <fmt/format.h>

namespace inlet::storage {
namespace {

// Written bytes handed to the kernel's writeback each time this many more have piled up.
constexpr int64_t kWritebackBytes = 8LL << 20;

// The errno rides along as the status detail, for callers that tell causes apart.
Status ErrnoStatus(std::string_view what, const std::string& path, int error = errno) {
  return Status::IOError(fmt::format("{} '{}': {}", what, path, std::strerror(error)))
      .WithDetail(arrow::internal::StatusDetailFromErrno(error));
}

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
}

std::string ParentDir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("cannot write", path);
    }
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

Status WriteAndSync(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", path);
  Status st = WriteAll(fd, data, path);
  if (st.ok() && ::fsync(fd) != 0) st = ErrnoStatus("cannot fsync", path);
  if (::close(fd) != 0 && st.ok()) st = ErrnoStatus("cannot close", path);
  if (!st.ok()) ::unlink(path.c_str());
  return st;
}

// A directory's entries are durable once the directory itself is fsynced.
void SyncDir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

// Written under a hidden temp name beside the final one (a leading dot hides it from
// readers that list the directory), fsynced and renamed at Close().
class LocalOutputFile final : public OutputFile {
 public:
  LocalOutputFile(std::string path, std::string temp_path, int fd)
      : path_(std::move(path)), temp_path_(std::move(temp_path)), fd_(fd) {}
  ~LocalOutputFile() override { (void)Abort(); }

  arrow::Status Write(const void* data, int64_t nbytes) override {
    if (fd_ < 0) return Status::Invalid("write to closed file '", path_, "'");
    INLET_RETURN_NOT_OK(WriteAll(fd_, std::string_view(static_cast<const char*>(data), nbytes), temp_path_));
    position_ += nbytes;
    StartWriteback();
    return Status::OK();
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override {
    return Write(data->data(), data->size());
  }
  arrow::Result<int64_t> Tell() const override { return position_; }
  bool closed() const override { return fd_ < 0; }

  arrow::Status Close() override {
    if (fd_ < 0) return published_ ? Status::OK() : Status::Invalid("'", path_, "' was aborted");
    Status st;
    if (::fsync(fd_) != 0) st = ErrnoStatus("cannot fsync", temp_path_);
    if (::close(fd_) != 0 && st.ok()) st = ErrnoStatus("cannot close", temp_path_);
    fd_ = -1;
    if (st.ok() && ::rename(temp_path_.c_str(), path_.c_str()) != 0) st = ErrnoStatus("cannot rename into", path_);
    if (!st.ok()) {
      ::unlink(temp_path_.c_str());
      return st;
    }
    published_ = true;
    SyncDir(ParentDir(path_));
    return Status::OK();
  }

  arrow::Status Abort() override {
    if (fd_ < 0) return Status::OK();
    ::close(fd_);
    fd_ = -1;
    ::unlink(temp_path_.c_str());
    return Status::OK();
  }

 private:
  // The fsync at Close() would otherwise wait for all of the file's pages at once, at the
  // end of a batch when nothing else is left to do: pages are handed to writeback as they
  // pile up instead, without waiting, as RocksDB's bytes_per_sync does.
  void StartWriteback() {
    if (position_ - writeback_from_ < kWritebackBytes) return;
    (void)::sync_file_range(fd_, writeback_from_, position_ - writeback_from_, SYNC_FILE_RANGE_WRITE);
    writeback_from_ = position_;
  }

  std::string path_;
  std::string temp_path_;
  int fd_ = -1;
  int64_t position_ = 0;
  int64_t writeback_from_ = 0;
  bool published_ = false;
};

class FlockLease final : public Lease {
 public:
  explicit FlockLease(int fd) : fd_(fd) {}
  ~FlockLease() override { ::close(fd_); }  // releases the flock

 private:
  int fd_;
};

int64_t MillisOf(const struct timespec& ts) { return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000; }

FileInfo InfoOf(std::string path, std::string name, const struct stat& st) {
  FileInfo info;
  info.path = std::move(path);
  info.name = std::move(name);
  info.kind = S_ISDIR(st.st_mode) ? FileKind::kDirectory : S_ISREG(st.st_mode) ? FileKind::kFile : FileKind::kOther;
  info.size = info.kind == FileKind::kFile ? static_cast<int64_t>(st.st_size) : 0;
  info.modification_time_ms = MillisOf(st.st_mtim);
  info.device = static_cast<uint64_t>(st.st_dev);
  info.inode = static_cast<uint64_t>(st.st_ino);
  return info;
}

class LocalFileSystem final : public FileSystem {
 public:
  Result<std::string> ReadFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      if (errno == ENOENT) return Status::IOError(fmt::format("no such file '{}'", path));
      return ErrnoStatus("cannot open", path);
    }
    std::string text;
    struct stat st;
    if (::fstat(fd, &st) == 0 && st.st_size > 0) text.reserve(static_cast<size_t>(st.st_size));
    char buffer[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        Status error = ErrnoStatus("cannot read", path);
        ::close(fd);
        return error;
      }
      if (n == 0) break;
      text.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    return text;
  }

  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(auto file, arrow::io::ReadableFile::Open(path));
    // Most reads are scans of source files: a larger readahead serves them.
    (void)::posix_fadvise(file->file_descriptor(), 0, 0, POSIX_FADV_SEQUENTIAL);
    return file;
  }

  Status WriteFile(const std::string& path, std::string_view data, WriteMode mode) override {
    const std::string temp = TempPathFor(path);
    INLET_RETURN_NOT_OK(WriteAndSync(temp, data));
    if (mode == WriteMode::kReplace) {
      if (::rename(temp.c_str(), path.c_str()) != 0) {
        Status st = ErrnoStatus("cannot rename into", path);
        ::unlink(temp.c_str());
        return st;
      }
    } else {
      const int rc = ::link(temp.c_str(), path.c_str());
      const int error = errno;
      ::unlink(temp.c_str());
      if (rc != 0 && error == EEXIST) return Status::AlreadyExists(fmt::format("'{}' already exists", path));
      if (rc != 0) return ErrnoStatus("cannot create", path, error);
    }
    SyncDir(ParentDir(path));
    return Status::OK();
  }

  Result<std::shared_ptr<OutputFile>> OpenForWrite(const std::string& path) override {
    const std::filesystem::path target(path);
    const std::string temp =
        (target.parent_path() / ("." + target.filename().string() + ".inprogress")).string();
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("cannot create", temp);
    return std::make_shared<LocalOutputFile>(path, temp, fd);
  }

  Result<std::optional<FileInfo>> Stat(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return std::optional<FileInfo>();
      return ErrnoStatus("cannot stat", path);
    }
    return std::optional<FileInfo>(InfoOf(path, std::filesystem::path(path).filename().string(), st));
  }

  Result<std::vector<FileInfo>> ListDir(const std::string& dir) override {
    std::vector<FileInfo> entries;
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) return entries;
      return ErrnoStatus("cannot list", dir);
    }
    const std::string prefix = dir.empty() || dir.back() == '/' ? dir : dir + "/";
    for (;;) {
      errno = 0;
      struct dirent* entry = ::readdir(d);
      if (entry == nullptr) {
        const int error = errno;
        ::closedir(d);
        if (error != 0) return ErrnoStatus("cannot list", dir, error);
        return entries;
      }
      const std::string_view name = entry->d_name;
      if (name == "." || name == "..") continue;
      // Relative to the open directory: the kernel does not walk the whole path again.
      struct stat st;
      if (::fstatat(::dirfd(d), entry->d_name, &st, 0) != 0) {
        if (errno == ENOENT) continue;  // deleted since readdir, or a dangling symlink
        FileInfo unexaminable;
        unexaminable.path = prefix + std::string(name);
        unexaminable.name = std::string(name);
        unexaminable.error = std::strerror(errno);
        entries.push_back(std::move(unexaminable));
        continue;
      }
      entries.push_back(InfoOf(prefix + std::string(name), std::string(name), st));
    }
  }

  Result<std::string> Normalize(const std::string& path) override {
    std::error_code ec;
    std::filesystem::path absolute = std::filesystem::absolute(path, ec);
    if (ec) return Status::IOError(fmt::format("cannot resolve path '{}': {}", path, ec.message()));
    return absolute.lexically_normal().string();
  }

  Status Delete(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("cannot delete", path);
    return Status::OK();
  }

  Status DeleteTree(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
    if (ec) return Status::IOError(fmt::format("cannot delete '{}': {}", dir, ec.message()));
    return Status::OK();
  }

  // Each directory created is made durable in its parent, so that a file published inside
  // a new directory (a partition's) survives a power loss with its path.
  Status CreateDirs(const std::string& dir) override {
    struct stat st;
    if (dir.empty() || ::stat(dir.c_str(), &st) == 0) return Status::OK();
    const std::string parent = ParentDir(dir);
    if (parent != dir) INLET_RETURN_NOT_OK(CreateDirs(parent));
    if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoStatus("cannot create directory", dir);
    SyncDir(parent);
    return Status::OK();
  }

  Result<std::unique_ptr<Lease>> AcquireLease(const std::string& path, std::string_view what) override {
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("cannot open", path);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd);
      return Status::IOError(fmt::format("{} is in use by another inlet process (lock held on '{}')", what, path));
    }
    return std::unique_ptr<Lease>(new FlockLease(fd));
  }
};

}  // namespace

std::shared_ptr<FileSystem> NewLocalFileSystem() { return std::make_shared<LocalFileSystem>(); }

}  // namespace inlet::storage
