// The option table's row type and the value parsers rows share, so that the rows of one
// family of options (spark_options.cc) can live in their own file. Internal to options/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "inlet/options/ingest_options.h"
#include "inlet/util/status.h"

namespace inlet::option_rows {

// Parses `value` into the right IngestOptions field; errors name `option` and `value`.
using Setter = Status (*)(std::string_view option, std::string_view value, IngestOptions* out);

struct OptionEntry {
  OptionSpec spec;
  Setter set;
};

std::string_view Trim(std::string_view s);
// "option NAME: expected EXPECTED, got 'VALUE'".
Status BadValue(std::string_view option, std::string_view expected, std::string_view value);
Result<bool> ParseBoolean(std::string_view option, std::string_view value);
Result<int64_t> ParsePositiveInteger(std::string_view option, std::string_view value);
Result<std::string> ParseNonEmptyString(std::string_view option, std::string_view value);

// One setter per row: the kind's parser, then the IngestOptions member it fills.
template <auto Parse, auto Member>
Status SetField(std::string_view option, std::string_view value, IngestOptions* out) {
  INLET_ASSIGN_OR_RAISE(out->*Member, Parse(option, value));
  return Status::OK();
}

// The rows of Spark's generic file source options (and Auto Loader's few that
// only govern options), in documentation order.
const std::vector<OptionEntry>& SparkOptionEntries();

}  // namespace inlet::option_rows
