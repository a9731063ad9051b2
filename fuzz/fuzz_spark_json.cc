// Fuzzes the Spark StructType JSON parser (schema/spark_json.h), which reads Delta's
// metaData.schemaString: a schema it accepts must print and parse back unchanged.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/schema/ddl.h"
#include "inlet/schema/spark_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto schema = inlet::ParseSparkJsonSchema(text);
  if (!schema.ok()) {
    INLET_FUZZ_CHECK(!schema.status().message().empty(), "error without a message");
    return 0;
  }
  const std::string json = inlet::ToSparkJson(*schema);
  auto again = inlet::ParseSparkJsonSchema(json);
  INLET_FUZZ_CHECK(again.ok(), "printed schema JSON does not parse: " + json + ": " +
                                   again.status().ToString());
  INLET_FUZZ_CHECK(inlet::ToSparkJson(*again) == json, "schema JSON round trip: " + json);
  (void)inlet::ToDdl(*schema);  // printing must not crash on anything the parser accepts
  return 0;
}
