// How a format declares and parses the options it owns: one row per option (Spark's name,
// kind, default, meaning, and the setter into the format's own options struct), so that a
// format's options, their validation, --help and the README table live in its folder.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/util/status.h"

namespace inlet::formats {

// "option NAME: expected EXPECTED, got 'VALUE'".
Status BadOptionValue(std::string_view option, std::string_view expected, std::string_view value);
Result<bool> ParseBooleanOption(std::string_view option, std::string_view value);
// An integer in [min, max].
Result<int64_t> ParseIntegerOption(std::string_view option, std::string_view value, int64_t min, int64_t max);
// One character, given as itself or as a Java escape (\t, \n, \\, \u0001); "" is none (as
// Spark reads an empty quote or escape: the feature off) when `allow_none`.
Result<std::string> ParseCharacterOption(std::string_view option, std::string_view value, bool allow_none);
// Only UTF-8 (utf8, UTF_8 ...): what the readers decode. Refused naming the option otherwise.
Result<bool> ParseUtf8Option(std::string_view option, std::string_view value);

template <class Options>
struct FormatOptionRow {
  OptionRow spec;
  Status (*set)(std::string_view option, std::string_view value, Options* out);
};

// The options struct from the values given: each value goes through its row's setter;
// values of rows this format does not have are not its business (another format's).
template <class Options>
Result<Options> ParseFormatOptions(const std::vector<FormatOptionRow<Options>>& rows,
                                   const FormatOptionValues& values) {
  Options options;
  for (const auto& row : rows) {
    auto it = values.find(row.spec.name);
    if (it != values.end()) INLET_RETURN_NOT_OK(row.set(row.spec.name, it->second, &options));
  }
  return options;
}

template <class Options>
std::vector<OptionRow> SpecsOf(const std::vector<FormatOptionRow<Options>>& rows) {
  std::vector<OptionRow> specs;
  for (const auto& row : rows) specs.push_back(row.spec);
  return specs;
}

// Setters for the common kinds, into `Member` of the format's options struct.
template <auto Member>
Status SetBoolean(std::string_view option, std::string_view value, auto* out) {
  INLET_ASSIGN_OR_RAISE(out->*Member, ParseBooleanOption(option, value));
  return Status::OK();
}

template <auto Member>
Status SetString(std::string_view option, std::string_view value, auto* out) {
  out->*Member = std::string(value);
  return Status::OK();
}

}  // namespace inlet::formats
