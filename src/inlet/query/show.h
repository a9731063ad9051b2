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

// Exactly what Spark 4's Dataset.show(n, truncate=20) prints to stdout (checked against
// pyspark 4.2):
// +---+-----+
// |  a|    b|
// +---+-----+
// |  1|hello|
// +---+-----+
// only showing top 20 rows      <- when more rows exist than shown (no blank line after)
//                               <- else a blank line, from show()'s println
// Cells right-aligned to the column width (min 3; East Asian wide characters count two),
// cells over 20 chars cut to 17 + "..." (headers are not cut), tab/newline shown as \t \n,
// null as NULL (nested too), structs as {1, NULL}, arrays as [a, b], maps as {k -> v},
// doubles as Java prints them (1.0, 1.0E10), timestamps as 2016-03-20 03:20:54.119 (UTC).
// A negative limit shows every row.
std::string FormatShowTable(const arrow::Table& table, int64_t limit);

// One JSON object per line, as Spark's toJSON: fields in column order, null fields omitted
// (null array elements and map values kept), NaN/Infinity quoted, timestamps
// 2016-03-20T03:20:54.119Z, binary base64. A negative limit writes every row.
std::string FormatJsonLines(const arrow::Table& table, int64_t limit);

}  // namespace inlet::query
