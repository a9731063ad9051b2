// VariantToJson: reads a variant's bytes with every offset checked against its buffer, since
// the bytes may come from a file another tool wrote.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <vector>

#include "inlet/schema/variant.h"
#include "inlet/schema/variant_layout.h"

namespace inlet {

using namespace variant_layout;

namespace {

constexpr int kMaxVariantDepth = 1000;

class VariantReader {
 public:
  explicit VariantReader(const VariantValue& variant) : variant_(variant) {}

  Status ReadMetadata() {
    const std::string& m = variant_.metadata;
    if (m.empty() || (m[0] & 0x0F) != kMetadataVersion) {
      return Status::Invalid("variant: metadata of an unknown version");
    }
    int offset_size = ((static_cast<uint8_t>(m[0]) >> 6) & 0x3) + 1;
    INLET_ASSIGN_OR_RAISE(uint64_t count, Read(m, 1, offset_size));
    size_t offsets_at = 1 + offset_size;
    size_t strings_at = offsets_at + (count + 1) * offset_size;
    if (count > m.size() || strings_at > m.size()) return Truncated();
    for (uint64_t i = 0; i < count; ++i) {
      INLET_ASSIGN_OR_RAISE(uint64_t begin, Read(m, offsets_at + i * offset_size, offset_size));
      INLET_ASSIGN_OR_RAISE(uint64_t end, Read(m, offsets_at + (i + 1) * offset_size, offset_size));
      if (begin > end || strings_at + end > m.size()) return Truncated();
      keys_.emplace_back(m.data() + strings_at + begin, end - begin);
    }
    return Status::OK();
  }

  Status Value(size_t at, size_t end, int depth, std::string& out) {
    const std::string& v = variant_.value;
    if (at >= end || end > v.size()) return Truncated();
    if (depth > kMaxVariantDepth) return Status::Invalid("variant: nested too deeply");
    auto header = static_cast<uint8_t>(v[at]);
    switch (header & 0x3) {
      case kShortString: {
        size_t length = header >> 2;
        if (at + 1 + length > end) return Truncated();
        return String(std::string_view(v.data() + at + 1, length), out);
      }
      case kObject: return Object(at, end, header >> 2, depth, out);
      case kArray: return Array(at, end, header >> 2, depth, out);
      default: return Primitive(at, end, header >> 2, out);
    }
  }

 private:
  static Status Truncated() { return Status::Invalid("variant: a value runs past its buffer"); }

  static Result<uint64_t> Read(const std::string& buffer, size_t at, int width) {
    if (at + width > buffer.size()) return Truncated();
    uint64_t value = 0;
    for (int i = 0; i < width; ++i) {
      value |= static_cast<uint64_t>(static_cast<uint8_t>(buffer[at + i])) << (8 * i);
    }
    return value;
  }

  Status Primitive(size_t at, size_t end, int type, std::string& out) {
    const std::string& v = variant_.value;
    auto fixed = [&](int width) -> Result<uint64_t> {
      if (at + 1 + width > end) return Truncated();
      return Read(v, at + 1, width);
    };
    auto signed_of = [](uint64_t bits, int width) {
      int shift = 64 - 8 * width;
      return static_cast<int64_t>(bits << shift) >> shift;
    };
    switch (type) {
      case kNull: out += "null"; return Status::OK();
      case kTrue: out += "true"; return Status::OK();
      case kFalse: out += "false"; return Status::OK();
      case kInt8: case kInt16: case kInt32: case kInt64: {
        int width = type == kInt8 ? 1 : type == kInt16 ? 2 : type == kInt32 ? 4 : 8;
        INLET_ASSIGN_OR_RAISE(uint64_t bits, fixed(width));
        out += std::to_string(signed_of(bits, width));
        return Status::OK();
      }
      case kDouble: {
        INLET_ASSIGN_OR_RAISE(uint64_t bits, fixed(8));
        double d;
        std::memcpy(&d, &bits, sizeof d);
        if (std::isnan(d)) {
          out += "\"NaN\"";  // as Spark's to_json writes them: strings, so the text stays JSON
        } else if (std::isinf(d)) {
          out += d < 0 ? "\"-Infinity\"" : "\"Infinity\"";
        } else {
          char text[32];
          auto [end_ptr, ec] = std::to_chars(text, text + sizeof text, d);
          out.append(text, end_ptr);
        }
        return Status::OK();
      }
      case kDecimal4: case kDecimal8: case kDecimal16:
        return Decimal(at, end, type == kDecimal4 ? 4 : type == kDecimal8 ? 8 : 16, out);
      case kString: {
        INLET_ASSIGN_OR_RAISE(uint64_t length, fixed(4));
        if (at + 5 + length > end) return Truncated();
        return String(std::string_view(v.data() + at + 5, length), out);
      }
      default:
        return Status::NotImplemented("variant: primitive type ", type, " is not shown yet");
    }
  }

  Status Decimal(size_t at, size_t end, int width, std::string& out) {
    const std::string& v = variant_.value;
    if (at + 2 + width > end) return Truncated();
    int scale = static_cast<uint8_t>(v[at + 1]);
    unsigned __int128 bits = 0;
    for (int i = 0; i < width; ++i) {
      bits |= static_cast<unsigned __int128>(static_cast<uint8_t>(v[at + 2 + i])) << (8 * i);
    }
    if (width < 16 && (bits >> (8 * width - 1)) & 1) bits |= ~((unsigned __int128)0) << (8 * width);
    auto unscaled = static_cast<__int128>(bits);
    bool negative = unscaled < 0;
    unsigned __int128 magnitude = negative ? -bits : bits;
    std::string digits;
    do {
      digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(magnitude % 10)));
      magnitude /= 10;
    } while (magnitude != 0);
    if (scale > 38) return Status::Invalid("variant: decimal scale ", scale, " passes 38");
    if (static_cast<int>(digits.size()) <= scale) digits.insert(0, scale - digits.size() + 1, '0');
    if (scale > 0) digits.insert(digits.size() - scale, ".");
    if (negative) out.push_back('-');
    out += digits;
    return Status::OK();
  }

  static Status String(std::string_view text, std::string& out) {
    out.push_back('"');
    for (unsigned char c : text) {
      if (c == '"' || c == '\\') {
        out.push_back('\\');
        out.push_back(static_cast<char>(c));
      } else if (c < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
        out += escaped;
      } else {
        out.push_back(static_cast<char>(c));
      }
    }
    out.push_back('"');
    return Status::OK();
  }

  // Objects and arrays share the layout after the header: a count, (ids,) offsets, values.
  struct Container {
    uint64_t count;
    int id_size, offset_size;  // id_size 0 for an array
    size_t ids_at, offsets_at, data_at, end;
  };

  Result<Container> ReadContainer(size_t at, size_t end, int count_size, int id_size, int offset_size) const {
    const std::string& v = variant_.value;
    Container c{0, id_size, offset_size, 0, 0, 0, 0};
    INLET_ASSIGN_OR_RAISE(c.count, Read(v, at + 1, count_size));
    if (c.count > v.size()) return Truncated();
    c.ids_at = at + 1 + count_size;
    c.offsets_at = c.ids_at + c.count * id_size;
    c.data_at = c.offsets_at + (c.count + 1) * offset_size;
    if (c.data_at > end) return Truncated();
    INLET_ASSIGN_OR_RAISE(uint64_t data_size, Read(v, c.offsets_at + c.count * offset_size, offset_size));
    if (c.data_at + data_size > end) return Truncated();
    c.end = c.data_at + data_size;
    return c;
  }

  // Where element `i` of `c` starts.
  Result<size_t> ElementAt(const Container& c, uint64_t i) const {
    INLET_ASSIGN_OR_RAISE(uint64_t offset, Read(variant_.value, c.offsets_at + i * c.offset_size, c.offset_size));
    return c.data_at + offset;
  }

  Status Object(size_t at, size_t end, int header, int depth, std::string& out) {
    INLET_ASSIGN_OR_RAISE(Container c, ReadContainer(at, end, (header >> 4) & 1 ? 4 : 1, ((header >> 2) & 0x3) + 1,
                                                     (header & 0x3) + 1));
    out.push_back('{');
    for (uint64_t i = 0; i < c.count; ++i) {
      INLET_ASSIGN_OR_RAISE(uint64_t id, Read(variant_.value, c.ids_at + i * c.id_size, c.id_size));
      if (id >= keys_.size()) return Status::Invalid("variant: a key id past the dictionary");
      INLET_ASSIGN_OR_RAISE(size_t element, ElementAt(c, i));
      if (i) out.push_back(',');
      INLET_RETURN_NOT_OK(String(keys_[id], out));
      out.push_back(':');
      INLET_RETURN_NOT_OK(Value(element, c.end, depth + 1, out));
    }
    out.push_back('}');
    return Status::OK();
  }

  Status Array(size_t at, size_t end, int header, int depth, std::string& out) {
    INLET_ASSIGN_OR_RAISE(Container c, ReadContainer(at, end, (header >> 2) & 1 ? 4 : 1, 0, (header & 0x3) + 1));
    out.push_back('[');
    for (uint64_t i = 0; i < c.count; ++i) {
      INLET_ASSIGN_OR_RAISE(size_t element, ElementAt(c, i));
      if (i) out.push_back(',');
      INLET_RETURN_NOT_OK(Value(element, c.end, depth + 1, out));
    }
    out.push_back(']');
    return Status::OK();
  }

  const VariantValue& variant_;
  std::vector<std::string_view> keys_;
};

}  // namespace

Result<std::string> VariantToJson(const VariantValue& variant) {
  VariantReader reader(variant);
  INLET_RETURN_NOT_OK(reader.ReadMetadata());
  std::string out;
  INLET_RETURN_NOT_OK(reader.Value(0, variant.value.size(), 0, out));
  return out;
}

}  // namespace inlet
