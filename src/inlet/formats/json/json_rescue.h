// The rescued data column's JSON text, built per record from the raw bytes of values
// that did not fit the schema, and the small JSON text helpers it needs. Internal to
// formats/json; nothing here runs unless a record has something to rescue.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/schema/evolution.h"

namespace inlet::json {

// Appends `text` (UTF-8, unescaped) as a JSON string literal, quotes included.
void AppendJsonString(std::string_view text, std::string* out);

// `text` without the JSON whitespace after it (simdjson's raw tokens run up to the next
// structural character).
std::string_view TrimTrailingJsonSpace(std::string_view text);

// The original JSON text of `value`, consuming it. Scalars are validated first so that a
// broken literal such as `tru` fails the record instead of being copied (numbers by JSON's
// grammar, with no range; non-numeric numbers when `allow_non_numeric`); objects and
// arrays come back as their raw bytes, unchecked inside (see json_validate.h).
simdjson::error_code RawJsonText(simdjson::ondemand::value value, std::string_view* text,
                                 bool allow_non_numeric = false);

// The object or array whose '{' or '[' is at `open`, up to its matching bracket. The
// text must have been iterated without error (brackets balance, strings are closed).
std::string_view EnclosedJson(const char* open);

// One record's rescued data. Members are written as they are met, in document order,
// each with a leading ','; a nested struct's members are wrapped in "key":{...} once the
// struct is done, so nothing is buffered per level and no allocation happens once the
// buffer has grown.
class RescuedRecord {
 public:
  void Clear() { text_.clear(); }
  size_t size() const { return text_.size(); }
  bool empty() const { return text_.empty(); }

  // ,"key":raw
  void AddMember(std::string_view key, std::string_view raw_json);
  // The members written since `from` (size() when the struct began, at least one) become
  // the single member ,"key":{...}.
  void WrapMembers(size_t from, std::string_view key);
  // The finished object: the members, then "_file_path" (`file_path_json` is already a
  // JSON string literal). Valid until the next change.
  std::string_view Finish(std::string_view file_path_json);

 private:
  std::string text_;
  std::string prefix_;  // reused for WrapMembers' ,"key":{
};

}  // namespace inlet::json
