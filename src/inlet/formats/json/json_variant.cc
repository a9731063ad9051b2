// JsonToVariant walks simdjson's On-Demand values into a VariantBuilder. Numbers are read
// from their token text, not through double, so decimals keep every digit and scale.
#include "inlet/formats/json/json_variant.h"

#include <simdjson.h>

#include <charconv>
#include <string>

#include "inlet/formats/json/json_rescue.h"
#include "inlet/formats/json/json_validate.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;

namespace {

constexpr int kMaxVariantJsonDepth = 1000;  // Jackson's default nesting limit
constexpr int kMaxDecimalDigits = 38;

Status JsonError(simdjson::error_code error) {
  return Status::Invalid("not valid JSON: ", simdjson::error_message(error));
}

class VariantWalker {
 public:
  VariantWalker(const JsonVariantOptions& options, VariantBuilder& builder) : options_(options), builder_(builder) {}

  Status Value(ondemand::value value, int depth) {
    if (depth > kMaxVariantJsonDepth) return Status::Invalid("nested deeper than 1,000 levels");
    ondemand::json_type type;
    if (auto error = value.type().get(type)) return Number(value, error);
    switch (type) {
      case ondemand::json_type::object: return Object(value, depth);
      case ondemand::json_type::array: return Array(value, depth);
      case ondemand::json_type::string: return String(value);
      case ondemand::json_type::number: return Number(value, simdjson::SUCCESS);
      case ondemand::json_type::boolean: {
        bool b;
        if (auto error = value.get_bool().get(b)) return JsonError(error);
        builder_.AppendBool(b);
        return Status::OK();
      }
      case ondemand::json_type::null: {
        bool is_null = false;
        if (auto error = value.is_null().get(is_null)) return JsonError(error);
        if (!is_null) return JsonError(simdjson::N_ATOM_ERROR);
        builder_.AppendNull();
        return Status::OK();
      }
    }
    return JsonError(simdjson::TAPE_ERROR);
  }

 private:
  Status Object(ondemand::value value, int depth) {
    ondemand::object object;
    if (auto error = value.get_object().get(object)) return JsonError(error);
    auto container = builder_.StartObject();
    for (auto field : object) {
      if (auto error = field.error()) return JsonError(error);
      std::string_view key;
      if (auto error = field.value_unsafe().unescaped_key().get(key)) return JsonError(error);
      builder_.AddKey(key);
      INLET_RETURN_NOT_OK(Value(field.value_unsafe().value(), depth + 1));
    }
    return builder_.EndObject(container);
  }

  Status Array(ondemand::value value, int depth) {
    ondemand::array array;
    if (auto error = value.get_array().get(array)) return JsonError(error);
    auto container = builder_.StartArray();
    for (auto element : array) {
      if (auto error = element.error()) return JsonError(error);
      builder_.StartElement();
      INLET_RETURN_NOT_OK(Value(element.value_unsafe(), depth + 1));
    }
    builder_.EndArray(container);
    return Status::OK();
  }

  // A lone surrogate escape (`"\ud800"`) is an error here, as in Spark's parse_json, though
  // the columnar reader decodes it leniently.
  Status String(ondemand::value value) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return JsonError(error);
    builder_.AppendString(text);
    return Status::OK();
  }

  // `type_error` is what typing the value gave: NaN and Infinity are not JSON to simdjson.
  Status Number(ondemand::value value, simdjson::error_code type_error) {
    const std::string_view token = TrimTrailingJsonSpace(value.raw_json_token());
    if (options_.allow_non_numeric_numbers) {
      if (auto special = NonNumericNumber(token)) {
        builder_.AppendDouble(*special);
        return Status::OK();
      }
    }
    if (type_error) return JsonError(type_error);
    const NumberShape shape = ScanNumberToken(token);
    if (!shape.valid) return JsonError(simdjson::NUMBER_ERROR);
    if (shape.integral) {
      int64_t integer;
      auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), integer);
      if (ec == std::errc() && end == token.data() + token.size()) {
        builder_.AppendInt(integer);
        return Status::OK();
      }
    }
    if (AppendDecimal(token, shape)) return Status::OK();
    // As a double column reads it: past double's range ±Infinity or ±0, as Jackson does.
    double d;
    if (GetDouble(value, &d) != simdjson::SUCCESS) d = OutOfRangeDouble(token);
    builder_.AppendDouble(d);
    return Status::OK();
  }

  // Spark's tryParseDecimal: a token without an exponent whose BigDecimal has at most 38
  // digits of precision and of scale.
  bool AppendDecimal(std::string_view token, const NumberShape& shape) {
    if (token.find_first_of("eE") != std::string_view::npos) return false;
    if (shape.precision > kMaxDecimalDigits || shape.scale > kMaxDecimalDigits) return false;
    __int128 unscaled = 0;
    for (char c : token) {
      if (c >= '0' && c <= '9') unscaled = unscaled * 10 + (c - '0');
    }
    builder_.AppendDecimal(shape.negative ? -unscaled : unscaled, static_cast<int>(shape.scale));
    return true;
  }

  const JsonVariantOptions& options_;
  VariantBuilder& builder_;
};

}  // namespace

Result<VariantValue> JsonToVariant(std::string_view text, const JsonVariantOptions& options) {
  JsonVariantParser parser(options);
  VariantValue out;
  INLET_RETURN_NOT_OK(parser.Parse(text, &out));
  return out;
}

JsonVariantParser::JsonVariantParser(const JsonVariantOptions& options)
    : options_(options), builder_(VariantBuilder::Options{options.allow_duplicate_keys}) {}

Status JsonVariantParser::Parse(std::string_view text, VariantValue* out) {
  // simdjson gives no value for a scalar document, so the text is read as the one element
  // of an array: every document is then walked the same way.
  wrapped_.clear();
  wrapped_.reserve(text.size() + 2 + simdjson::SIMDJSON_PADDING);
  wrapped_.push_back('[');
  wrapped_.append(text);
  wrapped_.push_back(']');
  ondemand::document document;
  ondemand::array array;
  if (auto error = parser_.iterate(wrapped_.data(), wrapped_.size(), wrapped_.capacity()).get(document)) {
    return JsonError(error);
  }
  if (auto error = document.get_array().get(array)) return JsonError(error);
  VariantWalker walker(options_, builder_);
  int count = 0;
  Status walked;
  for (auto element : array) {
    if (auto error = element.error()) {
      walked = JsonError(error);
    } else if (++count > 1) {
      walked = Status::Invalid("not valid JSON: text after the value");
    } else {
      walked = walker.Value(element.value_unsafe(), 0);
    }
    if (!walked.ok()) break;
  }
  if (walked.ok() && count == 0) walked = Status::Invalid("not valid JSON: no value");
  const char* rest = nullptr;  // a location past the array only when text follows it
  if (walked.ok() && document.current_location().get(rest) == simdjson::SUCCESS) {
    walked = Status::Invalid("not valid JSON: text after the value");
  }
  if (!walked.ok()) {
    builder_.Clear();  // the builder is reused: nothing of this text may stay in it
    return walked;
  }
  return builder_.Finish(out);
}

Status JsonVariantParser::Encode(ondemand::value value, VariantValue* out) {
  VariantWalker walker(options_, builder_);
  Status walked = walker.Value(value, 0);
  if (!walked.ok()) {
    builder_.Clear();
    return walked;
  }
  return builder_.Finish(out);
}

}  // namespace inlet::json
