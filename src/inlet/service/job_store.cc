// SQLite tables of the jobs service: jobs, job_settings_history, runs. Settings and run
// details are JSON text; the columns the API filters and sorts on are real columns.
#include "inlet/service/job_store.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace inlet::service {
namespace {

using nlohmann::json;

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS jobs (
  job_id INTEGER PRIMARY KEY AUTOINCREMENT,
  created_time INTEGER NOT NULL,
  creator TEXT NOT NULL,
  name_lower TEXT NOT NULL,
  settings TEXT NOT NULL,
  settings_version INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_by_name ON jobs(name_lower);
CREATE TABLE IF NOT EXISTS job_settings_history (
  job_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  changed_time INTEGER NOT NULL,
  change TEXT NOT NULL,
  settings TEXT NOT NULL,
  PRIMARY KEY (job_id, version)
);
CREATE TABLE IF NOT EXISTS runs (
  run_id INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id INTEGER NOT NULL,
  number_in_job INTEGER NOT NULL,
  run_name TEXT NOT NULL,
  trigger TEXT NOT NULL,
  life_cycle_state TEXT NOT NULL,
  result_state TEXT NOT NULL,
  state_message TEXT NOT NULL,
  termination_code TEXT NOT NULL,
  user_cancelled INTEGER NOT NULL,
  cancel_requested INTEGER NOT NULL,
  start_time INTEGER NOT NULL,
  execution_start INTEGER NOT NULL,
  end_time INTEGER NOT NULL,
  idempotency_token TEXT NOT NULL,
  settings TEXT NOT NULL,
  overrides TEXT NOT NULL,
  tasks TEXT NOT NULL,
  figures TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_by_job ON runs(job_id, run_id);
CREATE INDEX IF NOT EXISTS runs_by_state ON runs(life_cycle_state);
)sql";

constexpr const char* kActiveStates = "('PENDING','QUEUED','RUNNING','TERMINATING')";

constexpr const char* kRunColumns =
    "run_id, job_id, number_in_job, run_name, trigger, life_cycle_state, result_state, state_message, "
    "termination_code, user_cancelled, cancel_requested, start_time, execution_start, end_time, "
    "idempotency_token, settings, overrides, tasks, figures";

std::string NameLower(const json& settings) {
  std::string name = settings.contains("name") && settings["name"].is_string() ? settings["name"].get<std::string>()
                                                                                 : "";
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  return name;
}

Result<json> ParseStored(const std::string& text, const char* what, int64_t id) {
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    return Status::IOError(fmt::format("inlet.db: {} of {} is not valid JSON: {}", what, id, e.what()));
  }
}

Result<JobRecord> ReadJob(const SqliteStatement& stmt) {
  JobRecord job;
  job.job_id = stmt.Int64(0);
  job.created_time = stmt.Int64(1);
  job.creator = stmt.Text(2);
  INLET_ASSIGN_OR_RAISE(job.settings, ParseStored(stmt.Text(3), "settings of job", job.job_id));
  return job;
}

Result<RunRecord> ReadRun(const SqliteStatement& stmt) {
  RunRecord run;
  run.run_id = stmt.Int64(0);
  run.job_id = stmt.Int64(1);
  run.number_in_job = stmt.Int64(2);
  run.run_name = stmt.Text(3);
  run.trigger = stmt.Text(4);
  run.life_cycle_state = stmt.Text(5);
  run.result_state = stmt.Text(6);
  run.state_message = stmt.Text(7);
  run.termination_code = stmt.Text(8);
  run.user_cancelled = stmt.Int64(9) != 0;
  run.cancel_requested = stmt.Int64(10) != 0;
  run.start_time = stmt.Int64(11);
  run.execution_start = stmt.Int64(12);
  run.end_time = stmt.Int64(13);
  run.idempotency_token = stmt.Text(14);
  INLET_ASSIGN_OR_RAISE(run.settings, ParseStored(stmt.Text(15), "settings of run", run.run_id));
  INLET_ASSIGN_OR_RAISE(run.overrides, ParseStored(stmt.Text(16), "parameters of run", run.run_id));
  INLET_ASSIGN_OR_RAISE(run.tasks, ParseStored(stmt.Text(17), "tasks of run", run.run_id));
  INLET_ASSIGN_OR_RAISE(run.figures, ParseStored(stmt.Text(18), "figures of run", run.run_id));
  return run;
}

// Binds the run's columns 2..19 (everything after run_id) in kRunColumns order.
void BindRunFields(SqliteStatement& stmt, const RunRecord& run, int first) {
  stmt.Bind(first, run.job_id)
      .Bind(first + 1, run.number_in_job)
      .Bind(first + 2, std::string_view(run.run_name))
      .Bind(first + 3, std::string_view(run.trigger))
      .Bind(first + 4, std::string_view(run.life_cycle_state))
      .Bind(first + 5, std::string_view(run.result_state))
      .Bind(first + 6, std::string_view(run.state_message))
      .Bind(first + 7, std::string_view(run.termination_code))
      .Bind(first + 8, int64_t{run.user_cancelled})
      .Bind(first + 9, int64_t{run.cancel_requested})
      .Bind(first + 10, run.start_time)
      .Bind(first + 11, run.execution_start)
      .Bind(first + 12, run.end_time)
      .Bind(first + 13, std::string_view(run.idempotency_token))
      .Bind(first + 14, std::string_view(run.settings.dump()))
      .Bind(first + 15, std::string_view(run.overrides.dump()))
      .Bind(first + 16, std::string_view(run.tasks.dump()))
      .Bind(first + 17, std::string_view(run.figures.dump()));
}

}  // namespace

Result<std::unique_ptr<JobStore>> JobStore::Open(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) return Status::IOError(fmt::format("cannot create data directory '{}': {}", data_dir, ec.message()));
  INLET_ASSIGN_OR_RAISE(auto db, SqliteDb::Open((std::filesystem::path(data_dir) / "inlet.db").string()));
  std::unique_ptr<JobStore> store(new JobStore(std::move(db)));
  INLET_RETURN_NOT_OK(store->CreateSchema());
  return store;
}

Status JobStore::CreateSchema() { return db_->Exec(kSchema); }

Result<int64_t> JobStore::CreateJob(const json& settings, const std::string& creator, int64_t now_ms) {
  std::lock_guard lock(db_->mutex());
  SqliteTransaction txn(db_.get());
  INLET_RETURN_NOT_OK(txn.Begin());
  std::string text = settings.dump();
  INLET_ASSIGN_OR_RAISE(auto insert, db_->Prepare("INSERT INTO jobs(created_time, creator, name_lower, settings, "
                                                  "settings_version) VALUES (?, ?, ?, ?, 1)"));
  INLET_RETURN_NOT_OK(
      insert.Bind(1, now_ms).Bind(2, std::string_view(creator)).Bind(3, NameLower(settings)).Bind(4, text).Run());
  int64_t job_id = db_->LastInsertRowId();
  INLET_ASSIGN_OR_RAISE(auto history, db_->Prepare("INSERT INTO job_settings_history(job_id, version, "
                                                   "changed_time, change, settings) VALUES (?, 1, ?, 'create', ?)"));
  INLET_RETURN_NOT_OK(history.Bind(1, job_id).Bind(2, now_ms).Bind(3, text).Run());
  INLET_RETURN_NOT_OK(txn.Commit());
  ++generation_;
  return job_id;
}

Result<std::optional<JobRecord>> JobStore::GetJob(int64_t job_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt,
                        db_->Prepare("SELECT job_id, created_time, creator, settings FROM jobs WHERE job_id = ?"));
  stmt.Bind(1, job_id);
  INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
  if (!row) return std::optional<JobRecord>();
  INLET_ASSIGN_OR_RAISE(auto job, ReadJob(stmt));
  return std::optional<JobRecord>(std::move(job));
}

Result<bool> JobStore::ReplaceSettings(int64_t job_id, const json& settings, const std::string& change,
                                       int64_t now_ms) {
  std::lock_guard lock(db_->mutex());
  SqliteTransaction txn(db_.get());
  INLET_RETURN_NOT_OK(txn.Begin());
  std::string text = settings.dump();
  INLET_ASSIGN_OR_RAISE(auto update, db_->Prepare("UPDATE jobs SET settings = ?, name_lower = ?, "
                                                  "settings_version = settings_version + 1 WHERE job_id = ?"));
  INLET_RETURN_NOT_OK(update.Bind(1, text).Bind(2, NameLower(settings)).Bind(3, job_id).Run());
  if (db_->Changes() == 0) return false;
  INLET_ASSIGN_OR_RAISE(auto history,
                        db_->Prepare("INSERT INTO job_settings_history(job_id, version, changed_time, change, "
                                     "settings) SELECT job_id, settings_version, ?, ?, settings FROM jobs "
                                     "WHERE job_id = ?"));
  INLET_RETURN_NOT_OK(history.Bind(1, now_ms).Bind(2, std::string_view(change)).Bind(3, job_id).Run());
  INLET_RETURN_NOT_OK(txn.Commit());
  ++generation_;
  return true;
}

Result<bool> JobStore::DeleteJob(int64_t job_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("DELETE FROM jobs WHERE job_id = ?"));
  INLET_RETURN_NOT_OK(stmt.Bind(1, job_id).Run());
  bool deleted = db_->Changes() > 0;
  ++generation_;
  return deleted;
}

Result<JobPage> JobStore::ListJobs(const JobQuery& query) {
  std::lock_guard lock(db_->mutex());
  bool backwards = query.before_job_id.has_value();
  std::string where = "1 = 1";
  if (query.after_job_id) where += " AND job_id > ?1";
  if (query.before_job_id) where += " AND job_id < ?2";
  if (query.name) where += " AND name_lower = ?3";
  // One row past the page tells whether more exist.
  std::string sql = fmt::format(
      "SELECT job_id, created_time, creator, settings FROM jobs WHERE {} ORDER BY job_id {} LIMIT ?4 OFFSET ?5",
      where, backwards ? "DESC" : "ASC");
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare(sql));
  if (query.after_job_id) stmt.Bind(1, *query.after_job_id);
  if (query.before_job_id) stmt.Bind(2, *query.before_job_id);
  std::string name_lower;
  if (query.name) {
    name_lower = *query.name;
    std::transform(name_lower.begin(), name_lower.end(), name_lower.begin(),
                   [](unsigned char c) { return std::tolower(c); });
    stmt.Bind(3, std::string_view(name_lower));
  }
  stmt.Bind(4, query.limit + 1).Bind(5, query.offset);
  JobPage page;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    INLET_ASSIGN_OR_RAISE(auto job, ReadJob(stmt));
    page.jobs.push_back(std::move(job));
  }
  bool more = static_cast<int64_t>(page.jobs.size()) > query.limit;
  if (more) page.jobs.pop_back();
  if (backwards) {
    std::reverse(page.jobs.begin(), page.jobs.end());
    page.more_before = more;
    page.more_after = true;  // the page we came back from
  } else {
    page.more_after = more;
    page.more_before = query.after_job_id.has_value() || query.offset > 0;
  }
  return page;
}

Result<std::vector<JobRecord>> JobStore::AllJobs() {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt,
                        db_->Prepare("SELECT job_id, created_time, creator, settings FROM jobs ORDER BY job_id"));
  std::vector<JobRecord> jobs;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    INLET_ASSIGN_OR_RAISE(auto job, ReadJob(stmt));
    jobs.push_back(std::move(job));
  }
  return jobs;
}

Result<std::vector<SettingsVersion>> JobStore::SettingsHistory(int64_t job_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("SELECT version, changed_time, change, settings FROM "
                                                "job_settings_history WHERE job_id = ? ORDER BY version"));
  stmt.Bind(1, job_id);
  std::vector<SettingsVersion> versions;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    SettingsVersion version;
    version.version = stmt.Int64(0);
    version.changed_time = stmt.Int64(1);
    version.change = stmt.Text(2);
    INLET_ASSIGN_OR_RAISE(version.settings, ParseStored(stmt.Text(3), "settings history of job", job_id));
    versions.push_back(std::move(version));
  }
  return versions;
}

Result<RunRecord> JobStore::InsertRun(RunRecord run) {
  std::lock_guard lock(db_->mutex());
  SqliteTransaction txn(db_.get());
  INLET_RETURN_NOT_OK(txn.Begin());
  INLET_ASSIGN_OR_RAISE(auto count, db_->Prepare("SELECT COALESCE(MAX(number_in_job), 0) FROM runs WHERE job_id = ?"));
  count.Bind(1, run.job_id);
  INLET_ASSIGN_OR_RAISE(bool row, count.Step());
  run.number_in_job = row ? count.Int64(0) + 1 : 1;
  INLET_ASSIGN_OR_RAISE(auto insert,
                        db_->Prepare(fmt::format("INSERT INTO runs({}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                                 "?, ?, ?, ?, ?, ?, ?, ?)",
                                                 kRunColumns)));
  BindRunFields(insert, run, 1);
  INLET_RETURN_NOT_OK(insert.Run());
  run.run_id = db_->LastInsertRowId();
  INLET_RETURN_NOT_OK(txn.Commit());
  return run;
}

Status JobStore::UpdateRun(const RunRecord& run) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare("UPDATE runs SET job_id = ?, number_in_job = ?, run_name = ?, "
                                                "trigger = ?, life_cycle_state = ?, result_state = ?, "
                                                "state_message = ?, termination_code = ?, user_cancelled = ?, "
                                                "cancel_requested = ?, start_time = ?, execution_start = ?, "
                                                "end_time = ?, idempotency_token = ?, settings = ?, overrides = ?, "
                                                "tasks = ?, figures = ? WHERE run_id = ?"));
  BindRunFields(stmt, run, 1);
  stmt.Bind(19, run.run_id);
  return stmt.Run();
}

Result<std::optional<RunRecord>> JobStore::GetRun(int64_t run_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare(fmt::format("SELECT {} FROM runs WHERE run_id = ?", kRunColumns)));
  stmt.Bind(1, run_id);
  INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
  if (!row) return std::optional<RunRecord>();
  INLET_ASSIGN_OR_RAISE(auto run, ReadRun(stmt));
  return std::optional<RunRecord>(std::move(run));
}

Result<int64_t> JobStore::CountActiveRuns(int64_t job_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare(fmt::format(
                                       "SELECT COUNT(*) FROM runs WHERE job_id = ? AND life_cycle_state IN {}",
                                       kActiveStates)));
  stmt.Bind(1, job_id);
  INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
  return row ? stmt.Int64(0) : 0;
}

Result<std::optional<RunRecord>> JobStore::FindRunByIdempotencyToken(int64_t job_id, const std::string& token) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare(fmt::format(
                                       "SELECT {} FROM runs WHERE job_id = ? AND idempotency_token = ? LIMIT 1",
                                       kRunColumns)));
  stmt.Bind(1, job_id).Bind(2, std::string_view(token));
  INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
  if (!row) return std::optional<RunRecord>();
  INLET_ASSIGN_OR_RAISE(auto run, ReadRun(stmt));
  return std::optional<RunRecord>(std::move(run));
}

Result<RunPage> JobStore::ListRuns(const RunQuery& query) {
  std::lock_guard lock(db_->mutex());
  bool backwards = query.after_run_id.has_value();
  std::string where = "1 = 1";
  if (query.job_id) where += " AND job_id = ?1";
  if (query.before_run_id) where += " AND run_id < ?2";
  if (query.after_run_id) where += " AND run_id > ?3";
  if (query.start_time_from) where += " AND start_time >= ?4";
  if (query.start_time_to) where += " AND start_time <= ?5";
  if (query.active_only) where += fmt::format(" AND life_cycle_state IN {}", kActiveStates);
  if (query.completed_only) where += fmt::format(" AND life_cycle_state NOT IN {}", kActiveStates);
  std::string sql = fmt::format("SELECT {} FROM runs WHERE {} ORDER BY run_id {} LIMIT ?6 OFFSET ?7", kRunColumns,
                                where, backwards ? "ASC" : "DESC");
  INLET_ASSIGN_OR_RAISE(auto stmt, db_->Prepare(sql));
  if (query.job_id) stmt.Bind(1, *query.job_id);
  if (query.before_run_id) stmt.Bind(2, *query.before_run_id);
  if (query.after_run_id) stmt.Bind(3, *query.after_run_id);
  if (query.start_time_from) stmt.Bind(4, *query.start_time_from);
  if (query.start_time_to) stmt.Bind(5, *query.start_time_to);
  stmt.Bind(6, query.limit + 1).Bind(7, query.offset);
  RunPage page;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    INLET_ASSIGN_OR_RAISE(auto run, ReadRun(stmt));
    page.runs.push_back(std::move(run));
  }
  bool more = static_cast<int64_t>(page.runs.size()) > query.limit;
  if (more) page.runs.pop_back();
  if (backwards) {
    std::reverse(page.runs.begin(), page.runs.end());
    page.more_before = more;
    page.more_after = true;
  } else {
    page.more_after = more;
    page.more_before = query.before_run_id.has_value() || query.offset > 0;
  }
  return page;
}

Result<std::vector<int64_t>> JobStore::ActiveRunIds(std::optional<int64_t> job_id) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt,
                        db_->Prepare(fmt::format("SELECT run_id FROM runs WHERE life_cycle_state IN {} AND "
                                                 "(?1 IS NULL OR job_id = ?1) ORDER BY run_id",
                                                 kActiveStates)));
  stmt.Bind(1, job_id);
  std::vector<int64_t> ids;
  while (true) {
    INLET_ASSIGN_OR_RAISE(bool row, stmt.Step());
    if (!row) break;
    ids.push_back(stmt.Int64(0));
  }
  return ids;
}

Result<int64_t> JobStore::FailInterruptedRuns(int64_t now_ms, const std::string& reason) {
  std::lock_guard lock(db_->mutex());
  INLET_ASSIGN_OR_RAISE(auto stmt,
                        db_->Prepare(fmt::format("UPDATE runs SET life_cycle_state = 'INTERNAL_ERROR', "
                                                 "result_state = 'FAILED', termination_code = 'INTERNAL_ERROR', "
                                                 "state_message = ?, end_time = ? WHERE life_cycle_state IN {}",
                                                 kActiveStates)));
  INLET_RETURN_NOT_OK(stmt.Bind(1, std::string_view(reason)).Bind(2, now_ms).Run());
  return static_cast<int64_t>(db_->Changes());
}

}  // namespace inlet::service
