// Column paths shared by --where and --select: "a.b.c" with `quoted` parts, resolved
// through struct columns of an Arrow table.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/util/status.h"

namespace inlet::query {

// "a.`b.c`.d" -> {"a", "b.c", "d"}; "``" inside backquotes is one backquote.
Result<std::vector<std::string>> SplitColumnPath(std::string_view text);

// The inverse: parts joined by dots, backquoted when not a plain identifier.
std::string FormatColumnPath(const std::vector<std::string>& parts);

// The column at `parts`, descending through struct children (a null struct makes its
// children null, as Spark's a.b does). Names match exactly, else case-insensitively when
// that is unique (Spark's default). Unknown names are errors naming the path and the
// names that exist there.
Result<std::shared_ptr<arrow::ChunkedArray>> ResolveColumnPath(const arrow::Table& table,
                                                               const std::vector<std::string>& parts);

}  // namespace inlet::query
