// core/parallel.h — the two thread helpers of the data-parallel hot paths (the ratings reader,
// formats/ratings_csv.cc, and the analysis, analytics/aggregate.cc): run numbered tasks on a few
// threads, and allocate a large array with its page faults taken on all of them. Header-only
// templates; no shared state, so every call is thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace trellis {

// Runs fn(task, worker) for every task in [0, tasks) on up to `threads` threads (the calling
// thread runs them alone when one is enough); tasks are handed out in increasing order, one at
// a time, and `worker` in [0, threads) names the thread running it (for per-thread scratch).
template <typename Fn>
void ParallelFor(size_t tasks, int threads, Fn fn) {
  if (threads < 1) threads = 1;
  if (tasks < static_cast<size_t>(threads)) threads = static_cast<int>(std::max<size_t>(tasks, 1));
  if (threads <= 1) {
    for (size_t t = 0; t < tasks; ++t) fn(t, 0);
    return;
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w)
    pool.emplace_back([&, w] {
      for (size_t t; (t = next.fetch_add(1)) < tasks;) fn(t, w);
    });
  for (std::thread& th : pool) th.join();
}

// Resizes the empty `v` to `n` value-initialised elements, having first touched its pages from
// `threads` threads. The first touch of a fresh page is a page fault (the kernel zeroes and
// charges it); for the arrays of a national campaign (~80 MB of rows, ~176 MB of aggregates)
// resize's serial loop took those faults one after the other, the longest one-core stretches in
// a perf timeline of `trellis analyse`. After the parallel touch the loop only stores into
// present pages.
template <typename T>
void ResizePrefaulted(std::vector<T>& v, size_t n, int threads) {
  constexpr size_t kPage = 4096, kPart = 8u << 20;
  v.reserve(n);
  char* const base = reinterpret_cast<char*>(v.data());
  const size_t bytes = n * sizeof(T);
  ParallelFor((bytes + kPart - 1) / kPart, threads, [&](size_t part, int) {
    const size_t end = std::min(bytes, (part + 1) * kPart);
    for (size_t at = part * kPart; at < end; at += kPage) static_cast<volatile char*>(base)[at] = 0;
  });
  v.resize(n);
}

}  // namespace trellis
