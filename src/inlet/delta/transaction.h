// A write to a Delta table under optimistic concurrency, as the protocol's writers do: read
// a snapshot, prepare actions against it, and commit them as the next version only if no
// one else has (LogStore's create-if-absent). A writer that loses the race reloads the
// table and decides by what the winners did:
//   - a winner recorded this transaction's own txn (appId, version ≥ ours): the work is
//     already in the table, nothing is committed twice;
//   - a winner changed the table's metadata or protocol: the actions are prepared again
//     against the new table (which may refuse: a partitioning that changed, a feature
//     inlet cannot write);
//   - otherwise (appends, removes): an append-only blind append does not conflict with
//     them and is retried as it is, at the next version.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "inlet/delta/table.h"
#include "inlet/util/status.h"

namespace inlet::delta {

class Transaction {
 public:
  // Prepares the transaction's actions against `snapshot`; the txn action is set by the
  // transaction. An error ends the commit with that error.
  using Prepare = std::function<Result<CommitActions>(const Snapshot& snapshot)>;

  struct Committed {
    int64_t version = -1;
    bool already_committed = false;  // a run before this one committed it at `version`
  };

  // `read`: the snapshot the data was written against. `app_id`/`txn_version`: the
  // idempotence marker recorded in the commit's txn action (a stream's id, its batch id).
  Transaction(Snapshot read, std::string app_id, int64_t txn_version)
      : snapshot_(std::move(read)), app_id_(std::move(app_id)), txn_version_(txn_version) {}

  static constexpr int kMaxAttempts = 100;
  Result<Committed> Commit(const Prepare& prepare, int max_attempts = kMaxAttempts);

  // The snapshot the last attempt was made against.
  const Snapshot& snapshot() const { return snapshot_; }

 private:
  Snapshot snapshot_;
  std::string app_id_;
  int64_t txn_version_;
};

}  // namespace inlet::delta
