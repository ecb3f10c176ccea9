// Tests for core/large_array.h: value-initialised or left for overwriting, deep copies, moves.
#include "core/large_array.h"

#include <gtest/gtest.h>

#include <iterator>
#include <utility>

namespace trellis {
namespace {

struct Figures {
  double mean = -1;
  int n = 7;
};

TEST(LargeArrayTest, ResizeValueInitialisesAndCopiesAreDeep) {
  LargeArray<Figures> a(3);
  EXPECT_EQ(a.size(), 3u);
  EXPECT_EQ(a[2].mean, -1);
  EXPECT_EQ(a[2].n, 7);
  a[0].mean = 2.5;
  a.resize(5);
  EXPECT_EQ(a[0].mean, 2.5);
  EXPECT_EQ(a[4].n, 7);
  LargeArray<Figures> b = a;
  b[0].mean = 4;
  EXPECT_EQ(a[0].mean, 2.5);
  LargeArray<Figures> c = std::move(b);
  EXPECT_EQ(c[0].mean, 4);
  EXPECT_TRUE(b.empty());
  EXPECT_EQ(std::distance(c.begin(), c.end()), 5);
}

TEST(LargeArrayTest, ForOverwriteHasTheSizeAndKeepsWhatIsWritten) {
  LargeArray<double> a = LargeArray<double>::ForOverwrite(1'000'000);  // from PagePool
  ASSERT_EQ(a.size(), 1'000'000u);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<double>(i) / 4;
  EXPECT_EQ(a[999'999], 999'999 / 4.0);
  LargeArray<double> b;
  b = a;
  EXPECT_EQ(b[12], 3.0);
  a = LargeArray<double>();
  EXPECT_TRUE(a.empty());
  EXPECT_EQ(b.size(), 1'000'000u);
}

}  // namespace
}  // namespace trellis
