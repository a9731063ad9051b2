// Printing rows as `inlet show` does: Spark's show() bordered table or JSON lines.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/util/status.h"

namespace inlet::query {

// Keeps only the given column paths ("a", "coordinates.latitude"); a nested path becomes
// a top-level column named by its last part, as Spark's select("a.b") does. Unknown
// paths are errors naming them.
Result<std::shared_ptr<arrow::Table>> SelectColumns(const std::shared_ptr<arrow::Table>& table,
                                                    const std::vector<std::string>& paths);

// Spark Dataset.show(n, truncate=20) format:
// +---+-----+
// |  a|    b|
// +---+-----+
// |  1|hello|
// +---+-----+
// only showing top 20 rows      <- when more rows exist than shown
// Cells right-aligned, truncated to 20 chars ("..." suffix), null as "null", structs as
// {1, 2}, arrays as [a, b], maps as {k -> v}, doubles as Spark prints them (1.0, 1.0E10).
std::string FormatShowTable(const arrow::Table& table, int64_t limit);

// One JSON object per row, fields in column order, nulls omitted (as Spark's toJSON).
std::string FormatJsonLines(const arrow::Table& table, int64_t limit);

}  // namespace inlet::query
