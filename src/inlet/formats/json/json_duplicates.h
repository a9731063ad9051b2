// Duplicate keys as Spark reads them: the last occurrence of a key in an object wins.
// The converter appends values as it meets them and cannot take one back, so a record
// with a duplicate key is read twice: the first pass stops at the duplicate
// (RecordConverter::kDuplicateKey), this finds the occurrences that a later one
// overrides, and the second pass treats those as the duplicates. Internal to formats/json;
// records without duplicate keys never come here.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <vector>

namespace inlet::json {

// Every key in the JSON text `data[0, size)` (one record, or a multiLine array of them)
// that a later key of the same object overrides, as the address of its first byte after
// the opening quote (what simdjson's raw_json_string::raw() gives), in ascending order.
// Keys compare unescaped and exactly. `capacity` >= size + SIMDJSON_PADDING bytes must be
// readable from `data`. SUCCESS, or the JSON error that stopped the walk.
simdjson::error_code FindOverriddenKeys(simdjson::ondemand::parser& parser, const char* data, size_t size,
                                        size_t capacity, std::vector<const char*>* overridden);

}  // namespace inlet::json
