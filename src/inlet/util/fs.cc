// POSIX implementations of the durable-file helpers in fs.h.
#include "inlet/util/fs.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <fmt/format.h>

namespace inlet {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::IOError(fmt::format("{} '{}': {}", what, path, std::strerror(errno)));
}

std::string TempPathFor(const std::string& path) {
  static std::atomic<uint64_t> counter{0};
  return fmt::format("{}.tmp.{}.{}", path, ::getpid(), counter++);
}

Status WriteAndSync(const std::string& path, std::string_view data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("cannot create", path);
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status st = ErrnoStatus("cannot write", path);
      ::close(fd);
      return st;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status st = ErrnoStatus("cannot fsync", path);
    ::close(fd);
    return st;
  }
  if (::close(fd) != 0) return ErrnoStatus("cannot close", path);
  return Status::OK();
}

Status SyncParentDir(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  if (dir.empty()) dir = ".";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus("cannot open directory", dir);
  ::fsync(fd);
  ::close(fd);
  return Status::OK();
}

}  // namespace

Result<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (!PathExists(path)) return Status::IOError(fmt::format("no such file '{}'", path));
    return ErrnoStatus("cannot open", path);
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

Status WriteFileAtomic(const std::string& path, std::string_view data) {
  std::string tmp = TempPathFor(path);
  INLET_RETURN_NOT_OK(WriteAndSync(tmp, data));
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status st = ErrnoStatus("cannot rename into", path);
    ::unlink(tmp.c_str());
    return st;
  }
  return SyncParentDir(path);
}

Status WriteFileIfAbsent(const std::string& path, std::string_view data) {
  std::string tmp = TempPathFor(path);
  INLET_RETURN_NOT_OK(WriteAndSync(tmp, data));
  int rc = ::link(tmp.c_str(), path.c_str());
  int saved = errno;
  ::unlink(tmp.c_str());
  if (rc != 0) {
    errno = saved;
    if (saved == EEXIST) return Status::AlreadyExists(fmt::format("'{}' already exists", path));
    return ErrnoStatus("cannot create", path);
  }
  return SyncParentDir(path);
}

Status CreateDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::IOError(fmt::format("cannot create directory '{}': {}", path, ec.message()));
  return Status::OK();
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

int64_t NowMillis() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

std::string NewUuid() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd() ^ NowMillis());
  uint64_t hi = gen(), lo = gen();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                     hi & 0xFFFF, lo >> 48, lo & 0xFFFFFFFFFFFFULL);
}

}  // namespace inlet
