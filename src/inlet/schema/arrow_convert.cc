// Spark type <-> Arrow type mapping (see arrow_convert.h for the table).
#include "inlet/schema/arrow_convert.h"

#include <arrow/api.h>
#include <arrow/extension/parquet_variant.h>
#include <fmt/format.h>

namespace inlet {

const std::shared_ptr<arrow::DataType>& VariantStorageType() {
  static const auto type = arrow::struct_({arrow::field("metadata", arrow::binary(), false),
                                           arrow::field("value", arrow::binary(), false)});
  return type;
}

bool IsVariantType(const arrow::DataType& type) {
  return dynamic_cast<const arrow::extension::VariantExtensionType*>(&type) != nullptr;
}

namespace {

// `storage`: variants as their storage struct instead of the extension type.
Result<std::shared_ptr<arrow::DataType>> ArrowTypeOf(const DataType& type, bool storage);

Result<arrow::FieldVector> ArrowFields(const std::vector<Field>& fields, bool storage) {
  arrow::FieldVector out;
  for (const Field& field : fields) {
    INLET_ASSIGN_OR_RAISE(auto type, ArrowTypeOf(*field.type, storage));
    out.push_back(arrow::field(field.name, type, field.nullable));
  }
  return out;
}

Result<std::shared_ptr<arrow::DataType>> ArrowTypeOf(const DataType& type, bool storage) {
  switch (type.kind) {
    case TypeKind::kNull: return arrow::utf8();  // unresolved inference reads as string
    case TypeKind::kString: return arrow::utf8();
    case TypeKind::kLong: return arrow::int64();
    case TypeKind::kInteger: return arrow::int32();
    case TypeKind::kShort: return arrow::int16();
    case TypeKind::kByte: return arrow::int8();
    case TypeKind::kDouble: return arrow::float64();
    case TypeKind::kFloat: return arrow::float32();
    case TypeKind::kBoolean: return arrow::boolean();
    case TypeKind::kDecimal: return arrow::decimal128(type.precision, type.scale);
    case TypeKind::kDate: return arrow::date32();
    case TypeKind::kTimestamp: return arrow::timestamp(arrow::TimeUnit::MICRO, "UTC");
    case TypeKind::kBinary: return arrow::binary();
    case TypeKind::kVariant:
      return storage ? VariantStorageType() : arrow::extension::variant(VariantStorageType());
    case TypeKind::kStruct: {
      INLET_ASSIGN_OR_RAISE(auto children, ArrowFields(type.fields, storage));
      return arrow::struct_(children);
    }
    case TypeKind::kArray: {
      INLET_ASSIGN_OR_RAISE(auto element, ArrowTypeOf(*type.element, storage));
      return arrow::list(arrow::field("element", element, type.contains_null));
    }
    case TypeKind::kMap: {
      INLET_ASSIGN_OR_RAISE(auto key, ArrowTypeOf(*type.key, storage));
      INLET_ASSIGN_OR_RAISE(auto value, ArrowTypeOf(*type.value, storage));
      return std::make_shared<arrow::MapType>(arrow::field("key", key, false),
                                              arrow::field("value", value, type.value_contains_null));
    }
  }
  return Status::NotImplemented("type ", type.TypeName());
}

}  // namespace

Result<std::shared_ptr<arrow::DataType>> ToArrowType(const DataType& type) { return ArrowTypeOf(type, false); }

Result<std::shared_ptr<arrow::Schema>> ToArrowSchema(const Schema& schema) {
  INLET_ASSIGN_OR_RAISE(auto fields, ArrowFields(schema.fields, false));
  return arrow::schema(std::move(fields));
}

Result<std::shared_ptr<arrow::Schema>> ToArrowStorageSchema(const Schema& schema) {
  INLET_ASSIGN_OR_RAISE(auto fields, ArrowFields(schema.fields, true));
  return arrow::schema(std::move(fields));
}

std::shared_ptr<arrow::ArrayData> RetypeArrayData(const std::shared_ptr<arrow::ArrayData>& data,
                                                  const std::shared_ptr<arrow::DataType>& type) {
  auto out = data->Copy();
  out->type = type;
  const arrow::DataType* layout = type.get();
  if (type->id() == arrow::Type::EXTENSION) {
    layout = static_cast<const arrow::ExtensionType&>(*type).storage_type().get();
  }
  for (int i = 0; i < layout->num_fields() && i < static_cast<int>(out->child_data.size()); ++i) {
    out->child_data[i] = RetypeArrayData(out->child_data[i], layout->field(i)->type());
  }
  return out;
}

Result<DataTypePtr> FromArrowType(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::STRING_VIEW: return DataType::String();
    case arrow::Type::INT64: return DataType::Long();
    case arrow::Type::INT32: return DataType::Integer();
    case arrow::Type::INT16: return DataType::Short();
    case arrow::Type::INT8: return DataType::Byte();
    case arrow::Type::DOUBLE: return DataType::Double();
    case arrow::Type::FLOAT: return DataType::Float();
    case arrow::Type::BOOL: return DataType::Boolean();
    case arrow::Type::DATE32: return DataType::Date();
    case arrow::Type::TIMESTAMP: return DataType::Timestamp();
    case arrow::Type::BINARY:
    case arrow::Type::LARGE_BINARY: return DataType::Binary();
    // Parquet files from other writers: unsigned integers widen as Spark reads them.
    case arrow::Type::UINT8: return DataType::Short();
    case arrow::Type::UINT16: return DataType::Integer();
    case arrow::Type::UINT32: return DataType::Long();
    case arrow::Type::UINT64: return DataType::Decimal(20, 0);
    case arrow::Type::HALF_FLOAT: return DataType::Float();
    case arrow::Type::DATE64: return DataType::Date();
    case arrow::Type::NA: return DataType::String();  // matches ToArrowType(kNull)
    case arrow::Type::DICTIONARY:
      return FromArrowType(*static_cast<const arrow::DictionaryType&>(type).value_type());
    case arrow::Type::DECIMAL32:
    case arrow::Type::DECIMAL64:
    case arrow::Type::DECIMAL128:
    case arrow::Type::DECIMAL256: {
      const auto& dec = static_cast<const arrow::DecimalType&>(type);
      if (dec.precision() > 38) {
        return Status::NotImplemented(
            fmt::format("Arrow type {}: Spark decimals hold at most 38 digits", type.ToString()));
      }
      return DataType::Decimal(dec.precision(), dec.scale());
    }
    case arrow::Type::STRUCT: {
      std::vector<Field> fields;
      for (const auto& child : type.fields()) {
        INLET_ASSIGN_OR_RAISE(auto child_type, FromArrowType(*child->type()));
        fields.push_back(Field{child->name(), child_type, child->nullable()});
      }
      return DataType::Struct(std::move(fields));
    }
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::LIST_VIEW:
    case arrow::Type::LARGE_LIST_VIEW:
    case arrow::Type::FIXED_SIZE_LIST: {
      const auto& item = type.field(0);
      INLET_ASSIGN_OR_RAISE(auto element, FromArrowType(*item->type()));
      return DataType::Array(element, item->nullable());
    }
    case arrow::Type::EXTENSION: {
      const auto& extension = static_cast<const arrow::ExtensionType&>(type);
      if (IsVariantType(extension)) return DataType::Variant();
      return FromArrowType(*extension.storage_type());
    }
    case arrow::Type::MAP: {
      const auto& map = static_cast<const arrow::MapType&>(type);
      INLET_ASSIGN_OR_RAISE(auto key, FromArrowType(*map.key_type()));
      INLET_ASSIGN_OR_RAISE(auto value, FromArrowType(*map.item_type()));
      return DataType::Map(key, value, map.item_field()->nullable());
    }
    default:
      return Status::NotImplemented(fmt::format("Arrow type {} has no Spark equivalent", type.ToString()));
  }
}

Result<Schema> FromArrowSchema(const arrow::Schema& schema) {
  Schema result;
  for (const auto& field : schema.fields()) {
    INLET_ASSIGN_OR_RAISE(auto type, FromArrowType(*field->type()));
    result.fields.push_back(Field{field->name(), type, field->nullable()});
  }
  return result;
}

}  // namespace inlet
