// Routing, auth, parameter parsing and the handlers of the Jobs API endpoints.
#include "inlet/service/jobs_api.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "inlet/service/job_settings.h"
#include "inlet/util/strings.h"

namespace inlet::service {
namespace {

using nlohmann::json;

constexpr int64_t kMaxJobsPageSize = 100;
constexpr int64_t kMaxRunsPageSize = 25;

// Query strings carry numbers and booleans as text; JSON bodies as numbers and booleans.
Result<std::optional<int64_t>> OptionalInt(const json& params, const std::string& name) {
  if (!params.contains(name) || params[name].is_null()) return std::optional<int64_t>();
  const json& value = params[name];
  if (value.is_number_integer()) return std::optional<int64_t>(value.get<int64_t>());
  if (value.is_string()) {
    const std::string& text = value.get_ref<const std::string&>();
    try {
      size_t used = 0;
      int64_t parsed = std::stoll(text, &used);
      if (used == text.size()) return std::optional<int64_t>(parsed);
    } catch (const std::exception&) {
    }
  }
  return Status::Invalid(fmt::format("{} must be an integer, got {}", name, value.dump()));
}

Result<int64_t> RequiredInt(const json& params, const std::string& name) {
  INLET_ASSIGN_OR_RAISE(auto value, OptionalInt(params, name));
  if (!value) return Status::Invalid(fmt::format("Missing required field: {}", name));
  return *value;
}

Result<bool> OptionalBool(const json& params, const std::string& name) {
  if (!params.contains(name) || params[name].is_null()) return false;
  const json& value = params[name];
  if (value.is_boolean()) return value.get<bool>();
  if (value.is_string()) {
    std::string text = AsciiLower(value.get<std::string>());
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return Status::Invalid(fmt::format("{} must be true or false, got {}", name, value.dump()));
}

// Page tokens: "after:<id>" (next page) or "before:<id>" (previous page). Opaque to clients.
struct PageToken {
  std::optional<int64_t> after, before;
};

Result<PageToken> ParsePageToken(const json& params) {
  PageToken token;
  if (!params.contains("page_token") || !params["page_token"].is_string()) return token;
  std::string text = params["page_token"].get<std::string>();
  if (text.empty()) return token;
  auto colon = text.find(':');
  try {
    if (colon != std::string::npos) {
      std::string kind = text.substr(0, colon);
      int64_t id = std::stoll(text.substr(colon + 1));
      if (kind == "after") token.after = id;
      if (kind == "before") token.before = id;
    }
  } catch (const std::exception&) {
  }
  if (!token.after && !token.before) return Status::Invalid(fmt::format("page_token '{}' is not valid", text));
  return token;
}

Result<int64_t> PageSize(const json& params, int64_t fallback, int64_t max, bool zero_means_max) {
  INLET_ASSIGN_OR_RAISE(auto limit, OptionalInt(params, "limit"));
  if (!limit) return fallback;
  if (*limit == 0 && zero_means_max) return max;
  if (*limit < 1 || *limit > max) {
    return Status::Invalid(fmt::format("limit must be greater than 0 and at most {}, got {}", max, *limit));
  }
  return *limit;
}

Status JobMissing(int64_t job_id) { return Status::KeyError(fmt::format("Job {} does not exist.", job_id)); }
Status RunMissing(int64_t run_id) { return Status::KeyError(fmt::format("Run {} does not exist.", run_id)); }

ApiResponse JsonResponse(const json& body) { return ApiResponse{200, body.dump(), {}}; }

// "Bearer <token>" -> token; empty when the header is missing or another scheme.
std::string BearerToken(const std::string& header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() || AsciiLower(header.substr(0, kScheme.size())) != kScheme) return {};
  std::string token = header.substr(kScheme.size());
  auto first = token.find_first_not_of(' ');
  auto last = token.find_last_not_of(' ');
  return first == std::string::npos ? std::string() : token.substr(first, last - first + 1);
}

}  // namespace

ApiResponse ErrorResponse(int status, const std::string& error_code, const std::string& message) {
  return ApiResponse{status, json{{"error_code", error_code}, {"message", message}}.dump(), {}};
}

JobsApi::JobsApi(JobStore* store, TokenStore* tokens, RunExecutor* executor, ApiOptions options)
    : store_(store), tokens_(tokens), executor_(executor), options_(options) {
  routes_[{"POST", "jobs/create"}] = &JobsApi::Create;
  routes_[{"GET", "jobs/list"}] = &JobsApi::List;
  routes_[{"GET", "jobs/get"}] = &JobsApi::Get;
  routes_[{"POST", "jobs/update"}] = &JobsApi::Update;
  routes_[{"POST", "jobs/reset"}] = &JobsApi::Reset;
  routes_[{"POST", "jobs/delete"}] = &JobsApi::Delete;
  routes_[{"POST", "jobs/run-now"}] = &JobsApi::RunNow;
  routes_[{"GET", "jobs/runs/get"}] = &JobsApi::RunsGet;
  routes_[{"GET", "jobs/runs/list"}] = &JobsApi::RunsList;
  routes_[{"POST", "jobs/runs/cancel"}] = &JobsApi::RunsCancel;
  routes_[{"POST", "jobs/runs/cancel-all"}] = &JobsApi::RunsCancelAll;
  bucket_ = options_.max_requests_per_second;
  bucket_time_ = std::chrono::steady_clock::now();
}

bool JobsApi::AllowRequest() {
  if (options_.max_requests_per_second <= 0) return true;
  std::lock_guard lock(rate_mutex_);
  auto now = std::chrono::steady_clock::now();
  double elapsed = std::chrono::duration<double>(now - bucket_time_).count();
  bucket_time_ = now;
  // A token bucket holding one second's worth of requests.
  bucket_ = std::min(options_.max_requests_per_second, bucket_ + elapsed * options_.max_requests_per_second);
  if (bucket_ < 1) return false;
  bucket_ -= 1;
  return true;
}

ApiResponse JobsApi::Handle(const ApiRequest& request) {
  if (!AllowRequest()) {
    ApiResponse response = ErrorResponse(429, "REQUEST_LIMIT_EXCEEDED",
                                         fmt::format("More than {} requests per second; retry after 1 second.",
                                                     options_.max_requests_per_second));
    response.headers.emplace_back("Retry-After", "1");
    return response;
  }
  std::string path = request.path;
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  // Host metadata the SDK probes while configuring a client; nothing secret, no auth.
  if (path == "/.well-known/databricks-config" && request.method == "GET") return JsonResponse(json::object());

  std::string token = BearerToken(request.authorization);
  if (token.empty()) {
    return ErrorResponse(401, "UNAUTHENTICATED",
                         "Missing or malformed Authorization header: send 'Authorization: Bearer <token>' with a "
                         "token from `inlet tokens create`.");
  }
  auto valid = tokens_->Verify(token);
  if (!valid.ok()) {
    spdlog::error("token check failed: {}", valid.status().message());
    return ErrorResponse(500, "INTERNAL_ERROR", "Could not check the access token.");
  }
  if (!*valid) return ErrorResponse(403, "PERMISSION_DENIED", "Invalid access token.");

  std::string route;
  for (std::string_view prefix : {"/api/2.1/", "/api/2.2/"}) {
    if (path.starts_with(prefix)) route = path.substr(prefix.size());
  }
  auto handler = routes_.find({request.method, route});
  if (route.empty() || handler == routes_.end()) {
    bool other_method = std::any_of(routes_.begin(), routes_.end(),
                                    [&](const auto& entry) { return !route.empty() && entry.first.second == route; });
    if (other_method) {
      return ErrorResponse(405, "BAD_REQUEST", fmt::format("{} is not supported for {}", request.method, path));
    }
    return ErrorResponse(404, "ENDPOINT_NOT_FOUND",
                         fmt::format("No API found for '{} {}' (inlet serves /api/2.1/jobs/* and /api/2.2/jobs/*)",
                                     request.method, path));
  }

  json params = json::object();
  for (const auto& [key, value] : request.query) params[key] = value;
  if (!request.body.empty() && request.method != "GET") {
    json body;
    try {
      body = json::parse(request.body);
    } catch (const json::exception& e) {
      return ErrorResponse(400, "MALFORMED_REQUEST", fmt::format("Request body is not valid JSON: {}", e.what()));
    }
    if (!body.is_object()) return ErrorResponse(400, "MALFORMED_REQUEST", "Request body must be a JSON object.");
    for (const auto& [key, value] : body.items()) params[key] = value;
  }

  Result<json> result = [&]() -> Result<json> {
    try {
      return (this->*(handler->second))(params);
    } catch (const std::exception& e) {
      return Status::UnknownError(e.what());
    }
  }();
  if (result.ok()) return JsonResponse(*result);
  const Status& st = result.status();
  if (st.IsInvalid()) return ErrorResponse(400, "INVALID_PARAMETER_VALUE", st.message());
  if (st.IsKeyError()) return ErrorResponse(404, "RESOURCE_DOES_NOT_EXIST", st.message());
  spdlog::error("{} {}: {}", request.method, path, st.ToString());
  return ErrorResponse(500, "INTERNAL_ERROR", st.message());
}

Result<json> JobsApi::Create(const json& params) {
  json settings = params;
  settings.erase("access_control_list");  // permissions are not modelled: every token may do everything
  INLET_ASSIGN_OR_RAISE(settings, NormalizeSettings(std::move(settings)));
  INLET_ASSIGN_OR_RAISE(int64_t job_id, store_->CreateJob(settings, "inlet", NowMillis()));
  return json{{"job_id", job_id}};
}

Result<json> JobsApi::List(const json& params) {
  JobQuery query;
  INLET_ASSIGN_OR_RAISE(query.limit, PageSize(params, 20, kMaxJobsPageSize, false));
  INLET_ASSIGN_OR_RAISE(auto offset, OptionalInt(params, "offset"));
  if (offset && *offset < 0) return Status::Invalid(fmt::format("offset must not be negative, got {}", *offset));
  INLET_ASSIGN_OR_RAISE(auto token, ParsePageToken(params));
  query.after_job_id = token.after;
  query.before_job_id = token.before;
  if (!token.after && !token.before) query.offset = offset.value_or(0);
  if (params.contains("name") && params["name"].is_string() && !params["name"].get<std::string>().empty()) {
    query.name = params["name"].get<std::string>();
  }
  INLET_ASSIGN_OR_RAISE(bool expand, OptionalBool(params, "expand_tasks"));
  INLET_ASSIGN_OR_RAISE(auto page, store_->ListJobs(query));
  json out{{"has_more", page.more_after}};
  if (!page.jobs.empty()) {
    json jobs = json::array();
    for (const auto& job : page.jobs) jobs.push_back(JobToJson(job, expand));
    out["jobs"] = std::move(jobs);
    if (page.more_after) out["next_page_token"] = fmt::format("after:{}", page.jobs.back().job_id);
    if (page.more_before) out["prev_page_token"] = fmt::format("before:{}", page.jobs.front().job_id);
  }
  return out;
}

Result<json> JobsApi::Get(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t job_id, RequiredInt(params, "job_id"));
  INLET_ASSIGN_OR_RAISE(auto job, store_->GetJob(job_id));
  if (!job) return JobMissing(job_id);
  return JobToJson(*job, true);
}

Result<json> JobsApi::Update(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t job_id, RequiredInt(params, "job_id"));
  INLET_ASSIGN_OR_RAISE(auto job, store_->GetJob(job_id));
  if (!job) return JobMissing(job_id);
  json new_settings = params.contains("new_settings") ? params["new_settings"] : json();
  json remove = params.contains("fields_to_remove") ? params["fields_to_remove"] : json();
  INLET_ASSIGN_OR_RAISE(json merged, MergeSettings(job->settings, new_settings, remove));
  INLET_ASSIGN_OR_RAISE(bool found, store_->ReplaceSettings(job_id, merged, "update", NowMillis()));
  if (!found) return JobMissing(job_id);
  return json::object();
}

Result<json> JobsApi::Reset(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t job_id, RequiredInt(params, "job_id"));
  if (!params.contains("new_settings")) return Status::Invalid("Missing required field: new_settings");
  INLET_ASSIGN_OR_RAISE(json settings, NormalizeSettings(params["new_settings"]));
  INLET_ASSIGN_OR_RAISE(bool found, store_->ReplaceSettings(job_id, settings, "reset", NowMillis()));
  if (!found) return JobMissing(job_id);
  return json::object();
}

Result<json> JobsApi::Delete(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t job_id, RequiredInt(params, "job_id"));
  INLET_ASSIGN_OR_RAISE(bool found, store_->DeleteJob(job_id));
  if (!found) return JobMissing(job_id);
  INLET_ASSIGN_OR_RAISE(auto active, store_->ActiveRunIds(job_id));
  for (int64_t run_id : active) INLET_RETURN_NOT_OK(executor_->Cancel(run_id).status());
  return json::object();
}

Result<json> JobsApi::RunNow(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t job_id, RequiredInt(params, "job_id"));
  INLET_ASSIGN_OR_RAISE(auto job, store_->GetJob(job_id));
  if (!job) return JobMissing(job_id);
  TriggerRequest request;
  if (params.contains("idempotency_token") && params["idempotency_token"].is_string()) {
    request.idempotency_token = params["idempotency_token"].get<std::string>();
    if (!request.idempotency_token.empty()) {
      INLET_ASSIGN_OR_RAISE(auto earlier, store_->FindRunByIdempotencyToken(job_id, request.idempotency_token));
      if (earlier) return json{{"run_id", earlier->run_id}, {"number_in_job", earlier->number_in_job}};
    }
  }
  for (const auto& [key, value] : params.items()) {
    if (key != "job_id" && key != "idempotency_token") request.overrides[key] = value;
  }
  if (request.overrides.contains("python_named_params") && !request.overrides["python_named_params"].is_object()) {
    return Status::Invalid("python_named_params must be an object of strings");
  }
  INLET_ASSIGN_OR_RAISE(auto run, executor_->Trigger(*job, request));
  return json{{"run_id", run.run_id}, {"number_in_job", run.number_in_job}};
}

Result<json> JobsApi::RunsGet(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t run_id, RequiredInt(params, "run_id"));
  INLET_ASSIGN_OR_RAISE(auto run, store_->GetRun(run_id));
  if (!run) return RunMissing(run_id);
  return RunToJson(*run, true, NowMillis());
}

Result<json> JobsApi::RunsList(const json& params) {
  RunQuery query;
  INLET_ASSIGN_OR_RAISE(query.job_id, OptionalInt(params, "job_id"));
  INLET_ASSIGN_OR_RAISE(query.active_only, OptionalBool(params, "active_only"));
  INLET_ASSIGN_OR_RAISE(query.completed_only, OptionalBool(params, "completed_only"));
  if (query.active_only && query.completed_only) {
    return Status::Invalid("active_only and completed_only cannot both be true");
  }
  INLET_ASSIGN_OR_RAISE(query.limit, PageSize(params, 20, kMaxRunsPageSize, true));
  INLET_ASSIGN_OR_RAISE(auto offset, OptionalInt(params, "offset"));
  if (offset && *offset < 0) return Status::Invalid(fmt::format("offset must not be negative, got {}", *offset));
  INLET_ASSIGN_OR_RAISE(auto token, ParsePageToken(params));
  // Runs are newest first: the next page holds smaller run ids.
  query.before_run_id = token.after;
  query.after_run_id = token.before;
  if (!token.after && !token.before) query.offset = offset.value_or(0);
  INLET_ASSIGN_OR_RAISE(query.start_time_from, OptionalInt(params, "start_time_from"));
  INLET_ASSIGN_OR_RAISE(query.start_time_to, OptionalInt(params, "start_time_to"));
  INLET_ASSIGN_OR_RAISE(bool expand, OptionalBool(params, "expand_tasks"));
  json out{{"has_more", false}};
  if (params.contains("run_type") && params["run_type"] != "JOB_RUN") return out;  // inlet has only job runs
  INLET_ASSIGN_OR_RAISE(auto page, store_->ListRuns(query));
  out["has_more"] = page.more_after;
  if (!page.runs.empty()) {
    json runs = json::array();
    int64_t now = NowMillis();
    for (const auto& run : page.runs) runs.push_back(RunToJson(run, expand, now));
    out["runs"] = std::move(runs);
    if (page.more_after) out["next_page_token"] = fmt::format("after:{}", page.runs.back().run_id);
    if (page.more_before) out["prev_page_token"] = fmt::format("before:{}", page.runs.front().run_id);
  }
  return out;
}

Result<json> JobsApi::RunsCancel(const json& params) {
  INLET_ASSIGN_OR_RAISE(int64_t run_id, RequiredInt(params, "run_id"));
  INLET_ASSIGN_OR_RAISE(bool found, executor_->Cancel(run_id));
  if (!found) return RunMissing(run_id);
  return json::object();
}

Result<json> JobsApi::RunsCancelAll(const json& params) {
  INLET_ASSIGN_OR_RAISE(auto job_id, OptionalInt(params, "job_id"));
  if (job_id) {
    INLET_ASSIGN_OR_RAISE(auto job, store_->GetJob(*job_id));
    if (!job) return JobMissing(*job_id);
  }
  INLET_ASSIGN_OR_RAISE(auto active, store_->ActiveRunIds(job_id));
  for (int64_t run_id : active) INLET_RETURN_NOT_OK(executor_->Cancel(run_id).status());
  return json::object();
}

}  // namespace inlet::service
