// Reads a Delta snapshot's data files into one Arrow table in the table's current schema,
// filling columns and struct fields a file predates with nulls (schema evolution).
#include "inlet/query/table_reader.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <parquet/arrow/reader.h>

#include "inlet/delta/features.h"
#include "inlet/schema/arrow_convert.h"
#include "inlet/schema/spark_json.h"
#include "inlet/storage/file_system.h"

namespace inlet::query {
namespace {

// Delta add paths are URL-encoded relative paths (or, rarely, absolute file: URIs).
std::string DataFilePath(const std::string& table_dir, const std::string& add_path) {
  std::string decoded;
  for (size_t i = 0; i < add_path.size(); ++i) {
    if (add_path[i] == '%' && i + 2 < add_path.size() && std::isxdigit(static_cast<unsigned char>(add_path[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(add_path[i + 2]))) {
      decoded += static_cast<char>(std::stoi(add_path.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += add_path[i];
    }
  }
  // Absolute: a path, or a URI on the storage its scheme names (opened by Resolve).
  if (!decoded.empty() && (decoded.front() == '/' || decoded.find("://") != std::string::npos ||
                           decoded.rfind("file:", 0) == 0)) {
    return decoded;
  }
  return table_dir + "/" + decoded;
}

int FindChild(const arrow::DataType& type, const std::string& name) {
  for (int i = 0; i < type.num_fields(); ++i) {
    if (type.field(i)->name() == name) return i;
  }
  return -1;
}

Result<std::shared_ptr<arrow::Array>> Conform(const std::shared_ptr<arrow::Array>& array,
                                              const std::shared_ptr<arrow::DataType>& target,
                                              const std::string& path);

// Children are conformed unsliced (full child_data) so the parent's offset and validity
// bitmap can be reused as they are.
Result<std::shared_ptr<arrow::ArrayData>> ConformStruct(const arrow::ArrayData& data,
                                                        const std::shared_ptr<arrow::DataType>& target,
                                                        const std::string& path, bool by_position) {
  const int64_t full_length = data.offset + data.length;
  std::vector<std::shared_ptr<arrow::ArrayData>> children;
  for (int i = 0; i < target->num_fields(); ++i) {
    const auto& field = target->field(i);
    const int source = by_position ? i : FindChild(*data.type, field->name());
    std::shared_ptr<arrow::Array> child;
    if (source < 0 || source >= static_cast<int>(data.child_data.size())) {
      INLET_ASSIGN_OR_RAISE(child, arrow::MakeArrayOfNull(field->type(), full_length));
    } else {
      INLET_ASSIGN_OR_RAISE(child, Conform(arrow::MakeArray(data.child_data[source]), field->type(),
                                           path + "." + field->name()));
    }
    children.push_back(child->data());
  }
  return arrow::ArrayData::Make(target, data.length, {data.buffers[0]}, std::move(children), data.null_count,
                                data.offset);
}

Result<std::shared_ptr<arrow::Array>> Conform(const std::shared_ptr<arrow::Array>& array,
                                              const std::shared_ptr<arrow::DataType>& target,
                                              const std::string& path) {
  if (array->type()->Equals(*target)) return array;
  const auto& data = *array->data();
  switch (target->id()) {
    case arrow::Type::EXTENSION: {
      // A variant column: its storage struct, whichever order the writer gave its fields
      // (Spark writes value before metadata), under the extension type.
      const auto& storage = static_cast<const arrow::ExtensionType&>(*target).storage_type();
      auto source = array->type_id() == arrow::Type::EXTENSION
                        ? static_cast<const arrow::ExtensionArray&>(*array).storage()
                        : array;
      INLET_ASSIGN_OR_RAISE(auto conformed, Conform(source, storage, path));
      return arrow::MakeArray(RetypeArrayData(conformed->data(), target));
    }
    case arrow::Type::STRUCT:
      if (array->type_id() != arrow::Type::STRUCT) break;
      return arrow::MakeArray(*ConformStruct(data, target, path, /*by_position=*/false));
    case arrow::Type::LIST: {
      if (array->type_id() != arrow::Type::LIST) break;
      const auto& element = static_cast<const arrow::ListType&>(*target).value_type();
      INLET_ASSIGN_OR_RAISE(auto values, Conform(arrow::MakeArray(data.child_data[0]), element, path + "[]"));
      return arrow::MakeArray(arrow::ArrayData::Make(target, data.length, data.buffers, {values->data()},
                                                     data.null_count, data.offset));
    }
    case arrow::Type::MAP: {
      if (array->type_id() != arrow::Type::MAP) break;
      // Entries are matched by position: writers name them key/value or key/val.
      const auto& entries_type = static_cast<const arrow::MapType&>(*target).value_type();
      INLET_ASSIGN_OR_RAISE(auto entries, ConformStruct(*data.child_data[0], entries_type, path, true));
      return arrow::MakeArray(arrow::ArrayData::Make(target, data.length, data.buffers, {entries},
                                                     data.null_count, data.offset));
    }
    default: break;
  }
  // Widened numbers (int -> long, float -> double) and timestamp units: a plain cast.
  arrow::compute::CastOptions options = arrow::compute::CastOptions::Safe(target);
  options.allow_time_truncate = true;
  auto cast = arrow::compute::Cast(*array, target, options);
  if (!cast.ok()) {
    return Status::Invalid(fmt::format("column '{}' is {} in a data file but {} in the table schema: {}", path,
                                       array->type()->ToString(), target->ToString(), cast.status().message()));
  }
  return *cast;
}

// How one top-level table column is found: in the data file by its physical name (or field
// id, column mapping id mode), or, for a partition column, in the add's partitionValues.
struct ColumnSource {
  std::string physical;  // the logical name without column mapping
  int64_t field_id = -1;
  bool partition = false;
};

int FindFileColumn(const arrow::Schema& file_schema, const ColumnSource& source) {
  if (source.field_id >= 0) {
    for (int i = 0; i < file_schema.num_fields(); ++i) {
      const auto& metadata = file_schema.field(i)->metadata();
      if (!metadata) continue;
      auto id = metadata->Get("PARQUET:field_id");
      if (id.ok() && *id == std::to_string(source.field_id)) return i;
    }
  }
  return file_schema.GetFieldIndex(source.physical);
}

// A partition value repeated `rows` times, in `type`. Timestamps are written without a zone
// ("2024-01-01 10:00:00"), which Arrow will not cast to a zoned type: read as UTC.
Result<std::shared_ptr<arrow::Array>> PartitionValueArray(const std::string& text,
                                                          const std::shared_ptr<arrow::DataType>& type, int64_t rows,
                                                          const std::string& column) {
  INLET_ASSIGN_OR_RAISE(auto texts, arrow::MakeArrayFromScalar(arrow::StringScalar(text), rows));
  if (type->id() == arrow::Type::TIMESTAMP) {
    const auto& timestamp = static_cast<const arrow::TimestampType&>(*type);
    const bool zoned_text = text.find('Z') != std::string::npos || text.find('+') != std::string::npos ||
                            (text.size() > 19 && text.find('-', 19) != std::string::npos);
    if (!timestamp.timezone().empty() && !zoned_text) {
      auto naive = arrow::compute::Cast(*texts, arrow::timestamp(timestamp.unit()));
      if (!naive.ok()) {
        return Status::Invalid(fmt::format("partition value '{}' of column '{}' is not a timestamp", text, column));
      }
      auto data = (*naive)->data()->Copy();
      data->type = type;
      return arrow::MakeArray(data);
    }
  }
  return Conform(texts, type, column);
}

// `table` (one data file, rows in file order) without the rows its deletion vector names.
Result<std::shared_ptr<arrow::Table>> WithoutDeletedRows(const std::shared_ptr<arrow::Table>& table,
                                                         const delta::DeletionVectorDescriptor& descriptor,
                                                         const std::string& table_dir, const std::string& path) {
  INLET_ASSIGN_OR_RAISE(auto deleted, delta::ReadDeletionVector(descriptor, table_dir, path));
  const int64_t rows = table->num_rows();
  std::vector<bool> keep(static_cast<size_t>(rows), true);
  for (uint64_t row : deleted) {
    if (row >= static_cast<uint64_t>(rows)) {
      return Status::Invalid(fmt::format("deletion vector of data file {} deletes row {}, but the file has {} rows",
                                         path, row, rows));
    }
    keep[row] = false;
  }
  arrow::BooleanBuilder mask;
  INLET_RETURN_NOT_OK(mask.AppendValues(keep));
  INLET_ASSIGN_OR_RAISE(auto mask_array, mask.Finish());
  INLET_ASSIGN_OR_RAISE(arrow::Datum filtered, arrow::compute::Filter(table, mask_array));
  return filtered.table();
}

// One data file as a table in `schema` (logical names), read through `physical` (the same
// columns under their physical names) and `sources`; `all_columns` false decodes only the
// columns asked for.
Result<std::shared_ptr<arrow::Table>> ReadDataFile(const std::string& table_dir, const std::string& path,
                                                   const delta::AddFile& add,
                                                   const std::shared_ptr<arrow::Schema>& schema,
                                                   const std::shared_ptr<arrow::Schema>& physical,
                                                   const std::vector<ColumnSource>& sources, bool all_columns) {
  auto fail = [&](const Status& status) {
    return Status::IOError(fmt::format("reading data file {}: {}", path, status.message()));
  };
  auto place = storage::Resolve("", path);
  if (!place.ok()) return fail(place.status());
  auto input = place->fs->OpenForRead(place->path);
  if (!input.ok()) return fail(input.status());
  auto reader = parquet::arrow::OpenFile(*input, arrow::default_memory_pool());
  if (!reader.ok()) return fail(reader.status());
  std::shared_ptr<arrow::Schema> file_schema;
  INLET_RETURN_NOT_OK((*reader)->GetSchema(&file_schema));
  std::vector<int> file_index;
  for (const ColumnSource& source : sources) {
    file_index.push_back(source.partition ? -1 : FindFileColumn(*file_schema, source));
  }
  std::shared_ptr<arrow::Table> file_table;
  if (all_columns) {
    auto read = (*reader)->ReadTable();
    if (!read.ok()) return fail(read.status());
    file_table = *read;
  } else {
    arrow::FieldVector fields;
    arrow::ChunkedArrayVector read_columns;
    for (int index : file_index) {
      if (index < 0 || std::find(fields.begin(), fields.end(), file_schema->field(index)) != fields.end()) continue;
      std::shared_ptr<arrow::ChunkedArray> column;
      Status read = (*reader)->ReadColumn(index, &column);  // a top-level field, nested or not
      if (!read.ok()) return fail(read);
      fields.push_back(file_schema->field(index));
      read_columns.push_back(std::move(column));
    }
    file_table = arrow::Table::Make(arrow::schema(std::move(fields)), std::move(read_columns),
                                    (*reader)->parquet_reader()->metadata()->num_rows());
  }

  // The row count comes from the footer: a file may have none of the columns.
  const int64_t rows = (*reader)->parquet_reader()->metadata()->num_rows();
  arrow::ChunkedArrayVector columns;
  for (int i = 0; i < schema->num_fields(); ++i) {
    const auto& field = schema->field(i);
    const auto& physical_type = physical->field(i)->type();
    const int index = file_index[i] < 0 ? -1 : file_table->schema()->GetFieldIndex(file_schema->field(file_index[i])->name());
    std::shared_ptr<arrow::Array> filled;
    if (index < 0) {
      // Partition columns live in the log, not the file; other missing columns are null.
      auto partition = add.partition_values.find(sources[i].physical);
      if (sources[i].partition && partition != add.partition_values.end() && !partition->second.empty()) {
        auto conformed = PartitionValueArray(partition->second, physical_type, rows, field->name());
        if (!conformed.ok()) return fail(conformed.status());
        filled = *conformed;
      } else {
        INLET_ASSIGN_OR_RAISE(filled, arrow::MakeArrayOfNull(physical_type, rows));
      }
      columns.push_back(std::make_shared<arrow::ChunkedArray>(arrow::MakeArray(RetypeArrayData(filled->data(), field->type()))));
      continue;
    }
    arrow::ArrayVector chunks;
    for (const auto& chunk : file_table->column(index)->chunks()) {
      auto conformed = Conform(chunk, physical_type, field->name());
      if (!conformed.ok()) return fail(conformed.status());
      chunks.push_back(arrow::MakeArray(RetypeArrayData((*conformed)->data(), field->type())));
    }
    INLET_ASSIGN_OR_RAISE(auto column, arrow::ChunkedArray::Make(std::move(chunks), field->type()));
    columns.push_back(std::move(column));
  }
  auto table = arrow::Table::Make(schema, std::move(columns), rows);
  if (!add.deletion_vector) return table;
  return WithoutDeletedRows(table, *add.deletion_vector, table_dir, path);
}

std::string MetadataString(const Field& field, const char* key) {
  auto metadata = nlohmann::json::parse(field.metadata_json, nullptr, /*allow_exceptions=*/false);
  if (!metadata.is_object()) return "";
  auto it = metadata.find(key);
  if (it == metadata.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  return "";
}

DataTypePtr PhysicalType(const DataTypePtr& type);

Field PhysicalField(const Field& field) {
  Field out = field;
  const std::string physical = MetadataString(field, "delta.columnMapping.physicalName");
  if (!physical.empty()) out.name = physical;
  out.type = PhysicalType(field.type);
  return out;
}

// `type` with every nested struct field under its physical name.
DataTypePtr PhysicalType(const DataTypePtr& type) {
  if (!type) return type;
  switch (type->kind) {
    case TypeKind::kStruct: {
      auto out = std::make_shared<DataType>(*type);
      for (Field& field : out->fields) field = PhysicalField(field);
      return out;
    }
    case TypeKind::kArray: {
      auto out = std::make_shared<DataType>(*type);
      out->element = PhysicalType(type->element);
      return out;
    }
    case TypeKind::kMap: {
      auto out = std::make_shared<DataType>(*type);
      out->key = PhysicalType(type->key);
      out->value = PhysicalType(type->value);
      return out;
    }
    default:
      return type;
  }
}

}  // namespace

Result<Schema> TableSchema(const delta::Snapshot& snapshot) {
  if (!snapshot.exists()) {
    return Status::Invalid(fmt::format("{} is not a Delta table (no _delta_log)", snapshot.table_dir()));
  }
  INLET_RETURN_NOT_OK(delta::CheckReadable(snapshot.protocol(), snapshot.metadata(), snapshot.table_dir()));
  auto schema = ParseSparkJsonSchema(snapshot.metadata().schema_string);
  if (!schema.ok()) {
    return Status::Invalid(fmt::format("schemaString of Delta table {} (version {}): {}", snapshot.table_dir(),
                                       snapshot.version(), schema.status().message()));
  }
  return schema;
}

namespace {

// Reads `selected` (top-level columns of the table's logical schema) from every active file.
Result<std::shared_ptr<arrow::Table>> ReadFiles(const delta::Snapshot& snapshot, const Schema& selected,
                                                bool all_columns) {
  // Arrow 26 registers its compute kernels (used by Cast) only on request.
  static const Status compute_ready = arrow::compute::Initialize();
  INLET_RETURN_NOT_OK(compute_ready);
  const std::string mode = delta::ColumnMappingMode(snapshot.protocol(), snapshot.metadata());
  const auto& partition_columns = snapshot.metadata().partition_columns;
  Schema physical;
  std::vector<ColumnSource> sources;
  for (const Field& field : selected.fields) {
    ColumnSource source;
    source.physical = field.name;
    source.partition = std::find(partition_columns.begin(), partition_columns.end(), field.name) !=
                       partition_columns.end();
    if (mode.empty()) {
      physical.fields.push_back(field);
    } else {
      physical.fields.push_back(PhysicalField(field));
      source.physical = physical.fields.back().name;
      const std::string id = MetadataString(field, "delta.columnMapping.id");
      if (mode == "id" && !id.empty()) source.field_id = std::stoll(id);
    }
    sources.push_back(std::move(source));
  }
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(selected));
  INLET_ASSIGN_OR_RAISE(auto physical_schema, ToArrowSchema(physical));
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const delta::AddFile& add : snapshot.files()) {
    INLET_ASSIGN_OR_RAISE(auto table, ReadDataFile(snapshot.table_dir(), DataFilePath(snapshot.table_dir(), add.path), add,
                                                   arrow_schema,
                                                   physical_schema, sources, all_columns));
    tables.push_back(std::move(table));
  }
  if (tables.empty()) return arrow::Table::MakeEmpty(arrow_schema);
  return arrow::ConcatenateTables(tables);
}

}  // namespace

Result<std::shared_ptr<arrow::Table>> ReadTable(const delta::Snapshot& snapshot) {
  INLET_ASSIGN_OR_RAISE(auto schema, TableSchema(snapshot));
  return ReadFiles(snapshot, schema, /*all_columns=*/true);
}

Result<std::shared_ptr<arrow::Table>> ReadTable(const delta::Snapshot& snapshot,
                                                const std::vector<std::string>& columns) {
  INLET_ASSIGN_OR_RAISE(auto schema, TableSchema(snapshot));
  Schema selected;
  for (const std::string& name : columns) {
    const Field* field = schema.FindField(name);
    if (field == nullptr) {
      std::string names;
      for (const Field& f : schema.fields) names += (names.empty() ? "" : ", ") + f.name;
      return Status::Invalid(fmt::format("Delta table {} has no column '{}' (columns: {})", snapshot.table_dir(),
                                         name, names));
    }
    selected.fields.push_back(*field);
  }
  return ReadFiles(snapshot, selected, /*all_columns=*/false);
}

}  // namespace inlet::query
