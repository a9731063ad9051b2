// Bytes of JSON files as simdjson wants them: NDJSON split into lines in place inside a
// reused, padded read buffer (no copy per line), or a whole multiLine file padded.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace inlet::json {

// One non-blank line. `capacity` bytes are readable from `data` (>= size +
// SIMDJSON_PADDING), which is what simdjson's iterate(data, size, capacity) needs: the
// bytes after the line are the following lines or padding, and simdjson ignores them.
struct JsonLine {
  const char* data = nullptr;
  size_t size = 0;
  size_t capacity = 0;
  int64_t number = 0;  // 1-based line number in the file
};

// Reads a file in large chunks and hands out its lines: skips a UTF-8 BOM at the start,
// strips a trailing '\r' (CRLF files), skips blank lines, and returns a last line that has
// no newline. The buffer grows only for lines longer than it.
class NdjsonLineReader {
 public:
  static constexpr size_t kDefaultChunk = 4 << 20;

  ~NdjsonLineReader();
  Status Open(const std::string& path, size_t chunk_size = kDefaultChunk);
  // Sets *line and returns true, or returns false at the end of the file. The line stays
  // valid until the next call.
  Result<bool> Next(JsonLine* line);
  int64_t bytes_read() const { return bytes_read_; }

 private:
  Status Fill();  // moves the unread tail to the front and reads more after it

  std::string path_;
  int fd_ = -1;
  std::unique_ptr<char[]> buffer_;
  size_t buffer_size_ = 0;  // usable bytes, excluding the SIMDJSON_PADDING after them
  size_t begin_ = 0;        // first unread byte
  size_t end_ = 0;          // one past the last byte read
  bool eof_ = false;
  bool at_start_ = true;
  int64_t line_number_ = 0;
  int64_t bytes_read_ = 0;
};

// The whole file with simdjson's padding, for multiLine documents (a UTF-8 BOM is replaced
// by spaces so that line numbers and offsets stay those of the file).
Result<simdjson::padded_string> ReadPaddedFile(const std::string& path);

// OK when simdjson's exported functions come from libsimdjson (or this binary). pyarrow's
// libparquet bundles another simdjson with the same symbol names; if it is searched first
// the On-Demand code compiled against our header calls into it and crashes, so readers
// check this once and fail with a message instead.
Status CheckSimdjsonLinkage();

// 1-based line number of `offset` bytes into `text`.
int64_t LineOfOffset(std::string_view text, size_t offset);

}  // namespace inlet::json
