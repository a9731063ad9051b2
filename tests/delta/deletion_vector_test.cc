// Deletion vectors: Z85, uuid file names, every Roaring container kind, the on-disk layout
// with its checksum, and malformed input refused rather than misread.
#include "inlet/delta/deletion_vector.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

namespace inlet::delta {
namespace {

void Put(std::string* out, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out->push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

std::string Z85(const std::string& bytes) {
  static const char* alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  std::string padded = bytes;
  while (padded.size() % 4 != 0) padded.push_back('\0');
  std::string out;
  for (size_t i = 0; i < padded.size(); i += 4) {
    uint32_t value = 0;
    for (int j = 0; j < 4; ++j) value = (value << 8) | static_cast<unsigned char>(padded[i + j]);
    char group[5];
    for (int j = 4; j >= 0; --j, value /= 85) group[j] = alphabet[value % 85];
    out.append(group, 5);
  }
  return out;
}

// A RoaringBitmapArray with bucket 0 holding an array container {1, 5} (key 0) and a run
// container [10, 12] (key 1), and bucket 2 holding a bitmap container of 4097 values.
std::string SampleBitmap() {
  std::string out;
  Put(&out, 1681511377, 4);
  Put(&out, 2, 8);  // buckets
  Put(&out, 0, 4);  // bucket key 0: with runs, 2 containers
  Put(&out, 12347 | (1u << 16), 4);
  out.push_back(0b10);  // container 1 is a run container
  Put(&out, 0, 2); Put(&out, 1, 2);   // key 0, cardinality 2
  Put(&out, 1, 2); Put(&out, 2, 2);   // key 1, cardinality 3
  Put(&out, 1, 2); Put(&out, 5, 2);   // array {1, 5}
  Put(&out, 1, 2); Put(&out, 10, 2); Put(&out, 2, 2);  // one run: 10, length 2 -> 10..12
  Put(&out, 2, 4);  // bucket key 2: no runs, 1 container
  Put(&out, 12346, 4);
  Put(&out, 1, 4);
  Put(&out, 0, 2); Put(&out, 4096, 2);  // key 0, cardinality 4097: a bitmap
  Put(&out, 0, 4);  // offsets
  std::string bits(8192, '\0');
  for (int v = 0; v < 4097; ++v) bits[v / 8] = static_cast<char>(bits[v / 8] | (1 << (v % 8)));
  out += bits;
  return out;
}

TEST(DeletionVector, DecodesArrayRunAndBitmapContainersAcrossBuckets) {
  auto rows = DecodeRoaringBitmapArray(SampleBitmap());
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 5u + 4097u);
  EXPECT_EQ((std::vector<uint64_t>(rows->begin(), rows->begin() + 6)),
            (std::vector<uint64_t>{1, 5, 65536 + 10, 65536 + 11, 65536 + 12, 2ull << 32}));
  EXPECT_EQ(rows->back(), (2ull << 32) + 4096);
}

TEST(DeletionVector, TruncatedOrForeignBytesAreErrors) {
  const std::string bitmap = SampleBitmap();
  for (size_t cut : {0ul, 3ul, 12ul, 20ul, 40ul, bitmap.size() - 1}) {
    EXPECT_FALSE(DecodeRoaringBitmapArray(bitmap.substr(0, cut)).ok()) << cut;
  }
  std::string wrong_magic = bitmap;
  wrong_magic[0] ^= 1;
  EXPECT_FALSE(DecodeRoaringBitmapArray(wrong_magic).ok());
}

TEST(DeletionVector, Z85AndUuidFileNamesDecodeAsDeltaWritesThem) {
  auto bytes = DecodeZ85("HelloWorld");
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, std::string("\x86\x4F\xD2\x6F\xB5\x59\xF7\x5B", 8));  // the Z85 spec's example
  EXPECT_FALSE(DecodeZ85("abc").ok());
  DeletionVectorDescriptor descriptor;
  descriptor.storage_type = "u";
  descriptor.path_or_inline_dv = "ab" + Z85(std::string("\xc6\x64\x1b\x34\x63\xde\x47\x36\xb9\x15\x25\x52\x0b\x70\x07\x40", 16));
  auto path = DeletionVectorRelativePath(descriptor);
  ASSERT_TRUE(path.ok()) << path.status().ToString();
  EXPECT_EQ(*path, "ab/deletion_vector_c6641b34-63de-4736-b915-25520b700740.bin");
}

TEST(DeletionVector, InlineVectorsAreTheirFirstSizeInBytes) {
  std::string bitmap;
  Put(&bitmap, 1681511377, 4);
  Put(&bitmap, 1, 8);
  Put(&bitmap, 0, 4);
  Put(&bitmap, 12346, 4);
  Put(&bitmap, 1, 4);
  Put(&bitmap, 0, 2); Put(&bitmap, 0, 2);
  Put(&bitmap, 0, 4);
  Put(&bitmap, 3, 2);  // {3}: 34 bytes, padded to 36 by Z85
  DeletionVectorDescriptor descriptor{"i", Z85(bitmap), std::nullopt, static_cast<int64_t>(bitmap.size()), 1};
  auto rows = ReadDeletionVector(descriptor, "/nowhere", "f.parquet");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(*rows, (std::vector<uint64_t>{3}));
  descriptor.cardinality = 2;  // the log and the bitmap disagree
  EXPECT_FALSE(ReadDeletionVector(descriptor, "/nowhere", "f.parquet").ok());
}

TEST(DeletionVector, FilesAreReadAtTheirOffsetAndChecksummed) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("inlet_dv_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string bitmap = SampleBitmap();
  std::string file(1, '\x01');
  auto put_be = [&](uint32_t v) { for (int s = 24; s >= 0; s -= 8) file.push_back(static_cast<char>((v >> s) & 0xFF)); };
  put_be(static_cast<uint32_t>(bitmap.size()));
  file += bitmap;
  // CRC-32 (IEEE) of the bitmap, computed bit by bit here.
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bitmap) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
  }
  put_be(crc ^ 0xFFFFFFFFu);
  const std::string uuid_bytes("\x00\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd\xee\xff", 16);
  std::ofstream(dir / "deletion_vector_00112233-4455-6677-8899-aabbccddeeff.bin", std::ios::binary) << file;
  DeletionVectorDescriptor descriptor{"u", Z85(uuid_bytes), 1, static_cast<int64_t>(bitmap.size()), 5 + 4097};
  auto rows = ReadDeletionVector(descriptor, dir.string(), "f.parquet");
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(rows->size(), 5u + 4097u);

  file[10] ^= 1;  // a flipped bit inside the bitmap
  std::ofstream(dir / "deletion_vector_00112233-4455-6677-8899-aabbccddeeff.bin", std::ios::binary) << file;
  auto corrupt = ReadDeletionVector(descriptor, dir.string(), "f.parquet");
  ASSERT_FALSE(corrupt.ok());
  EXPECT_NE(corrupt.status().message().find("checksum"), std::string::npos);
  descriptor.offset = 100000;
  EXPECT_FALSE(ReadDeletionVector(descriptor, dir.string(), "f.parquet").ok());
  fs::remove_all(dir);
}

}  // namespace
}  // namespace inlet::delta
