#include "inlet/delta/log_store.h"

#include <fmt/format.h>

#include "inlet/delta/actions.h"
#include "inlet/util/fault.h"

namespace inlet::delta {

Result<std::string> LogStore::ReadEntry(int64_t version) const {
  return table_.fs->ReadFile(PathOf(CommitFileName(version)));
}

Status LogStore::WriteCommitEntry(int64_t version, std::string_view bytes) const {
  if (version < 0) {
    return Status::Invalid(fmt::format("cannot commit negative version {} to '{}'", version, table_.path));
  }
  INLET_RETURN_NOT_OK(table_.fs->CreateDirs(LogDir(table_.path)));
  INLET_RETURN_NOT_OK(MaybeFailAt("delta_commit"));
  return table_.fs->WriteFile(PathOf(CommitFileName(version)), bytes, storage::WriteMode::kCreateIfAbsent);
}

}  // namespace inlet::delta
