// What a listed file's bytes say about it, read cheaply (a few KB whatever its size): is it
// still being written (a torn last line, modified moments ago), and is the part of it that
// was loaded still what it was (so only the bytes appended since may be loaded).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "inlet/source/discovery.h"
#include "inlet/util/status.h"

namespace inlet::source {

// .gz, .zst, .zstd (any case): their bytes cannot be inspected or loaded from an offset.
bool IsCompressedPath(const std::string& path);

// How a file ends: what the settle decision looks at.
struct FileTail {
  bool empty = false;             // no bytes at all (a writer has just created it)
  bool complete = false;          // ends the way a finished file does (see ReadFileTail)
  bool inspectable = true;        // false for .gz/.zst: the last byte says nothing
};

// Reads the last byte of `path`: complete when `ends_complete` says a finished file may end
// with it (the format's answer: '\n' for NDJSON; '}' or ']' too for a multiLine document).
// Compressed files are not inspectable. IOError naming the path when it cannot be read.
Result<FileTail> ReadFileTail(const std::string& path, const std::function<bool(char)>& ends_complete);

// The settle decision: a file is still being written, and must not be loaded yet, when it
// was modified less than `settle_ms` before `now_ms` and it is empty or ends with a torn
// line. Older than that, it is loaded as it is (a last line without newline is a record).
// A compressed file is never held back: its last byte says nothing, and one cut short
// fails its batch naming it (the batch is redone). settle_ms == 0 never defers.
bool IsStillBeingWritten(const DiscoveredFile& file, const FileTail& tail, int64_t now_ms, int64_t settle_ms);

// A fingerprint of the first `size` bytes of `path` for inlet.loadAppendedBytes: FNV-1a
// over `size`, the first kHeadBytes and the last kTailBytes of that prefix. Why not a hash
// of every loaded byte: checking it would re-read the whole file each time it grows (a file
// growing by a line per run would cost quadratic reads). A rewrite starts over (its head
// differs) or truncates (its size or tail differ); an edit in the middle of a large file
// that keeps head, tail and size is not caught, which append-only producers never do.
// nullopt when the file is shorter than `size` (it was truncated).
inline constexpr int64_t kHeadBytes = 4 << 10;
inline constexpr int64_t kTailBytes = 64 << 10;
struct PrefixFingerprint {
  uint64_t hash = 0;
  bool ends_at_line = false;  // byte size-1 is '\n' (or size is 0): appended lines start at size
};
Result<std::optional<PrefixFingerprint>> FingerprintPrefix(const std::string& path, int64_t size);

}  // namespace inlet::source
