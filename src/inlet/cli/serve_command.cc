// `inlet serve` (the jobs service: a Databricks-compatible Jobs API with scheduled ingests)
// and `inlet tokens create|list|revoke` (its access tokens). Flags and printing only.
#include <pthread.h>
#include <signal.h>

#include <iostream>
#include <memory>
#include <thread>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "inlet/cli/command_util.h"
#include "inlet/cli/commands.h"
#include "inlet/service/run_executor.h"
#include "inlet/service/server.h"
#include "inlet/service/tokens.h"

namespace inlet::cli {
namespace {

struct ServeArgs {
  service::ServeOptions options;
};

int RunServe(ServeArgs& args) {
  auto& options = args.options;
  if (options.workers < 1) throw UsageError("--workers must be at least 1");
  if (options.http.port < 0 || options.http.port > 65535) throw UsageError("--port must be from 0 to 65535");
  // SIGINT/SIGTERM go to one thread that stops the server; block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto service = OrThrow(service::JobsService::Open(options));
  int port = OrThrow(service->Bind());
  if (service->interrupted_runs() > 0) {
    std::cerr << fmt::format("inlet serve: {} runs interrupted by the previous stop are marked failed\n",
                             service->interrupted_runs());
  }
  auto tokens = OrThrow(service::TokenStore::Open(options.data_dir));
  auto listed = OrThrow(tokens->List());
  bool any_valid = std::any_of(listed.begin(), listed.end(), [](const auto& t) { return t.revoked_time == 0; });
  if (!any_valid) {
    std::cerr << fmt::format("inlet serve: no access token yet: create one with `inlet tokens create --data {}`\n",
                             options.data_dir);
  }
  std::cerr << fmt::format("inlet serve: listening on http://{}:{} (data {})\n", options.http.host, port,
                           options.data_dir)
            << std::flush;
  service::JobsService* raw = service.get();
  std::thread([signals, raw]() mutable {
    int received = 0;
    sigwait(&signals, &received);
    std::cerr << "inlet serve: stopping\n";
    raw->Stop();
  }).detach();
  Status st = service->Serve();
  if (!st.ok()) {
    std::cerr << "inlet serve: error: " << st.message() << "\n";
    return kExitFailure;
  }
  return kExitOk;
}

struct TokensArgs {
  std::string data_dir;
  std::string comment;
  std::string token_id;
  CLI::App* create = nullptr;
  CLI::App* list = nullptr;
  CLI::App* revoke = nullptr;
};

int RunTokens(TokensArgs& args) {
  auto store = OrThrow(service::TokenStore::Open(args.data_dir));
  int64_t now = service::NowMillis();
  if (args.create->parsed()) {
    auto token = OrThrow(store->Create(args.comment, now));
    // The secret alone on stdout, so scripts can capture it; it is not stored anywhere.
    std::cout << token.secret << "\n";
    std::cerr << fmt::format("token {} created{}; it is shown only this once\n", token.info.token_id,
                             args.comment.empty() ? "" : " (" + args.comment + ")");
    return kExitOk;
  }
  if (args.list->parsed()) {
    std::cout << fmt::format("{:<16}  {:<24}  {:<7}  {}\n", "TOKEN_ID", "CREATED", "STATUS", "COMMENT");
    for (const auto& token : OrThrow(store->List())) {
      std::cout << fmt::format("{:<16}  {:<24}  {:<7}  {}\n", token.token_id, FormatTimestamp(token.created_time),
                               token.revoked_time == 0 ? "valid" : "revoked", token.comment);
    }
    return kExitOk;
  }
  if (!OrThrow(store->Revoke(args.token_id, now))) {
    std::cerr << fmt::format("inlet: no valid token with id '{}' (see `inlet tokens list`)\n", args.token_id);
    return kExitFailure;
  }
  std::cerr << fmt::format("token {} revoked\n", args.token_id);
  return kExitOk;
}

}  // namespace

CommandRunner AddServeCommand(CLI::App& app) {
  auto args = std::make_shared<ServeArgs>();
  auto& options = args->options;
  app.add_option("--data", options.data_dir, "State directory: jobs, runs and tokens live in DIR/inlet.db")
      ->required();
  app.add_option("--port", options.http.port, "TCP port (0: any free port, printed at start)")->capture_default_str();
  app.add_option("--host", options.http.host, "Address to listen on")->capture_default_str();
  app.add_option("--workers", options.workers, "Runs executed at once, over all jobs")->capture_default_str();
  app.add_option("--http-threads", options.http.threads, "Threads answering HTTP requests")->capture_default_str();
  app.add_option("--max-body-bytes", options.http.max_body_bytes, "Largest request body accepted (413 past it)")
      ->capture_default_str();
  app.add_option("--max-requests-per-second", options.api.max_requests_per_second,
                 "Requests per second before 429 with Retry-After (0: no limit)")
      ->capture_default_str();
  app.footer("Serves the Databricks Jobs API subset at /api/2.1/jobs/* and /api/2.2/jobs/*; see docs/jobs-service.md.");
  return [args] { return RunServe(*args); };
}

CommandRunner AddTokensCommand(CLI::App& app) {
  auto args = std::make_shared<TokensArgs>();
  app.require_subcommand(1);
  args->create = app.add_subcommand("create", "Create an access token; prints it once on stdout");
  args->create->add_option("--data", args->data_dir, "The server's state directory")->required();
  args->create->add_option("--comment", args->comment, "What the token is for");
  args->list = app.add_subcommand("list", "List tokens (ids, never secrets)");
  args->list->add_option("--data", args->data_dir, "The server's state directory")->required();
  args->revoke = app.add_subcommand("revoke", "Revoke a token by its id");
  args->revoke->add_option("--data", args->data_dir, "The server's state directory")->required();
  args->revoke->add_option("token_id", args->token_id, "Token id, from `inlet tokens list`")->required();
  return [args] { return RunTokens(*args); };
}

}  // namespace inlet::cli
