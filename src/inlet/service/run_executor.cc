// The worker pool behind run-now and schedules. A run executes its job's tasks in order;
// each inlet ingestion task calls stream::RunIngest with the run's cancel flag.
#include "inlet/service/run_executor.h"

#include <chrono>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "inlet/service/ingest_task.h"
#include "inlet/stream/schema_change.h"

namespace inlet::service {
namespace {

using nlohmann::json;

constexpr const char* kStoppedMessage =
    "inlet serve stopped while this run was in progress; the stream's checkpoint keeps the table exactly-once, "
    "run the job again to go on";

json ZeroFigures() {
  return json{{"files", 0},        {"rows", 0},    {"bytes", 0},   {"rescued_rows", 0}, {"mismatched_values", 0},
              {"records_read", 0}, {"bad_records", 0}, {"batches", 0}, {"table_version", -1}};
}

void AddBatch(json& figures, const stream::BatchReport& batch) {
  figures["files"] = figures["files"].get<int64_t>() + batch.files;
  figures["rows"] = figures["rows"].get<int64_t>() + batch.records;
  figures["bytes"] = figures["bytes"].get<int64_t>() + batch.bytes;
  figures["rescued_rows"] = figures["rescued_rows"].get<int64_t>() + batch.rescued_records;
  figures["mismatched_values"] = figures["mismatched_values"].get<int64_t>() + batch.type_mismatches;
  figures["records_read"] = figures["records_read"].get<int64_t>() + batch.records_read;
  figures["bad_records"] = figures["bad_records"].get<int64_t>() + batch.bad_records;
  figures["batches"] = figures["batches"].get<int64_t>() + 1;
  if (batch.table_version >= 0) figures["table_version"] = batch.table_version;
}

std::string FiguresSentence(const json& figures) {
  return fmt::format("ingested {} files, {} rows ({} rescued rows, {} malformed records, {} mismatched values) in {} "
                     "batches",
                     figures.value("files", 0), figures.value("rows", 0), figures.value("rescued_rows", 0),
                     figures.value("bad_records", 0), figures.value("mismatched_values", 0), figures.value("batches", 0));
}

void EndRun(RunRecord& run, const std::string& life_cycle, const std::string& result, const std::string& code,
            const std::string& message) {
  run.life_cycle_state = life_cycle;
  run.result_state = result;
  run.termination_code = code;
  run.state_message = message;
  run.end_time = NowMillis();
}

}  // namespace

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

RunExecutor::RunExecutor(JobStore* store, int workers, IngestFunction ingest)
    : store_(store), workers_(workers < 1 ? 1 : workers), ingest_(std::move(ingest)) {
  if (!ingest_) ingest_ = [](const IngestOptions& options, const stream::BatchCallback& on_batch,
                             const std::atomic<bool>* cancel) { return stream::RunIngest(options, on_batch, cancel); };
}

RunExecutor::~RunExecutor() { Stop(); }

void RunExecutor::Start() {
  std::lock_guard lock(queue_mutex_);
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { WorkerLoop(); });
}

void RunExecutor::Stop() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(queue_mutex_);
    stopping_ = true;
    for (auto& [run_id, flag] : cancel_flags_) flag->store(true);
    threads.swap(threads_);
  }
  queue_cv_.notify_all();
  for (auto& thread : threads) thread.join();
}

void RunExecutor::WaitIdle() {
  std::unique_lock lock(queue_mutex_);
  idle_cv_.wait(lock, [this] { return queue_.empty() && busy_ == 0; });
}

Status RunExecutor::ModifyRun(int64_t run_id, const std::function<void(RunRecord&)>& change) {
  std::lock_guard lock(runs_mutex_);
  INLET_ASSIGN_OR_RAISE(auto run, store_->GetRun(run_id));
  if (!run) return Status::KeyError(fmt::format("run {} does not exist", run_id));
  change(*run);
  return store_->UpdateRun(*run);
}

Result<RunRecord> RunExecutor::Trigger(const JobRecord& job, const TriggerRequest& request) {
  RunRecord run;
  run.job_id = job.job_id;
  run.run_name = job.settings.value("name", "Untitled");
  run.trigger = request.trigger;
  run.settings = job.settings;
  run.overrides = request.overrides.is_object() ? request.overrides : json::object();
  run.idempotency_token = request.idempotency_token;
  run.start_time = NowMillis();
  run.figures = ZeroFigures();
  run.tasks = json::array();
  if (job.settings.contains("tasks") && job.settings["tasks"].is_array()) {
    for (const auto& task : job.settings["tasks"]) {
      json entry = task;
      entry["state"] = json{{"life_cycle_state", "PENDING"}, {"state_message", ""}};
      run.tasks.push_back(std::move(entry));
    }
  }
  int64_t max_concurrent = job.settings.value("max_concurrent_runs", int64_t{1});
  std::lock_guard lock(runs_mutex_);
  INLET_ASSIGN_OR_RAISE(int64_t active, store_->CountActiveRuns(job.job_id));
  if (active >= max_concurrent) {
    EndRun(run, "SKIPPED", "MAXIMUM_CONCURRENT_RUNS_REACHED", "MAX_CONCURRENT_RUNS_EXCEEDED",
           fmt::format("Skipping this run because the limit of {} maximum concurrent runs has been reached ({} "
                       "active).",
                       max_concurrent, active));
    run.end_time = run.start_time;
    for (auto& task : run.tasks) task["state"] = json{{"life_cycle_state", "SKIPPED"}, {"state_message", ""}};
    return store_->InsertRun(std::move(run));
  }
  INLET_ASSIGN_OR_RAISE(auto inserted, store_->InsertRun(std::move(run)));
  {
    std::lock_guard queue_lock(queue_mutex_);
    queue_.push_back(inserted.run_id);
  }
  queue_cv_.notify_one();
  return inserted;
}

Result<bool> RunExecutor::Cancel(int64_t run_id) {
  std::lock_guard lock(runs_mutex_);
  INLET_ASSIGN_OR_RAISE(auto run, store_->GetRun(run_id));
  if (!run) return false;
  if (!run->Active()) return true;  // already over: cancelling is a no-op, as in Databricks
  run->cancel_requested = true;
  run->user_cancelled = true;
  {
    std::lock_guard queue_lock(queue_mutex_);
    auto flag = cancel_flags_.find(run_id);
    if (flag != cancel_flags_.end()) {
      flag->second->store(true);
      run->life_cycle_state = "TERMINATING";
      run->state_message = "Cancelling: the ingest stops at its next file or batch boundary.";
      INLET_RETURN_NOT_OK(store_->UpdateRun(*run));
      return true;
    }
  }
  // Not started yet: the worker that dequeues it finds it terminated and drops it.
  EndRun(*run, "TERMINATED", "CANCELED", "USER_CANCELED", "Run cancelled before it started.");
  for (auto& task : run->tasks) task["state"] = json{{"life_cycle_state", "SKIPPED"}, {"state_message", ""}};
  INLET_RETURN_NOT_OK(store_->UpdateRun(*run));
  return true;
}

void RunExecutor::WorkerLoop() {
  while (true) {
    int64_t run_id = 0;
    {
      std::unique_lock lock(queue_mutex_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      run_id = queue_.front();
      queue_.pop_front();
      ++busy_;
    }
    Execute(run_id);
    {
      std::lock_guard lock(queue_mutex_);
      --busy_;
      cancel_flags_.erase(run_id);
    }
    idle_cv_.notify_all();
  }
}

void RunExecutor::Execute(int64_t run_id) {
  auto cancel = std::make_shared<std::atomic<bool>>(false);
  RunRecord run;
  {
    std::lock_guard lock(runs_mutex_);
    auto stored = store_->GetRun(run_id);
    if (!stored.ok() || !stored->has_value() || (*stored)->life_cycle_state != "PENDING") return;
    run = std::move(**stored);
    run.life_cycle_state = "RUNNING";
    run.execution_start = NowMillis();
    run.state_message = "";
    Status st = store_->UpdateRun(run);
    if (!st.ok()) {
      spdlog::error("run {}: {}", run_id, st.message());
      return;
    }
    std::lock_guard queue_lock(queue_mutex_);
    if (stopping_) cancel->store(true);
    cancel_flags_[run_id] = cancel;
  }
  Status st;
  try {
    st = ExecuteTasks(&run, cancel);
  } catch (const std::exception& e) {
    st = Status::UnknownError(fmt::format("unexpected error: {}", e.what()));
  }
  Status written = ModifyRun(run_id, [&](RunRecord& stored) {
    stored.tasks = run.tasks;
    stored.figures = run.figures;
    bool stopped = cancel->load() && !stored.cancel_requested;
    if (stopped) {
      EndRun(stored, "INTERNAL_ERROR", "FAILED", "INTERNAL_ERROR", kStoppedMessage);
    } else if (stored.cancel_requested) {
      EndRun(stored, "TERMINATED", "CANCELED", "USER_CANCELED",
             fmt::format("Run cancelled by a user; {} before it stopped.", FiguresSentence(run.figures)));
    } else if (!st.ok()) {
      EndRun(stored, "TERMINATED", "FAILED", run.termination_code.empty() ? "RUN_EXECUTION_ERROR" : run.termination_code,
             st.message());
    } else {
      std::string sentence = FiguresSentence(run.figures);
      sentence[0] = static_cast<char>(std::toupper(sentence[0]));
      EndRun(stored, "TERMINATED", "SUCCESS", "SUCCESS", sentence + ".");
    }
  });
  if (!written.ok()) spdlog::error("run {}: cannot record its end: {}", run_id, written.message());
}

Status RunExecutor::ExecuteTasks(RunRecord* run, const std::shared_ptr<std::atomic<bool>>& cancel) {
  json named_overrides = run->overrides.value("python_named_params", json::object());
  Status failure;
  for (size_t i = 0; i < run->tasks.size(); ++i) {
    json& task = run->tasks[i];
    std::string key = task.value("task_key", fmt::format("#{}", i));
    if (!failure.ok() || cancel->load()) {
      task["state"] = json{{"life_cycle_state", "SKIPPED"},
                           {"result_state", cancel->load() ? "CANCELED" : "UPSTREAM_FAILED"},
                           {"state_message", ""}};
      continue;
    }
    int64_t task_start = NowMillis();
    task["start_time"] = task_start;
    task["state"] = json{{"life_cycle_state", "RUNNING"}, {"state_message", ""}};
    json figures = ZeroFigures();
    auto options = IngestOptionsForTask(task, named_overrides);
    Status task_status;
    if (!options.ok()) {
      task_status = options.status();
      run->termination_code = "INVALID_RUN_CONFIGURATION";
    } else if (!options->has_value()) {
      task_status = Status::NotImplemented(fmt::format(
          "task '{}' is a {}: inlet runs only ingestion tasks (python_wheel_task with package_name 'inlet' and "
          "entry_point 'ingest', or inlet_ingest_task); the task is kept as written but cannot run",
          key, TaskKind(task)));
      run->termination_code = "INVALID_RUN_CONFIGURATION";
    } else {
      int64_t run_id = run->run_id;
      json run_figures = run->figures;
      auto on_batch = [&](const stream::BatchReport& batch) {
        AddBatch(figures, batch);
        AddBatch(run_figures, batch);
        // Progress for runs/get while the ingest goes on.
        Status progress = ModifyRun(run_id, [&](RunRecord& stored) { stored.figures = run_figures; });
        if (!progress.ok()) spdlog::warn("run {}: {}", run_id, progress.message());
      };
      auto report = ingest_(**options, on_batch, cancel.get());
      run->figures = run_figures;
      if (!report.ok()) {
        task_status = report.status();
        if (stream::IsSchemaChange(task_status)) {
          task_status = Status::Invalid(fmt::format(
              "task '{}': the stream stopped on a schema change; run the job again to go on with the new schema "
              "version: {}",
              key, task_status.message()));
        } else if (!task_status.IsCancelled()) {
          task_status = Status::IOError(fmt::format("task '{}': {}", key, task_status.message()));
        }
      }
    }
    task["end_time"] = NowMillis();
    task["execution_duration"] = task["end_time"].get<int64_t>() - task_start;
    task["inlet_ingest"] = figures;
    if (task_status.ok() && !cancel->load()) {
      task["state"] = json{{"life_cycle_state", "TERMINATED"}, {"result_state", "SUCCESS"},
                           {"state_message", FiguresSentence(figures)}};
    } else if (cancel->load() || task_status.IsCancelled()) {
      task["state"] = json{{"life_cycle_state", "TERMINATED"}, {"result_state", "CANCELED"},
                           {"state_message", "cancelled"}};
    } else {
      task["state"] = json{{"life_cycle_state", "TERMINATED"}, {"result_state", "FAILED"},
                           {"state_message", task_status.message()}};
      failure = task_status;
    }
    Status progress = ModifyRun(run->run_id, [&](RunRecord& stored) {
      stored.tasks = run->tasks;
      stored.figures = run->figures;
    });
    if (!progress.ok()) spdlog::warn("run {}: {}", run->run_id, progress.message());
  }
  if (run->tasks.empty()) {
    run->termination_code = "INVALID_RUN_CONFIGURATION";
    return Status::Invalid("the job has no tasks: add an inlet ingestion task (see docs/jobs-service.md)");
  }
  return failure;
}

}  // namespace inlet::service
