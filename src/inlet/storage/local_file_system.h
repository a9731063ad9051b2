// The local backend: POSIX calls on this machine's file system. Create-if-absent is a
// link(2) of a fully written temp file, which fails with EEXIST when another writer won;
// replace is write + fsync + rename + fsync of the directory; the lease is a flock(2),
// which the kernel drops when its holder dies.
#pragma once

#include <memory>

#include "inlet/storage/file_system.h"

namespace inlet::storage {

std::shared_ptr<FileSystem> NewLocalFileSystem();

}  // namespace inlet::storage
