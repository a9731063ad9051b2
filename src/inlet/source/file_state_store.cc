// The RocksDB-backed record of files the stream has taken. Values are zigzag varints (size,
// mtime, batch id) behind a format byte: a few bytes per file, millions of files. Format 2
// adds a flags varint, then the fingerprint (8 bytes) and the changed-after-load version
// when their flag is set; format 1 records (older builds) are still read.
#include "inlet/source/file_state_store.h"

#include <charconv>

#include <rocksdb/db.h>
#include <rocksdb/convenience.h>
#include <rocksdb/env.h>
#include <rocksdb/iterator.h>
#include <rocksdb/options.h>
#include <rocksdb/write_batch.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "inlet/source/file_state_changelog.h"
#include "inlet/util/ids.h"
#include "inlet/util/fault.h"
#include "inlet/storage/file_system.h"

namespace inlet::source {
namespace {

constexpr char kFormatV1 = 1;
constexpr char kFormatV2 = 2;
constexpr uint64_t kHasFingerprint = 1;
constexpr uint64_t kHasChanged = 2;
// A remote store's working copy records which stream's change log it holds, and up to which
// change, under a key no path can have (paths never start with NUL); scans skip it.
constexpr std::string_view kAppliedKey{"\0inlet.applied", 14};
// A snapshot every this many changes bounds what a new machine reads to catch up.
constexpr int64_t kChangesPerSnapshot = 100;

bool IsPathKey(const rocksdb::Slice& key) { return key.size() == 0 || key[0] != '\0'; }
// Named values beside the paths (GetMeta); NUL-prefixed like the applied marker, so no
// path can collide with them, but kept in snapshots, which the marker is not.
constexpr std::string_view kMetaPrefix{"\0inlet.meta.", 12};
std::string MetaKey(std::string_view name) { return std::string(kMetaPrefix) + std::string(name); }

// RocksDB's info LOG tells users nothing, and on a full disk its writer aborts the process
// (RocksDB 7.8 asserts when the LOG is written again after a failed write, e.g. when the DB
// closes): a failed batch must exit 1 with its error, so the LOG is dropped.
class DiscardingLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

uint64_t ZigZag(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}

int64_t UnZigZag(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

void PutVarint(std::string* out, uint64_t v) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7F) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

bool GetVarint(std::string_view* in, uint64_t* v) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in->empty(); shift += 7) {
    auto byte = static_cast<uint8_t>(in->front());
    in->remove_prefix(1);
    result |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) {
      *v = result;
      return true;
    }
  }
  return false;
}

std::string EncodeState(const FileState& state) {
  std::string out;
  out.reserve(1 + 6 * 10 + 8);
  const uint64_t flags = (state.fingerprint ? kHasFingerprint : 0) | (state.changed_after_load() ? kHasChanged : 0);
  out.push_back(flags == 0 ? kFormatV1 : kFormatV2);  // unchanged bytes for the common case
  PutVarint(&out, ZigZag(state.size));
  PutVarint(&out, ZigZag(state.modification_time_ms));
  PutVarint(&out, ZigZag(state.batch_id));
  if (flags == 0) return out;
  PutVarint(&out, flags);
  if (state.fingerprint) {
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((*state.fingerprint >> (8 * i)) & 0xFF));
  }
  if (state.changed_after_load()) {
    PutVarint(&out, ZigZag(state.changed_size));
    PutVarint(&out, ZigZag(state.changed_modification_time_ms));
  }
  return out;
}

Result<FileState> DecodeState(const std::string& key, std::string_view value) {
  uint64_t size = 0, mtime = 0, batch = 0;
  if (value.empty() || (value.front() != kFormatV1 && value.front() != kFormatV2)) {
    return Status::IOError(
        fmt::format("file state store: unknown record format for '{}' (written by a newer "
                    "inlet?)",
                    key));
  }
  const bool v2 = value.front() == kFormatV2;
  value.remove_prefix(1);
  auto corrupt = [&] { return Status::IOError(fmt::format("file state store: corrupt record for '{}'", key)); };
  if (!GetVarint(&value, &size) || !GetVarint(&value, &mtime) || !GetVarint(&value, &batch)) return corrupt();
  FileState state{UnZigZag(size), UnZigZag(mtime), UnZigZag(batch)};
  if (v2) {
    uint64_t flags = 0;
    if (!GetVarint(&value, &flags)) return corrupt();
    if (flags & kHasFingerprint) {
      if (value.size() < 8) return corrupt();
      uint64_t fp = 0;
      for (size_t i = 0; i < 8; ++i) {
        fp |= static_cast<uint64_t>(static_cast<uint8_t>(value[i])) << (8 * i);
      }
      value.remove_prefix(8);
      state.fingerprint = fp;
    }
    if (flags & kHasChanged) {
      uint64_t changed_size = 0, changed_mtime = 0;
      if (!GetVarint(&value, &changed_size) || !GetVarint(&value, &changed_mtime)) return corrupt();
      state.changed_size = UnZigZag(changed_size);
      state.changed_modification_time_ms = UnZigZag(changed_mtime);
    }
  }
  if (!value.empty()) return corrupt();
  return state;
}

Status FromRocks(const rocksdb::Status& s, std::string_view what, const std::string& where) {
  if (s.ok()) return Status::OK();
  return Status::IOError(fmt::format("file state store {} '{}': {}", what, where, s.ToString()));
}

}  // namespace

FileStateStore::FileStateStore(std::unique_ptr<rocksdb::DB> db) : db_(std::move(db)) {}

FileStateStore::~FileStateStore() = default;

Result<std::unique_ptr<rocksdb::DB>> FileStateStore::OpenDb(const std::string& dir) {
  // RocksDB needs a local disk.
  INLET_RETURN_NOT_OK(storage::Local()->CreateDirs(dir));
  rocksdb::Options options;
  options.create_if_missing = true;
  options.info_log = std::make_shared<DiscardingLogger>();
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(options, dir, &raw);
  if (!s.ok()) {
    // RocksDB holds an exclusive lock on DIR/LOCK while open; failing to take it means
    // another stream (this process or another) is running on the same checkpoint.
    std::string message = s.ToString();
    if (s.IsIOError() && (message.find("lock") != std::string::npos ||
                          message.find("LOCK") != std::string::npos)) {
      return Status::IOError(fmt::format(
          "checkpoint is in use: the file state store '{}' is locked by another running "
          "inlet stream ({})",
          dir, message));
    }
    return FromRocks(s, "cannot open", dir);
  }
  return std::unique_ptr<rocksdb::DB>(raw);
}

Result<std::unique_ptr<FileStateStore>> FileStateStore::Open(const std::string& dir) {
  INLET_ASSIGN_OR_RAISE(auto db, OpenDb(dir));
  return std::unique_ptr<FileStateStore>(new FileStateStore(std::move(db)));
}

Result<std::unique_ptr<FileStateStore>> FileStateStore::Open(const std::string& dir, FileStateRemote remote) {
  INLET_ASSIGN_OR_RAISE(auto db, OpenDb(dir));
  std::unique_ptr<FileStateStore> store(new FileStateStore(std::move(db)));
  store->changelog_ = std::make_unique<FileStateChangelog>(std::move(remote.root));
  store->stream_id_ = std::move(remote.stream_id);
  INLET_RETURN_NOT_OK(store->CatchUp(dir));
  return store;
}

// The working copy's (stream id, last applied change); nullopt when it holds neither.
static std::optional<std::pair<std::string, int64_t>> AppliedChange(rocksdb::DB& db) {
  std::string value;
  if (!db.Get(rocksdb::ReadOptions(), rocksdb::Slice(kAppliedKey.data(), kAppliedKey.size()), &value).ok()) {
    return std::nullopt;
  }
  const size_t space = value.rfind(' ');
  if (space == std::string::npos) return std::nullopt;
  int64_t version = 0;
  auto [end, err] = std::from_chars(value.data() + space + 1, value.data() + value.size(), version);
  if (err != std::errc() || end != value.data() + value.size()) return std::nullopt;
  return std::make_pair(value.substr(0, space), version);
}

Status FileStateStore::CatchUp(const std::string& dir) {
  INLET_ASSIGN_OR_RAISE(auto versions, changelog_->List());
  const int64_t latest = std::max(versions.latest_change.value_or(-1), versions.latest_snapshot.value_or(-1));
  const auto applied = AppliedChange(*db_);
  bool usable = false;
  if (applied) {
    usable = applied->first == stream_id_ && applied->second <= latest;
  } else {
    // A copy that never applied a change must hold nothing (a fresh folder).
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
    it->SeekToFirst();
    usable = !it->Valid();
  }
  int64_t from = usable && applied ? applied->second : -1;
  if (!usable) spdlog::info("file state: rebuilding the working copy '{}' from '{}'", dir, changelog_->path());
  if (versions.latest_snapshot && from < *versions.latest_snapshot) {
    // The changes up to the snapshot may be gone from the log: start from the snapshot.
    INLET_RETURN_NOT_OK(LoadSnapshot(dir, *versions.latest_snapshot));
    from = *versions.latest_snapshot;
  } else if (!usable) {
    INLET_RETURN_NOT_OK(LoadSnapshot(dir, -1));
  }
  for (int64_t version = from + 1; version <= latest; ++version) {
    auto change = changelog_->ReadChange(version);
    if (!change.ok()) {
      return Status::IOError(fmt::format("file state change {} of '{}' cannot be read: {}", version,
                                         changelog_->path(), change.status().message()));
    }
    rocksdb::WriteBatch batch(*change);
    INLET_RETURN_NOT_OK(Apply(batch, version));
    ++changes_replayed_;
  }
  next_change_ = latest + 1;
  if (changes_replayed_ > 0) {
    spdlog::info("file state: working copy '{}' brought up to date from '{}' ({} changes read)", dir,
                 changelog_->path(), changes_replayed_);
  }
  return Status::OK();
}

// Empties the working copy and loads snapshot `version` into it (-1: nothing).
Status FileStateStore::LoadSnapshot(const std::string& dir, int64_t version) {
  db_.reset();
  rocksdb::Options options;
  INLET_RETURN_NOT_OK(FromRocks(rocksdb::DestroyDB(dir, options), "cannot clear", dir));
  INLET_ASSIGN_OR_RAISE(db_, OpenDb(dir));
  if (version < 0) return Status::OK();
  INLET_ASSIGN_OR_RAISE(std::string snapshot, changelog_->ReadSnapshot(version));
  rocksdb::WriteBatch batch(std::move(snapshot));
  ++changes_replayed_;
  return Apply(batch, version);
}

// Applies a change already in the remote log, and records that it has been.
Status FileStateStore::Apply(rocksdb::WriteBatch& batch, int64_t version) {
  if (batch.GetDataSize() < 12) {  // RocksDB's batch header: sequence number and count
    return Status::IOError(fmt::format("file state change {} of '{}' is corrupt", version, changelog_->path()));
  }
  rocksdb::Status s = batch.Put(rocksdb::Slice(kAppliedKey.data(), kAppliedKey.size()),
                                fmt::format("{} {}", stream_id_, version));
  INLET_RETURN_NOT_OK(FromRocks(s, "cannot record", "applied change"));
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(db_->Write(write_options, &batch), "cannot apply change",
                   fmt::format("{} of {}", version, changelog_->path()));
}

Status FileStateStore::Commit(rocksdb::WriteBatch& batch, std::string_view what) {
  if (!changelog_) {
    rocksdb::WriteOptions write_options;
    write_options.sync = true;  // the batch commit relies on this being durable
    return FromRocks(db_->Write(write_options, &batch), "cannot write", std::string(what));
  }
  const int64_t version = next_change_;
  Status st = changelog_->WriteChange(version, batch.Data());
  if (st.IsAlreadyExists()) {
    return Status::IOError(fmt::format(
        "file state change {} of '{}' was written by another run: this run lost the checkpoint's lease", version,
        changelog_->path()));
  }
  if (!st.ok()) return Status::IOError(fmt::format("cannot write {}: {}", what, st.message()));
  MaybeCrashAt("after_state_upload");
  INLET_RETURN_NOT_OK(Apply(batch, version));
  ++next_change_;
  if ((version + 1) % kChangesPerSnapshot == 0) {
    // Not needed for correctness (the changes are the truth), so a failure only costs the
    // next new machine a longer replay.
    if (Status snap = Snapshot(version); !snap.ok()) {
      spdlog::warn("file state snapshot {} of '{}' not written: {}", version, changelog_->path(), snap.message());
    }
  }
  return Status::OK();
}

Status FileStateStore::Snapshot(int64_t version) {
  rocksdb::WriteBatch snapshot;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!IsPathKey(it->key()) && !it->key().starts_with(rocksdb::Slice(kMetaPrefix.data(), kMetaPrefix.size()))) {
      continue;
    }
    INLET_RETURN_NOT_OK(FromRocks(snapshot.Put(it->key(), it->value()), "cannot snapshot", changelog_->path()));
  }
  INLET_RETURN_NOT_OK(FromRocks(it->status(), "cannot scan", db_->GetName()));
  return changelog_->WriteSnapshot(version, snapshot.Data());
}

Result<std::optional<FileState>> FileStateStore::Get(const std::string& path) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), path, &value);
  if (s.IsNotFound()) return std::optional<FileState>();
  INLET_RETURN_NOT_OK(FromRocks(s, "cannot read", path));
  INLET_ASSIGN_OR_RAISE(FileState state, DecodeState(path, value));
  return std::optional<FileState>(state);
}

Status FileStateStore::PutAll(const std::vector<DiscoveredFile>& files, int64_t batch_id) {
  if (files.empty()) return Status::OK();
  INLET_RETURN_NOT_OK(MaybeFailAt("state_store_write"));
  rocksdb::WriteBatch batch;
  for (const DiscoveredFile& f : files) {
    FileState state{f.size, f.modification_time_ms, batch_id};
    state.fingerprint = f.fingerprint;
    rocksdb::Status s = batch.Put(f.path, EncodeState(state));
    INLET_RETURN_NOT_OK(FromRocks(s, "cannot record", f.path));
  }
  return Commit(batch, fmt::format("the state of {} files of batch {}", files.size(), batch_id));
}

Status FileStateStore::RemoveAll(const std::vector<std::string>& paths) {
  if (paths.empty()) return Status::OK();
  INLET_RETURN_NOT_OK(MaybeFailAt("state_store_write"));
  rocksdb::WriteBatch batch;
  for (const std::string& path : paths) {
    INLET_RETURN_NOT_OK(FromRocks(batch.Delete(path), "cannot forget", path));
  }
  return Commit(batch, fmt::format("the state of {} deferred files", paths.size()));
}

Status FileStateStore::Put(const std::string& path, const FileState& state) {
  INLET_RETURN_NOT_OK(MaybeFailAt("state_store_write"));
  rocksdb::WriteBatch batch;
  INLET_RETURN_NOT_OK(FromRocks(batch.Put(path, EncodeState(state)), "cannot record", path));
  return Commit(batch, fmt::format("the state of '{}'", path));
}

Result<std::vector<std::string>> FileStateStore::ChangedAfterLoad() const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  std::vector<std::string> paths;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    if (!IsPathKey(it->key())) continue;
    std::string key = it->key().ToString();
    INLET_ASSIGN_OR_RAISE(FileState state, DecodeState(key, std::string_view(it->value().data(), it->value().size())));
    if (state.changed_after_load()) paths.push_back(std::move(key));
  }
  INLET_RETURN_NOT_OK(FromRocks(it->status(), "cannot scan", db_->GetName()));
  return paths;
}

Result<std::optional<std::string>> FileStateStore::GetMeta(std::string_view name) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), MetaKey(name), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  INLET_RETURN_NOT_OK(FromRocks(s, "cannot read", std::string(name)));
  return std::optional<std::string>(std::move(value));
}

Status FileStateStore::PutMeta(std::string_view name, std::string_view value) {
  rocksdb::WriteBatch batch;
  INLET_RETURN_NOT_OK(FromRocks(batch.Put(MetaKey(name), rocksdb::Slice(value.data(), value.size())), "cannot record",
                                std::string(name)));
  return Commit(batch, fmt::format("the stream's {}", name));
}

Result<int64_t> FileStateStore::Count() const {
  // Exact count by iteration: RocksDB's estimate-num-keys is only an estimate.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
  int64_t count = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) count += IsPathKey(it->key()) ? 1 : 0;
  INLET_RETURN_NOT_OK(FromRocks(it->status(), "cannot count entries in", db_->GetName()));
  return count;
}

}  // namespace inlet::source
