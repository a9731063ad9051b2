// Mapping between inlet's Spark types and Arrow types, as Delta readers expect them in
// Parquet: long->int64, integer->int32, short->int16, byte->int8, double, float, boolean,
// string->utf8, binary, date->date32, timestamp->timestamp(us, UTC), decimal->decimal128,
// struct, array->list (item field "element"), map->map.
#pragma once

#include <memory>

#include <arrow/type_fwd.h>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace inlet {

Result<std::shared_ptr<arrow::DataType>> ToArrowType(const DataType& type);
Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(const Schema& schema);

// The inverse, for files read back; kNull is not produced.
Result<DataTypePtr> FromArrowType(const arrow::DataType& type);
Result<Schema> FromArrowSchema(const arrow::Schema& schema);

}  // namespace inlet
