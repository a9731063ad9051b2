// The Jobs API over plain request/response values: routing of /api/2.1/jobs/* and
// /api/2.2/jobs/*, bearer-token auth, rate limiting, and Databricks-shaped errors
// ({"error_code", "message"} with the HTTP status the SDK maps to its typed exceptions).
// No sockets here: http_server.h feeds it, tests call Handle() directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "inlet/service/job_store.h"
#include "inlet/service/run_executor.h"
#include "inlet/service/tokens.h"

namespace inlet::service {

struct ApiRequest {
  std::string method;  // GET, POST, ...
  std::string path;    // /api/2.2/jobs/list
  std::map<std::string, std::string> query;
  std::string body;
  std::string authorization;  // the Authorization header, as sent
};

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
  std::vector<std::pair<std::string, std::string>> headers;
};

struct ApiOptions {
  // Requests per second over all clients before 429 REQUEST_LIMIT_EXCEEDED (with
  // Retry-After); 0 = no limit.
  double max_requests_per_second = 0;
};

// An error response in the Databricks shape.
ApiResponse ErrorResponse(int status, const std::string& error_code, const std::string& message);

class JobsApi {
 public:
  JobsApi(JobStore* store, TokenStore* tokens, RunExecutor* executor, ApiOptions options = {});

  ApiResponse Handle(const ApiRequest& request);

 private:
  // Handlers return the response body, or a Status mapped to HTTP: Invalid -> 400
  // INVALID_PARAMETER_VALUE, KeyError -> 404 RESOURCE_DOES_NOT_EXIST, others -> 500.
  using Handler = Result<nlohmann::json> (JobsApi::*)(const nlohmann::json& params);
  bool AllowRequest();

  Result<nlohmann::json> Create(const nlohmann::json& params);
  Result<nlohmann::json> List(const nlohmann::json& params);
  Result<nlohmann::json> Get(const nlohmann::json& params);
  Result<nlohmann::json> Update(const nlohmann::json& params);
  Result<nlohmann::json> Reset(const nlohmann::json& params);
  Result<nlohmann::json> Delete(const nlohmann::json& params);
  Result<nlohmann::json> RunNow(const nlohmann::json& params);
  Result<nlohmann::json> RunsGet(const nlohmann::json& params);
  Result<nlohmann::json> RunsList(const nlohmann::json& params);
  Result<nlohmann::json> RunsCancel(const nlohmann::json& params);
  Result<nlohmann::json> RunsCancelAll(const nlohmann::json& params);

  JobStore* store_;
  TokenStore* tokens_;
  RunExecutor* executor_;
  ApiOptions options_;
  std::map<std::pair<std::string, std::string>, Handler> routes_;  // (method, "jobs/...")
  std::mutex rate_mutex_;
  double bucket_ = 0;
  std::chrono::steady_clock::time_point bucket_time_;
};

}  // namespace inlet::service
