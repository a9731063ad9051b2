// Errors as values across module boundaries. inlet uses Arrow's Status and Result<T>
// directly: every stage already holds Arrow data, and one error type avoids conversions.
#pragma once

#include <arrow/result.h>
#include <arrow/status.h>

namespace inlet {

using Status = arrow::Status;
template <typename T>
using Result = arrow::Result<T>;

}  // namespace inlet

#define INLET_RETURN_NOT_OK(expr) ARROW_RETURN_NOT_OK(expr)
#define INLET_ASSIGN_OR_RAISE(lhs, rexpr) ARROW_ASSIGN_OR_RAISE(lhs, rexpr)
