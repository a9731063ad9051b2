// The timestamps and ids stamped on what inlet writes. (Files are storage/file_system.h.)
#pragma once

#include <cstdint>
#include <string>

namespace inlet {

// Current time in milliseconds since the Unix epoch.
int64_t NowMillis();

// A random RFC 4122 version 4 UUID string.
std::string NewUuid();

}  // namespace inlet
