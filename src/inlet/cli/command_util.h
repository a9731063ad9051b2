// Small helpers the read-only commands share: turning Results into exceptions (caught in
// main.cc and mapped to exit codes), opening an existing table, printing times.
#pragma once

#include <ctime>
#include <stdexcept>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "inlet/delta/table.h"
#include "inlet/storage/location.h"
#include "inlet/util/status.h"

namespace inlet::cli {

template <typename T>
T OrThrow(Result<T> result) {
  if (!result.ok()) throw std::runtime_error(result.status().message());
  return std::move(result).ValueUnsafe();
}

// A table or location argument: a local path (a file: URI's path) or an object-store URI;
// an unknown URI scheme is a usage error (CLI11's ValidationError: exit 2).
// CLI11 names the argument before the message.
inline CLI::Validator LocationArgument() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        auto location = storage::ParseLocation("", text);
        if (!location.ok()) return location.status().message();
        text = location->path;
        return std::string();
      },
      "", "path or URI");
}

inline delta::Snapshot LoadExistingTable(const std::string& table_dir) {
  auto snapshot = OrThrow(delta::Snapshot::Load(table_dir));
  if (!snapshot.exists()) {
    throw std::runtime_error(fmt::format("'{}' is not a Delta table (no _delta_log)", table_dir));
  }
  return snapshot;
}

// "2024-03-01T20:36:31.000Z": milliseconds since the epoch in UTC.
inline std::string FormatTimestamp(int64_t millis) {
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &utc);
  return fmt::format("{}.{:03d}Z", text, static_cast<int>(millis % 1000));
}

}  // namespace inlet::cli
