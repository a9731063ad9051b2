// Inputs shared by the micro-benchmarks: one generated IoT NDJSON file and folders of tiny
// files, made lazily once per process under a temp dir that is removed at exit (the tiny
// files can instead be kept across runs in $INLET_MICRO_DIR).
#pragma once

#include <cstdint>
#include <string>

#include "inlet/schema/types.h"

namespace inlet::bench {

struct IotFile {
  std::string path;
  int64_t bytes = 0;
  int64_t rows = 0;
};

// The per-process scratch dir ($TMPDIR or /tmp), created on first use.
const std::string& ScratchDir();

// NDJSON rows shaped like scripts/gen_iot.py (same 17 keys, same key order, nested
// coordinates, integral literals mixed into double columns), INLET_MICRO_JSON_MB megabytes
// (default 20). Deterministic: same size -> same bytes.
const IotFile& IotJson();

// The schema Auto Loader infers for those rows with inferColumnTypes=true; with
// `rescued` a trailing `_rescued_data STRING` column, as inlet's tables have.
const Schema& IotSchema(bool rescued);

// A folder holding `count` tiny *.json files, or "" with `*why` set when the filesystem
// lacks the inodes or space for them. Under $INLET_MICRO_DIR when set, where a complete
// folder from an earlier run is reused and nothing is removed: making and deleting 1M
// files can take minutes on a busy disk.
std::string TinyFileFolder(int64_t count, std::string* why);

}  // namespace inlet::bench
