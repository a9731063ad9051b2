// `inlet jobs`: list, inspect, pause/resume, run and follow jobs on an `inlet serve` (or any
// Databricks Jobs API) server. Flags and printing only; the calls are in jobsclient/.
#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <iostream>
#include <memory>
#include <vector>

#include "inlet/cli/command_util.h"
#include "inlet/cli/commands.h"
#include "inlet/jobsclient/jobs_client.h"

namespace inlet::cli {
namespace {

using nlohmann::json;
namespace jc = inlet::jobsclient;

struct JobsArgs {
  jc::ConfigFlags connection;
  bool debug = false;
  std::string name;  // list --name
  std::string format = "table";
  int64_t job_id = 0;          // get/pause/resume/run/runs ID
  bool all_scheduled = false;  // pause --all-scheduled
  bool wait = false;           // run --wait
  double timeout_seconds = 0;  // run --timeout
  int limit = 20;              // runs --limit
  CLI::App* list = nullptr;
  CLI::App* get = nullptr;
  CLI::App* pause = nullptr;
  CLI::App* resume = nullptr;
  CLI::App* run = nullptr;
  CLI::App* runs = nullptr;
};

std::unique_ptr<jc::ApiClient> Connect(const JobsArgs& args) {
  auto config = OrThrow(jc::ResolveConfig(args.connection));
  if (args.debug) {
    std::cerr << "* host " << config.host << " (from " << config.host_source << "), token from "
              << config.token_source << "\n";
  }
  jc::ApiClientOptions options;
  options.debug = args.debug;
  return OrThrow(jc::ApiClient::Make(config, options));
}

std::string Text(const json& object, const char* key) {
  if (!object.is_object()) return "";
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

json Settings(const json& job) { return job.value("settings", json::object()); }
json Schedule(const json& job) { return Settings(job).value("schedule", json::object()); }

// Left-aligned columns, two spaces apart, header first.
void PrintTable(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(header.size());
  for (size_t i = 0; i < header.size(); ++i) widths[i] = header[i].size();
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  auto print_row = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += i + 1 == row.size() ? row[i] : fmt::format("{:<{}}  ", row[i], widths[i]);
    }
    std::cout << line << "\n";
  };
  print_row(header);
  for (const auto& row : rows) print_row(row);
}

std::string DurationText(int64_t millis) {
  if (millis < 60'000) return fmt::format("{:.1f}s", millis / 1000.0);
  return fmt::format("{}m{:02}s", millis / 60'000, (millis / 1000) % 60);
}

// The run's duration: the API's run_duration, else end - start, else "-".
std::string RunDuration(const json& run) {
  int64_t duration = run.value("run_duration", int64_t{0});
  if (duration == 0) duration = run.value("execution_duration", int64_t{0});
  if (duration > 0) return DurationText(duration);
  int64_t start = run.value("start_time", int64_t{0});
  int64_t end = run.value("end_time", int64_t{0});
  return start > 0 && end >= start ? DurationText(end - start) : "-";
}

void CheckFormat(const std::string& format) {
  if (format != "table" && format != "json")
    throw UsageError("--format must be table or json, got '" + format + "'");
}

int RunList(const JobsArgs& args) {
  CheckFormat(args.format);
  auto client = Connect(args);
  auto jobs = OrThrow(jc::ListJobs(*client, args.name));
  if (args.format == "json") {
    std::cout << json{{"jobs", jobs}}.dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& job : jobs) {
    json schedule = Schedule(job);
    auto pause = jc::SchedulePauseStatus(job);
    rows.push_back({Text(job, "job_id"), Text(Settings(job), "name"),
                    pause ? Text(schedule, "quartz_cron_expression") : "-",
                    pause ? Text(schedule, "timezone_id") : "-", pause.value_or("-")});
  }
  PrintTable({"JOB_ID", "NAME", "SCHEDULE", "TIMEZONE", "PAUSE_STATUS"}, rows);
  return kExitOk;
}

int RunGet(const JobsArgs& args) {
  auto client = Connect(args);
  std::cout << OrThrow(jc::GetJob(*client, args.job_id)).dump(2) << "\n";
  return kExitOk;
}

std::string DescribeChange(const char* verb, const json& job) {
  json schedule = Schedule(job);
  return fmt::format("{} job {} ({}): {} {}", verb, Text(job, "job_id"), Text(Settings(job), "name"),
                     Text(schedule, "quartz_cron_expression"), Text(schedule, "timezone_id"));
}

int RunSetPause(const JobsArgs& args, const std::string& pause_status) {
  const bool pausing = pause_status == "PAUSED";
  auto client = Connect(args);
  if (!args.all_scheduled) {
    json job = OrThrow(jc::GetJob(*client, args.job_id));
    auto change = OrThrow(jc::SetPauseStatus(*client, job, pause_status));
    std::cout << DescribeChange(change == jc::PauseChange::kChanged
                                    ? (pausing ? "paused" : "resumed")
                                    : (pausing ? "already paused" : "already unpaused"),
                                job)
              << "\n";
    return kExitOk;
  }
  // --all-scheduled: every job whose schedule is UNPAUSED; one failure does not stop the rest.
  auto result = OrThrow(jc::PauseAllScheduled(*client));
  int failed = 0;
  for (const auto& outcome : result.outcomes) {
    if (outcome.status.ok()) {
      std::cout << DescribeChange("paused", outcome.job) << "\n";
    } else {
      ++failed;
      std::cerr << "inlet: error: pausing job " << Text(outcome.job, "job_id") << ": "
                << outcome.status.message() << "\n";
    }
  }
  std::cerr << fmt::format("paused {} of {} jobs ({} with a schedule{})\n", result.outcomes.size() - failed,
                           result.jobs, result.scheduled, failed ? fmt::format(", {} failed", failed) : "");
  return failed ? kExitFailure : kExitOk;
}

// One progress line on stderr: rewritten in place on a terminal, a new line per state
// change otherwise (so logs of CI jobs stay short).
class ProgressLine {
 public:
  ProgressLine() : terminal_(isatty(STDERR_FILENO) == 1) {}
  void Update(const std::string& text, const std::string& state) {
    if (terminal_) {
      std::cerr << "\r\033[K" << text << std::flush;
      shown_ = true;
    } else if (state != last_state_) {
      std::cerr << text << "\n";
    }
    last_state_ = state;
  }
  void Finish() {
    if (terminal_ && shown_) std::cerr << "\n";
  }

 private:
  bool terminal_;
  bool shown_ = false;
  std::string last_state_;
};

int RunRunNow(const JobsArgs& args) {
  if (args.timeout_seconds < 0) throw UsageError("--timeout must be >= 0 seconds");
  if (args.timeout_seconds > 0 && !args.wait) throw UsageError("--timeout needs --wait");
  auto client = Connect(args);
  int64_t run_id = OrThrow(jc::RunNow(*client, args.job_id));
  std::cout << fmt::format("started run {} of job {}", run_id, args.job_id) << std::endl;
  if (!args.wait) return kExitOk;

  ProgressLine progress;
  jc::WaitOptions options;
  options.timeout = std::chrono::milliseconds(static_cast<int64_t>(args.timeout_seconds * 1000));
  options.on_poll = [&](const json& run, std::chrono::milliseconds waited) {
    std::string state = jc::RunStateText(run);
    progress.Update(
        fmt::format("run {} of job {}: {} ({}s)", run_id, args.job_id, state, waited.count() / 1000), state);
  };
  auto run = jc::WaitForRun(*client, run_id, options);
  progress.Finish();
  json last = OrThrow(std::move(run));
  std::string message = Text(last.value("state", json::object()), "state_message");
  std::cout << fmt::format("run {}: {}{} in {}", run_id, jc::RunStateText(last),
                           message.empty() ? "" : ": " + message, RunDuration(last))
            << "\n";
  return jc::RunSucceeded(last) ? kExitOk : kExitFailure;
}

int RunRuns(const JobsArgs& args) {
  CheckFormat(args.format);
  if (args.limit < 1) throw UsageError("--limit must be at least 1");
  auto client = Connect(args);
  auto runs = OrThrow(jc::ListRuns(*client, args.job_id, args.limit));
  if (args.format == "json") {
    std::cout << json{{"runs", runs}}.dump(2) << "\n";
    return kExitOk;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& run : runs) {
    int64_t start = run.value("start_time", int64_t{0});
    rows.push_back({Text(run, "run_id"), jc::RunStateText(run), start > 0 ? FormatTimestamp(start) : "-",
                    RunDuration(run), Text(run.value("state", json::object()), "state_message")});
  }
  PrintTable({"RUN_ID", "STATE", "START", "DURATION", "MESSAGE"}, rows);
  return kExitOk;
}

int RunJobs(const JobsArgs& args) {
  // pause may go without an ID (--all-scheduled, checked below); the others require one.
  bool id_given = args.job_id != 0 || (!args.pause->parsed() && !args.list->parsed());
  if (id_given && args.job_id <= 0) {
    throw UsageError(fmt::format("job ID must be a positive integer, got {}", args.job_id));
  }
  if (args.list->parsed()) return RunList(args);
  if (args.get->parsed()) return RunGet(args);
  if (args.pause->parsed() || args.resume->parsed()) {
    bool pausing = args.pause->parsed();
    if (pausing && args.all_scheduled == (args.job_id != 0))
      throw UsageError("jobs pause: give a job ID or --all-scheduled");
    return RunSetPause(args, pausing ? "PAUSED" : "UNPAUSED");
  }
  if (args.run->parsed()) return RunRunNow(args);
  if (args.runs->parsed()) return RunRuns(args);
  throw UsageError("jobs: name a subcommand (list, get, pause, resume, run, runs)");
}

}  // namespace

CommandRunner AddJobsCommand(CLI::App& app) {
  auto args = std::make_shared<JobsArgs>();
  app.require_subcommand(1);
  app.add_option("--host", args->connection.host,
                 "Server URL, e.g. http://127.0.0.1:8080 (else INLET_HOST, DATABRICKS_HOST, profile)");
  app.add_option("--token", args->connection.token,
                 "API token (else INLET_TOKEN, DATABRICKS_TOKEN, profile)");
  app.add_option("--profile", args->connection.profile, "Profile in ~/.databrickscfg (default: DEFAULT)");
  app.add_flag("--debug", args->debug, "Log each HTTP request and response to stderr, secrets redacted");

  auto id_option = [&](CLI::App* sub, bool required) {
    auto* option = sub->add_option("id", args->job_id, "Job ID (a positive integer)");
    if (required) option->required();
  };
  // fallthrough: connection flags may also come after the subcommand (`inlet jobs list --debug`).
  args->list = app.add_subcommand("list", "List all jobs (every page)")->fallthrough();
  args->list->add_option("--name", args->name, "Only jobs with exactly this name (case-insensitive)");
  args->list->add_option("--format", args->format, "table or json")->capture_default_str();

  args->get = app.add_subcommand("get", "Print a job's settings as JSON")->fallthrough();
  id_option(args->get, true);

  args->pause = app.add_subcommand("pause", "Pause a job's schedule, or every UNPAUSED one (--all-scheduled)")
                    ->fallthrough();
  id_option(args->pause, false);
  args->pause->add_flag("--all-scheduled", args->all_scheduled, "Pause every job whose schedule is UNPAUSED");

  args->resume = app.add_subcommand("resume", "Unpause a job's schedule")->fallthrough();
  id_option(args->resume, true);

  args->run = app.add_subcommand("run", "Start a run of a job now (run-now)")->fallthrough();
  id_option(args->run, true);
  args->run->add_flag("--wait", args->wait, "Wait for the run to end; exit 0 only if it succeeded");
  args->run->add_option("--timeout", args->timeout_seconds,
                        "With --wait: give up after S seconds (0 = never)");

  args->runs = app.add_subcommand("runs", "List a job's recent runs, newest first")->fallthrough();
  id_option(args->runs, true);
  args->runs->add_option("--limit", args->limit, "Runs to show")->capture_default_str();
  args->runs->add_option("--format", args->format, "table or json")->capture_default_str();

  return [args] { return RunJobs(*args); };
}

}  // namespace inlet::cli
