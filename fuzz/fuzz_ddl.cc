// Fuzzes the Spark DDL parser (schema/ddl.h): any text either fails with a message or gives
// a schema whose printed DDL parses back to the same schema.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/schema/ddl.h"
#include "inlet/schema/spark_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  auto schema = inlet::ParseDdlSchema(text);
  if (schema.ok()) {
    const std::string ddl = inlet::ToDdl(*schema);
    auto again = inlet::ParseDdlSchema(ddl);
    INLET_FUZZ_CHECK(again.ok(), "printed DDL does not parse: " + ddl + ": " +
                                     again.status().ToString());
    INLET_FUZZ_CHECK(inlet::ToDdl(*again) == ddl, "DDL round trip changed: " + ddl);
    // The same schema through Delta's JSON form.
    const std::string json = inlet::ToSparkJson(*schema);
    auto from_json = inlet::ParseSparkJsonSchema(json);
    INLET_FUZZ_CHECK(from_json.ok(), "printed schema JSON does not parse: " + json);
    INLET_FUZZ_CHECK(inlet::ToDdl(*from_json) == ddl, "JSON round trip changed: " + json);
  } else {
    INLET_FUZZ_CHECK(!schema.status().message().empty(), "error without a message");
  }

  auto type = inlet::ParseDdlType(text);
  if (type.ok()) {
    const std::string printed = inlet::ToDdl(**type);
    auto again = inlet::ParseDdlType(printed);
    INLET_FUZZ_CHECK(again.ok() && inlet::ToDdl(**again) == printed,
                     "type DDL round trip: " + printed);
  }

  size_t offset = 0;
  size_t error_offset = 0;
  auto prefix = inlet::ParseDdlTypePrefix(text, &offset, &error_offset);
  if (prefix.ok()) {
    INLET_FUZZ_CHECK(offset <= text.size(), "prefix offset past the end");
  } else {
    INLET_FUZZ_CHECK(error_offset <= text.size(), "error offset past the end");
  }
  return 0;
}
