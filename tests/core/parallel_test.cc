// Tests for core/parallel.h: ParallelFor runs every task exactly once on the threads it names.
#include "core/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

namespace trellis {
namespace {

TEST(ParallelFor, RunsEveryTaskOnceOnAtMostTheGivenThreads) {
  for (int threads : {0, 1, 2, 5}) {
    for (size_t tasks : {size_t{0}, size_t{1}, size_t{3}, size_t{1000}}) {
      std::vector<std::atomic<int>> runs(tasks);
      std::mutex mu;
      std::set<int> workers;
      std::set<std::thread::id> ids;
      ParallelFor(tasks, threads, [&](size_t task, int worker) {
        runs[task].fetch_add(1);
        std::lock_guard<std::mutex> lock(mu);
        workers.insert(worker);
        ids.insert(std::this_thread::get_id());
      });
      for (size_t t = 0; t < tasks; ++t) EXPECT_EQ(runs[t].load(), 1) << tasks << " " << t;
      const size_t limit = std::max<size_t>(1, std::min<size_t>(std::max(threads, 1), tasks));
      EXPECT_LE(workers.size(), limit);
      EXPECT_LE(ids.size(), limit);
      for (int w : workers) EXPECT_LT(static_cast<size_t>(w), limit);
      if (tasks <= 1 || threads <= 1) {
        // One thread is enough: the caller runs the tasks itself.
        EXPECT_TRUE(ids.empty() || *ids.begin() == std::this_thread::get_id());
      }
    }
  }
}

}  // namespace
}  // namespace trellis
