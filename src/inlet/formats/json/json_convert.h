// The reader's hot loop: one JSON record (a simdjson On-Demand object) appended as one row
// to Arrow builders laid out by ToArrowSchema(schema). Internal to formats/json.
#pragma once

#include <arrow/type_fwd.h>
#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "inlet/schema/types.h"
#include "inlet/util/status.h"

namespace arrow {
class RecordBatchBuilder;
}  // namespace arrow

namespace inlet::json {

class RecordConverter {
 public:
  // `batch_rows` is the builders' reserved capacity: rows per batch the caller flushes at.
  static Result<std::unique_ptr<RecordConverter>> Make(const Schema& schema, int64_t batch_rows);
  ~RecordConverter();

  // Appends `record` as one row. A JSON error comes back as simdjson's code; the row may
  // then be half-written and the converter must be abandoned. A builder failure (out of
  // memory) comes back as simdjson::MEMALLOC with the Arrow status in builder_status().
  // Duplicate keys: the first occurrence wins, later ones are skipped.
  simdjson::error_code AppendRecord(simdjson::ondemand::object record);

  int64_t num_rows() const { return num_rows_; }
  int64_t type_mismatches() const { return type_mismatches_; }
  const Status& builder_status() const { return builder_status_; }

  // The rows appended since the last Flush as a batch; the builders are reset and reused.
  Result<std::shared_ptr<arrow::RecordBatch>> Flush();

  struct Column;

 private:
  RecordConverter();

  simdjson::error_code AppendObject(Column& column, simdjson::ondemand::object object);
  simdjson::error_code AppendValue(Column& column, simdjson::ondemand::value value);
  simdjson::error_code AppendString(Column& column, simdjson::ondemand::value value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendInteger(Column& column, simdjson::ondemand::value value,
                                     simdjson::ondemand::json_type type);
  simdjson::error_code AppendFloating(Column& column, simdjson::ondemand::value value,
                                      simdjson::ondemand::json_type type);
  simdjson::error_code AppendDecimal(Column& column, simdjson::ondemand::value value,
                                     simdjson::ondemand::json_type type);
  simdjson::error_code AppendTemporal(Column& column, simdjson::ondemand::value value,
                                      simdjson::ondemand::json_type type);
  simdjson::error_code AppendBinary(Column& column, simdjson::ondemand::value value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendNested(Column& column, simdjson::ondemand::value value,
                                    simdjson::ondemand::json_type type);
  simdjson::error_code AppendNull(Column& column);
  simdjson::error_code Mismatch(Column& column, simdjson::ondemand::value value,
                                simdjson::ondemand::json_type type);
  simdjson::error_code BuilderFailed(Status status);

  std::unique_ptr<arrow::RecordBatchBuilder> batch_builder_;
  std::unique_ptr<Column> root_;
  int64_t num_rows_ = 0;
  int64_t type_mismatches_ = 0;
  Status builder_status_;
  std::string scratch_;  // reused for base64 decoding
};

}  // namespace inlet::json
