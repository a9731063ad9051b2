// VARIANT columns of the RecordConverter: a value of a VARIANT field, and under
// singleVariantColumn a whole record. A value is encoded in full before anything is
// appended, so a refused one leaves the row untouched.
#include <arrow/api.h>

#include "inlet/formats/json/json_column.h"
#include "inlet/formats/json/json_convert.h"

namespace inlet::json {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

namespace {

// The variant null: an empty key dictionary and the null value.
const VariantValue& VariantNull() {
  static const VariantValue null = [] {
    VariantBuilder builder;
    builder.AppendNull();
    return *builder.Finish();
  }();
  return null;
}

}  // namespace

error_code RecordConverter::AppendVariantValue(Column& column, const VariantValue& variant) {
  auto* builder = static_cast<arrow::StructBuilder*>(column.builder);
  // Children first: a struct builder's length is its own, so a failure in between leaves
  // the row half-written, which the caller's abandoning of the converter makes moot.
  arrow::Status status = static_cast<arrow::BinaryBuilder*>(builder->field_builder(0))->Append(variant.metadata);
  if (status.ok()) status = static_cast<arrow::BinaryBuilder*>(builder->field_builder(1))->Append(variant.value);
  if (status.ok()) status = builder->Append();
  if (ARROW_PREDICT_FALSE(!status.ok())) return BuilderFailed(std::move(status));
  return simdjson::SUCCESS;
}

error_code RecordConverter::AppendVariantNull(Column& column) { return AppendVariantValue(column, VariantNull()); }

error_code RecordConverter::AppendVariant(Column& column, ondemand::value& value) {
  Status encoded = variant_parser_.Encode(value, &variant_scratch_);
  if (!encoded.ok()) {
    variant_error_ = encoded.message();
    return kVariantRefused;
  }
  return AppendVariantValue(column, variant_scratch_);
}

error_code RecordConverter::AppendVariantRecord(std::string_view text) {
  suspect_ = false;
  unchecked_ = false;
  mismatches_before_record_ = type_mismatches_;
  Status encoded = variant_parser_.Parse(text, &variant_scratch_);
  if (!encoded.ok()) {
    variant_error_ = encoded.message();
    return kVariantRefused;
  }
  SIMDJSON_TRY(AppendVariantValue(root_->children[0], variant_scratch_));
  ++num_rows_;
  return simdjson::SUCCESS;
}

}  // namespace inlet::json
