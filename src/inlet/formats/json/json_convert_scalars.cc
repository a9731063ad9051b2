// The RecordConverter's scalar columns: strings, integers, doubles, decimals, dates and
// timestamps, binary. A value that does not fit its column goes to Mismatch.
#include <arrow/api.h>
#include <arrow/util/decimal.h>

#include <cmath>
#include <limits>
#include <string_view>

#include "inlet/formats/json/json_column.h"
#include "inlet/formats/json/json_convert.h"
#include "inlet/formats/json/json_convert_append.h"
#include "inlet/formats/json/json_raw_text.h"
#include "inlet/formats/temporal.h"
#include "inlet/formats/json/json_validate.h"
#include "inlet/util/strings.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;
using JsonType = ondemand::json_type;
using convert_internal::AppendScalar;
using convert_internal::AppendText;
using Column = RecordConverter::Column;

namespace {

// Doubles at least this large round to float infinity: beyond float's range.
constexpr double kFloatOverflow = 0x1.ffffffp127;

int8_t Base64Digit(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<int8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<int8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<int8_t>(c - '0' + 52);
  if (c == '+' || c == '-') return 62;
  if (c == '/' || c == '_') return 63;
  return -1;
}

// Standard or URL-safe base64, padding optional (Spark reads binary JSON values so).
bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  uint32_t bits = 0;
  int nbits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '='; ++i) {
    const int8_t digit = Base64Digit(static_cast<unsigned char>(text[i]));
    if (digit < 0) return false;
    bits = (bits << 6) | static_cast<uint32_t>(digit);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out->push_back(static_cast<char>((bits >> nbits) & 0xFF));
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] != '=') return false;
  }
  return nbits < 6;  // a single leftover 6-bit group cannot end a valid encoding
}

}  // namespace

error_code RecordConverter::AppendString(Column& column, ondemand::value& value, JsonType type) {
  auto* builder = static_cast<arrow::StringBuilder*>(column.builder);
  std::string_view text;
  switch (type) {
    case JsonType::string: {
      // A string without escapes is its bytes between the quotes (stage 1 has checked their
      // UTF-8 and that no control character is raw): appended from the document, not
      // unescaped into the parser's buffer first. It is still consumed, so the iterator
      // goes on to check what follows it.
      const char* body = value.raw_json_token().data() + 1;
      const size_t plain = raw_text::PlainStringPrefix(body);
      if (body[plain] == '"') {
        ondemand::raw_json_string raw;
        SIMDJSON_TRY(value.get_raw_json_string().get(raw));
        text = std::string_view(body, plain);
      } else {
        SIMDJSON_TRY(GetString(value, &text));
      }
      break;
    }
    case JsonType::number: {
      // The literal as written ("42.50" stays "42.50", "1e309" too), after checking it is
      // a number by JSON's grammar, which has no range (or -Infinity, when allowed).
      text = TrimTrailingJsonSpace(value.raw_json_token());
      if (!ScanNumberToken(text).valid && !(allow_non_numeric_ && NonNumericNumber(text))) {
        return simdjson::NUMBER_ERROR;
      }
      break;
    }
    case JsonType::boolean: {
      bool b;
      SIMDJSON_TRY(value.get_bool().get(b));
      text = b ? std::string_view("true") : std::string_view("false");
      break;
    }
    case JsonType::object: {
      unchecked_ = true;  // copied as raw text: checked whole after the record
      ondemand::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      SIMDJSON_TRY(object.raw_json().get(text));
      text = TrimTrailingJsonSpace(text);
      break;
    }
    case JsonType::array: {
      unchecked_ = true;
      ondemand::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      SIMDJSON_TRY(array.raw_json().get(text));
      text = TrimTrailingJsonSpace(text);
      break;
    }
    case JsonType::null:
      return AppendNull(column);
  }
  INLET_JSON_APPEND(AppendText(builder, text));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendInteger(Column& column, ondemand::value& value, JsonType type) {
  if (type != JsonType::number) return Mismatch(column, value, type);
  int64_t v;
  const error_code error = value.get_int64().get(v);
  if (ARROW_PREDICT_FALSE(error != simdjson::SUCCESS)) {
    return Mismatch(column, value, type);  // a fraction/exponent, beyond int64, or no number
  }
  switch (column.kind) {
    case TypeKind::kLong:
      INLET_JSON_APPEND(AppendScalar(static_cast<arrow::Int64Builder*>(column.builder), v));
      break;
    case TypeKind::kInteger:
      if (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(AppendScalar(static_cast<arrow::Int32Builder*>(column.builder), static_cast<int32_t>(v)));
      break;
    case TypeKind::kShort:
      if (v < std::numeric_limits<int16_t>::min() || v > std::numeric_limits<int16_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(AppendScalar(static_cast<arrow::Int16Builder*>(column.builder), static_cast<int16_t>(v)));
      break;
    default:
      if (v < std::numeric_limits<int8_t>::min() || v > std::numeric_limits<int8_t>::max()) {
        return Mismatch(column, value, type);
      }
      INLET_JSON_APPEND(AppendScalar(static_cast<arrow::Int8Builder*>(column.builder), static_cast<int8_t>(v)));
      break;
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendFloating(Column& column, ondemand::value& value, JsonType type) {
  double v;
  if (type == JsonType::number) {
    if (ARROW_PREDICT_FALSE(GetDouble(value, &v) != simdjson::SUCCESS)) {
      // Beyond double's range (Spark: ±Infinity), or -Infinity itself.
      const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
      const auto special = allow_non_numeric_ ? NonNumericNumber(token) : std::nullopt;
      if (special) {
        v = *special;
      } else if (ScanNumberToken(token).valid) {
        v = OutOfRangeDouble(token);
      } else {
        return simdjson::NUMBER_ERROR;
      }
    }
  } else if (type == JsonType::string) {
    // Spark's allowNonNumericNumbers spellings, quoted (inference calls them strings).
    suspect_ = true;
    std::string_view text;
    SIMDJSON_TRY(GetString(value, &text));
    if (text == "NaN") {
      v = std::numeric_limits<double>::quiet_NaN();
    } else if (text == "Infinity" || text == "+Infinity" || text == "+INF") {
      v = std::numeric_limits<double>::infinity();
    } else if (text == "-Infinity" || text == "-INF") {
      v = -std::numeric_limits<double>::infinity();
    } else {
      return Mismatch(column, value, type);
    }
  } else {
    return Mismatch(column, value, type);
  }
  if (column.kind == TypeKind::kDouble) {
    INLET_JSON_APPEND(AppendScalar(static_cast<arrow::DoubleBuilder*>(column.builder), v));
  } else {
    // A finite number beyond float's range would silently become infinity.
    if (ARROW_PREDICT_FALSE(std::fabs(v) >= kFloatOverflow && std::isfinite(v))) {
      return Mismatch(column, value, type);
    }
    INLET_JSON_APPEND(AppendScalar(static_cast<arrow::FloatBuilder*>(column.builder), static_cast<float>(v)));
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendDecimal(Column& column, ondemand::value& value, JsonType type) {
  std::string_view text;
  if (type == JsonType::number) {
    text = TrimTrailingJsonSpace(value.raw_json_token());
    if (!ScanNumberToken(text).valid) return Mismatch(column, value, type);  // -Infinity, or fails there
  } else if (type == JsonType::string) {
    SIMDJSON_TRY(GetString(value, &text));
  } else {
    return Mismatch(column, value, type);
  }
  arrow::Decimal128 decimal;
  int32_t precision = 0;
  int32_t scale = 0;
  // More than 38 digits overflow Decimal128 silently (39 nines became a negative number).
  if (!arrow::Decimal128::FromString(text, &decimal, &precision, &scale).ok() || precision > 38) {
    return Mismatch(column, value, type);
  }
  // Spark rounds HALF_UP to the column's scale and rejects what then exceeds precision.
  if (scale > column.scale) {
    decimal = decimal.ReduceScaleBy(scale - column.scale, /*round=*/true);
  } else if (scale < column.scale) {
    if (precision - scale + column.scale > 38) return Mismatch(column, value, type);
    decimal = decimal.IncreaseScaleBy(column.scale - scale);
  }
  if (!decimal.FitsInPrecision(column.precision)) return Mismatch(column, value, type);
  INLET_JSON_APPEND(static_cast<arrow::Decimal128Builder*>(column.builder)->Append(decimal));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendTemporal(Column& column, ondemand::value& value, JsonType type) {
  if (column.kind == TypeKind::kTimestamp && type == JsonType::number) {
    // Spark reads an integer timestamp as seconds since the epoch.
    constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000000;
    int64_t seconds;
    const error_code error = value.get_int64().get(seconds);
    if (error != simdjson::SUCCESS || seconds > kMaxSeconds || seconds < -kMaxSeconds) {
      return Mismatch(column, value, type);  // Mismatch checks the literal
    }
    INLET_JSON_APPEND(static_cast<arrow::TimestampBuilder*>(column.builder)->Append(seconds * 1000000));
    return simdjson::SUCCESS;
  }
  if (type != JsonType::string) return Mismatch(column, value, type);
  std::string_view text;
  SIMDJSON_TRY(GetString(value, &text));
  if (column.kind == TypeKind::kDate) {
    const auto days = ParseDate(text, temporal_);
    if (!days) return Mismatch(column, value, type);
    INLET_JSON_APPEND(static_cast<arrow::Date32Builder*>(column.builder)->Append(*days));
  } else {
    const auto micros = ParseTimestamp(text, temporal_);
    if (!micros) return Mismatch(column, value, type);
    INLET_JSON_APPEND(static_cast<arrow::TimestampBuilder*>(column.builder)->Append(*micros));
  }
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendBinary(Column& column, ondemand::value& value, JsonType type) {
  if (type != JsonType::string) return Mismatch(column, value, type);
  std::string_view text;
  SIMDJSON_TRY(GetString(value, &text));
  if (!DecodeBase64(text, &scratch_)) return Mismatch(column, value, type);
  INLET_JSON_APPEND(static_cast<arrow::BinaryBuilder*>(column.builder)->Append(scratch_));
  return simdjson::SUCCESS;
}

}  // namespace inlet::json
