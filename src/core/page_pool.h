// core/page_pool.h — large blocks of memory mapped directly from the kernel, whose pages can be
// handed on from one block to the next instead of being returned and faulted in again.
//
// Why: every fresh page costs a page fault on first touch (the kernel zeroes and charges it;
// ~1.5 µs a page on the project machine). `trellis analyse` of a national campaign faulted in
// ~117,000 pages, ~0.18 s of CPU time: among them the reader's parsed rows (now ~84 MB, freed
// once they are sorted into columns) and then the aggregate array (now ~165 MB). Inside a Scope, a
// released block is kept, and a later Allocate moves its pages into the new block with
// mremap(2) (the page tables move; nothing is copied or zeroed). Outside a Scope, Allocate and
// Release are plain mmap and munmap. Linux only, as is the rest of the project.
#pragma once

#include <cstddef>
#include <memory>
#include <new>

namespace trellis {

class PagePool {
 public:
  // Blocks below this size are left to the ordinary allocator (see PoolAllocator).
  static constexpr size_t kMinBytes = size_t{4} << 20;

  // A block of at least `bytes` bytes, page-aligned, read-write. Its contents are unspecified
  // (pages handed on from a released block keep their old bytes). Throws std::bad_alloc.
  static void* Allocate(size_t bytes);
  // Gives back a block from Allocate (same `bytes`): kept for later blocks inside a Scope,
  // returned to the kernel otherwise.
  static void Release(void* block, size_t bytes) noexcept;
  // Bytes currently kept for reuse (for tests).
  static size_t KeptBytes();

  // While at least one Scope is alive, released blocks are kept; when the last one ends, what
  // is left is returned to the kernel. A scope is opened by one-shot commands (`trellis
  // analyse`), never by the server, so a long-running process never holds memory it freed.
  class Scope {
   public:
    Scope();
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;
  };
};

// A std::allocator that takes blocks of PagePool::kMinBytes or more from PagePool.
template <typename T>
struct PoolAllocator {
  using value_type = T;
  PoolAllocator() = default;
  template <typename U>
  PoolAllocator(const PoolAllocator<U>&) noexcept {}

  T* allocate(size_t n) {
    if (n * sizeof(T) >= PagePool::kMinBytes)
      return static_cast<T*>(PagePool::Allocate(n * sizeof(T)));
    return std::allocator<T>().allocate(n);
  }
  void deallocate(T* p, size_t n) noexcept {
    if (n * sizeof(T) >= PagePool::kMinBytes)
      PagePool::Release(p, n * sizeof(T));
    else
      std::allocator<T>().deallocate(p, n);
  }
  template <typename U>
  bool operator==(const PoolAllocator<U>&) const noexcept {
    return true;
  }
};

}  // namespace trellis
