// VariantBuilder writes each element where it comes and, when a container ends, sorts its
// entries and inserts the container's header in front of them: one buffer, no copies per
// level but the header shift, as Spark's builder does (so the bytes match Spark's).
#include "inlet/schema/variant.h"

#include <algorithm>
#include <cstring>

#include "inlet/schema/variant_layout.h"

namespace inlet {

using namespace variant_layout;

namespace {

void AppendLittleEndian(std::string& out, uint64_t value, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// Spark compares object keys as Java strings, by UTF-16 code unit; readers binary-search
// the sorted field ids that way, so the order has to be the same. It differs from UTF-8
// byte order only where a supplementary character meets one in U+E000..U+FFFF.
uint32_t NextCodePoint(std::string_view s, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  int length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
  if (i + length > s.size()) length = 1;  // not UTF-8: compare the byte alone
  uint32_t cp = length == 1 ? lead : lead & (0x7F >> length);
  for (int k = 1; k < length; ++k) cp = (cp << 6) | (byte(i + k) & 0x3F);
  i += length;
  return cp;
}

uint32_t Utf16Order(uint32_t cp) {
  // A surrogate pair's high unit is 0xD800..0xDBFF, below 0xE000..0xFFFF.
  return cp >= 0x10000 ? 0xD800 + ((cp - 0x10000) >> 10) : cp;
}

bool KeyLess(std::string_view a, std::string_view b) {
  // Where the first differing bytes are both ASCII, the common prefix is whole code points
  // and those bytes decide, as bytes: the usual case, without decoding.
  const size_t common = std::min(a.size(), b.size());
  size_t first = 0;
  while (first < common && a[first] == b[first]) ++first;
  if (first == common) return a.size() < b.size();
  const auto ca = static_cast<unsigned char>(a[first]), cb = static_cast<unsigned char>(b[first]);
  if (ca < 0x80 && cb < 0x80) return ca < cb;
  size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    uint32_t ca = NextCodePoint(a, i), cb = NextCodePoint(b, j);
    if (ca == cb) continue;
    uint32_t ua = Utf16Order(ca), ub = Utf16Order(cb);
    return ua != ub ? ua < ub : ca < cb;
  }
  return a.size() - i < b.size() - j;
}

}  // namespace

void VariantBuilder::AppendNull() { value_.push_back(PrimitiveHeader(kNull)); }

void VariantBuilder::AppendBool(bool value) {
  value_.push_back(PrimitiveHeader(value ? kTrue : kFalse));
}

void VariantBuilder::AppendInt(int64_t value) {
  if (value >= INT8_MIN && value <= INT8_MAX) {
    value_.push_back(PrimitiveHeader(kInt8));
    AppendLittleEndian(value_, static_cast<uint64_t>(value), 1);
  } else if (value >= INT16_MIN && value <= INT16_MAX) {
    value_.push_back(PrimitiveHeader(kInt16));
    AppendLittleEndian(value_, static_cast<uint64_t>(value), 2);
  } else if (value >= INT32_MIN && value <= INT32_MAX) {
    value_.push_back(PrimitiveHeader(kInt32));
    AppendLittleEndian(value_, static_cast<uint64_t>(value), 4);
  } else {
    value_.push_back(PrimitiveHeader(kInt64));
    AppendLittleEndian(value_, static_cast<uint64_t>(value), 8);
  }
}

void VariantBuilder::AppendDouble(double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof bits);
  value_.push_back(PrimitiveHeader(kDouble));
  AppendLittleEndian(value_, bits, 8);
}

void VariantBuilder::AppendDecimal(__int128 unscaled, int scale) {
  unsigned __int128 magnitude = unscaled < 0 ? -static_cast<unsigned __int128>(unscaled)
                                             : static_cast<unsigned __int128>(unscaled);
  int precision = 1;
  for (unsigned __int128 rest = magnitude / 10; rest != 0; rest /= 10) ++precision;
  // Spark picks the width from the larger of precision and scale.
  int digits = std::max(precision, scale);
  PrimitiveType type = digits <= 9 ? kDecimal4 : digits <= 18 ? kDecimal8 : kDecimal16;
  int width = type == kDecimal4 ? 4 : type == kDecimal8 ? 8 : 16;
  value_.push_back(PrimitiveHeader(type));
  value_.push_back(static_cast<char>(scale));
  auto bits = static_cast<unsigned __int128>(unscaled);
  for (int i = 0; i < width; ++i) value_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
}

void VariantBuilder::AppendString(std::string_view utf8) {
  if (utf8.size() <= kMaxShortStringSize) {
    value_.push_back(static_cast<char>((utf8.size() << 2) | kShortString));
  } else {
    value_.push_back(PrimitiveHeader(kString));
    AppendLittleEndian(value_, utf8.size(), 4);
  }
  value_.append(utf8);
}

uint32_t VariantBuilder::KeyId(std::string_view key) {
  // The map outlives the value: a key the last values had is found without allocating, and
  // gets this value's id the first time this value meets it.
  auto it = key_ids_.find(key);
  if (it == key_ids_.end()) it = key_ids_.emplace(std::string(key), KeySlot{}).first;
  KeySlot& slot = it->second;
  if (slot.value != values_) {
    slot = {values_, static_cast<uint32_t>(keys_.size())};
    keys_.push_back(it->first);
  }
  return slot.id;
}

VariantBuilder::Container VariantBuilder::StartObject() {
  return {value_.size(), entries_.size()};
}

void VariantBuilder::AddKey(std::string_view key) {
  entries_.push_back({KeyId(key), value_.size()});
}

VariantBuilder::Container VariantBuilder::StartArray() {
  return {value_.size(), entries_.size()};
}

void VariantBuilder::StartElement() { entries_.push_back({0, value_.size()}); }

Status VariantBuilder::EndObject(Container object) {
  const Entry* fields = entries_.data() + object.first_entry;
  const size_t num_fields = entries_.size() - object.first_entry;
  // Key order, a later occurrence of a key after an earlier one (the index breaks ties).
  std::vector<size_t>& order = scratch_order_;
  order.resize(num_fields);
  for (size_t i = 0; i < num_fields; ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (fields[a].key_id == fields[b].key_id) return a < b;
    return KeyLess(keys_[fields[a].key_id], keys_[fields[b].key_id]);
  });
  std::vector<size_t>& kept = scratch_kept_;  // indexes into fields, in key order; the last of equal keys
  kept.clear();
  for (size_t index : order) {
    if (!kept.empty() && fields[kept.back()].key_id == fields[index].key_id) {
      if (!options_.allow_duplicate_keys) {
        return Status::Invalid("duplicate key '", keys_[fields[index].key_id], "' in an object");
      }
      kept.back() = index;  // a later occurrence comes later
      continue;
    }
    kept.push_back(index);
  }
  std::vector<size_t>& offsets = scratch_offsets_;  // each kept field's start, from the object's
  offsets.assign(num_fields, 0);
  for (size_t index : kept) offsets[index] = fields[index].offset - object.start;
  if (kept.size() < num_fields) DropOverriddenFields(object, kept, &offsets);
  const size_t data_size = value_.size() - object.start;
  uint32_t max_id = 0;
  for (size_t index : kept) max_id = std::max(max_id, fields[index].key_id);
  const bool is_large = kept.size() > 0xFF;
  const int id_size = IntegerSize(max_id);
  const int offset_size = IntegerSize(data_size);
  std::string& header = scratch_header_;
  header.clear();
  header.push_back(static_cast<char>(
      (((is_large ? 1 : 0) << 4 | (id_size - 1) << 2 | (offset_size - 1)) << 2) | kObject));
  AppendLittleEndian(header, kept.size(), is_large ? 4 : 1);
  for (size_t index : kept) AppendLittleEndian(header, fields[index].key_id, id_size);
  for (size_t index : kept) AppendLittleEndian(header, offsets[index], offset_size);
  AppendLittleEndian(header, data_size, offset_size);
  entries_.resize(object.first_entry);
  value_.insert(object.start, header);
  return Status::OK();
}

void VariantBuilder::DropOverriddenFields(Container object, const std::vector<size_t>& kept,
                                          std::vector<size_t>* offsets) {
  // The kept values stay in the order they were written; the others' bytes go.
  const Entry* fields = entries_.data() + object.first_entry;
  const size_t num_fields = entries_.size() - object.first_entry;
  std::vector<size_t> by_offset = kept;
  std::sort(by_offset.begin(), by_offset.end());
  std::string compacted;
  for (size_t index : by_offset) {
    // A field's bytes run to the next field's start: elements are written in order.
    const size_t end = index + 1 < num_fields ? fields[index + 1].offset : value_.size();
    (*offsets)[index] = compacted.size();
    compacted.append(value_, fields[index].offset, end - fields[index].offset);
  }
  value_.resize(object.start);
  value_ += compacted;
}

void VariantBuilder::EndArray(Container array) {
  size_t count = entries_.size() - array.first_entry;
  size_t data_size = value_.size() - array.start;
  const bool is_large = count > 0xFF;
  const int offset_size = IntegerSize(data_size);
  std::string header;
  header.push_back(
      static_cast<char>((((is_large ? 1 : 0) << 2 | (offset_size - 1)) << 2) | kArray));
  AppendLittleEndian(header, count, is_large ? 4 : 1);
  for (size_t i = array.first_entry; i < entries_.size(); ++i) {
    AppendLittleEndian(header, entries_[i].offset - array.start, offset_size);
  }
  AppendLittleEndian(header, data_size, offset_size);
  entries_.resize(array.first_entry);
  value_.insert(array.start, header);
}

void VariantBuilder::Clear() {
  value_.clear();
  entries_.clear();
  keys_.clear();
  ++values_;  // the remembered keys belong to no value now
  // Keys that never repeat (ids, timestamps as keys) must not pile up.
  if (key_ids_.size() > kRememberedKeys) key_ids_.clear();
}

Status VariantBuilder::Finish(VariantValue* out) {
  if (!entries_.empty()) return Status::Invalid("variant: a container was not ended");
  size_t string_bytes = 0;
  for (const auto& key : keys_) string_bytes += key.size();
  const int offset_size = IntegerSize(std::max(string_bytes, keys_.size()));
  std::string& metadata = out->metadata;
  metadata.clear();
  metadata.push_back(static_cast<char>(kMetadataVersion | (offset_size - 1) << 6));
  AppendLittleEndian(metadata, keys_.size(), offset_size);
  size_t offset = 0;
  for (const auto& key : keys_) {
    AppendLittleEndian(metadata, offset, offset_size);
    offset += key.size();
  }
  AppendLittleEndian(metadata, offset, offset_size);
  for (const auto& key : keys_) metadata += key;
  // The builder takes `out`'s old value buffer, so a reused `out` costs no allocation.
  out->value.swap(value_);
  Clear();
  if (static_cast<int64_t>(out->value.size()) > kVariantSizeLimit ||
      static_cast<int64_t>(metadata.size()) > kVariantSizeLimit) {
    return Status::Invalid("variant: the value passes the 128 MiB limit");
  }
  return Status::OK();
}

Result<VariantValue> VariantBuilder::Finish() {
  VariantValue out;
  INLET_RETURN_NOT_OK(Finish(&out));
  return out;
}

}  // namespace inlet
