// The HTTP side of `inlet jobs` (api_client.h), on cpp-httplib without TLS.
#include "inlet/jobsclient/api_client.h"

#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <iostream>

#include "inlet/jobsclient/redact.h"
#include "inlet/util/strings.h"

namespace inlet::jobsclient {
namespace {

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "";
  }
}

bool IsRetryableStatus(int status) { return status == 429 || status == 503; }

// The request never reached the server, so sending it again cannot do anything twice.
bool NeverReachedServer(httplib::Error error) {
  return error == httplib::Error::Connection || error == httplib::Error::ConnectionTimeout;
}

bool IsTransportRetryable(httplib::Error error) {
  return NeverReachedServer(error) || error == httplib::Error::Read || error == httplib::Error::Write;
}

}  // namespace

Result<HostAddress> ParseHostAddress(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return Status::Invalid(fmt::format("host '{}' has no scheme: use http://HOST:PORT", url));
  }
  std::string scheme = AsciiLower(url.substr(0, scheme_end));
  if (scheme == "https") {
    return Status::NotImplemented(fmt::format(
        "host '{}': TLS (https) is not supported by this build of inlet; use http:// to reach inlet serve, "
        "or the Databricks CLI/SDK for a Databricks workspace (a host without a scheme means https, as in "
        "the SDK)",
        url));
  }
  if (scheme != "http") {
    return Status::Invalid(fmt::format("host '{}': unsupported scheme '{}', expected http://", url, scheme));
  }
  std::string rest = url.substr(scheme_end + 3);
  HostAddress address;
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    address.base_path = rest.substr(slash);
    while (!address.base_path.empty() && address.base_path.back() == '/') address.base_path.pop_back();
    rest = rest.substr(0, slash);
  }
  if (rest.find('@') != std::string::npos) {
    return Status::Invalid(fmt::format("host '{}': user info in the URL is not supported, use a token", url));
  }
  std::string port_text;
  if (!rest.empty() && rest.front() == '[') {  // [::1]:8080
    size_t close = rest.find(']');
    if (close == std::string::npos)
      return Status::Invalid(fmt::format("host '{}': unclosed '[' in IPv6 address", url));
    address.host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':')
        return Status::Invalid(fmt::format("host '{}': expected ':' after ']'", url));
      port_text = rest.substr(close + 2);
    }
  } else {
    size_t colon = rest.rfind(':');
    address.host = rest.substr(0, colon);
    if (colon != std::string::npos) port_text = rest.substr(colon + 1);
  }
  if (address.host.empty()) return Status::Invalid(fmt::format("host '{}' has no host name", url));
  if (!port_text.empty()) {
    int port = 0;
    auto [end, error] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (error != std::errc() || end != port_text.data() + port_text.size() || port < 1 || port > 65535) {
      return Status::Invalid(fmt::format("host '{}': port '{}' is not a number in 1..65535", url, port_text));
    }
    address.port = port;
  }
  return address;
}

Status ErrorFromResponse(int http_status, std::string_view body) {
  std::string error_code;
  std::string message;
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_object()) {
    if (parsed.contains("error_code") && parsed["error_code"].is_string()) error_code = parsed["error_code"];
    if (parsed.contains("message") && parsed["message"].is_string()) {
      message = parsed["message"];
    } else if (parsed.contains("error") && parsed["error"].is_string()) {  // older 1.2-style APIs
      message = parsed["error"];
    } else if (parsed.contains("detail") && parsed["detail"].is_string()) {  // SCIM
      message = parsed["detail"];
    }
  }
  if (message.empty()) {
    message = std::string(ReasonPhrase(http_status));
    if (message.empty()) message = "request failed";
    if (!parsed.is_object() && !body.empty()) {
      std::string snippet(body.substr(0, 200));
      message += fmt::format(" ({})", snippet);
    }
  }
  std::string text = error_code.empty() ? fmt::format("{} (HTTP {})", message, http_status)
                                        : fmt::format("{}: {} (HTTP {})", error_code, message, http_status);
  switch (http_status) {
    case 400:
      return Status::Invalid(text);
    case 404:
      return Status::KeyError(text);
    case 409:
      return Status::AlreadyExists(text);
    default:
      return Status::IOError(text);
  }
}

std::string UrlEncode(std::string_view text) {
  std::string encoded;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += fmt::format("%{:02X}", c);
    }
  }
  return encoded;
}

Result<std::unique_ptr<ApiClient>> ApiClient::Make(const ClientConfig& config, ApiClientOptions options) {
  INLET_ASSIGN_OR_RAISE(auto address, ParseHostAddress(config.host));
  if (options.retry.max_attempts < 1) options.retry.max_attempts = 1;
  if (!options.sleep) options.sleep = RealSleep;
  return std::unique_ptr<ApiClient>(new ApiClient(config, std::move(address), std::move(options)));
}

ApiClient::ApiClient(ClientConfig config, HostAddress address, ApiClientOptions options)
    : config_(std::move(config)), address_(std::move(address)), options_(std::move(options)) {
  http_ = std::make_unique<httplib::Client>(address_.host, address_.port);
  http_->set_connection_timeout(options_.connect_timeout_seconds, 0);
  http_->set_read_timeout(options_.read_timeout_seconds, 0);
  http_->set_write_timeout(options_.read_timeout_seconds, 0);
  http_->set_keep_alive(true);
}

ApiClient::~ApiClient() = default;

std::ostream& ApiClient::DebugLog() const { return options_.debug_log ? *options_.debug_log : std::cerr; }

Result<nlohmann::json> ApiClient::Get(const std::string& path,
                                      const std::map<std::string, std::string>& query) {
  std::string target = address_.base_path + path;
  char separator = '?';
  for (const auto& [key, value] : query) {
    target += separator + UrlEncode(key) + "=" + UrlEncode(value);
    separator = '&';
  }
  return Send("GET", target, "", /*idempotent=*/true);
}

Result<nlohmann::json> ApiClient::Post(const std::string& path, const nlohmann::json& body, bool idempotent) {
  return Send("POST", address_.base_path + path, body.dump(), idempotent);
}

Result<nlohmann::json> ApiClient::Send(const std::string& method, const std::string& target,
                                       const std::string& body, bool idempotent) {
  const httplib::Headers headers = {
      {"Authorization", "Bearer " + config_.token},
      {"Accept", "application/json"},
      {"User-Agent", std::string("inlet/") + INLET_VERSION},
  };
  const std::string url = fmt::format("{}{}", config_.host, target.substr(address_.base_path.size()));
  Millis waited{0};
  for (int attempt = 1;; ++attempt) {
    if (options_.debug) {
      DebugLog() << "> " << method << " " << url << "\n";
      for (const auto& [name, value] : headers)
        DebugLog() << "> " << name << ": " << RedactHeader(name, value) << "\n";
      if (!body.empty()) DebugLog() << "> " << RedactBody(body) << "\n";
    }
    httplib::Result response = method == "GET" ? http_->Get(target, headers)
                                               : http_->Post(target, headers, body, "application/json");
    Status failure;
    std::optional<Millis> retry_after;
    bool retryable = false;
    if (!response) {
      httplib::Error error = response.error();
      failure = Status::IOError(fmt::format("{} {}: {} (connection to {}:{})", method, url,
                                            httplib::to_string(error), address_.host, address_.port));
      retryable = IsTransportRetryable(error) && (idempotent || NeverReachedServer(error));
      if (options_.debug) DebugLog() << "< " << httplib::to_string(error) << "\n";
    } else {
      int status = response->status;
      if (options_.debug) {
        DebugLog() << "< " << status << " " << ReasonPhrase(status) << "\n";
        if (response->has_header("Retry-After")) {
          DebugLog() << "< Retry-After: " << response->get_header_value("Retry-After") << "\n";
        }
        if (!response->body.empty()) DebugLog() << "< " << RedactBody(response->body) << "\n";
      }
      if (status >= 200 && status < 300) {
        if (response->body.empty()) return nlohmann::json::object();
        auto parsed = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
        if (parsed.is_discarded()) {
          return Status::IOError(fmt::format("{} {}: HTTP {} response is not JSON ({} bytes)", method, url,
                                             status, response->body.size()));
        }
        return parsed;
      }
      failure = ErrorFromResponse(status, response->body);
      retryable = IsRetryableStatus(status);
      if (response->has_header("Retry-After")) {
        retry_after = ParseRetryAfter(response->get_header_value("Retry-After"));
      }
    }
    if (!retryable) return failure;
    if (attempt >= options_.retry.max_attempts) {
      return failure.WithMessage(fmt::format("{} (gave up after {} attempts)", failure.message(), attempt));
    }
    Millis delay = BackoffDelay(attempt, options_.retry, retry_after);
    if (waited + delay > options_.retry.max_total_wait) {
      return failure.WithMessage(
          fmt::format("{} (gave up after {} attempts: waiting {} ms more would exceed {} ms)",
                      failure.message(), attempt, delay.count(), options_.retry.max_total_wait.count()));
    }
    if (options_.debug) {
      DebugLog() << "* retrying in " << delay.count() << " ms (attempt " << attempt + 1 << " of "
                 << options_.retry.max_attempts << ")\n";
    }
    options_.sleep(delay);
    waited += delay;
  }
}

}  // namespace inlet::jobsclient
