// `inlet show` and `inlet history`: read-only views of a Delta table.
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <arrow/table.h>
#include <fmt/format.h>

#include "inlet/cli/command_util.h"
#include "inlet/cli/commands.h"
#include "inlet/delta/table.h"
#include "inlet/query/show.h"
#include "inlet/query/table_reader.h"
#include "inlet/query/where.h"

namespace inlet::cli {
namespace {

std::vector<std::string> SplitColumns(const std::string& list) {
  std::vector<std::string> columns;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t begin = item.find_first_not_of(' ');
    size_t end = item.find_last_not_of(' ');
    if (begin != std::string::npos) columns.push_back(item.substr(begin, end - begin + 1));
  }
  return columns;
}

struct ShowArgs {
  std::string table_dir;
  int64_t limit = 20;
  std::string where;
  std::string columns;
  std::string format = "table";
};

int RunShow(const ShowArgs& args) {
  if (args.format != "table" && args.format != "json") {
    throw UsageError("--format must be table or json, got '" + args.format + "'");
  }
  if (args.limit < 0) throw UsageError("--limit must be >= 0");
  std::shared_ptr<const query::WhereExpr> where;
  if (!args.where.empty()) {
    auto parsed = query::ParseWhere(args.where);
    if (!parsed.ok()) throw UsageError(parsed.status().message());
    where = *parsed;
  }
  auto snapshot = LoadExistingTable(args.table_dir);
  auto table = OrThrow(query::ReadTable(snapshot));
  if (where) table = OrThrow(query::FilterTable(table, *where));
  if (!args.columns.empty()) table = OrThrow(query::SelectColumns(table, SplitColumns(args.columns)));
  std::cout << (args.format == "json" ? query::FormatJsonLines(*table, args.limit)
                                      : query::FormatShowTable(*table, args.limit));
  return kExitOk;
}

// A commit metric as text; "-" when the writer did not record it (another engine, or an
// inlet version before the metric existed).
std::string Metric(const delta::HistoryEntry& entry, const char* name) {
  auto it = entry.commit_info.operation_metrics.find(name);
  return it == entry.commit_info.operation_metrics.end() ? "-" : it->second;
}

// read/loaded/rescued/bad are the source-record accounting of an ingest batch:
// read = loaded + rescued + bad.
std::string LoadedMetric(const delta::HistoryEntry& entry) {
  const std::string read = Metric(entry, "numSourceRecords");
  const std::string rescued = Metric(entry, "numRescuedRecords");
  const std::string bad = Metric(entry, "numBadRecords");
  if (read == "-" || rescued == "-" || bad == "-") return "-";
  try {
    return std::to_string(std::stoll(read) - std::stoll(rescued) - std::stoll(bad));
  } catch (const std::exception&) {
    return "-";
  }
}

int RunHistory(const std::string& table_dir) {
  LoadExistingTable(table_dir);
  auto entries = OrThrow(delta::ReadHistory(table_dir));
  constexpr const char* kRow = "{:>7}  {:<24}  {:<18}  {:>6}  {:>10}  {:>10}  {:>10}  {:>8}  {:>6}\n";
  std::cout << fmt::format(kRow, "version", "timestamp", "operation", "files", "rows", "read", "loaded", "rescued",
                           "bad");
  for (const auto& entry : entries) {
    std::cout << fmt::format(kRow, entry.version, FormatTimestamp(entry.commit_info.timestamp),
                             entry.commit_info.operation, entry.files_added, entry.rows_added,
                             Metric(entry, "numSourceRecords"), LoadedMetric(entry),
                             Metric(entry, "numRescuedRecords"), Metric(entry, "numBadRecords"));
  }
  return kExitOk;
}

}  // namespace

CommandRunner AddShowCommand(CLI::App& app) {
  auto args = std::make_shared<ShowArgs>();
  app.add_option("table", args->table_dir, "Delta table directory")->required()->transform(LocationArgument());
  app.add_option("--limit", args->limit, "Rows to print")->capture_default_str();
  app.add_option("--where", args->where, "Filter, e.g. \"battery_level > 5 AND cn IS NOT NULL\"");
  app.add_option("--columns", args->columns, "Comma-separated column paths, e.g. device_id,coordinates.latitude");
  app.add_option("--format", args->format, "table (Spark show() style) or json (one object per line)")
      ->capture_default_str();
  return [args] { return RunShow(*args); };
}

CommandRunner AddHistoryCommand(CLI::App& app) {
  auto table_dir = std::make_shared<std::string>();
  app.add_option("table", *table_dir, "Delta table directory")->required()->transform(LocationArgument());
  return [table_dir] { return RunHistory(*table_dir); };
}

}  // namespace inlet::cli
