// Rescued data text: JSON string escaping, raw value text, bracket matching, and the
// per-record builder. Off the hot path: only records with something to rescue get here.
#include "inlet/formats/json/json_rescue.h"

#include "inlet/formats/json/json_validate.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t plain_from = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.data() + plain_from, i - plain_from);
    plain_from = i + 1;
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\b':
        out->append("\\b");
        break;
      case '\f':
        out->append("\\f");
        break;
      default:
        out->append("\\u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xF]);
        break;
    }
  }
  out->append(text.data() + plain_from, text.size() - plain_from);
  out->push_back('"');
}

std::string_view TrimTrailingJsonSpace(std::string_view text) {
  while (!text.empty() &&
         (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  return text;
}

error_code RawJsonText(ondemand::value value, std::string_view* text, bool allow_non_numeric) {
  ondemand::json_type type;
  const error_code type_error = value.type().get(type);
  if (type_error) {
    // NaN, Infinity, +INF: tokens simdjson cannot type, kept as written when allowed.
    *text = TrimTrailingJsonSpace(value.raw_json_token());
    return allow_non_numeric && NonNumericNumber(*text) ? simdjson::SUCCESS : type_error;
  }
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      SIMDJSON_TRY(object.raw_json().get(*text));
      *text = TrimTrailingJsonSpace(*text);
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      SIMDJSON_TRY(array.raw_json().get(*text));
      *text = TrimTrailingJsonSpace(*text);
      return simdjson::SUCCESS;
    }
    default:
      break;
  }
  // A scalar's token starts at the value and runs to the next structural character.
  *text = TrimTrailingJsonSpace(value.raw_json_token());
  switch (type) {
    case ondemand::json_type::string: {
      std::string_view ignored;
      const error_code error = value.get_string().get(ignored);
      if (error != simdjson::STRING_ERROR) return error;
      std::string unescaped;  // a lone surrogate escape (rare): kept as written if otherwise valid
      return UnescapeStringLeniently(text->data() + 1, &unescaped) ? simdjson::SUCCESS : error;
    }
    case ondemand::json_type::number:
      // JSON's grammar, no range: 1e309 is kept as written (-Infinity when allowed).
      if (ScanNumberToken(*text).valid || (allow_non_numeric && NonNumericNumber(*text))) return simdjson::SUCCESS;
      return simdjson::NUMBER_ERROR;
    case ondemand::json_type::boolean: {
      bool ignored;
      return value.get_bool().get(ignored);
    }
    default: {
      bool is_null = false;
      SIMDJSON_TRY(value.is_null().get(is_null));
      return is_null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
}

std::string_view EnclosedJson(const char* open) {
  int64_t depth = 0;
  const char* p = open;
  while (true) {
    const char c = *p;
    if (c == '"') {
      // Skip the string: a backslash always escapes the byte after it.
      for (++p; *p != '"'; ++p) {
        if (*p == '\\') ++p;
      }
    } else if (c == '[' || c == '{') {
      ++depth;
    } else if (c == ']' || c == '}') {
      if (--depth == 0) return std::string_view(open, static_cast<size_t>(p - open + 1));
    }
    ++p;
  }
}

namespace {


}  // namespace


void RescuedRecord::AddMember(std::string_view key, std::string_view raw_json) {
  text_.push_back(',');
  AppendJsonString(key, &text_);
  text_.push_back(':');
  text_.append(raw_json);
}

void RescuedRecord::WrapMembers(size_t from, std::string_view key) {
  prefix_.assign(1, ',');
  AppendJsonString(key, &prefix_);
  prefix_.append(":{");
  text_.replace(from, 1, prefix_);  // the first member's ',' becomes ,"key":{
  text_.push_back('}');
}

std::string_view RescuedRecord::Finish(std::string_view file_path_json) {
  if (text_.empty()) {
    text_.push_back('{');
  } else {
    text_[0] = '{';
    text_.push_back(',');
  }
  text_.append("\"_file_path\":");
  text_.append(file_path_json);
  text_.push_back('}');
  return text_;
}

}  // namespace inlet::json
