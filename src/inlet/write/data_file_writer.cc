// Parquet data files for a Delta table, each published whole under its final name
// part-NNNNN-<uuid>-c000.<codec>.parquet by the table's file system (storage/): a final
// name always means a whole file.
#include "inlet/write/data_file_writer.h"

#include <algorithm>
#include <unordered_map>

#include <arrow/api.h>
#include <arrow/util/byte_size.h>
#include <arrow/util/compression.h>
#include <fmt/format.h>
#include <arrow/compute/api.h>
#include <arrow/compute/initialize.h>
#include <parquet/arrow/writer.h>
#include <parquet/properties.h>

#include "inlet/delta/partition_values.h"
#include "inlet/util/ids.h"
#include "inlet/storage/file_system.h"
#include "inlet/util/strings.h"
#include "inlet/write/dictionary_choice.h"
#include "inlet/write/file_stats.h"
#include "inlet/util/fault.h"

namespace inlet::write {
namespace {

// Row groups are cut at this many in-memory bytes (or the target file size if smaller), so
// memory stays bounded and the file size can be checked between row groups.
constexpr int64_t kMaxRowGroupBytes = 64LL << 20;
constexpr int64_t kDictionaryPageBytes = 128LL << 10;
// Past this many top-level columns no column gets a dictionary (see OpenNext).
constexpr int kMaxDictionaryColumns = 1024;

// Arrow's file errors read "Error writing bytes to file" and keep errno in the status detail,
// which message() drops: name the data file and the cause ("No space left on device").
Status InDataFile(const Status& status, const std::string& path) {
  if (status.ok()) return status;
  std::string cause = status.message();
  if (status.detail()) cause += fmt::format(" ({})", status.detail()->ToString());
  return Status::IOError(fmt::format("cannot write data file '{}': {}", path, cause));
}

// File name infix Spark uses for the codec ("snappy", "zstd", ...), empty when uncompressed.
std::string CodecSuffix(arrow::Compression::type codec) {
  if (codec == arrow::Compression::UNCOMPRESSED) return "";
  std::string name = arrow::util::Codec::GetCodecAsString(codec);
  return name + ".";
}

}  // namespace

struct DataFileWriter::OpenFile {
  std::string final_name;  // relative to the table dir
  std::string path;        // in the table's file system
  std::shared_ptr<storage::OutputFile> sink;
  std::unique_ptr<parquet::arrow::FileWriter> writer;
  FileStatsCollector stats;
  int64_t buffered_bytes = 0;  // in-memory size of rows not yet flushed as a row group

  explicit OpenFile(const arrow::Schema& schema) : stats(schema) {}
};

// A partitioned table's writer routes rows to one plain writer per partition directory.
struct DataFileWriter::Partitions {
  std::vector<int> partition_index;  // per partition column: its index in the schema, -1 absent
  std::vector<int> data_columns;     // the schema's other columns: those the files hold
  std::shared_ptr<arrow::Schema> data_schema;
  std::vector<std::string> order;  // directories in the order first met
  std::unordered_map<std::string, std::unique_ptr<DataFileWriter>> writers;
  std::unordered_map<std::string, std::map<std::string, std::string>> values;
};

DataFileWriter::DataFileWriter(storage::Place table, std::shared_ptr<arrow::Schema> schema,
                               DataFileWriterOptions options)
    : table_(std::move(table)), table_dir_(table_.path), schema_(std::move(schema)), options_(std::move(options)) {}

DataFileWriter::DataFileWriter(std::string local_table_dir, std::shared_ptr<arrow::Schema> schema,
                               DataFileWriterOptions options)
    : DataFileWriter(storage::Place{storage::Local(), std::move(local_table_dir)}, std::move(schema),
                     std::move(options)) {}

DataFileWriter::~DataFileWriter() {
  partitions_.reset();
  // Abandoned without Finish (an error upstream): drop the partial file, keep no final name.
  if (current_) {
    if (current_->writer) (void)current_->writer->Close();
    if (current_->sink) (void)current_->sink->Abort();
  }
}

Status DataFileWriter::OpenNext(const arrow::RecordBatch& first_batch) {
  std::string codec_name = options_.compression.empty() ? "uncompressed" : options_.compression;
  auto codec = arrow::util::Codec::GetCompressionType(codec_name);
  if (!codec.ok()) {
    return Status::Invalid(fmt::format("unknown Parquet compression '{}'", options_.compression));
  }
  auto file = std::make_unique<OpenFile>(*schema_);
  const std::string name = fmt::format("part-{:05d}-{}-c000.{}parquet", file_index_++, NewUuid(),
                                       CodecSuffix(*codec));
  file->final_name = subdir_.empty() ? name : subdir_ + "/" + name;
  if (!subdir_.empty()) INLET_RETURN_NOT_OK(table_.fs->CreateDirs(table_.Child(subdir_).path));
  file->path = table_.Child(file->final_name).path;
  auto sink = table_.fs->OpenForWrite(file->path);
  if (!sink.ok()) return InDataFile(sink.status(), file->path);
  file->sink = std::move(*sink);

  parquet::WriterProperties::Builder properties;
  properties.compression(*codec);
  // Measured values (temperatures, coordinates) and ids rarely repeat: a dictionary for
  // them is hashing work thrown away when the writer falls back to plain encoding.
  for (const std::string& path : PlainEncodedColumnPaths(first_batch)) properties.disable_dictionary(path);
  // Each dictionary-encoded column holds a hash table of its own while the file is open:
  // a schema with tens of thousands of columns (a record keyed by ids) held over 1 GB so.
  if (schema_->num_fields() > kMaxDictionaryColumns) properties.disable_dictionary();
  // A column of unique values (ids, serial numbers, timestamps) is hashed into its
  // dictionary until the dictionary page fills, then written plain: a smaller page gives
  // up on such columns sooner, while low-cardinality ones (countries, states) never fill it.
  properties.dictionary_pagesize_limit(kDictionaryPageBytes);
  // Spark and delta-rs read INT64 timestamps (isAdjustedToUTC) in microseconds; INT96 is
  // deprecated and nanoseconds are not read by every Spark version.
  parquet::ArrowWriterProperties::Builder arrow_properties;
  arrow_properties.coerce_timestamps(arrow::TimeUnit::MICRO)
      ->allow_truncated_timestamps()
      ->disable_deprecated_int96_timestamps();
  // compliant_nested_types (list items named "element") is Arrow's default, which the
  // Parquet spec and Spark expect; stated here so it cannot silently change.
  arrow_properties.enable_compliant_nested_types();
  auto writer = parquet::arrow::FileWriter::Open(*schema_, arrow::default_memory_pool(), file->sink,
                                                 properties.build(), arrow_properties.build());
  if (!writer.ok()) {  // it writes the header: a full disk fails here
    (void)file->sink->Abort();
    return InDataFile(writer.status(), file->path);
  }
  file->writer = std::move(*writer);
  current_ = std::move(file);
  return Status::OK();
}

Status DataFileWriter::Write(const std::shared_ptr<arrow::RecordBatch>& batch) {
  if (batch->num_rows() == 0) return Status::OK();
  if (!batch->schema()->Equals(*schema_, /*check_metadata=*/false)) {
    return Status::Invalid(fmt::format(
        "batch schema does not match the data file schema for table '{}':\nbatch: {}\nfile: {}",
        table_dir_, batch->schema()->ToString(), schema_->ToString()));
  }
  if (options_.table.check_rows) INLET_RETURN_NOT_OK(options_.table.check_rows(*batch));
  if (!options_.table.partition_columns.empty()) return WritePartitioned(batch);
  const int64_t row_group_bytes = std::max<int64_t>(
      1, std::min(options_.target_file_size, kMaxRowGroupBytes));
  // Large batches are sliced so that one batch can still be spread over several files.
  const int64_t batch_bytes = std::max<int64_t>(1, arrow::util::TotalBufferSize(*batch));
  const double bytes_per_row = static_cast<double>(batch_bytes) / batch->num_rows();
  const int64_t rows_per_slice = std::max<int64_t>(
      1, static_cast<int64_t>(static_cast<double>(row_group_bytes) / bytes_per_row));

  for (int64_t offset = 0; offset < batch->num_rows(); offset += rows_per_slice) {
    int64_t rows = std::min(rows_per_slice, batch->num_rows() - offset);
    std::shared_ptr<arrow::RecordBatch> slice =
        rows == batch->num_rows() ? batch : batch->Slice(offset, rows);
    if (!current_) INLET_RETURN_NOT_OK(OpenNext(*slice));
    INLET_RETURN_NOT_OK(InDataFile(current_->writer->WriteRecordBatch(*slice), current_->path));
    INLET_RETURN_NOT_OK(current_->stats.Add(*slice));
    current_->buffered_bytes += static_cast<int64_t>(bytes_per_row * static_cast<double>(rows));
    if (current_->buffered_bytes >= row_group_bytes) {
      INLET_RETURN_NOT_OK(InDataFile(current_->writer->NewBufferedRowGroup(), current_->path));
      current_->buffered_bytes = 0;
    }
    // Bytes on disk so far (flushed row groups) decide when to roll; the footer adds little.
    auto written = current_->sink->Tell();
    if (!written.ok()) return InDataFile(written.status(), current_->path);
    if (*written >= options_.target_file_size) INLET_RETURN_NOT_OK(CloseCurrent());
  }
  return Status::OK();
}

Status DataFileWriter::CloseCurrent() {
  if (!current_) return Status::OK();
  std::unique_ptr<OpenFile> file = std::move(current_);
  // Closing the Parquet writer writes the footer and closes the sink, which publishes it.
  Status status = InDataFile(file->writer->Close(), file->path);
  if (status.ok() && !file->sink->closed()) status = InDataFile(file->sink->Close(), file->path);
  if (status.ok()) status = file->stats.AddBounds(*file->writer->metadata());
  if (status.ok()) status = MaybeFailAt("parquet_write");
  if (!status.ok()) {
    (void)file->sink->Abort();
    (void)table_.fs->Delete(file->path);  // no commit references it: it goes with the batch
    return status;
  }
  INLET_ASSIGN_OR_RAISE(auto info, table_.fs->Stat(file->path));
  if (!info) return Status::IOError(fmt::format("data file '{}' is gone right after it was written", file->path));
  WrittenFile written;
  written.relative_path = file->final_name;
  written.size = info->size;
  written.modification_time_ms = info->modification_time_ms;
  written.num_records = file->stats.num_records();
  INLET_ASSIGN_OR_RAISE(written.stats_json, file->stats.ToJson());
  written_.push_back(std::move(written));
  return Status::OK();
}

Status DataFileWriter::WritePartitioned(const std::shared_ptr<arrow::RecordBatch>& batch) {
  const std::vector<std::string>& columns = options_.table.partition_columns;
  if (!partitions_) {
    static const Status compute_ready = arrow::compute::Initialize();
    INLET_RETURN_NOT_OK(compute_ready);
    auto parts = std::make_unique<Partitions>();
    for (const std::string& column : columns) {
      // Delta column names are case-insensitive; a column the stream lacks is null.
      int index = schema_->GetFieldIndex(column);
      for (int i = 0; index < 0 && i < schema_->num_fields(); ++i) {
        if (EqualsIgnoreCase(schema_->field(i)->name(), column)) index = i;
      }
      parts->partition_index.push_back(index);
    }
    arrow::FieldVector data_fields;
    for (int i = 0; i < schema_->num_fields(); ++i) {
      if (std::find(parts->partition_index.begin(), parts->partition_index.end(), i) != parts->partition_index.end()) {
        continue;
      }
      parts->data_columns.push_back(i);
      data_fields.push_back(schema_->field(i));
    }
    parts->data_schema = arrow::schema(std::move(data_fields));
    partitions_ = std::move(parts);
  }
  Partitions& parts = *partitions_;

  const int64_t rows = batch->num_rows();
  std::vector<std::vector<std::optional<std::string>>> texts;
  for (size_t c = 0; c < columns.size(); ++c) {
    if (parts.partition_index[c] < 0) {
      texts.emplace_back(static_cast<size_t>(rows));
      continue;
    }
    INLET_ASSIGN_OR_RAISE(auto column_texts,
                          delta::SerializePartitionValues(*batch->column(parts.partition_index[c]), columns[c]));
    texts.push_back(std::move(column_texts));
  }
  std::vector<std::string> batch_order;
  std::unordered_map<std::string, std::vector<int64_t>> rows_of;
  std::vector<std::optional<std::string>> row_values(columns.size());
  for (int64_t row = 0; row < rows; ++row) {
    for (size_t c = 0; c < columns.size(); ++c) row_values[c] = texts[c][row];
    std::string dir = delta::PartitionDirectory(columns, row_values);
    auto [it, inserted] = rows_of.try_emplace(dir);
    if (inserted) {
      batch_order.push_back(dir);
      if (!parts.values.count(dir)) {
        std::map<std::string, std::string>& values = parts.values[dir];
        for (size_t c = 0; c < columns.size(); ++c) values[columns[c]] = row_values[c].value_or("");
      }
    }
    it->second.push_back(row);
  }

  INLET_ASSIGN_OR_RAISE(auto data, batch->SelectColumns(parts.data_columns));
  for (const std::string& dir : batch_order) {
    std::shared_ptr<arrow::RecordBatch> part = data;
    if (batch_order.size() > 1) {
      arrow::Int64Builder indices;
      INLET_RETURN_NOT_OK(indices.AppendValues(rows_of[dir]));
      INLET_ASSIGN_OR_RAISE(auto index_array, indices.Finish());
      INLET_ASSIGN_OR_RAISE(arrow::Datum taken, arrow::compute::Take(data, index_array));
      part = taken.record_batch();
    }
    auto& writer = parts.writers[dir];
    if (!writer) {
      DataFileWriterOptions options = options_;
      options.table = TableWriteRules{};  // rows were checked and split here
      writer = std::make_unique<DataFileWriter>(table_, parts.data_schema, std::move(options));
      writer->subdir_ = dir;
      parts.order.push_back(dir);
    }
    INLET_RETURN_NOT_OK(writer->Write(part));
  }
  return Status::OK();
}

Result<std::vector<WrittenFile>> DataFileWriter::FinishPartitioned() {
  std::vector<WrittenFile> out;
  if (!partitions_) return out;
  for (const std::string& dir : partitions_->order) {
    INLET_ASSIGN_OR_RAISE(auto files, partitions_->writers[dir]->Finish());
    for (WrittenFile& file : files) {
      file.partition_values = partitions_->values[dir];
      out.push_back(std::move(file));
    }
  }
  partitions_.reset();
  return out;
}

Result<std::vector<WrittenFile>> DataFileWriter::Finish() {
  if (!options_.table.partition_columns.empty()) return FinishPartitioned();
  INLET_RETURN_NOT_OK(CloseCurrent());
  std::vector<WrittenFile> out = std::move(written_);
  written_.clear();
  return out;
}

}  // namespace inlet::write
