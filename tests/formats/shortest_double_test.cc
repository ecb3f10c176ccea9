// WriteShortestDouble must write exactly what std::to_chars writes, for every finite double.
#include "formats/shortest_double.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <string_view>

namespace trellis::formats {
namespace {

std::string Expected(double x) {
  char buf[64];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, x).ptr);
}

// What WriteShortestDouble writes; it must not touch a byte past kShortestDoubleRoom.
std::string Written(double x) {
  char buf[kShortestDoubleRoom + 8];
  std::memset(buf, '#', sizeof buf);
  std::string text(buf, WriteShortestDouble(buf, x));
  EXPECT_EQ(std::string_view(buf + kShortestDoubleRoom, 8), "########") << "for " << x;
  return text;
}

TEST(ShortestDoubleTest, WritesTheLayoutsOfToChars) {
  EXPECT_EQ(Written(0.0), "0");
  EXPECT_EQ(Written(-0.0), "-0");
  EXPECT_EQ(Written(3.0), "3");
  EXPECT_EQ(Written(3.25), "3.25");
  EXPECT_EQ(Written(-0.75), "-0.75");
  EXPECT_EQ(Written(52.0 / 15), "3.466666666666667");
  EXPECT_EQ(Written(100.0), "100");
  EXPECT_EQ(Written(0.002), "0.002");      // tie with "2e-03": fixed
  EXPECT_EQ(Written(0.0001), "1e-04");     // shorter than "0.0001"
  EXPECT_EQ(Written(0.00012), "0.00012");  // tie with "1.2e-04"
  EXPECT_EQ(Written(123000.0), "123000");
  EXPECT_EQ(Written(1e7), "1e+07");
  EXPECT_EQ(Written(12300000.0), "12300000");  // tie with "1.23e+07"
  EXPECT_EQ(Written(1e-300), "1e-300");
  EXPECT_EQ(Written(1e300), "1e+300");
  EXPECT_EQ(Written(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(Written(std::numeric_limits<double>::denorm_min()), "5e-324");
  EXPECT_EQ(Written(9007199254740993.0), Expected(9007199254740993.0));  // 2^53 + 1 → 2^53
  // Significands whose eight-digit halves hold zeros, leading or inside (EightDigits).
  EXPECT_EQ(Written(1.0000000000000002), "1.0000000000000002");
  EXPECT_EQ(Written(10000000.000000002), "10000000.000000002");
  EXPECT_EQ(Written(100000000.5), "100000000.5");
  EXPECT_EQ(Written(0.10000000000000002), "0.10000000000000002");
  EXPECT_EQ(Written(12345678.900000002), "12345678.900000002");
  EXPECT_EQ(Written(99999999.99999999), Expected(99999999.99999999));
}

TEST(ShortestDoubleTest, MatchesToCharsOnReportLikeNumbers) {
  // Means of small integer scores, gaps, percentiles and rwg-like values, as in a report.
  std::mt19937_64 rng(20261126);
  for (int i = 0; i < 2'000'000; ++i) {
    const int n = 1 + static_cast<int>(rng() % 60);
    const double mean = static_cast<double>(rng() % (5 * n + 1)) / n;
    double x = mean;
    switch (rng() % 4) {
      case 1:
        x = mean - static_cast<double>(1 + rng() % 5);
        break;
      case 2:
        x = 100.0 * (static_cast<double>(rng() % 25000) + 0.5 * static_cast<double>(rng() % 50)) /
            static_cast<double>(1 + rng() % 25000);
        break;
      case 3:
        x = 1 - mean * mean / 7.3;
        break;
    }
    ASSERT_EQ(Written(x), Expected(x)) << "for " << x;
  }
}

TEST(ShortestDoubleTest, MatchesToCharsOnRandomBitPatterns) {
  std::mt19937_64 rng(7);
  int checked = 0;
  while (checked < 2'000'000) {
    const uint64_t bits = rng();
    double x;
    std::memcpy(&x, &bits, sizeof x);
    if (!std::isfinite(x)) continue;
    ASSERT_EQ(Written(x), Expected(x)) << "for bits " << bits;
    // The same significand at a magnitude where the fixed form can win.
    int power;
    const double near = std::ldexp(std::frexp(x, &power), static_cast<int>(rng() % 80) - 20);
    ASSERT_EQ(Written(near), Expected(near)) << "for " << near;
    ++checked;
  }
}

}  // namespace
}  // namespace trellis::formats
