// inlet's schema model: Spark SQL data types, the vocabulary users see in printSchema,
// DDL, Delta's schemaString and the _schemas/N files. Arrow types are derived from it.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace inlet {

enum class TypeKind {
  kNull,  // only during inference: a field seen only as JSON null
  kString,
  kLong,
  kInteger,
  kShort,
  kByte,
  kDouble,
  kFloat,
  kBoolean,
  kDecimal,
  kDate,
  kTimestamp,
  kBinary,
  kVariant,  // semi-structured: Delta's variantType, stored as Parquet's VARIANT encoding
  kStruct,
  kArray,
  kMap,
};

struct DataType;
using DataTypePtr = std::shared_ptr<const DataType>;

struct Field {
  std::string name;
  DataTypePtr type;
  bool nullable = true;
  // The field's Spark metadata object as JSON text; "{}" when empty. Kept verbatim so a
  // schema read from Delta or _schemas/N round-trips.
  std::string metadata_json = "{}";
};

// Immutable once built; share with DataTypePtr.
struct DataType {
  TypeKind kind = TypeKind::kString;
  int precision = 0;  // kDecimal
  int scale = 0;      // kDecimal
  std::vector<Field> fields;        // kStruct, in order
  DataTypePtr element;              // kArray
  bool contains_null = true;        // kArray
  DataTypePtr key;                  // kMap
  DataTypePtr value;                // kMap
  bool value_contains_null = true;  // kMap

  static DataTypePtr Null();
  static DataTypePtr String();
  static DataTypePtr Long();
  static DataTypePtr Integer();
  static DataTypePtr Short();
  static DataTypePtr Byte();
  static DataTypePtr Double();
  static DataTypePtr Float();
  static DataTypePtr Boolean();
  static DataTypePtr Date();
  static DataTypePtr Timestamp();
  static DataTypePtr Binary();
  static DataTypePtr Variant();
  static DataTypePtr Decimal(int precision, int scale);
  static DataTypePtr Struct(std::vector<Field> fields);
  static DataTypePtr Array(DataTypePtr element, bool contains_null = true);
  static DataTypePtr Map(DataTypePtr key, DataTypePtr value, bool value_contains_null = true);

  bool is_primitive() const {
    return kind != TypeKind::kStruct && kind != TypeKind::kArray && kind != TypeKind::kMap;
  }
  // Spark's JSON / printSchema name: "string", "long", "decimal(9,6)", "struct", ...
  std::string TypeName() const;
  // A field of a struct by exact name, or nullptr.
  const Field* FindField(const std::string& name) const;
};

bool operator==(const DataType& a, const DataType& b);
inline bool operator!=(const DataType& a, const DataType& b) { return !(a == b); }
bool operator==(const Field& a, const Field& b);  // name, type, nullable (not metadata)

// A table or stream schema: the top-level struct's fields.
struct Schema {
  std::vector<Field> fields;

  const Field* FindField(const std::string& name) const;
  DataTypePtr AsStruct() const { return DataType::Struct(fields); }
};

bool operator==(const Schema& a, const Schema& b);

// Whether a type of `kind` occurs anywhere in `schema`, nested or not.
bool SchemaContains(const Schema& schema, TypeKind kind);

// A field among `fields` by name: an exact match first, else an ASCII case-insensitive one
// (Delta column names are case-insensitive). -1 / nullptr when absent.
int FindFieldIndexAnyCase(const std::vector<Field>& fields, const std::string& name);
const Field* FindFieldAnyCase(const std::vector<Field>& fields, const std::string& name);
inline bool operator!=(const Schema& a, const Schema& b) { return !(a == b); }

}  // namespace inlet
