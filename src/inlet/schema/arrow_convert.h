// Mapping between inlet's Spark types and Arrow types, as Delta readers expect them in
// Parquet: long->int64, integer->int32, short->int16, byte->int8, double, float, boolean,
// string->utf8, binary, date->date32, timestamp->timestamp(us, UTC), decimal->decimal128,
// struct, array->list (item field "element"), map->map, variant->the arrow.parquet.variant
// extension type over struct<metadata: binary, value: binary> (Parquet's VARIANT group).
#pragma once

#include <memory>

#include <arrow/type_fwd.h>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

Result<std::shared_ptr<arrow::DataType>> ToArrowType(const DataType& type);
Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(const Schema& schema);

// The same layout without extension types (variant -> its storage struct): what Arrow's
// builders can build, since MakeBuilder refuses extension types.
Result<std::shared_ptr<arrow::Schema>> ToArrowStorageSchema(const Schema& schema);
// `data` typed as `type`, a type of the same physical layout (other field names, or
// extension types where `data` has their storage); children are retyped recursively.
std::shared_ptr<arrow::ArrayData> RetypeArrayData(const std::shared_ptr<arrow::ArrayData>& data,
                                                  const std::shared_ptr<arrow::DataType>& type);
// The variant extension's storage: struct<metadata: binary not null, value: binary not null>.
const std::shared_ptr<arrow::DataType>& VariantStorageType();
// Whether `type` is the variant extension type (whatever its storage's field order).
bool IsVariantType(const arrow::DataType& type);

// The inverse, for files read back; kNull is not produced.
Result<DataTypePtr> FromArrowType(const arrow::DataType& type);
Result<Schema> FromArrowSchema(const arrow::Schema& schema);

}  // namespace inlet
