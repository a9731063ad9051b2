// Recognizes commit and checkpoint files by name, as PROTOCOL.md names them:
// <20 digits>.json, <20 digits>.checkpoint.parquet, <20 digits>.checkpoint.<10>.<10>.parquet,
// and v2 checkpoints <20 digits>.checkpoint.<uuid>.json|parquet.
#include "inlet/delta/log_files.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>

namespace inlet::delta {
namespace {

bool AllDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int64_t ParseDigits(std::string_view text) {
  int64_t value = 0;
  for (char c : text) value = value * 10 + (c - '0');
  return value;
}

// 8-4-4-4-12 hex digits.
bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

}  // namespace

std::string LogDir(const std::string& table_dir) { return table_dir + "/_delta_log"; }

std::string CheckpointFileName(int64_t version) {
  return fmt::format("_delta_log/{:020d}.checkpoint.parquet", version);
}

Result<LogListing> ListLog(const storage::Place& table) {
  LogListing listing;
  const std::string dir = LogDir(table.path);
  INLET_ASSIGN_OR_RAISE(std::vector<storage::FileInfo> entries, table.fs->ListDir(dir));

  // version -> (expected parts, parts seen) for multi-part checkpoints.
  std::map<int64_t, std::pair<int64_t, std::set<std::string>>> multipart;
  for (const storage::FileInfo& entry : entries) {
    const std::string& name = entry.name;
    if (name.size() < 21 || !AllDigits(std::string_view(name).substr(0, 20)) || name[20] != '.') {
      continue;
    }
    int64_t version = ParseDigits(std::string_view(name).substr(0, 20));
    std::string_view rest = std::string_view(name).substr(21);
    if (rest == "json") {
      listing.commits.push_back(version);
    } else if (rest == "checkpoint.parquet") {
      listing.checkpoints[version] = {entry.path};
    } else if (rest.size() == 40 && rest.substr(0, 11) == "checkpoint." &&
               AllDigits(rest.substr(11, 10)) && rest[21] == '.' &&
               AllDigits(rest.substr(22, 10)) && rest.substr(32) == ".parquet") {
      auto& [parts, seen] = multipart[version];
      parts = ParseDigits(rest.substr(22, 10));
      seen.insert(entry.path);
    } else if (rest.rfind("checkpoint.", 0) == 0 && rest.size() >= 11 + 36 + 5 && IsUuid(rest.substr(11, 36)) &&
               (rest.substr(47) == ".json" || rest.substr(47) == ".parquet")) {
      // Several writers may checkpoint one version: any complete one will do, the first
      // by name keeps loads repeatable.
      auto [it, inserted] = listing.v2_checkpoints.emplace(version, entry.path);
      if (!inserted && entry.path < it->second) it->second = entry.path;
    }
  }
  for (auto& [version, parts_and_seen] : multipart) {
    auto& [parts, seen] = parts_and_seen;
    if (static_cast<int64_t>(seen.size()) == parts && !listing.checkpoints.count(version)) {
      listing.checkpoints[version] = std::vector<std::string>(seen.begin(), seen.end());
    }
  }
  std::sort(listing.commits.begin(), listing.commits.end());
  return listing;
}

}  // namespace inlet::delta
