// Reads a Delta snapshot's data files into one Arrow table in the table's current schema,
// filling columns and struct fields a file predates with nulls (schema evolution).
#include "inlet/query/table_reader.h"

#include <cctype>
#include <string>

#include <arrow/api.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <arrow/io/file.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>

#include "inlet/schema/arrow_convert.h"
#include "inlet/schema/spark_json.h"

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
  if (decoded.rfind("file://", 0) == 0) return decoded.substr(7);
  if (decoded.rfind("file:", 0) == 0) return decoded.substr(5);
  if (!decoded.empty() && decoded.front() == '/') return decoded;
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

// The top-level columns of `reader`'s file named in `schema` (those the file has), read
// whole; the others are never decoded.
Result<std::shared_ptr<arrow::Table>> ReadFileColumns(parquet::arrow::FileReader& reader,
                                                      const arrow::Schema& schema) {
  std::shared_ptr<arrow::Schema> file_schema;
  INLET_RETURN_NOT_OK(reader.GetSchema(&file_schema));
  arrow::FieldVector fields;
  arrow::ChunkedArrayVector columns;
  for (const auto& field : schema.fields()) {
    const int index = file_schema->GetFieldIndex(field->name());
    if (index < 0) continue;
    std::shared_ptr<arrow::ChunkedArray> column;
    INLET_RETURN_NOT_OK(reader.ReadColumn(index, &column));
    fields.push_back(file_schema->field(index));
    columns.push_back(std::move(column));
  }
  // The row count comes from the footer: a file may have none of the columns.
  const int64_t rows = reader.parquet_reader()->metadata()->num_rows();
  return arrow::Table::Make(arrow::schema(std::move(fields)), std::move(columns), rows);
}

// One data file as a table in `schema`; `all_columns` false reads only `schema`'s columns.
Result<std::shared_ptr<arrow::Table>> ReadDataFile(const std::string& path, const delta::AddFile& add,
                                                   const std::shared_ptr<arrow::Schema>& schema,
                                                   bool all_columns) {
  auto fail = [&](const Status& status) {
    return Status::IOError(fmt::format("reading data file {}: {}", path, status.message()));
  };
  auto input = arrow::io::ReadableFile::Open(path);
  if (!input.ok()) return fail(input.status());
  auto reader = parquet::arrow::OpenFile(*input, arrow::default_memory_pool());
  if (!reader.ok()) return fail(reader.status());
  auto read = all_columns ? (*reader)->ReadTable() : ReadFileColumns(**reader, *schema);
  if (!read.ok()) return fail(read.status());
  const std::shared_ptr<arrow::Table>& file_table = *read;

  const int64_t rows = file_table->num_rows();
  arrow::ChunkedArrayVector columns;
  for (const auto& field : schema->fields()) {
    const int index = file_table->schema()->GetFieldIndex(field->name());
    if (index < 0) {
      // Partition columns live in the log, not the file; other missing columns are null.
      std::shared_ptr<arrow::Array> filled;
      auto partition = add.partition_values.find(field->name());
      if (partition != add.partition_values.end() && !partition->second.empty()) {
        INLET_ASSIGN_OR_RAISE(auto text, arrow::MakeArrayFromScalar(arrow::StringScalar(partition->second), rows));
        INLET_ASSIGN_OR_RAISE(filled, Conform(text, field->type(), field->name()));
      } else {
        INLET_ASSIGN_OR_RAISE(filled, arrow::MakeArrayOfNull(field->type(), rows));
      }
      columns.push_back(std::make_shared<arrow::ChunkedArray>(filled));
      continue;
    }
    arrow::ArrayVector chunks;
    for (const auto& chunk : file_table->column(index)->chunks()) {
      auto conformed = Conform(chunk, field->type(), field->name());
      if (!conformed.ok()) return fail(conformed.status());
      chunks.push_back(*conformed);
    }
    INLET_ASSIGN_OR_RAISE(auto column, arrow::ChunkedArray::Make(std::move(chunks), field->type()));
    columns.push_back(std::move(column));
  }
  return arrow::Table::Make(schema, std::move(columns), rows);
}

}  // namespace

Result<Schema> TableSchema(const delta::Snapshot& snapshot) {
  if (!snapshot.exists()) {
    return Status::Invalid(fmt::format("{} is not a Delta table (no _delta_log)", snapshot.table_dir()));
  }
  auto schema = ParseSparkJsonSchema(snapshot.metadata().schema_string);
  if (!schema.ok()) {
    return Status::Invalid(fmt::format("schemaString of Delta table {} (version {}): {}", snapshot.table_dir(),
                                       snapshot.version(), schema.status().message()));
  }
  return schema;
}

namespace {

Result<std::shared_ptr<arrow::Table>> ReadFiles(const delta::Snapshot& snapshot,
                                                const std::shared_ptr<arrow::Schema>& arrow_schema,
                                                bool all_columns) {
  // Arrow 26 registers its compute kernels (used by Cast) only on request.
  static const Status compute_ready = arrow::compute::Initialize();
  INLET_RETURN_NOT_OK(compute_ready);
  std::vector<std::shared_ptr<arrow::Table>> tables;
  for (const delta::AddFile& add : snapshot.files()) {
    INLET_ASSIGN_OR_RAISE(auto table, ReadDataFile(DataFilePath(snapshot.table_dir(), add.path), add,
                                                   arrow_schema, all_columns));
    tables.push_back(std::move(table));
  }
  if (tables.empty()) return arrow::Table::MakeEmpty(arrow_schema);
  return arrow::ConcatenateTables(tables);
}

}  // namespace

Result<std::shared_ptr<arrow::Table>> ReadTable(const delta::Snapshot& snapshot) {
  INLET_ASSIGN_OR_RAISE(auto schema, TableSchema(snapshot));
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(schema));
  return ReadFiles(snapshot, arrow_schema, /*all_columns=*/true);
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
  INLET_ASSIGN_OR_RAISE(auto arrow_schema, ToArrowSchema(selected));
  return ReadFiles(snapshot, arrow_schema, /*all_columns=*/false);
}

}  // namespace inlet::query
