// Reading Delta Parquet checkpoints (internal to delta/; WriteCheckpoint is in table.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inlet/delta/actions.h"
#include "inlet/util/status.h"

namespace inlet::delta {

// The actions a checkpoint holds: the table state at its version.
struct CheckpointActions {
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::vector<Txn> txns;
  std::vector<AddFile> adds;
  std::vector<RemoveFile> removes;
};

// Reads one checkpoint part (single-part checkpoints have one), appending to `out`.
// Columns other than txn/add/remove/metaData/protocol (stats_parsed, ...) are not read.
Status ReadCheckpointPart(const std::string& path, CheckpointActions* out);

}  // namespace inlet::delta
