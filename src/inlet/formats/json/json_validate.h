// What simdjson's On-Demand API does not check by itself: a value it skips or copies as raw
// text is only scanned for brackets, so `[1,,2]` or `{"x":1,}` would pass. These helpers
// check such text whole, read numbers beyond double's range and Jackson's non-numeric
// numbers as Spark does, and unescape strings holding a lone surrogate. Internal to
// formats/json; none of it runs on a record whose every value the converter read.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace inlet::json {

// The shape of a number token (simdjson's raw token, trailing space trimmed) under JSON's
// grammar, with no limit on its range: simdjson fails `1e309` ("Problem while parsing a
// number"), which Spark reads as Infinity for a double and as its text for a string.
struct NumberShape {
  bool valid = false;
  bool integral = false;     // no fraction, no exponent
  bool negative = false;
  int integer_digits = 0;    // digits before any '.' or exponent
  // As Java's BigDecimal of the token (prefersDecimal): the digits of its unscaled value
  // without leading zeros (1 for zero), and its scale (fraction digits less the exponent,
  // the exponent saturated at +-2^31).
  int precision = 0;
  int64_t scale = 0;
};
NumberShape ScanNumberToken(std::string_view token);

// The value of `token` where Jackson's ALLOW_NON_NUMERIC_NUMBERS (Spark's
// allowNonNumericNumbers, true by default) reads one: NaN, +NaN, -NaN, Infinity, +Infinity,
// -Infinity, INF, +INF, -INF. nullopt for anything else.
std::optional<double> NonNumericNumber(std::string_view token);

// The double of a number value, as simdjson's get_double() but right for long tokens:
// simdjson 3.0.1 (Debian's) misreads a number of more than 19 significant digits after a
// leading "0." (0.123456789123456789123 gives 0.0128), so a token past 19 characters is read
// with std::from_chars, which rounds correctly at any length. NUMBER_ERROR past double's
// range, like get_double(): the caller then applies OutOfRangeDouble.
simdjson::error_code GetDouble(simdjson::ondemand::value& value, double* out);

// A finite or infinite double for a valid number token simdjson could not convert (beyond
// double's range): ±Infinity for an overflow, ±0 for an underflow.
double OutOfRangeDouble(std::string_view token);

// Unescapes the JSON string whose text (after the opening quote) starts at `body`, as
// simdjson does, except that a lone UTF-16 surrogate escape (`\ud800`) becomes U+FFFD the
// way Jackson decodes it leniently, instead of failing the string. False when the string
// is invalid for another reason.
bool UnescapeStringLeniently(const char* body, std::string* out);

// Reads `value` whole in place (consuming it, as a skip would), checking every byte of it
// as ValidateJsonText does. Cheaper than checking the record again when the value is
// one the converter would skip: stage 1 is not rerun, and the rest of the record is not
// visited twice. `scratch` holds leniently unescaped strings.
simdjson::error_code ValidateValue(simdjson::ondemand::value value, bool allow_non_numeric, std::string* scratch);

// Whether the JSON text `data[0, size)` (a whole record, or one value of it) is valid JSON
// to its every byte: every value read, every string unescaped, every literal and number
// checked (non-numeric numbers admitted when `allow_non_numeric`). `capacity` >= size +
// SIMDJSON_PADDING bytes must be readable from `data`. SUCCESS or the first error.
simdjson::error_code ValidateJsonText(simdjson::ondemand::parser& parser, const char* data, size_t size,
                                      size_t capacity, bool allow_non_numeric);

}  // namespace inlet::json
