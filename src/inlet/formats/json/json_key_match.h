// Matching a key in the JSON text against a known field name without unescaping it or
// calling memcmp: it runs once per field of every record, and most names are short.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace inlet::json {

class RawKeyMatcher {
 public:
  RawKeyMatcher() = default;
  // `name` must be plain (IsPlainName): its JSON text is its bytes.
  explicit RawKeyMatcher(std::string_view name) : name_(name) {
    // The pattern is the name and the key's closing quote; up to 16 bytes fit two words.
    if (name.size() + 1 > sizeof(pattern_)) return;
    short_ = true;
    unsigned char bytes[16] = {};
    unsigned char mask[16] = {};
    std::memcpy(bytes, name.data(), name.size());
    bytes[name.size()] = '"';
    std::memset(mask, 0xFF, name.size() + 1);
    std::memcpy(pattern_, bytes, sizeof(pattern_));
    std::memcpy(mask_, mask, sizeof(mask_));
  }

  // `raw` is the key's text just after its opening quote, in a buffer with simdjson's
  // padding after the document (so 16 bytes from any point in it are readable).
  bool Matches(const char* raw) const {
    if (short_) {
      uint64_t word[2];
      std::memcpy(word, raw, sizeof(word));
      return (((word[0] ^ pattern_[0]) & mask_[0]) | ((word[1] ^ pattern_[1]) & mask_[1])) == 0;
    }
    return std::memcmp(raw, name_.data(), name_.size()) == 0 && raw[name_.size()] == '"';
  }

 private:
  std::string name_;
  bool short_ = false;
  uint64_t pattern_[2] = {0, 0};
  uint64_t mask_[2] = {0, 0};
};

}  // namespace inlet::json
