// `inlet history`: one entry per JSON commit still in the log, newest first.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "inlet/delta/log_files.h"
#include "inlet/delta/table.h"
#include "inlet/delta/log_store.h"

namespace inlet::delta {
namespace {

// Rows a commit added: the sum of its files' stats numRecords, or the commitInfo's
// numOutputRows metric when some file has no stats (written by an engine without them).
int64_t RowsAdded(const CommitActions& actions) {
  int64_t rows = 0;
  bool complete = true;
  for (const AddFile& add : actions.adds) {
    auto stats = nlohmann::json::parse(add.stats, nullptr, /*allow_exceptions=*/false);
    const bool has_count = stats.is_object() && stats.contains("numRecords") &&
                           stats["numRecords"].is_number_integer();
    // A sum that overflows (stats from a broken writer) counts as missing stats, not as
    // undefined behaviour (found by fuzz/fuzz_delta_log).
    int64_t sum = 0;
    if (has_count && !__builtin_add_overflow(rows, stats["numRecords"].get<int64_t>(), &sum)) {
      rows = sum;
    } else {
      complete = false;
    }
  }
  if (complete || !actions.commit_info) return rows;
  auto it = actions.commit_info->operation_metrics.find("numOutputRows");
  if (it == actions.commit_info->operation_metrics.end()) return rows;
  try {
    return std::stoll(it->second);
  } catch (const std::exception&) {
    return rows;
  }
}

}  // namespace

Result<std::vector<HistoryEntry>> ReadHistory(const std::string& table_uri) {
  INLET_ASSIGN_OR_RAISE(storage::Place table, storage::Resolve("", table_uri));
  return ReadHistory(table);
}

Result<std::vector<HistoryEntry>> ReadHistory(const storage::Place& table) {
  const LogStore log(table);
  INLET_ASSIGN_OR_RAISE(LogListing listing, log.List());
  std::vector<HistoryEntry> entries;
  entries.reserve(listing.commits.size());
  for (auto it = listing.commits.rbegin(); it != listing.commits.rend(); ++it) {
    const std::string path = log.PathOf(CommitFileName(*it));
    INLET_ASSIGN_OR_RAISE(std::string text, log.ReadEntry(*it));
    INLET_ASSIGN_OR_RAISE(CommitActions actions, ParseCommit(text, path));
    HistoryEntry entry;
    entry.version = *it;
    if (actions.commit_info) entry.commit_info = *actions.commit_info;
    entry.files_added = static_cast<int64_t>(actions.adds.size());
    entry.files_removed = static_cast<int64_t>(actions.removes.size());
    entry.rows_added = RowsAdded(actions);
    entries.push_back(std::move(entry));
  }
  return entries;
}

}  // namespace inlet::delta
