// The test hooks of fault.h: the environment is read once per process, because the fail
// points sit on paths that run once per data file or commit.
#include "inlet/util/fault.h"

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

namespace inlet {
namespace {

std::string EnvOrEmpty(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

struct FailSpec {
  std::string point;
  int error = EIO;
};

FailSpec ParseFailSpec(const std::string& text) {
  FailSpec spec;
  size_t colon = text.find(':');
  spec.point = text.substr(0, colon);
  if (colon != std::string::npos && text.substr(colon + 1) == "ENOSPC") spec.error = ENOSPC;
  return spec;
}

}  // namespace

void MaybeCrashAt(const char* point) {
  static const std::string wanted = EnvOrEmpty("INLET_TEST_CRASH_AT");
  if (!wanted.empty() && wanted == point) std::raise(SIGKILL);
  static const std::string pause = EnvOrEmpty("INLET_TEST_PAUSE_AT");
  if (pause.empty()) return;
  const size_t colon = pause.find(':');
  if (colon == std::string::npos || pause.compare(0, colon, point) != 0) return;
  const std::string file = pause.substr(colon + 1);
  std::ofstream(file + ".reached").flush();
  for (int i = 0; i < 6000 && !std::filesystem::exists(file); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

Status MaybeFailAt(const char* point) {
  static const FailSpec spec = ParseFailSpec(EnvOrEmpty("INLET_TEST_FAIL_AT"));
  if (spec.point.empty() || spec.point != point) return Status::OK();
  return Status::IOError("injected failure at ", point, ": ", std::strerror(spec.error));
}

}  // namespace inlet
