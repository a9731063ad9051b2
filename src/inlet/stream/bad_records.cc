// The bad-records folder of one batch attempt: appended under a lock, published by rename.
#include "inlet/stream/bad_records.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/util/fault.h"
#include "inlet/util/fs.h"

namespace inlet::stream {
namespace {

constexpr const char* kTempName = ".part-00000.json.inprogress";
constexpr const char* kFinalName = "part-00000.json";

std::string RecordsDir(const std::string& batch_dir) { return batch_dir + "/bad_records"; }

Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::IOError("cannot write bad records to '", path, "': ", std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return Status::OK();
}

}  // namespace

std::string BadRecordsBatchDir(const std::string& bad_records_path, const BatchPlan& plan) {
  std::time_t seconds = static_cast<std::time_t>(plan.planned_at_ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &utc);
  return fmt::format("{}/{}-batch-{}", bad_records_path, stamp, plan.batch_id);
}

Result<std::unique_ptr<BadRecordsWriter>> BadRecordsWriter::Open(const std::string& bad_records_path,
                                                                 const BatchPlan& plan) {
  std::unique_ptr<BadRecordsWriter> writer(
      new BadRecordsWriter(BadRecordsBatchDir(bad_records_path, plan), plan.batch_id));
  writer->Discard();
  return writer;
}

BadRecordsWriter::~BadRecordsWriter() {
  if (fd_ >= 0) ::close(fd_);
}

Status BadRecordsWriter::Add(const json::BadRecord& record) {
  nlohmann::ordered_json line = {{"path", record.file_path},     {"line", record.line},
                         {"byteOffset", record.byte_offset}, {"reason", record.reason},
                         {"record", record.raw},         {"recordTruncated", record.raw_truncated},
                         {"batchId", batch_id_}};
  // Raw text may hold invalid UTF-8: replace it rather than fail, the reason says why.
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  INLET_RETURN_NOT_OK(error_);
  const std::string temp = RecordsDir(batch_dir_) + "/" + kTempName;
  if (fd_ < 0) {
    INLET_RETURN_NOT_OK(CreateDirs(RecordsDir(batch_dir_)));
    fd_ = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd_ < 0) return error_ = Status::IOError("cannot create '", temp, "': ", std::strerror(errno));
  }
  error_ = WriteAll(fd_, text, temp);
  if (error_.ok()) ++count_;
  return error_;
}

Result<int64_t> BadRecordsWriter::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  INLET_RETURN_NOT_OK(error_);
  if (fd_ < 0) return int64_t{0};
  const std::string temp = RecordsDir(batch_dir_) + "/" + kTempName;
  const std::string final_path = RecordsDir(batch_dir_) + "/" + kFinalName;
  Status status = MaybeFailAt("bad_records_write");
  if (status.ok() && ::fsync(fd_) != 0) status = Status::IOError("cannot sync '", temp, "': ", std::strerror(errno));
  ::close(fd_);
  fd_ = -1;
  INLET_RETURN_NOT_OK(status);
  if (::rename(temp.c_str(), final_path.c_str()) != 0) {
    return Status::IOError("cannot publish bad records as '", final_path, "': ", std::strerror(errno));
  }
  return count_;
}

void BadRecordsWriter::Discard() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  count_ = 0;
  std::error_code ignored;  // nothing there is referenced until the batch commits
  std::filesystem::remove_all(batch_dir_, ignored);
}

}  // namespace inlet::stream
