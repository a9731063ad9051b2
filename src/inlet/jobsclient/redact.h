// Keeps secrets out of `inlet jobs --debug` output: the Authorization header and any
// token/secret/password fields of JSON bodies are replaced before anything is printed.
#pragma once

#include <string>
#include <string_view>

namespace inlet::jobsclient {

inline constexpr std::string_view kRedacted = "**REDACTED**";

// True for JSON keys that hold credentials: "token", "*_token" (access_token, ...),
// "token_value", "*secret*", "*password*" — but not the pagination cursors page_token,
// next_page_token and prev_page_token, which are needed to debug listing.
bool IsSecretKey(std::string_view key);

// A header value as it may be logged: Authorization keeps only its scheme ("Bearer **REDACTED**").
std::string RedactHeader(std::string_view name, std::string_view value);

// A body as it may be logged: JSON with secret fields replaced at any depth, cut to
// `max_chars`. Text that is not JSON is not shown, only its size, since it could hold anything.
std::string RedactBody(std::string_view body, size_t max_chars = 4000);

}  // namespace inlet::jobsclient
