// The binary encoding of VARIANT values (Parquet's VariantEncoding.md, what Delta's
// variantType feature stores): one value = a metadata buffer (the dictionary of object keys)
// and a value buffer. VariantBuilder writes values in the layout Spark's parse_json writes
// (smallest integer, decimal and offset widths; keys in first-seen order, unsorted flag), so
// a table inlet writes reads back in Spark exactly as if Spark had loaded it.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "inlet/util/status.h"

namespace inlet {

struct VariantValue {
  std::string metadata;
  std::string value;
};

// Spark refuses a variant whose value or metadata passes 128 MiB (VARIANT_SIZE_LIMIT).
inline constexpr int64_t kVariantSizeLimit = int64_t{128} << 20;

class VariantBuilder {
 public:
  struct Options {
    // Spark's spark.sql.variant.allowDuplicateKeys: false refuses an object that repeats a
    // key; true keeps the last occurrence.
    bool allow_duplicate_keys = false;
  };

  VariantBuilder() = default;
  explicit VariantBuilder(Options options) : options_(options) {}

  void AppendNull();
  void AppendBool(bool value);
  void AppendInt(int64_t value);  // int8/16/32/64, the smallest that holds it
  void AppendDouble(double value);
  // A decimal with up to 38 digits: value = unscaled / 10^scale, 0 <= scale <= 38.
  void AppendDecimal(__int128 unscaled, int scale);
  void AppendString(std::string_view utf8);

  // Containers: Start*, then the elements (for an object, AddKey before each value), then
  // End* with what Start* returned. Containers nest.
  struct Container {
    size_t start;        // where the container's elements begin in the value buffer
    size_t first_entry;  // its first entry in entries_
  };
  Container StartObject();
  void AddKey(std::string_view key);
  Status EndObject(Container object);
  Container StartArray();
  void StartElement();  // before each array element
  void EndArray(Container array);

  // The finished value; the builder is then empty again. The second form reuses `out`'s
  // buffers, for a caller encoding value after value.
  Result<VariantValue> Finish();
  Status Finish(VariantValue* out);
  // Drops a value left unfinished (its input turned out malformed).
  void Clear();

 private:
  struct Entry {
    uint32_t key_id;  // objects only
    size_t offset;    // where the element starts, relative to the container's start
  };
  // Transparent, so a key is looked up as the string_view it arrives as.
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  // A key's id in the value being built, valid when `value` is values_.
  struct KeySlot {
    uint64_t value = UINT64_MAX;
    uint32_t id = 0;
  };
  static constexpr size_t kRememberedKeys = 4096;

  uint32_t KeyId(std::string_view key);
  void DropOverriddenFields(Container object, const std::vector<size_t>& kept, std::vector<size_t>* offsets);

  Options options_;
  std::string value_;
  std::vector<Entry> entries_;  // a stack: the open containers' elements, innermost last
  std::vector<std::string_view> keys_;  // this value's keys by id, viewing key_ids_'s keys
  // Keys of this and earlier values (up to kRememberedKeys), kept so that records with the
  // same keys cost no allocation; Clear() starts a new value by counting up values_.
  std::unordered_map<std::string, KeySlot, KeyHash, std::equal_to<>> key_ids_;
  uint64_t values_ = 0;
  // EndObject's working space, kept between calls (containers end one at a time).
  std::vector<size_t> scratch_order_, scratch_kept_, scratch_offsets_;
  std::string scratch_header_;
};

// Writes a variant as JSON text, objects' keys in their stored (sorted) order; for tests and
// for showing VARIANT columns. Refuses a buffer that is not a well-formed variant.
Result<std::string> VariantToJson(const VariantValue& variant);

}  // namespace inlet
