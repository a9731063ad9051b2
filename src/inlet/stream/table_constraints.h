// The CHECK constraints (delta.constraints.* in the table's configuration) and column
// invariants (delta.invariants in field metadata) of a Delta table, enforced on every batch
// inlet appends: a batch with a row for which one is not true fails, naming it, and nothing
// of it is committed.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/delta/actions.h"
#include "inlet/query/where.h"
#include "inlet/util/status.h"

namespace inlet::stream {

struct TableConstraint {
  std::string name;        // "CHECK constraint 'id_positive'" or "invariant of column 'id'"
  std::string expression;  // the SQL text, as the table stores it
  std::shared_ptr<const query::WhereExpr> parsed;
};

// Every constraint of the table, parsed with the --where language (query/where.h: column
// comparisons with literals, AND/OR/NOT, IS [NOT] NULL). One using SQL beyond it (functions,
// IN, arithmetic) is refused (NotImplemented) naming it, since inlet could not check it.
Result<std::vector<TableConstraint>> TableConstraints(const delta::Metadata& metadata, const std::string& table_dir);

// Fails (Invalid) when a row of `batch` makes a constraint false or NULL (Delta rejects both),
// naming the constraint, its expression and how many rows break it.
Status CheckRows(const std::vector<TableConstraint>& constraints, const arrow::RecordBatch& batch,
                 const std::string& table_dir);

// "name: expression" of each, to see whether they changed.
std::vector<std::string> ConstraintTexts(const std::vector<TableConstraint>& constraints);

}  // namespace inlet::stream
