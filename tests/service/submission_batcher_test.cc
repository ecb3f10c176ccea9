// service/submission_batcher_test.cc — group commit: concurrent submits are each recorded once,
// retries are recognised, one refused submission does not fail its batch, shutdown drains.
#include "service/submission_batcher.h"

#include <gtest/gtest.h>

#include <atomic>
#include <future>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "campaign_fixture.h"

namespace trellis::service {
namespace {

class SubmissionBatcherTest : public CampaignFixture {
 protected:
  // An open campaign with `n` external peers for ada; returns their nomination ids.
  std::vector<std::string> OpenWithPeers(int n, std::string* campaign_id = nullptr) {
    Result<model::Campaign> c = service_->Create(Spec(), kActor);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    std::vector<RaterSpec> raters;
    for (int i = 0; i < n; ++i) {
      raters.push_back({"ada", "", "Peer " + std::to_string(i),
                        "peer" + std::to_string(i) + "@partner.org", model::RaterGroup::kPeer});
    }
    Result<std::vector<model::Nomination>> nominated =
        service_->Nominate(kP1, c->id, raters, kActor);
    EXPECT_TRUE(nominated.ok()) << nominated.status().ToString();
    EXPECT_TRUE(service_->Open(kP1, c->id, kActor).ok());
    if (campaign_id != nullptr) *campaign_id = c->id;
    std::vector<std::string> ids;
    if (nominated.ok())
      for (const model::Nomination& nom : *nominated) ids.push_back(nom.id);
    return ids;
  }

  static storage::Submission SubmissionFor(const std::string& nomination_id, const std::string& key,
                                           int score = 4) {
    storage::Submission s;
    s.partnership_id = kP1;
    s.response.nomination_id = nomination_id;
    s.response.answers.push_back({"SYS.1.a", score});
    s.submission_key = key;
    s.submitted_at = "2026-03-01T09:00:00Z";
    return s;
  }

  int SubmittedCount(const std::string& campaign_id) {
    Result<storage::CampaignProgress> p = campaigns_->Progress(kP1, campaign_id);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    int submitted = 0;
    if (p.ok())
      for (const storage::GroupProgress& g : p->by_subject_group) submitted += g.submitted;
    return submitted;
  }
};

TEST_F(SubmissionBatcherTest, ConcurrentSubmitsFromSixteenThreadsAreEachRecordedOnce) {
  std::string campaign_id;
  const std::vector<std::string> ids = OpenWithPeers(160, &campaign_id);
  ASSERT_EQ(ids.size(), 160u);
  SubmissionBatcher batcher(*campaigns_);
  std::atomic<int> recorded = 0, failed = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 16; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 160; i += 16) {
        Result<storage::SubmitOutcome> r =
            batcher.Submit(SubmissionFor(ids[i], "key-" + std::to_string(i)));
        if (r.ok() && *r == storage::SubmitOutcome::kRecorded) {
          ++recorded;
        } else {
          ++failed;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(recorded, 160);
  EXPECT_EQ(failed, 0);
  EXPECT_EQ(SubmittedCount(campaign_id), 160);
  EXPECT_LE(batcher.batches(), 160u);
  for (const std::string& id : ids) {
    Result<model::Response> r = campaigns_->GetResponse(kP1, id);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->submitted);
    ASSERT_EQ(r->answers.size(), 1u);
    EXPECT_EQ(r->answers[0].score, 4);
  }
}

TEST_F(SubmissionBatcherTest, RetriedKeyIsRecognisedAndADifferentKeyRefused) {
  const std::vector<std::string> ids = OpenWithPeers(1);
  SubmissionBatcher batcher(*campaigns_);
  Result<storage::SubmitOutcome> first = batcher.Submit(SubmissionFor(ids[0], "k1"));
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(*first, storage::SubmitOutcome::kRecorded);
  Result<storage::SubmitOutcome> retry = batcher.Submit(SubmissionFor(ids[0], "k1"));
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_EQ(*retry, storage::SubmitOutcome::kAlreadyRecorded);
  Result<storage::SubmitOutcome> other = batcher.Submit(SubmissionFor(ids[0], "k2", 1));
  EXPECT_EQ(other.status().code(), StatusCode::kAlreadyExists);
}

TEST_F(SubmissionBatcherTest, RetryInTheSameBatchIsStoredOnce) {
  const std::vector<std::string> ids = OpenWithPeers(1);
  SubmissionBatcher batcher(*campaigns_);
  std::vector<std::future<Result<storage::SubmitOutcome>>> answers;
  for (int i = 0; i < 4; ++i) answers.push_back(batcher.Enqueue(SubmissionFor(ids[0], "same")));
  int recorded = 0, again = 0;
  for (auto& a : answers) {
    Result<storage::SubmitOutcome> r = a.get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    (*r == storage::SubmitOutcome::kRecorded ? recorded : again) += 1;
  }
  EXPECT_EQ(recorded, 1);
  EXPECT_EQ(again, 3);
}

TEST_F(SubmissionBatcherTest, RefusedSubmissionDoesNotFailTheOthersInItsBatch) {
  std::string open_id, closed_id;
  const std::vector<std::string> open_ids = OpenWithPeers(8, &open_id);
  // A second campaign, then closed: its raters' submissions are refused.
  CampaignSpec spec = Spec();
  spec.name = "Autumn 360";
  Result<model::Campaign> c = service_->Create(spec, kActor);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  Result<std::vector<model::Nomination>> closed = service_->Nominate(
      kP1, c->id, {{"ada", "", "Late Peer", "late@partner.org", model::RaterGroup::kPeer}}, kActor);
  ASSERT_TRUE(closed.ok()) << closed.status().ToString();
  ASSERT_TRUE(service_->Open(kP1, c->id, kActor).ok());
  ASSERT_TRUE(service_->Close(kP1, c->id, kActor).ok());

  SubmissionBatcher batcher(*campaigns_);
  // Enqueued together so that they share batches; the refused one sits in the middle.
  std::vector<std::future<Result<storage::SubmitOutcome>>> answers;
  for (int i = 0; i < 4; ++i)
    answers.push_back(batcher.Enqueue(SubmissionFor(open_ids[i], "k" + std::to_string(i))));
  std::future<Result<storage::SubmitOutcome>> refused =
      batcher.Enqueue(SubmissionFor(closed->front().id, "late"));
  for (int i = 4; i < 8; ++i)
    answers.push_back(batcher.Enqueue(SubmissionFor(open_ids[i], "k" + std::to_string(i))));
  EXPECT_EQ(refused.get().status().code(), StatusCode::kFailedPrecondition);
  for (auto& a : answers) {
    Result<storage::SubmitOutcome> r = a.get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, storage::SubmitOutcome::kRecorded);
  }
  EXPECT_EQ(SubmittedCount(open_id), 8);
}

TEST_F(SubmissionBatcherTest, ShutdownDrainsTheQueueThenRefuses) {
  std::string campaign_id;
  const std::vector<std::string> ids = OpenWithPeers(50, &campaign_id);
  std::vector<std::future<Result<storage::SubmitOutcome>>> answers;
  {
    SubmissionBatcher batcher(*campaigns_, {.max_batch = 4});
    for (int i = 0; i < 50; ++i)
      answers.push_back(batcher.Enqueue(SubmissionFor(ids[i], "k" + std::to_string(i))));
    batcher.Shutdown();
    // Everything queued before Shutdown was answered by the time it returned.
    for (auto& a : answers)
      EXPECT_EQ(a.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    Result<storage::SubmitOutcome> late = batcher.Submit(SubmissionFor(ids[0], "k0"));
    EXPECT_EQ(late.status().code(), StatusCode::kUnavailable);
    EXPECT_GE(batcher.batches(), 13u);  // 50 in batches of at most 4
  }
  for (auto& a : answers) {
    Result<storage::SubmitOutcome> r = a.get();
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(*r, storage::SubmitOutcome::kRecorded);
  }
  EXPECT_EQ(SubmittedCount(campaign_id), 50);
}

}  // namespace
}  // namespace trellis::service
