// PagePool hands the pages of released blocks on to later blocks inside a Scope only.
#include "core/page_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "core/large_array.h"

namespace trellis {
namespace {

constexpr size_t kBlock = PagePool::kMinBytes;

TEST(PagePoolTest, InsideAScopeAReleasedBlocksPagesMoveIntoTheNextBlock) {
  PagePool::Scope scope;
  auto* first = static_cast<uint32_t*>(PagePool::Allocate(kBlock));
  for (size_t i = 0; i < kBlock / sizeof(uint32_t); ++i) first[i] = static_cast<uint32_t>(i * 7);
  PagePool::Release(first, kBlock);
  EXPECT_EQ(PagePool::KeptBytes(), kBlock);
  // Twice the size: the first half is the old block's pages (their bytes show it), the rest
  // is fresh zeroed memory.
  auto* second = static_cast<uint32_t*>(PagePool::Allocate(2 * kBlock));
  EXPECT_EQ(PagePool::KeptBytes(), 0u);
  const size_t words = kBlock / sizeof(uint32_t);
  size_t moved = 0, zero = 0;
  for (size_t i = 0; i < words; ++i) moved += second[i] == static_cast<uint32_t>(i * 7);
  for (size_t i = words; i < 2 * words; ++i) zero += second[i] == 0;
  EXPECT_EQ(moved, words);
  EXPECT_EQ(zero, words);
  PagePool::Release(second, 2 * kBlock);
  EXPECT_EQ(PagePool::KeptBytes(), 2 * kBlock);
}

TEST(PagePoolTest, ABlockSmallerThanAKeptOneTakesPartAndLeavesTheRest) {
  PagePool::Scope scope;
  void* big = PagePool::Allocate(3 * kBlock);
  std::memset(big, 0x5a, 3 * kBlock);
  PagePool::Release(big, 3 * kBlock);
  auto* small = static_cast<unsigned char*>(PagePool::Allocate(kBlock));
  EXPECT_EQ(small[0], 0x5a);
  EXPECT_EQ(small[kBlock - 1], 0x5a);
  EXPECT_EQ(PagePool::KeptBytes(), 2 * kBlock);
  PagePool::Release(small, kBlock);
}

// A block made of moved pages and fresh ones is several kernel mappings; released, it is kept
// piece by piece (mremap moves one mapping at a time before Linux 6.17), lowest piece first.
TEST(PagePoolTest, ABlockOfMovedAndFreshPagesIsKeptPieceByPiece) {
  PagePool::Scope scope;
  void* first = PagePool::Allocate(kBlock);
  std::memset(first, 0x11, kBlock);
  PagePool::Release(first, kBlock);
  auto* mixed = static_cast<unsigned char*>(PagePool::Allocate(2 * kBlock));
  ASSERT_EQ(mixed[0], 0x11);
  std::memset(mixed + kBlock, 0x22, kBlock);  // the fresh half
  PagePool::Release(mixed, 2 * kBlock);
  EXPECT_EQ(PagePool::KeptBytes(), 2 * kBlock);
  auto* again = static_cast<unsigned char*>(PagePool::Allocate(3 * kBlock));
  EXPECT_EQ(PagePool::KeptBytes(), 0u);
  EXPECT_EQ(again[0], 0x11);
  EXPECT_EQ(again[kBlock], 0x22);
  EXPECT_EQ(again[3 * kBlock - 1], 0);
  std::memset(again, 0x33, 3 * kBlock);  // every page is mapped and writable
  EXPECT_EQ(again[2 * kBlock - 1], 0x33);
  PagePool::Release(again, 3 * kBlock);
}

TEST(PagePoolTest, OutsideAScopeNothingIsKept) {
  void* block = PagePool::Allocate(kBlock);
  std::memset(block, 1, kBlock);
  PagePool::Release(block, kBlock);
  EXPECT_EQ(PagePool::KeptBytes(), 0u);
  auto* fresh = static_cast<unsigned char*>(PagePool::Allocate(kBlock));
  EXPECT_EQ(fresh[0], 0);
  PagePool::Release(fresh, kBlock);
}

TEST(PagePoolTest, TheLastScopeReturnsWhatIsKept) {
  {
    PagePool::Scope outer;
    {
      PagePool::Scope inner;
      PagePool::Release(PagePool::Allocate(kBlock), kBlock);
    }
    EXPECT_EQ(PagePool::KeptBytes(), kBlock);  // the outer scope is still open
  }
  EXPECT_EQ(PagePool::KeptBytes(), 0u);
}

TEST(PoolAllocatorTest, AVectorReusesThePagesOfOneFreedBefore) {
  PagePool::Scope scope;
  const size_t n = kBlock / sizeof(uint64_t);
  { std::vector<uint64_t, PoolAllocator<uint64_t>> rows(n, 42); }
  EXPECT_EQ(PagePool::KeptBytes(), kBlock);
  LargeArray<uint64_t> next = LargeArray<uint64_t>::ForOverwrite(n);
  EXPECT_EQ(next[n - 1], 42u);  // the pages moved; nothing was zeroed or faulted
  EXPECT_EQ(PagePool::KeptBytes(), 0u);
  std::vector<int, PoolAllocator<int>> small(10, 3);  // below kMinBytes: the ordinary heap
  EXPECT_EQ(small[9], 3);
}

}  // namespace
}  // namespace trellis
