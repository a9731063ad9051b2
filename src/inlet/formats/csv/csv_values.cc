// Java's number grammar is narrower than strtod's (no "inf", no hex without 'p', no spaces
// inside) and wider in places (a trailing f or d): each parser checks the grammar first and
// then lets std::from_chars convert, which rounds as Java does (correctly).
#include "inlet/formats/csv/csv_values.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "inlet/util/strings.h"

namespace inlet::csv {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Java's parsers take any Unicode decimal digit (Character.digit): the common blocks' digits
// (Arabic-Indic, Extended Arabic-Indic, Devanagari, full-width) as ASCII. Only called for
// text with a non-ASCII byte.
std::string AsciiDigits(std::string_view text) {
  static constexpr char32_t kZeros[] = {0x0660, 0x06F0, 0x0966, 0xFF10};
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i + length > text.size()) length = text.size() - i;
    char32_t code = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
    for (size_t k = 1; k < length; ++k) code = (code << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    bool digit = false;
    for (char32_t zero : kZeros) {
      if (code >= zero && code < zero + 10) {
        out.push_back(static_cast<char>('0' + (code - zero)));
        digit = true;
      }
    }
    if (!digit) out.append(text.substr(i, length));
    i += length;
  }
  return out;
}

bool HasNonAscii(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return true;
  }
  return false;
}

// Java's FloatingDecimal grammar without the special words: sign? (digits (. digits?)? |
// . digits) ([eE] sign? digits)? [fFdD]?; returns the text for from_chars (no '+', no suffix).
std::optional<std::string_view> JavaDecimalText(std::string_view text, bool* negative) {
  size_t i = 0;
  *negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    *negative = text[i] == '-';
    ++i;
  }
  const size_t digits_begin = i;
  size_t mantissa_digits = 0;
  while (i < text.size() && IsDigit(text[i])) ++i, ++mantissa_digits;
  if (i < text.size() && text[i] == '.') {
    ++i;
    while (i < text.size() && IsDigit(text[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return std::nullopt;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t exponent_digits = 0;
    while (i < text.size() && IsDigit(text[i])) ++i, ++exponent_digits;
    if (exponent_digits == 0) return std::nullopt;
  }
  size_t end = i;
  if (i < text.size() && (text[i] == 'f' || text[i] == 'F' || text[i] == 'd' || text[i] == 'D')) ++i;
  if (i != text.size()) return std::nullopt;
  return text.substr(digits_begin, end - digits_begin);
}

std::string_view TrimJava(std::string_view text) {  // String.trim: every char <= ' '
  while (!text.empty() && static_cast<unsigned char>(text.front()) <= ' ') text.remove_prefix(1);
  while (!text.empty() && static_cast<unsigned char>(text.back()) <= ' ') text.remove_suffix(1);
  return text;
}

// Java's hexadecimal floating-point literal after its 0x: hex digits with an optional point,
// then a binary exponent (p, required), then an optional f/F/d/D.
template <typename T>
std::optional<T> JavaHexFloat(std::string_view body, bool negative) {
  if (!body.empty() && (body.back() == 'f' || body.back() == 'F' || body.back() == 'd' || body.back() == 'D')) {
    body.remove_suffix(1);
  }
  const size_t p = body.find_first_of("pP");
  if (p == std::string_view::npos || p == 0 || p + 1 == body.size()) return std::nullopt;
  T value = 0;
  auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value, std::chars_format::hex);
  if (ptr != body.data() + body.size()) return std::nullopt;
  if (ec == std::errc::result_out_of_range) {
    value = body[p + 1] == '-' ? T(0) : std::numeric_limits<T>::infinity();
  } else if (ec != std::errc()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

template <typename T>
std::optional<T> ParseJavaFloating(std::string_view text) {
  text = TrimJava(text);
  bool negative = false;
  std::string_view body = text;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    negative = body[0] == '-';
    body.remove_prefix(1);
  }
  if (body == "NaN") return std::numeric_limits<T>::quiet_NaN();
  if (body == "Infinity") return negative ? -std::numeric_limits<T>::infinity() : std::numeric_limits<T>::infinity();
  if (body.size() > 2 && body[0] == '0' && (body[1] == 'x' || body[1] == 'X')) return JavaHexFloat<T>(body.substr(2), negative);
  auto digits = JavaDecimalText(text, &negative);
  if (!digits) return std::nullopt;
  T value = 0;
  std::string copy;  // from_chars does not take a leading '.' followed by nothing else, nor ".5" on all libs
  std::string_view in = *digits;
  if (!in.empty() && in[0] == '.') {
    copy = "0" + std::string(in);
    in = copy;
  }
  auto [ptr, ec] = std::from_chars(in.data(), in.data() + in.size(), value, std::chars_format::general);
  if (ec == std::errc::result_out_of_range) {
    // Java gives infinity or zero where the value is past the type's range.
    const bool tiny = in.find_first_of("eE") != std::string_view::npos && in[in.find_first_of("eE") + 1] == '-';
    value = tiny ? T(0) : std::numeric_limits<T>::infinity();
  } else if (ec != std::errc() || ptr != in.data() + in.size()) {
    return std::nullopt;
  }
  return negative ? -value : value;
}

DataTypePtr DecimalFor(const DataType& integral) {
  return integral.kind == TypeKind::kInteger ? DataType::Decimal(10, 0) : DataType::Decimal(20, 0);
}

bool IsIntegral(const DataType& t) { return t.kind == TypeKind::kInteger || t.kind == TypeKind::kLong; }

}  // namespace

std::optional<int64_t> ParseJavaInteger(std::string_view text, int64_t min, int64_t max) {
  if (text.empty()) return std::nullopt;
  if (HasNonAscii(text)) {
    const std::string ascii = AsciiDigits(text);
    if (HasNonAscii(ascii)) return std::nullopt;
    return ParseJavaInteger(ascii, min, max);
  }
  size_t i = 0;
  if (text[0] == '+') i = 1;  // from_chars takes '-' but not '+'
  if (i == text.size() || (text[i] == '-' && i == 1)) return std::nullopt;
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > max) return std::nullopt;
  if (text[i] == '-' && text.size() == i + 1) return std::nullopt;
  return value;
}

std::optional<double> ParseJavaDouble(std::string_view text) { return ParseJavaFloating<double>(text); }
std::optional<float> ParseJavaFloat(std::string_view text) { return ParseJavaFloating<float>(text); }

std::optional<bool> ParseJavaBoolean(std::string_view text) {
  if (EqualsIgnoreCase(text, "true")) return true;
  if (EqualsIgnoreCase(text, "false")) return false;
  return std::nullopt;
}

std::optional<arrow::Decimal128> ParseJavaDecimal(std::string_view text, int precision, int scale) {
  // Spark's en-US decimal parser drops grouping commas: new BigDecimal("1,000".replace(",", "")).
  std::string plain;
  if (HasNonAscii(text)) {
    plain = AsciiDigits(text);
    if (HasNonAscii(plain)) return std::nullopt;
    return ParseJavaDecimal(plain, precision, scale);
  }
  if (text.find(',') != std::string_view::npos) {
    for (char c : text) {
      if (c != ',') plain.push_back(c);
    }
    text = plain;
  }
  bool negative = false;
  auto digits = JavaDecimalText(text, &negative);
  if (!digits || text.empty() || !(IsDigit(text.back()) || text.back() == '.')) {
    return std::nullopt;  // BigDecimal takes no type suffix
  }
  std::string_view number = *digits;
  // Decimal128 holds 38 digits: a longer text is cut to one digit past the scale first (all
  // HALF_UP rounding looks at), or does not fit at all.
  std::string cut;
  size_t significant = 0;
  for (char c : number) significant += IsDigit(c);
  if (significant > 38) {
    if (number.find_first_of("eE") != std::string_view::npos) return std::nullopt;
    const size_t point = number.find('.');
    std::string_view whole = number.substr(0, point);
    while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
    if (static_cast<int>(whole.size()) > precision - scale || point == std::string_view::npos) return std::nullopt;
    cut = std::string(whole) + "." + std::string(number.substr(point + 1, static_cast<size_t>(scale) + 1));
    number = cut;
  }
  arrow::Decimal128 value;
  int32_t parsed_precision = 0, parsed_scale = 0;
  if (!arrow::Decimal128::FromString(number, &value, &parsed_precision, &parsed_scale).ok()) return std::nullopt;
  if (parsed_scale > scale) {
    value = value.ReduceScaleBy(parsed_scale - scale, /*round=*/true);  // HALF_UP, as Spark's toPrecision
  } else if (parsed_scale < scale) {
    auto rescaled = value.Rescale(parsed_scale, scale);
    if (!rescaled.ok()) return std::nullopt;
    value = *rescaled;
  }
  if (!value.FitsInPrecision(precision)) return std::nullopt;
  if (negative) value.Negate();
  return value;
}

DataTypePtr MergeCsvTypes(const DataTypePtr& a, const DataTypePtr& b) {
  if (a->kind == TypeKind::kNull) return b;
  if (b->kind == TypeKind::kNull) return a;
  if (*a == *b) return a;
  const TypeKind x = a->kind, y = b->kind;
  if (x == TypeKind::kString || y == TypeKind::kString) return DataType::String();
  auto rank = [](TypeKind k) { return k == TypeKind::kInteger ? 1 : k == TypeKind::kLong ? 2 : k == TypeKind::kDouble ? 3 : 0; };
  if (rank(x) > 0 && rank(y) > 0) return rank(x) > rank(y) ? a : b;
  if ((x == TypeKind::kDate && y == TypeKind::kTimestamp) || (x == TypeKind::kTimestamp && y == TypeKind::kDate)) {
    return DataType::Timestamp();
  }
  if (x == TypeKind::kDouble && y == TypeKind::kDecimal) return a;
  if (x == TypeKind::kDecimal && y == TypeKind::kDouble) return b;
  if (x == TypeKind::kDecimal || y == TypeKind::kDecimal) {
    const DataTypePtr d1 = IsIntegral(*a) ? DecimalFor(*a) : a;
    const DataTypePtr d2 = IsIntegral(*b) ? DecimalFor(*b) : b;
    if (d1->kind != TypeKind::kDecimal || d2->kind != TypeKind::kDecimal) return DataType::String();
    const int scale = std::max(d1->scale, d2->scale);
    const int range = std::max(d1->precision - d1->scale, d2->precision - d2->scale);
    if (range + scale > 38) return DataType::Double();
    return DataType::Decimal(range + scale, scale);
  }
  return DataType::String();
}

DataTypePtr InferCsvValue(const DataTypePtr& so_far, std::string_view text, const InferenceRules& rules) {
  const CsvOptions& csv = *rules.csv;
  if (text.empty() || text == csv.null_value) return so_far;
  // Spark's chain: each try falls through to the next wider one, starting at the type so far.
  enum Step { kInt, kLong, kDecimal, kDouble, kDate, kTimestamp, kBoolean, kString };
  Step step = kInt;
  switch (so_far->kind) {
    case TypeKind::kNull:
    case TypeKind::kInteger:
      step = kInt;
      break;
    case TypeKind::kLong:
      step = kLong;
      break;
    case TypeKind::kDecimal:
      step = kDecimal;
      break;
    case TypeKind::kDouble:
      step = kDouble;
      break;
    case TypeKind::kDate:
      step = kDate;
      break;
    case TypeKind::kTimestamp:
      step = kTimestamp;
      break;
    case TypeKind::kBoolean:
      step = kBoolean;
      break;
    default:
      return DataType::String();
  }
  DataTypePtr found;
  for (; !found; step = static_cast<Step>(step + 1)) {
    switch (step) {
      case kInt:
        if (ParseJavaInteger(text, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max())) {
          found = DataType::Integer();
        }
        break;
      case kLong:
        if (ParseJavaInteger(text, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max())) {
          found = DataType::Long();
        }
        break;
      case kDecimal: {
        // Spark's tryParseDecimal: only a number without a fraction (BigDecimal scale <= 0, and
        // Spark 4 refuses a negative one), i.e. an integer too long for a long, up to 38 digits.
        std::string_view digits = text;
        if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
        const bool integral = !digits.empty() && std::all_of(digits.begin(), digits.end(), IsDigit);
        if (integral) {
          size_t significant = digits.size();
          while (significant > 1 && digits[digits.size() - significant] == '0') --significant;
          if (significant <= 38) found = DataType::Decimal(static_cast<int>(significant), 0);
        }
        break;
      }
      case kDouble:
        if (ParseJavaDouble(text) || text == csv.nan_value || text == csv.positive_inf || text == csv.negative_inf) {
          found = DataType::Double();
        } else if (!csv.prefer_date) {
          step = kDate;  // straight to timestamps
        }
        break;
      case kDate:
        if (formats::ParseDate(text, rules.strict_date)) {
          found = DataType::Date();
        }
        break;
      case kTimestamp:
        if (formats::ParseTimestamp(text, *rules.temporal)) found = DataType::Timestamp();
        break;
      case kBoolean:
        if (ParseJavaBoolean(text)) found = DataType::Boolean();
        break;
      case kString:
        found = DataType::String();
        break;
    }
  }
  return MergeCsvTypes(so_far, found);
}

}  // namespace inlet::csv
