// Fires UNPAUSED job schedules on time: Quartz cron in the job's timezone_id, one run per
// fire time (skipped past max_concurrent_runs by the executor); PAUSED never fires. Fire
// times missed while the server was down are not caught up, as Databricks does.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "inlet/schedule/cron.h"
#include "inlet/service/job_store.h"
#include "inlet/service/run_executor.h"

namespace inlet::service {

class Scheduler {
 public:
  Scheduler(JobStore* store, RunExecutor* executor) : store_(store), executor_(executor) {}
  ~Scheduler();

  void Start();
  void Stop();

  // One pass at `now`: re-reads schedules when jobs changed, triggers the due ones and
  // returns how many runs it triggered. The thread calls it a few times a second; tests
  // call it with their own clock.
  Result<int> Tick(std::chrono::sys_seconds now);

  // The next fire time the scheduler holds for a job (nullopt: not scheduled or paused).
  std::optional<std::chrono::sys_seconds> NextFireTime(int64_t job_id);

 private:
  struct Entry {
    std::string cron_text;
    std::string time_zone;
    std::optional<schedule::CronExpression> cron;
    std::optional<std::chrono::sys_seconds> next;
  };
  Status Reload(std::chrono::sys_seconds now);
  void Loop();

  JobStore* store_;
  RunExecutor* executor_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::map<int64_t, Entry> entries_;
  std::optional<uint64_t> loaded_generation_;
};

}  // namespace inlet::service
