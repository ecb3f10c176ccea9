// formats/shortest_double.cc — see shortest_double.h.
//
// Why not std::to_chars alone: shortest round-trip formatting was the largest single user-space
// cost of `trellis analyse` after the parsing (~11 % of its CPU time: ~3.3 million report
// numbers miss report_jsonl.cc's cache, at ~42 ns each in libstdc++'s Ryu). The digits now come
// from fmt's Dragonbox (Debian libfmt-dev; ~18 ns), which finds the same shortest, closest digit
// string as Ryu; only the layout is ours, and it follows libstdc++'s (from MSVC's STL): fixed
// when it is no longer than scientific, scientific with at least two exponent digits. The
// layout is only used where it is simple — normal numbers below 2^53, where a fixed form with
// trailing zeros is the exact integer — and every other number goes to std::to_chars. A test
// compares the two on millions of numbers (tests/formats/shortest_double_test.cc).
#include "formats/shortest_double.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace trellis::formats {
namespace {

constexpr char kTwoDigits[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

// Exactly 8 digits of v < 10^8, with fixed-size copies.
inline void WriteEightDigits(char* p, uint32_t v) {
  const uint32_t high = v / 10000, low = v % 10000;
  std::memcpy(p, kTwoDigits + (high / 100) * 2, 2);
  std::memcpy(p + 2, kTwoDigits + (high % 100) * 2, 2);
  std::memcpy(p + 4, kTwoDigits + (low / 100) * 2, 2);
  std::memcpy(p + 6, kTwoDigits + (low % 100) * 2, 2);
}

// The `digits` decimal digits of v at p[0, digits). Eight at a time from the right, so that
// the divisions do not form one long dependent chain.
inline void WriteDigits(char* p, uint64_t v, int digits) {
  while (digits > 8) {
    WriteEightDigits(p + digits - 8, static_cast<uint32_t>(v % 100000000));
    v /= 100000000;
    digits -= 8;
  }
  char* end = p + digits;
  while (v >= 100) {
    end -= 2;
    std::memcpy(end, kTwoDigits + (v % 100) * 2, 2);
    v /= 100;
  }
  if (v >= 10)
    std::memcpy(end - 2, kTwoDigits + v * 2, 2);
  else
    end[-1] = static_cast<char>('0' + v);
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
  const int digits = fmt::detail::count_digits(significand);
  char d[40];  // the digits, then room for the fixed-size copies below
  WriteDigits(d, significand, digits);
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
  if (power >= 100) {
    *p++ = static_cast<char>('0' + power / 100);
    power %= 100;
  }
  std::memcpy(p, kTwoDigits + power * 2, 2);
  return p + 2;
}

}  // namespace trellis::formats
