// Tests for analytics/reliability.h: rwg(J) and Cronbach's alpha against hand-computed values.
#include "analytics/reliability.h"

#include <gtest/gtest.h>

namespace trellis::analytics {
namespace {

TEST(SampleVariance, ExactFromIntegerSums) {
  // {4, 3, 5, 4}: mean 4, squared deviations 0+1+1+0 = 2, / 3.
  EXPECT_DOUBLE_EQ(SampleVariance(4, 16, 66), 2.0 / 3.0);
  EXPECT_EQ(SampleVariance(3, 12, 48), 0.0);  // all 4s: exactly zero
}

TEST(RwgJ, JamesDemareeWolf) {
  // A = 5 → expected variance 2. Mean variance 2/3 → v = 1/3.
  EXPECT_DOUBLE_EQ(*RwgJ(2, 4.0 / 3.0, 5), 0.8);
  EXPECT_DOUBLE_EQ(*RwgJ(1, 2.0 / 3.0, 5), 2.0 / 3.0);
  EXPECT_EQ(*RwgJ(3, 0.0, 5), 1.0);          // perfect agreement
  EXPECT_EQ(*RwgJ(1, 2.0, 5), 0.0);          // v = 1 → 0
  EXPECT_EQ(*RwgJ(1, 5.0, 5), 0.0);          // v > 1 → 0
  EXPECT_EQ(*RwgJ(1, 2.0 - 1e-12, 5), 0.0);  // v within 1e-9 of 1 counts as 1
  EXPECT_FALSE(RwgJ(0, 0.0, 5).has_value());
  // A = 7 → (49 − 1)/12 = 4; variance 1 → v = 1/4; J = 4 → 3 / (3 + 0.25).
  EXPECT_DOUBLE_EQ(*RwgJ(4, 4.0, 7), 3.0 / 3.25);
}

TEST(AlphaAccumulator, CronbachAlpha) {
  AlphaAccumulator a(2);
  const int8_t r1[] = {1, 2}, r2[] = {3, 3}, r3[] = {5, 5};
  a.Add(r1);
  EXPECT_FALSE(a.Alpha().has_value());  // fewer than 2 responses
  a.Add(r2);
  a.Add(r3);
  EXPECT_NEAR(*a.Alpha(), 36.0 / 37.0, 1e-12);
  // Merging split accumulators gives the same figure.
  AlphaAccumulator x(2), y(2);
  x.Add(r1);
  y.Add(r2);
  y.Add(r3);
  x.Merge(y);
  EXPECT_EQ(*x.Alpha(), *a.Alpha());
  EXPECT_EQ(x.responses(), 3);
}

TEST(AlphaAccumulator, NullForOneItemOrConstantTotals) {
  AlphaAccumulator one(1);
  const int8_t s1[] = {1}, s2[] = {5};
  one.Add(s1);
  one.Add(s2);
  EXPECT_FALSE(one.Alpha().has_value());
  AlphaAccumulator constant(2);
  const int8_t c1[] = {4, 4}, c2[] = {3, 5};
  constant.Add(c1);
  constant.Add(c2);
  EXPECT_FALSE(constant.Alpha().has_value());
}

TEST(AlphaAccumulator, NegativeWhenItemsDisagree) {
  // Items move in opposite directions: totals vary little relative to items.
  AlphaAccumulator a(2);
  const int8_t r1[] = {1, 5}, r2[] = {5, 2}, r3[] = {3, 3};
  a.Add(r1);
  a.Add(r2);
  a.Add(r3);
  // Item variances 4 and 7/3; totals 6, 7, 6 → 1/3. alpha = 2·(1 − (19/3)/(1/3)) = −36.
  EXPECT_NEAR(*a.Alpha(), -36.0, 1e-9);
}

}  // namespace
}  // namespace trellis::analytics
