// modifiedAfter/modifiedBefore are read as Spark reads them: its lenient ISO timestamp text,
// in timeZone unless the text has an offset.
#include "inlet/stream/reader_options.h"

#include "inlet/formats/registry.h"

#include <fmt/format.h>

namespace inlet::stream {
namespace {

Result<std::optional<int64_t>> ModifiedBound(const char* option, const std::optional<std::string>& text,
                                             const formats::TimeZone& zone) {
  if (!text) return std::optional<int64_t>();
  const auto micros = formats::ParseSparkTimestamp(*text, zone);
  if (!micros) {
    return Status::Invalid(fmt::format(
        "option {}: '{}' is not a timestamp; expected e.g. 2020-06-01T13:00:00 (in timeZone) or "
        "2020-06-01T13:00:00Z",
        option, *text));
  }
  // Floor to milliseconds, the resolution file times are compared at.
  return std::optional<int64_t>(*micros >= 0 ? *micros / 1000 : -((-*micros + 999) / 1000));
}

}  // namespace

Result<ReaderOptions> CompileReaderOptions(const IngestOptions& options) {
  ReaderOptions reader;
  INLET_ASSIGN_OR_RAISE(reader.format, formats::MakeFileFormat(options.format, options.format_options));
  INLET_ASSIGN_OR_RAISE(reader.temporal,
                        formats::CompileTemporalFormats(options.date_format, options.timestamp_format, options.time_zone));
  INLET_ASSIGN_OR_RAISE(reader.modified_after_ms,
                        ModifiedBound("modifiedAfter", options.modified_after, reader.temporal.zone));
  INLET_ASSIGN_OR_RAISE(reader.modified_before_ms,
                        ModifiedBound("modifiedBefore", options.modified_before, reader.temporal.zone));
  return reader;
}

}  // namespace inlet::stream
