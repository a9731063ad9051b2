// Fuzzes JSON schema inference (inlet::json::InferJsonSchema); an inferred schema must print
// as DDL that parses back, and must read the same file without error.
#include <arrow/api.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "fuzz_util.h"
#include "inlet/formats/json/json_input.h"
#include "inlet/formats/json/json_inference.h"
#include "inlet/formats/json/json_reader.h"
#include "inlet/schema/ddl.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const uint8_t flags = data[0];
  const std::string_view json(reinterpret_cast<const char*>(data) + 1, size - 1);

  inlet::json::InferenceOptions options;
  options.infer_column_types = (flags & 0x01) != 0;
  options.multi_line = (flags & 0x02) != 0;
  options.mode = (flags & 0x04) ? inlet::json::ParseMode::kFailFast
                                : inlet::json::ParseMode::kPermissive;
  if (flags & 0x08) {  // small limits, so the over-the-limit paths run on small inputs
    options.max_record_bytes = 256;
    options.max_nesting_depth = 6;
  }
  options.prefers_decimal = (flags & 0x10) != 0;
  options.drop_field_if_all_null = (flags & 0x20) != 0;
  if (flags & 0x40) {  // Spark's whole lenient dialect: the rewrite path
    auto& d = options.dialect;
    d.allow_comments = d.allow_unquoted_field_names = d.allow_numeric_leading_zeros = true;
    d.allow_backslash_escaping_any_character = d.allow_unquoted_control_chars = true;
  }

  const std::string path = inlet::fuzz::ScratchDir() + "/input.json";
  inlet::fuzz::WriteFile(path, json);
  // A build that binds simdjson to pyarrow's copy fails every input: fail loudly instead.
  INLET_FUZZ_CHECK(inlet::json::CheckSimdjsonLinkage().ok(), "simdjson linkage");
  auto inferred = inlet::json::InferJsonSchema({path}, options);
  if (!inferred.ok()) {
    // A malformed record is named by the file's own position, even when found in a rewrite.
    const std::string& message = inferred.status().message();
    const size_t at = message.find(" (byte ");
    if (at != std::string::npos) {
      const long long offset = std::atoll(message.c_str() + at + 7);
      INLET_FUZZ_CHECK(offset >= 0 && offset <= static_cast<long long>(json.size()),
                       "error names a byte past the file: " + message);
    }
    return 0;
  }

  const std::string ddl = inlet::ToDdl(*inferred);
  auto reparsed = inlet::ParseDdlSchema(ddl);
  INLET_FUZZ_CHECK(reparsed.ok() || inferred->fields.empty(),
                   "inferred schema's DDL does not parse: " + ddl + ": " +
                       reparsed.status().ToString());
  if (inferred->fields.empty()) return 0;
  INLET_FUZZ_CHECK(inlet::ToDdl(*reparsed) == ddl, "inferred schema's DDL round trip: " + ddl);

  inlet::json::JsonReadOptions read;
  read.multi_line = options.multi_line;
  read.max_record_bytes = options.max_record_bytes;
  read.max_nesting_depth = options.max_nesting_depth;
  auto status = inlet::json::ReadJsonFile(
      path, *inferred, read,
      [](std::shared_ptr<arrow::RecordBatch> batch) {
        auto valid = batch->ValidateFull();
        INLET_FUZZ_CHECK(valid.ok(), valid.ToString());
        return inlet::Status::OK();
      },
      nullptr);
  INLET_FUZZ_CHECK(status.ok(), "reading with the inferred schema " + ddl +
                                    " failed: " + status.ToString());
  return 0;
}
