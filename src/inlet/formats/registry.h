// The formats inlet reads, by cloudFiles.format name: each one's option rows and how it is
// made from the options given. A format is added by one line in registry.cc.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/util/status.h"

namespace inlet::formats {

struct FormatEntry {
  std::string_view name;  // cloudFiles.format's value
  std::vector<OptionRow> (*rows)();
  Result<std::shared_ptr<const FileFormat>> (*make)(const FormatOptionValues& values);
};

// Every format, in documentation order.
const std::vector<FormatEntry>& Formats();

// The row of some format's option named `key` (case-insensitive), or nullptr.
const OptionRow* FindFormatOption(std::string_view key);

// The format `name` (case-insensitive) with its options parsed from `values`: Invalid
// naming the option for a bad value, or naming the formats inlet has for an unknown name.
Result<std::shared_ptr<const FileFormat>> MakeFileFormat(std::string_view name, const FormatOptionValues& values);

// "json, csv, ..." for messages.
std::string FormatNames();

}  // namespace inlet::formats
