// The Spark options the reading side compiles from IngestOptions once: the format (with
// its own options), dateFormat, timestampFormat and timeZone for every format's reader,
// modifiedAfter/modifiedBefore for the
// files a stream plans. Compiled before anything is created, so a bad value is a usage
// error (exit 2) that names the option.
#pragma once

#include <cstdint>
#include <optional>

#include <memory>

#include "inlet/formats/format.h"
#include "inlet/formats/temporal.h"
#include "inlet/options/ingest_options.h"
#include "inlet/util/status.h"

namespace inlet::stream {

struct ReaderOptions {
  // cloudFiles.format, made with its own options: what files are read and inferred with.
  std::shared_ptr<const formats::FileFormat> format;
  formats::TemporalFormats temporal;
  // Modification-time window in epoch milliseconds: a file is taken when its time is
  // strictly after `modified_after_ms` and strictly before `modified_before_ms` (Spark's).
  std::optional<int64_t> modified_after_ms;
  std::optional<int64_t> modified_before_ms;

  bool InModifiedWindow(int64_t modification_time_ms) const {
    return (!modified_after_ms || modification_time_ms > *modified_after_ms) &&
           (!modified_before_ms || modification_time_ms < *modified_before_ms);
  }
};

// Status::Invalid naming the option for a pattern, zone or timestamp that does not parse.
Result<ReaderOptions> CompileReaderOptions(const IngestOptions& options);

}  // namespace inlet::stream
