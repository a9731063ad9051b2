// JSON as a FileFormat (format.h): NDJSON or multiLine documents, Spark's dialect options,
// inference like Spark's JSON source, and one-pass inference while the first batch loads.
#pragma once

#include <memory>
#include <vector>

#include "inlet/formats/format.h"
#include "inlet/formats/json/json_reader.h"

namespace inlet::json {

// The options only the JSON format reads (its rows in JsonOptionRows).
struct JsonFormatOptions {
  bool multi_line = false;             // multiLine
  int64_t max_nesting_depth = kDefaultMaxNestingDepth;  // inlet.maxNestingDepth
  JsonDialect dialect;                 // allowComments, allowSingleQuotes, ...
  bool primitives_as_string = false;   // primitivesAsString
  bool prefers_decimal = false;        // prefersDecimal
  bool drop_field_if_all_null = false; // dropFieldIfAllNull
};

std::vector<formats::OptionRow> JsonOptionRows();
Result<JsonFormatOptions> ParseJsonFormatOptions(const formats::FormatOptionValues& values);
Result<std::shared_ptr<const formats::FileFormat>> MakeJsonFormat(const formats::FormatOptionValues& values);

}  // namespace inlet::json
