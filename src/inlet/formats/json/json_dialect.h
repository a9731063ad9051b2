// Spark's lenient JSON (Jackson's parser features: single quotes, comments, unquoted field
// names, leading zeros, any escaped character, raw control characters) as strict JSON, so
// that simdjson can read it. Only records strict parsing refused are rewritten: strict
// records never pay for it. Internal to formats/json.
#pragma once

#include <string>
#include <string_view>

#include "inlet/formats/json/json_reader.h"

namespace inlet::json {

// Rewrites the record `text` as strict JSON under `dialect` into *out, followed by
// simdjson's padding (its text is the first *size bytes). False when the dialect changes
// nothing in it (the record is malformed as it stands). What the rewrite produces:
//  - 'text' (allow_single_quotes): "text", with `"` escaped and `\'` unescaped;
//  - /* ... */ and // ... (allow_comments): a space;
//  - {key: 1} (allow_unquoted_field_names: letters, digits, '_' and '$'): {"key": 1};
//  - 007, -00.5 (allow_numeric_leading_zeros): 7, -0.5;
//  - "\q" (allow_backslash_escaping_any_character): "q";
//  - a raw control character inside a string (allow_unquoted_control_chars): its \u00XX escape.
// Non-numeric numbers need no rewrite: the reader reads them where simdjson stops.
bool RewriteLenientJson(std::string_view text, const JsonDialect& dialect, std::string* out, size_t* size);

}  // namespace inlet::json
