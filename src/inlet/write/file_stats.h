// Per-file column statistics in Delta's add.stats JSON form, gathered while a data file is
// written (null counts from the batches, min/max from the Parquet writer's own statistics)
// so the file never has to be read back.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <arrow/type_fwd.h>

#include "inlet/util/status.h"

namespace parquet {
class FileMetaData;
}

namespace inlet::write {

// Strings longer than this many characters keep a truncated min and no max (a truncated
// max would be smaller than the real one and make readers skip files wrongly).
constexpr size_t kStatsStringPrefixChars = 32;

class FileStatsCollector {
 public:
  explicit FileStatsCollector(const arrow::Schema& schema);
  ~FileStatsCollector();
  FileStatsCollector(FileStatsCollector&&) noexcept;
  FileStatsCollector& operator=(FileStatsCollector&&) noexcept;

  // Counts the batch's records and nulls.
  Status Add(const arrow::RecordBatch& batch);
  // Takes min/max from the closed file's footer (every row group), which must have been
  // written from this schema.
  Status AddBounds(const parquet::FileMetaData& footer);
  int64_t num_records() const { return num_records_; }
  // {"numRecords":N,"minValues":{..},"maxValues":{..},"nullCount":{..}}; struct fields
  // nest as objects; min/max only for numeric, string, date and timestamp leaves.
  Result<std::string> ToJson() const;

  struct Node;

 private:
  std::vector<std::unique_ptr<Node>> columns_;
  int64_t num_records_ = 0;
  int num_leaves_ = 0;  // Parquet leaf columns of the schema
};

}  // namespace inlet::write
