// Factories, names and equality for the Spark type model.
#include "inlet/schema/types.h"

#include "inlet/util/strings.h"

#include <fmt/format.h>

namespace inlet {
namespace {

DataTypePtr MakePrimitive(TypeKind kind) {
  auto type = std::make_shared<DataType>();
  type->kind = kind;
  return type;
}

}  // namespace

DataTypePtr DataType::Null() { static const auto t = MakePrimitive(TypeKind::kNull); return t; }
DataTypePtr DataType::String() { static const auto t = MakePrimitive(TypeKind::kString); return t; }
DataTypePtr DataType::Long() { static const auto t = MakePrimitive(TypeKind::kLong); return t; }
DataTypePtr DataType::Integer() { static const auto t = MakePrimitive(TypeKind::kInteger); return t; }
DataTypePtr DataType::Short() { static const auto t = MakePrimitive(TypeKind::kShort); return t; }
DataTypePtr DataType::Byte() { static const auto t = MakePrimitive(TypeKind::kByte); return t; }
DataTypePtr DataType::Double() { static const auto t = MakePrimitive(TypeKind::kDouble); return t; }
DataTypePtr DataType::Float() { static const auto t = MakePrimitive(TypeKind::kFloat); return t; }
DataTypePtr DataType::Boolean() { static const auto t = MakePrimitive(TypeKind::kBoolean); return t; }
DataTypePtr DataType::Date() { static const auto t = MakePrimitive(TypeKind::kDate); return t; }
DataTypePtr DataType::Timestamp() { static const auto t = MakePrimitive(TypeKind::kTimestamp); return t; }
DataTypePtr DataType::Binary() { static const auto t = MakePrimitive(TypeKind::kBinary); return t; }
DataTypePtr DataType::Variant() { static const auto t = MakePrimitive(TypeKind::kVariant); return t; }

DataTypePtr DataType::Decimal(int precision, int scale) {
  auto type = std::make_shared<DataType>();
  type->kind = TypeKind::kDecimal;
  type->precision = precision;
  type->scale = scale;
  return type;
}

DataTypePtr DataType::Struct(std::vector<Field> fields) {
  auto type = std::make_shared<DataType>();
  type->kind = TypeKind::kStruct;
  type->fields = std::move(fields);
  return type;
}

DataTypePtr DataType::Array(DataTypePtr element, bool contains_null) {
  auto type = std::make_shared<DataType>();
  type->kind = TypeKind::kArray;
  type->element = std::move(element);
  type->contains_null = contains_null;
  return type;
}

DataTypePtr DataType::Map(DataTypePtr key, DataTypePtr value, bool value_contains_null) {
  auto type = std::make_shared<DataType>();
  type->kind = TypeKind::kMap;
  type->key = std::move(key);
  type->value = std::move(value);
  type->value_contains_null = value_contains_null;
  return type;
}

std::string DataType::TypeName() const {
  switch (kind) {
    case TypeKind::kNull: return "void";
    case TypeKind::kString: return "string";
    case TypeKind::kLong: return "long";
    case TypeKind::kInteger: return "integer";
    case TypeKind::kShort: return "short";
    case TypeKind::kByte: return "byte";
    case TypeKind::kDouble: return "double";
    case TypeKind::kFloat: return "float";
    case TypeKind::kBoolean: return "boolean";
    case TypeKind::kDecimal: return fmt::format("decimal({},{})", precision, scale);
    case TypeKind::kDate: return "date";
    case TypeKind::kTimestamp: return "timestamp";
    case TypeKind::kBinary: return "binary";
    case TypeKind::kVariant: return "variant";
    case TypeKind::kStruct: return "struct";
    case TypeKind::kArray: return "array";
    case TypeKind::kMap: return "map";
  }
  return "unknown";
}

const Field* DataType::FindField(const std::string& name) const {
  for (const Field& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

static bool SameType(const DataTypePtr& a, const DataTypePtr& b) {
  if (a == b) return true;
  if (!a || !b) return false;
  return *a == *b;
}

bool operator==(const DataType& a, const DataType& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case TypeKind::kDecimal:
      return a.precision == b.precision && a.scale == b.scale;
    case TypeKind::kStruct:
      return a.fields == b.fields;
    case TypeKind::kArray:
      return a.contains_null == b.contains_null && SameType(a.element, b.element);
    case TypeKind::kMap:
      return a.value_contains_null == b.value_contains_null && SameType(a.key, b.key) &&
             SameType(a.value, b.value);
    default:
      return true;
  }
}

bool operator==(const Field& a, const Field& b) {
  return a.name == b.name && a.nullable == b.nullable && SameType(a.type, b.type);
}

const Field* Schema::FindField(const std::string& name) const {
  for (const Field& field : fields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

bool operator==(const Schema& a, const Schema& b) { return a.fields == b.fields; }

int FindFieldIndexAnyCase(const std::vector<Field>& fields, const std::string& name) {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (EqualsIgnoreCase(fields[i].name, name)) return static_cast<int>(i);
  }
  return -1;
}

const Field* FindFieldAnyCase(const std::vector<Field>& fields, const std::string& name) {
  int index = FindFieldIndexAnyCase(fields, name);
  return index < 0 ? nullptr : &fields[static_cast<size_t>(index)];
}

namespace {

bool TypeContains(const DataTypePtr& type, TypeKind kind) {
  if (type == nullptr) return false;
  if (type->kind == kind) return true;
  for (const Field& field : type->fields) {
    if (TypeContains(field.type, kind)) return true;
  }
  return TypeContains(type->element, kind) || TypeContains(type->key, kind) || TypeContains(type->value, kind);
}

}  // namespace

bool SchemaContains(const Schema& schema, TypeKind kind) {
  for (const Field& field : schema.fields) {
    if (TypeContains(field.type, kind)) return true;
  }
  return false;
}

}  // namespace inlet
