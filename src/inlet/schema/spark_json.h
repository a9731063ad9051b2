// Spark's StructType JSON: Delta's metaData.schemaString and _schemas/N's dataSchemaJson.
#pragma once

#include <string>
#include <string_view>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

// Compact JSON exactly as Spark's StructType.json prints it:
// {"type":"struct","fields":[{"name":"a","type":"long","nullable":true,"metadata":{}}]}
std::string ToSparkJson(const Schema& schema);
std::string ToSparkJson(const DataType& type);

// Parses the same format (any whitespace). Errors name the offending field path.
Result<Schema> ParseSparkJsonSchema(std::string_view json);

}  // namespace inlet
