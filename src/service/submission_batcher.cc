// service/submission_batcher.cc — see submission_batcher.h. The writer does not wait to fill
// a batch: it commits whatever is queued the moment the previous commit ends, so a lone
// submission costs one commit (no added latency) and under load the batch grows by itself to
// the number of callers that arrived during the previous fsync.
#include "service/submission_batcher.h"

#include <algorithm>
#include <exception>
#include <string>
#include <utility>
#include <vector>

namespace trellis::service {

SubmissionBatcher::SubmissionBatcher(storage::CampaignStore& store, Options options)
    : store_(store), options_{std::max<size_t>(options.max_batch, 1)} {
  writer_ = std::thread([this] { Run(); });
}

SubmissionBatcher::~SubmissionBatcher() { Shutdown(); }

std::future<Result<storage::SubmitOutcome>> SubmissionBatcher::Enqueue(
    storage::Submission submission) {
  Pending p{std::move(submission), {}};
  std::future<Result<storage::SubmitOutcome>> answer = p.promise.get_future();
  {
    std::lock_guard lock(mu_);
    if (!stopping_) {
      queue_.push_back(std::move(p));
      wake_.notify_one();
      return answer;
    }
  }
  p.promise.set_value(Status::Unavailable("the server is shutting down; submit again shortly"));
  return answer;
}

Result<storage::SubmitOutcome> SubmissionBatcher::Submit(storage::Submission submission) {
  return Enqueue(std::move(submission)).get();
}

void SubmissionBatcher::Shutdown() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  std::call_once(joined_, [this] {
    if (writer_.joinable()) writer_.join();
  });
}

size_t SubmissionBatcher::batches() const {
  std::lock_guard lock(mu_);
  return batches_;
}

void SubmissionBatcher::Run() {
  std::vector<Pending> batch;
  std::vector<storage::Submission> submissions;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      // Stopping with an empty queue: everything accepted has been answered.
      if (queue_.empty()) return;
      const size_t n = std::min(queue_.size(), options_.max_batch);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    submissions.clear();
    // The store takes a span of Submissions; moving them out is safe, each promise is answered
    // by position.
    for (Pending& p : batch) submissions.push_back(std::move(p.submission));
    Result<std::vector<Result<storage::SubmitOutcome>>> outcomes = [&]() {
      try {
        return store_.SubmitResponses(submissions);
      } catch (const std::exception& e) {
        // No exception may escape the writer (it would end the process); the callers get it
        // as a failed commit.
        return Result<std::vector<Result<storage::SubmitOutcome>>>(
            Status::Internal(std::string("storing submissions: ") + e.what()));
      }
    }();
    if (outcomes.ok() && outcomes->size() != batch.size()) {
      outcomes = Status::Internal("the store answered " + std::to_string(outcomes->size()) +
                                  " outcomes for " + std::to_string(batch.size()) + " submissions");
    }
    {
      std::lock_guard lock(mu_);
      ++batches_;
    }
    for (size_t i = 0; i < batch.size(); ++i) {
      if (outcomes.ok()) {
        batch[i].promise.set_value(std::move((*outcomes)[i]));
      } else {
        batch[i].promise.set_value(outcomes.status());
      }
    }
  }
}

}  // namespace trellis::service
