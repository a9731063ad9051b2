// Spark reads CSV without multiLine through Hadoop's line reader (lines end at \n, \r\n or
// \r, and each is a record on its own, so a quote cannot span lines), and with multiLine
// through univocity over the whole file (a record ends at a line end outside quotes; line
// ends inside quotes read as \n).
#include "inlet/formats/csv/csv_records.h"

#include <cstring>

#include "inlet/util/strings.h"

namespace inlet::csv {
namespace {

bool IsBlankText(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) > ' ') return false;
  }
  return true;
}

// windows-1252's 0x80-0x9F (0 where the code page has no character: read as U+FFFD).
constexpr char16_t kWindows1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(char32_t code, std::string* out) {
  if (code < 0x80) {
    out->push_back(static_cast<char>(code));
  } else if (code < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code >> 6)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xE0 | (code >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
}

void DecodeSingleByte(std::string_view text, Charset charset, std::string* out) {
  out->clear();
  for (unsigned char c : text) {
    char32_t code = c;
    if (charset == Charset::kWindows1252 && c >= 0x80 && c < 0xA0) {
      code = kWindows1252High[c - 0x80] != 0 ? kWindows1252High[c - 0x80] : 0xFFFD;
    }
    AppendUtf8(code, out);
  }
}

}  // namespace

Status CsvRecordReader::Open(const std::string& path, int64_t range_begin, int64_t range_end) {
  INLET_RETURN_NOT_OK(lines_.Open(path, json::NdjsonLineReader::kDefaultChunk, range_begin, range_end));
  // The line reader keeps this much of a longer line, which is then a malformed record.
  const int64_t limit = std::max<int64_t>(max_record_bytes_, 1);
  lines_.SetLineLimit(limit, static_cast<size_t>(std::min<int64_t>(limit, 64 << 10)));
  return Status::OK();
}

Result<bool> CsvRecordReader::NextLine() {
  while (true) {
    if (!have_physical_) {
      INLET_ASSIGN_OR_RAISE(bool more, lines_.Next(&physical_));
      if (!more) return false;
      have_physical_ = true;
      segment_begin_ = 0;
    }
    std::string_view whole(physical_.data, physical_.size);
    std::string_view rest = whole.substr(segment_begin_);
    const size_t cr = physical_.oversized ? std::string_view::npos : rest.find('\r');
    std::string_view piece = cr == std::string_view::npos ? rest : rest.substr(0, cr);
    line_offset_ = physical_.offset + static_cast<int64_t>(segment_begin_);
    line_number_ = physical_.number;
    line_oversized_ = physical_.oversized;
    if (cr == std::string_view::npos) {
      have_physical_ = false;
    } else {
      segment_begin_ += cr + 1;
    }
    if (options_.charset != Charset::kUtf8) {
      DecodeSingleByte(piece, options_.charset, &decoded_);
      piece = decoded_;
    }
    line_ = piece;
    return true;
  }
}

Result<bool> CsvRecordReader::Next(CsvRecord* record) {
  while (!done_) {
    INLET_ASSIGN_OR_RAISE(bool more, NextLine());
    if (!more) return false;
    if (IsBlankText(line_)) continue;  // Spark skips empty and all-space lines
    if (options_.comment != '\0' && line_[0] == options_.comment) continue;
    record->line = line_number_;
    record->offset = line_offset_;
    record->oversized = line_oversized_;
    record->text = line_;
    // Spark decodes bad bytes as U+FFFD; a record's text may also go to the corrupt column.
    if (FindInvalidUtf8(record->text) != std::string_view::npos) {
      record_ = ToValidUtf8(record->text);
      record->text = record_;
    }
    if (record->oversized) {
      record->values.clear();
      record->split = SplitResult{};
      return true;
    }
    record->split = tokenizer_.Split(record->text, &record->values);
    if (!options_.multi_line || !record->split.open_quote) return true;
    // multiLine: a quoted value is open, so the record goes on over the next lines; lines the
    // line reader skipped as blank were inside the value.
    if (record->text.data() != record_.data()) record_.assign(record->text);
    int64_t last_line = line_number_;
    while (record->split.open_quote) {
      INLET_ASSIGN_OR_RAISE(bool more_lines, NextLine());
      if (!more_lines) {
        // The quote never closed: the value runs to the end of the file, its last line break
        // included (as Spark reads it).
        if (lines_.bytes_read() > physical_.offset + static_cast<int64_t>(physical_.size)) {
          record_.push_back('\n');
          record->text = record_;
          record->split = tokenizer_.Split(record->text, &record->values);
        }
        break;
      }
      record_.append(static_cast<size_t>(std::max<int64_t>(line_number_ - last_line, 1)), '\n');
      last_line = line_number_;
      if (line_oversized_ || static_cast<int64_t>(record_.size() + line_.size()) > max_record_bytes_) {
        record_.append(line_.substr(0, std::min<size_t>(line_.size(), 64 << 10)));
        record->oversized = true;
        break;
      }
      record_.append(line_);
      if (FindInvalidUtf8(record_) != std::string_view::npos) record_ = ToValidUtf8(record_);
      record->text = record_;
      record->split = tokenizer_.Split(record->text, &record->values);
    }
    if (record->oversized && FindInvalidUtf8(record_) != std::string_view::npos) record_ = ToValidUtf8(record_);
    record->text = record_;
    if (record->oversized) {
      // Where the value ends is unknown, so nothing after it can be told apart from it: the
      // rest of the file is this one malformed record (as a multiLine JSON file over the limit).
      record->values.clear();
      record->split = SplitResult{};
      done_ = true;
    }
    return true;
  }
  return false;
}

}  // namespace inlet::csv
