// Finding candidate files in the landing zone: the --source glob, pathGlobFilter and
// recursiveFileLookup. Listing only; what was already loaded is FileStateStore's job.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "inlet/util/status.h"

namespace inlet::source {

struct DiscoveredFile {
  std::string path;  // absolute, normalized
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  // Set by planning, not by listing. inlet.loadAppendedBytes: load only the lines from this
  // offset on (a line boundary: the size an earlier batch loaded); 0 loads the whole file.
  int64_t load_from = 0;
  // inlet.loadAppendedBytes: FingerprintPrefix (file_content.h) of the first `size` bytes,
  // and of the first `load_from` bytes (what the earlier batches loaded), as planned.
  std::optional<uint64_t> fingerprint = std::nullopt;
  std::optional<uint64_t> load_from_fingerprint = std::nullopt;
};

struct DiscoveryOptions {
  // A path whose last components may hold glob characters (* ? [...] {a,b}), e.g.
  // /landing/iot/*.json or /landing/*/2024-*/*.json. A plain directory lists its files.
  std::string pattern;
  std::optional<std::string> path_glob_filter;  // glob on the file name only
  bool recursive = false;  // descend below the matched directories
  // Incremental listing: only the files whose path sorts after this one (the stream's
  // listing cursor) are listed, by one flat listing of everything below the pattern's
  // literal directory from that key on, then matched as a full listing would be. Where the
  // file system has no such listing (a local disk), a full listing is made instead.
  std::optional<std::string> list_after;
};

// Regular files that match, sorted by (modification time, path) so older files load first.
// Hidden files and names starting with '_' or '.' are skipped, as Spark does.
// An entry that cannot be examined (a symlink loop, a directory that cannot be read, an
// I/O error on one entry) is skipped and the listing goes on: one bad entry must not stop
// a stream. When it could hold files the stream wants (an unreadable directory, or an
// entry whose name the pattern would take), `skipped` (if given) gets a message naming it.
// Only an unusable pattern is an error.
// `listed_after` (if given) says whether the listing was the incremental one.
Result<std::vector<DiscoveredFile>> ListFiles(const DiscoveryOptions& options,
                                              std::vector<std::string>* skipped = nullptr,
                                              bool* listed_after = nullptr);

// One file's size and modification time now, as ListFiles reports them (the path kept as
// given); IOError naming the path when it cannot be stat'ed (e.g. it was deleted).
Result<DiscoveredFile> StatFile(const std::string& path);

// StatFile of many files at once (a plan's), in the order given: nullopt for one that is
// gone or cannot be examined. Cheaper than one StatFile each on object stores.
std::vector<std::optional<DiscoveredFile>> StatFiles(const std::vector<std::string>& paths);

// fnmatch-style match used by ListFiles, exposed for tests.
bool GlobMatch(const std::string& pattern, const std::string& name);

}  // namespace inlet::source
