// service/group_commit_test.cc — the group-commit loop shared by the batchers, with a commit
// function the test controls: callers queued during a commit share the next one, each caller
// gets its own answer by position, a failed or throwing commit fails its whole batch, and a
// commit that answers the wrong number of items is a failure, not a crash.
#include "service/group_commit.h"

#include <gtest/gtest.h>

#include <future>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace trellis::service {
namespace {

using Commit = GroupCommit<int, Result<int>>;

TEST(GroupCommitTest, CallersQueuedDuringACommitShareTheNext) {
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::mutex mu;
  std::vector<size_t> sizes;
  Commit commit(
      [&](std::vector<int>& items) -> Result<std::vector<Result<int>>> {
        {
          std::lock_guard lock(mu);
          sizes.push_back(items.size());
        }
        released.wait();  // the first commit holds until every item is queued
        std::vector<Result<int>> out;
        for (int i : items) out.push_back(i * 10);
        return out;
      },
      256, "storing numbers", "shutting down");
  std::vector<std::future<Result<int>>> answers;
  answers.push_back(commit.Enqueue(0));
  // Wait until the writer is inside the first commit.
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (!sizes.empty()) break;
    }
    std::this_thread::yield();
  }
  for (int i = 1; i < 100; ++i) answers.push_back(commit.Enqueue(i));
  release.set_value();
  for (int i = 0; i < 100; ++i) {
    Result<int> r = answers[i].get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, i * 10);  // each caller's own answer
  }
  EXPECT_EQ(commit.batches(), 2u);
  EXPECT_EQ(sizes, (std::vector<size_t>{1, 99}));
}

TEST(GroupCommitTest, MaxBatchBoundsABatch) {
  std::vector<size_t> sizes;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  Commit commit(
      [&](std::vector<int>& items) -> Result<std::vector<Result<int>>> {
        released.wait();
        sizes.push_back(items.size());
        return std::vector<Result<int>>(items.begin(), items.end());
      },
      4, "storing numbers", "shutting down");
  std::vector<std::future<Result<int>>> answers;
  for (int i = 0; i < 10; ++i) answers.push_back(commit.Enqueue(i));
  release.set_value();
  for (auto& a : answers) EXPECT_TRUE(a.get().ok());
  for (size_t n : sizes) EXPECT_LE(n, 4u);
  EXPECT_GE(commit.batches(), 3u);
}

TEST(GroupCommitTest, AFailedCommitAnswersEveryCallerOfItsBatch) {
  int calls = 0;
  Commit commit(
      [&](std::vector<int>& items) -> Result<std::vector<Result<int>>> {
        ++calls;
        if (items.front() == 1) return Status::Unavailable("disk full");
        if (items.front() == 2) throw std::runtime_error("boom");
        return std::vector<Result<int>>{};  // wrong count
      },
      1, "storing numbers", "shutting down");
  Result<int> failed = commit.Enqueue(1).get();
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(failed.status().message(), "disk full");
  Result<int> thrown = commit.Enqueue(2).get();
  EXPECT_EQ(thrown.status().code(), StatusCode::kInternal);
  EXPECT_EQ(thrown.status().message(), "storing numbers: boom");
  Result<int> miscounted = commit.Enqueue(3).get();
  EXPECT_EQ(miscounted.status().code(), StatusCode::kInternal);
  EXPECT_EQ(miscounted.status().message(),
            "storing numbers: the store answered 0 outcomes for 1 items");
  EXPECT_EQ(calls, 3);
}

TEST(GroupCommitTest, ShutdownCommitsWhatIsQueuedThenRefuses) {
  std::vector<int> stored;
  std::vector<std::future<Status>> answers;
  GroupCommit<int, Status> commit(
      [&](std::vector<int>& items) -> Result<std::vector<Status>> {
        stored.insert(stored.end(), items.begin(), items.end());
        return std::vector<Status>(items.size(), Status::Ok());
      },
      3, "storing numbers", "the server is shutting down");
  for (int i = 0; i < 20; ++i) answers.push_back(commit.Enqueue(i));
  commit.Shutdown();
  for (auto& a : answers) {
    ASSERT_EQ(a.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_TRUE(a.get().ok());
  }
  EXPECT_EQ(stored.size(), 20u);
  const Status late = commit.Enqueue(99).get();
  EXPECT_EQ(late.code(), StatusCode::kUnavailable);
  EXPECT_EQ(late.message(), "the server is shutting down");
  commit.Shutdown();  // idempotent
}

}  // namespace
}  // namespace trellis::service
