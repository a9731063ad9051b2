// Chunked NDJSON line splitting (memchr over a reused buffer), with on-the-fly gzip/zstd
// decompression and a bound on line length, and padded whole-file reads.
#include "inlet/formats/json/json_input.h"

#include "inlet/storage/file_system.h"

#include <arrow/io/compressed.h>
#include <arrow/util/compression.h>
#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace inlet::json {
namespace {

Status IoError(const std::string& path, const char* what, const Status& cause) {
  return Status::IOError(path, ": ", what, ": ", cause.message());
}

// The file at `path` (a path or URI) on its storage.
Result<std::shared_ptr<arrow::io::RandomAccessFile>> OpenSource(const std::string& path) {
  auto place = storage::Resolve("", path);
  if (!place.ok()) return place.status();
  auto file = place->fs->OpenForRead(place->path);
  if (!file.ok()) return IoError(path, "cannot open", file.status());
  return file;
}

bool IsBlank(const char* data, size_t size) {
  for (size_t i = 0; i < size; ++i) {
    const char c = data[i];
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

constexpr unsigned char kBom[] = {0xEF, 0xBB, 0xBF};

bool EndsWith(const std::string& text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    char c = text[text.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

const char* CompressionName(JsonCompression compression) {
  return compression == JsonCompression::kGzip ? "gzip" : "zstd";
}

// A decompressing stream over the file; `codec` must outlive `stream`.
struct DecompressedFile {
  std::unique_ptr<arrow::util::Codec> codec;
  std::shared_ptr<arrow::io::CompressedInputStream> stream;
  int64_t disk_bytes = 0;
};

Status OpenDecompressed(const std::string& path, JsonCompression compression, DecompressedFile* out) {
  INLET_ASSIGN_OR_RAISE(auto file, OpenSource(path));
  auto size = file->GetSize();
  if (!size.ok()) return Status::IOError(path, ": cannot stat: ", size.status().message());
  out->disk_bytes = *size;
  auto codec = arrow::util::Codec::Create(compression == JsonCompression::kGzip ? arrow::Compression::GZIP
                                                                                : arrow::Compression::ZSTD);
  if (!codec.ok()) {
    return Status::NotImplemented(path, ": no ", CompressionName(compression),
                                  " codec in this build: ", codec.status().message());
  }
  out->codec = std::move(*codec);
  auto stream = arrow::io::CompressedInputStream::Make(out->codec.get(), file);
  if (!stream.ok()) return Status::IOError(path, ": ", stream.status().message());
  out->stream = std::move(*stream);
  return Status::OK();
}

// A failed read of a compressed file (corrupt or truncated): an IOError naming it.
Status DecompressError(const std::string& path, JsonCompression compression, const Status& status) {
  return Status::IOError(path, ": cannot decompress ", CompressionName(compression),
                         " (corrupt or truncated file?): ", status.message());
}

// '[' and '{' are the only bytes that OR 0x20 turns into '{' (0x7B).
size_t CountOpenBrackets(const char* text, size_t size) {
  size_t total = 0;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i lower = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8(0x7B);
  while (i + 16 <= size) {
    // Byte counters hold at most 255 blocks before they are summed.
    __m128i counts = _mm_setzero_si128();
    for (int blocks = 0; blocks < 255 && i + 16 <= size; ++blocks, i += 16) {
      const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text + i));
      counts = _mm_sub_epi8(counts, _mm_cmpeq_epi8(_mm_or_si128(bytes, lower), open));
    }
    const __m128i sums = _mm_sad_epu8(counts, _mm_setzero_si128());
    total += static_cast<size_t>(_mm_cvtsi128_si32(sums)) + static_cast<size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < size; ++i) total += (static_cast<unsigned char>(text[i]) | 0x20) == 0x7B;
  return total;
}

}  // namespace

JsonCompression CompressionOfPath(const std::string& path) {
  if (EndsWith(path, ".gz")) return JsonCompression::kGzip;
  if (EndsWith(path, ".zst") || EndsWith(path, ".zstd")) return JsonCompression::kZstd;
  return JsonCompression::kNone;
}

struct NdjsonLineReader::Decompressor {
  JsonCompression compression = JsonCompression::kNone;
  DecompressedFile file;
};

NdjsonLineReader::NdjsonLineReader() = default;

NdjsonLineReader::~NdjsonLineReader() = default;

void NdjsonLineReader::SetLineLimit(int64_t max_line_bytes, size_t keep_bytes) {
  max_line_bytes_ = std::max<int64_t>(max_line_bytes, 0);
  keep_bytes_ = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(keep_bytes), max_line_bytes_));
}

Status NdjsonLineReader::Open(const std::string& path, size_t chunk_size, int64_t range_begin,
                              int64_t range_end) {
  path_ = path;
  range_begin_ = std::max<int64_t>(range_begin, 0);
  range_end_ = range_end;
  const JsonCompression compression = CompressionOfPath(path);
  if (compression != JsonCompression::kNone) {
    if (range_begin_ > 0 || range_end_ >= 0) {
      return Status::Invalid(path, ": a ", CompressionName(compression),
                             " compressed file cannot be read by byte range");
    }
    decompressor_ = std::make_unique<Decompressor>();
    decompressor_->compression = compression;
    INLET_RETURN_NOT_OK(OpenDecompressed(path, compression, &decompressor_->file));
    compressed_size_ = decompressor_->file.disk_bytes;
  } else {
    INLET_ASSIGN_OR_RAISE(file_, OpenSource(path));
  }
  // From the byte before the range: if it is a newline, the range starts with a line.
  buffer_offset_ = range_begin_ > 0 ? range_begin_ - 1 : 0;
  read_position_ = buffer_offset_;
  skip_partial_line_ = range_begin_ > 0;
  buffer_size_ = std::max<size_t>(chunk_size, 64);
  buffer_.reset(new char[buffer_size_ + simdjson::SIMDJSON_PADDING]);
  begin_ = end_ = 0;
  eof_ = false;
  at_start_ = range_begin_ == 0;  // only the file's start can hold a BOM
  line_number_ = 0;
  bytes_read_ = 0;
  first_line_offset_ = -1;
  lines_before_range_.reset();
  return Status::OK();
}

Result<int64_t> NdjsonLineReader::FileLineNumber(int64_t number) {
  if (range_begin_ == 0) return number;
  if (!lines_before_range_) {
    // Lines before the range: newlines in [0, first line's offset).
    const int64_t upto = first_line_offset_ >= 0 ? first_line_offset_ : range_begin_;
    INLET_ASSIGN_OR_RAISE(auto file, OpenSource(path_));
    std::unique_ptr<char[]> chunk(new char[1 << 20]);
    int64_t done = 0, newlines = 0;
    while (done < upto) {
      auto n = file->ReadAt(done, std::min<int64_t>(upto - done, 1 << 20), chunk.get());
      if (!n.ok()) return IoError(path_, "read failed", n.status());
      if (*n <= 0) break;
      newlines += std::count(chunk.get(), chunk.get() + *n, '\n');
      done += *n;
    }
    lines_before_range_ = newlines;
  }
  return *lines_before_range_ + number;
}

Status NdjsonLineReader::Fill() {
  if (begin_ > 0) {
    std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    buffer_offset_ += static_cast<int64_t>(begin_);
    begin_ = 0;
  }
  if (end_ == buffer_size_) {  // one line longer than the buffer: grow it
    const size_t bigger = buffer_size_ * 2;
    std::unique_ptr<char[]> grown(new char[bigger + simdjson::SIMDJSON_PADDING]);
    std::memcpy(grown.get(), buffer_.get(), end_);
    buffer_ = std::move(grown);
    buffer_size_ = bigger;
  }
  while (end_ < buffer_size_) {
    auto read = ReadSome(buffer_.get() + end_, buffer_size_ - end_);
    if (!read.ok()) {
      // A corrupt compressed file: the whole lines decoded before the damage are handed
      // out first and the error after them (ignoreCorruptFiles keeps those records).
      if (decompressor_ == nullptr || !read.status().IsIOError()) return read.status();
      read_error_ = read.status();
      eof_ = true;
      break;
    }
    const size_t n = *read;
    if (n == 0) {
      eof_ = true;
      break;
    }
    end_ += n;
    bytes_read_ += static_cast<int64_t>(n);
    if (end_ - begin_ >= buffer_size_ / 2) break;  // enough to work on
  }
  if (at_start_ && end_ >= 3) {
    at_start_ = false;
    if (std::memcmp(buffer_.get(), kBom, 3) == 0) begin_ = 3;
  } else if (at_start_ && eof_) {
    at_start_ = false;
  }
  return Status::OK();
}

Result<size_t> NdjsonLineReader::ReadSome(char* out, size_t size) {
  if (decompressor_ != nullptr) {
    // Small reads: a read that meets the damage loses what it decoded, so little is lost.
    size = std::min<size_t>(size, 64 << 10);
    auto n = decompressor_->file.stream->Read(static_cast<int64_t>(size), out);
    if (!n.ok()) return DecompressError(path_, decompressor_->compression, n.status());
    return static_cast<size_t>(*n);
  }
  auto n = file_->ReadAt(read_position_, static_cast<int64_t>(size), out);
  if (!n.ok()) return IoError(path_, "read failed", n.status());
  read_position_ += *n;
  return static_cast<size_t>(*n);
}

// The line starting at `offset` (buffered from begin_ to end_, no newline yet) is over the
// limit: keep its first bytes apart, then read on to its newline reusing the buffer from
// its start, so the line is never held whole.
Result<bool> NdjsonLineReader::SkipOversized(JsonLine* line, int64_t offset) {
  oversized_prefix_.assign(buffer_.get() + begin_, std::min(keep_bytes_, end_ - begin_));
  int64_t length = static_cast<int64_t>(end_ - begin_);
  char last = buffer_[end_ - 1];
  begin_ = end_;
  while (!eof_) {
    INLET_RETURN_NOT_OK(Fill());  // begin_ == end_: the buffer is emptied, not grown
    const char* base = buffer_.get();
    const char* newline = static_cast<const char*>(std::memchr(base, '\n', end_));
    if (newline != nullptr) {
      const size_t size = static_cast<size_t>(newline - base);
      length += static_cast<int64_t>(size);
      if (size > 0) last = base[size - 1];
      begin_ = size + 1;
      break;
    }
    length += static_cast<int64_t>(end_);
    if (end_ > 0) last = base[end_ - 1];
    begin_ = end_;
  }
  ++line_number_;
  if (first_line_offset_ < 0) first_line_offset_ = offset;
  line->data = oversized_prefix_.data();
  line->size = oversized_prefix_.size();
  line->capacity = line->size;  // not for simdjson: an oversized line is never parsed
  line->number = line_number_;
  line->offset = offset;
  line->oversized = true;
  line->full_size = length - (last == '\r' ? 1 : 0);
  return true;
}

Result<bool> NdjsonLineReader::Next(JsonLine* line) {
  while (true) {
    char* base = buffer_.get();
    const char* start = base + begin_;
    const char* newline = static_cast<const char*>(std::memchr(start, '\n', end_ - begin_));
    if (skip_partial_line_) {
      // The tail of the line the previous range owns (just its newline, when the range
      // starts a line).
      if (newline == nullptr && !eof_) {
        begin_ = end_;  // none of it is needed: do not let a long line grow the buffer
        INLET_RETURN_NOT_OK(Fill());
        continue;
      }
      begin_ = newline != nullptr ? static_cast<size_t>(newline - base) + 1 : end_;
      skip_partial_line_ = false;
      continue;
    }
    // A BOM belongs to the first line: it starts at 0, so the range holding byte 0 owns it.
    const int64_t line_offset = line_number_ == 0 && range_begin_ == 0 ? 0 : buffer_offset_ + static_cast<int64_t>(begin_);
    if (range_end_ >= 0 && line_offset >= range_end_) return false;  // the next range's line
    size_t size;
    if (newline != nullptr) {
      size = static_cast<size_t>(newline - start);
      begin_ += size + 1;
    } else if (!eof_) {
      // One more byte than the limit may be the CR of a CRLF line.
      if (static_cast<int64_t>(end_ - begin_) > max_line_bytes_ + 1) return SkipOversized(line, line_offset);
      INLET_RETURN_NOT_OK(Fill());
      continue;
    } else if (!read_error_.ok()) {
      begin_ = end_;  // a line cut by the damage is no record
      return read_error_;
    } else if (begin_ < end_) {  // the last line has no newline
      size = end_ - begin_;
      begin_ = end_;
    } else {
      return false;
    }
    ++line_number_;
    if (first_line_offset_ < 0) first_line_offset_ = line_offset;
    if (size > 0 && start[size - 1] == '\r') --size;
    if (IsBlank(start, size)) continue;
    line->data = start;
    line->size = size;
    line->capacity = static_cast<size_t>(base + buffer_size_ + simdjson::SIMDJSON_PADDING - start);
    line->number = line_number_;
    line->offset = line_offset;
    line->oversized = static_cast<int64_t>(size) > max_line_bytes_;
    if (ARROW_PREDICT_FALSE(line->oversized)) {
      line->full_size = static_cast<int64_t>(size);
      line->size = std::min(size, keep_bytes_);
    }
    return true;
  }
}

namespace {

// The first `keep` bytes of a file whose text is longer than `max_bytes`, or all of it.
Result<PaddedFile> ReadPlainFile(const std::string& path, int64_t max_bytes, size_t keep) {
  INLET_ASSIGN_OR_RAISE(auto input, OpenSource(path));
  auto size = input->GetSize();
  if (!size.ok()) return IoError(path, "cannot stat", size.status());
  PaddedFile file;
  file.disk_bytes = *size;
  file.oversized = file.disk_bytes > max_bytes;
  size_t wanted = static_cast<size_t>(*size);
  if (file.oversized) wanted = std::min(wanted, keep);
  file.text = simdjson::padded_string(wanted);
  size_t done = 0;
  while (done < wanted) {
    auto n = input->ReadAt(static_cast<int64_t>(done), static_cast<int64_t>(wanted - done), file.text.data() + done);
    if (!n.ok()) return IoError(path, "read failed", n.status());
    if (*n <= 0) return Status::IOError(path, ": file shrank while being read");
    done += static_cast<size_t>(*n);
  }
  return file;
}

Result<PaddedFile> ReadCompressedFile(const std::string& path, JsonCompression compression, int64_t max_bytes,
                                      size_t keep) {
  DecompressedFile input;
  INLET_RETURN_NOT_OK(OpenDecompressed(path, compression, &input));
  PaddedFile file;
  file.disk_bytes = input.disk_bytes;
  std::string text;
  constexpr int64_t kChunk = 1 << 20;
  while (true) {
    const size_t before = text.size();
    text.resize(before + kChunk);
    auto n = input.stream->Read(kChunk, text.data() + before);
    if (!n.ok()) return DecompressError(path, compression, n.status());
    text.resize(before + static_cast<size_t>(*n));
    if (static_cast<int64_t>(text.size()) > max_bytes) {
      file.oversized = true;  // the rest is never read
      text.resize(std::min(text.size(), keep));
      break;
    }
    if (*n == 0) break;
  }
  file.text = simdjson::padded_string(text.data(), text.size());
  return file;
}

}  // namespace

Result<PaddedFile> ReadPaddedFile(const std::string& path, int64_t max_bytes, size_t keep_bytes) {
  const JsonCompression compression = CompressionOfPath(path);
  INLET_ASSIGN_OR_RAISE(PaddedFile file, compression == JsonCompression::kNone
                                             ? ReadPlainFile(path, max_bytes, keep_bytes)
                                             : ReadCompressedFile(path, compression, max_bytes, keep_bytes));
  if (file.text.size() >= 3 && std::memcmp(file.text.data(), kBom, 3) == 0) std::memset(file.text.data(), ' ', 3);
  return file;
}

Result<simdjson::padded_string> ReadPaddedFile(const std::string& path) {
  INLET_ASSIGN_OR_RAISE(PaddedFile file, ReadPaddedFile(path, std::numeric_limits<int64_t>::max(), 0));
  return std::move(file.text);
}

int64_t FindTooDeepNesting(const char* text, size_t size, int max_depth) {
  const int64_t limit = std::max(max_depth, 0);
  // A valid value deeper than `limit` takes limit + 1 open brackets and as many closing
  // ones: most records are too short for that, and most of the rest have too few '[' '{'.
  if (static_cast<int64_t>(size) < 2 * (limit + 1)) return -1;
  if (static_cast<int64_t>(CountOpenBrackets(text, size)) <= limit) return -1;
  int64_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < size; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return static_cast<int64_t>(i);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return -1;
}

size_t EndOfFirstContainer(std::string_view text) {
  const size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos || (text[first] != '{' && text[first] != '[')) return std::string_view::npos;
  int64_t depth = 0;
  bool in_string = false;
  for (size_t i = first; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

std::string JsonErrorReason(simdjson::error_code error) {
  if (error == simdjson::UTF8_ERROR) return "invalid UTF-8";
  if (error == simdjson::TRAILING_CONTENT) return "unexpected content after the record's object";
  return std::string("invalid JSON: ") + simdjson::error_message(error);
}

std::string NotAnObjectReason(simdjson::ondemand::json_type found, bool in_array) {
  const char* name = "a value";
  switch (found) {
    case simdjson::ondemand::json_type::array:
      name = "an array";
      break;
    case simdjson::ondemand::json_type::object:
      name = "an object";
      break;
    case simdjson::ondemand::json_type::number:
      name = "a number";
      break;
    case simdjson::ondemand::json_type::string:
      name = "a string";
      break;
    case simdjson::ondemand::json_type::boolean:
      name = "a boolean";
      break;
    case simdjson::ondemand::json_type::null:
      name = "null";
      break;
  }
  if (in_array) return std::string("record is an array holding ") + name + " (an array's elements must all be JSON objects)";
  return std::string("record is not a JSON object (found ") + name + ")";
}

std::string TooDeepReason(int max_depth) {
  return "nesting deeper than " + std::to_string(max_depth) + " levels (inlet.maxNestingDepth)";
}

std::string TooLongReason(int64_t max_bytes) {
  return "record is longer than inlet.maxRecordBytes (" + std::to_string(max_bytes) + " bytes)";
}

Status CheckSimdjsonLinkage() {
  static const Status status = []() -> Status {
    Dl_info provider{};
    Dl_info self{};
    // In a PIE binary the address of an imported function is its definition's address.
    if (::dladdr(reinterpret_cast<void*>(&simdjson::get_active_implementation), &provider) == 0 ||
        ::dladdr(reinterpret_cast<void*>(&CheckSimdjsonLinkage), &self) == 0 ||
        provider.dli_fname == nullptr) {
      return Status::OK();  // cannot tell
    }
    const std::string_view library(provider.dli_fname);
    if (library.find("simdjson") != std::string_view::npos ||
        (self.dli_fname != nullptr && library == self.dli_fname)) {
      return Status::OK();
    }
    return Status::Invalid("simdjson resolves to ", library,
                           " (which bundles a different simdjson), not libsimdjson: link "
                           "simdjson::simdjson before the Arrow/Parquet libraries");
  }();
  return status;
}

int64_t LineOfOffset(std::string_view text, size_t offset) {
  offset = std::min(offset, text.size());
  return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(offset), '\n');
}

}  // namespace inlet::json
