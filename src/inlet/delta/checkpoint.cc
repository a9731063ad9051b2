// Delta Parquet checkpoints: the table state at one version as one row per action, in the
// column layout of PROTOCOL.md's "Checkpoint Schema" (txn, add, remove, metaData, protocol
// structs), so Spark and delta-rs can start from it instead of replaying every commit.
#include "inlet/delta/checkpoint.h"
#include "inlet/util/strings.h"

#include <cctype>
#include <set>

#include <arrow/api.h>
#include <arrow/io/file.h>
#include <arrow/io/memory.h>
#include <fmt/format.h>
#include <parquet/arrow/reader.h>
#include <parquet/arrow/schema.h>
#include <parquet/arrow/writer.h>
#include <parquet/exception.h>
#include <parquet/properties.h>

#include <nlohmann/json.hpp>

#include "inlet/delta/log_files.h"
#include "inlet/delta/table.h"
#include "inlet/util/ids.h"
#include "inlet/storage/file_system.h"

namespace inlet::delta {
namespace {

// ---- reading ------------------------------------------------------------------------------

using ArrayPtr = std::shared_ptr<arrow::Array>;

ArrayPtr FieldOf(const ArrayPtr& array, const char* name) {
  if (!array || array->type_id() != arrow::Type::STRUCT) return nullptr;
  return static_cast<const arrow::StructArray&>(*array).GetFieldByName(name);
}

std::string StringAt(const ArrayPtr& array, int64_t i) {
  if (!array || array->IsNull(i)) return "";
  switch (array->type_id()) {
    case arrow::Type::STRING:
      return static_cast<const arrow::StringArray&>(*array).GetString(i);
    case arrow::Type::LARGE_STRING:
      return static_cast<const arrow::LargeStringArray&>(*array).GetString(i);
    case arrow::Type::STRING_VIEW:
      return std::string(static_cast<const arrow::StringViewArray&>(*array).GetView(i));
    default:
      return "";
  }
}

int64_t IntAt(const ArrayPtr& array, int64_t i, int64_t fallback = 0) {
  if (!array || array->IsNull(i)) return fallback;
  switch (array->type_id()) {
    case arrow::Type::INT64:
      return static_cast<const arrow::Int64Array&>(*array).Value(i);
    case arrow::Type::INT32:
      return static_cast<const arrow::Int32Array&>(*array).Value(i);
    default:
      return fallback;
  }
}

bool BoolAt(const ArrayPtr& array, int64_t i, bool fallback) {
  if (!array || array->IsNull(i) || array->type_id() != arrow::Type::BOOL) return fallback;
  return static_cast<const arrow::BooleanArray&>(*array).Value(i);
}

std::map<std::string, std::string> MapAt(const ArrayPtr& array, int64_t i) {
  std::map<std::string, std::string> out;
  if (!array || array->IsNull(i) || array->type_id() != arrow::Type::MAP) return out;
  const auto& map = static_cast<const arrow::MapArray&>(*array);
  for (int64_t j = map.value_offset(i); j < map.value_offset(i) + map.value_length(i); ++j) {
    out[StringAt(map.keys(), j)] = StringAt(map.items(), j);
  }
  return out;
}

std::vector<std::string> StringListAt(const ArrayPtr& array, int64_t i) {
  std::vector<std::string> out;
  if (!array || array->IsNull(i) || array->type_id() != arrow::Type::LIST) return out;
  const auto& list = static_cast<const arrow::ListArray&>(*array);
  for (int64_t j = list.value_offset(i); j < list.value_offset(i) + list.value_length(i); ++j) {
    out.push_back(StringAt(list.values(), j));
  }
  return out;
}

void CollectLeaves(const parquet::arrow::SchemaField& field, std::vector<int>* leaves) {
  if (field.children.empty()) {
    if (field.column_index >= 0) leaves->push_back(field.column_index);
    return;
  }
  for (const auto& child : field.children) CollectLeaves(child, leaves);
}

void ReadRows(const arrow::RecordBatch& batch, CheckpointActions* out) {
  ArrayPtr txn = batch.GetColumnByName("txn");
  ArrayPtr add = batch.GetColumnByName("add");
  ArrayPtr remove = batch.GetColumnByName("remove");
  ArrayPtr metadata = batch.GetColumnByName("metaData");
  ArrayPtr protocol = batch.GetColumnByName("protocol");
  ArrayPtr sidecar = batch.GetColumnByName("sidecar");
  for (int64_t i = 0; i < batch.num_rows(); ++i) {
    if (sidecar && sidecar->IsValid(i)) {
      out->sidecars.push_back(StringAt(FieldOf(sidecar, "path"), i));
      continue;
    }
    if (add && add->IsValid(i)) {
      AddFile file;
      file.path = StringAt(FieldOf(add, "path"), i);
      file.partition_values = MapAt(FieldOf(add, "partitionValues"), i);
      file.size = IntAt(FieldOf(add, "size"), i);
      file.modification_time = IntAt(FieldOf(add, "modificationTime"), i);
      file.data_change = BoolAt(FieldOf(add, "dataChange"), i, false);
      file.stats = StringAt(FieldOf(add, "stats"), i);
      if (ArrayPtr dv = FieldOf(add, "deletionVector"); dv && dv->IsValid(i)) {
        DeletionVectorDescriptor descriptor;
        descriptor.storage_type = StringAt(FieldOf(dv, "storageType"), i);
        descriptor.path_or_inline_dv = StringAt(FieldOf(dv, "pathOrInlineDv"), i);
        ArrayPtr offset = FieldOf(dv, "offset");
        if (offset && offset->IsValid(i)) descriptor.offset = IntAt(offset, i);
        descriptor.size_in_bytes = IntAt(FieldOf(dv, "sizeInBytes"), i);
        descriptor.cardinality = IntAt(FieldOf(dv, "cardinality"), i);
        file.deletion_vector = std::move(descriptor);
      }
      out->adds.push_back(std::move(file));
    } else if (remove && remove->IsValid(i)) {
      RemoveFile file;
      file.path = StringAt(FieldOf(remove, "path"), i);
      file.deletion_timestamp = IntAt(FieldOf(remove, "deletionTimestamp"), i);
      file.data_change = BoolAt(FieldOf(remove, "dataChange"), i, false);
      out->removes.push_back(std::move(file));
    } else if (txn && txn->IsValid(i)) {
      Txn entry;
      entry.app_id = StringAt(FieldOf(txn, "appId"), i);
      entry.version = IntAt(FieldOf(txn, "version"), i);
      ArrayPtr last_updated = FieldOf(txn, "lastUpdated");
      if (last_updated && last_updated->IsValid(i)) entry.last_updated = IntAt(last_updated, i);
      out->txns.push_back(std::move(entry));
    } else if (metadata && metadata->IsValid(i)) {
      Metadata meta;
      meta.id = StringAt(FieldOf(metadata, "id"), i);
      meta.schema_string = StringAt(FieldOf(metadata, "schemaString"), i);
      meta.partition_columns = StringListAt(FieldOf(metadata, "partitionColumns"), i);
      meta.configuration = MapAt(FieldOf(metadata, "configuration"), i);
      meta.created_time = IntAt(FieldOf(metadata, "createdTime"), i);
      std::string provider = StringAt(FieldOf(FieldOf(metadata, "format"), "provider"), i);
      if (!provider.empty()) meta.format_provider = provider;
      out->metadata = std::move(meta);
    } else if (protocol && protocol->IsValid(i)) {
      Protocol proto;
      proto.min_reader_version = static_cast<int>(IntAt(FieldOf(protocol, "minReaderVersion"), i, 1));
      proto.min_writer_version = static_cast<int>(IntAt(FieldOf(protocol, "minWriterVersion"), i, 2));
      proto.reader_features = StringListAt(FieldOf(protocol, "readerFeatures"), i);
      proto.writer_features = StringListAt(FieldOf(protocol, "writerFeatures"), i);
      out->protocol = proto;
    }
  }
}

// ---- writing ------------------------------------------------------------------------------

std::shared_ptr<arrow::DataType> StringMap() { return arrow::map(arrow::utf8(), arrow::utf8()); }

// Types follow the protocol's checkpoint schema exactly (int vs long matters to Spark).
std::shared_ptr<arrow::Schema> CheckpointSchema() {
  using arrow::field;
  auto txn = arrow::struct_({field("appId", arrow::utf8()), field("version", arrow::int64()),
                             field("lastUpdated", arrow::int64())});
  auto add = arrow::struct_({field("path", arrow::utf8()), field("partitionValues", StringMap()),
                             field("size", arrow::int64()),
                             field("modificationTime", arrow::int64()),
                             field("dataChange", arrow::boolean()), field("stats", arrow::utf8())});
  auto remove = arrow::struct_({field("path", arrow::utf8()),
                                field("deletionTimestamp", arrow::int64()),
                                field("dataChange", arrow::boolean())});
  auto format = arrow::struct_({field("provider", arrow::utf8()), field("options", StringMap())});
  auto metadata = arrow::struct_(
      {field("id", arrow::utf8()), field("name", arrow::utf8()),
       field("description", arrow::utf8()), field("format", format),
       field("schemaString", arrow::utf8()), field("partitionColumns", arrow::list(arrow::utf8())),
       field("configuration", StringMap()), field("createdTime", arrow::int64())});
  auto protocol = arrow::struct_({field("minReaderVersion", arrow::int32()),
                                  field("minWriterVersion", arrow::int32()),
                                  field("readerFeatures", arrow::list(arrow::utf8())),
                                  field("writerFeatures", arrow::list(arrow::utf8()))});
  return arrow::schema({field("txn", txn), field("add", add), field("remove", remove),
                        field("metaData", metadata), field("protocol", protocol)});
}

template <typename Builder>
Builder* Child(arrow::ArrayBuilder* parent, int index) {
  return static_cast<Builder*>(static_cast<arrow::StructBuilder*>(parent)->field_builder(index));
}

// `empty_is_null`: partitionValues, where an empty value means null (as in the JSON log).
Status AppendMap(arrow::ArrayBuilder* builder, const std::map<std::string, std::string>& values,
                 bool empty_is_null = false) {
  auto* map = static_cast<arrow::MapBuilder*>(builder);
  INLET_RETURN_NOT_OK(map->Append());
  for (const auto& [key, value] : values) {
    INLET_RETURN_NOT_OK(static_cast<arrow::StringBuilder*>(map->key_builder())->Append(key));
    auto* item = static_cast<arrow::StringBuilder*>(map->item_builder());
    INLET_RETURN_NOT_OK(empty_is_null && value.empty() ? item->AppendNull() : item->Append(value));
  }
  return Status::OK();
}

Status AppendStringList(arrow::ListBuilder* builder, const std::vector<std::string>& items, bool present) {
  if (!present) return builder->AppendNull();
  INLET_RETURN_NOT_OK(builder->Append());
  auto* values = static_cast<arrow::StringBuilder*>(builder->value_builder());
  for (const std::string& item : items) INLET_RETURN_NOT_OK(values->Append(item));
  return Status::OK();
}

// One builder per checkpoint column; every row fills exactly one column, the rest are null.
class CheckpointRows {
 public:
  enum Column { kTxn = 0, kAdd, kRemove, kMetadata, kProtocol, kNumColumns };

  static Result<CheckpointRows> Make(const std::shared_ptr<arrow::Schema>& schema) {
    CheckpointRows rows;
    rows.schema_ = schema;
    for (int i = 0; i < kNumColumns; ++i) {
      INLET_ASSIGN_OR_RAISE(rows.builders_[i],
                            arrow::MakeBuilder(schema->field(i)->type()));
    }
    return rows;
  }

  Status AddTxn(const Txn& txn) {
    arrow::ArrayBuilder* b = Start(kTxn);
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 0)->Append(txn.app_id));
    INLET_RETURN_NOT_OK(Child<arrow::Int64Builder>(b, 1)->Append(txn.version));
    auto* last_updated = Child<arrow::Int64Builder>(b, 2);
    INLET_RETURN_NOT_OK(txn.last_updated ? last_updated->Append(*txn.last_updated)
                                         : last_updated->AppendNull());
    return Finish(kTxn);
  }

  Status AddFileRow(const AddFile& add) {
    arrow::ArrayBuilder* b = Start(kAdd);
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 0)->Append(add.path));
    INLET_RETURN_NOT_OK(AppendMap(Child<arrow::ArrayBuilder>(b, 1), add.partition_values, /*empty_is_null=*/true));
    INLET_RETURN_NOT_OK(Child<arrow::Int64Builder>(b, 2)->Append(add.size));
    INLET_RETURN_NOT_OK(Child<arrow::Int64Builder>(b, 3)->Append(add.modification_time));
    INLET_RETURN_NOT_OK(Child<arrow::BooleanBuilder>(b, 4)->Append(add.data_change));
    auto* stats = Child<arrow::StringBuilder>(b, 5);
    INLET_RETURN_NOT_OK(add.stats.empty() ? stats->AppendNull() : stats->Append(add.stats));
    return Finish(kAdd);
  }

  Status AddRemove(const RemoveFile& remove) {
    arrow::ArrayBuilder* b = Start(kRemove);
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 0)->Append(remove.path));
    INLET_RETURN_NOT_OK(Child<arrow::Int64Builder>(b, 1)->Append(remove.deletion_timestamp));
    INLET_RETURN_NOT_OK(Child<arrow::BooleanBuilder>(b, 2)->Append(remove.data_change));
    return Finish(kRemove);
  }

  Status AddMetadata(const Metadata& metadata) {
    arrow::ArrayBuilder* b = Start(kMetadata);
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 0)->Append(metadata.id));
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 1)->AppendNull());  // name
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 2)->AppendNull());  // description
    auto* format = Child<arrow::StructBuilder>(b, 3);
    INLET_RETURN_NOT_OK(format->Append());
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(format, 0)->Append(metadata.format_provider));
    INLET_RETURN_NOT_OK(AppendMap(Child<arrow::ArrayBuilder>(format, 1), {}));
    INLET_RETURN_NOT_OK(Child<arrow::StringBuilder>(b, 4)->Append(metadata.schema_string));
    auto* columns = Child<arrow::ListBuilder>(b, 5);
    INLET_RETURN_NOT_OK(columns->Append());
    for (const std::string& column : metadata.partition_columns) {
      INLET_RETURN_NOT_OK(static_cast<arrow::StringBuilder*>(columns->value_builder())->Append(column));
    }
    INLET_RETURN_NOT_OK(AppendMap(Child<arrow::ArrayBuilder>(b, 6), metadata.configuration));
    INLET_RETURN_NOT_OK(Child<arrow::Int64Builder>(b, 7)->Append(metadata.created_time));
    return Finish(kMetadata);
  }

  Status AddProtocol(const Protocol& protocol) {
    arrow::ArrayBuilder* b = Start(kProtocol);
    INLET_RETURN_NOT_OK(Child<arrow::Int32Builder>(b, 0)->Append(protocol.min_reader_version));
    INLET_RETURN_NOT_OK(Child<arrow::Int32Builder>(b, 1)->Append(protocol.min_writer_version));
    // Feature lists exist only from reader 3 / writer 7 on; null before, as Spark writes.
    INLET_RETURN_NOT_OK(AppendStringList(Child<arrow::ListBuilder>(b, 2), protocol.reader_features,
                                         protocol.min_reader_version >= 3));
    INLET_RETURN_NOT_OK(AppendStringList(Child<arrow::ListBuilder>(b, 3), protocol.writer_features,
                                         protocol.min_writer_version >= 7));
    return Finish(kProtocol);
  }

  int64_t num_rows() const { return num_rows_; }

  Result<std::shared_ptr<arrow::Table>> ToTable() {
    arrow::ArrayVector columns(kNumColumns);
    for (int i = 0; i < kNumColumns; ++i) {
      INLET_RETURN_NOT_OK(builders_[i]->Finish(&columns[i]));
    }
    return arrow::Table::Make(schema_, columns, num_rows_);
  }

 private:
  arrow::ArrayBuilder* Start(Column column) { return builders_[column].get(); }

  // Appends the struct's validity for `filled` (its children are already appended) and a
  // null to every other column.
  Status Finish(Column filled) {
    for (int i = 0; i < kNumColumns; ++i) {
      auto* builder = static_cast<arrow::StructBuilder*>(builders_[i].get());
      INLET_RETURN_NOT_OK(i == filled ? builder->Append() : builder->AppendNull());
    }
    ++num_rows_;
    return Status::OK();
  }

  std::shared_ptr<arrow::Schema> schema_;
  std::unique_ptr<arrow::ArrayBuilder> builders_[kNumColumns];
  int64_t num_rows_ = 0;
};

// delta.deletedFileRetentionDuration ("interval 7 days"): how long removed files stay as
// tombstones in checkpoints so VACUUM by other engines does not delete them early.
int64_t TombstoneRetentionMillis(const Metadata& metadata) {
  constexpr int64_t kDefault = 7LL * 24 * 3600 * 1000;
  auto it = metadata.configuration.find("delta.deletedFileRetentionDuration");
  if (it == metadata.configuration.end()) return kDefault;
  std::string text = AsciiLower(it->second);
  long long amount = 0;
  char unit[16] = {0};
  if (std::sscanf(text.c_str(), "interval %lld %15s", &amount, unit) != 2) return kDefault;
  std::string u(unit);
  if (!u.empty() && u.back() == 's') u.pop_back();
  if (u == "week") return amount * 7 * 24 * 3600 * 1000;
  if (u == "day") return amount * 24 * 3600 * 1000;
  if (u == "hour") return amount * 3600 * 1000;
  if (u == "minute") return amount * 60 * 1000;
  if (u == "second") return amount * 1000;
  return kDefault;
}

}  // namespace

Status ReadCheckpointPart(storage::FileSystem& fs, const std::string& path, CheckpointActions* out) {
  try {
    INLET_ASSIGN_OR_RAISE(auto input, fs.OpenForRead(path));
    INLET_ASSIGN_OR_RAISE(auto reader,
                          parquet::arrow::OpenFile(input, arrow::default_memory_pool()));
    static const std::set<std::string> kColumns = {"txn", "add", "remove", "metaData",
                                                   "protocol", "sidecar"};
    std::vector<int> leaves;
    for (const auto& field : reader->manifest().schema_fields) {
      if (kColumns.count(field.field->name())) CollectLeaves(field, &leaves);
    }
    INLET_ASSIGN_OR_RAISE(auto table, reader->ReadTable(leaves));
    arrow::TableBatchReader batches(*table);
    std::shared_ptr<arrow::RecordBatch> batch;
    while (true) {
      INLET_RETURN_NOT_OK(batches.ReadNext(&batch));
      if (!batch) break;
      ReadRows(*batch, out);
    }
  } catch (const parquet::ParquetException& e) {
    return Status::IOError(fmt::format("cannot read checkpoint '{}': {}", path, e.what()));
  }
  return Status::OK();
}

Status ReadV2Checkpoint(const storage::Place& table, const std::string& path, CheckpointActions* out) {
  const size_t first_sidecar = out->sidecars.size();
  if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
    INLET_ASSIGN_OR_RAISE(std::string text, table.fs->ReadFile(path));
    INLET_ASSIGN_OR_RAISE(CommitActions actions, ParseCommit(text, path));
    if (actions.protocol) out->protocol = std::move(actions.protocol);
    if (actions.metadata) out->metadata = std::move(actions.metadata);
    for (Txn& txn : actions.parsed_txns) out->txns.push_back(std::move(txn));
    for (AddFile& add : actions.adds) out->adds.push_back(std::move(add));
    for (RemoveFile& remove : actions.removes) out->removes.push_back(std::move(remove));
    for (std::string& sidecar : actions.sidecars) out->sidecars.push_back(std::move(sidecar));
  } else {
    INLET_RETURN_NOT_OK(ReadCheckpointPart(*table.fs, path, out));
  }
  const std::vector<std::string> sidecars(out->sidecars.begin() + static_cast<std::ptrdiff_t>(first_sidecar),
                                          out->sidecars.end());
  for (const std::string& sidecar : sidecars) {
    // Sidecars live in _delta_log/_sidecars/; the action usually gives only the file name,
    // otherwise an absolute path or URI, on the storage its scheme names.
    if (sidecar.find('/') == std::string::npos) {
      INLET_RETURN_NOT_OK(ReadCheckpointPart(*table.fs, LogDir(table.path) + "/_sidecars/" + sidecar, out));
      continue;
    }
    if (sidecar.front() != '/' && sidecar.find(':') == std::string::npos) {
      return Status::NotImplemented(fmt::format("sidecar '{}' of checkpoint '{}' is neither a name nor absolute",
                                                sidecar, path));
    }
    INLET_ASSIGN_OR_RAISE(storage::Place place, storage::Resolve("sidecar", sidecar));
    INLET_RETURN_NOT_OK(ReadCheckpointPart(*place.fs, place.path, out));
  }
  return Status::OK();
}

Status WriteCheckpoint(const Snapshot& snapshot) {
  if (!snapshot.exists()) {
    return Status::Invalid(
        fmt::format("cannot checkpoint '{}': the table has no commits", snapshot.table_dir()));
  }
  std::shared_ptr<arrow::Schema> schema = CheckpointSchema();
  INLET_ASSIGN_OR_RAISE(CheckpointRows rows, CheckpointRows::Make(schema));
  INLET_RETURN_NOT_OK(rows.AddProtocol(snapshot.protocol()));
  INLET_RETURN_NOT_OK(rows.AddMetadata(snapshot.metadata()));
  for (const auto& [app_id, txn] : snapshot.txns()) INLET_RETURN_NOT_OK(rows.AddTxn(txn));
  for (const AddFile& add : snapshot.files()) INLET_RETURN_NOT_OK(rows.AddFileRow(add));
  const int64_t oldest_kept = NowMillis() - TombstoneRetentionMillis(snapshot.metadata());
  for (const RemoveFile& remove : snapshot.tombstones()) {
    if (remove.deletion_timestamp >= oldest_kept) INLET_RETURN_NOT_OK(rows.AddRemove(remove));
  }
  INLET_ASSIGN_OR_RAISE(auto table, rows.ToTable());

  std::string bytes;
  try {
    INLET_ASSIGN_OR_RAISE(auto sink, arrow::io::BufferOutputStream::Create());
    parquet::WriterProperties::Builder properties;
    properties.compression(arrow::Compression::SNAPPY);
    parquet::ArrowWriterProperties::Builder arrow_properties;
    arrow_properties.enable_compliant_nested_types();
    INLET_RETURN_NOT_OK(parquet::arrow::WriteTable(*table, arrow::default_memory_pool(), sink,
                                                   std::max<int64_t>(1, table->num_rows()),
                                                   properties.build(), arrow_properties.build()));
    INLET_ASSIGN_OR_RAISE(auto buffer, sink->Finish());
    bytes = buffer->ToString();
  } catch (const parquet::ParquetException& e) {
    return Status::IOError(fmt::format("cannot write checkpoint for '{}' version {}: {}",
                                       snapshot.table_dir(), snapshot.version(), e.what()));
  }
  // The checkpoint's content is fixed by the version, so a rename over one written by a
  // concurrent writer is harmless.
  storage::FileSystem& fs = *snapshot.table().fs;
  const std::string path = snapshot.table().Child(CheckpointFileName(snapshot.version())).path;
  INLET_RETURN_NOT_OK(fs.WriteFile(path, bytes, storage::WriteMode::kReplace));

  // Never move _last_checkpoint backwards (a slow writer checkpointing an older version).
  std::string last_path = LogDir(snapshot.table_dir()) + "/_last_checkpoint";
  if (auto existing = fs.ReadFile(last_path); existing.ok()) {
    auto json = nlohmann::json::parse(*existing, nullptr, /*allow_exceptions=*/false);
    if (json.is_object() && json.contains("version") && json["version"].is_number_integer() &&
        json["version"].get<int64_t>() > snapshot.version()) {
      return Status::OK();
    }
  }
  nlohmann::ordered_json last;
  last["version"] = snapshot.version();
  last["size"] = rows.num_rows();
  last["sizeInBytes"] = static_cast<int64_t>(bytes.size());
  last["numOfAddFiles"] = static_cast<int64_t>(snapshot.files().size());
  return fs.WriteFile(last_path, last.dump(), storage::WriteMode::kReplace);
}

}  // namespace inlet::delta
