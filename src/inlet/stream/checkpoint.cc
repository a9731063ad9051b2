// Checkpoint folder: stream id, lock, offsets/commits logs and the file state store.
#include "inlet/stream/checkpoint.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/util/fs.h"
#include "inlet/util/fault.h"

namespace inlet::stream {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kLogVersionLine = "v1\n";

std::string LogPath(const std::string& dir, const char* log, int64_t batch_id) {
  return fmt::format("{}/{}/{}", dir, log, batch_id);
}

// Highest numeric file name in dir/log; temp files and other names are ignored.
Result<std::optional<int64_t>> LatestInLog(const std::string& dir, const char* log) {
  std::optional<int64_t> latest;
  std::error_code ec;
  fs::directory_iterator it(fs::path(dir) / log, ec);
  if (ec) return latest;
  for (const auto& entry : it) {
    std::string name = entry.path().filename().string();
    int64_t value = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), value);
    if (err != std::errc() || end != name.data() + name.size()) continue;
    if (!latest || value > *latest) latest = value;
  }
  return latest;
}

// Strips the "v1" line Spark puts in front of offset and commit log entries.
Result<std::string_view> LogBody(std::string_view text, const std::string& path) {
  if (text.substr(0, kLogVersionLine.size()) != kLogVersionLine) {
    return Status::Invalid(fmt::format("checkpoint file '{}' does not start with v1", path));
  }
  return text.substr(kLogVersionLine.size());
}

}  // namespace

Checkpoint::Checkpoint(std::string dir, int lock_fd) : dir_(std::move(dir)), lock_fd_(lock_fd) {}

Checkpoint::~Checkpoint() {
  file_state_.reset();
  if (lock_fd_ >= 0) ::close(lock_fd_);  // releases the flock
}

Result<std::unique_ptr<Checkpoint>> Checkpoint::Open(const std::string& dir) {
  std::string root = fs::absolute(dir).lexically_normal().string();
  INLET_RETURN_NOT_OK(CreateDirs(root + "/offsets"));
  INLET_RETURN_NOT_OK(CreateDirs(root + "/commits"));
  std::string lock_path = root + "/lock";
  int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IOError(fmt::format("cannot open '{}': {}", lock_path, std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return Status::IOError(fmt::format(
        "checkpoint '{}' is in use by another inlet ingest (lock held on '{}'); one stream "
        "runs per checkpoint at a time",
        root, lock_path));
  }
  std::unique_ptr<Checkpoint> checkpoint(new Checkpoint(root, fd));
  INLET_RETURN_NOT_OK(checkpoint->LoadOrCreateStreamId());
  INLET_ASSIGN_OR_RAISE(checkpoint->file_state_,
                        source::FileStateStore::Open(root + "/sources/0/rocksdb"));
  return checkpoint;
}

Status Checkpoint::LoadOrCreateStreamId() {
  std::string path = dir_ + "/metadata";
  if (!PathExists(path)) {
    json metadata = {{"id", NewUuid()}};
    // Put-if-absent: the lock already excludes other writers; this also guards a reused dir.
    Status st = WriteFileIfAbsent(path, metadata.dump() + "\n");
    if (!st.ok() && !st.IsAlreadyExists()) return st;
  }
  INLET_ASSIGN_OR_RAISE(std::string text, ReadFileToString(path));
  json metadata = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object() || !metadata.contains("id") || !metadata["id"].is_string()) {
    return Status::Invalid(fmt::format("checkpoint metadata '{}' is not valid", path));
  }
  stream_id_ = metadata["id"].get<std::string>();
  return Status::OK();
}

Result<std::optional<int64_t>> Checkpoint::LatestPlanned() const { return LatestInLog(dir_, "offsets"); }

Result<std::optional<int64_t>> Checkpoint::LatestCommitted() const { return LatestInLog(dir_, "commits"); }

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
  return WriteFileIfAbsent(LogPath(dir_, "offsets", plan.batch_id), text);
}

Result<BatchPlan> Checkpoint::ReadPlan(int64_t batch_id) const {
  std::string path = LogPath(dir_, "offsets", batch_id);
  INLET_ASSIGN_OR_RAISE(std::string text, ReadFileToString(path));
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
  Status st = WriteFileIfAbsent(LogPath(dir_, "commits", batch_id),
                                std::string(kLogVersionLine) + body.dump() + "\n");
  return st.IsAlreadyExists() ? Status::OK() : st;
}

Status Checkpoint::WriteDeferred(int64_t batch_id, const std::vector<std::string>& paths) {
  const std::string path = LogPath(dir_, "deferred", batch_id);
  if (paths.empty() && !PathExists(path)) return Status::OK();
  INLET_RETURN_NOT_OK(CreateDirs(dir_ + "/deferred"));
  INLET_RETURN_NOT_OK(MaybeFailAt("checkpoint_write"));
  return WriteFileAtomic(path, std::string(kLogVersionLine) + json{{"files", paths}}.dump() + "\n");
}

Result<std::vector<std::string>> Checkpoint::ReadDeferred(int64_t batch_id) const {
  const std::string path = LogPath(dir_, "deferred", batch_id);
  if (!PathExists(path)) return std::vector<std::string>{};
  INLET_ASSIGN_OR_RAISE(std::string text, ReadFileToString(path));
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

bool Checkpoint::existing_files_decided() const { return PathExists(dir_ + "/sources/0/existing_files_decided"); }

Status Checkpoint::MarkExistingFilesDecided() {
  return WriteFileAtomic(dir_ + "/sources/0/existing_files_decided", "");
}

}  // namespace inlet::stream
