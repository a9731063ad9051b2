// The inference lattice: how types seen in JSON records combine, following Spark's JSON
// inference (JsonInferSchema.compatibleType) so inlet infers what Spark would.
#pragma once

#include "inlet/schema/types.h"

namespace inlet {

// Combines two inferred types:
//   null + T -> T;  long + double -> double;  anything else mixed with string, or two
//   different primitives/containers that do not widen -> string;
//   struct + struct -> fields merged by name, sorted by name;
//   array + array -> array of the merged element.
DataTypePtr MergeInferredTypes(const DataTypePtr& a, const DataTypePtr& b);

// Merges two inferred top-level schemas (fields by name, result sorted by name).
Schema MergeInferredSchemas(const Schema& a, const Schema& b);

// Replaces every kNull left after inference with string (Spark: null-only -> string),
// including inside arrays (array of null -> array<string>) and structs. Like Spark's
// canonicalizeType it also drops fields with an empty name and fields whose struct ends up
// with no fields ({"a":{}} and {"a":[{}]} infer no column a). With `drop_null_only`
// (Spark's dropFieldIfAllNull) a null-only field is dropped instead of typed string, and
// so is an array or map of nulls only, and a struct left with no fields by that.
Schema FinalizeInferredSchema(const Schema& schema, bool drop_null_only = false);

}  // namespace inlet
