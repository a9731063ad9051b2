// Runs one planned batch: parse its files, write Parquet, commit to Delta exactly once.
// Internal to stream/: ingest.cc decides what to run, this file how.
#pragma once

#include <atomic>
#include <string>

#include "inlet/options/ingest_options.h"
#include "inlet/stream/checkpoint.h"
#include "inlet/stream/ingest.h"
#include "inlet/stream/stream_schema.h"
#include "inlet/util/fault.h"
#include "inlet/util/status.h"

namespace inlet::stream {

// Executes `plan` against the table unless the table's txn for this stream already holds
// it; then writes commits/N. Fills everything in the report but `seconds`. The files are
// read with `stream_schema`'s resolved schema, and settle it when it is a guess (before
// the commit, so the schema version is written first); when the data drifts in a way the
// evolution mode stops on, the batch's Parquet files are deleted, nothing is committed,
// and the schema-change status from StreamSchema::HandleDrift is returned (the plan stays,
// so the next run redoes the batch).
Result<BatchReport> ExecuteBatch(const IngestOptions& options, Checkpoint& checkpoint,
                                 StreamSchema& stream_schema, const BatchPlan& plan,
                                 const std::atomic<bool>* cancel = nullptr);

}  // namespace inlet::stream
