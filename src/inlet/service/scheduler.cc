// The schedule loop: keeps each UNPAUSED job's next fire time and triggers it when due.
#include "inlet/service/scheduler.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace inlet::service {

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::optional<std::chrono::sys_seconds> Scheduler::NextFireTime(int64_t job_id) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(job_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.next;
}

Status Scheduler::Reload(std::chrono::sys_seconds now) {
  uint64_t generation = store_->generation();
  if (loaded_generation_ && *loaded_generation_ == generation) return Status::OK();
  INLET_ASSIGN_OR_RAISE(auto jobs, store_->AllJobs());
  std::map<int64_t, Entry> fresh;
  for (const auto& job : jobs) {
    const auto& settings = job.settings;
    if (!settings.contains("schedule") || !settings["schedule"].is_object()) continue;
    const auto& sched = settings["schedule"];
    if (sched.value("pause_status", "UNPAUSED") != "UNPAUSED") continue;
    Entry entry;
    entry.cron_text = sched.value("quartz_cron_expression", "");
    entry.time_zone = sched.value("timezone_id", "UTC");
    auto old = entries_.find(job.job_id);
    if (old != entries_.end() && old->second.cron_text == entry.cron_text &&
        old->second.time_zone == entry.time_zone) {
      fresh[job.job_id] = std::move(old->second);  // unchanged: keep its next fire time
      continue;
    }
    auto cron = schedule::CronExpression::Parse(entry.cron_text);
    if (!cron.ok()) {
      spdlog::warn("job {}: schedule not used: {}", job.job_id, cron.status().message());
      continue;
    }
    auto next = cron->NextAfter(now, entry.time_zone);
    if (!next.ok()) {
      spdlog::warn("job {}: schedule not used: {}", job.job_id, next.status().message());
      continue;
    }
    entry.cron = std::move(*cron);
    entry.next = *next;
    fresh[job.job_id] = std::move(entry);
  }
  entries_ = std::move(fresh);
  loaded_generation_ = generation;
  return Status::OK();
}

Result<int> Scheduler::Tick(std::chrono::sys_seconds now) {
  std::lock_guard lock(mutex_);
  INLET_RETURN_NOT_OK(Reload(now));
  int fired = 0;
  for (auto& [job_id, entry] : entries_) {
    if (!entry.next || *entry.next > now) continue;
    auto job = store_->GetJob(job_id);
    if (job.ok() && job->has_value()) {
      TriggerRequest request;
      request.trigger = "PERIODIC";
      auto run = executor_->Trigger(**job, request);
      if (run.ok()) {
        ++fired;
        spdlog::info("job {}: schedule '{}' ({}) started run {}{}", job_id, entry.cron_text, entry.time_zone,
                     run->run_id, run->life_cycle_state == "SKIPPED" ? " (skipped: max_concurrent_runs)" : "");
      } else {
        spdlog::error("job {}: cannot start a scheduled run: {}", job_id, run.status().message());
      }
    }
    // From the later of the due time and now: a server that fell behind fires once, not
    // once per missed time.
    auto from = std::max(*entry.next, now);
    auto next = entry.cron->NextAfter(from, entry.time_zone);
    entry.next = next.ok() ? *next : std::nullopt;
  }
  return fired;
}

void Scheduler::Loop() {
  while (true) {
    auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto fired = Tick(now);
    if (!fired.ok()) spdlog::error("scheduler: {}", fired.status().message());
    std::unique_lock lock(mutex_);
    // A few times a second: fire times are whole seconds, and schedule edits apply quickly.
    if (cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) return;
  }
}

}  // namespace inlet::service
