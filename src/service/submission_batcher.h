// service/submission_batcher.h — group commit for rater submissions. Server threads hand a
// Submission to Submit() and block; one writer thread takes everything queued (up to
// max_batch) and stores it with a single CampaignStore::SubmitResponses call, i.e. one durable
// transaction (one fsync) for the whole batch, then gives each caller its own outcome. A caller
// is answered only after its batch has committed, so an acknowledged submission survives a
// crash exactly as with SubmitResponse. A refused submission (closed campaign, other key) does
// not fail the others in its batch; a failed commit fails every submission of that batch.
// Thread-safe. Destruction (or Shutdown) stores what is queued, then stops the writer. The loop
// itself is service/group_commit.h, shared with AuditBatcher.
#pragma once

#include <cstddef>
#include <future>

#include "core/status.h"
#include "service/group_commit.h"
#include "storage/campaign_store.h"

namespace trellis::service {

class SubmissionBatcher {
 public:
  struct Options {
    size_t max_batch = 256;  // submissions per transaction, ≥ 1
  };

  // `store` must outlive the batcher. Starts the writer thread.
  explicit SubmissionBatcher(storage::CampaignStore& store) : SubmissionBatcher(store, Options{}) {}
  SubmissionBatcher(storage::CampaignStore& store, Options options);
  // Shutdown(), then joins the writer.
  ~SubmissionBatcher();
  SubmissionBatcher(const SubmissionBatcher&) = delete;
  SubmissionBatcher& operator=(const SubmissionBatcher&) = delete;

  // Queues `submission` and blocks until its batch is committed. Returns what
  // CampaignStore::SubmitResponse would (kRecorded, kAlreadyRecorded, or its errors);
  // kUnavailable when the batch could not be committed (nothing of it was stored) or when the
  // batcher is shut down.
  Result<storage::SubmitOutcome> Submit(storage::Submission submission);

  // As Submit, without blocking: the future is ready once the batch has committed.
  std::future<Result<storage::SubmitOutcome>> Enqueue(storage::Submission submission);

  // Stops taking submissions (later ones get kUnavailable), stores those already queued, and
  // returns when they are all answered. Idempotent; safe from any thread but the writer.
  void Shutdown();

  // Transactions committed so far (for tests and benchmarks).
  size_t batches() const;

 private:
  GroupCommit<storage::Submission, Result<storage::SubmitOutcome>> commit_;
};

}  // namespace trellis::service
