// Which Parquet columns of a data file skip dictionary encoding. Parquet's writer hashes
// every value into a dictionary until the dictionary page fills, then falls back to plain
// encoding: for a column of unique values that is hashing thrown away, in every file.
#pragma once

#include <string>
#include <vector>

#include <arrow/type_fwd.h>

namespace inlet::write {

// Rows of the first batch looked at, and how many non-null values make a sample.
constexpr int64_t kDictionarySampleRows = 4096;
constexpr int64_t kDictionaryMinSample = 64;

// Parquet column paths ("coordinates.latitude") of the leaves outside lists and maps to
// write plain: floating-point leaves (measurements rarely repeat), and string and integer
// leaves whose sampled values in `first_batch` are more than half distinct (ids, serial
// numbers, timestamps). Low-cardinality leaves (countries, states) keep the dictionary.
std::vector<std::string> PlainEncodedColumnPaths(const arrow::RecordBatch& first_batch);

}  // namespace inlet::write
