// Checkpoint folder: stream id, lock, offsets/commits logs and the file state store.
#include "inlet/stream/checkpoint.h"

#include <cstdlib>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/util/ids.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/fault.h"

namespace inlet::stream {
namespace {

using nlohmann::json;

constexpr std::string_view kLogVersionLine = "v1\n";

std::string LogPath(const std::string& dir, const char* log, int64_t batch_id) {
  return fmt::format("{}/{}/{}", dir, log, batch_id);
}

// Strips the "v1" line Spark puts in front of offset and commit log entries.
Result<std::string_view> LogBody(std::string_view text, const std::string& path) {
  if (text.substr(0, kLogVersionLine.size()) != kLogVersionLine) {
    return Status::Invalid(fmt::format("checkpoint file '{}' does not start with v1", path));
  }
  return text.substr(kLogVersionLine.size());
}

// RocksDB needs a local disk: a remote checkpoint's file state is worked on in a local
// folder named after the checkpoint, under INLET_CACHE_DIR ($XDG_CACHE_HOME/inlet, or
// ~/.cache/inlet). Losing it costs only a rebuild from the remote change log.
std::string WorkingCopyDir(const std::string& checkpoint_uri) {
  std::string base;
  if (const char* dir = std::getenv("INLET_CACHE_DIR"); dir && *dir) {
    base = dir;
  } else if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    base = std::string(xdg) + "/inlet";
  } else if (const char* home = std::getenv("HOME"); home && *home) {
    base = std::string(home) + "/.cache/inlet";
  } else {
    base = "/tmp/inlet-cache";
  }
  uint64_t hash = 1469598103934665603ULL;  // FNV-1a: stable across builds, unlike std::hash
  for (unsigned char c : checkpoint_uri) hash = (hash ^ c) * 1099511628211ULL;
  return fmt::format("{}/checkpoints/{:016x}/rocksdb", base, hash);
}

}  // namespace

Checkpoint::Checkpoint(storage::Place place, std::unique_ptr<storage::Lease> lease)
    : place_(std::move(place)), dir_(place_.path), lease_(std::move(lease)) {}

Checkpoint::~Checkpoint() {
  file_state_.reset();
  lease_.reset();  // last: the next run may start once the state store is closed
}

// Highest numeric file name in dir/log; temp files and other names are ignored.
Result<std::optional<int64_t>> Checkpoint::LatestInLog(const char* log) const {
  std::optional<int64_t> latest;
  INLET_ASSIGN_OR_RAISE(auto entries, fs().ListDir(dir_ + "/" + log));
  for (const storage::FileInfo& entry : entries) {
    const std::optional<int64_t> value = storage::NumberedName(entry.name);
    if (value && (!latest || *value > *latest)) latest = value;
  }
  return latest;
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(const std::string& dir) {
  INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("--checkpoint", dir));
  // Named by its normal form (a local path: absolute) in messages and the file state.
  INLET_ASSIGN_OR_RAISE(place.path, place.fs->Normalize(place.path));
  return Open(std::move(place));
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(storage::Place place) {
  const std::string root = place.path;
  INLET_RETURN_NOT_OK(place.fs->CreateDirs(root + "/offsets"));
  INLET_RETURN_NOT_OK(place.fs->CreateDirs(root + "/commits"));
  auto lease = place.fs->AcquireLease(root + "/lock", fmt::format("checkpoint '{}'", root));
  if (!lease.ok()) {
    return Status::IOError(lease.status().message(), "; one stream runs per checkpoint at a time");
  }
  std::unique_ptr<Checkpoint> checkpoint(new Checkpoint(std::move(place), std::move(*lease)));
  INLET_RETURN_NOT_OK(checkpoint->LoadOrCreateStreamId());
  if (checkpoint->place_.fs == storage::Local()) {
    INLET_ASSIGN_OR_RAISE(checkpoint->file_state_, source::FileStateStore::Open(root + "/sources/0/rocksdb"));
  } else {
    source::FileStateRemote remote{checkpoint->place_.Child("sources/0"), checkpoint->stream_id_};
    INLET_ASSIGN_OR_RAISE(checkpoint->file_state_,
                          source::FileStateStore::Open(WorkingCopyDir(root), std::move(remote)));
  }
  return checkpoint;
}

Status Checkpoint::LoadOrCreateStreamId() {
  std::string path = dir_ + "/metadata";
  if (!storage::Exists(place_.Child("metadata"))) {
    json metadata = {{"id", NewUuid()}};
    // Put-if-absent: the lock already excludes other writers; this also guards a reused dir.
    Status st = fs().WriteFile(path, metadata.dump() + "\n", storage::WriteMode::kCreateIfAbsent);
    if (!st.ok() && !st.IsAlreadyExists()) return st;
  }
  INLET_ASSIGN_OR_RAISE(std::string text, fs().ReadFile(path));
  json metadata = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object() || !metadata.contains("id") || !metadata["id"].is_string()) {
    return Status::Invalid(fmt::format("checkpoint metadata '{}' is not valid", path));
  }
  stream_id_ = metadata["id"].get<std::string>();
  return Status::OK();
}

Result<std::optional<int64_t>> Checkpoint::LatestPlanned() const { return LatestInLog("offsets"); }

Result<std::optional<int64_t>> Checkpoint::LatestCommitted() const { return LatestInLog("commits"); }

Status Checkpoint::WritePlan(const BatchPlan& plan) {
  json files = json::array();
  for (const auto& file : plan.files) {
    json entry = {{"path", file.path}, {"size", file.size}, {"modificationTime", file.modification_time_ms}};
    // inlet.loadAppendedBytes only: what the batch loads of the file, and how it was checked.
    if (file.load_from > 0) entry["loadFrom"] = file.load_from;
    if (file.fingerprint) entry["fingerprint"] = *file.fingerprint;
    if (file.load_from_fingerprint) entry["loadFromFingerprint"] = *file.load_from_fingerprint;
    files.push_back(std::move(entry));
  }
  json body = {{"batchId", plan.batch_id},
               {"plannedAt", plan.planned_at_ms},
               {"schema", plan.schema_json},
               {"files", files}};
  std::string text = std::string(kLogVersionLine) + body.dump() + "\n";
  INLET_RETURN_NOT_OK(MaybeFailAt("checkpoint_write"));
  return fs().WriteFile(LogPath(dir_, "offsets", plan.batch_id), text, storage::WriteMode::kCreateIfAbsent);
}

Result<BatchPlan> Checkpoint::ReadPlan(int64_t batch_id) const {
  std::string path = LogPath(dir_, "offsets", batch_id);
  INLET_ASSIGN_OR_RAISE(std::string text, fs().ReadFile(path));
  INLET_ASSIGN_OR_RAISE(std::string_view body_text, LogBody(text, path));
  json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body["files"].is_array() || !body["schema"].is_string()) {
    return Status::Invalid(fmt::format("checkpoint plan '{}' is not valid", path));
  }
  BatchPlan plan;
  plan.batch_id = body.value("batchId", batch_id);
  plan.planned_at_ms = body.value("plannedAt", int64_t{0});
  plan.schema_json = body["schema"].get<std::string>();
  for (const auto& file : body["files"]) {
    source::DiscoveredFile planned{file.value("path", ""), file.value("size", int64_t{0}),
                                   file.value("modificationTime", int64_t{0})};
    planned.load_from = file.value("loadFrom", int64_t{0});
    if (file.contains("fingerprint")) planned.fingerprint = file["fingerprint"].get<uint64_t>();
    if (file.contains("loadFromFingerprint")) {
      planned.load_from_fingerprint = file["loadFromFingerprint"].get<uint64_t>();
    }
    plan.files.push_back(std::move(planned));
  }
  return plan;
}

Status Checkpoint::MarkCommitted(int64_t batch_id, int64_t table_version) {
  json body = {{"nextBatchWatermarkMs", 0}, {"tableVersion", table_version}};
  INLET_RETURN_NOT_OK(MaybeFailAt("checkpoint_write"));
  Status st = fs().WriteFile(LogPath(dir_, "commits", batch_id), std::string(kLogVersionLine) + body.dump() + "\n",
                             storage::WriteMode::kCreateIfAbsent);
  return st.IsAlreadyExists() ? Status::OK() : st;
}

Status Checkpoint::WriteDeferred(int64_t batch_id, const std::vector<std::string>& paths) {
  const std::string path = LogPath(dir_, "deferred", batch_id);
  if (paths.empty() && !storage::Exists(place_.Child(fmt::format("deferred/{}", batch_id)))) return Status::OK();
  INLET_RETURN_NOT_OK(fs().CreateDirs(dir_ + "/deferred"));
  INLET_RETURN_NOT_OK(MaybeFailAt("checkpoint_write"));
  return fs().WriteFile(path, std::string(kLogVersionLine) + json{{"files", paths}}.dump() + "\n",
                        storage::WriteMode::kReplace);
}

Result<std::vector<std::string>> Checkpoint::ReadDeferred(int64_t batch_id) const {
  const std::string path = LogPath(dir_, "deferred", batch_id);
  if (!storage::Exists(place_.Child(fmt::format("deferred/{}", batch_id)))) return std::vector<std::string>{};
  INLET_ASSIGN_OR_RAISE(std::string text, fs().ReadFile(path));
  INLET_ASSIGN_OR_RAISE(std::string_view body_text, LogBody(text, path));
  json body = json::parse(body_text, nullptr, /*allow_exceptions=*/false);
  if (!body.is_object() || !body["files"].is_array()) {
    return Status::Invalid(fmt::format("checkpoint file '{}' is not valid", path));
  }
  std::vector<std::string> paths;
  for (const auto& file : body["files"]) {
    if (file.is_string()) paths.push_back(file.get<std::string>());
  }
  return paths;
}

bool Checkpoint::existing_files_decided() const {
  return storage::Exists(place_.Child("sources/0/existing_files_decided"));
}

Status Checkpoint::MarkExistingFilesDecided() {
  INLET_RETURN_NOT_OK(fs().CreateDirs(dir_ + "/sources/0"));
  return fs().WriteFile(dir_ + "/sources/0/existing_files_decided", "", storage::WriteMode::kReplace);
}

}  // namespace inlet::stream
