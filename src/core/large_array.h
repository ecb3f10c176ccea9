// core/large_array.h — a fixed-size array of trivially copyable elements that can be allocated
// without being initialised, for the analysis's largest array (~165 MB of aggregates for a
// national campaign, analytics/aggregate.h). std::vector<T>::resize initialises every element
// on one thread before any is used: in a perf timeline of `trellis analyse` that loop (and the
// page faults before it) was the longest stretch with one core busy, although every element is
// written again by the workers straight after. LargeArray::ForOverwrite leaves the elements to
// those workers, whose first writes also take the page faults, on every core. Large arrays take
// their memory from PagePool (core/page_pool.h), so inside a PagePool::Scope they reuse pages
// released before.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <utility>

#include "core/page_pool.h"

namespace trellis {

template <typename T>
class LargeArray {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>,
                "LargeArray holds plain values only");

 public:
  LargeArray() = default;
  // n value-initialised elements.
  explicit LargeArray(size_t n) { resize(n); }
  // n elements whose values are unspecified until written: the caller assigns every element
  // before reading it (T is an implicit-lifetime type, so assignment starts its lifetime).
  static LargeArray ForOverwrite(size_t n) {
    LargeArray a;
    a.data_ = Allocate(n);
    a.size_ = n;
    return a;
  }

  LargeArray(const LargeArray& other) : data_(Allocate(other.size_)), size_(other.size_) {
    if (size_ > 0) std::memcpy(data_, other.data_, size_ * sizeof(T));
  }
  LargeArray& operator=(const LargeArray& other) {
    if (this != &other) *this = LargeArray(other);
    return *this;
  }
  LargeArray(LargeArray&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}
  LargeArray& operator=(LargeArray&& other) noexcept {
    if (this != &other) {
      Free(data_, size_);
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
    }
    return *this;
  }
  ~LargeArray() { Free(data_, size_); }

  // Keeps the first min(n, size()) elements; new ones are value-initialised.
  void resize(size_t n) {
    T* grown = Allocate(n);
    const size_t kept = std::min(n, size_);
    if (kept > 0) std::memcpy(grown, data_, kept * sizeof(T));
    for (size_t i = kept; i < n; ++i) ::new (static_cast<void*>(grown + i)) T();
    Free(data_, size_);
    data_ = grown;
    size_ = n;
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static T* Allocate(size_t n) { return n == 0 ? nullptr : PoolAllocator<T>().allocate(n); }
  static void Free(T* p, size_t n) {
    if (p) PoolAllocator<T>().deallocate(p, n);
  }

  T* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace trellis
