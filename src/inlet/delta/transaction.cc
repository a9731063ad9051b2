#include "inlet/delta/transaction.h"

#include <fmt/format.h>

#include "inlet/delta/log_store.h"
#include "inlet/util/ids.h"

namespace inlet::delta {
namespace {

// What a winner must not have changed under a blind append: the table's metadata and
// protocol, compared in their log form.
std::string DefinitionOf(const Snapshot& snapshot) {
  CommitActions definition;
  definition.protocol = snapshot.protocol();
  definition.metadata = snapshot.metadata();
  return SerializeCommit(definition);
}

}  // namespace

Result<Transaction::Committed> Transaction::Commit(const Prepare& prepare, int max_attempts) {
  const LogStore log(snapshot_.table());
  std::string prepared_for;  // the definition `actions` were prepared against
  std::string bytes;
  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    if (attempt > 0) {
      INLET_ASSIGN_OR_RAISE(snapshot_, Snapshot::Load(snapshot_.table()));
    }
    if (auto txn = snapshot_.TxnVersion(app_id_); txn && *txn >= txn_version_) {
      return Committed{snapshot_.version(), true};
    }
    std::string definition = snapshot_.exists() ? DefinitionOf(snapshot_) : std::string();
    if (attempt == 0 || definition != prepared_for) {
      INLET_ASSIGN_OR_RAISE(CommitActions actions, prepare(snapshot_));
      actions.txn = Txn{app_id_, txn_version_, NowMillis()};
      bytes = SerializeCommit(actions);
      prepared_for = std::move(definition);
    }
    const int64_t version = snapshot_.version() + 1;
    Status written = log.WriteCommitEntry(version, bytes);
    if (written.IsAlreadyExists()) continue;
    INLET_RETURN_NOT_OK(written);
    return Committed{version, false};
  }
  return Status::IOError(fmt::format("could not commit to '{}' after {} attempts: other writers kept winning",
                                     snapshot_.table_dir(), max_attempts));
}

}  // namespace inlet::delta
