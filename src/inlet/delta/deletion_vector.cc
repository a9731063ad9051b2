// Deletion vector decoding: Z85, the uuid-named file's layout (version byte, then per vector
// a big-endian size, the bitmap, a big-endian CRC-32) and the portable Roaring format
// (RoaringFormatSpec), every read bounds-checked since the bytes come from another writer.
#include "inlet/delta/deletion_vector.h"

#include <array>
#include <cctype>

#include <fmt/format.h>

#include "inlet/storage/file_system.h"

namespace inlet::delta {
namespace {

constexpr uint32_t kRoaringBitmapArrayMagic = 1681511377;
constexpr uint32_t kSerialCookieNoRuns = 12346;
constexpr uint32_t kSerialCookie = 12347;
constexpr uint32_t kNoOffsetThreshold = 4;
constexpr uint32_t kMaxArrayContainer = 4096;

constexpr std::string_view kZ85Alphabet =
    "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";

// Little-endian reads over a byte range; any read past the end marks the reader failed.
class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool failed() const { return failed_; }
  size_t remaining() const { return failed_ ? 0 : bytes_.size() - pos_; }

  uint64_t Read(size_t width) {
    if (failed_ || bytes_.size() - pos_ < width) {
      failed_ = true;
      return 0;
    }
    uint64_t value = 0;
    for (size_t i = 0; i < width; ++i) {
      value |= static_cast<uint64_t>(static_cast<unsigned char>(bytes_[pos_ + i])) << (8 * i);
    }
    pos_ += width;
    return value;
  }
  uint16_t U16() { return static_cast<uint16_t>(Read(2)); }
  uint32_t U32() { return static_cast<uint32_t>(Read(4)); }
  uint64_t U64() { return Read(8); }
  void Skip(size_t count) {
    if (failed_ || bytes_.size() - pos_ < count) {
      failed_ = true;
      return;
    }
    pos_ += count;
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool failed_ = false;
};

Status Malformed(const std::string& why) {
  return Status::Invalid("malformed deletion vector: ", why);
}

// One 32-bit Roaring bitmap (RoaringFormatSpec), its values ORed with `high` into `out`.
Status DecodeRoaring32(ByteReader& in, uint64_t high, std::vector<uint64_t>* out) {
  const uint32_t cookie = in.U32();
  uint32_t containers = 0;
  bool has_runs = false;
  std::vector<uint8_t> run_flags;
  if ((cookie & 0xFFFF) == kSerialCookie) {
    has_runs = true;
    containers = (cookie >> 16) + 1;
    run_flags.resize((containers + 7) / 8);
    for (uint8_t& flags : run_flags) flags = static_cast<uint8_t>(in.Read(1));
  } else if (cookie == kSerialCookieNoRuns) {
    containers = in.U32();
  } else {
    return Malformed(fmt::format("unknown Roaring cookie {}", cookie));
  }
  if (in.failed() || containers > 65536) return Malformed("truncated Roaring header");
  std::vector<uint16_t> keys(containers), cardinalities(containers);
  for (uint32_t i = 0; i < containers; ++i) {
    keys[i] = in.U16();
    cardinalities[i] = in.U16();  // cardinality - 1
  }
  if (!has_runs || containers >= kNoOffsetThreshold) in.Skip(4 * static_cast<size_t>(containers));
  if (in.failed()) return Malformed("truncated Roaring header");
  for (uint32_t i = 0; i < containers; ++i) {
    const uint64_t base = high | (static_cast<uint64_t>(keys[i]) << 16);
    const uint32_t cardinality = static_cast<uint32_t>(cardinalities[i]) + 1;
    if (has_runs && (run_flags[i / 8] >> (i % 8)) & 1) {
      const uint16_t runs = in.U16();
      for (uint16_t r = 0; r < runs && !in.failed(); ++r) {
        const uint32_t start = in.U16();
        const uint32_t length = in.U16();  // the run holds length + 1 values
        if (start + length > 0xFFFF) return Malformed("Roaring run past its container");
        for (uint32_t v = start; v <= start + length; ++v) out->push_back(base | v);
      }
    } else if (cardinality <= kMaxArrayContainer) {
      for (uint32_t j = 0; j < cardinality && !in.failed(); ++j) out->push_back(base | in.U16());
    } else {
      for (uint32_t word = 0; word < 1024 && !in.failed(); ++word) {
        uint64_t bits = in.U64();
        while (bits != 0) {
          const int bit = __builtin_ctzll(bits);
          out->push_back(base | (word * 64 + static_cast<uint32_t>(bit)));
          bits &= bits - 1;
        }
      }
    }
    if (in.failed()) return Malformed("truncated Roaring container");
  }
  return Status::OK();
}

uint32_t Crc32(std::string_view bytes) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t crc = 0xFFFFFFFFu;
  for (char ch : bytes) crc = table[(crc ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (crc >> 8);
  return crc ^ 0xFFFFFFFFu;
}

uint32_t BigEndian32(std::string_view bytes) {
  uint32_t value = 0;
  for (size_t i = 0; i < 4; ++i) value = (value << 8) | static_cast<unsigned char>(bytes[i]);
  return value;
}

// An absolute DV path has the form of an add path: a URI, percent-encoded.
std::string DecodedUri(const std::string& uri) {
  std::string decoded;
  for (size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && std::isxdigit(static_cast<unsigned char>(uri[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(uri[i + 2]))) {
      decoded += static_cast<char>(std::stoi(uri.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      decoded += uri[i];
    }
  }
  return decoded;
}

}  // namespace

Result<std::string> DecodeZ85(std::string_view text) {
  if (text.size() % 5 != 0) return Malformed(fmt::format("Z85 text of {} characters", text.size()));
  std::string out;
  out.reserve(text.size() / 5 * 4);
  for (size_t i = 0; i < text.size(); i += 5) {
    uint64_t value = 0;
    for (size_t j = 0; j < 5; ++j) {
      const size_t digit = kZ85Alphabet.find(text[i + j]);
      if (digit == std::string_view::npos) return Malformed(fmt::format("'{}' is not Z85", text[i + j]));
      value = value * 85 + digit;
    }
    if (value > 0xFFFFFFFFull) return Malformed("Z85 group out of range");
    for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
  return out;
}

Result<std::string> DeletionVectorRelativePath(const DeletionVectorDescriptor& descriptor) {
  const std::string& text = descriptor.path_or_inline_dv;
  if (text.size() < 20) return Malformed(fmt::format("'{}' is too short for a uuid", text));
  INLET_ASSIGN_OR_RAISE(std::string uuid, DecodeZ85(std::string_view(text).substr(text.size() - 20)));
  std::string hex;
  for (size_t i = 0; i < uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) hex += '-';
    hex += fmt::format("{:02x}", static_cast<unsigned char>(uuid[i]));
  }
  const std::string prefix = text.substr(0, text.size() - 20);
  return (prefix.empty() ? "" : prefix + "/") + "deletion_vector_" + hex + ".bin";
}

Result<std::vector<uint64_t>> DecodeRoaringBitmapArray(std::string_view bytes) {
  ByteReader in(bytes);
  if (in.U32() != kRoaringBitmapArrayMagic || in.failed()) return Malformed("no RoaringBitmapArray magic number");
  const uint64_t buckets = in.U64();
  if (in.failed() || buckets > bytes.size()) return Malformed("bad bucket count");
  std::vector<uint64_t> out;
  for (uint64_t b = 0; b < buckets; ++b) {
    const uint64_t key = in.U32();
    if (in.failed()) return Malformed("truncated bucket");
    INLET_RETURN_NOT_OK(DecodeRoaring32(in, key << 32, &out));
  }
  return out;
}

Result<std::vector<uint64_t>> ReadDeletionVector(const DeletionVectorDescriptor& descriptor,
                                                 const std::string& table_dir, const std::string& where) {
  auto fail = [&](const Status& status) {
    return Status::Invalid(fmt::format("deletion vector of data file {}: {}", where, status.message()));
  };
  std::string bitmap;
  if (descriptor.storage_type == "i") {
    auto decoded = DecodeZ85(descriptor.path_or_inline_dv);
    if (!decoded.ok()) return fail(decoded.status());
    // Z85 works in 4-byte groups: the bitmap is the first sizeInBytes of them.
    if (descriptor.size_in_bytes < 0 || static_cast<size_t>(descriptor.size_in_bytes) > decoded->size()) {
      return fail(Malformed("sizeInBytes beyond the inline data"));
    }
    bitmap = decoded->substr(0, static_cast<size_t>(descriptor.size_in_bytes));
  } else if (descriptor.storage_type == "u" || descriptor.storage_type == "p") {
    std::string uri;
    if (descriptor.storage_type == "u") {
      auto relative = DeletionVectorRelativePath(descriptor);
      if (!relative.ok()) return fail(relative.status());
      uri = table_dir + "/" + *relative;
    } else {
      uri = DecodedUri(descriptor.path_or_inline_dv);
    }
    auto place = storage::Resolve("", uri);
    if (!place.ok()) return fail(place.status());
    const std::string& path = place->path;
    auto file = place->fs->ReadFile(path);
    if (!file.ok()) return fail(file.status());
    const int64_t offset = descriptor.offset.value_or(1);
    const int64_t size = descriptor.size_in_bytes;
    if (offset < 1 || size < 0 || static_cast<uint64_t>(offset) + 8 + static_cast<uint64_t>(size) > file->size()) {
      return fail(Malformed(fmt::format("offset {} and size {} outside {} ({} bytes)", offset, size, path,
                                        file->size())));
    }
    const std::string_view data(*file);
    if (BigEndian32(data.substr(offset, 4)) != static_cast<uint32_t>(size)) {
      return fail(Malformed(fmt::format("size field in {} does not match sizeInBytes {}", path, size)));
    }
    bitmap = std::string(data.substr(offset + 4, size));
    if (Crc32(bitmap) != BigEndian32(data.substr(offset + 4 + size, 4))) {
      return fail(Malformed(fmt::format("checksum mismatch in {}", path)));
    }
  } else {
    return fail(Status::NotImplemented(fmt::format("unknown storageType '{}'", descriptor.storage_type)));
  }
  auto rows = DecodeRoaringBitmapArray(bitmap);
  if (!rows.ok()) return fail(rows.status());
  if (static_cast<int64_t>(rows->size()) != descriptor.cardinality) {
    return fail(Malformed(fmt::format("{} rows decoded, cardinality says {}", rows->size(), descriptor.cardinality)));
  }
  return rows;
}

}  // namespace inlet::delta
