// The value parsers format option rows share.
#include "inlet/formats/format_options.h"

#include <charconv>

#include <fmt/format.h>

#include "inlet/util/strings.h"

namespace inlet::formats {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

Status BadOptionValue(std::string_view option, std::string_view expected, std::string_view value) {
  return Status::Invalid(fmt::format("option {}: expected {}, got '{}'", option, expected, value));
}

Result<bool> ParseBooleanOption(std::string_view option, std::string_view value) {
  const std::string lower = AsciiLower(Trim(value));
  if (lower == "true") return true;
  if (lower == "false") return false;
  return BadOptionValue(option, "true or false", value);
}

Result<int64_t> ParseIntegerOption(std::string_view option, std::string_view value, int64_t min, int64_t max) {
  const std::string_view text = Trim(value);
  int64_t n = 0;
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || ptr != text.data() + text.size() || n < min || n > max) {
    return BadOptionValue(option, fmt::format("an integer from {} to {}", min, max), value);
  }
  return n;
}

Result<std::string> ParseCharacterOption(std::string_view option, std::string_view value, bool allow_none) {
  if (value.empty()) {
    if (allow_none) return std::string();
    return BadOptionValue(option, "one character", value);
  }
  if (value.size() == 1) return std::string(value);
  if (value[0] == '\\') {
    if (value == "\\t") return std::string("\t");
    if (value == "\\n") return std::string("\n");
    if (value == "\\r") return std::string("\r");
    if (value == "\\\\") return std::string("\\");
    if (value == "\\\"") return std::string("\"");
    if (value == "\\'") return std::string("'");
    if (value == "\\0") return std::string(1, '\0');
    if (value.size() == 6 && (value[1] == 'u' || value[1] == 'U')) {
      unsigned code = 0;
      auto [ptr, ec] = std::from_chars(value.data() + 2, value.data() + 6, code, 16);
      if (ec == std::errc() && ptr == value.data() + 6 && code < 0x80) return std::string(1, static_cast<char>(code));
    }
  }
  // Spark takes only one character here (a multi-character sep is Spark 3's, not for quote
  // or escape); a non-ASCII one would be several bytes, which the tokenizer does not split.
  return BadOptionValue(option, "one ASCII character (or \\t, \\u0001 ...)", value);
}

Result<bool> ParseUtf8Option(std::string_view option, std::string_view value) {
  std::string name;
  for (char c : AsciiLower(Trim(value))) {
    if (c != '-' && c != '_') name += c;
  }
  if (name == "utf8") return true;
  return Status::Invalid(fmt::format(
      "option {}='{}' is not supported: inlet reads UTF-8 only (a UTF-8 byte order mark is skipped); convert the "
      "files, e.g. with iconv -t UTF-8",
      option, value));
}

}  // namespace inlet::formats
