// CSV text to typed values as Spark's CSV reader converts them (Java's parsers: Integer.
// parseInt, Double.parseDouble, new BigDecimal, Scala's toBoolean), and Spark's CSV type
// inference for one value. Internal to formats/csv.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include <arrow/util/decimal.h>

#include "inlet/formats/csv/csv_format.h"
#include "inlet/formats/temporal.h"
#include "inlet/schema/types.h"

namespace inlet::csv {

// Integer.parseInt / Long.parseLong: an optional sign and decimal digits, nothing else, in
// [min, max].
std::optional<int64_t> ParseJavaInteger(std::string_view text, int64_t min, int64_t max);
// Double.parseDouble: spaces around it ignored, NaN, Infinity, a decimal number with an
// optional exponent and an optional f/F/d/D suffix.
std::optional<double> ParseJavaDouble(std::string_view text);
std::optional<float> ParseJavaFloat(std::string_view text);
// Scala's String.toBoolean: true or false in any case.
std::optional<bool> ParseJavaBoolean(std::string_view text);
// new java.math.BigDecimal(text) rounded HALF_UP to `scale`; nullopt when it does not parse
// or needs more than `precision` digits.
std::optional<arrow::Decimal128> ParseJavaDecimal(std::string_view text, int precision, int scale);

// What inference needs besides the value (Spark's CSVInferSchema).
struct InferenceRules {
  const CsvOptions* csv = nullptr;
  const formats::TemporalFormats* temporal = nullptr;
  formats::TemporalFormats strict_date;  // dateFormat, or yyyy-MM-dd: what a date is to inference
};

// The type the column has after `text`, given the type so far (Null when none yet): Spark's
// inferField. The null value and empty text leave it as it is.
DataTypePtr InferCsvValue(const DataTypePtr& so_far, std::string_view text, const InferenceRules& rules);
// Spark's CSV compatibleType of two column types, or String when there is none.
DataTypePtr MergeCsvTypes(const DataTypePtr& a, const DataTypePtr& b);

}  // namespace inlet::csv
