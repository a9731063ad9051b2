// Listing the landing zone: expands the --source glob one path component at a time with
// the source's FileSystem (ListDir/Stat), then applies pathGlobFilter and
// recursiveFileLookup.
#include "inlet/source/discovery.h"

#include <fnmatch.h>

#include <algorithm>
#include <map>
#include <cstring>
#include <set>
#include <unordered_set>
#include <tuple>
#include <utility>

#include <arrow/util/io_util.h>
#include <fmt/format.h>

#include "inlet/source/directories.h"
#include "inlet/storage/file_system.h"

namespace inlet::source {
namespace {

// Expands the first top-level {a,b,...} group in `pattern` (nesting allowed), recursively,
// so fnmatch(3), which knows no braces, sees only plain alternatives.
void ExpandBraces(const std::string& pattern, std::vector<std::string>* out) {
  size_t open = std::string::npos;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;  // an escaped character is never a brace
    } else if (pattern[i] == '{') {
      open = i;
      break;
    }
  }
  if (open == std::string::npos) {
    out->push_back(pattern);
    return;
  }
  std::vector<std::string> alternatives;
  std::string current;
  int depth = 0;
  size_t close = std::string::npos;
  for (size_t i = open + 1; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size()) {
      current += c;
      current += pattern[++i];
      continue;
    }
    if (c == '{') ++depth;
    if (c == '}') {
      if (depth == 0) {
        close = i;
        break;
      }
      --depth;
    }
    if (c == ',' && depth == 0) {
      alternatives.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  if (close == std::string::npos) {
    // An unmatched '{' is a literal character, as fnmatch treats it.
    out->push_back(pattern);
    return;
  }
  alternatives.push_back(std::move(current));
  std::string prefix = pattern.substr(0, open);
  std::string suffix = pattern.substr(close + 1);
  for (const std::string& alt : alternatives) ExpandBraces(prefix + alt + suffix, out);
}

bool HasGlob(const std::string& component) {
  return component.find_first_of("*?[{\\") != std::string::npos;
}

// Spark's rule for files it never reads: hidden (.x), metadata (_x, except partition
// directories like _col=1) and Hadoop copies still in flight (x._COPYING_).
bool IsHiddenName(const std::string& name) {
  if (name.empty() || name[0] == '.') return true;
  if (name[0] == '_' && name.find('=') == std::string::npos) return true;
  constexpr std::string_view kCopying = "._COPYING_";
  return name.size() >= kCopying.size() &&
         name.compare(name.size() - kCopying.size(), kCopying.size(), kCopying) == 0;
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

using Entry = storage::FileInfo;

// Why a listing or stat failed, as strerror says it when the backend gave an errno.
std::string ReasonOf(const Status& status) {
  const int error = arrow::internal::ErrnoFromStatus(status);
  return error > 0 ? std::strerror(error) : status.message();
}

// An entry that cannot be examined (a symlink loop, permission denied, an I/O error): it is
// skipped, so one bad entry never stops the stream, and reported when it could hold files
// the stream wants (see Lister::Skip), because a silent skip could hide data.
struct Unexaminable {
  std::string path;
  std::string reason;
};

// One directory's visible entries (examined, symlinks followed), and what in it could not
// be examined.
struct DirContents {
  std::vector<Entry> entries;
  std::vector<Unexaminable> unexaminable;
  bool unreadable = false;  // the directory itself (then it is in `unexaminable`)
};

// Reads each of `dirs`, listed together. A directory that vanished lists as empty: the
// landing zone may not exist yet, or a directory may be removed while we list. A directory
// that cannot be read, or an entry that cannot be examined, goes to `unexaminable` and the
// listing goes on.
std::vector<DirContents> ReadDirs(Directories& source, const std::vector<Entry>& dirs) {
  std::vector<std::string> paths;
  for (const Entry& dir : dirs) paths.push_back(dir.path);
  auto listings = source.ListAll(paths);
  std::vector<DirContents> read(dirs.size());
  for (size_t d = 0; d < dirs.size(); ++d) {
    if (!listings[d].ok()) {
      read[d].unreadable = true;
      read[d].unexaminable.push_back({paths[d], ReasonOf(listings[d].status())});
      continue;
    }
    for (Entry& entry : *listings[d]) {
      if (IsHiddenName(entry.name)) continue;
      if (!entry.error.empty()) {
        read[d].unexaminable.push_back({std::move(entry.path), std::move(entry.error)});
        continue;
      }
      read[d].entries.push_back(std::move(entry));
    }
  }
  return read;
}

Entry Unlisted(std::string path) {
  Entry entry;
  entry.path = std::move(path);
  return entry;
}

class Lister {
 public:
  Lister(const DiscoveryOptions& options, Directories& dirs) : dirs_(dirs) {
    if (options.path_glob_filter) ExpandBraces(*options.path_glob_filter, &filter_);
  }

  // Expands `components` one at a time below `base` (literal components are joined, glob
  // components matched against directory entries), appending every existing match.
  void Expand(const std::string& base, const std::vector<std::string>& components, std::vector<Entry>* matches) {
    // A match found by listing a directory keeps the stat it was listed with; only
    // literal components need one of their own.
    std::vector<Entry> current;
    current.push_back(Unlisted(base));
    bool stated = false;
    for (const std::string& component : components) {
      std::vector<Entry> next;
      if (!HasGlob(component)) {
        for (const Entry& dir : current) next.push_back(Unlisted(Join(dir.path, component)));
        stated = false;
      } else {
        std::vector<std::string> alternatives;
        ExpandBraces(component, &alternatives);
        for (DirContents& dir : ReadDirs(dirs_, current)) {
          for (Unexaminable& u : dir.unexaminable) {
            // The directory itself, or an entry the pattern would have taken.
            if (dir.unreadable || MatchesAny(alternatives, BasenameOf(u.path))) Skip(u);
          }
          for (Entry& e : dir.entries) {
            if (MatchesAny(alternatives, BasenameOf(e.path))) next.push_back(std::move(e));
          }
        }
        stated = true;
      }
      current = std::move(next);
    }
    for (Entry& entry : current) {
      if (stated) {
        matches->push_back(std::move(entry));
        continue;
      }
      auto info = dirs_.Stat(entry.path);
      if (!info.ok()) {
        Skip({entry.path, ReasonOf(info.status())});  // named by the pattern
      } else if (info->has_value()) {
        matches->push_back(std::move(**info));
      }
    }
  }

  // Files directly in `top`, or at any depth when `recursive`; each file's name must match
  // `name_glob` (if any) and pathGlobFilter. Walked a level at a time, each level's
  // directories listed together.
  void ListDir(const Entry& top, bool recursive, const std::vector<std::string>* name_glob) {
    std::vector<Entry> level{top};
    while (!level.empty()) {
      std::vector<Entry> fresh;
      for (Entry& dir : level) {
        if (FirstVisit(dir)) fresh.push_back(std::move(dir));
      }
      std::vector<Entry> below;
      for (DirContents& dir : ReadDirs(dirs_, fresh)) {
        for (Unexaminable& u : dir.unexaminable) {
          // Recursive: any entry may be a directory of wanted files. Otherwise only one
          // whose name the stream would take is worth a warning.
          if (dir.unreadable || recursive || WantedName(BasenameOf(u.path), name_glob)) Skip(u);
        }
        for (Entry& e : dir.entries) {
          if (e.is_directory()) {
            if (recursive) below.push_back(std::move(e));
          } else if (e.is_file()) {
            if (name_glob != nullptr && !MatchesAny(*name_glob, BasenameOf(e.path))) continue;
            AddFile(e);
          }
        }
      }
      level = std::move(below);
    }
  }

  // Symlinked directories can form cycles, and two matches can overlap: each directory is
  // visited once (by identity where the file system has one, by path otherwise).
  bool FirstVisit(const Entry& dir) {
    const bool identified = dir.device != 0 || dir.inode != 0;
    return identified ? visited_.insert({dir.device, dir.inode}).second : visited_paths_.insert(dir.path).second;
  }

  bool WantedName(const char* name, const std::vector<std::string>* name_glob) const {
    if (name_glob != nullptr && !MatchesAny(*name_glob, name)) return false;
    return filter_.empty() || MatchesAny(filter_, name);
  }

  void Skip(const Unexaminable& u) {
    if (!skipped_seen_.insert(u.path).second) return;
    skipped_.push_back(
        fmt::format("cannot examine '{}' ({}); skipped, the listing goes on", u.path, u.reason));
  }

  void AddFile(const Entry& e) {
    if (!filter_.empty() && !MatchesAny(filter_, BasenameOf(e.path))) return;
    if (!seen_.insert(e.path).second) return;
    files_.push_back({e.path, e.size, e.modification_time_ms});
  }

  std::vector<DiscoveredFile> TakeFiles() { return std::move(files_); }
  std::vector<std::string> TakeSkipped() { return std::move(skipped_); }

 private:
  // The file name inside `path`, NUL-terminated because it ends the path (no copy).
  static const char* BasenameOf(const std::string& path) { return path.c_str() + path.find_last_of('/') + 1; }

  static bool MatchesAny(const std::vector<std::string>& alternatives, const char* name) {
    for (const std::string& alt : alternatives) {
      if (::fnmatch(alt.c_str(), name, 0) == 0) return true;
    }
    return false;
  }

  Directories& dirs_;
  std::vector<std::string> filter_;  // pathGlobFilter with braces expanded
  std::set<std::pair<uint64_t, uint64_t>> visited_;
  std::unordered_set<std::string> visited_paths_;
  std::unordered_set<std::string> seen_;
  std::vector<DiscoveredFile> files_;
  std::unordered_set<std::string> skipped_seen_;
  std::vector<std::string> skipped_;
};

}  // namespace

bool GlobMatch(const std::string& pattern, const std::string& name) {
  std::vector<std::string> alternatives;
  ExpandBraces(pattern, &alternatives);
  for (const std::string& alt : alternatives) {
    if (::fnmatch(alt.c_str(), name.c_str(), 0) == 0) return true;
  }
  return false;
}

// How the pattern is read:
//  - components before the first glob form the literal base directory;
//  - non-recursive: every path matching the whole pattern is taken; a matched file is a
//    candidate, a matched directory contributes the regular files directly inside it;
//  - recursive with a glob in the last component (/landing/*.json): the directory part
//    selects roots, and files at any depth below them whose name matches the last
//    component are candidates (Spark's recursiveFileLookup over a globbed path);
//  - recursive otherwise (/landing, /landing/*/ with a trailing slash): matched
//    directories are walked to any depth and all their files are candidates.
// pathGlobFilter then filters every candidate by file name.
Result<DiscoveredFile> StatFile(const std::string& path) {
  INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("", path));
  INLET_ASSIGN_OR_RAISE(auto info, place.fs->Stat(place.path));
  if (!info) return Status::IOError(fmt::format("cannot stat '{}': No such file or directory", path));
  return DiscoveredFile{path, info->size, info->modification_time_ms};
}

std::vector<std::optional<DiscoveredFile>> StatFiles(const std::vector<std::string>& paths) {
  std::vector<std::optional<DiscoveredFile>> found(paths.size());
  // Grouped by the file system that holds them, each group asked in one call.
  std::map<storage::FileSystem*, std::pair<std::shared_ptr<storage::FileSystem>, std::vector<size_t>>> groups;
  std::vector<std::string> resolved(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    auto place = storage::Resolve("", paths[i]);
    if (!place.ok()) continue;
    resolved[i] = place->path;
    auto& group = groups[place->fs.get()];
    group.first = place->fs;
    group.second.push_back(i);
  }
  for (auto& [raw, group] : groups) {
    std::vector<std::string> asked;
    for (size_t i : group.second) asked.push_back(resolved[i]);
    std::vector<std::optional<storage::FileInfo>> infos = group.first->StatFiles(asked);
    for (size_t k = 0; k < group.second.size(); ++k) {
      if (!infos[k]) continue;
      const size_t i = group.second[k];
      found[i] = DiscoveredFile{paths[i], infos[k]->size, infos[k]->modification_time_ms};
    }
  }
  return found;
}

Result<std::vector<DiscoveredFile>> ListFiles(const DiscoveryOptions& options, std::vector<std::string>* skipped,
                                              bool* listed_after) {
  if (options.pattern.empty()) return Status::Invalid("source pattern is empty");
  INLET_ASSIGN_OR_RAISE(storage::Place source, storage::Resolve("--source", options.pattern));
  INLET_ASSIGN_OR_RAISE(const std::string normalized, source.fs->Normalize(source.path));

  // The root ("/", or a URI's scheme://authority, the bucket), then components split on
  // '/'; a trailing slash says "the last component names directories".
  bool trailing_slash = normalized.size() > 1 && normalized.back() == '/';
  const size_t authority = normalized.find("://");
  const size_t root_end = authority == std::string::npos ? 0 : normalized.find('/', authority + 3);
  const std::string root =
      authority == std::string::npos ? "/" : normalized.substr(0, std::min(root_end, normalized.size()));
  std::vector<std::string> components;
  size_t start = authority == std::string::npos ? 1 : std::min(root_end, normalized.size()) + 1;
  while (start <= normalized.size()) {
    size_t slash = normalized.find('/', start);
    if (slash == std::string::npos) slash = normalized.size();
    if (slash > start) components.push_back(normalized.substr(start, slash - start));
    start = slash + 1;
  }

  size_t first_glob = components.size();
  for (size_t i = 0; i < components.size(); ++i) {
    if (HasGlob(components[i])) {
      first_glob = i;
      break;
    }
  }
  std::string base = root;
  for (size_t i = 0; i < first_glob; ++i) base = Join(base, components[i]);
  std::vector<std::string> rest(components.begin() + static_cast<std::ptrdiff_t>(first_glob),
                                components.end());

  std::unique_ptr<Directories> dirs = LiveDirectories(source.fs);
  if (listed_after != nullptr) *listed_after = false;
  if (options.list_after) {
    auto after = source.fs->ListFilesAfter(base, *options.list_after);
    if (after.ok()) {
      dirs = ListedDirectories(base, std::move(*after));
      if (listed_after != nullptr) *listed_after = true;
    } else if (!after.status().IsNotImplemented()) {
      return after.status();
    }
  }
  Lister lister(options, *dirs);
  bool last_is_name_glob =
      options.recursive && !rest.empty() && !trailing_slash && HasGlob(rest.back());
  std::vector<Entry> matches;
  std::vector<std::string> name_glob;
  if (last_is_name_glob) {
    ExpandBraces(rest.back(), &name_glob);
    rest.pop_back();
  }
  lister.Expand(base, rest, &matches);
  for (const Entry& m : matches) {
    if (m.is_directory()) {
      lister.ListDir(m, options.recursive, last_is_name_glob ? &name_glob : nullptr);
    } else if (m.is_file() && !last_is_name_glob) {
      lister.AddFile(m);
    }
  }

  std::vector<DiscoveredFile> files = lister.TakeFiles();
  if (skipped != nullptr) *skipped = lister.TakeSkipped();
  std::sort(files.begin(), files.end(), [](const DiscoveredFile& a, const DiscoveredFile& b) {
    return std::tie(a.modification_time_ms, a.path) < std::tie(b.modification_time_ms, b.path);
  });
  return files;
}

}  // namespace inlet::source
