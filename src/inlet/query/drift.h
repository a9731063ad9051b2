// `inlet drift TABLE`: what the rescued data column of a table holds, summarized: which
// field paths were rescued, how often, with which JSON types, from which files. The
// analysis users would otherwise write by hand over _rescued_data.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "inlet/delta/table.h"
#include "inlet/util/status.h"

namespace inlet::query {

struct DriftOptions {
  std::string rescued_column = "_rescued_data";
  int top_files = 5;  // files listed per field, most rescues first
};

struct DriftField {
  std::string path;  // dotted, as in FieldPathString ("coordinates.latitude", "location")
  // True when the table has no column at this path (an unknown field was rescued), false
  // when it has one (a value did not fit it, or the name differed only in case).
  bool unknown_field = false;
  int64_t records = 0;                           // rows in which this path was rescued
  std::map<std::string, int64_t> json_types;     // "string"/"number"/"integer"/"boolean"/"object"/"array"/"null" -> count
  std::vector<std::pair<std::string, int64_t>> top_files;  // _file_path -> rows, most first, then by path
  std::string example;                           // one rescued value's JSON text (the first met)
};

struct DriftReport {
  int64_t rows = 0;           // rows in the table
  int64_t rescued_rows = 0;   // rows with a non-null rescued column
  std::vector<DriftField> fields;  // most records first, then by path
};

// Reads the table's rescued column (only that column) and summarizes it. A rescued object
// is walked into nested objects only where the table has a struct column at that path, so
// {"coordinates":{"latitude":"n/a"}} counts "coordinates.latitude" while an unknown field
// whose value is an object ({"location":{...}}) counts "location" as type object. The key
// "_file_path" is the file, not a field. A table without the column fails naming it; a
// value that is not a JSON object is counted under the path "<unparsable>".
Result<DriftReport> AnalyzeDrift(const delta::Snapshot& snapshot, const DriftOptions& options);

// Human-readable report: a summary line, then one aligned row per field (path, records,
// share of rows, types, top files).
std::string FormatDriftReport(const DriftReport& report);
// The report as one JSON object (for scripts).
std::string DriftReportJson(const DriftReport& report);

}  // namespace inlet::query
