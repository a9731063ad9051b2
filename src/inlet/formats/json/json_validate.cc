// Whole-text checks and lenient readings for what simdjson's On-Demand API leaves unchecked
// or refuses while Spark reads it (see json_validate.h).
#include "inlet/formats/json/json_validate.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>

#include "inlet/formats/json/json_raw_text.h"
#include "inlet/formats/json/json_rescue.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The UTF-16 code unit of the four hex digits at `p`, or -1.
int32_t CodeUnitAt(const char* p) {
  int32_t unit = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = HexValue(p[i]);
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

constexpr uint32_t kReplacementCharacter = 0xFFFD;

// Walks `value` whole, reading every part of it, so that On-Demand checks all of it.
class Validator {
 public:
  Validator(bool allow_non_numeric, std::string* scratch) : allow_non_numeric_(allow_non_numeric), scratch_(*scratch) {}

  error_code Value(ondemand::value value) {
    // Bounded recursion whatever the text. Past kMaxDepth the value is left to On-Demand's
    // skip: a record that deep is malformed anyway (maxNestingDepth is at most 1000), and
    // the reader's depth check marks it so (a multiLine array's element is checked for
    // depth after it is read, and the array goes on).
    if (depth_ >= kMaxDepth) return simdjson::SUCCESS;
    ++depth_;
    const error_code error = TypedValue(value);
    --depth_;
    return error;
  }

 private:
  static constexpr int kMaxDepth = 1024;

  error_code TypedValue(ondemand::value value) {
    ondemand::json_type type;
    const error_code error = value.type().get(type);
    if (error) return Special(value, error);
    switch (type) {
      case ondemand::json_type::object: {
        ondemand::object object;
        SIMDJSON_TRY(value.get_object().get(object));
        for (auto field : object) {
          SIMDJSON_TRY(field.error());
          std::string_view key;
          SIMDJSON_TRY(field.value_unsafe().unescaped_key().get(key));
          SIMDJSON_TRY(Value(field.value_unsafe().value()));
        }
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::array: {
        ondemand::array array;
        SIMDJSON_TRY(value.get_array().get(array));
        for (auto element : array) {
          SIMDJSON_TRY(element.error());
          SIMDJSON_TRY(Value(element.value_unsafe()));
        }
        return simdjson::SUCCESS;
      }
      case ondemand::json_type::string: {
        // Without a backslash, stage 1's UTF-8 and quote checks are all a string needs.
        const char* body = value.raw_json_token().data() + 1;
        if (body[raw_text::PlainStringPrefix(body)] == '"') {
          ondemand::raw_json_string raw;
          return value.get_raw_json_string().get(raw);
        }
        std::string_view text;
        const error_code string_error = value.get_string().get(text);
        if (string_error == simdjson::STRING_ERROR &&
            UnescapeStringLeniently(value.raw_json_token().data() + 1, &scratch_)) {
          return simdjson::SUCCESS;
        }
        return string_error;
      }
      case ondemand::json_type::number: {
        const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
        if (ScanNumberToken(token).valid) return simdjson::SUCCESS;
        return Special(value, simdjson::NUMBER_ERROR);
      }
      case ondemand::json_type::boolean: {
        bool b;
        return value.get_bool().get(b);
      }
      case ondemand::json_type::null: {
        bool is_null = false;
        SIMDJSON_TRY(value.is_null().get(is_null));
        return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
      }
    }
    return simdjson::TAPE_ERROR;
  }

  // A token simdjson cannot type or read: valid only as a non-numeric number, if allowed.
  error_code Special(ondemand::value value, error_code error) const {
    if (allow_non_numeric_ && NonNumericNumber(TrimTrailingJsonSpace(value.raw_json_token()))) {
      return simdjson::SUCCESS;
    }
    return error;
  }

  bool allow_non_numeric_;
  std::string& scratch_;
  int depth_ = 0;
};

}  // namespace

NumberShape ScanNumberToken(std::string_view token) {
  NumberShape shape;
  size_t i = 0;
  const size_t n = token.size();
  if (i < n && token[i] == '-') {
    shape.negative = true;
    ++i;
  }
  const size_t digits_begin = i;
  int significant = 0;  // digits from the first non-zero one, over integer and fraction
  auto digit = [&] {
    if (significant > 0 || token[i] != '0') ++significant;
    ++i;
  };
  while (i < n && IsDigit(token[i])) digit();
  shape.integer_digits = static_cast<int>(i - digits_begin);
  if (shape.integer_digits == 0 || (token[digits_begin] == '0' && shape.integer_digits > 1)) return shape;
  shape.integral = true;
  if (i < n && token[i] == '.') {
    shape.integral = false;
    const size_t fraction = ++i;
    while (i < n && IsDigit(token[i])) digit();
    if (i == fraction) return shape;
    shape.scale = static_cast<int64_t>(i - fraction);
  }
  if (i < n && (token[i] == 'e' || token[i] == 'E')) {
    shape.integral = false;
    ++i;
    const bool minus = i < n && token[i] == '-';
    if (i < n && (token[i] == '+' || token[i] == '-')) ++i;
    const size_t exponent = i;
    int64_t value = 0;
    for (; i < n && IsDigit(token[i]); ++i) value = std::min<int64_t>(value * 10 + (token[i] - '0'), int64_t{1} << 31);
    if (i == exponent) return shape;
    shape.scale -= minus ? -value : value;
  }
  shape.precision = std::max(significant, 1);
  shape.valid = i == n;
  return shape;
}

std::optional<double> NonNumericNumber(std::string_view token) {
  if (token.empty()) return std::nullopt;
  const bool minus = token[0] == '-';
  if (minus || token[0] == '+') token.remove_prefix(1);
  if (token == "NaN") return std::numeric_limits<double>::quiet_NaN();
  if (token == "Infinity" || token == "INF") {
    return minus ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

error_code GetDouble(ondemand::value& value, double* out) {
  // Under 20 characters a token has at most 19 digits: simdjson's exact fast path.
  constexpr size_t kShortestMisreadToken = 20;
  const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
  if (token.size() < kShortestMisreadToken) return value.get_double().get(*out);
  if (!ScanNumberToken(token).valid) return value.get_double().get(*out);  // simdjson's error
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), *out);
  return ec == std::errc() && end == token.data() + token.size() ? simdjson::SUCCESS
                                                                 : simdjson::NUMBER_ERROR;
}

double OutOfRangeDouble(std::string_view token) {
  const bool negative = !token.empty() && token[0] == '-';
  double parsed = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), parsed);
  if (ec == std::errc() && end == token.data() + token.size()) return parsed;
  // The decimal exponent of the first significant digit decides: past double's range it
  // overflows to infinity, below it underflows to zero.
  int64_t magnitude = 0;
  bool significant = false;
  size_t i = negative ? 1 : 0;
  for (; i < token.size() && IsDigit(token[i]); ++i) {
    significant = significant || token[i] != '0';
    if (significant) ++magnitude;
  }
  if (i < token.size() && token[i] == '.') {
    for (++i; i < token.size() && IsDigit(token[i]); ++i) {
      if (significant) continue;
      if (token[i] != '0') significant = true;
      else --magnitude;
    }
  }
  if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
    ++i;
    const bool exponent_negative = i < token.size() && token[i] == '-';
    if (i < token.size() && (token[i] == '+' || token[i] == '-')) ++i;
    int64_t exponent = 0;
    for (; i < token.size() && IsDigit(token[i]); ++i) {
      exponent = std::min<int64_t>(exponent * 10 + (token[i] - '0'), int64_t{1} << 40);
    }
    magnitude += exponent_negative ? -exponent : exponent;
  }
  const double result = significant && magnitude > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return negative ? -result : result;
}

bool UnescapeStringLeniently(const char* body, std::string* out) {
  out->clear();
  for (const char* p = body;; ++p) {
    const unsigned char c = static_cast<unsigned char>(*p);
    if (c == '"') return true;
    if (c < 0x20) return false;  // a raw control character (or the padding's NUL)
    if (c != '\\') {
      out->push_back(static_cast<char>(c));
      continue;
    }
    ++p;
    switch (*p) {
      case '"': out->push_back('"'); break;
      case '\\': out->push_back('\\'); break;
      case '/': out->push_back('/'); break;
      case 'b': out->push_back('\b'); break;
      case 'f': out->push_back('\f'); break;
      case 'n': out->push_back('\n'); break;
      case 'r': out->push_back('\r'); break;
      case 't': out->push_back('\t'); break;
      case 'u': {
        const int32_t unit = CodeUnitAt(p + 1);
        if (unit < 0) return false;
        p += 4;
        if (unit >= 0xD800 && unit <= 0xDBFF && p[1] == '\\' && p[2] == 'u') {
          const int32_t low = CodeUnitAt(p + 3);
          if (low >= 0xDC00 && low <= 0xDFFF) {
            AppendUtf8(0x10000 + ((static_cast<uint32_t>(unit) - 0xD800) << 10) + (static_cast<uint32_t>(low) - 0xDC00),
                       out);
            p += 6;
            break;
          }
        }
        const bool surrogate = unit >= 0xD800 && unit <= 0xDFFF;
        AppendUtf8(surrogate ? kReplacementCharacter : static_cast<uint32_t>(unit), out);
        break;
      }
      default:
        return false;
    }
  }
}

error_code ValidateJsonText(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                            bool allow_non_numeric) {
  ondemand::document doc;
  SIMDJSON_TRY(parser.iterate(data, size, capacity).get(doc));
  ondemand::json_type type;
  SIMDJSON_TRY(doc.type().get(type));
  if (type != ondemand::json_type::object && type != ondemand::json_type::array) return simdjson::INCORRECT_TYPE;
  ondemand::value value;
  SIMDJSON_TRY(doc.get_value().get(value));
  std::string scratch;
  return Validator(allow_non_numeric, &scratch).Value(value);
}

error_code ValidateValue(ondemand::value value, bool allow_non_numeric, std::string* scratch) {
  return Validator(allow_non_numeric, scratch).Value(value);
}

}  // namespace inlet::json
