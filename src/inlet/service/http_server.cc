// cpp-httplib glue: request -> ApiRequest, ApiResponse -> response, JSON bodies for the
// library's own errors (413, 400) so clients always get the Databricks error shape.
#include "inlet/service/http_server.h"

#include <httplib.h>

#include <cctype>
#include <map>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace inlet::service {

struct HttpServer::Impl {
  JobsApi* api;
  HttpOptions options;
  httplib::Server server;
  int port = -1;
};

namespace {

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(std::string(text.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The URL's query string only: httplib also files form-encoded bodies under params, and a
// client that sends JSON as a form (curl -d) must not see its body turned into parameters.
std::map<std::string, std::string> QueryOf(const std::string& target) {
  std::map<std::string, std::string> query;
  auto mark = target.find('?');
  if (mark == std::string::npos) return query;
  std::string_view rest(target);
  rest.remove_prefix(mark + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string key = PercentDecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1));
    query.emplace(std::move(key), std::move(value));
  }
  return query;
}

void Serve(JobsApi* api, const httplib::Request& req, httplib::Response& res) {
  ApiRequest request;
  request.method = req.method;
  request.path = req.path;
  // An absolute-form target ("GET http://host/api/..."), as clients send it through an HTTP
  // proxy setting; HTTP/1.1 servers accept it. databricks-cli 0.18 drops the port from its
  // host, so HTTP_PROXY is how it reaches a server on another port than 80.
  for (std::string_view scheme : {"http://", "https://"}) {
    if (request.path.starts_with(scheme)) {
      auto slash = request.path.find('/', scheme.size());
      request.path = slash == std::string::npos ? "/" : request.path.substr(slash);
    }
  }
  request.query = QueryOf(req.target);
  request.body = req.body;
  request.authorization = req.get_header_value("Authorization");
  ApiResponse response = api->Handle(request);
  res.status = response.status;
  for (const auto& [name, value] : response.headers) res.set_header(name, value);
  res.set_content(response.body, "application/json");
}

}  // namespace

HttpServer::HttpServer(JobsApi* api, HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->api = api;
  impl_->options = std::move(options);
  auto& server = impl_->server;
  int threads = impl_->options.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server.set_payload_max_length(impl_->options.max_body_bytes);
  auto handler = [api](const httplib::Request& req, httplib::Response& res) { Serve(api, req, res); };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
  size_t max_body = impl_->options.max_body_bytes;
  server.set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body](const httplib::Request&, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiResponse error = res.status == 413
                            ? ErrorResponse(413, "REQUEST_ENTITY_TOO_LARGE",
                                            fmt::format("Request body is larger than {} bytes.", max_body))
                            : ErrorResponse(res.status, "BAD_REQUEST", fmt::format("HTTP {}", res.status));
    res.set_content(error.body, "application/json");
    return httplib::Server::HandlerResponse::Handled;
  }));
  server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    res.status = 500;
    res.set_content(ErrorResponse(500, "INTERNAL_ERROR", "Unexpected server error.").body, "application/json");
  });
  if (impl_->options.access_log) {
    server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
      spdlog::info("{} {} {}", req.method, req.path, res.status);
    });
  }
}

HttpServer::~HttpServer() { Stop(); }

Result<int> HttpServer::Bind() {
  auto& options = impl_->options;
  int port = options.port;
  if (port == 0) {
    port = impl_->server.bind_to_any_port(options.host);
    if (port < 0) return Status::IOError(fmt::format("cannot listen on {}: no free port", options.host));
  } else if (!impl_->server.bind_to_port(options.host, port)) {
    return Status::IOError(fmt::format("cannot listen on {}:{} (in use, or not an address of this host)",
                                       options.host, port));
  }
  impl_->port = port;
  return port;
}

Status HttpServer::Listen() {
  if (impl_->port < 0) INLET_RETURN_NOT_OK(Bind().status());
  if (!impl_->server.listen_after_bind()) {
    return Status::IOError(fmt::format("HTTP server on port {} stopped with an error", impl_->port));
  }
  return Status::OK();
}

void HttpServer::Stop() {
  if (impl_ && impl_->server.is_running()) impl_->server.stop();
}

}  // namespace inlet::service
