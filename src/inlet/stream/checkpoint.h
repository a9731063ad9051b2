// The stream's checkpoint folder, as Spark Structured Streaming lays it out:
//   CHECKPOINT/metadata              {"id": "<stream uuid>"}: the Delta txn appId
//   CHECKPOINT/lock                  the one running ingest's lease (a flock on a local disk)
//   CHECKPOINT/offsets/N             the plan of batch N, written before it runs
//   CHECKPOINT/commits/N             written after batch N's Delta commit
//   CHECKPOINT/deferred/N            planned files batch N left for later (still being
//                                    written), written before its Delta commit
//   CHECKPOINT/sources/0/rocksdb     FileStateStore: every file ever planned
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "inlet/source/discovery.h"
#include "inlet/source/file_state_store.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::stream {

// What batch N reads, fixed before it runs so a restart redoes exactly the same work.
struct BatchPlan {
  int64_t batch_id = 0;
  int64_t planned_at_ms = 0;
  std::string schema_json;  // Spark StructType JSON the batch parses with
  std::vector<source::DiscoveredFile> files;
};

class Checkpoint {
 public:
  // Creates the folder on first use and takes its lock; a second process gets an error
  // that says the checkpoint is in use.
  static Result<std::unique_ptr<Checkpoint>> Open(const std::string& dir);
  static Result<std::unique_ptr<Checkpoint>> Open(storage::Place dir);
  ~Checkpoint();

  const std::string& stream_id() const { return stream_id_; }
  const std::string& dir() const { return dir_; }
  source::FileStateStore& file_state() { return *file_state_; }

  // Highest N with offsets/N (planned) or commits/N (committed); nullopt when none.
  Result<std::optional<int64_t>> LatestPlanned() const;
  Result<std::optional<int64_t>> LatestCommitted() const;

  Result<BatchPlan> ReadPlan(int64_t batch_id) const;
  Status WritePlan(const BatchPlan& plan);
  Status MarkCommitted(int64_t batch_id, int64_t table_version);

  // The files of batch N's plan that its committing attempt did not load because they
  // changed after planning. Written (replacing an earlier attempt's) before the Delta
  // commit, so a run that dies after the commit still knows which files to offer again.
  Status WriteDeferred(int64_t batch_id, const std::vector<std::string>& paths);
  Result<std::vector<std::string>> ReadDeferred(int64_t batch_id) const;  // empty when none

  // includeExistingFiles=false is decided once, on the stream's first run.
  bool existing_files_decided() const;
  Status MarkExistingFilesDecided();

 private:
  Checkpoint(storage::Place place, std::unique_ptr<storage::Lease> lease);
  Status LoadOrCreateStreamId();
  storage::FileSystem& fs() const { return *place_.fs; }
  Result<std::optional<int64_t>> LatestInLog(const char* log) const;

  storage::Place place_;
  std::string dir_;
  std::unique_ptr<storage::Lease> lease_;
  std::string stream_id_;
  std::unique_ptr<source::FileStateStore> file_state_;
};

}  // namespace inlet::stream
