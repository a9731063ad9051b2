// The jobs service's durable state in SQLite (DIR/inlet.db): jobs and their settings
// history, and runs with their state and ingest figures. Survives restarts; the server
// is its only writer of jobs and runs (`inlet tokens` writes only the tokens table).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "inlet/service/sqlite_db.h"
#include "inlet/util/status.h"

namespace inlet::service {

struct JobRecord {
  int64_t job_id = 0;
  int64_t created_time = 0;  // ms since the epoch
  std::string creator;
  nlohmann::json settings;  // JobSettings as the API returns them
};

struct SettingsVersion {
  int64_t version = 0;
  int64_t changed_time = 0;
  std::string change;  // "create", "update", "reset"
  nlohmann::json settings;
};

// Which jobs a list call returns: keyset pagination by job_id (ascending), so pages stay
// correct while jobs are created and deleted between calls.
struct JobQuery {
  std::optional<int64_t> after_job_id;   // next page: job_id > this
  std::optional<int64_t> before_job_id;  // previous page: job_id < this (read backwards)
  int64_t offset = 0;
  int64_t limit = 20;
  std::optional<std::string> name;  // exact, case-insensitive
};

struct JobPage {
  std::vector<JobRecord> jobs;  // ascending job_id
  bool more_after = false;      // jobs exist past the last one
  bool more_before = false;     // jobs exist before the first one
};

// Life cycle as the Jobs API names it; result_state empty until the run ends.
struct RunRecord {
  int64_t run_id = 0;
  int64_t job_id = 0;
  int64_t number_in_job = 0;
  std::string run_name;
  std::string trigger = "ONE_TIME";  // ONE_TIME (run-now) or PERIODIC (schedule)
  std::string life_cycle_state = "PENDING";
  std::string result_state;
  std::string state_message;
  std::string termination_code;  // RunStatus.termination_details.code, when terminated
  bool user_cancelled = false;
  bool cancel_requested = false;
  int64_t start_time = 0;      // when the run was triggered
  int64_t execution_start = 0;  // when a worker started it
  int64_t end_time = 0;
  std::string idempotency_token;
  nlohmann::json settings = nlohmann::json::object();   // the job settings it runs
  nlohmann::json overrides = nlohmann::json::object();  // run-now parameters
  nlohmann::json tasks = nlohmann::json::array();       // per-task state and figures
  nlohmann::json figures = nlohmann::json::object();    // ingest totals

  bool Active() const {
    return life_cycle_state == "PENDING" || life_cycle_state == "QUEUED" || life_cycle_state == "RUNNING" ||
           life_cycle_state == "TERMINATING";
  }
};

struct RunQuery {
  std::optional<int64_t> job_id;
  bool active_only = false;
  bool completed_only = false;
  std::optional<int64_t> before_run_id;  // next page (runs are newest first)
  std::optional<int64_t> after_run_id;   // previous page
  std::optional<int64_t> start_time_from;
  std::optional<int64_t> start_time_to;
  int64_t offset = 0;
  int64_t limit = 20;
};

struct RunPage {
  std::vector<RunRecord> runs;  // newest first
  bool more_after = false;      // older runs exist past the last one
  bool more_before = false;     // newer runs exist before the first one
};

class JobStore {
 public:
  // Opens or creates `data_dir`/inlet.db (creating `data_dir`).
  static Result<std::unique_ptr<JobStore>> Open(const std::string& data_dir);

  Result<int64_t> CreateJob(const nlohmann::json& settings, const std::string& creator, int64_t now_ms);
  Result<std::optional<JobRecord>> GetJob(int64_t job_id);
  // Replaces a job's settings and appends them to its history; false when the job is gone.
  Result<bool> ReplaceSettings(int64_t job_id, const nlohmann::json& settings, const std::string& change,
                               int64_t now_ms);
  Result<bool> DeleteJob(int64_t job_id);
  Result<JobPage> ListJobs(const JobQuery& query);
  Result<std::vector<JobRecord>> AllJobs();
  Result<std::vector<SettingsVersion>> SettingsHistory(int64_t job_id);
  // Bumped on every job write, so the scheduler re-reads schedules only when they may differ.
  uint64_t generation() const { return generation_.load(); }

  // Assigns run_id and number_in_job.
  Result<RunRecord> InsertRun(RunRecord run);
  Status UpdateRun(const RunRecord& run);
  Result<std::optional<RunRecord>> GetRun(int64_t run_id);
  Result<int64_t> CountActiveRuns(int64_t job_id);
  Result<std::optional<RunRecord>> FindRunByIdempotencyToken(int64_t job_id, const std::string& token);
  Result<RunPage> ListRuns(const RunQuery& query);
  Result<std::vector<int64_t>> ActiveRunIds(std::optional<int64_t> job_id);
  // At startup: runs a previous server left PENDING/RUNNING can never finish; they end as
  // INTERNAL_ERROR / FAILED with `reason`. Returns how many.
  Result<int64_t> FailInterruptedRuns(int64_t now_ms, const std::string& reason);

  SqliteDb* db() { return db_.get(); }

 private:
  explicit JobStore(std::unique_ptr<SqliteDb> db) : db_(std::move(db)) {}
  Status CreateSchema();
  std::unique_ptr<SqliteDb> db_;
  std::atomic<uint64_t> generation_{0};
};

}  // namespace inlet::service
