// The --where filter of `inlet show`: a small SQL boolean expression language.
//   expr    := or
//   or      := and (OR and)*
//   and     := not (AND not)*
//   not     := NOT not | cmp
//   cmp     := operand ((= | == | != | <> | < | <= | > | >=) operand | IS [NOT] NULL)?
//   operand := column path a.b.c (`quoted` parts allowed) | 'string' | number | TRUE | FALSE
//              | NULL | ( expr )
// Keywords are case-insensitive. SQL semantics: comparisons with null are null, and a
// row passes only when the whole expression is true.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <arrow/type_fwd.h>

#include "inlet/util/status.h"

namespace inlet::query {

struct WhereExpr;  // opaque parse tree

// Errors point at the 1-based position: "--where error at position 7 in 'a >': ...".
Result<std::shared_ptr<const WhereExpr>> ParseWhere(std::string_view text);

// Rows of `table` for which `expr` is true. Unknown columns are errors naming the path.
Result<std::shared_ptr<arrow::Table>> FilterTable(const std::shared_ptr<arrow::Table>& table,
                                                  const WhereExpr& expr);

// Text form for tests and error messages, fully parenthesized: ((a = 1) AND (b.c IS NULL)).
std::string ToString(const WhereExpr& expr);

}  // namespace inlet::query
