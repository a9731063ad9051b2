// `inlet serve` assembled: the store at DIR/inlet.db, token check, run executor, scheduler
// and HTTP front. Opening marks runs a previous server left unfinished as failed.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "inlet/service/http_server.h"
#include "inlet/service/job_store.h"
#include "inlet/service/jobs_api.h"
#include "inlet/service/run_executor.h"
#include "inlet/service/scheduler.h"
#include "inlet/service/tokens.h"
#include "inlet/util/status.h"

namespace inlet::service {

struct ServeOptions {
  std::string data_dir;
  HttpOptions http;
  ApiOptions api;
  int workers = 2;  // runs executed at once, over all jobs
};

class JobsService {
 public:
  static Result<std::unique_ptr<JobsService>> Open(const ServeOptions& options);
  ~JobsService();

  // Binds the port (the chosen one when options.http.port is 0).
  Result<int> Bind();
  // Starts workers and scheduler, serves HTTP until Stop(); then stops them.
  Status Serve();
  // From any thread (the signal thread of `inlet serve`).
  void Stop();

  int64_t interrupted_runs() const { return interrupted_runs_; }

 private:
  JobsService() = default;
  std::unique_ptr<JobStore> store_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<RunExecutor> executor_;
  std::unique_ptr<Scheduler> scheduler_;
  std::unique_ptr<JobsApi> api_;
  std::unique_ptr<HttpServer> http_;
  int64_t interrupted_runs_ = 0;
};

}  // namespace inlet::service
