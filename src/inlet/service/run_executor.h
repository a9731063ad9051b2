// Job runs: created PENDING (or SKIPPED past max_concurrent_runs), executed by a pool of
// worker threads that run each task's ingest, cancellable, with state and ingest figures
// written to the JobStore as they change.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "inlet/service/job_store.h"
#include "inlet/stream/ingest.h"
#include "inlet/util/status.h"

namespace inlet::service {

struct TriggerRequest {
  std::string trigger = "ONE_TIME";  // ONE_TIME (run-now) or PERIODIC (schedule)
  nlohmann::json overrides = nlohmann::json::object();  // run-now parameters, kept on the run
  std::string idempotency_token;
};

// Runs one ingest; stream::RunIngest unless a test substitutes it.
using IngestFunction = std::function<Result<stream::IngestReport>(
    const IngestOptions&, const stream::BatchCallback&, const std::atomic<bool>*)>;

int64_t NowMillis();

class RunExecutor {
 public:
  RunExecutor(JobStore* store, int workers, IngestFunction ingest = {});
  ~RunExecutor();

  void Start();
  // Cancels what runs (those runs end INTERNAL_ERROR: the server stopped), joins workers.
  // Queued runs stay PENDING in the store; the next start marks them failed.
  void Stop();

  // A new run of `job`: PENDING and queued, or SKIPPED when max_concurrent_runs runs of the
  // job are already active (the reason is the run's state_message, as Databricks does).
  Result<RunRecord> Trigger(const JobRecord& job, const TriggerRequest& request);
  // False when the run does not exist. A queued run ends CANCELED at once; a running one
  // stops at its ingest's next file or batch boundary, then ends CANCELED.
  Result<bool> Cancel(int64_t run_id);

  // Blocks until no run is queued or running (tests).
  void WaitIdle();

 private:
  void WorkerLoop();
  void Execute(int64_t run_id);
  Status ExecuteTasks(RunRecord* run, const std::shared_ptr<std::atomic<bool>>& cancel);
  // Re-reads the run, applies `change` and writes it back, under runs_mutex_.
  Status ModifyRun(int64_t run_id, const std::function<void(RunRecord&)>& change);

  JobStore* store_;
  int workers_;
  IngestFunction ingest_;
  std::mutex runs_mutex_;  // serializes run read-modify-write and trigger's count+insert
  std::mutex queue_mutex_;
  std::condition_variable queue_cv_;
  std::condition_variable idle_cv_;
  std::deque<int64_t> queue_;
  int busy_ = 0;
  bool stopping_ = false;
  std::map<int64_t, std::shared_ptr<std::atomic<bool>>> cancel_flags_;  // running runs
  std::vector<std::thread> threads_;
};

}  // namespace inlet::service
