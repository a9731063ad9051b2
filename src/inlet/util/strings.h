// ASCII case helpers for keywords, option names and type names, which are matched
// case-insensitively throughout (Spark and Auto Loader are); not for user data.
#pragma once

#include <string>
#include <string_view>

namespace inlet {

std::string AsciiLower(std::string_view text);
std::string AsciiUpper(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// Bytes of the well-formed UTF-8 character starting at text[at] (1 to 4), or 0 when none
// starts there: a stray continuation byte, a cut sequence, an overlong form, a surrogate or
// a code point past U+10FFFF.
size_t Utf8CharLength(std::string_view text, size_t at);

// Byte offset of the first byte that does not start a well-formed UTF-8 character, or
// std::string_view::npos when `text` is all valid (DDL and hints reject such names: Delta's
// JSON schemaString could not hold them).
size_t FindInvalidUtf8(std::string_view text);

// `text` with each byte that does not start a well-formed character replaced by U+FFFD, for
// text that must be stored as a string (Parquet, JSON) whatever the input held.
std::string ToValidUtf8(std::string_view text);

// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8
// character, so a capped copy of valid UTF-8 stays valid (a cut after a lead byte would
// leave a string no Parquet or JSON reader accepts).
std::string_view Utf8Prefix(std::string_view text, size_t max_bytes);

}  // namespace inlet
