// The lenient-to-strict rewrite of a record (see json_dialect.h): one pass over its bytes
// that knows strings, comments, numbers and bare words, and copies everything else.
#include "inlet/formats/json/json_dialect.h"

#include <simdjson.h>

#include <algorithm>

namespace inlet::json {

namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsNameStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$'; }
bool IsNamePart(char c) { return IsNameStart(c) || IsDigit(c); }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsJsonEscape(char c) {
  return c == '"' || c == '\\' || c == '/' || c == 'b' || c == 'f' || c == 'n' || c == 'r' || c == 't' || c == 'u';
}

class Rewriter {
 public:
  Rewriter(std::string_view text, const JsonDialect& dialect, std::string* out, RewriteOffsets* offsets)
      : text_(text), dialect_(dialect), out_(*out), offsets_(offsets) {}

  // False when the text cannot be rewritten (an unclosed string or comment) or needed none.
  bool Run() {
    out_.clear();
    out_.reserve(text_.size() + 16 + simdjson::SIMDJSON_PADDING);
    while (at_ < text_.size()) {
      const char c = text_[at_];
      const size_t out_begin = out_.size();
      const size_t in_begin = at_;
      if (c == '"') {
        if (!String('"')) return false;
      } else if (c == '\'' && dialect_.allow_single_quotes) {
        changed_ = true;
        if (!String('\'')) return false;
      } else if (c == '/' && dialect_.allow_comments && at_ + 1 < text_.size() &&
                 (text_[at_ + 1] == '*' || text_[at_ + 1] == '/')) {
        if (!Comment()) return false;
      } else if ((c == '-' || IsDigit(c)) && dialect_.allow_numeric_leading_zeros && AtTokenStart()) {
        Number();
      } else if (IsNameStart(c) && AtTokenStart()) {
        Word();
      } else {
        out_.push_back(c);
        ++at_;
        continue;
      }
      if (offsets_ != nullptr) offsets_->Add(out_begin, in_begin, out_.size(), at_);
    }
    return changed_;
  }

 private:
  // Whether the byte before the current one ends a token (so a digit or letter here
  // starts one).
  bool AtTokenStart() const {
    if (out_.empty()) return true;
    const char before = out_.back();
    return IsSpace(before) || before == '{' || before == '[' || before == ',' || before == ':';
  }

  // A string quoted by `quote`, written double-quoted.
  bool String(char quote) {
    out_.push_back('"');
    for (++at_; at_ < text_.size(); ++at_) {
      const char c = text_[at_];
      if (c == quote) {
        out_.push_back('"');
        ++at_;
        return true;
      }
      if (c == '\\' && at_ + 1 < text_.size()) {
        const char escaped = text_[++at_];
        if (escaped == '\'' && quote == '\'') {
          out_.push_back('\'');  // \' inside a single-quoted string
        } else if (IsJsonEscape(escaped)) {
          out_.push_back('\\');
          out_.push_back(escaped);
        } else if (dialect_.allow_backslash_escaping_any_character) {
          changed_ = true;
          Literal(escaped);
        } else {
          out_.push_back('\\');  // left invalid: the record stays malformed
          out_.push_back(escaped);
        }
        continue;
      }
      if (c == '"') {  // inside a single-quoted string
        out_.append("\\\"");
        continue;
      }
      Literal(c);
    }
    return false;  // never closed
  }

  // One character of a string's text, escaped where strict JSON needs it.
  void Literal(char c) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && dialect_.allow_unquoted_control_chars) {
      static constexpr char kHex[] = "0123456789abcdef";
      changed_ = true;
      out_.append("\\u00");
      out_.push_back(kHex[byte >> 4]);
      out_.push_back(kHex[byte & 0xF]);
    } else if (c == '"') {
      out_.append("\\\"");
    } else {
      out_.push_back(c);
    }
  }

  bool Comment() {
    changed_ = true;
    if (text_[at_ + 1] == '/') {
      const size_t end = text_.find('\n', at_);
      at_ = end == std::string_view::npos ? text_.size() : end;
    } else {
      const size_t end = text_.find("*/", at_ + 2);
      if (end == std::string_view::npos) return false;
      at_ = end + 2;
    }
    out_.push_back(' ');
    return true;
  }

  // A number whose leading zeros are dropped (one stays before a '.' or at the end).
  void Number() {
    if (text_[at_] == '-') out_.push_back(text_[at_++]);
    while (at_ + 1 < text_.size() && text_[at_] == '0' && IsDigit(text_[at_ + 1])) {
      changed_ = true;
      ++at_;
    }
    while (at_ < text_.size() && (IsDigit(text_[at_]) || text_[at_] == '.' || text_[at_] == 'e' ||
                                  text_[at_] == 'E' || text_[at_] == '+' || text_[at_] == '-')) {
      out_.push_back(text_[at_++]);
    }
  }

  // A bare word: a field name when a ':' follows it (quoted, if allowed), else a literal
  // such as true or NaN, copied.
  void Word() {
    const size_t begin = at_;
    while (at_ < text_.size() && IsNamePart(text_[at_])) ++at_;
    const std::string_view word = text_.substr(begin, at_ - begin);
    size_t next = at_;
    while (next < text_.size() && IsSpace(text_[next])) ++next;
    if (dialect_.allow_unquoted_field_names && next < text_.size() && text_[next] == ':') {
      changed_ = true;
      out_.push_back('"');
      out_.append(word);
      out_.push_back('"');
    } else {
      out_.append(word);
    }
  }

  std::string_view text_;
  const JsonDialect& dialect_;
  std::string& out_;
  RewriteOffsets* offsets_;
  size_t at_ = 0;
  bool changed_ = false;
};

}  // namespace

bool RewriteLenientJson(std::string_view text, const JsonDialect& dialect, std::string* out, size_t* size,
                        RewriteOffsets* offsets) {
  if (offsets != nullptr) offsets->Clear();
  if (!Rewriter(text, dialect, out, offsets).Run()) return false;
  *size = out->size();
  out->append(simdjson::SIMDJSON_PADDING, ' ');
  return true;
}

void RewriteOffsets::Add(size_t rewritten_begin, size_t source_begin, size_t rewritten_end, size_t source_end) {
  if (rewritten_end - rewritten_begin == source_end - source_begin) return;
  anchors_.emplace_back(rewritten_begin, source_begin);
  anchors_.emplace_back(rewritten_end, source_end);
}

size_t RewriteOffsets::ToSource(size_t rewritten, size_t source_size) const {
  auto after = std::upper_bound(anchors_.begin(), anchors_.end(), rewritten,
                                [](size_t value, const auto& anchor) { return value < anchor.first; });
  size_t source = rewritten;
  if (after != anchors_.begin()) {
    const auto& base = *std::prev(after);
    source = base.second + (rewritten - base.first);
    // Inside a construct that shrank or grew: no further than where it ended.
    if (after != anchors_.end()) source = std::min(source, after->second);
  }
  return std::min(source, source_size);
}

}  // namespace inlet::json
