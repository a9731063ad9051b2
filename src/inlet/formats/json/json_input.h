// Bytes of JSON files as simdjson wants them: NDJSON split into lines in place inside a
// reused, padded read buffer (no copy per line), or a whole multiLine file padded.
#pragma once

#include <arrow/io/interfaces.h>

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
  // Longer than the reader's line limit (SetLineLimit): `data`/`size` hold only the line's
  // first bytes (not JSON to parse), `full_size` its whole length.
  bool oversized = false;
  int64_t full_size = 0;
};

// Reads a file in large chunks and hands out its lines: skips a UTF-8 BOM at the start,
// strips a trailing '\r' (CRLF files), skips blank lines, and returns a last line that has
// no newline. The buffer grows only for lines longer than it, up to the line limit. .gz and
// .zst files are decompressed as they are read (offsets and line numbers are then those of
// the decompressed text); a corrupt or truncated one fails Next with an IOError naming the
// file, after the lines decoded before the damage were handed out.
class NdjsonLineReader {
 public:
  // Small enough that the text read is still in the core's cache when it is parsed (a
  // longer line grows the buffer). 4 MB cost about 2-3% more CPU on the 1 GB benchmark.
  static constexpr size_t kDefaultChunk = 256 << 10;
  static constexpr int64_t kDefaultMaxLineBytes = 64LL << 20;

  NdjsonLineReader();
  ~NdjsonLineReader();
  // A ranged reader hands out the lines that START in [range_begin, range_end) (a line
  // that crosses range_end is read to its end; one that crosses range_begin belongs to
  // the range before), so ranges that tile a file read every line exactly once.
  // range_end < 0 means the end of the file.
  // A compressed file cannot be read by range (Status::Invalid).
  Status Open(const std::string& path, size_t chunk_size = kDefaultChunk, int64_t range_begin = 0,
              int64_t range_end = -1);
  // Lines longer than `max_line_bytes` (inlet.maxRecordBytes; newline and CR excluded) are
  // handed out `oversized` with their first `keep_bytes` (at most max_line_bytes) only; the
  // rest is skipped without being buffered, so memory stays about max_line_bytes plus a
  // chunk. Call before the first Next.
  void SetLineLimit(int64_t max_line_bytes, size_t keep_bytes);
  // Sets *line and returns true, or returns false at the end of the file. The line stays
  // valid until the next call.
  Result<bool> Next(JsonLine* line);
  int64_t bytes_read() const { return bytes_read_; }  // decompressed, for .gz/.zst
  bool compressed() const { return decompressor_ != nullptr; }
  int64_t compressed_size() const { return compressed_size_; }  // on disk; 0 when not compressed
  size_t buffer_size() const { return buffer_size_; }           // what the read buffer holds
  // The file's line number of a line this reader numbered `number`: the same for a read
  // from the start; for a ranged read the lines before the range are counted (a read of
  // the file's head, done only when asked, e.g. for an error message).
  Result<int64_t> FileLineNumber(int64_t number);

 private:
  struct Decompressor;
  Status Fill();  // moves the unread tail to the front and reads more after it
  Result<size_t> ReadSome(char* out, size_t size);  // 0 at the end of the file
  Result<bool> SkipOversized(JsonLine* line, int64_t offset);

  std::string path_;
  std::shared_ptr<arrow::io::RandomAccessFile> file_;  // uncompressed files
  int64_t read_position_ = 0;
  std::unique_ptr<Decompressor> decompressor_;
  int64_t compressed_size_ = 0;
  int64_t max_line_bytes_ = kDefaultMaxLineBytes;
  size_t keep_bytes_ = 0;
  std::string oversized_prefix_;
  std::unique_ptr<char[]> buffer_;
  size_t buffer_size_ = 0;  // usable bytes, excluding the SIMDJSON_PADDING after them
  size_t begin_ = 0;        // first unread byte
  size_t end_ = 0;          // one past the last byte read
  bool eof_ = false;
  Status read_error_;  // a compressed file's damage, reported after the lines before it
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

// Compression of a JSON file by its name: ".gz" -> gzip, ".zst"/".zstd" -> zstd (case
// insensitive), else none. A compressed file is read whole by one reader: never by range.
enum class JsonCompression { kNone, kGzip, kZstd };
JsonCompression CompressionOfPath(const std::string& path);
inline bool IsCompressedJsonPath(const std::string& path) {
  return CompressionOfPath(path) != JsonCompression::kNone;
}

// The whole file with simdjson's padding, for multiLine documents (a UTF-8 BOM is replaced
// by spaces so that line numbers and offsets stay those of the file). .gz/.zst files are
// decompressed.
Result<simdjson::padded_string> ReadPaddedFile(const std::string& path);

// ReadPaddedFile with a size limit: a file whose (decompressed) text is longer than
// `max_bytes` comes back `oversized` with only its first `keep_bytes` in `text`, and the
// rest is never held in memory.
struct PaddedFile {
  simdjson::padded_string text;
  bool oversized = false;
  int64_t disk_bytes = 0;  // the file's size on disk (compressed size for .gz/.zst)
};
Result<PaddedFile> ReadPaddedFile(const std::string& path, int64_t max_bytes, size_t keep_bytes);

// The offset of the first '[' or '{' of `text` nested deeper than `max_depth` levels (the
// outermost object or array is level 1; brackets inside strings do not count), or -1.
// Cheap enough for every record: a text shorter than a valid value that deep
// (2 * (max_depth + 1) bytes) is not looked at (an unbalanced one is left to simdjson), and
// a vectorized count of brackets answers most others without the exact scan.
int64_t FindTooDeepNesting(const char* text, size_t size, int max_depth);

// One past the bracket closing the object or array `text` starts with (after spaces), or
// npos (not a container, or never closed). simdjson checks a document's last character
// against its first, so `{"a":1} 2` fails as "ended early"; this finds where the value
// really ended, so that what follows can be told apart.
size_t EndOfFirstContainer(std::string_view text);

// Why a record is malformed, in the words ReadJsonFile and inference both use.
std::string JsonErrorReason(simdjson::error_code error);  // "invalid JSON: ...", "invalid UTF-8"
// `in_array`: `found` is an element of the array a line holds (such an array must hold
// objects only, one record each).
std::string NotAnObjectReason(simdjson::ondemand::json_type found, bool in_array = false);
std::string TooDeepReason(int max_depth);
std::string TooLongReason(int64_t max_bytes);

// OK when simdjson's exported functions come from libsimdjson (or this binary). pyarrow's
// libparquet bundles another simdjson with the same symbol names; if it is searched first
// the On-Demand code compiled against our header calls into it and crashes, so readers
// check this once and fail with a message instead.
Status CheckSimdjsonLinkage();

// 1-based line number of `offset` bytes into `text`.
int64_t LineOfOffset(std::string_view text, size_t offset);

}  // namespace inlet::json
