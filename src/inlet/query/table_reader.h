// Reads a Delta table's current snapshot into Arrow, in the table's schema: files written
// before a column existed read that column as null.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/delta/table.h"
#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet::query {

Result<Schema> TableSchema(const delta::Snapshot& snapshot);
Result<std::shared_ptr<arrow::Table>> ReadTable(const delta::Snapshot& snapshot);
// Only the named top-level columns (exact names), in the order given: the other columns
// are not read from the data files. A name the table lacks fails naming it.
Result<std::shared_ptr<arrow::Table>> ReadTable(const delta::Snapshot& snapshot,
                                                const std::vector<std::string>& columns);

}  // namespace inlet::query
