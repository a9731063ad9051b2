// FileSystem over the object_store C ABI (ffi/include/inlet_object_store.h).
#include "inlet/storage/object_store/object_store_file_system.h"

#include <inlet_object_store.h>

#include <chrono>
#include <functional>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>

#include <arrow/buffer.h>
#include <fmt/format.h>

#include "inlet/storage/expiring_lease.h"
#include "inlet/storage/store_options.h"

namespace inlet::storage {
namespace {

// A single PUT publishes a file up to this size; a larger one goes up as a multipart upload
// of parts this big, completed (made visible, whole) at Close().
constexpr size_t kPartBytes = 8 << 20;
// S3 answers 409 to a conditional write racing another on the same key: neither has won
// yet, so the write is tried again.
constexpr int kConflictRetries = 5;
// A write whose connection failed (reset, timed out) is sent again this many times: the
// client library retries only requests it knows to be idempotent, and a create-if-absent
// PUT is not, though inlet can tell its own earlier write from another's (HoldsExactly).
constexpr int kTransportRetries = 4;
// StatFiles lists a folder rather than HEAD each file from this many files of it on.
constexpr size_t kListingBeatsHeads = 8;

// A string the library allocated.
struct LibString {
  char* text = nullptr;
  ~LibString() { ios_string_free(text); }
  std::string str() const { return text != nullptr ? text : ""; }
};

struct LibBuffer {
  ios_buf buf{nullptr, 0};
  ~LibBuffer() { ios_buf_free(&buf); }
};

struct LibMeta {
  ios_meta meta{};
  ~LibMeta() { ios_meta_clear(&meta); }
};

// Whether the object at `key` is `data`, byte for byte: a create-if-absent whose first
// attempt landed but whose answer was lost finds its own object there on the retry. Every
// object inlet creates that way is unique to its writer (a commit's txn and timestamps, a
// lease term's holder), so equal bytes mean the object is ours.
bool HoldsExactly(const ios_store* store, const std::string& key, std::string_view data) {
  LibBuffer found;
  LibString message;
  if (ios_get(store, key.c_str(), &found.buf, &message.text) != IOS_OK) return false;
  return std::string_view(reinterpret_cast<const char*>(found.buf.data), found.buf.len) == data;
}

// One PUT of `data` at `key` (`mode` says whether only if absent), sent again on a 409
// conflict and when its connection failed; the last answer's code, its message in
// `message`. A retry that finds its own earlier attempt's bytes there is a success.
int32_t PutRetrying(const ios_store* store, const std::string& key, std::string_view data, WriteMode mode,
                    LibString* message) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(data.data());
  // Whether an earlier attempt may have been written although its answer was lost.
  bool maybe_written = false;
  for (int attempt = 0;; ++attempt) {
    LibString failure;
    const int32_t code = mode == WriteMode::kReplace
                             ? ios_put(store, key.c_str(), bytes, data.size(), nullptr, &failure.text)
                             : ios_put_if_absent(store, key.c_str(), bytes, data.size(), nullptr, &failure.text);
    std::swap(message->text, failure.text);
    if (code == IOS_ALREADY_EXISTS && maybe_written && HoldsExactly(store, key, data)) return IOS_OK;
    const bool retry = (code == IOS_CONFLICT && attempt < kConflictRetries) ||
                       (code == IOS_IO && attempt < kTransportRetries);
    if (!retry) return code;
    maybe_written |= code == IOS_IO;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
  }
}

Status StatusOf(int32_t code, const LibString& message, std::string_view what, const std::string& uri) {
  switch (code) {
    case IOS_OK:
      return Status::OK();
    case IOS_NOT_FOUND:
      return Status::IOError(fmt::format("no such file '{}'", uri));
    case IOS_ALREADY_EXISTS:
      return Status::AlreadyExists(fmt::format("'{}' already exists", uri));
    case IOS_INVALID_ARGUMENT:
      return Status::Invalid(fmt::format("{} '{}': {}", what, uri, message.str()));
    default:
      return Status::IOError(fmt::format("{} '{}': {} ({})", what, uri, message.str(), ios_code_name(code)));
  }
}

// "s3://bucket/a/b" -> {"s3://bucket", "a/b"}; the store URL keeps the scheme and authority.
struct SplitUri {
  std::string root;
  std::string key;
};

SplitUri Split(const std::string& uri) {
  const size_t authority = uri.find("://");
  const size_t slash = authority == std::string::npos ? std::string::npos : uri.find('/', authority + 3);
  if (slash == std::string::npos) return {uri, ""};
  std::string key = uri.substr(slash + 1);
  while (!key.empty() && key.back() == '/') key.pop_back();
  return {uri.substr(0, slash), key};
}

FileInfo FileOf(const std::string& root, const ios_meta& meta) {
  FileInfo info;
  info.path = root + "/" + meta.path;
  const std::string_view key = meta.path;
  info.name = std::string(key.substr(key.rfind('/') == std::string_view::npos ? 0 : key.rfind('/') + 1));
  info.size = static_cast<int64_t>(meta.size);
  info.modification_time_ms = meta.last_modified_ms;
  return info;
}

class ObjectStoreFileSystem;

// Ranged GETs; the size comes from the HEAD made at open.
class ObjectReadFile final : public arrow::io::RandomAccessFile {
 public:
  ObjectReadFile(const ios_store* store, std::string uri, std::string key, int64_t size)
      : store_(store), uri_(std::move(uri)), key_(std::move(key)), size_(size) {}

  arrow::Result<int64_t> GetSize() override { return size_; }
  arrow::Status Close() override {
    closed_ = true;
    return Status::OK();
  }
  bool closed() const override { return closed_; }
  arrow::Result<int64_t> Tell() const override { return position_; }
  arrow::Status Seek(int64_t position) override {
    position_ = position;
    return Status::OK();
  }
  arrow::Result<int64_t> Read(int64_t nbytes, void* out) override {
    INLET_ASSIGN_OR_RAISE(int64_t n, ReadAt(position_, nbytes, out));
    position_ += n;
    return n;
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> Read(int64_t nbytes) override {
    INLET_ASSIGN_OR_RAISE(auto buffer, ReadAt(position_, nbytes));
    position_ += buffer->size();
    return buffer;
  }
  arrow::Result<int64_t> ReadAt(int64_t position, int64_t nbytes, void* out) override {
    if (position >= size_ || nbytes <= 0) return 0;
    LibBuffer got;
    LibString message;
    const int32_t code = ios_get_range(store_, key_.c_str(), static_cast<uint64_t>(position),
                                       static_cast<uint64_t>(std::min(nbytes, size_ - position)), &got.buf,
                                       &message.text);
    INLET_RETURN_NOT_OK(StatusOf(code, message, "cannot read", uri_));
    std::memcpy(out, got.buf.data, got.buf.len);
    return static_cast<int64_t>(got.buf.len);
  }
  arrow::Result<std::shared_ptr<arrow::Buffer>> ReadAt(int64_t position, int64_t nbytes) override {
    INLET_ASSIGN_OR_RAISE(auto buffer, arrow::AllocateResizableBuffer(std::max<int64_t>(0, nbytes)));
    INLET_ASSIGN_OR_RAISE(int64_t n, ReadAt(position, nbytes, buffer->mutable_data()));
    INLET_RETURN_NOT_OK(buffer->Resize(n));
    return std::shared_ptr<arrow::Buffer>(std::move(buffer));
  }

 private:
  const ios_store* store_;
  std::string uri_;
  std::string key_;
  int64_t size_;
  int64_t position_ = 0;
  bool closed_ = false;
};

// Held in memory up to kPartBytes; past that, a multipart upload. Either way nothing is
// visible until Close() completes it.
class ObjectOutputFile final : public OutputFile {
 public:
  ObjectOutputFile(const ios_store* store, std::string uri, std::string key)
      : store_(store), uri_(std::move(uri)), key_(std::move(key)) {}
  ~ObjectOutputFile() override { (void)Abort(); }

  arrow::Status Write(const void* data, int64_t nbytes) override {
    if (done_) return Status::Invalid("write to closed file '", uri_, "'");
    pending_.append(static_cast<const char*>(data), static_cast<size_t>(nbytes));
    position_ += nbytes;
    if (pending_.size() >= kPartBytes) return Upload();
    return Status::OK();
  }
  arrow::Status Write(const std::shared_ptr<arrow::Buffer>& data) override { return Write(data->data(), data->size()); }
  arrow::Result<int64_t> Tell() const override { return position_; }
  bool closed() const override { return done_; }

  arrow::Status Close() override {
    if (done_) return published_ ? Status::OK() : Status::Invalid("'", uri_, "' was aborted");
    done_ = true;
    LibString message;
    if (writer_ == nullptr) {
      const int32_t code = PutRetrying(store_, key_, pending_, WriteMode::kReplace, &message);
      INLET_RETURN_NOT_OK(StatusOf(code, message, "cannot write", uri_));
    } else {
      Status uploaded = Upload();
      if (!uploaded.ok()) {
        AbortUpload();
        return uploaded;
      }
      const int32_t code = ios_writer_close(writer_, nullptr, &message.text);
      writer_ = nullptr;
      INLET_RETURN_NOT_OK(StatusOf(code, message, "cannot complete the upload of", uri_));
    }
    published_ = true;
    return Status::OK();
  }

  arrow::Status Abort() override {
    if (done_) return Status::OK();
    done_ = true;
    AbortUpload();
    return Status::OK();
  }

 private:
  Status Upload() {
    LibString message;
    if (writer_ == nullptr) {
      const int32_t code = ios_writer_open(store_, key_.c_str(), kPartBytes, 0, &writer_, &message.text);
      INLET_RETURN_NOT_OK(StatusOf(code, message, "cannot start an upload of", uri_));
    }
    const int32_t code = ios_writer_write(writer_, reinterpret_cast<const uint8_t*>(pending_.data()), pending_.size(),
                                          &message.text);
    pending_.clear();
    return StatusOf(code, message, "cannot upload", uri_);
  }

  void AbortUpload() {
    if (writer_ == nullptr) return;
    LibString message;
    (void)ios_writer_abort(writer_, &message.text);
    writer_ = nullptr;
  }

  const ios_store* store_;
  std::string uri_;
  std::string key_;
  std::string pending_;
  ios_writer* writer_ = nullptr;
  int64_t position_ = 0;
  bool done_ = false;
  bool published_ = false;
};

class ObjectStoreFileSystem final : public FileSystem {
 public:
  ObjectStoreFileSystem(std::string root, ios_store* store) : root_(std::move(root)), store_(store) {}
  ~ObjectStoreFileSystem() override { ios_store_close(store_); }

  Result<std::string> ReadFile(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    LibBuffer got;
    LibString message;
    INLET_RETURN_NOT_OK(StatusOf(ios_get(store_, key.c_str(), &got.buf, &message.text), message, "cannot read", path));
    return std::string(reinterpret_cast<const char*>(got.buf.data), got.buf.len);
  }

  Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenForRead(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    LibMeta head;
    LibString message;
    INLET_RETURN_NOT_OK(StatusOf(ios_head(store_, key.c_str(), &head.meta, &message.text), message, "cannot open", path));
    return std::make_shared<ObjectReadFile>(store_, path, std::move(key), static_cast<int64_t>(head.meta.size));
  }

  Status WriteFile(const std::string& path, std::string_view data, WriteMode mode) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    LibString message;
    return StatusOf(PutRetrying(store_, key, data, mode, &message), message, "cannot write", path);
  }

  Result<std::shared_ptr<OutputFile>> OpenForWrite(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    return std::make_shared<ObjectOutputFile>(store_, path, std::move(key));
  }

  // `visit` on every object below `prefix` (after the key `after`, if not null), a page of
  // the listing at a time; stops at the first error, the listing's or `visit`'s.
  Status ForEachObject(const std::string& dir, const std::string& prefix, const char* after,
                       const std::function<Status(const ios_meta&)>& visit) {
    ios_list* list = nullptr;
    LibString message;
    INLET_RETURN_NOT_OK(
        StatusOf(ios_list_open(store_, prefix.c_str(), after, &list, &message.text), message, "cannot list", dir));
    Status status;
    while (status.ok()) {
      ios_list_page page{};
      LibString page_message;
      status = StatusOf(ios_list_next(list, 1000, &page, &page_message.text), page_message, "cannot list", dir);
      if (!status.ok() || page.count == 0) break;
      for (size_t i = 0; i < page.count && status.ok(); ++i) status = visit(page.entries[i]);
      ios_list_page_free(&page);
    }
    ios_list_close(list);
    return status;
  }

  // An object, or else a "directory": a prefix with objects below it.
  Result<std::optional<FileInfo>> Stat(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    if (!key.empty()) {
      LibMeta head;
      LibString message;
      const int32_t code = ios_head(store_, key.c_str(), &head.meta, &message.text);
      if (code == IOS_OK) return std::optional<FileInfo>(FileOf(root_, head.meta));
      if (code != IOS_NOT_FOUND) return StatusOf(code, message, "cannot stat", path);
    }
    INLET_ASSIGN_OR_RAISE(auto entries, ListDir(path));
    if (entries.empty() && !key.empty()) return std::optional<FileInfo>();
    FileInfo directory;
    directory.path = path;
    directory.name = key.substr(key.rfind('/') == std::string::npos ? 0 : key.rfind('/') + 1);
    directory.kind = FileKind::kDirectory;
    return std::optional<FileInfo>(std::move(directory));
  }

  // Files of one folder asked for together are answered by one listing of it (a LIST per
  // 1,000 keys) instead of a HEAD each; a few files in a big folder still get HEADs.
  std::vector<std::optional<FileInfo>> StatFiles(const std::vector<std::string>& paths) override {
    std::map<std::string, std::vector<size_t>> by_folder;
    for (size_t i = 0; i < paths.size(); ++i) {
      by_folder[paths[i].substr(0, paths[i].rfind('/'))].push_back(i);
    }
    std::vector<std::optional<FileInfo>> found(paths.size());
    for (const auto& [folder, indexes] : by_folder) {
      if (indexes.size() < kListingBeatsHeads) {
        for (size_t i : indexes) found[i] = HeadFile(paths[i]);
        continue;
      }
      auto entries = ListDir(folder);
      if (!entries.ok()) continue;  // unexaminable: absent, as the contract says
      std::map<std::string, const FileInfo*> by_path;
      for (const FileInfo& entry : *entries) {
        if (!entry.is_directory()) by_path[entry.path] = &entry;
      }
      for (size_t i : indexes) {
        if (auto it = by_path.find(paths[i]); it != by_path.end()) found[i] = *it->second;
      }
    }
    return found;
  }

  Result<std::vector<FileInfo>> ListDir(const std::string& dir) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(dir));
    ios_dir_listing listing{};
    LibString message;
    INLET_RETURN_NOT_OK(StatusOf(ios_list_dir(store_, key.c_str(), &listing, &message.text), message, "cannot list", dir));
    std::vector<FileInfo> entries;
    for (size_t i = 0; i < listing.file_count; ++i) entries.push_back(FileOf(root_, listing.files[i]));
    for (size_t i = 0; i < listing.dir_count; ++i) {
      FileInfo directory;
      const std::string_view prefix = listing.dirs[i];
      directory.path = root_ + "/" + std::string(prefix);
      directory.name = std::string(prefix.substr(prefix.rfind('/') == std::string_view::npos ? 0 : prefix.rfind('/') + 1));
      directory.kind = FileKind::kDirectory;
      entries.push_back(std::move(directory));
    }
    ios_dir_listing_free(&listing);
    return entries;
  }

  Result<std::vector<FileInfo>> ListFilesAfter(const std::string& dir, const std::string& after) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(dir));
    INLET_ASSIGN_OR_RAISE(std::string after_key, KeyOf(after));
    std::vector<FileInfo> files;
    INLET_RETURN_NOT_OK(ForEachObject(dir, key.empty() ? "" : key + "/", after_key.c_str(), [&](const ios_meta& meta) {
      files.push_back(FileOf(root_, meta));
      return Status::OK();
    }));
    return files;
  }

  Result<std::string> Normalize(const std::string& path) override {
    const SplitUri split = Split(path);
    std::string key;
    for (size_t i = 0; i < split.key.size(); ++i) {
      if (split.key[i] == '/' && (key.empty() || key.back() == '/')) continue;  // "a//b" is "a/b"
      key += split.key[i];
    }
    const bool directory = !path.empty() && path.back() == '/';
    return split.root + (key.empty() ? "" : "/" + key) + (directory && !key.empty() ? "/" : "");
  }

  Status Delete(const std::string& path) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(path));
    LibString message;
    const int32_t code = ios_delete(store_, key.c_str(), &message.text);
    return code == IOS_NOT_FOUND ? Status::OK() : StatusOf(code, message, "cannot delete", path);
  }

  Status DeleteTree(const std::string& dir) override {
    INLET_ASSIGN_OR_RAISE(std::string key, KeyOf(dir));
    if (key.empty()) return Status::Invalid(fmt::format("refusing to delete the whole of '{}'", dir));
    return ForEachObject(dir, key + "/", nullptr,
                         [&](const ios_meta& meta) { return Delete(root_ + "/" + meta.path); });
  }

  Status CreateDirs(const std::string&) override { return Status::OK(); }

  Result<std::unique_ptr<Lease>> AcquireLease(const std::string& path, std::string_view what) override {
    // No locks on an object store: a lease of numbered terms, renewed while the run lives.
    return AcquireExpiringLease(*this, path, what, ExpiringLeaseOptionsFromEnvironment());
  }

 private:
  // The object key of `path`, which must be in this store.
  Result<std::string> KeyOf(const std::string& path) const {
    const SplitUri split = Split(path);
    if (split.root != root_) return Status::Invalid(fmt::format("'{}' is not in '{}'", path, root_));
    return split.key;
  }

  std::optional<FileInfo> HeadFile(const std::string& path) {
    auto key = KeyOf(path);
    if (!key.ok() || key->empty()) return std::nullopt;
    LibMeta head;
    LibString message;
    if (ios_head(store_, key->c_str(), &head.meta, &message.text) != IOS_OK) return std::nullopt;
    return FileOf(root_, head.meta);
  }

  std::string root_;
  ios_store* store_;
};

// s3a:// is Hadoop's spelling of s3://: the same store.
std::string StoreUrl(const std::string& root) {
  if (root.rfind("s3a://", 0) == 0) return "s3://" + root.substr(6);
  return root;
}

}  // namespace

Result<std::shared_ptr<FileSystem>> OpenObjectStore(const Location& location) {
  // Kept for the life of the process and never destroyed: closing a store at exit would
  // race the library's runtime being torn down. One per bucket and configuration, so a
  // stream given other credentials gets a store of its own.
  static std::mutex mutex;
  static auto* stores = new std::map<std::string, std::shared_ptr<FileSystem>>();
  const std::string root = Split(location.path).root;
  const std::vector<std::pair<std::string, std::string>> config = StoreConfigFor(location.backend, root);
  std::string cache_key = root;
  for (const auto& [key, value] : config) cache_key += fmt::format("\n{}={}", key, value);
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = stores->find(cache_key); it != stores->end()) return it->second;
  std::vector<const char*> keys, values;
  for (const auto& [key, value] : config) {
    keys.push_back(key.c_str());
    values.push_back(value.c_str());
  }
  ios_store* store = nullptr;
  LibString message;
  const int32_t code =
      ios_store_open(StoreUrl(root).c_str(), keys.data(), values.data(), config.size(), &store, &message.text);
  if (code != IOS_OK) {
    return Status::Invalid(fmt::format("cannot open the object store of '{}': {}", location.path, message.str()));
  }
  auto fs = std::make_shared<ObjectStoreFileSystem>(root, store);
  stores->emplace(cache_key, fs);
  return std::shared_ptr<FileSystem>(fs);
}

}  // namespace inlet::storage
