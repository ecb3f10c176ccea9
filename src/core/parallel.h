// core/parallel.h — the thread helper of the data-parallel hot paths (the ratings reader,
// formats/ratings_csv.cc, and the analysis, analytics/aggregate.cc): run numbered tasks on a few
// threads. Header-only; no shared state, so every call is thread-safe.
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

}  // namespace trellis
