// service/submission_batcher.cc — see submission_batcher.h: a GroupCommit whose commit is one
// CampaignStore::SubmitResponses call (one outcome per submission, in order).
#include "service/submission_batcher.h"

#include <utility>
#include <vector>

namespace trellis::service {

SubmissionBatcher::SubmissionBatcher(storage::CampaignStore& store, Options options)
    : commit_(
          [&store](std::vector<storage::Submission>& submissions) {
            return store.SubmitResponses(submissions);
          },
          options.max_batch, "storing submissions",
          "the server is shutting down; submit again shortly") {}

SubmissionBatcher::~SubmissionBatcher() { Shutdown(); }

std::future<Result<storage::SubmitOutcome>> SubmissionBatcher::Enqueue(
    storage::Submission submission) {
  return commit_.Enqueue(std::move(submission));
}

Result<storage::SubmitOutcome> SubmissionBatcher::Submit(storage::Submission submission) {
  return Enqueue(std::move(submission)).get();
}

void SubmissionBatcher::Shutdown() { commit_.Shutdown(); }

size_t SubmissionBatcher::batches() const { return commit_.batches(); }

}  // namespace trellis::service
