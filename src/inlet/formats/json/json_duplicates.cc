#include "inlet/formats/json/json_duplicates.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <unordered_map>

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

// Nesting beyond this is left unwalked: the reader refuses such records before any pass.
constexpr int kMaxDepth = 1024;

class KeyWalker {
 public:
  explicit KeyWalker(std::vector<const char*>* overridden) : overridden_(overridden) {}

  error_code Value(ondemand::value value, int depth) {
    if (depth > kMaxDepth) return simdjson::DEPTH_ERROR;
    ondemand::json_type type;
    SIMDJSON_TRY(value.type().get(type));
    if (type == ondemand::json_type::object) {
      ondemand::object object;
      SIMDJSON_TRY(value.get_object().get(object));
      return Object(object, depth);
    }
    if (type == ondemand::json_type::array) {
      ondemand::array array;
      SIMDJSON_TRY(value.get_array().get(array));
      for (auto element : array) {
        SIMDJSON_TRY(element.error());
        SIMDJSON_TRY(Value(element.value_unsafe(), depth + 1));
      }
    }
    return simdjson::SUCCESS;  // a scalar: skipped by the next step of its parent
  }

 private:
  error_code Object(ondemand::object object, int depth) {
    // Key -> address of its latest occurrence so far in this object.
    std::unordered_map<std::string, const char*> latest;
    for (auto field_result : object) {
      SIMDJSON_TRY(field_result.error());
      ondemand::field& field = field_result.value_unsafe();
      const char* raw = field.key().raw();
      std::string_view key;
      SIMDJSON_TRY(field.unescaped_key().get(key));
      auto [it, inserted] = latest.try_emplace(std::string(key), raw);
      if (!inserted) {
        overridden_->push_back(it->second);
        it->second = raw;
      }
      SIMDJSON_TRY(Value(field.value(), depth + 1));
    }
    return simdjson::SUCCESS;
  }

  std::vector<const char*>* overridden_;
};

}  // namespace

error_code FindOverriddenKeys(ondemand::parser& parser, const char* data, size_t size, size_t capacity,
                              std::vector<const char*>* overridden) {
  overridden->clear();
  ondemand::document doc;
  SIMDJSON_TRY(parser.iterate(data, size, capacity).get(doc));
  ondemand::value value;
  SIMDJSON_TRY(doc.get_value().get(value));
  SIMDJSON_TRY(KeyWalker(overridden).Value(value, 0));
  std::sort(overridden->begin(), overridden->end());
  return simdjson::SUCCESS;
}

}  // namespace inlet::json
