// Writes a stream of record batches as Parquet data files inside a table directory,
// rolling to a new file at the target size, and collects what Delta's add action needs.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/storage/file_system.h"
#include "inlet/util/status.h"

namespace parquet::arrow {
class FileWriter;
}

namespace inlet::write {

struct WrittenFile {
  std::string relative_path;  // relative to the table dir, e.g. "part-00000-<uuid>-c000.snappy.parquet"
  int64_t size = 0;
  int64_t modification_time_ms = 0;
  int64_t num_records = 0;
  // Delta's per-file statistics JSON:
  // {"numRecords":N,"minValues":{..},"maxValues":{..},"nullCount":{..}}; nested structs
  // nest; min/max only for numeric, string (first 32 chars), date and timestamp leaves.
  std::string stats_json;
  // Partitioned tables: every partition column -> its value text, "" for null (the file
  // lives under relative_path's Hive-style directory, without these columns).
  std::map<std::string, std::string> partition_values;
};

// What the table asks of the rows written for it.
struct TableWriteRules {
  // The table's partition columns (Delta partitionColumns): rows are split by their values
  // into Hive-style directories (day=2024-01-01/part-...), the files hold the other columns.
  std::vector<std::string> partition_columns;
  // Called on every batch before any of it is written (CHECK constraints, invariants): an
  // error fails the write. May be called from several writers at once.
  std::function<Status(const arrow::RecordBatch&)> check_rows;
};

struct DataFileWriterOptions {
  int64_t target_file_size = 128LL << 20;
  std::string compression = "snappy";
  TableWriteRules table;
};

class DataFileWriter {
 public:
  DataFileWriter(storage::Place table, std::shared_ptr<arrow::Schema> schema, DataFileWriterOptions options);
  // A table on this machine's disk.
  DataFileWriter(std::string local_table_dir, std::shared_ptr<arrow::Schema> schema, DataFileWriterOptions options);
  ~DataFileWriter();

  Status Write(const std::shared_ptr<arrow::RecordBatch>& batch);
  // Closes the open file; returns every file written (none if no rows were written).
  Result<std::vector<WrittenFile>> Finish();

 private:
  struct OpenFile;
  Status OpenNext(const arrow::RecordBatch& first_batch);
  Status CloseCurrent();
  // Partitioned tables (data_file_partitions.cc): one writer per partition directory.
  Status WritePartitioned(const std::shared_ptr<arrow::RecordBatch>& batch);
  Result<std::vector<WrittenFile>> FinishPartitioned();

  storage::Place table_;
  std::string table_dir_;
  std::shared_ptr<arrow::Schema> schema_;
  DataFileWriterOptions options_;
  std::unique_ptr<OpenFile> current_;
  std::vector<WrittenFile> written_;
  int file_index_ = 0;
  std::string subdir_;  // a partition's writer: its directory, relative to table_dir_
  struct Partitions;
  std::unique_ptr<Partitions> partitions_;
};

}  // namespace inlet::write
