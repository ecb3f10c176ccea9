// formats/shortest_double.cc — see shortest_double.h.
//
// Why not std::to_chars alone: shortest round-trip formatting was the largest single user-space
// cost of `trellis analyse` after the parsing (~11 % of its CPU time: ~3.3 million report
// numbers miss report_jsonl.cc's cache, at ~42 ns each in libstdc++'s Ryu). The digits now come
// from fmt's Dragonbox (Debian libfmt-dev; ~18 ns), which finds the same shortest, closest digit
// string as Ryu, written out eight digits at a time (EightDigits); only the layout is ours, and it
// follows libstdc++'s (from MSVC's STL): fixed when it is no longer than scientific, scientific
// with at least two exponent digits. The layout is only used where it is simple — normal
// numbers below 2^53, where a fixed form with trailing zeros is the exact integer — and every
// other number goes to std::to_chars. A test compares the two on millions of numbers
// (tests/formats/shortest_double_test.cc).
#include "formats/shortest_double.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

// fmt::detail is fmt's internal namespace (dragonbox::to_decimal is exported, FMT_API). It was
// checked against Debian 12's fmt 9.1; another major version must be checked again (the test).
static_assert(FMT_VERSION >= 90000 && FMT_VERSION < 100000, "check fmt's dragonbox::to_decimal");

namespace trellis::formats {
namespace {

// n < 10^8 as eight ASCII digits (leading zeros kept), in memory order once stored
// little-endian: both 4-digit halves, then their 2-digit and 1-digit parts, are split in
// parallel lanes of one 64-bit word (x·10486 >> 20 = x/100 for x < 10^4, x·103 >> 10 = x/10
// for x < 100; no lane's product reaches the next lane). std::to_chars writes a 17-digit
// significand two digits at a time in a chain of dependent divisions; this was ~40 % of
// WriteShortestDouble's time.
inline uint64_t EightDigits(uint32_t n) {
  const uint64_t halves = (n / 10000) | (static_cast<uint64_t>(n % 10000) << 32);
  const uint64_t hundreds = ((halves * 10486) >> 20) & 0x0000007F0000007Full;
  const uint64_t pairs = ((halves - 100 * hundreds) << 16) | hundreds;
  const uint64_t tens = ((pairs * 103) >> 10) & 0x000F000F000F000Full;
  const uint64_t ones = pairs - 10 * tens;
  return ((ones << 8) | tens) | 0x3030303030303030ull;
}

// 1 + floor(log10(n)) for 0 < n < 10^17.
inline int DigitCount(uint64_t n) {
  static constexpr uint64_t kPowers[] = {1,
                                         10,
                                         100,
                                         1000,
                                         10000,
                                         100000,
                                         1000000,
                                         10000000,
                                         100000000,
                                         1000000000,
                                         10000000000,
                                         100000000000,
                                         1000000000000,
                                         10000000000000,
                                         100000000000000,
                                         1000000000000000,
                                         10000000000000000,
                                         100000000000000000};
  const int guess = (64 - __builtin_clzll(n)) * 1233 >> 12;  // floor(log10(2^bits)) or one less
  return guess + (n >= kPowers[guess]);
}

}  // namespace

char* WriteShortestDouble(char* out, double x) {
  const double magnitude = std::fabs(x);
  if (!(magnitude >= 0x1p-1022 && magnitude < 0x1p53)) return std::to_chars(out, out + 32, x).ptr;
  // x = significand × 10^exponent, significand without trailing zeros (at most 17 digits).
  const auto decimal = fmt::detail::dragonbox::to_decimal(x);
  const uint64_t significand = decimal.significand;
  const int exponent = decimal.exponent;
  *out = '-';
  out += x < 0;
  // The significand's 17 digits with leading zeros at all[0..17), then room for the
  // fixed-size copies below; its own digits start at d.
  char all[48];
  all[0] = static_cast<char>('0' + significand / 10000000000000000ull);
  const uint64_t high = EightDigits(static_cast<uint32_t>(significand / 100000000 % 100000000));
  const uint64_t low = EightDigits(static_cast<uint32_t>(significand % 100000000));
  std::memcpy(all + 1, &high, 8);
  std::memcpy(all + 9, &low, 8);
  const int digits = DigitCount(significand);
  const char* const d = all + 17 - digits;
  const int whole = digits + exponent;  // digits before the decimal point
  const int fixed_length = exponent >= 0 ? whole : whole > 0 ? digits + 1 : 2 - exponent;
  // Scientific: d[.ddd]e±XX. A three-digit exponent only occurs where fixed is far longer.
  const int scientific_length = digits + (digits > 1) + 4;
  if (fixed_length <= scientific_length) {
    if (exponent >= 0) {  // "1729" or "172900" (fixed only when at most 5 zeros follow)
      std::memcpy(out, d, 24);
      std::memcpy(out + digits, "00000000", 8);
      return out + whole;
    }
    if (whole > 0) {  // "17.29" (whole ≤ 16 below 2^53)
      std::memcpy(out, d, 16);
      out[whole] = '.';
      std::memcpy(out + whole + 1, d + whole, 24);
      return out + digits + 1;
    }
    // "0.001729" (fixed only when at most 3 zeros follow the point)
    std::memcpy(out, "0.000000", 8);
    std::memcpy(out + 2 - whole, d, 24);
    return out + 2 - exponent;
  }
  out[0] = d[0];
  out[1] = '.';
  std::memcpy(out + 2, d + 1, 24);
  char* p = out + (digits > 1 ? digits + 1 : 1);
  int power = whole - 1;
  p[0] = 'e';
  p[1] = power < 0 ? '-' : '+';
  p += 2;
  if (power < 0) power = -power;
  if (power < 10) *p++ = '0';  // at least two exponent digits
  return std::to_chars(p, p + 3, power).ptr;
}

}  // namespace trellis::formats
