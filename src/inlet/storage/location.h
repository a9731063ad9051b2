// Where a path a user gives (--source, --table, --checkpoint, schemaLocation,
// badRecordsPath, a table argument) points, by URI scheme: this machine's file system (a
// plain path, or a file: URI), or an object store. The first piece of the storage seam
// (issue 13): until object-store backends land, a path on one is refused with a usage
// error rather than read as a local path that happens to contain "://".
#pragma once

#include <string>
#include <string_view>

#include "inlet/util/status.h"

namespace inlet::storage {

enum class Backend { kLocal, kS3, kAzure, kGcs };

struct Location {
  Backend backend = Backend::kLocal;
  // kLocal: the file system path (a file: URI's path part); otherwise the URI as given.
  std::string path;
};

// The schemes inlet knows, for messages: "file://, s3://, s3a://, abfss://, az://, gs://".
std::string_view KnownSchemes();

// `text` as a Location. Invalid (after `what`, e.g. "--table", unless empty; naming the
// known schemes) for
// an unknown scheme, a file: URI with a host, or an empty path.
Result<Location> ParseLocation(std::string_view what, std::string_view text);

// ParseLocation, then the local path, for what must be on this machine (a checkpoint, for
// now): object-store locations are NotImplemented, naming `what` and the URI.
Result<std::string> LocalPath(std::string_view what, std::string_view text);

}  // namespace inlet::storage
