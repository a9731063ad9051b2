// One JSON record as a VARIANT, the way Spark's parse_json builds it (and so the way
// singleVariantColumn loads a record): integers in the smallest integer type that holds them,
// numbers without an exponent as decimals of up to 38 digits, all others as doubles.
#pragma once

#include <simdjson.h>

#include <string_view>

#include "inlet/schema/variant.h"
#include "inlet/util/status.h"

namespace inlet::json {

struct JsonVariantOptions {
  bool allow_non_numeric_numbers = true;  // NaN, Infinity, +INF... as doubles
  bool allow_duplicate_keys = false;      // true: the last occurrence of a key wins
};

// `text` is one JSON value (strict JSON, or the lenient dialect already rewritten). Errors
// name what is wrong (a syntax error, a duplicate key, nesting past 1,000 levels).
Result<VariantValue> JsonToVariant(std::string_view text, const JsonVariantOptions& options = {});

// The same for a value met inside a document being read (a VARIANT column's value),
// consuming it. `builder` is reused from value to value (VariantBuilder::Finish empties it).
Result<VariantValue> JsonValueToVariant(simdjson::ondemand::value value, const JsonVariantOptions& options,
                                        VariantBuilder* builder);

}  // namespace inlet::json
