// `inlet drift`: prints what a table's rescued data column holds (query/drift.h).
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "inlet/cli/command_util.h"
#include "inlet/cli/commands.h"
#include "inlet/query/drift.h"

namespace inlet::cli {
namespace {

struct DriftArgs {
  std::string table_dir;
  query::DriftOptions options;
  std::string format = "table";
};

int RunDrift(const DriftArgs& args) {
  if (args.format != "table" && args.format != "json") {
    throw UsageError("--format must be table or json, got '" + args.format + "'");
  }
  if (args.options.top_files < 0) throw UsageError("--top must be >= 0");
  if (args.options.rescued_column.empty()) throw UsageError("--rescued-column must not be empty");
  auto snapshot = LoadExistingTable(args.table_dir);
  auto report = OrThrow(query::AnalyzeDrift(snapshot, args.options));
  std::cout << (args.format == "json" ? query::DriftReportJson(report) + "\n" : query::FormatDriftReport(report));
  return kExitOk;
}

}  // namespace

CommandRunner AddDriftCommand(CLI::App& app) {
  auto args = std::make_shared<DriftArgs>();
  app.add_option("table", args->table_dir, "Delta table directory")->required()->transform(LocationArgument());
  app.add_option("--top", args->options.top_files, "Files listed per field, most rescued rows first")
      ->capture_default_str();
  app.add_option("--rescued-column", args->options.rescued_column, "The rescued data column")->capture_default_str();
  app.add_option("--format", args->format, "table (aligned text) or json (one object)")->capture_default_str();
  return [args] { return RunDrift(*args); };
}

}  // namespace inlet::cli
