// RecordConverter's per-column state, shared by the fast path (json_convert.cc) and the
// rare paths (json_convert_rescue.cc). Internal to formats/json.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inlet/formats/json/json_convert.h"

namespace inlet::json {

// Lets a struct's name table be probed with the string_view of a key without a copy.
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
struct NameEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const { return a == b; }
};

struct RecordConverter::Column {
  TypeKind kind = TypeKind::kString;
  arrow::ArrayBuilder* builder = nullptr;  // null only for the root (RecordBatchBuilder's)
  int32_t precision = 0;
  int32_t scale = 0;
  std::vector<Column> children;  // struct: fields; array: {element}; map: {key, value}
  // Struct only: field lookup and the per-record "seen" marks (compared with `epoch`, so
  // nothing is cleared between records).
  std::vector<std::string> names;
  std::vector<uint8_t> plain;
  std::unordered_map<std::string, uint32_t, NameHash, NameEqual> index;
  std::vector<uint64_t> seen;
  uint64_t epoch = 0;
  // follow[s]: the slot whose key came after slot s's key in the last record (follow[n]:
  // the first key's slot). Learns the producer's key order, which rarely matches the
  // schema's (inferred schemas are sorted by name).
  std::vector<uint32_t> follow;
  // Struct only: lower-cased name -> first slot with it, for case variants of names.
  std::unordered_map<std::string, uint32_t, NameHash, NameEqual> lower_index;
  // Numeric columns: where they are (for widenings), and the widest type needed so far
  // (0 none, 1 long, 2 double).
  FieldPath path;
  // String columns: data bytes of the last flushed batch, reserved again for the next one.
  int64_t last_data_bytes = 0;
  uint8_t widened = 0;
};

}  // namespace inlet::json
