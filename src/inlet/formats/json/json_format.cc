// The JSON format's option rows and its FileFormat: the seam's calls turned into the JSON
// reader's and inference's own options.
#include "inlet/formats/json/json_format.h"

#include <fmt/format.h>

#include "inlet/formats/format_options.h"
#include "inlet/formats/json/json_inference.h"
#include "inlet/formats/json/json_inference_guess.h"
#include "inlet/formats/json/json_input.h"

namespace inlet::json {
namespace {

using formats::FormatOptionRow;
using formats::SetBoolean;
using O = JsonFormatOptions;

template <auto Member>
Status SetDialect(std::string_view option, std::string_view value, O* out) {
  INLET_ASSIGN_OR_RAISE(out->dialect.*Member, formats::ParseBooleanOption(option, value));
  return Status::OK();
}

Status SetNestingDepth(std::string_view option, std::string_view value, O* out) {
  INLET_ASSIGN_OR_RAISE(out->max_nesting_depth, formats::ParseIntegerOption(option, value, 1, 1000));
  return Status::OK();
}

Status AcceptUtf8(std::string_view option, std::string_view value, O*) {
  return formats::ParseUtf8Option(option, value).status();
}

// The separators the line splitting honours, as characters or as escapes.
Status AcceptLineSep(std::string_view option, std::string_view value, O*) {
  if (value == "\n" || value == "\\n" || value == "\r\n" || value == "\\r\\n") return Status::OK();
  const std::string why = value == "\r" || value == "\\r"
                              ? "inlet ends a record at a line feed (\\n or \\r\\n); a lone \\r does not end one"
                              : "inlet ends a record at a line feed (\\n or \\r\\n) only";
  return Status::Invalid(fmt::format("option {}='{}' is not supported: {}", option, value, why));
}

const std::vector<FormatOptionRow<O>>& Rows() {
  using D = JsonDialect;
  static const std::vector<FormatOptionRow<O>> kRows = {
      {{"multiLine", "boolean", "false",
        "Each file holds one JSON document (or an array of them) that may span lines, instead of one record "
        "per line."},
       &SetBoolean<&O::multi_line>},
      {{"allowComments", "boolean", "false", "Ignore Java/C++ style comments (/* */ and //) in records."},
       &SetDialect<&D::allow_comments>},
      {{"allowSingleQuotes", "boolean", "true", "Accept single quotes around names and strings as well as double quotes."},
       &SetDialect<&D::allow_single_quotes>},
      {{"allowUnquotedFieldNames", "boolean", "false", "Accept field names without quotes ({a: 1})."},
       &SetDialect<&D::allow_unquoted_field_names>},
      {{"allowNonNumericNumbers", "boolean", "true",
        "Read NaN, Infinity, +Infinity, +INF, -Infinity and -INF as floating-point numbers."},
       &SetDialect<&D::allow_non_numeric_numbers>},
      {{"allowNumericLeadingZeros", "boolean", "false", "Accept numbers with leading zeros (00012)."},
       &SetDialect<&D::allow_numeric_leading_zeros>},
      {{"allowBackslashEscapingAnyCharacter", "boolean", "false",
        "Accept a backslash before any character, not only the escapes JSON defines (\\' reads as ')."},
       &SetDialect<&D::allow_backslash_escaping_any_character>},
      {{"allowUnquotedControlChars", "boolean", "false",
        "Accept raw control characters (below U+0020, e.g. tab, line feed) inside strings."},
       &SetDialect<&D::allow_unquoted_control_chars>},
      {{"primitivesAsString", "boolean", "false",
        "Inference types every number and boolean as string (structs and arrays are kept)."},
       &SetBoolean<&O::primitives_as_string>},
      {{"prefersDecimal", "boolean", "false",
        "Inference types a number with a fraction or exponent as decimal(p,s), p and s as Java's BigDecimal "
        "has them (1.50 -> decimal(3,2), 1e5 -> decimal(6,0)), double past 38 digits; false: double."},
       &SetBoolean<&O::prefers_decimal>},
      {{"dropFieldIfAllNull", "boolean", "false",
        "Inference leaves out a field that is null (or an empty array, or a struct of such fields) in every "
        "sampled record; false: it is a string column."},
       &SetBoolean<&O::drop_field_if_all_null>},
      {{"inlet.maxNestingDepth", "integer 1-1000", "256",
        "A record nested deeper (objects and arrays) is a malformed record."},
       &SetNestingDepth},
      {{"encoding", "charset", "UTF-8", "Only UTF-8 (also utf8): inlet reads UTF-8 JSON."}, &AcceptUtf8},
      {{"lineSep", "\\n or \\r\\n", "\\n", "Records end at a line feed, with or without a carriage return before it."},
       &AcceptLineSep},
  };
  return kRows;
}

InferenceOptions InferenceFor(const formats::SampleOptions& sample, const JsonFormatOptions& json) {
  InferenceOptions inference;
  // primitivesAsString: every leaf a string, as inferColumnTypes=false infers them.
  inference.infer_column_types = sample.infer_column_types && !json.primitives_as_string;
  inference.dialect = json.dialect;
  inference.multi_line = json.multi_line;
  inference.max_files = sample.max_files;
  inference.max_bytes = sample.max_bytes;
  inference.threads = sample.threads;
  inference.mode = sample.mode == ParseMode::kFailFast ? ParseMode::kFailFast : ParseMode::kPermissive;
  inference.max_record_bytes = sample.max_record_bytes;
  inference.max_nesting_depth = static_cast<int>(json.max_nesting_depth);
  inference.prefers_decimal = json.prefers_decimal;
  inference.drop_field_if_all_null = json.drop_field_if_all_null;
  inference.ignore_corrupt_files = sample.ignore_corrupt_files;
  return inference;
}

class JsonFormat final : public formats::FileFormat {
 public:
  explicit JsonFormat(JsonFormatOptions options) : options_(std::move(options)) {}

  std::string_view name() const override { return "json"; }
  bool Splittable(const std::string& path) const override {
    return !options_.multi_line && !IsCompressedJsonPath(path);
  }
  bool ReadsAppendedBytes() const override { return !options_.multi_line; }
  bool MayEndWith(char last_byte) const override {
    // A multiLine document may end without a newline.
    return last_byte == '\n' || (options_.multi_line && (last_byte == '}' || last_byte == ']'));
  }
  Status CheckReadableSchema(const Schema& schema) const override { return json::CheckReadableSchema(schema); }

  Result<Schema> InferSchema(const std::vector<std::string>& paths,
                             const formats::SampleOptions& options) const override {
    return InferJsonSchema(paths, InferenceFor(options, options_));
  }

  Status ReadFile(const std::string& path, const Schema& schema, const formats::ReadOptions& options,
                  const formats::BatchSink& sink, formats::ReadCounts* counts) const override {
    JsonReadOptions read;
    static_cast<formats::ReadOptions&>(read) = options;
    read.multi_line = options_.multi_line;
    read.max_nesting_depth = static_cast<int>(options_.max_nesting_depth);
    read.dialect = options_.dialect;
    return ReadJsonFile(path, schema, read, sink, counts);
  }

  // prefersDecimal and dropFieldIfAllNull are not guessed: a value that fits a guessed
  // decimal can still widen it (5 in decimal(4,2) makes decimal(22,2)), and a field null in
  // the heads may be dropped or not, neither of which the reader's checks flag.
  Result<std::shared_ptr<const formats::InferenceGuess>> Guess(const std::vector<std::string>& paths,
                                                               const formats::SampleOptions& options,
                                                               size_t max_sample_files) const override {
    if (options_.prefers_decimal || options_.drop_field_if_all_null) return nullptr;
    INLET_ASSIGN_OR_RAISE(auto guess, InferenceGuess::Make(paths, InferenceFor(options, options_), max_sample_files));
    return std::shared_ptr<const formats::InferenceGuess>(std::move(guess));
  }

 private:
  JsonFormatOptions options_;
};

}  // namespace

std::vector<formats::OptionRow> JsonOptionRows() { return formats::SpecsOf(Rows()); }

Result<JsonFormatOptions> ParseJsonFormatOptions(const formats::FormatOptionValues& values) {
  return formats::ParseFormatOptions(Rows(), values);
}

Result<std::shared_ptr<const formats::FileFormat>> MakeJsonFormat(const formats::FormatOptionValues& values) {
  INLET_ASSIGN_OR_RAISE(JsonFormatOptions options, ParseJsonFormatOptions(values));
  return std::shared_ptr<const formats::FileFormat>(std::make_shared<JsonFormat>(std::move(options)));
}

}  // namespace inlet::json
