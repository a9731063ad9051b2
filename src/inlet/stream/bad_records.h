// badRecordsPath: every malformed record of a batch saved as one JSON line, in a folder per
// batch laid out as Databricks does (DIR/<time>/bad_records/part-*), so a user can find,
// fix and replay what a run did not load. Internal to stream/.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "inlet/formats/format.h"
#include "inlet/stream/checkpoint.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::stream {

// DIR/<planned time, UTC, yyyyMMdd'T'HHmmss>-batch-<N>: fixed by the plan, so a batch that
// is redone after a crash writes the same folder again instead of a second one.
std::string BadRecordsBatchDir(const std::string& bad_records_path, const BatchPlan& plan);

// Collects one attempt at a batch. Open clears what an earlier, uncommitted attempt left;
// records go to bad_records/part-00000.json, which Finish publishes (durable, whole) before
// the batch commits. Each line:
//   {"path":..., "line":N, "byteOffset":N, "reason":..., "record":..., "recordTruncated":bool,
//    "batchId":N}
class BadRecordsWriter {
 public:
  static Result<std::unique_ptr<BadRecordsWriter>> Open(const std::string& bad_records_path,
                                                        const BatchPlan& plan);
  ~BadRecordsWriter();

  // Thread-safe: parse workers share one writer (bad records are rare).
  Status Add(const formats::BadRecord& record);
  // Publishes the file (none when nothing was added). Returns the records written.
  Result<int64_t> Finish();
  // Removes this attempt's folder: the batch stopped without committing.
  void Discard();

  const std::string& batch_dir() const { return batch_dir_; }

 private:
  BadRecordsWriter(storage::Place batch_dir, int64_t batch_id)
      : place_(std::move(batch_dir)), batch_dir_(place_.path), batch_id_(batch_id) {}

  storage::Place place_;
  std::string batch_dir_;
  int64_t batch_id_;
  std::mutex mutex_;
  std::shared_ptr<storage::OutputFile> file_;
  int64_t count_ = 0;
  Status error_;
};

}  // namespace inlet::stream
