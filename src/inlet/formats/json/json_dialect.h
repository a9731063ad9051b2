// Spark's lenient JSON (Jackson's parser features: single quotes, comments, unquoted field
// names, leading zeros, any escaped character, raw control characters) as strict JSON, so
// that simdjson can read it. Only records strict parsing refused are rewritten: strict
// records never pay for it. Internal to formats/json.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "inlet/formats/json/json_reader.h"

namespace inlet::json {

// Where the bytes of a rewrite came from, so that a malformed record found in it is
// reported at the file's own line, offset and text. Only constructs the rewrite changed in
// length are recorded; between them the bytes were copied one for one.
class RewriteOffsets {
 public:
  void Clear() { anchors_.clear(); }
  // A construct that began at `rewritten_begin`/`source_begin` and ended at `rewritten_end`/
  // `source_end`; recorded only when its two lengths differ.
  void Add(size_t rewritten_begin, size_t source_begin, size_t rewritten_end, size_t source_end);
  // The offset in the source text of the rewrite's byte `rewritten`, never past
  // `source_size`; a byte inside a changed construct maps into that construct.
  size_t ToSource(size_t rewritten, size_t source_size) const;

 private:
  std::vector<std::pair<size_t, size_t>> anchors_;  // (rewritten, source), both ascending
};

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
// With `offsets`, records where each changed construct came from (cleared first).
bool RewriteLenientJson(std::string_view text, const JsonDialect& dialect, std::string* out, size_t* size,
                        RewriteOffsets* offsets = nullptr);

}  // namespace inlet::json
