// The subcommands of the `inlet` binary. Each registers its flags on a CLI11 app and
// returns a runner; parsing and printing live here, the work in the engine modules.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>

namespace CLI {
class App;
}

namespace inlet::cli {

// Exit codes, as documented in the README.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
// The stream stopped on a schema change (UnknownFieldException): re-run to go on with the
// new schema version (addNewColumns), or change the schema (failOnNewColumns).
constexpr int kExitSchemaChanged = 3;

// Thrown by a command for bad usage (exit 2); any other failure is reported and exits 1.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using CommandRunner = std::function<int()>;

CommandRunner AddIngestCommand(CLI::App& app);
CommandRunner AddShowCommand(CLI::App& app);
CommandRunner AddSchemaCommand(CLI::App& app);
CommandRunner AddHistoryCommand(CLI::App& app);
CommandRunner AddDriftCommand(CLI::App& app);
CommandRunner AddJobsCommand(CLI::App& app);
CommandRunner AddServeCommand(CLI::App& app);
CommandRunner AddTokensCommand(CLI::App& app);

}  // namespace inlet::cli
