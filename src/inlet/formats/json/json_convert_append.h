// What the RecordConverter's .cc files share: appends that skip Arrow's virtual capacity
// check when a value fits, and the macro that turns a builder's failure into the
// converter's error.
#pragma once

#include <arrow/api.h>

#include <string_view>

namespace inlet::json::convert_internal {

// Arrow's Append checks the capacity through the virtual length(), a call per value. No
// builder made here overrides length() (only union builders do), so a qualified call reads
// the field directly, and a value that fits is appended without any call.
template <typename Builder, typename Value>
arrow::Status AppendScalar(Builder* builder, Value value) {
  if (ARROW_PREDICT_TRUE(builder->arrow::ArrayBuilder::length() < builder->capacity())) {
    builder->UnsafeAppend(value);
    return arrow::Status::OK();
  }
  return builder->Append(value);
}

inline arrow::Status AppendText(arrow::StringBuilder* builder, std::string_view text) {
  const int64_t data_length = builder->value_data_length() + static_cast<int64_t>(text.size());
  if (ARROW_PREDICT_TRUE(builder->arrow::ArrayBuilder::length() < builder->capacity() &&
                         data_length <= builder->value_data_capacity() &&
                         data_length <= arrow::StringBuilder::memory_limit())) {
    builder->UnsafeAppend(text);
    return arrow::Status::OK();
  }
  return builder->Append(text);
}

}  // namespace inlet::json::convert_internal

#define INLET_JSON_APPEND(expr)                        \
  do {                                                 \
    ::arrow::Status _append_status = (expr);           \
    if (ARROW_PREDICT_FALSE(!_append_status.ok())) {   \
      return BuilderFailed(std::move(_append_status)); \
    }                                                  \
  } while (0)
