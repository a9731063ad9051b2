// Fast scans over raw JSON text that inference and the converter use in place of simdjson
// calls on their hot paths: whether a key is a known name, where a key or string ends,
// whether it holds escapes, what kind a number is.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "inlet/schema/types.h"

namespace inlet::json::raw_text {

// Callers use these only where the simdjson call they stand in for would succeed with the
// same result, and fall back to it for anything unusual, so errors (and their messages)
// stay simdjson's. Every pointer passed here is inside a document simdjson's stage 1
// accepted, in a buffer padded by SIMDJSON_PADDING bytes: strings are closed, and reading
// a few bytes past a token stays inside the buffer.

[[gnu::always_inline]] inline uint64_t Load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, sizeof(word));
  return word;
}

// The length of the string body at `s` (just past its opening quote) up to its first '"'
// or backslash: a '"' there ends a body without escapes, which is then its own unescaped
// text. Reads 16 bytes at a time, up to 15 past that byte (inside the padding): one step
// for most strings, so the loop exit is well predicted.
[[gnu::always_inline]] inline size_t PlainStringPrefix(const char* s) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (size_t n = 0;; n += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n));
    const int hits =
        _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(bytes, quote), _mm_cmpeq_epi8(bytes, backslash)));
    if (hits != 0) return n + static_cast<size_t>(std::countr_zero(static_cast<unsigned>(hits)));
  }
#else
  size_t n = 0;
  while (s[n] != '"' && s[n] != '\\') ++n;
  return n;
#endif
}

// Whether the string body at `s` holds a backslash before its closing quote: only escapes
// can make a string stage 1 accepted invalid. Reads as PlainStringPrefix.
[[gnu::always_inline]] inline bool HasEscape(const char* s) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
  for (size_t n = 0;; n += 16) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + n));
    const unsigned quotes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, quote)));
    const unsigned backslashes = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(bytes, backslash)));
    // The bits below the first quote (all of them when there is none in this block).
    if ((quotes | backslashes) != 0) return (backslashes & ((quotes & (0u - quotes)) - 1)) != 0;
  }
#else
  return s[PlainStringPrefix(s)] == '\\';
#endif
}

// a[0, n) == b[0, n) without a libc call for the short names JSON keys usually are.
[[gnu::always_inline]] inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
#if defined(__SSE2__)
    if (n > 16 && n <= 32) {  // two overlapping 16-byte blocks
      auto same16 = [](const char* x, const char* y) {
        const __m128i u = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
        const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
        return _mm_movemask_epi8(_mm_cmpeq_epi8(u, v)) == 0xFFFF;
      };
      return same16(a, b) && same16(a + n - 16, b + n - 16);
    }
#endif
    if (n > 16) return std::memcmp(a, b, n) == 0;
    return Load8(a) == Load8(b) && Load8(a + n - 8) == Load8(b + n - 8);  // overlapping
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
}

// Whether the key whose raw text starts at `raw` (just past its opening quote) is exactly
// `name`, a name with no character JSON must escape: its bytes, then the closing quote.
// An escaped spelling of the name never matches; callers fall back to unescaping.
// Reads at most 32 bytes past `raw` blindly (inside the padding); a longer name is compared
// only after the key's own length is found, as the key may end near the document's end.
[[gnu::always_inline]] inline bool RawKeyEquals(const char* raw, std::string_view name) {
  const size_t n = name.size();
  if (n > 32) return PlainStringPrefix(raw) == n && raw[n] == '"' && std::memcmp(raw, name.data(), n) == 0;
  return raw[n] == '"' && SameBytes(raw, name.data(), n);
}

[[gnu::always_inline]] inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// A byte that may follow a number inside an object or array: one simdjson's number
// parsers accept as its end.
[[gnu::always_inline]] inline bool EndsNumber(char c) {
  return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

// The common numbers, classified from their text in one scan: an integer of at most 18
// digits (get_int64 succeeds: long), or one with a fraction and at most 19 digits in all
// and no exponent (get_int64 says INCORRECT_TYPE, get_double succeeds: double). Anything
// else -- exponents, long or malformed numbers -- is kNull: ask simdjson.
[[gnu::always_inline]] inline TypeKind PlainNumberKind(const char* p) {
  // The scans stop after 19 digits, so a number at a document's end never leads them
  // past its padding (whatever follows it there).
  const char* digits = p + (*p == '-');
  const char* end = digits;
  while (IsDigit(*end) && end - digits < 19) ++end;
  const size_t whole = static_cast<size_t>(end - digits);
  if (whole == 0 || whole > 18 || (*digits == '0' && whole > 1)) return TypeKind::kNull;
  if (*end != '.') return EndsNumber(*end) ? TypeKind::kLong : TypeKind::kNull;
  const char* fraction = ++end;
  while (IsDigit(*end) && end - fraction < 20) ++end;
  const size_t decimals = static_cast<size_t>(end - fraction);
  if (decimals == 0 || whole + decimals > 19) return TypeKind::kNull;
  return EndsNumber(*end) ? TypeKind::kDouble : TypeKind::kNull;
}

}  // namespace inlet::json::raw_text
