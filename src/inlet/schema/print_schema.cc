// Spark's printSchema / treeString layout (StructType.treeString), reproduced byte for byte.
#include "inlet/schema/print_schema.h"

namespace inlet {
namespace {

void AppendChildren(const DataType& type, const std::string& prefix, std::string* out);

// One "name: type (nullable = ...)" line and, for nested types, the lines below it. Each
// level down appends "    |" to the prefix, as Spark's buildFormattedString does.
void AppendField(const Field& field, const std::string& prefix, std::string* out) {
  out->append(prefix).append("-- ").append(field.name).append(": ");
  out->append(field.type->TypeName());
  out->append(field.nullable ? " (nullable = true)\n" : " (nullable = false)\n");
  AppendChildren(*field.type, prefix + "    |", out);
}

void AppendChildren(const DataType& type, const std::string& prefix, std::string* out) {
  switch (type.kind) {
    case TypeKind::kStruct:
      for (const Field& field : type.fields) AppendField(field, prefix, out);
      return;
    case TypeKind::kArray:
      out->append(prefix).append("-- element: ").append(type.element->TypeName());
      out->append(type.contains_null ? " (containsNull = true)\n" : " (containsNull = false)\n");
      AppendChildren(*type.element, prefix + "    |", out);
      return;
    case TypeKind::kMap:
      out->append(prefix).append("-- key: ").append(type.key->TypeName()).append("\n");
      AppendChildren(*type.key, prefix + "    |", out);
      out->append(prefix).append("-- value: ").append(type.value->TypeName());
      out->append(type.value_contains_null ? " (valueContainsNull = true)\n"
                                           : " (valueContainsNull = false)\n");
      AppendChildren(*type.value, prefix + "    |", out);
      return;
    default:
      return;
  }
}

}  // namespace

std::string PrintSchemaTree(const Schema& schema) {
  std::string out = "root\n";
  for (const Field& field : schema.fields) AppendField(field, " |", &out);
  return out;
}

}  // namespace inlet
