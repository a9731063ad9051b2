// Numbered change and snapshot objects of a remote file state (file_state_changelog.h).
#include "inlet/source/file_state_changelog.h"

#include <fmt/format.h>

namespace inlet::source {
namespace {

constexpr const char* kChanges = "changes";
constexpr const char* kSnapshots = "snapshots";

Result<std::vector<int64_t>> Numbered(storage::FileSystem& fs, const std::string& dir) {
  INLET_ASSIGN_OR_RAISE(auto entries, fs.ListDir(dir));
  std::vector<int64_t> numbers;
  for (const storage::FileInfo& entry : entries) {
    if (auto number = storage::NumberedName(entry.name); number && entry.is_file()) numbers.push_back(*number);
  }
  return numbers;
}

std::optional<int64_t> Max(const std::vector<int64_t>& numbers) {
  std::optional<int64_t> max;
  for (int64_t n : numbers) max = max ? std::max(*max, n) : n;
  return max;
}

}  // namespace

std::string FileStateChangelog::PathOf(const char* kind, int64_t version) const {
  return fmt::format("{}/{}/{}", root_.path, kind, version);
}

Result<FileStateChangelog::Versions> FileStateChangelog::List() const {
  INLET_ASSIGN_OR_RAISE(auto changes, Numbered(*root_.fs, root_.path + "/" + kChanges));
  INLET_ASSIGN_OR_RAISE(auto snapshots, Numbered(*root_.fs, root_.path + "/" + kSnapshots));
  return Versions{Max(changes), Max(snapshots)};
}

Result<std::string> FileStateChangelog::ReadChange(int64_t version) const {
  return root_.fs->ReadFile(PathOf(kChanges, version));
}

Status FileStateChangelog::WriteChange(int64_t version, std::string_view batch) const {
  INLET_RETURN_NOT_OK(root_.fs->CreateDirs(root_.path + "/" + kChanges));
  return root_.fs->WriteFile(PathOf(kChanges, version), batch, storage::WriteMode::kCreateIfAbsent);
}

Result<std::string> FileStateChangelog::ReadSnapshot(int64_t version) const {
  return root_.fs->ReadFile(PathOf(kSnapshots, version));
}

Status FileStateChangelog::WriteSnapshot(int64_t version, std::string_view batch) const {
  INLET_RETURN_NOT_OK(root_.fs->CreateDirs(root_.path + "/" + kSnapshots));
  INLET_RETURN_NOT_OK(root_.fs->WriteFile(PathOf(kSnapshots, version), batch, storage::WriteMode::kReplace));
  // Only now are the changes it covers redundant; a crash before this leaves extra objects.
  INLET_ASSIGN_OR_RAISE(auto changes, Numbered(*root_.fs, root_.path + "/" + kChanges));
  for (int64_t n : changes) {
    if (n <= version) INLET_RETURN_NOT_OK(root_.fs->Delete(PathOf(kChanges, n)));
  }
  INLET_ASSIGN_OR_RAISE(auto snapshots, Numbered(*root_.fs, root_.path + "/" + kSnapshots));
  for (int64_t n : snapshots) {
    if (n < version) INLET_RETURN_NOT_OK(root_.fs->Delete(PathOf(kSnapshots, n)));
  }
  return Status::OK();
}

}  // namespace inlet::source
