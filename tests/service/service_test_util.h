// Shared pieces of the service tests: a fresh temp directory per test and a job with one
// inlet ingestion task.
#pragma once

#include <stdlib.h>

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace inlet::service::testing {

class TempDir {
 public:
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "inlet-service-XXXXXX").string();
    path_ = mkdtemp(templ.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline nlohmann::json IngestTask(const std::string& root, const std::string& key = "load") {
  return nlohmann::json{{"task_key", key},
                        {"inlet_ingest_task",
                         {{"source", root + "/landing/*.json"},
                          {"table", root + "/table"},
                          {"checkpoint", root + "/checkpoint"},
                          {"options", {{"cloudFiles.schemaLocation", root + "/checkpoint"}}}}}};
}

}  // namespace inlet::service::testing
