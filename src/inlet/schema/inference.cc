// The JSON inference lattice, following Spark's JsonInferSchema.compatibleType and
// TypeCoercion.findTightestCommonType so that inlet infers the schema Spark would.
#include "inlet/schema/inference.h"

#include <algorithm>
#include <optional>
#include <string>

namespace inlet {
namespace {

// Spark's numeric precedence for widening non-decimal numbers.
int NumericRank(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte: return 0;
    case TypeKind::kShort: return 1;
    case TypeKind::kInteger: return 2;
    case TypeKind::kLong: return 3;
    case TypeKind::kFloat: return 4;
    case TypeKind::kDouble: return 5;
    default: return -1;
  }
}

bool IsIntegral(TypeKind kind) { return NumericRank(kind) >= 0 && NumericRank(kind) <= 3; }

// DecimalType.forType: the decimal that holds every value of an integral type.
DataTypePtr DecimalForIntegral(TypeKind kind) {
  switch (kind) {
    case TypeKind::kByte: return DataType::Decimal(3, 0);
    case TypeKind::kShort: return DataType::Decimal(5, 0);
    case TypeKind::kInteger: return DataType::Decimal(10, 0);
    default: return DataType::Decimal(20, 0);
  }
}

bool DecimalIsWiderThan(const DataType& decimal, const DataType& other) {
  return decimal.precision - decimal.scale >= other.precision - other.scale &&
         decimal.scale >= other.scale;
}

// UTF-16 decoding of a UTF-8 name, for ordering names as Java's String.compareTo does.
std::u16string ToUtf16(const std::string& text) {
  std::u16string out;
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    char32_t cp = extra == 0 ? c : c & (0x3F >> extra);
    for (int k = 1; k <= extra && i + k < text.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
    }
    i += extra + 1;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

// Spark sorts inferred fields with Java string order (UTF-16 code units). UTF-8 byte order
// agrees with it unless a name holds a character beyond the BMP (4-byte UTF-8).
bool NameLess(const std::string& a, const std::string& b) {
  auto has_astral = [](const std::string& s) {
    return std::any_of(s.begin(), s.end(),
                       [](char c) { return static_cast<unsigned char>(c) >= 0xF0; });
  };
  if (has_astral(a) || has_astral(b)) return ToUtf16(a) < ToUtf16(b);
  return a < b;
}

std::vector<Field> SortedFields(std::vector<Field> fields) {
  std::stable_sort(fields.begin(), fields.end(),
                   [](const Field& x, const Field& y) { return NameLess(x.name, y.name); });
  return fields;
}

// Both inputs sorted by name; a merge walk like Spark's, so the result is sorted too.
std::vector<Field> MergeSortedFields(const std::vector<Field>& a, const std::vector<Field>& b) {
  std::vector<Field> merged;
  merged.reserve(std::max(a.size(), b.size()));
  size_t i = 0;
  size_t j = 0;
  while (i < a.size() && j < b.size()) {
    if (a[i].name == b[j].name) {
      Field field = a[i];
      field.type = MergeInferredTypes(a[i].type, b[j].type);
      field.nullable = true;
      merged.push_back(std::move(field));
      ++i;
      ++j;
    } else if (NameLess(a[i].name, b[j].name)) {
      merged.push_back(a[i++]);
    } else {
      merged.push_back(b[j++]);
    }
  }
  while (i < a.size()) merged.push_back(a[i++]);
  while (j < b.size()) merged.push_back(b[j++]);
  return merged;
}

// TypeCoercion.findTightestCommonType for the types inference meets.
std::optional<DataTypePtr> TightestCommonType(const DataTypePtr& a, const DataTypePtr& b) {
  if (a->kind == TypeKind::kNull) return b;
  if (b->kind == TypeKind::kNull) return a;
  // Structs and arrays go through the merge below so their fields come out sorted.
  if (a->kind != TypeKind::kStruct && a->kind != TypeKind::kArray && *a == *b) return a;
  int rank_a = NumericRank(a->kind);
  int rank_b = NumericRank(b->kind);
  if (rank_a >= 0 && rank_b >= 0) return rank_a >= rank_b ? a : b;
  if (IsIntegral(a->kind) && b->kind == TypeKind::kDecimal &&
      DecimalIsWiderThan(*b, *DecimalForIntegral(a->kind))) {
    return b;
  }
  if (IsIntegral(b->kind) && a->kind == TypeKind::kDecimal &&
      DecimalIsWiderThan(*a, *DecimalForIntegral(b->kind))) {
    return a;
  }
  if ((a->kind == TypeKind::kDate && b->kind == TypeKind::kTimestamp) ||
      (a->kind == TypeKind::kTimestamp && b->kind == TypeKind::kDate)) {
    return DataType::Timestamp();
  }
  return std::nullopt;
}

DataTypePtr FinalizeType(const DataTypePtr& type, bool drop_null_only);

// Spark's canonicalizeType for structs: fields with empty names go, a null-only field
// becomes string, and a struct left without fields is dropped (SPARK-8093).
std::vector<Field> FinalizeFields(const std::vector<Field>& fields, bool drop_null_only) {
  std::vector<Field> result;
  result.reserve(fields.size());
  for (const Field& field : fields) {
    if (field.name.empty()) continue;
    DataTypePtr type = FinalizeType(field.type, drop_null_only);
    if (!type) continue;
    Field copy = field;
    copy.type = std::move(type);
    result.push_back(std::move(copy));
  }
  return result;
}

// nullptr means "drop this field".
DataTypePtr FinalizeType(const DataTypePtr& type, bool drop_null_only) {
  switch (type->kind) {
    case TypeKind::kNull: return drop_null_only ? nullptr : DataType::String();
    case TypeKind::kArray: {
      DataTypePtr element = FinalizeType(type->element, drop_null_only);
      if (!element) return nullptr;
      if (element == type->element) return type;
      return DataType::Array(std::move(element), type->contains_null);
    }
    case TypeKind::kMap: {
      DataTypePtr value = FinalizeType(type->value, drop_null_only);
      if (!value) return nullptr;
      if (value == type->value) return type;
      return DataType::Map(type->key, std::move(value), type->value_contains_null);
    }
    case TypeKind::kStruct: {
      std::vector<Field> fields = FinalizeFields(type->fields, drop_null_only);
      if (fields.empty()) return nullptr;
      return DataType::Struct(std::move(fields));
    }
    default: return type;
  }
}

}  // namespace

DataTypePtr MergeInferredTypes(const DataTypePtr& a, const DataTypePtr& b) {
  if (!a) return b;
  if (!b) return a;
  if (a == b && a->is_primitive()) return a;  // the common case: same shared primitive
  if (auto tightest = TightestCommonType(a, b)) return *tightest;
  const TypeKind ka = a->kind;
  const TypeKind kb = b->kind;
  if ((ka == TypeKind::kDouble && kb == TypeKind::kDecimal) ||
      (ka == TypeKind::kDecimal && kb == TypeKind::kDouble)) {
    return DataType::Double();  // a double covers more range than any decimal
  }
  if (ka == TypeKind::kDecimal && kb == TypeKind::kDecimal) {
    int scale = std::max(a->scale, b->scale);
    int range = std::max(a->precision - a->scale, b->precision - b->scale);
    if (range + scale > 38) return DataType::Double();
    return DataType::Decimal(range + scale, scale);
  }
  if (ka == TypeKind::kStruct && kb == TypeKind::kStruct) {
    return DataType::Struct(MergeSortedFields(SortedFields(a->fields), SortedFields(b->fields)));
  }
  if (ka == TypeKind::kArray && kb == TypeKind::kArray) {
    return DataType::Array(MergeInferredTypes(a->element, b->element),
                           a->contains_null || b->contains_null);
  }
  if (IsIntegral(ka) && kb == TypeKind::kDecimal) {
    return MergeInferredTypes(DecimalForIntegral(ka), b);
  }
  if (ka == TypeKind::kDecimal && IsIntegral(kb)) {
    return MergeInferredTypes(a, DecimalForIntegral(kb));
  }
  // Every JSON value can be read as its text, so string is the top of the lattice.
  return DataType::String();
}

Schema MergeInferredSchemas(const Schema& a, const Schema& b) {
  Schema merged;
  merged.fields = MergeSortedFields(SortedFields(a.fields), SortedFields(b.fields));
  return merged;
}

Schema FinalizeInferredSchema(const Schema& schema, bool drop_null_only) {
  Schema result;
  result.fields = FinalizeFields(schema.fields, drop_null_only);
  return result;
}

}  // namespace inlet
