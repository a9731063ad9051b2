// The constants of the variant binary layout (Parquet's VariantEncoding.md), shared by the
// builder and the reader of variants. Internal to schema/.
#pragma once

#include <cstddef>
#include <cstdint>

namespace inlet::variant_layout {

// The low two bits of a value's header byte.
enum BasicType : uint8_t { kPrimitive = 0, kShortString = 1, kObject = 2, kArray = 3 };

// The upper six bits of a primitive's header byte.
enum PrimitiveType : uint8_t {
  kNull = 0, kTrue = 1, kFalse = 2, kInt8 = 3, kInt16 = 4, kInt32 = 5, kInt64 = 6,
  kDouble = 7, kDecimal4 = 8, kDecimal8 = 9, kDecimal16 = 10, kDate = 11,
  kTimestamp = 12, kTimestampNtz = 13, kFloat = 14, kBinary = 15, kString = 16,
};

inline constexpr uint8_t kMetadataVersion = 1;
inline constexpr size_t kMaxShortStringSize = 63;

inline char PrimitiveHeader(PrimitiveType type) { return static_cast<char>(type << 2); }

// Bytes needed for an unsigned value: offsets and ids are written as narrow as they fit.
inline int IntegerSize(uint64_t value) {
  return value <= 0xFF ? 1 : value <= 0xFFFF ? 2 : value <= 0xFFFFFF ? 3 : 4;
}

}  // namespace inlet::variant_layout
