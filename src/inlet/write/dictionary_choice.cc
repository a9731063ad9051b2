// Dictionary or plain, per column, from a sample of a data file's first batch.
#include "inlet/write/dictionary_choice.h"

#include <cstdint>
#include <string_view>
#include <unordered_set>

#include <arrow/api.h>

namespace inlet::write {
namespace {

// True when the sampled non-null values of `array` are mostly distinct.
template <typename Value, typename Get>
bool MostlyDistinct(const arrow::Array& array, Get get) {
  const int64_t rows = std::min<int64_t>(array.length(), kDictionarySampleRows);
  std::unordered_set<Value> distinct;
  int64_t sampled = 0;
  for (int64_t i = 0; i < rows; ++i) {
    if (array.IsNull(i)) continue;
    ++sampled;
    distinct.insert(get(i));
  }
  return sampled >= kDictionaryMinSample && static_cast<int64_t>(distinct.size()) * 2 > sampled;
}

bool WritePlain(const arrow::Array& array) {
  switch (array.type_id()) {
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
      return true;
    case arrow::Type::STRING:
    case arrow::Type::BINARY: {
      const auto& strings = static_cast<const arrow::BinaryArray&>(array);
      return MostlyDistinct<std::string_view>(array, [&](int64_t i) { return strings.GetView(i); });
    }
    case arrow::Type::INT64:
    case arrow::Type::TIMESTAMP: {
      const int64_t* values = array.data()->GetValues<int64_t>(1);
      return MostlyDistinct<int64_t>(array, [&](int64_t i) { return values[i]; });
    }
    case arrow::Type::INT32:
    case arrow::Type::DATE32: {
      const int32_t* values = array.data()->GetValues<int32_t>(1);
      return MostlyDistinct<int32_t>(array, [&](int64_t i) { return values[i]; });
    }
    default:
      return false;  // small integers, booleans, decimals: Parquet's default
  }
}

void Collect(const arrow::Field& field, const arrow::Array& array, const std::string& prefix,
             std::vector<std::string>* out) {
  const std::string path = prefix.empty() ? field.name() : prefix + "." + field.name();
  if (array.type_id() == arrow::Type::STRUCT) {
    const auto& struct_array = static_cast<const arrow::StructArray&>(array);
    for (int i = 0; i < struct_array.num_fields(); ++i) {
      Collect(*field.type()->field(i), *struct_array.field(i), path, out);
    }
    return;
  }
  // Lists and maps keep Parquet's defaults.
  if (array.type_id() == arrow::Type::LIST || array.type_id() == arrow::Type::MAP) return;
  if (WritePlain(array)) out->push_back(path);
}

}  // namespace

std::vector<std::string> PlainEncodedColumnPaths(const arrow::RecordBatch& first_batch) {
  std::vector<std::string> paths;
  for (int i = 0; i < first_batch.num_columns(); ++i) {
    Collect(*first_batch.schema()->field(i), *first_batch.column(i), "", &paths);
  }
  return paths;
}

}  // namespace inlet::write
