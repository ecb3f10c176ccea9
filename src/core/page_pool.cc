// core/page_pool.cc — see page_pool.h.
//
// mremap(2) moves one mapping (VMA) at a time: before Linux 6.17 a source range that spans two
// mappings fails with EFAULT, after the destination range has already been unmapped. A block
// built from moved pieces is several mappings (pages from different sources never merge), so
// the pool remembers the pieces of such a block and keeps them apart when it is released; every
// kept piece is then part of one mapping. Should a move still fail, the unfilled rest of the
// new block is mapped afresh, so a block never has a hole.
#include "core/page_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <unordered_map>
#include <utility>
#include <vector>

namespace trellis {
namespace {

struct Piece {
  char* start;
  size_t bytes;
};

struct State {
  std::mutex mu;
  int scopes = 0;
  std::vector<Piece> kept;  // each within one mapping
  size_t kept_bytes = 0;
  // Blocks handed out that are made of several mappings: their pieces, in address order.
  std::unordered_map<char*, std::vector<Piece>> assembled;
};

State& Pool() {
  static State* state = new State();  // never destroyed: blocks may be released at exit
  return *state;
}

size_t RoundUp(size_t bytes) {
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return (bytes == 0 ? 1 : bytes + page - 1) / page * page;
}

}  // namespace

void* PagePool::Allocate(size_t bytes) {
  const size_t size = RoundUp(bytes);
  void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  char* const start = static_cast<char*>(mapped);
  State& pool = Pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  // Fill the new block from its start with kept pages, most recently released first. Moving a
  // piece over part of the new (untouched) mapping replaces that part.
  std::vector<Piece> pieces;
  size_t filled = 0;
  while (filled < size && !pool.kept.empty()) {
    Piece& piece = pool.kept.back();
    const size_t take = std::min(piece.bytes, size - filled);
    if (::mremap(piece.start, take, take, MREMAP_MAYMOVE | MREMAP_FIXED, start + filled) ==
        MAP_FAILED) {
      // The destination may be unmapped already: map the rest of the block afresh.
      if (::mmap(start + filled, size - filled, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED) {
        ::munmap(start, size);
        throw std::bad_alloc();
      }
      break;
    }
    pieces.push_back({start + filled, take});
    filled += take;
    pool.kept_bytes -= take;
    piece.start += take;
    piece.bytes -= take;
    if (piece.bytes == 0) pool.kept.pop_back();
  }
  if (!pieces.empty()) {
    if (filled < size) pieces.push_back({start + filled, size - filled});  // the fresh rest
    try {
      pool.assembled.emplace(start, std::move(pieces));
    } catch (const std::bad_alloc&) {
      ::munmap(start, size);
      throw;
    }
  }
  return start;
}

void PagePool::Release(void* block, size_t bytes) noexcept {
  char* const start = static_cast<char*>(block);
  const size_t size = RoundUp(bytes);
  State& pool = Pool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    std::vector<Piece> pieces;
    if (auto it = pool.assembled.find(start); it != pool.assembled.end()) {
      pieces = std::move(it->second);
      pool.assembled.erase(it);
    }
    if (pool.scopes > 0) {
      try {
        if (pieces.empty()) pieces.push_back({start, size});
        pool.kept.reserve(pool.kept.size() + pieces.size());
      } catch (const std::bad_alloc&) {
        pieces.clear();  // no room to remember it: returned to the kernel below
      }
      if (!pieces.empty()) {
        // Kept so that the lowest piece is taken first (kept is used from its back).
        for (auto p = pieces.rbegin(); p != pieces.rend(); ++p) pool.kept.push_back(*p);
        pool.kept_bytes += size;
        return;
      }
    }
  }
  ::munmap(start, size);  // one call may span several mappings
}

size_t PagePool::KeptBytes() {
  State& pool = Pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  return pool.kept_bytes;
}

PagePool::Scope::Scope() {
  State& pool = Pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  ++pool.scopes;
}

PagePool::Scope::~Scope() {
  State& pool = Pool();
  std::vector<Piece> kept;
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (--pool.scopes > 0) return;
    kept = std::move(pool.kept);
    pool.kept.clear();
    pool.kept_bytes = 0;
  }
  for (const Piece& p : kept) ::munmap(p.start, p.bytes);
}

}  // namespace trellis
