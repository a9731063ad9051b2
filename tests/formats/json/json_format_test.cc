// The JSON format's own options (its rows in json_format.cc): Spark's JSON dialect and
// inference flags, given with --option as any other and parsed by the format.
#include <gtest/gtest.h>

#include "inlet/formats/json/json_format.h"
#include "inlet/options/ingest_options.h"

namespace inlet::json {
namespace {

Result<JsonFormatOptions> Parse(const std::vector<std::string>& kvs) {
  IngestOptions options;
  INLET_RETURN_NOT_OK(ApplyIngestOptions(kvs, &options));
  return ParseJsonFormatOptions(options.format_options);
}

TEST(JsonFormatOptions, DialectAndInferenceFlagsDefaultToSparksAndFillTheirFields) {
  JsonFormatOptions defaults;
  const JsonDialect& d = defaults.dialect;
  EXPECT_TRUE(d.allow_single_quotes);
  EXPECT_TRUE(d.allow_non_numeric_numbers);
  EXPECT_FALSE(d.allow_comments || d.allow_unquoted_field_names || d.allow_numeric_leading_zeros ||
               d.allow_backslash_escaping_any_character || d.allow_unquoted_control_chars ||
               defaults.primitives_as_string || defaults.prefers_decimal || defaults.drop_field_if_all_null ||
               defaults.multi_line);
  auto parsed = Parse({"ALLOWCOMMENTS=true", "allowSingleQuotes=false", "allowUnquotedFieldNames=true",
                       "allowNonNumericNumbers=false", "allowNumericLeadingZeros=true",
                       "allowBackslashEscapingAnyCharacter=true", "allowUnquotedControlChars=true",
                       "primitivesAsString=true", "prefersDecimal=true", "dropFieldIfAllNull=TRUE", "MultiLine=TRUE",
                       "inlet.maxNestingDepth=32"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  const JsonDialect& j = parsed->dialect;
  EXPECT_TRUE(j.allow_comments && j.allow_unquoted_field_names && j.allow_numeric_leading_zeros &&
              j.allow_backslash_escaping_any_character && j.allow_unquoted_control_chars &&
              parsed->primitives_as_string && parsed->prefers_decimal && parsed->drop_field_if_all_null &&
              parsed->multi_line);
  EXPECT_FALSE(j.allow_single_quotes || j.allow_non_numeric_numbers);
  EXPECT_EQ(parsed->max_nesting_depth, 32);
}

TEST(JsonFormatOptions, ABadValueIsAnErrorOfTheOptionsNamingIt) {
  for (const auto& [kv, why] : std::vector<std::pair<std::string, std::string>>{
           {"allowComments=yes", "option allowComments: expected true or false"},
           {"prefersDecimal=1.5", "expected true or false"},
           {"inlet.maxNestingDepth=0", "option inlet.maxNestingDepth: expected an integer from 1 to 1000"}}) {
    IngestOptions options;
    Status st = ApplyIngestOptions({kv}, &options);
    ASSERT_FALSE(st.ok()) << kv;
    EXPECT_NE(st.message().find(why), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace inlet::json
