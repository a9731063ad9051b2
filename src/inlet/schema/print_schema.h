// Spark's printSchema tree, byte for byte:
//   root
//    |-- coordinates: struct (nullable = true)
//    |    |-- latitude: double (nullable = true)
//    |-- tags: array (nullable = true)
//    |    |-- element: string (containsNull = true)
//    |-- m: map (nullable = true)
//    |    |-- key: string
//    |    |-- value: long (valueContainsNull = true)
#pragma once

#include <string>

#include "inlet/schema/types.h"

namespace inlet {

// Ends with a newline after the last field line.
std::string PrintSchemaTree(const Schema& schema);

}  // namespace inlet
