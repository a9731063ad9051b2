// Wiring and lifetime of the jobs service's parts.
#include "inlet/service/server.h"

namespace inlet::service {

Result<std::unique_ptr<JobsService>> JobsService::Open(const ServeOptions& options) {
  std::unique_ptr<JobsService> service(new JobsService());
  INLET_ASSIGN_OR_RAISE(service->store_, JobStore::Open(options.data_dir));
  INLET_ASSIGN_OR_RAISE(service->tokens_, TokenStore::Open(options.data_dir));
  INLET_ASSIGN_OR_RAISE(
      service->interrupted_runs_,
      service->store_->FailInterruptedRuns(
          NowMillis(), "The inlet server stopped before this run finished (it was restarted); the stream's "
                       "checkpoint keeps the table exactly-once: run the job again to go on."));
  service->executor_ = std::make_unique<RunExecutor>(service->store_.get(), options.workers);
  service->scheduler_ = std::make_unique<Scheduler>(service->store_.get(), service->executor_.get());
  service->api_ = std::make_unique<JobsApi>(service->store_.get(), service->tokens_.get(), service->executor_.get(),
                                            options.api);
  service->http_ = std::make_unique<HttpServer>(service->api_.get(), options.http);
  return service;
}

JobsService::~JobsService() {
  Stop();
  if (scheduler_) scheduler_->Stop();
  if (executor_) executor_->Stop();
}

Result<int> JobsService::Bind() { return http_->Bind(); }

Status JobsService::Serve() {
  executor_->Start();
  scheduler_->Start();
  Status st = http_->Listen();
  scheduler_->Stop();
  executor_->Stop();
  return st;
}

void JobsService::Stop() {
  if (http_) http_->Stop();
}

}  // namespace inlet::service
