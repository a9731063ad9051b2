// The test hooks of fault.h: the environment is read once per process, because the fail
// points sit on paths that run once per data file or commit.
#include "inlet/util/fault.h"

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <string>

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
}

Status MaybeFailAt(const char* point) {
  static const FailSpec spec = ParseFailSpec(EnvOrEmpty("INLET_TEST_FAIL_AT"));
  if (spec.point.empty() || spec.point != point) return Status::OK();
  return Status::IOError("injected failure at ", point, ": ", std::strerror(spec.error));
}

}  // namespace inlet
