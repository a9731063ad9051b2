// A lease for storage that has no locks (object stores), built only on the FileSystem
// contract: create-if-absent, listing and reading. The lease is a folder of numbered terms,
// DIR/0, DIR/1, ...; the highest term names the holder. A holder renews by creating the next
// term before the last one expires; a newcomer takes over only a term that is released or
// older than the time to live, and only by winning the create of the next term, so two
// newcomers never both hold it. Age is the store's own clock (a term's modification time)
// against this machine's: machines must agree on the time within a fraction of the TTL.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::storage {

struct ExpiringLeaseOptions {
  // A holder that stops renewing (SIGKILL, lost network) blocks others this long.
  std::chrono::milliseconds time_to_live{60'000};
  // Renewal happens every time_to_live / renewals_per_term.
  int renewals_per_term = 3;
};

// INLET_LEASE_SECONDS overrides the default time to live (tests use a short one).
ExpiringLeaseOptions ExpiringLeaseOptionsFromEnvironment();

// IOError "... is in use by <holder> ..." when a live holder has it. The returned lease
// renews itself on a background thread and releases its term when destroyed.
// `fs` must outlive the lease.
Result<std::unique_ptr<Lease>> AcquireExpiringLease(FileSystem& fs, const std::string& dir,
                                                    std::string_view what, const ExpiringLeaseOptions& options);

}  // namespace inlet::storage
