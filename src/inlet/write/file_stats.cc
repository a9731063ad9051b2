// Delta per-file statistics: null counts for every leaf, min/max where readers use them for
// data skipping. Each batch contributes its own min/max (arrow::compute::MinMax); the file's
// values are the min/max of those, taken when the JSON is produced.
#include "inlet/write/file_stats.h"

#include <chrono>
#include <cmath>
#include <mutex>
#include <optional>

#include <arrow/api.h>
#include <arrow/compute/api_aggregate.h>
#include <arrow/compute/initialize.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace inlet::write {

using Json = nlohmann::ordered_json;

struct FileStatsCollector::Node {
  std::string name;
  std::shared_ptr<arrow::DataType> type;
  std::vector<std::unique_ptr<Node>> children;  // struct fields only
  int64_t null_count = 0;
  bool has_min_max = false;
  arrow::ScalarVector mins;  // one per batch with a non-null value
  arrow::ScalarVector maxs;
};

namespace {

using Node = FileStatsCollector::Node;

bool TypeHasMinMax(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::INT8:
    case arrow::Type::INT16:
    case arrow::Type::INT32:
    case arrow::Type::INT64:
    case arrow::Type::UINT8:
    case arrow::Type::UINT16:
    case arrow::Type::UINT32:
    case arrow::Type::UINT64:
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE:
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING:
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:
    case arrow::Type::TIMESTAMP:
      return true;
    default:
      // Booleans, binary, decimals, lists and maps: Delta readers do not skip on them (or
      // JSON cannot carry them exactly), so only their null count is kept.
      return false;
  }
}

std::unique_ptr<Node> MakeNode(const arrow::Field& field) {
  auto node = std::make_unique<Node>();
  node->name = field.name();
  node->type = field.type();
  if (field.type()->id() == arrow::Type::STRUCT) {
    for (const auto& child : field.type()->fields()) node->children.push_back(MakeNode(*child));
  } else {
    node->has_min_max = TypeHasMinMax(*field.type());
  }
  return node;
}

Status EnsureComputeInitialized() {
  // Arrow's compute kernels register lazily since Arrow 21; harmless to repeat, but once
  // is enough.
  static std::once_flag once;
  static Status status;
  std::call_once(once, [] { status = arrow::compute::Initialize(); });
  return status;
}

// `array` already carries its parents' nulls (GetFlattenedField), so a field under a null
// struct counts as null, as Spark counts it.
Status Accumulate(Node* node, const std::shared_ptr<arrow::Array>& array) {
  if (!node->children.empty()) {
    const auto& struct_array = static_cast<const arrow::StructArray&>(*array);
    for (size_t i = 0; i < node->children.size(); ++i) {
      INLET_ASSIGN_OR_RAISE(auto child, struct_array.GetFlattenedField(static_cast<int>(i)));
      INLET_RETURN_NOT_OK(Accumulate(node->children[i].get(), child));
    }
    return Status::OK();
  }
  node->null_count += array->null_count();
  if (!node->has_min_max || array->null_count() == array->length()) return Status::OK();
  INLET_ASSIGN_OR_RAISE(arrow::Datum result, arrow::compute::MinMax(array));
  const auto& pair = static_cast<const arrow::StructScalar&>(*result.scalar());
  if (pair.value[0]->is_valid) node->mins.push_back(pair.value[0]);
  if (pair.value[1]->is_valid) node->maxs.push_back(pair.value[1]);
  return Status::OK();
}

// Reduces the per-batch extremes to one value: min of mins (or max of maxs).
Result<std::shared_ptr<arrow::Scalar>> Reduce(const arrow::DataType& type,
                                              const arrow::ScalarVector& values, bool want_max) {
  if (values.size() == 1) return values[0];
  std::unique_ptr<arrow::ArrayBuilder> builder;
  INLET_RETURN_NOT_OK(arrow::MakeBuilder(arrow::default_memory_pool(),
                                         std::shared_ptr<arrow::DataType>(values[0]->type),
                                         &builder));
  INLET_RETURN_NOT_OK(builder->AppendScalars(values));
  INLET_ASSIGN_OR_RAISE(auto array, builder->Finish());
  INLET_ASSIGN_OR_RAISE(arrow::Datum result, arrow::compute::MinMax(array));
  const auto& pair = static_cast<const arrow::StructScalar&>(*result.scalar());
  return pair.value[want_max ? 1 : 0];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

std::string FormatDate(int64_t days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// Delta keeps timestamps to the millisecond: round the min down and the max up so the
// bounds stay bounds.
std::string FormatTimestamp(const arrow::TimestampScalar& scalar, bool is_max) {
  const auto& type = static_cast<const arrow::TimestampType&>(*scalar.type);
  int64_t value = scalar.value;
  int64_t millis = 0;
  switch (type.unit()) {
    case arrow::TimeUnit::SECOND:
      millis = value * 1000;
      break;
    case arrow::TimeUnit::MILLI:
      millis = value;
      break;
    case arrow::TimeUnit::MICRO:
      millis = is_max ? CeilDiv(value, 1000) : FloorDiv(value, 1000);
      break;
    case arrow::TimeUnit::NANO:
      millis = is_max ? CeilDiv(value, 1000000) : FloorDiv(value, 1000000);
      break;
  }
  int64_t days = FloorDiv(millis, 86400000);
  int64_t in_day = millis - days * 86400000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:03d}{}", FormatDate(days), in_day / 3600000,
                     (in_day / 60000) % 60, (in_day / 1000) % 60, in_day % 1000,
                     type.timezone().empty() ? "" : "Z");
}

// Byte length of the first `max_chars` UTF-8 characters of `text` (all of it if shorter).
size_t Utf8PrefixBytes(std::string_view text, size_t max_chars) {
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) return i;
      ++chars;
    }
  }
  return text.size();
}

std::optional<Json> ScalarToJson(const arrow::Scalar& scalar, bool is_max) {
  switch (scalar.type->id()) {
    case arrow::Type::INT8:
      return Json(static_cast<const arrow::Int8Scalar&>(scalar).value);
    case arrow::Type::INT16:
      return Json(static_cast<const arrow::Int16Scalar&>(scalar).value);
    case arrow::Type::INT32:
      return Json(static_cast<const arrow::Int32Scalar&>(scalar).value);
    case arrow::Type::INT64:
      return Json(static_cast<const arrow::Int64Scalar&>(scalar).value);
    case arrow::Type::UINT8:
      return Json(static_cast<const arrow::UInt8Scalar&>(scalar).value);
    case arrow::Type::UINT16:
      return Json(static_cast<const arrow::UInt16Scalar&>(scalar).value);
    case arrow::Type::UINT32:
      return Json(static_cast<const arrow::UInt32Scalar&>(scalar).value);
    case arrow::Type::UINT64:
      return Json(static_cast<const arrow::UInt64Scalar&>(scalar).value);
    case arrow::Type::FLOAT: {
      float value = static_cast<const arrow::FloatScalar&>(scalar).value;
      if (!std::isfinite(value)) return std::nullopt;  // all NaN, or infinite: no JSON form
      return Json(value);
    }
    case arrow::Type::DOUBLE: {
      double value = static_cast<const arrow::DoubleScalar&>(scalar).value;
      if (!std::isfinite(value)) return std::nullopt;
      return Json(value);
    }
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: {
      std::string_view text = static_cast<const arrow::BaseBinaryScalar&>(scalar).view();
      size_t prefix = Utf8PrefixBytes(text, kStatsStringPrefixChars);
      if (prefix < text.size() && is_max) return std::nullopt;
      return Json(std::string(text.substr(0, prefix)));
    }
    case arrow::Type::DATE32:
      return Json(FormatDate(static_cast<const arrow::Date32Scalar&>(scalar).value));
    case arrow::Type::DATE64: {
      int64_t millis = static_cast<const arrow::Date64Scalar&>(scalar).value;
      return Json(FormatDate(FloorDiv(millis, 86400000)));
    }
    case arrow::Type::TIMESTAMP:
      return Json(FormatTimestamp(static_cast<const arrow::TimestampScalar&>(scalar), is_max));
    default:
      return std::nullopt;
  }
}

// Fills `out` with the min (or max) of every leaf under `nodes`; structs without any value
// are left out rather than written as empty objects.
Status BoundsToJson(const std::vector<std::unique_ptr<Node>>& nodes, bool is_max, Json* out) {
  for (const auto& node : nodes) {
    if (!node->children.empty()) {
      Json nested = Json::object();
      INLET_RETURN_NOT_OK(BoundsToJson(node->children, is_max, &nested));
      if (!nested.empty()) (*out)[node->name] = std::move(nested);
      continue;
    }
    const arrow::ScalarVector& values = is_max ? node->maxs : node->mins;
    if (values.empty()) continue;
    INLET_ASSIGN_OR_RAISE(auto value, Reduce(*node->type, values, is_max));
    if (!value->is_valid) continue;
    std::optional<Json> json = ScalarToJson(*value, is_max);
    if (json) (*out)[node->name] = std::move(*json);
  }
  return Status::OK();
}

void NullCountsToJson(const std::vector<std::unique_ptr<Node>>& nodes, Json* out) {
  for (const auto& node : nodes) {
    if (!node->children.empty()) {
      Json nested = Json::object();
      NullCountsToJson(node->children, &nested);
      (*out)[node->name] = std::move(nested);
    } else {
      (*out)[node->name] = node->null_count;
    }
  }
}

}  // namespace

FileStatsCollector::FileStatsCollector(const arrow::Schema& schema) {
  for (const auto& field : schema.fields()) columns_.push_back(MakeNode(*field));
}
FileStatsCollector::~FileStatsCollector() = default;
FileStatsCollector::FileStatsCollector(FileStatsCollector&&) noexcept = default;
FileStatsCollector& FileStatsCollector::operator=(FileStatsCollector&&) noexcept = default;

Status FileStatsCollector::Add(const arrow::RecordBatch& batch) {
  INLET_RETURN_NOT_OK(EnsureComputeInitialized());
  if (batch.num_columns() != static_cast<int>(columns_.size())) {
    return Status::Invalid(fmt::format("stats: batch has {} columns, file schema has {}",
                                       batch.num_columns(), columns_.size()));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    INLET_RETURN_NOT_OK(Accumulate(columns_[i].get(), batch.column(static_cast<int>(i))));
  }
  num_records_ += batch.num_rows();
  return Status::OK();
}

Result<std::string> FileStatsCollector::ToJson() const {
  Json stats;
  stats["numRecords"] = num_records_;
  Json mins = Json::object(), maxs = Json::object(), nulls = Json::object();
  INLET_RETURN_NOT_OK(BoundsToJson(columns_, /*is_max=*/false, &mins));
  INLET_RETURN_NOT_OK(BoundsToJson(columns_, /*is_max=*/true, &maxs));
  NullCountsToJson(columns_, &nulls);
  stats["minValues"] = std::move(mins);
  stats["maxValues"] = std::move(maxs);
  stats["nullCount"] = std::move(nulls);
  return stats.dump();
}

}  // namespace inlet::write
