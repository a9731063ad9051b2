// Fuzzes cloudFiles.schemaHints (schema/hints.h): parsing the option text and applying the
// hints to a fixed nested schema.
#include <cstdint>
#include <string>

#include "fuzz_util.h"
#include "inlet/schema/ddl.h"
#include "inlet/schema/hints.h"

namespace {

const inlet::Schema& BaseSchema() {
  static const inlet::Schema schema = [] {
    auto parsed = inlet::ParseDdlSchema(
        "device STRING, humidity BIGINT, coordinates STRUCT<latitude: STRING, longitude: "
        "STRING>, tags ARRAY<STRING>, readings ARRAY<STRUCT<t: STRING, v: STRING>>, "
        "attrs MAP<STRING, STRUCT<x: STRING>>, `odd.name` STRING");
    INLET_FUZZ_CHECK(parsed.ok(), parsed.status().ToString());
    return *parsed;
  }();
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto hints = inlet::ParseSchemaHints(text);
  if (!hints.ok()) {
    INLET_FUZZ_CHECK(!hints.status().message().empty(), "error without a message");
    return 0;
  }
  for (const auto& hint : *hints) {
    INLET_FUZZ_CHECK(!hint.path.empty() && hint.type != nullptr, "hint without path or type");
  }
  auto applied = inlet::ApplySchemaHints(BaseSchema(), *hints);
  if (applied.ok()) {
    // A hinted schema is stored as DDL-compatible Spark JSON; it must print and parse back.
    const std::string ddl = inlet::ToDdl(*applied);
    auto again = inlet::ParseDdlSchema(ddl);
    INLET_FUZZ_CHECK(again.ok(), "hinted schema's DDL does not parse: " + ddl);
  }
  return 0;
}
