// pread(2) of a file's last byte, or of the head and tail of a prefix: never the whole file.
#include "inlet/source/file_content.h"

#include <algorithm>
#include <vector>

#include <arrow/io/interfaces.h>

#include <fmt/format.h>

#include "inlet/storage/file_system.h"
#include "inlet/util/strings.h"

namespace inlet::source {
namespace {

using SourceFile = std::shared_ptr<arrow::io::RandomAccessFile>;

// The file at `path` (a path or URI) on its storage.
Result<SourceFile> OpenSource(const std::string& path) {
  INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("", path));
  auto file = place.fs->OpenForRead(place.path);
  if (!file.ok()) return Status::IOError(fmt::format("cannot open '{}': {}", path, file.status().message()));
  return file;
}

// Reads [offset, offset + size) fully; fewer bytes only at the end of the file.
Result<std::string> ReadAt(const SourceFile& file, const std::string& path, int64_t offset, int64_t size) {
  std::string out(static_cast<size_t>(size), '\0');
  size_t got = 0;
  while (got < out.size()) {
    auto n = file->ReadAt(offset + static_cast<int64_t>(got), static_cast<int64_t>(out.size() - got), out.data() + got);
    if (!n.ok()) return Status::IOError(fmt::format("cannot read '{}': {}", path, n.status().message()));
    if (*n == 0) break;
    got += static_cast<size_t>(*n);
  }
  out.resize(got);
  return out;
}

void Fnv1a(std::string_view bytes, uint64_t* hash) {
  for (unsigned char c : bytes) {
    *hash ^= c;
    *hash *= 0x100000001b3ULL;
  }
}

}  // namespace

bool IsCompressedPath(const std::string& path) {
  std::string lower = AsciiLower(path);
  for (std::string_view ext : {".gz", ".zst", ".zstd"}) {
    if (lower.size() >= ext.size() && lower.compare(lower.size() - ext.size(), ext.size(), ext) == 0) return true;
  }
  return false;
}

Result<FileTail> ReadFileTail(const std::string& path, const std::function<bool(char)>& ends_complete) {
  FileTail tail;
  if (IsCompressedPath(path)) {
    tail.inspectable = false;
    return tail;
  }
  INLET_ASSIGN_OR_RAISE(SourceFile file, OpenSource(path));
  auto size = file->GetSize();
  if (!size.ok()) return Status::IOError(fmt::format("cannot stat '{}': {}", path, size.status().message()));
  const int64_t end = *size;
  if (end == 0) {
    tail.empty = true;
    return tail;
  }
  INLET_ASSIGN_OR_RAISE(std::string last, ReadAt(file, path, end - 1, 1));
  if (last.empty()) {  // truncated between the seek and the read: as good as empty
    tail.empty = true;
    return tail;
  }
  const char c = last[0];
  tail.complete = ends_complete(c);
  return tail;
}

bool IsStillBeingWritten(const DiscoveredFile& file, const FileTail& tail, int64_t now_ms, int64_t settle_ms) {
  if (settle_ms <= 0) return false;
  // A modification time in the future (clock skew with a remote writer) counts as fresh.
  if (now_ms - file.modification_time_ms >= settle_ms) return false;
  // A compressed file's last byte says nothing; one cut short fails its batch loudly (the
  // reader names it) and the plan is redone, so it is not held back on its age alone.
  if (!tail.inspectable) return false;
  return tail.empty || !tail.complete;
}

Result<std::optional<PrefixFingerprint>> FingerprintPrefix(const std::string& path, int64_t size) {
  INLET_ASSIGN_OR_RAISE(SourceFile file, OpenSource(path));
  PrefixFingerprint print;
  print.hash = 0xcbf29ce484222325ULL;
  const std::string size_text = std::to_string(size);
  Fnv1a(size_text, &print.hash);
  if (size <= 0) {
    print.ends_at_line = true;
    return std::optional<PrefixFingerprint>(print);
  }
  const int64_t head = std::min(size, kHeadBytes);
  INLET_ASSIGN_OR_RAISE(std::string head_bytes, ReadAt(file, path, 0, head));
  if (static_cast<int64_t>(head_bytes.size()) < head) return std::optional<PrefixFingerprint>();
  Fnv1a(head_bytes, &print.hash);
  const int64_t tail_begin = std::max(head, size - kTailBytes);
  INLET_ASSIGN_OR_RAISE(std::string tail_bytes, ReadAt(file, path, tail_begin, size - tail_begin));
  if (static_cast<int64_t>(tail_bytes.size()) < size - tail_begin) return std::optional<PrefixFingerprint>();
  Fnv1a(tail_bytes, &print.hash);
  const char last = tail_bytes.empty() ? head_bytes.back() : tail_bytes.back();
  print.ends_at_line = last == '\n';
  return std::optional<PrefixFingerprint>(print);
}

}  // namespace inlet::source
