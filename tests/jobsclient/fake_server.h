// A tiny in-process HTTP server on a free loopback port for the jobsclient tests: each test
// installs handlers for the Jobs API paths it needs and checks the requests that came in.
#pragma once

#include <httplib.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace inlet::jobsclient::testing {

struct SeenRequest {
  std::string method;
  std::string path;
  httplib::Params params;
  std::string body;
  std::string authorization;
};

class FakeServer {
 public:
  FakeServer() {
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~FakeServer() {
    server_.stop();
    thread_.join();
  }

  // Routes that record each request before handling it (a logger would run only after the
  // response is sent, so a test could look before its request was recorded).
  void Get(const std::string& path, httplib::Server::Handler handler) {
    server_.Get(path, Recording(handler));
  }
  void Post(const std::string& path, httplib::Server::Handler handler) {
    server_.Post(path, Recording(handler));
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::vector<SeenRequest> seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  httplib::Server::Handler Recording(httplib::Server::Handler handler) {
    return [this, handler](const httplib::Request& request, httplib::Response& response) {
      {
        std::lock_guard lock(mutex_);
        seen_.push_back({request.method, request.path, request.params, request.body,
                         request.get_header_value("Authorization")});
      }
      handler(request, response);
    };
  }

  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<SeenRequest> seen_;
};

}  // namespace inlet::jobsclient::testing
