// Helpers for the JSON format tests: a fresh temp dir per test and file writing.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

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

}  // namespace inlet::json::testing
