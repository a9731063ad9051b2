// Reading Delta Parquet checkpoints (internal to delta/; WriteCheckpoint is in table.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "inlet/delta/actions.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace inlet::delta {

// The actions a checkpoint holds: the table state at its version.
struct CheckpointActions {
  std::optional<Protocol> protocol;
  std::optional<Metadata> metadata;
  std::vector<Txn> txns;
  std::vector<AddFile> adds;
  std::vector<RemoveFile> removes;
  // v2 checkpoints: the sidecar files (paths as the sidecar actions give them) that hold
  // the checkpoint's add and remove actions.
  std::vector<std::string> sidecars;
};

// Reads one Parquet checkpoint part (single-part checkpoints have one), a v2 checkpoint's
// top-level Parquet file or one of its sidecars, appending to `out`.
// Columns other than txn/add/remove/metaData/protocol (stats_parsed, ...) are not read.
Status ReadCheckpointPart(storage::FileSystem& fs, const std::string& path, CheckpointActions* out);

// Reads a v2 checkpoint's top-level file (JSON or Parquet) and then every sidecar it names
// (in _delta_log/_sidecars/), appending to `out`.
Status ReadV2Checkpoint(const storage::Place& table, const std::string& path, CheckpointActions* out);

}  // namespace inlet::delta
