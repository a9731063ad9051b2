// The bad-records folder of one batch attempt: appended under a lock, published at Finish.
#include "inlet/stream/bad_records.h"

#include <ctime>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "inlet/util/fault.h"

namespace inlet::stream {
namespace {

constexpr const char* kFinalName = "part-00000.json";

std::string RecordsDir(const std::string& batch_dir) { return batch_dir + "/bad_records"; }

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
  INLET_ASSIGN_OR_RAISE(storage::Place place,
                        storage::Resolve("badRecordsPath", BadRecordsBatchDir(bad_records_path, plan)));
  std::unique_ptr<BadRecordsWriter> writer(new BadRecordsWriter(std::move(place), plan.batch_id));
  writer->Discard();
  return writer;
}

BadRecordsWriter::~BadRecordsWriter() {
  if (file_) (void)file_->Abort();
}

Status BadRecordsWriter::Add(const formats::BadRecord& record) {
  nlohmann::ordered_json line = {{"path", record.file_path},     {"line", record.line},
                         {"byteOffset", record.byte_offset}, {"reason", record.reason},
                         {"record", record.raw},         {"recordTruncated", record.raw_truncated},
                         {"batchId", batch_id_}};
  // Raw text may hold invalid UTF-8: replace it rather than fail, the reason says why.
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  INLET_RETURN_NOT_OK(error_);
  if (!file_) {
    error_ = place_.fs->CreateDirs(RecordsDir(batch_dir_));
    if (error_.ok()) {
      auto opened = place_.fs->OpenForWrite(RecordsDir(batch_dir_) + "/" + kFinalName);
      if (!opened.ok()) return error_ = opened.status();
      file_ = std::move(*opened);
    }
    INLET_RETURN_NOT_OK(error_);
  }
  error_ = file_->Write(text.data(), static_cast<int64_t>(text.size()));
  if (!error_.ok()) error_ = Status::IOError("cannot write bad records to '", batch_dir_, "': ", error_.message());
  if (error_.ok()) ++count_;
  return error_;
}

Result<int64_t> BadRecordsWriter::Finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  INLET_RETURN_NOT_OK(error_);
  if (!file_) return int64_t{0};
  std::shared_ptr<storage::OutputFile> file = std::move(file_);
  Status status = MaybeFailAt("bad_records_write");
  if (!status.ok()) {
    (void)file->Abort();
    return status;
  }
  status = file->Close();
  if (!status.ok()) {
    return Status::IOError("cannot publish bad records in '", RecordsDir(batch_dir_), "': ", status.message());
  }
  return count_;
}

void BadRecordsWriter::Discard() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (file_) (void)file_->Abort();
  file_.reset();
  count_ = 0;
  error_ = Status::OK();
  // Nothing there is referenced until the batch commits.
  (void)place_.fs->DeleteTree(batch_dir_);
}

}  // namespace inlet::stream
