// Bytes of JSON files as simdjson wants them: NDJSON split into lines in place inside a
// reused, padded read buffer (no copy per line), or a whole multiLine file padded.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
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
  int64_t number = 0;  // 1-based line number in the file (in the range, for a ranged read)
  int64_t offset = 0;  // byte offset of the line's first byte in the file
};

// Reads a file in large chunks and hands out its lines: skips a UTF-8 BOM at the start,
// strips a trailing '\r' (CRLF files), skips blank lines, and returns a last line that has
// no newline. The buffer grows only for lines longer than it.
class NdjsonLineReader {
 public:
  static constexpr size_t kDefaultChunk = 4 << 20;

  ~NdjsonLineReader();
  // A ranged reader hands out the lines that START in [range_begin, range_end) (a line
  // that crosses range_end is read to its end; one that crosses range_begin belongs to
  // the range before), so ranges that tile a file read every line exactly once.
  // range_end < 0 means the end of the file.
  Status Open(const std::string& path, size_t chunk_size = kDefaultChunk, int64_t range_begin = 0,
              int64_t range_end = -1);
  // Sets *line and returns true, or returns false at the end of the file. The line stays
  // valid until the next call.
  Result<bool> Next(JsonLine* line);
  int64_t bytes_read() const { return bytes_read_; }
  // The file's line number of a line this reader numbered `number`: the same for a read
  // from the start; for a ranged read the lines before the range are counted (a read of
  // the file's head, done only when asked, e.g. for an error message).
  Result<int64_t> FileLineNumber(int64_t number);

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
  int64_t buffer_offset_ = 0;  // file offset of buffer_[0]
  int64_t range_begin_ = 0;
  int64_t range_end_ = -1;
  bool skip_partial_line_ = false;  // ranged read: drop up to the first newline
  int64_t first_line_offset_ = -1;
  std::optional<int64_t> lines_before_range_;
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
