// HTTP front of the Jobs API on cpp-httplib: every request goes to JobsApi::Handle. Bodies
// are capped (413 past the cap); the access log names method, path and status only, never
// headers or query strings, so tokens stay out of logs.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "inlet/service/jobs_api.h"
#include "inlet/util/status.h"

namespace inlet::service {

struct HttpOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (Bind returns it)
  size_t max_body_bytes = 1 << 20;
  int threads = 8;
  bool access_log = true;
};

class HttpServer {
 public:
  HttpServer(JobsApi* api, HttpOptions options);
  ~HttpServer();

  // Binds the listening socket; returns the port.
  Result<int> Bind();
  // Serves until Stop(); blocks.
  Status Listen();
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace inlet::service
