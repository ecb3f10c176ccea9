// service/group_commit.h — the group-commit loop shared by SubmissionBatcher and AuditBatcher:
// server threads Enqueue an item and wait on its future; one writer thread takes everything
// queued (up to max_batch), stores it with one call of the commit function (one durable
// transaction), then answers every caller of the batch. The writer does not wait to fill a
// batch: it commits whatever is queued the moment the previous commit ends, so a lone item
// costs one commit (no added latency) and under load a batch grows by itself to the number of
// callers that arrived during the previous commit. Shutdown stores what is queued, then stops
// the writer; later items are answered kUnavailable. Thread-safe.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/status.h"

namespace trellis::service {

// `Answer` is what each caller gets: Status, or Result<T>; it must be constructible from a
// failed Status (a failed commit, or shutdown).
template <typename Item, typename Answer>
class GroupCommit {
 public:
  // Stores `items` (moved out of the queue, in arrival order) in one transaction and returns
  // one answer per item, in the same order, or the failure of the whole commit.
  using CommitFn = std::function<Result<std::vector<Answer>>(std::vector<Item>& items)>;

  // `what` names the commit in errors ("storing submissions"); `shutting_down` is the
  // message of kUnavailable for items enqueued after Shutdown. Starts the writer thread.
  GroupCommit(CommitFn commit, size_t max_batch, std::string what, std::string shutting_down)
      : commit_(std::move(commit)),
        max_batch_(std::max<size_t>(max_batch, 1)),
        what_(std::move(what)),
        shutting_down_(std::move(shutting_down)) {
    writer_ = std::thread([this] { Run(); });
  }
  ~GroupCommit() { Shutdown(); }
  GroupCommit(const GroupCommit&) = delete;
  GroupCommit& operator=(const GroupCommit&) = delete;

  // Queues `item`; the future is ready once its batch has committed (or failed).
  std::future<Answer> Enqueue(Item item) {
    Pending p{std::move(item), {}};
    std::future<Answer> answer = p.promise.get_future();
    {
      std::lock_guard lock(mu_);
      if (!stopping_) {
        queue_.push_back(std::move(p));
        wake_.notify_one();
        return answer;
      }
    }
    p.promise.set_value(Answer(Status::Unavailable(shutting_down_)));
    return answer;
  }

  // Stops taking items, commits those already queued, and returns when they are all
  // answered. Idempotent; safe from any thread but the writer.
  void Shutdown() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    std::call_once(joined_, [this] {
      if (writer_.joinable()) writer_.join();
    });
  }

  // Commits made so far.
  size_t batches() const {
    std::lock_guard lock(mu_);
    return batches_;
  }

 private:
  struct Pending {
    Item item;
    std::promise<Answer> promise;
  };

  void Run() {
    std::vector<Pending> batch;
    std::vector<Item> items;
    for (;;) {
      batch.clear();
      {
        std::unique_lock lock(mu_);
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        // Stopping with an empty queue: everything accepted has been answered.
        if (queue_.empty()) return;
        const size_t n = std::min(queue_.size(), max_batch_);
        for (size_t i = 0; i < n; ++i) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      // Moving the items out is safe: each promise is answered by position.
      items.clear();
      for (Pending& p : batch) items.push_back(std::move(p.item));
      Result<std::vector<Answer>> answers = [&]() -> Result<std::vector<Answer>> {
        try {
          return commit_(items);
        } catch (const std::exception& e) {
          // No exception may escape the writer (it would end the process); the callers get
          // it as a failed commit.
          return Status::Internal(what_ + ": " + e.what());
        }
      }();
      if (answers.ok() && answers->size() != batch.size()) {
        answers =
            Status::Internal(what_ + ": the store answered " + std::to_string(answers->size()) +
                             " outcomes for " + std::to_string(batch.size()) + " items");
      }
      {
        std::lock_guard lock(mu_);
        ++batches_;
      }
      for (size_t i = 0; i < batch.size(); ++i) {
        if (answers.ok()) {
          batch[i].promise.set_value(std::move((*answers)[i]));
        } else {
          batch[i].promise.set_value(Answer(answers.status()));
        }
      }
    }
  }

  const CommitFn commit_;
  const size_t max_batch_;
  const std::string what_;
  const std::string shutting_down_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;  // guarded by mu_
  bool stopping_ = false;      // guarded by mu_
  size_t batches_ = 0;         // guarded by mu_
  std::thread writer_;         // started last (in the constructor body), joined once
  std::once_flag joined_;
};

}  // namespace trellis::service
