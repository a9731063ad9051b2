// Resolving a location to its backend. A new backend adds its file and one row in
// kBackends.
#include "inlet/storage/file_system.h"

#include <array>
#include <charconv>

#include <fmt/format.h>

#include "inlet/storage/local_file_system.h"
#include "inlet/storage/location.h"
#include "inlet/storage/object_store/object_store_file_system.h"

namespace inlet::storage {
namespace {

using Opener = Result<Place> (*)(std::string_view what, const Location& location);

Result<Place> OpenLocal(std::string_view, const Location& location) { return Place{Local(), location.path}; }

Result<Place> OpenObjectStoreAt(std::string_view what, const Location& location) {
  auto fs = OpenObjectStore(location);
  if (!fs.ok()) return Status::Invalid(what.empty() ? "" : std::string(what) + ": ", fs.status().message());
  return Place{*fs, location.path};
}

struct BackendEntry {
  Backend backend;
  Opener open;
};

constexpr std::array<BackendEntry, 4> kBackends = {{
    {Backend::kLocal, OpenLocal},
    {Backend::kS3, OpenObjectStoreAt},
    {Backend::kAzure, OpenObjectStoreAt},
    {Backend::kGcs, OpenObjectStoreAt},
}};

}  // namespace

std::vector<std::optional<FileInfo>> FileSystem::StatFiles(const std::vector<std::string>& paths) {
  std::vector<std::optional<FileInfo>> found;
  found.reserve(paths.size());
  for (const std::string& path : paths) {
    auto info = Stat(path);
    found.push_back(info.ok() && info->has_value() && !(*info)->is_directory() ? std::move(*info) : std::nullopt);
  }
  return found;
}

Place Place::Child(std::string_view relative) const {
  if (relative.empty()) return *this;
  if (path.empty() || path.back() == '/') return Place{fs, path + std::string(relative)};
  return Place{fs, path + "/" + std::string(relative)};
}

Result<Place> Resolve(std::string_view what, std::string_view uri) {
  INLET_ASSIGN_OR_RAISE(Location location, ParseLocation(what, uri));
  for (const BackendEntry& entry : kBackends) {
    if (entry.backend == location.backend) return entry.open(what, location);
  }
  return Status::Invalid("no backend for '", uri, "'");
}

std::shared_ptr<FileSystem> Local() {
  static const std::shared_ptr<FileSystem> local = NewLocalFileSystem();
  return local;
}

std::optional<int64_t> NumberedName(std::string_view name) {
  int64_t number = 0;
  const char* end = name.data() + name.size();
  auto [ptr, err] = std::from_chars(name.data(), end, number);
  if (err != std::errc() || ptr != end) return std::nullopt;
  return number;
}

bool Exists(const Place& place) {
  auto info = place.fs->Stat(place.path);
  return info.ok() && info->has_value();
}

bool ExistsAt(std::string_view uri) {
  auto place = Resolve("", uri);
  return place.ok() && Exists(*place);
}

Result<std::vector<FileInfo>> FileSystem::ListFilesAfter(const std::string& dir, const std::string&) {
  return Status::NotImplemented(fmt::format("'{}' has no listing from a start key", dir));
}

}  // namespace inlet::storage
