// Chunked NDJSON line splitting (memchr over a reused buffer) and padded whole-file reads.
#include "inlet/formats/json/json_input.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace inlet::json {
namespace {

Status IoError(const std::string& path, const char* what) {
  return Status::IOError(path, ": ", what, ": ", std::strerror(errno));
}

bool IsBlank(const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};

}  // namespace

NdjsonLineReader::~NdjsonLineReader() {
  if (fd_ >= 0) ::close(fd_);
}

Status NdjsonLineReader::Open(const std::string& path, size_t chunk_size, int64_t range_begin,
                              int64_t range_end) {
  path_ = path;
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return IoError(path, "cannot open");
  range_begin_ = std::max<int64_t>(range_begin, 0);
  range_end_ = range_end;
  // From the byte before the range: if it is a newline, the range starts with a line.
  buffer_offset_ = range_begin_ > 0 ? range_begin_ - 1 : 0;
  skip_partial_line_ = range_begin_ > 0;
  if (buffer_offset_ > 0 && ::lseek(fd_, buffer_offset_, SEEK_SET) < 0) return IoError(path, "cannot seek");
#ifdef POSIX_FADV_SEQUENTIAL
  ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
  buffer_size_ = std::max<size_t>(chunk_size, 64);
  buffer_.reset(new char[buffer_size_ + simdjson::SIMDJSON_PADDING]);
  begin_ = end_ = 0;
  eof_ = false;
  at_start_ = range_begin_ == 0;  // only the file's start can hold a BOM
  line_number_ = 0;
  bytes_read_ = 0;
  first_line_offset_ = -1;
  lines_before_range_.reset();
  return Status::OK();
}

Result<int64_t> NdjsonLineReader::FileLineNumber(int64_t number) {
  if (range_begin_ == 0) return number;
  if (!lines_before_range_) {
    // Lines before the range: newlines in [0, first line's offset).
    const int64_t upto = first_line_offset_ >= 0 ? first_line_offset_ : range_begin_;
    const int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return IoError(path_, "cannot open");
    std::unique_ptr<char[]> chunk(new char[1 << 20]);
    int64_t done = 0, newlines = 0;
    while (done < upto) {
      const ssize_t n = ::pread(fd, chunk.get(), static_cast<size_t>(std::min<int64_t>(upto - done, 1 << 20)), done);
      if (n <= 0) break;
      newlines += std::count(chunk.get(), chunk.get() + n, '\n');
      done += n;
    }
    ::close(fd);
    lines_before_range_ = newlines;
  }
  return *lines_before_range_ + number;
}

Status NdjsonLineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    buffer_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
  }
  if (end_ == buffer_size_) {  // one line longer than the buffer: grow it
    const size_t bigger = buffer_size_ * 2;
    std::unique_ptr<char[]> grown(new char[bigger + simdjson::SIMDJSON_PADDING]);
    std::memcpy(grown.get(), buffer_.get(), end_);
    buffer_ = std::move(grown);
    buffer_size_ = bigger;
  }
  while (end_ < buffer_size_) {
    const ssize_t n = ::read(fd_, buffer_.get() + end_, buffer_size_ - end_);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path_, "read failed");
    }
    if (n == 0) {
      eof_ = true;
      break;
    }
    end_ += static_cast<size_t>(n);
    bytes_read_ += n;
    if (end_ - begin_ >= buffer_size_ / 2) break;  // enough to work on
  }
  if (at_start_ && end_ >= 3) {
    at_start_ = false;
    if (std::memcmp(buffer_.get(), kBom, 3) == 0) begin_ = 3;
  } else if (at_start_ && eof_) {
    at_start_ = false;
  }
  return Status::OK();
}

Result<bool> NdjsonLineReader::Next(JsonLine* line) {
  while (true) {
    char* base = buffer_.get();
    const char* start = base + begin_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (skip_partial_line_) {
      // The tail of the line the previous range owns (just its newline, when the range
      // starts a line).
      if (newline == nullptr && !eof_) {
        INLET_RETURN_NOT_OK(Fill());
        continue;
      }
      begin_ = newline != nullptr ? static_cast<size_t>(newline - base) + 1 : end_;
      skip_partial_line_ = false;
      continue;
    }
    // A BOM belongs to the first line: it starts at 0, so the range holding byte 0 owns it.
    const int64_t line_offset = line_number_ == 0 && range_begin_ == 0 ? 0 : buffer_offset_ + static_cast<int64_t>(begin_);
    if (range_end_ >= 0 && line_offset >= range_end_) return false;  // the next range's line
    size_t size;
    if (newline != nullptr) {
      size = static_cast<size_t>(newline - start);
      begin_ += size + 1;
    } else if (!eof_) {
      INLET_RETURN_NOT_OK(Fill());
      continue;
    } else if (begin_ < end_) {  // the last line has no newline
      size = end_ - begin_;
      begin_ = end_;
    } else {
      return false;
    }
    ++line_number_;
    if (first_line_offset_ < 0) first_line_offset_ = line_offset;
    if (size > 0 && start[size - 1] == '\r') --size;
    if (IsBlank(start, size)) continue;
    line->data = start;
    line->size = size;
    line->capacity = static_cast<size_t>(base + buffer_size_ + simdjson::SIMDJSON_PADDING - start);
    line->number = line_number_;
    line->offset = line_offset;
    return true;
  }
}

Result<simdjson::padded_string> ReadPaddedFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return IoError(path, "cannot open");
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    Status status = IoError(path, "cannot stat");
    ::close(fd);
    return status;
  }
  simdjson::padded_string text(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::read(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status status =
          n < 0 ? IoError(path, "read failed") : Status::IOError(path, ": file shrank while being read");
      ::close(fd);
      return status;
    }
    done += static_cast<size_t>(n);
  }
  ::close(fd);
  if (text.size() >= 3 && std::memcmp(text.data(), kBom, 3) == 0) std::memset(text.data(), ' ', 3);
  return text;
}

Status CheckSimdjsonLinkage() {
  static const Status status = []() -> Status {
    Dl_info provider{};
    Dl_info self{};
    // In a PIE binary the address of an imported function is its definition's address.
    if (::dladdr(reinterpret_cast<void*>(&simdjson::get_active_implementation), &provider) == 0 ||
        ::dladdr(reinterpret_cast<void*>(&CheckSimdjsonLinkage), &self) == 0 ||
        provider.dli_fname == nullptr) {
      return Status::OK();  // cannot tell
    }
    const std::string_view library(provider.dli_fname);
    if (library.find("simdjson") != std::string_view::npos ||
        (self.dli_fname != nullptr && library == self.dli_fname)) {
      return Status::OK();
    }
    return Status::Invalid("simdjson resolves to ", library,
                           " (which bundles a different simdjson), not libsimdjson: link "
                           "simdjson::simdjson before the Arrow/Parquet libraries");
  }();
  return status;
}

int64_t LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

}  // namespace inlet::json
