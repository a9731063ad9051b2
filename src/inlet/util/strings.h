// ASCII case helpers for keywords, option names and type names, which are matched
// case-insensitively throughout (Spark and Auto Loader are); not for user data.
#pragma once

#include <string>
#include <string_view>

namespace inlet {

std::string AsciiLower(std::string_view text);
std::string AsciiUpper(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace inlet
