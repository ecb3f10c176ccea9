// core/page_pool.cc — see page_pool.h.
#include "core/page_pool.h"

#include <sys/mman.h>
#include <unistd.h>

#include <mutex>
#include <utility>
#include <vector>

namespace trellis {
namespace {

struct Block {
  char* start;
  size_t bytes;
};

struct State {
  std::mutex mu;
  int scopes = 0;
  std::vector<Block> kept;
  size_t kept_bytes = 0;
};

State& Pool() {
  static State* state = new State();  // never destroyed: blocks may be released at exit
  return *state;
}

size_t PageSize() {
  static const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  return page;
}

size_t RoundUp(size_t bytes) {
  const size_t page = PageSize();
  return (bytes + page - 1) / page * page;
}

}  // namespace

void* PagePool::Allocate(size_t bytes) {
  const size_t size = RoundUp(bytes == 0 ? 1 : bytes);
  void* mapped = ::mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  char* const start = static_cast<char*>(mapped);
  State& pool = Pool();
  std::lock_guard<std::mutex> lock(pool.mu);
  // Fill the new block from its start with kept pages, most recently released first. Moving a
  // range over part of the new (untouched) mapping replaces that part.
  for (size_t filled = 0; filled < size && !pool.kept.empty();) {
    Block& piece = pool.kept.back();
    const size_t take = std::min(piece.bytes, size - filled);
    if (::mremap(piece.start, take, take, MREMAP_MAYMOVE | MREMAP_FIXED, start + filled) ==
        MAP_FAILED)
      break;  // the rest of the block stays fresh memory
    filled += take;
    pool.kept_bytes -= take;
    piece.start += take;
    piece.bytes -= take;
    if (piece.bytes == 0) pool.kept.pop_back();
  }
  return start;
}

void PagePool::Release(void* block, size_t bytes) noexcept {
  const size_t size = RoundUp(bytes == 0 ? 1 : bytes);
  State& pool = Pool();
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (pool.scopes > 0) {
      pool.kept.push_back({static_cast<char*>(block), size});
      pool.kept_bytes += size;
      return;
    }
  }
  ::munmap(block, size);
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
  std::vector<Block> kept;
  {
    std::lock_guard<std::mutex> lock(pool.mu);
    if (--pool.scopes > 0) return;
    kept = std::move(pool.kept);
    pool.kept.clear();
    pool.kept_bytes = 0;
  }
  for (const Block& b : kept) ::munmap(b.start, b.bytes);
}

}  // namespace trellis
