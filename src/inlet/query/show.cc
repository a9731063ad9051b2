// `inlet show` output: column selection, Spark's show() table and Spark's toJSON lines.
// Values are printed as Spark prints them (Java's Double.toString, NULL, {a, b}, [x, y]),
// checked against pyspark 4.2 in tests/query/show_test.cc.
#include "inlet/query/show.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include <arrow/api.h>
#include <arrow/util/base64.h>
#include <fmt/format.h>

#include "inlet/query/column_path.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/schema/variant.h"

namespace inlet::query {
namespace {

// ---------------------------------------------------------------------------------------
// Scalars as Java / Spark print them.

// Java's Double.toString / Float.toString: shortest digits that round-trip; plain notation
// for 1e-3 <= |v| < 1e7, else d.dddE<exp>; always at least one digit after the point.
template <typename T>
std::string JavaFloatingString(T value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Infinity" : "-Infinity";
  if (value == 0) return std::signbit(value) ? "-0.0" : "0.0";
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(end - buffer));  // "-1.2345e+07"
  std::string sign;
  if (text.front() == '-') {
    sign = "-";
    text.remove_prefix(1);
  }
  const size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = 0;
  std::string_view exp_text = text.substr(e + 1);
  if (exp_text.front() == '+') exp_text.remove_prefix(1);
  std::from_chars(exp_text.data(), exp_text.data() + exp_text.size(), exponent);

  const T magnitude = std::fabs(value);
  if (magnitude >= T(1e-3) && magnitude < T(1e7)) {
    const int point = exponent + 1;  // digits before the decimal point
    if (point <= 0) return sign + "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    if (static_cast<size_t>(point) >= digits.size()) {
      return sign + digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
    }
    return sign + digits.substr(0, point) + "." + digits.substr(point);
  }
  return sign + digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" +
         std::to_string(exponent);
}

// BigDecimal.toPlainString (Arrow's Decimal128::ToString switches to exponents).
std::string DecimalPlainString(const arrow::Decimal128& value, int32_t scale) {
  std::string digits = value.ToIntegerString();
  std::string sign;
  if (!digits.empty() && digits.front() == '-') {
    sign = "-";
    digits.erase(0, 1);
  }
  if (scale <= 0) return sign + digits + std::string(static_cast<size_t>(-scale), '0');
  if (digits.size() <= static_cast<size_t>(scale)) {
    digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
  }
  return sign + digits.substr(0, digits.size() - scale) + "." + digits.substr(digits.size() - scale);
}

// Java's BigDecimal.toString: plain unless the adjusted exponent is below -6.
std::string JavaBigDecimalString(const arrow::Decimal128& value, int32_t scale) {
  std::string digits = value.ToIntegerString();
  std::string sign;
  if (!digits.empty() && digits.front() == '-') {
    sign = "-";
    digits.erase(0, 1);
  }
  const int64_t adjusted = -static_cast<int64_t>(scale) + static_cast<int64_t>(digits.size()) - 1;
  if (scale >= 0 && adjusted >= -6) return DecimalPlainString(value, scale);
  std::string out = sign + digits.substr(0, 1);
  if (digits.size() > 1) out += "." + digits.substr(1);
  return out + "E" + (adjusted > 0 ? "+" : "") + std::to_string(adjusted);
}

// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
std::string FormatDate(int64_t days) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const int64_t doe = days - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t day = doy - (153 * mp + 2) / 5 + 1;
  const int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return fmt::format("{:04}-{:02}-{:02}", year, month, day);
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }

int64_t ToMicros(int64_t value, arrow::TimeUnit::type unit) {
  switch (unit) {
    case arrow::TimeUnit::SECOND: return value * 1000000;
    case arrow::TimeUnit::MILLI: return value * 1000;
    case arrow::TimeUnit::MICRO: return value;
    case arrow::TimeUnit::NANO: return FloorDiv(value, 1000);
  }
  return value;
}

enum class Style { kShow, kJson };

// show(): "2016-03-20 03:20:54.119" (fraction without trailing zeros, none when zero).
// toJSON: "2016-03-20T03:20:54.119Z" (always milliseconds; Z when the zone is UTC).
std::string FormatTimestamp(int64_t micros, bool has_zone, Style style) {
  const int64_t days = FloorDiv(micros, 86400LL * 1000000);
  const int64_t in_day = micros - days * 86400LL * 1000000;
  const int64_t seconds = in_day / 1000000;
  const int64_t fraction = in_day % 1000000;
  std::string out = FormatDate(days) + (style == Style::kShow ? " " : "T") +
                    fmt::format("{:02}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
  if (style == Style::kJson) {
    return out + fmt::format(".{:03}", fraction / 1000) + (has_zone ? "Z" : "");
  }
  if (fraction != 0) {
    std::string digits = fmt::format("{:06}", fraction);
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out;
}

// Jackson's escaping: quote, backslash and control characters; other UTF-8 as is.
void AppendJsonString(std::string_view value, std::string& out) {
  out += '"';
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          out += fmt::format("\\u{:04X}", static_cast<int>(c));
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

// One value of `array` at `i`, appended to `out`. Show style prints nested values the way
// Spark's show() does; JSON style prints a JSON value (the caller skips top-level nulls).
void AppendValue(const arrow::Array& array, int64_t i, Style style, std::string& out);

void AppendStructFields(const arrow::StructArray& array, int64_t i, Style style, std::string& out) {
  const auto& type = *array.struct_type();
  out += '{';
  bool first = true;
  for (int f = 0; f < array.num_fields(); ++f) {
    const auto& child = *array.field(f);
    if (style == Style::kJson) {
      if (child.IsNull(i)) continue;  // Spark's toJSON omits null fields
      if (!first) out += ',';
      AppendJsonString(type.field(f)->name(), out);
      out += ':';
    } else if (!first) {
      out += ", ";
    }
    first = false;
    AppendValue(child, i, style, out);
  }
  out += '}';
}

// A variant as its JSON text, in either style (Spark's show() prints that too); other
// extension types as their storage.
void AppendExtensionValue(const arrow::ExtensionArray& array, int64_t i, Style style, std::string& out) {
  const auto& storage = *array.storage();
  if (!IsVariantType(*array.extension_type())) {
    AppendValue(storage, i, style, out);
    return;
  }
  const auto& parts = static_cast<const arrow::StructArray&>(storage);
  auto metadata = std::dynamic_pointer_cast<arrow::BinaryArray>(parts.GetFieldByName("metadata"));
  auto value = std::dynamic_pointer_cast<arrow::BinaryArray>(parts.GetFieldByName("value"));
  Result<std::string> text = Status::Invalid("no metadata and value fields");
  if (metadata != nullptr && value != nullptr) {
    text = VariantToJson(VariantValue{std::string(metadata->GetView(i)), std::string(value->GetView(i))});
  }
  // A damaged value is shown as such rather than stopping the whole listing.
  out += text.ok() ? *text : (style == Style::kJson ? "null" : "<invalid variant: " + text.status().message() + ">");
}

void AppendValue(const arrow::Array& array, int64_t i, Style style, std::string& out) {
  const bool json = style == Style::kJson;
  if (array.IsNull(i)) {
    out += json ? "null" : "NULL";
    return;
  }
  switch (array.type_id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: {
      const std::string_view value = array.type_id() == arrow::Type::STRING
                                         ? static_cast<const arrow::StringArray&>(array).GetView(i)
                                         : static_cast<const arrow::LargeStringArray&>(array).GetView(i);
      if (json) {
        AppendJsonString(value, out);
      } else {
        out += value;
      }
      return;
    }
    case arrow::Type::BOOL: out += static_cast<const arrow::BooleanArray&>(array).Value(i) ? "true" : "false"; return;
    case arrow::Type::INT8: out += std::to_string(static_cast<const arrow::Int8Array&>(array).Value(i)); return;
    case arrow::Type::INT16: out += std::to_string(static_cast<const arrow::Int16Array&>(array).Value(i)); return;
    case arrow::Type::INT32: out += std::to_string(static_cast<const arrow::Int32Array&>(array).Value(i)); return;
    case arrow::Type::INT64: out += std::to_string(static_cast<const arrow::Int64Array&>(array).Value(i)); return;
    case arrow::Type::DOUBLE:
    case arrow::Type::FLOAT: {
      const std::string text = array.type_id() == arrow::Type::DOUBLE
                                   ? JavaFloatingString(static_cast<const arrow::DoubleArray&>(array).Value(i))
                                   : JavaFloatingString(static_cast<const arrow::FloatArray&>(array).Value(i));
      // Jackson quotes the non-finite values, which JSON has no number for.
      const bool quote = json && (text == "NaN" || text == "Infinity" || text == "-Infinity");
      out += quote ? "\"" + text + "\"" : text;
      return;
    }
    case arrow::Type::DECIMAL128: {
      const auto& decimal = static_cast<const arrow::Decimal128Array&>(array);
      const int32_t scale = static_cast<const arrow::Decimal128Type&>(*array.type()).scale();
      const arrow::Decimal128 value(decimal.GetValue(i));
      // show() prints BigDecimal.toPlainString, toJSON BigDecimal.toString (1.00E-8).
      out += json ? JavaBigDecimalString(value, scale) : DecimalPlainString(value, scale);
      return;
    }
    case arrow::Type::DATE32: {
      const std::string text = FormatDate(static_cast<const arrow::Date32Array&>(array).Value(i));
      out += json ? "\"" + text + "\"" : text;
      return;
    }
    case arrow::Type::TIMESTAMP: {
      const auto& type = static_cast<const arrow::TimestampType&>(*array.type());
      const int64_t micros = ToMicros(static_cast<const arrow::TimestampArray&>(array).Value(i), type.unit());
      const std::string text = FormatTimestamp(micros, !type.timezone().empty(), style);
      out += json ? "\"" + text + "\"" : text;
      return;
    }
    case arrow::Type::BINARY: {
      const std::string_view bytes = static_cast<const arrow::BinaryArray&>(array).GetView(i);
      if (json) {
        out += "\"" + arrow::util::base64_encode(bytes) + "\"";
        return;
      }
      out += '[';
      for (size_t b = 0; b < bytes.size(); ++b) {
        out += fmt::format("{}{:02X}", b == 0 ? "" : " ", static_cast<unsigned char>(bytes[b]));
      }
      out += ']';
      return;
    }
    case arrow::Type::STRUCT:
      AppendStructFields(static_cast<const arrow::StructArray&>(array), i, style, out);
      return;
    case arrow::Type::EXTENSION:
      AppendExtensionValue(static_cast<const arrow::ExtensionArray&>(array), i, style, out);
      return;
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST: {
      const auto& list = static_cast<const arrow::BaseListArray<arrow::ListType>&>(array);
      std::shared_ptr<arrow::Array> values;
      int64_t begin = 0, end = 0;
      if (array.type_id() == arrow::Type::LIST) {
        values = list.values();
        begin = list.value_offset(i);
        end = begin + list.value_length(i);
      } else {
        const auto& large = static_cast<const arrow::LargeListArray&>(array);
        values = large.values();
        begin = large.value_offset(i);
        end = begin + large.value_length(i);
      }
      out += '[';
      for (int64_t j = begin; j < end; ++j) {
        if (j > begin) out += json ? "," : ", ";
        AppendValue(*values, j, style, out);
      }
      out += ']';
      return;
    }
    case arrow::Type::MAP: {
      const auto& map = static_cast<const arrow::MapArray&>(array);
      const int64_t begin = map.value_offset(i);
      const int64_t end = begin + map.value_length(i);
      out += '{';
      for (int64_t j = begin; j < end; ++j) {
        if (j > begin) out += json ? "," : ", ";
        if (json) {
          // JSON keys are strings: a non-string key is written as its text.
          std::string key;
          AppendValue(*map.keys(), j, Style::kShow, key);
          AppendJsonString(key, out);
          out += ':';
        } else {
          AppendValue(*map.keys(), j, style, out);
          out += " -> ";
        }
        AppendValue(*map.items(), j, style, out);
      }
      out += '}';
      return;
    }
    default: {
      auto scalar = array.GetScalar(i);
      const std::string text = scalar.ok() ? (*scalar)->ToString() : "?";
      if (json) {
        AppendJsonString(text, out);
      } else {
        out += text;
      }
      return;
    }
  }
}

// Calls `fn(array, index_in_chunk)` for the first `n` rows of `column`.
template <typename Fn>
void ForEachRow(const arrow::ChunkedArray& column, int64_t n, Fn&& fn) {
  int64_t row = 0;
  for (const auto& chunk : column.chunks()) {
    for (int64_t i = 0; i < chunk->length() && row < n; ++i, ++row) fn(*chunk, i);
    if (row >= n) return;
  }
}

// Display width as Spark's Utils.stringHalfWidth: East Asian full-width characters take
// two columns, everything else one (per code point, not per byte).
size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    uint32_t cp = length == 1 ? c : c & (0xFF >> (length + 1));
    for (size_t k = 1; k < length && i + k < text.size(); ++k) cp = (cp << 6) | (text[i + k] & 0x3F);
    const bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
                      (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
                      (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
                      (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    width += wide ? 2 : 1;
    i += length;
  }
  return width;
}

// Spark's truncate=20: longer cells keep 17 characters and get "...".
std::string Truncate(std::string text) {
  constexpr size_t kTruncate = 20;
  size_t chars = 0, cut = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;  // continuation byte
    if (chars == kTruncate - 3) cut = i;
    ++chars;
  }
  if (chars <= kTruncate) return text;
  return text.substr(0, cut) + "...";
}

// Spark's SchemaUtils.escapeMetaCharacters: a tab or newline would break the table.
std::string EscapeMetaCharacters(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\f': out += "\\f"; break;
      case '\b': out += "\\b"; break;
      case '\v': out += "\\v"; break;
      case '\a': out += "\\a"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

Result<std::shared_ptr<arrow::Table>> SelectColumns(const std::shared_ptr<arrow::Table>& table,
                                                    const std::vector<std::string>& paths) {
  arrow::FieldVector fields;
  arrow::ChunkedArrayVector columns;
  for (const std::string& text : paths) {
    auto parts = SplitColumnPath(text);
    if (!parts.ok()) return Status::Invalid("--select: ", parts.status().message());
    auto column = ResolveColumnPath(*table, *parts);
    if (!column.ok()) return Status::Invalid("--select: ", column.status().message());
    fields.push_back(arrow::field(parts->back(), (*column)->type()));
    columns.push_back(*column);
  }
  return arrow::Table::Make(arrow::schema(fields), columns, table->num_rows());
}

std::string FormatShowTable(const arrow::Table& table, int64_t limit) {
  const int64_t shown = limit < 0 ? table.num_rows() : std::min(limit, table.num_rows());
  const int num_columns = table.num_columns();
  // cells[c][0] is the header, then one per shown row.
  std::vector<std::vector<std::string>> cells(num_columns);
  std::vector<size_t> widths(num_columns, 3);  // Spark's minimum column width
  for (int c = 0; c < num_columns; ++c) {
    cells[c].reserve(static_cast<size_t>(shown) + 1);
    // Spark escapes control characters in headers and cells but truncates only cells.
    cells[c].push_back(EscapeMetaCharacters(table.field(c)->name()));
    ForEachRow(*table.column(c), shown, [&](const arrow::Array& array, int64_t i) {
      std::string text;
      AppendValue(array, i, Style::kShow, text);
      cells[c].push_back(Truncate(EscapeMetaCharacters(text)));
    });
    for (const auto& cell : cells[c]) widths[c] = std::max(widths[c], DisplayWidth(cell));
  }
  std::string border = "+";
  for (size_t width : widths) border += std::string(width, '-') + "+";
  border += '\n';
  auto append_line = [&](size_t row, std::string& out) {
    out += '|';
    for (int c = 0; c < num_columns; ++c) {
      const std::string& cell = cells[c][row];
      out += std::string(widths[c] - DisplayWidth(cell), ' ') + cell + '|';
    }
    out += '\n';
  };
  std::string out = border;
  append_line(0, out);
  out += border;
  for (int64_t r = 0; r < shown; ++r) append_line(static_cast<size_t>(r) + 1, out);
  out += border;
  // Spark's showString ends here (footer without a newline) and show() println()s it.
  if (table.num_rows() > shown) {
    out += fmt::format("only showing top {} {}", shown, shown == 1 ? "row" : "rows");
  }
  out += '\n';
  return out;
}

std::string FormatJsonLines(const arrow::Table& table, int64_t limit) {
  const int64_t shown = limit < 0 ? table.num_rows() : std::min(limit, table.num_rows());
  std::vector<std::string> lines(static_cast<size_t>(shown), "{");
  for (int c = 0; c < table.num_columns(); ++c) {
    std::string key;
    AppendJsonString(table.field(c)->name(), key);
    key += ':';
    size_t row = 0;
    ForEachRow(*table.column(c), shown, [&](const arrow::Array& array, int64_t i) {
      std::string& line = lines[row++];
      if (array.IsNull(i)) return;  // Spark's toJSON omits null fields
      if (line.size() > 1) line += ',';
      line += key;
      AppendValue(array, i, Style::kJson, line);
    });
  }
  std::string out;
  for (auto& line : lines) out += line + "}\n";
  return out;
}

}  // namespace inlet::query
