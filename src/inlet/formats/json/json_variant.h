// One JSON record as a VARIANT, the way Spark's parse_json builds it (and so the way
// singleVariantColumn loads a record): integers in the smallest integer type that holds them,
// numbers without an exponent as decimals of up to 38 digits, all others as doubles.
#pragma once

#include <simdjson.h>

#include <string>
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

// JsonToVariant for value after value (a reader's VARIANT column, singleVariantColumn's
// records): the parser, its buffers and the builder are kept from one value to the next,
// and `out`'s buffers are reused.
class JsonVariantParser {
 public:
  explicit JsonVariantParser(const JsonVariantOptions& options = {});
  // `text`, one JSON value, as JsonToVariant reads it.
  Status Parse(std::string_view text, VariantValue* out);
  // A value met inside a document being read, consuming it.
  Status Encode(simdjson::ondemand::value value, VariantValue* out);

 private:
  JsonVariantOptions options_;
  std::string wrapped_;  // "[" text "]" and simdjson's padding
  simdjson::ondemand::parser parser_;
  VariantBuilder builder_;
};

}  // namespace inlet::json
