// `inlet schema`: a Delta table's schema, or a schema repository's (cloudFiles.schemaLocation)
// versions as printSchema trees and as a history of what each version changed.
#include <iostream>
#include <memory>
#include <optional>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "inlet/cli/command_util.h"
#include "inlet/cli/commands.h"
#include "inlet/query/table_reader.h"
#include "inlet/schema/print_schema.h"
#include "inlet/schema/repository.h"

namespace inlet::cli {
namespace {

struct SchemaArgs {
  std::string table_dir;
  std::string location;
  int64_t version = -1;
  bool history = false;
  CLI::Option* version_option = nullptr;
};

int RunHistory(const SchemaRepository& repository) {
  const auto versions = OrThrow(repository.ListVersions());
  std::optional<SchemaVersion> previous;
  for (int64_t number : versions) {
    SchemaVersion version = OrThrow(repository.Read(number));
    std::cout << fmt::format("{}  {}  {}\n", number, FormatTimestamp(version.written_at_ms),
                             DescribeSchemaVersion(previous ? &*previous : nullptr, version));
    previous = std::move(version);
  }
  return kExitOk;
}

int RunSchema(const SchemaArgs& args) {
  const bool has_location = !args.location.empty();
  if (args.table_dir.empty() && !has_location) {
    throw UsageError("give a Delta table directory, or --location DIR for a schema repository");
  }
  if (!args.table_dir.empty() && has_location) {
    throw UsageError("give a Delta table directory or --location DIR, not both");
  }
  const bool has_version = args.version_option->count() > 0;
  if (!has_location && (has_version || args.history)) {
    throw UsageError("--version and --history need --location DIR (a schema repository)");
  }
  if (has_version && args.history) throw UsageError("--version and --history cannot be combined");
  if (has_version && args.version < 0) throw UsageError(fmt::format("--version must be >= 0, got {}", args.version));

  if (!has_location) {
    auto snapshot = LoadExistingTable(args.table_dir);
    std::cout << PrintSchemaTree(OrThrow(query::TableSchema(snapshot)));
    return kExitOk;
  }
  const auto repository = OrThrow(SchemaRepository::OpenExisting(args.location));
  if (args.history) return RunHistory(repository);

  SchemaVersion version;
  if (has_version) {
    version = OrThrow(repository.Read(args.version));
  } else {
    auto latest = OrThrow(repository.Latest());
    if (!latest) throw std::runtime_error(fmt::format("schema repository '{}' has no versions yet", args.location));
    version = std::move(*latest);
  }
  // stdout is the tree alone, so two versions can be diffed; the provenance goes to stderr.
  std::cerr << fmt::format("# {} (written {}{})\n", version.path, FormatTimestamp(version.written_at_ms),
                           version.schema_hints.empty() ? "" : ", hints: " + version.schema_hints);
  std::cout << PrintSchemaTree(version.data_schema);
  return kExitOk;
}

}  // namespace

CommandRunner AddSchemaCommand(CLI::App& app) {
  auto args = std::make_shared<SchemaArgs>();
  app.add_option("table", args->table_dir, "Delta table directory (or use --location)")->transform(LocationArgument());
  app.add_option("--location", args->location,
                 "A schema repository (cloudFiles.schemaLocation) instead of a table: prints its _schemas versions")
      ->transform(LocationArgument());
  args->version_option =
      app.add_option("--version", args->version, "With --location: the schema version to print (default: newest)");
  app.add_flag("--history", args->history,
               "With --location: one line per schema version: number, time written, what changed");
  return [args] { return RunSchema(*args); };
}

}  // namespace inlet::cli
