// Deletion vectors (PROTOCOL.md "Deletion Vectors", "Deletion Vector Format"): the rows of a
// data file another writer deleted without rewriting it, as a 64-bit Roaring bitmap stored
// inline in the log (Z85 text) or in a deletion_vector_<uuid>.bin file beside the data.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "inlet/util/status.h"

namespace inlet::delta {

// An add's `deletionVector`.
struct DeletionVectorDescriptor {
  std::string storage_type;      // "u" (uuid-named file), "i" (inline), "p" (absolute path)
  std::string path_or_inline_dv;
  std::optional<int64_t> offset;  // u/p: where its size field starts in the file
  int64_t size_in_bytes = 0;      // the serialized bitmap's size
  int64_t cardinality = 0;        // rows deleted
};

// Z85 (ZeroMQ base85) text to bytes; its length must be a multiple of 5.
Result<std::string> DecodeZ85(std::string_view text);

// The file a "u" descriptor names, relative to the table: <prefix>/deletion_vector_<uuid>.bin.
Result<std::string> DeletionVectorRelativePath(const DeletionVectorDescriptor& descriptor);

// Row positions in a serialized RoaringBitmapArray (magic 1681511377, then the portable
// 64-bit Roaring format), ascending. Malformed input fails, never reads out of bounds.
Result<std::vector<uint64_t>> DecodeRoaringBitmapArray(std::string_view bytes);

// The deleted row positions of one data file (checksum checked for files), ascending.
// `where` names the data file in errors.
Result<std::vector<uint64_t>> ReadDeletionVector(const DeletionVectorDescriptor& descriptor,
                                                 const std::string& table_dir, const std::string& where);

}  // namespace inlet::delta
