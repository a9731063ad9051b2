#include "inlet/storage/location.h"

#include <array>

#include "inlet/util/strings.h"

namespace inlet::storage {
namespace {

struct SchemeEntry {
  std::string_view scheme;  // lower case, without "://"
  Backend backend;
};

constexpr std::array<SchemeEntry, 6> kSchemes = {{
    {"file", Backend::kLocal},
    {"s3", Backend::kS3},
    {"s3a", Backend::kS3},
    {"abfss", Backend::kAzure},
    {"az", Backend::kAzure},
    {"gs", Backend::kGcs},
}};

bool IsSchemeChar(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (first) return alpha;
  return alpha || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

// The scheme of `text` when it starts with one followed by ':' ("s3" in "s3://b/k",
// "file" in "file:/x"); empty for a plain path. Two letters at least, so that a Windows
// drive ("C:\x") is no scheme.
std::string_view SchemeOf(std::string_view text) {
  size_t i = 0;
  while (i < text.size() && IsSchemeChar(text[i], i == 0)) ++i;
  if (i < 2 || i >= text.size() || text[i] != ':') return {};
  return text.substr(0, i);
}

// "--table: " before a message, or nothing when the caller names the argument itself.
std::string Prefix(std::string_view what) { return what.empty() ? std::string() : std::string(what) + ": "; }

}  // namespace

std::string_view KnownSchemes() { return "file://, s3://, s3a://, abfss://, az://, gs://"; }

Result<Location> ParseLocation(std::string_view what, std::string_view text) {
  if (text.empty()) return Status::Invalid(Prefix(what), "the path is empty");
  const std::string_view scheme = SchemeOf(text);
  if (scheme.empty()) return Location{Backend::kLocal, std::string(text)};
  const std::string lower = AsciiLower(scheme);
  for (const SchemeEntry& entry : kSchemes) {
    if (lower != entry.scheme) continue;
    if (entry.backend != Backend::kLocal) return Location{entry.backend, std::string(text)};
    // file:/x, file:///x, and file://localhost/x (RFC 8089); another host is not this machine.
    std::string_view rest = text.substr(scheme.size() + 1);
    if (rest.substr(0, 2) == "//") {
      rest.remove_prefix(2);
      if (rest.substr(0, 9) == "localhost") rest.remove_prefix(9);
      if (rest.empty() || rest[0] != '/') {
        return Status::Invalid(Prefix(what), "'", text, "' names another host; a file: URI must be file:///path");
      }
    }
    if (rest.empty()) return Status::Invalid(Prefix(what), "'", text, "' has no path");
    return Location{Backend::kLocal, std::string(rest)};
  }
  return Status::Invalid(Prefix(what), "unknown URI scheme '", scheme, ":' in '", text, "'; inlet knows ", KnownSchemes(),
                         " and plain paths");
}

Result<std::string> LocalPath(std::string_view what, std::string_view text) {
  INLET_ASSIGN_OR_RAISE(Location location, ParseLocation(what, text));
  if (location.backend == Backend::kLocal) return location.path;
  return Status::NotImplemented(Prefix(what), "'", text,
                                "' is on object storage, where inlet cannot keep this yet; use a local path "
                                "(or file:///path)");
}

}  // namespace inlet::storage
