// Snapshot loading (newest checkpoint + later JSON commits) and put-if-absent commits.
#include "inlet/delta/table.h"

#include <unordered_map>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "inlet/delta/checkpoint.h"
#include "inlet/delta/log_files.h"
#include "inlet/delta/log_store.h"

namespace inlet::delta {
namespace {

// Replays actions in log order. Files keep the order of their first add; a remove frees the
// path, and a later add of the same path appends it again.
class StateBuilder {
 public:
  void Add(AddFile add) {
    tombstones_.erase(add.path);
    auto it = index_.find(add.path);
    if (it != index_.end() && files_[it->second]) {
      *files_[it->second] = std::move(add);  // re-added (e.g. new stats): latest wins
      return;
    }
    index_[add.path] = files_.size();
    files_.push_back(std::move(add));
  }

  void Remove(RemoveFile remove) {
    auto it = index_.find(remove.path);
    if (it != index_.end()) {
      files_[it->second].reset();
      index_.erase(it);
    }
    tombstones_[remove.path] = std::move(remove);
  }

  std::vector<AddFile> TakeFiles() {
    std::vector<AddFile> out;
    out.reserve(index_.size());
    for (auto& file : files_) {
      if (file) out.push_back(std::move(*file));
    }
    return out;
  }

  std::vector<RemoveFile> TakeTombstones() {
    std::vector<RemoveFile> out;
    for (auto& [path, remove] : tombstones_) out.push_back(std::move(remove));
    return out;
  }

 private:
  std::vector<std::optional<AddFile>> files_;
  std::unordered_map<std::string, size_t> index_;
  std::map<std::string, RemoveFile> tombstones_;
};

// The version _delta_log/_last_checkpoint points at, if the file exists and parses.
std::optional<int64_t> LastCheckpointHint(const storage::Place& table) {
  auto text = table.fs->ReadFile(LogDir(table.path) + "/_last_checkpoint");
  if (!text.ok()) return std::nullopt;
  auto json = nlohmann::json::parse(*text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || !json.contains("version") ||
      !json["version"].is_number_integer()) {
    return std::nullopt;
  }
  return json["version"].get<int64_t>();
}

}  // namespace

Result<Snapshot> Snapshot::Load(const std::string& table_uri) {
  INLET_ASSIGN_OR_RAISE(storage::Place table, storage::Resolve("", table_uri));
  return Load(table);
}

Result<Snapshot> Snapshot::Load(const storage::Place& table) {
  Snapshot snapshot;
  snapshot.table_ = table;
  const std::string& table_dir = table.path;
  const LogStore log(table);
  INLET_ASSIGN_OR_RAISE(LogListing listing, log.List());
  if (listing.commits.empty() && listing.checkpoints.empty() && listing.v2_checkpoints.empty()) return snapshot;

  // _last_checkpoint is where readers start; a newer complete checkpoint in the listing
  // (a writer that died before updating _last_checkpoint) is used instead, and one the
  // hint names but that is gone is ignored.
  int64_t checkpoint_version = -1;
  if (auto hint = LastCheckpointHint(table);
      hint && (listing.checkpoints.count(*hint) || listing.v2_checkpoints.count(*hint))) {
    checkpoint_version = *hint;
  }
  if (!listing.checkpoints.empty()) {
    checkpoint_version = std::max(checkpoint_version, listing.checkpoints.rbegin()->first);
  }
  if (!listing.v2_checkpoints.empty()) {
    checkpoint_version = std::max(checkpoint_version, listing.v2_checkpoints.rbegin()->first);
  }

  StateBuilder state;
  if (checkpoint_version >= 0) {
    CheckpointActions checkpoint;
    if (auto v2 = listing.v2_checkpoints.find(checkpoint_version); v2 != listing.v2_checkpoints.end()) {
      INLET_RETURN_NOT_OK(ReadV2Checkpoint(table, v2->second, &checkpoint));
    } else {
      for (const std::string& part : listing.checkpoints[checkpoint_version]) {
        INLET_RETURN_NOT_OK(ReadCheckpointPart(*table.fs, part, &checkpoint));
      }
      // A v2 checkpoint may also carry the classic name: its actions are in sidecars.
      if (!checkpoint.sidecars.empty()) {
        if (listing.checkpoints[checkpoint_version].size() != 1) {
          return Status::Invalid(fmt::format("multi-part checkpoint {} of '{}' names sidecar files",
                                             checkpoint_version, table_dir));
        }
        CheckpointActions with_sidecars;
        INLET_RETURN_NOT_OK(ReadV2Checkpoint(table, listing.checkpoints[checkpoint_version][0], &with_sidecars));
        checkpoint = std::move(with_sidecars);
      }
    }
    if (!checkpoint.protocol || !checkpoint.metadata) {
      return Status::Invalid(fmt::format(
          "checkpoint {} of '{}' has no protocol or metaData action", checkpoint_version,
          table_dir));
    }
    snapshot.protocol_ = *checkpoint.protocol;
    snapshot.metadata_ = std::move(*checkpoint.metadata);
    for (Txn& txn : checkpoint.txns) snapshot.txns_[txn.app_id] = std::move(txn);
    for (RemoveFile& remove : checkpoint.removes) state.Remove(std::move(remove));
    for (AddFile& add : checkpoint.adds) state.Add(std::move(add));
    snapshot.version_ = checkpoint_version;
  }

  bool has_protocol = checkpoint_version >= 0, has_metadata = checkpoint_version >= 0;
  for (int64_t version : listing.commits) {
    if (version <= checkpoint_version) continue;
    if (version != snapshot.version_ + 1) {
      return Status::Invalid(fmt::format(
          "Delta log of '{}' is missing version {} (next commit found is {})", table_dir,
          snapshot.version_ + 1, version));
    }
    const std::string path = log.PathOf(CommitFileName(version));
    INLET_ASSIGN_OR_RAISE(std::string text, log.ReadEntry(version));
    INLET_ASSIGN_OR_RAISE(CommitActions actions, ParseCommit(text, path));
    if (actions.protocol) {
      snapshot.protocol_ = *actions.protocol;
      has_protocol = true;
    }
    if (actions.metadata) {
      snapshot.metadata_ = std::move(*actions.metadata);
      has_metadata = true;
    }
    if (actions.txn) snapshot.txns_[actions.txn->app_id] = std::move(*actions.txn);
    for (RemoveFile& remove : actions.removes) state.Remove(std::move(remove));
    for (AddFile& add : actions.adds) state.Add(std::move(add));
    snapshot.version_ = version;
  }
  if (snapshot.version_ >= 0 && (!has_protocol || !has_metadata)) {
    return Status::Invalid(fmt::format(
        "Delta table '{}' at version {} has no {} action", table_dir, snapshot.version_,
        has_protocol ? "metaData" : "protocol"));
  }
  snapshot.files_ = state.TakeFiles();
  snapshot.tombstones_ = state.TakeTombstones();
  return snapshot;
}

std::optional<int64_t> Snapshot::TxnVersion(const std::string& app_id) const {
  auto it = txns_.find(app_id);
  if (it == txns_.end()) return std::nullopt;
  return it->second.version;
}

Status WriteCommit(const storage::Place& table, int64_t version, const CommitActions& actions) {
  return LogStore(table).WriteCommitEntry(version, SerializeCommit(actions));
}

Status WriteCommit(const std::string& table_uri, int64_t version, const CommitActions& actions) {
  INLET_ASSIGN_OR_RAISE(storage::Place table, storage::Resolve("", table_uri));
  return WriteCommit(table, version, actions);
}

}  // namespace inlet::delta
