// ASCII case helpers for keywords, option names and type names, which are matched
// case-insensitively throughout (Spark and Auto Loader are); not for user data.
#pragma once

#include <string>
#include <string_view>

namespace inlet {

std::string AsciiLower(std::string_view text);
std::string AsciiUpper(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// The longest prefix of `text` of at most `max_bytes` that does not end inside a UTF-8
// character, so a capped copy of valid UTF-8 stays valid (a cut after a lead byte would
// leave a string no Parquet or JSON reader accepts).
std::string_view Utf8Prefix(std::string_view text, size_t max_bytes);

}  // namespace inlet
