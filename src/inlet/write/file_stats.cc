// Delta per-file statistics: null counts for every leaf, min/max where readers use them for
// data skipping. Null counts are taken from the batches; min/max from the statistics the
// Parquet writer already keeps per row group (a second pass over every value cost about 8%
// of an ingest's CPU).
#include "inlet/write/file_stats.h"

#include <chrono>
#include <cmath>
#include <optional>

#include <string_view>
#include <variant>

#include <arrow/api.h>
#include <fmt/format.h>
#include <parquet/metadata.h>
#include <parquet/statistics.h>

#include <nlohmann/json.hpp>

namespace inlet::write {

using Json = nlohmann::ordered_json;

// A bound as Parquet stores it: integers, floating point, UTF-8 bytes, or days/microseconds
// since the epoch (dates, timestamps) as int64. std::variant orders values of one kind as
// the column's sort order does (strings: unsigned bytes, as Parquet's UTF8 order).
using Bound = std::variant<int64_t, uint64_t, double, std::string>;

struct FileStatsCollector::Node {
  std::string name;
  std::shared_ptr<arrow::DataType> type;
  std::vector<std::unique_ptr<Node>> children;  // struct fields only
  int64_t null_count = 0;
  bool has_min_max = false;
  int leaf = -1;          // its Parquet column index, when has_min_max
  bool bounded = true;    // false once a row group has values but no min/max
  std::optional<Bound> min;
  std::optional<Bound> max;
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
      // Booleans, binary, decimals, lists, maps and variants (extension types): Delta readers do not skip on them (or
      // JSON cannot carry them exactly), so only their null count is kept.
      return false;
  }
}

// How many Parquet leaf columns an Arrow type becomes (structs, lists and maps flatten).
int ParquetLeafCount(const arrow::DataType& type) {
  switch (type.id()) {
    case arrow::Type::STRUCT:
    case arrow::Type::LIST:
    case arrow::Type::LARGE_LIST:
    case arrow::Type::FIXED_SIZE_LIST:
    case arrow::Type::MAP: {
      int count = 0;
      for (const auto& child : type.fields()) count += ParquetLeafCount(*child->type());
      return count;
    }
    case arrow::Type::EXTENSION:  // a variant: its storage struct's leaves
      return ParquetLeafCount(*static_cast<const arrow::ExtensionType&>(type).storage_type());
    default:
      return 1;
  }
}

std::unique_ptr<Node> MakeNode(const arrow::Field& field, int* next_leaf) {
  auto node = std::make_unique<Node>();
  node->name = field.name();
  node->type = field.type();
  if (field.type()->id() == arrow::Type::STRUCT) {
    for (const auto& child : field.type()->fields()) node->children.push_back(MakeNode(*child, next_leaf));
    return node;
  }
  node->has_min_max = TypeHasMinMax(*field.type());
  node->leaf = *next_leaf;
  *next_leaf += ParquetLeafCount(*field.type());
  return node;
}

bool IsUnsigned(arrow::Type::type id) {
  return id == arrow::Type::UINT8 || id == arrow::Type::UINT16 || id == arrow::Type::UINT32 ||
         id == arrow::Type::UINT64;
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
int64_t CeilDiv(int64_t a, int64_t b) { return -FloorDiv(-a, b); }

// A timestamp bound in microseconds, whatever unit the file stores (the writer coerces to
// microseconds; the others are handled so a change there cannot make bounds wrong).
int64_t ToMicros(int64_t value, const parquet::ColumnDescriptor& column, bool is_max) {
  const auto& logical = column.logical_type();
  if (!logical || !logical->is_timestamp()) return value;
  switch (static_cast<const parquet::TimestampLogicalType&>(*logical).time_unit()) {
    case parquet::LogicalType::TimeUnit::MILLIS:
      return value * 1000;
    case parquet::LogicalType::TimeUnit::NANOS:
      return is_max ? CeilDiv(value, 1000) : FloorDiv(value, 1000);
    default:
      return value;
  }
}

// One row group's min and max of a leaf, as bounds of the leaf's Arrow type.
std::pair<Bound, Bound> ChunkBounds(const Node& node, const parquet::Statistics& stats) {
  const bool is_unsigned = IsUnsigned(node.type->id());
  switch (stats.physical_type()) {
    case parquet::Type::INT32: {
      const auto& typed = static_cast<const parquet::Int32Statistics&>(stats);
      if (is_unsigned) return {uint64_t{static_cast<uint32_t>(typed.min())}, uint64_t{static_cast<uint32_t>(typed.max())}};
      return {int64_t{typed.min()}, int64_t{typed.max()}};
    }
    case parquet::Type::INT64: {
      const auto& typed = static_cast<const parquet::Int64Statistics&>(stats);
      if (is_unsigned) return {static_cast<uint64_t>(typed.min()), static_cast<uint64_t>(typed.max())};
      if (node.type->id() == arrow::Type::TIMESTAMP) {
        return {ToMicros(typed.min(), *stats.descr(), false), ToMicros(typed.max(), *stats.descr(), true)};
      }
      return {int64_t{typed.min()}, int64_t{typed.max()}};
    }
    case parquet::Type::FLOAT: {
      const auto& typed = static_cast<const parquet::FloatStatistics&>(stats);
      return {double{typed.min()}, double{typed.max()}};
    }
    case parquet::Type::DOUBLE: {
      const auto& typed = static_cast<const parquet::DoubleStatistics&>(stats);
      return {typed.min(), typed.max()};
    }
    default: {  // BYTE_ARRAY: strings
      const auto& typed = static_cast<const parquet::ByteArrayStatistics&>(stats);
      auto text = [](const parquet::ByteArray& value) {
        return std::string(reinterpret_cast<const char*>(value.ptr), value.len);
      };
      return {text(typed.min()), text(typed.max())};
    }
  }
}

// Folds every row group's statistics of `node`'s leaf into its bounds.
void ReadBounds(Node* node, const parquet::FileMetaData& footer) {
  if (!node->children.empty()) {
    for (auto& child : node->children) ReadBounds(child.get(), footer);
    return;
  }
  if (!node->has_min_max) return;
  const bool floating = node->type->id() == arrow::Type::FLOAT || node->type->id() == arrow::Type::DOUBLE;
  for (int group = 0; group < footer.num_row_groups() && node->bounded; ++group) {
    std::shared_ptr<parquet::Statistics> stats = footer.RowGroup(group)->ColumnChunk(node->leaf)->statistics();
    if (!stats) {
      node->bounded = false;
      break;
    }
    if (stats->num_values() == 0) continue;  // only nulls here
    if (!stats->HasMinMax()) {
      // Parquet leaves NaN out of floating-point bounds (all NaN: no bounds), as Delta
      // readers expect; anything else without bounds (a value too long for the footer)
      // leaves the file without them.
      if (!floating) node->bounded = false;
      continue;
    }
    auto [min, max] = ChunkBounds(*node, *stats);
    if (!node->min || min < *node->min) node->min = std::move(min);
    if (!node->max || *node->max < max) node->max = std::move(max);
  }
}

std::string FormatDate(int64_t days) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  return fmt::format("{:04d}-{:02d}-{:02d}", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
}

// Delta keeps timestamps to the millisecond: round the min down and the max up so the
// bounds stay bounds.
std::string FormatTimestamp(int64_t micros, bool utc, bool is_max) {
  const int64_t millis = is_max ? CeilDiv(micros, 1000) : FloorDiv(micros, 1000);
  int64_t days = FloorDiv(millis, 86400000);
  int64_t in_day = millis - days * 86400000;
  return fmt::format("{}T{:02d}:{:02d}:{:02d}.{:03d}{}", FormatDate(days), in_day / 3600000,
                     (in_day / 60000) % 60, (in_day / 1000) % 60, in_day % 1000, utc ? "Z" : "");
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

std::optional<Json> BoundToJson(const arrow::DataType& type, const Bound& bound, bool is_max) {
  switch (type.id()) {
    case arrow::Type::FLOAT:
    case arrow::Type::DOUBLE: {
      const double value = std::get<double>(bound);
      if (!std::isfinite(value)) return std::nullopt;  // infinite: no JSON form
      if (type.id() == arrow::Type::FLOAT) return Json(static_cast<float>(value));
      return Json(value);
    }
    case arrow::Type::STRING:
    case arrow::Type::LARGE_STRING: {
      const std::string& text = std::get<std::string>(bound);
      const size_t prefix = Utf8PrefixBytes(text, kStatsStringPrefixChars);
      if (prefix < text.size() && is_max) return std::nullopt;
      return Json(text.substr(0, prefix));
    }
    case arrow::Type::DATE32:
    case arrow::Type::DATE64:  // Parquet stores both as days
      return Json(FormatDate(std::get<int64_t>(bound)));
    case arrow::Type::TIMESTAMP:
      return Json(FormatTimestamp(std::get<int64_t>(bound),
                                  !static_cast<const arrow::TimestampType&>(type).timezone().empty(), is_max));
    default:
      if (std::holds_alternative<uint64_t>(bound)) return Json(std::get<uint64_t>(bound));
      return Json(std::get<int64_t>(bound));
  }
}

// Adds `key` to the object `out` without looking it up: ordered_json's operator[] scans its
// members, which made a table with thousands of columns quadratic. Column names are unique
// at each level, so nothing is ever added twice.
void AddMember(Json* out, const std::string& key, Json value) {
  out->get_ref<Json::object_t&>().emplace_back(key, std::move(value));
}

// Fills `out` with the min (or max) of every leaf under `nodes`; structs without any value
// are left out rather than written as empty objects.
void BoundsToJson(const std::vector<std::unique_ptr<Node>>& nodes, bool is_max, Json* out) {
  for (const auto& node : nodes) {
    if (!node->children.empty()) {
      Json nested = Json::object();
      BoundsToJson(node->children, is_max, &nested);
      if (!nested.empty()) AddMember(out, node->name, std::move(nested));
      continue;
    }
    const std::optional<Bound>& bound = is_max ? node->max : node->min;
    if (!node->bounded || !bound) continue;
    std::optional<Json> json = BoundToJson(*node->type, *bound, is_max);
    if (json) AddMember(out, node->name, std::move(*json));
  }
}

// `array` already carries its parents' nulls (GetFlattenedField), so a field under a null
// struct counts as null, as Spark counts it.
Status CountNulls(Node* node, const std::shared_ptr<arrow::Array>& array) {
  if (!node->children.empty()) {
    const auto& struct_array = static_cast<const arrow::StructArray&>(*array);
    for (size_t i = 0; i < node->children.size(); ++i) {
      INLET_ASSIGN_OR_RAISE(auto child, struct_array.GetFlattenedField(static_cast<int>(i)));
      INLET_RETURN_NOT_OK(CountNulls(node->children[i].get(), child));
    }
    return Status::OK();
  }
  node->null_count += array->null_count();
  return Status::OK();
}

void NullCountsToJson(const std::vector<std::unique_ptr<Node>>& nodes, Json* out) {
  for (const auto& node : nodes) {
    if (!node->children.empty()) {
      Json nested = Json::object();
      NullCountsToJson(node->children, &nested);
      AddMember(out, node->name, std::move(nested));
    } else {
      AddMember(out, node->name, Json(node->null_count));
    }
  }
}

}  // namespace

FileStatsCollector::FileStatsCollector(const arrow::Schema& schema) {
  for (const auto& field : schema.fields()) columns_.push_back(MakeNode(*field, &num_leaves_));
}
FileStatsCollector::~FileStatsCollector() = default;
FileStatsCollector::FileStatsCollector(FileStatsCollector&&) noexcept = default;
FileStatsCollector& FileStatsCollector::operator=(FileStatsCollector&&) noexcept = default;

Status FileStatsCollector::Add(const arrow::RecordBatch& batch) {
  if (batch.num_columns() != static_cast<int>(columns_.size())) {
    return Status::Invalid(fmt::format("stats: batch has {} columns, file schema has {}",
                                       batch.num_columns(), columns_.size()));
  }
  for (size_t i = 0; i < columns_.size(); ++i) {
    INLET_RETURN_NOT_OK(CountNulls(columns_[i].get(), batch.column(static_cast<int>(i))));
  }
  num_records_ += batch.num_rows();
  return Status::OK();
}

Status FileStatsCollector::AddBounds(const parquet::FileMetaData& footer) {
  if (footer.num_columns() != num_leaves_) {
    return Status::Invalid(fmt::format("stats: the Parquet file has {} leaf columns, the schema gives {}",
                                       footer.num_columns(), num_leaves_));
  }
  for (auto& column : columns_) ReadBounds(column.get(), footer);
  return Status::OK();
}

Result<std::string> FileStatsCollector::ToJson() const {
  Json stats;
  stats["numRecords"] = num_records_;
  Json mins = Json::object(), maxs = Json::object(), nulls = Json::object();
  BoundsToJson(columns_, /*is_max=*/false, &mins);
  BoundsToJson(columns_, /*is_max=*/true, &maxs);
  NullCountsToJson(columns_, &nulls);
  stats["minValues"] = std::move(mins);
  stats["maxValues"] = std::move(maxs);
  stats["nullCount"] = std::move(nulls);
  return stats.dump();
}

}  // namespace inlet::write
