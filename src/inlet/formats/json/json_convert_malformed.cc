// RecordConverter's malformed rows: a half-written row completed with nulls so that every
// builder agrees on the row count, then nulled (PERMISSIVE) or dropped (DROPMALFORMED) as a
// whole batch at Flush, so that good records pay nothing for it.
#include <arrow/api.h>
#include <arrow/compute/api_vector.h>
#include <arrow/compute/initialize.h>
#include <arrow/util/bit_util.h>
#include <arrow/util/bitmap_ops.h>

#include <algorithm>

#include "inlet/formats/json/json_column.h"
#include "inlet/formats/json/json_convert.h"
#include "inlet/util/strings.h"

namespace inlet::json {

namespace {

using Column = RecordConverter::Column;

Status CompleteColumn(Column& column, int64_t rows);

// Makes the last entry of `column` (it has one) whole. Entries before it are whole: a
// record writes only at the end of every builder.
Status CompleteLastEntry(Column& column) {
  switch (column.kind) {
    case TypeKind::kStruct: {
      const int64_t rows = column.builder->length();
      for (Column& child : column.children) INLET_RETURN_NOT_OK(CompleteColumn(child, rows));
      return Status::OK();
    }
    case TypeKind::kArray: {
      // The list's entry ends where its value builder ends: only the last element can be
      // half-written.
      Column& element = column.children[0];
      if (element.builder->length() > 0) return CompleteLastEntry(element);
      return Status::OK();
    }
    case TypeKind::kMap: {
      // A key is appended before its value: the value may be missing or half-written.
      const int64_t keys = column.children[0].builder->length();
      if (keys > 0) return CompleteColumn(column.children[1], keys);
      return Status::OK();
    }
    default:
      return Status::OK();  // a scalar is appended whole or not at all
  }
}

// Makes `column` hold `rows` whole entries: the ones the record never reached are null.
Status CompleteColumn(Column& column, int64_t rows) {
  const int64_t length = column.builder->length();
  if (length < rows) return column.builder->AppendNulls(rows - length);
  return CompleteLastEntry(column);
}

Status ComputeReady() {
  static const Status status = arrow::compute::Initialize();
  return status;
}

}  // namespace

Status RecordConverter::AppendMalformed(std::string_view raw, bool started) {
  if (started) type_mismatches_ = mismatches_before_record_;
  const int64_t rows = num_rows_ + 1;
  for (Column& column : root_->children) INLET_RETURN_NOT_OK(CompleteColumn(column, rows));
  if (rescue_builder_ != nullptr && rescue_builder_->length() < rows) {
    INLET_RETURN_NOT_OK(rescue_builder_->AppendNull());
  }
  malformed_rows_.push_back(num_rows_);
  KeepCorruptText(raw);
  ++num_rows_;
  return Status::OK();
}

void RecordConverter::MarkLastRecordMalformed(std::string_view raw) {
  type_mismatches_ = mismatches_before_record_;
  if (last_rescued_row_ == num_rows_ - 1) {
    --rescued_records_;
    last_rescued_row_ = -1;
  }
  malformed_rows_.push_back(num_rows_ - 1);
  KeepCorruptText(raw);
}

Status RecordConverter::DiscardRecord(bool whole) {
  type_mismatches_ = mismatches_before_record_;
  if (whole) {
    if (last_rescued_row_ == num_rows_ - 1) {
      --rescued_records_;
      last_rescued_row_ = -1;
    }
    discarded_rows_.push_back(num_rows_ - 1);
    return Status::OK();
  }
  const int64_t rows = num_rows_ + 1;
  for (Column& column : root_->children) INLET_RETURN_NOT_OK(CompleteColumn(column, rows));
  if (rescue_builder_ != nullptr && rescue_builder_->length() < rows) {
    INLET_RETURN_NOT_OK(rescue_builder_->AppendNull());
  }
  discarded_rows_.push_back(num_rows_);
  ++num_rows_;
  return Status::OK();
}

void RecordConverter::DiscardSince(const RowMark& mark) {
  type_mismatches_ = mark.type_mismatches;
  mismatches_before_record_ = mark.type_mismatches;
  rescued_records_ = mark.rescued_records;
  if (last_rescued_row_ >= mark.rows) last_rescued_row_ = -1;
  // discarded_rows_ is ascending (rows are discarded as they are appended): the ones
  // DiscardRecord already left out since `mark` are its tail.
  discarded_rows_.erase(std::lower_bound(discarded_rows_.begin(), discarded_rows_.end(), mark.rows),
                        discarded_rows_.end());
  for (int64_t row = mark.rows; row < num_rows_; ++row) discarded_rows_.push_back(row);
}

void RecordConverter::KeepCorruptText(std::string_view raw) {
  if (corrupt_builder_ == nullptr || mode_ != ParseMode::kPermissive) return;
  // `raw` is valid UTF-8 (the reader made it so): cut it only between characters.
  corrupt_texts_.emplace_back(Utf8Prefix(raw, static_cast<size_t>(std::max<int64_t>(max_corrupt_bytes_, 0))));
}

// The corrupt record column for `rows` rows: null but for PERMISSIVE's malformed rows.
Status RecordConverter::FillCorruptColumn(int64_t rows) {
  int64_t next = 0;
  for (size_t i = 0; i < corrupt_texts_.size(); ++i) {
    const int64_t row = malformed_rows_[i];
    INLET_RETURN_NOT_OK(corrupt_builder_->AppendNulls(row - next));
    INLET_RETURN_NOT_OK(corrupt_builder_->Append(corrupt_texts_[i]));
    next = row + 1;
  }
  corrupt_texts_.clear();
  return corrupt_builder_->AppendNulls(rows - next);
}

// PERMISSIVE: every column but the corrupt record column is null in a malformed row;
// DROPMALFORMED: the rows are filtered out. Discarded rows are filtered out in any mode.
Result<std::shared_ptr<arrow::RecordBatch>> RecordConverter::ApplyMalformed(
    std::shared_ptr<arrow::RecordBatch> batch) {
  std::vector<int64_t> dropped = std::move(discarded_rows_);
  discarded_rows_.clear();
  if (mode_ == ParseMode::kDropMalformed) {
    dropped.insert(dropped.end(), malformed_rows_.begin(), malformed_rows_.end());
    malformed_rows_.clear();
  }
  if (!malformed_rows_.empty()) {
    INLET_ASSIGN_OR_RAISE(batch, NullMalformedRows(std::move(batch)));
  }
  if (dropped.empty()) return batch;
  const int64_t rows = batch->num_rows();
  const int64_t kept_rows = rows - static_cast<int64_t>(dropped.size());
  if (batch->num_columns() == 0) return arrow::RecordBatch::Make(batch->schema(), kept_rows, arrow::ArrayVector{});
  INLET_ASSIGN_OR_RAISE(auto mask, arrow::AllocateBitmap(rows));
  arrow::bit_util::SetBitsTo(mask->mutable_data(), 0, rows, true);
  for (int64_t row : dropped) arrow::bit_util::ClearBit(mask->mutable_data(), row);
  INLET_RETURN_NOT_OK(ComputeReady());
  auto keep = std::make_shared<arrow::BooleanArray>(rows, mask);
  INLET_ASSIGN_OR_RAISE(arrow::Datum kept, arrow::compute::Filter(batch, keep));
  return kept.record_batch();
}

// Every column but the corrupt record column null in PERMISSIVE's malformed rows (its
// validity ANDed with a mask; what a half-written row left under a null struct or list
// stays hidden there).
Result<std::shared_ptr<arrow::RecordBatch>> RecordConverter::NullMalformedRows(
    std::shared_ptr<arrow::RecordBatch> batch) {
  const int64_t rows = batch->num_rows();
  INLET_ASSIGN_OR_RAISE(auto mask, arrow::AllocateBitmap(rows));
  arrow::bit_util::SetBitsTo(mask->mutable_data(), 0, rows, true);
  for (int64_t row : malformed_rows_) arrow::bit_util::ClearBit(mask->mutable_data(), row);
  malformed_rows_.clear();
  arrow::ArrayVector columns;
  columns.reserve(static_cast<size_t>(batch->num_columns()));
  for (int i = 0; i < batch->num_columns(); ++i) {
    const std::shared_ptr<arrow::Array>& column = batch->column(i);
    if (i == corrupt_index_ || column->type_id() == arrow::Type::NA) {
      columns.push_back(column);
      continue;
    }
    std::shared_ptr<arrow::ArrayData> data = column->data()->Copy();
    std::shared_ptr<arrow::Buffer> validity = mask;
    if (data->buffers[0] != nullptr || data->offset != 0) {
      // A builder's arrays start at offset 0; OptionalBitmapAnd copes with any.
      INLET_ASSIGN_OR_RAISE(validity, arrow::internal::OptionalBitmapAnd(arrow::default_memory_pool(),
                                                                          data->buffers[0], data->offset, mask,
                                                                          0, rows, data->offset));
    }
    data->null_count = rows - arrow::internal::CountSetBits(validity->data(), data->offset, rows);
    data->buffers[0] = std::move(validity);
    columns.push_back(arrow::MakeArray(data));
  }
  return arrow::RecordBatch::Make(batch->schema(), rows, std::move(columns));
}

}  // namespace inlet::json
