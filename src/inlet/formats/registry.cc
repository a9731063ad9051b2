// The one table of formats. Adding a format: its folder, and one line here.
#include "inlet/formats/registry.h"

#include <fmt/format.h>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/json/json_format.h"
#include "inlet/util/strings.h"

namespace inlet::formats {

const std::vector<FormatEntry>& Formats() {
  static const std::vector<FormatEntry> kFormats = {
      {"json", &json::JsonOptionRows, &json::MakeJsonFormat},
      {"csv", &csv::CsvOptionRows, &csv::MakeCsvFormat},
  };
  return kFormats;
}

const OptionRow* FindFormatOption(std::string_view key) {
  static const std::vector<std::vector<OptionRow>> kRows = [] {
    std::vector<std::vector<OptionRow>> rows;
    for (const FormatEntry& format : Formats()) rows.push_back(format.rows());
    return rows;
  }();
  for (const auto& rows : kRows) {
    for (const OptionRow& row : rows) {
      if (EqualsIgnoreCase(row.name, key)) return &row;
    }
  }
  return nullptr;
}

std::string FormatNames() {
  std::string names;
  for (const FormatEntry& format : Formats()) names += (names.empty() ? "" : ", ") + std::string(format.name);
  return names;
}

Result<std::shared_ptr<const FileFormat>> MakeFileFormat(std::string_view name, const FormatOptionValues& values) {
  for (const FormatEntry& format : Formats()) {
    if (EqualsIgnoreCase(format.name, name)) return format.make(values);
  }
  return Status::Invalid(fmt::format("option cloudFiles.format: unsupported format '{}' (supported: {})", name,
                                     FormatNames()));
}

}  // namespace inlet::formats
