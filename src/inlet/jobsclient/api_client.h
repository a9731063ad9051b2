// HTTP calls to a Databricks-compatible REST API (inlet serve, or a workspace): bearer auth,
// JSON in and out, retries of transient failures, errors as Status, optional --debug log.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <string_view>

#include "inlet/jobsclient/config.h"
#include "inlet/jobsclient/retry.h"
#include "inlet/util/status.h"

namespace httplib {
class Client;
}

namespace inlet::jobsclient {

// The parts of a host URL this client can use. Only http: the build has no TLS.
struct HostAddress {
  std::string host;  // name or address, without brackets for IPv6
  int port = 80;
  std::string base_path;  // "" or "/prefix", put before every API path
};
// "http://127.0.0.1:8080" -> {127.0.0.1, 8080, ""}; https:// and other schemes are errors
// that say so.
Result<HostAddress> ParseHostAddress(const std::string& url);

// A Databricks error response as Status: {"error_code": "RESOURCE_DOES_NOT_EXIST", "message":
// "Job 123 does not exist."} with 404 becomes KeyError("RESOURCE_DOES_NOT_EXIST: Job 123 does
// not exist. (HTTP 404)"). 400 -> Invalid, 404 -> KeyError, 409 -> AlreadyExists, anything
// else -> IOError. Bodies without error_code use "error"/"message" or the HTTP reason.
Status ErrorFromResponse(int http_status, std::string_view body);

struct ApiClientOptions {
  RetryPolicy retry;
  SleepFunction sleep = RealSleep;
  bool debug = false;                 // log each request and response, secrets redacted
  std::ostream* debug_log = nullptr;  // where --debug goes; nullptr = std::cerr
  int connect_timeout_seconds = 10;
  int read_timeout_seconds = 60;
};

class ApiClient {
 public:
  // Fails on a host this build cannot reach (https, bad URL).
  static Result<std::unique_ptr<ApiClient>> Make(const ClientConfig& config, ApiClientOptions options = {});
  ~ApiClient();
  ApiClient(const ApiClient&) = delete;
  ApiClient& operator=(const ApiClient&) = delete;

  // GET path?query; the response body parsed as JSON ({} when empty).
  Result<nlohmann::json> Get(const std::string& path, const std::map<std::string, std::string>& query = {});
  // POST path with a JSON body. `idempotent` says whether a request whose connection broke
  // after it was sent may be sent again: run-now must not be (it could start two runs);
  // update may. 429/503 and failed connects are retried either way, the server did nothing.
  Result<nlohmann::json> Post(const std::string& path, const nlohmann::json& body, bool idempotent);

  const std::string& host() const { return config_.host; }

 private:
  ApiClient(ClientConfig config, HostAddress address, ApiClientOptions options);
  Result<nlohmann::json> Send(const std::string& method, const std::string& target, const std::string& body,
                              bool idempotent);
  std::ostream& DebugLog() const;

  ClientConfig config_;
  HostAddress address_;
  ApiClientOptions options_;
  std::unique_ptr<httplib::Client> http_;
};

// "a b&c" -> "a%20b%26c": a query string value, RFC 3986 unreserved characters kept.
std::string UrlEncode(std::string_view text);

}  // namespace inlet::jobsclient
