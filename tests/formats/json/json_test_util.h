// Helpers for the JSON format tests: a fresh temp dir per test, file writing, reading a
// file into memory.
#pragma once

#include <arrow/record_batch.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "inlet/formats/json/json_reader.h"

namespace inlet::json::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "inlet-json-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  // Writes `content` byte for byte to `name` inside the dir and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string path = (std::filesystem::path(path_) / name).string();
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ReadResult {
  Status status;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  ParseCounts counts;
};

// ReadJsonFile into memory, checking every batch is valid Arrow. `counts` starts from
// `start` (ParseCounts accumulate across files).
inline ReadResult ReadAll(const std::string& path, const Schema& schema, const JsonReadOptions& options = {},
                          ParseCounts start = {}) {
  ReadResult result;
  result.counts = std::move(start);
  result.status = ReadJsonFile(
      path, schema, options,
      [&](std::shared_ptr<arrow::RecordBatch> batch) {
        auto valid = batch->ValidateFull();
        EXPECT_TRUE(valid.ok()) << valid.ToString();
        result.batches.push_back(std::move(batch));
        return Status::OK();
      },
      &result.counts);
  return result;
}

}  // namespace inlet::json::testing
