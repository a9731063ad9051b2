// Small file helpers shared by the checkpoint, schema repository and Delta log: every
// durable file inlet writes goes through these so that none is ever seen half-written.
#pragma once

#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace inlet {

// Reads a whole file. NotFound (IOError with the path) when it does not exist.
Result<std::string> ReadFileToString(const std::string& path);

// Writes `data` to a temp file beside `path`, fsyncs it, renames it over `path` and fsyncs
// the directory: readers see the old file or the new one, never a prefix.
Status WriteFileAtomic(const std::string& path, std::string_view data);

// Creates `path` with `data` only if no file exists there (put-if-absent): writes a temp
// file, then link(2)s it to `path`, which fails with EEXIST when another writer won.
// Returns AlreadyExists (Status::AlreadyExists) in that case.
Status WriteFileIfAbsent(const std::string& path, std::string_view data);

// mkdir -p.
Status CreateDirs(const std::string& path);

bool PathExists(const std::string& path);

// Current time in milliseconds since the Unix epoch.
int64_t NowMillis();

// A random RFC 4122 version 4 UUID string.
std::string NewUuid();

}  // namespace inlet
