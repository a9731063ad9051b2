// Redaction of headers and JSON bodies for --debug logs (redact.h).
#include "inlet/jobsclient/redact.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "inlet/util/strings.h"

namespace inlet::jobsclient {
namespace {

bool EndsWith(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

void RedactJson(nlohmann::json& value) {
  if (value.is_object()) {
    for (auto& [key, child] : value.items()) {
      if (IsSecretKey(key)) {
        child = std::string(kRedacted);
      } else {
        RedactJson(child);
      }
    }
  } else if (value.is_array()) {
    for (auto& child : value) RedactJson(child);
  }
}

}  // namespace

bool IsSecretKey(std::string_view key) {
  std::string lower = AsciiLower(key);
  if (EndsWith(lower, "page_token")) return false;
  return lower == "token" || EndsWith(lower, "_token") || lower == "token_value" ||
         lower.find("secret") != std::string::npos || lower.find("password") != std::string::npos;
}

std::string RedactHeader(std::string_view name, std::string_view value) {
  if (!EqualsIgnoreCase(name, "authorization") && !EqualsIgnoreCase(name, "proxy-authorization")) {
    return std::string(value);
  }
  size_t space = value.find(' ');
  if (space == std::string_view::npos) return std::string(kRedacted);
  return fmt::format("{} {}", value.substr(0, space), kRedacted);
}

std::string RedactBody(std::string_view body, size_t max_chars) {
  if (body.empty()) return "";
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return fmt::format("<{} bytes, not JSON: not shown>", body.size());
  RedactJson(parsed);
  std::string text = parsed.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > max_chars) {
    size_t total = text.size();
    text.resize(max_chars);
    text += fmt::format("... ({} chars in all)", total);
  }
  return text;
}

}  // namespace inlet::jobsclient
