// Helpers for the JSON format tests: a fresh temp dir per test, file writing, reading a
// file into memory, compressing test data, and rows printed back as JSON for comparison.
#pragma once

#include <arrow/api.h>
#include <arrow/io/compressed.h>
#include <arrow/io/memory.h>
#include <arrow/record_batch.h>
#include <arrow/util/compression.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "inlet/formats/json/json_reader.h"

namespace inlet::json::testing {

class TempDir {
 public:
  TempDir() {
    std::string pattern = (std::filesystem::temp_directory_path() / "inlet-json-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) ADD_FAILURE() << "mkdtemp failed";
    path_ = pattern;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  // Writes `content` byte for byte to `name` inside the dir and returns its path.
  std::string Write(const std::string& name, const std::string& content) const {
    const std::string path = (std::filesystem::path(path_) / name).string();
    std::ofstream out(path, std::ios::binary);
    out << content;
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct ReadResult {
  Status status;
  std::vector<std::shared_ptr<arrow::RecordBatch>> batches;
  ParseCounts counts;
};

// ReadJsonFile into memory, checking every batch is valid Arrow. `counts` starts from
// `start` (ParseCounts accumulate across files).
inline ReadResult ReadAll(const std::string& path, const Schema& schema, const JsonReadOptions& options = {},
                          ParseCounts start = {}) {
  ReadResult result;
  result.counts = std::move(start);
  result.status = ReadJsonFile(
      path, schema, options,
      [&](std::shared_ptr<arrow::RecordBatch> batch) {
        auto valid = batch->ValidateFull();
        EXPECT_TRUE(valid.ok()) << valid.ToString();
        result.batches.push_back(std::move(batch));
        return Status::OK();
      },
      &result.counts);
  return result;
}

// `text` compressed as a .gz (GZIP) or .zst (ZSTD) file holds it, by Arrow's codecs.
inline std::string Compress(arrow::Compression::type type, const std::string& text) {
  auto codec = arrow::util::Codec::Create(type).ValueOrDie();
  auto sink = arrow::io::BufferOutputStream::Create().ValueOrDie();
  auto out = arrow::io::CompressedOutputStream::Make(codec.get(), sink).ValueOrDie();
  EXPECT_TRUE(out->Write(text.data(), static_cast<int64_t>(text.size())).ok());
  EXPECT_TRUE(out->Close().ok());
  return sink->Finish().ValueOrDie()->ToString();
}

// One value of `array` as compact JSON (maps as objects, nulls as null), so a test can
// state a whole row, nested values included, as one string.
inline void AppendValueJson(const arrow::Array& array, int64_t i, std::string* out) {
  if (array.IsNull(i)) {
    *out += "null";
    return;
  }
  switch (array.type_id()) {
    case arrow::Type::STRING: {
      *out += '"';
      for (char c : static_cast<const arrow::StringArray&>(array).GetView(i)) {
        if (c == '"' || c == '\\') *out += '\\';
        *out += c;
      }
      *out += '"';
      return;
    }
    case arrow::Type::STRUCT: {
      const auto& struct_array = static_cast<const arrow::StructArray&>(array);
      *out += '{';
      for (int f = 0; f < struct_array.num_fields(); ++f) {
        if (f > 0) *out += ',';
        *out += '"' + struct_array.type()->field(f)->name() + "\":";
        AppendValueJson(*struct_array.field(f), i, out);
      }
      *out += '}';
      return;
    }
    case arrow::Type::MAP: {
      const auto& map = static_cast<const arrow::MapArray&>(array);
      *out += '{';
      for (int64_t k = map.value_offset(i); k < map.value_offset(i) + map.value_length(i); ++k) {
        if (k > map.value_offset(i)) *out += ',';
        AppendValueJson(*map.keys(), k, out);
        *out += ':';
        AppendValueJson(*map.items(), k, out);
      }
      *out += '}';
      return;
    }
    case arrow::Type::LIST: {
      const auto& list = static_cast<const arrow::ListArray&>(array);
      *out += '[';
      for (int64_t k = list.value_offset(i); k < list.value_offset(i) + list.value_length(i); ++k) {
        if (k > list.value_offset(i)) *out += ',';
        AppendValueJson(*list.values(), k, out);
      }
      *out += ']';
      return;
    }
    default:
      *out += array.GetScalar(i).ValueOrDie()->ToString();
  }
}

// Row `row` of `batch` as a JSON object of every column, in schema order.
inline std::string RowJson(const arrow::RecordBatch& batch, int64_t row) {
  std::string out = "{";
  for (int c = 0; c < batch.num_columns(); ++c) {
    if (c > 0) out += ',';
    out += '"' + batch.schema()->field(c)->name() + "\":";
    AppendValueJson(*batch.column(c), row, &out);
  }
  return out + "}";
}

// Every row of every batch, in order.
inline std::vector<std::string> AllRowsJson(const std::vector<std::shared_ptr<arrow::RecordBatch>>& batches) {
  std::vector<std::string> rows;
  for (const auto& batch : batches) {
    for (int64_t r = 0; r < batch->num_rows(); ++r) rows.push_back(RowJson(*batch, r));
  }
  return rows;
}

}  // namespace inlet::json::testing
