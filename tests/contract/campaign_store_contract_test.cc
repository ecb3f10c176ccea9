// The CampaignStore contract: every backend in Backends() (contract/store_backends.h) must pass
// these (a backend is skipped only where it is not configured). Round trips, tenancy isolation,
// token lookup, submission idempotency and refusals, drafts, batch submission, ratings for
// analysis, progress counts, and the framework version marked in use. Data is seeded through
// the DirectoryStore, so the suite names no backend.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "contract/store_fixture.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "testing/framework_samples.h"

namespace trellis::testing {
namespace {

using model::CampaignState;
using model::Nomination;
using model::NominationStatus;
using model::RaterGroup;
using storage::CampaignStore;
using storage::Submission;
using storage::SubmitOutcome;

constexpr const char* kP1 = "prt_one";
constexpr const char* kP2 = "prt_two";
constexpr const char* kAt = kSeedAt;

class CampaignStoreContractTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (NotReady()) return;
    Seed();
  }

  void AddPerson(const std::string& partnership, const std::string& org, const std::string& id,
                 const std::string& name) {
    model::Person p;
    p.id = id;
    p.partnership_id = partnership;
    p.organisation_id = org;
    p.name = name;
    p.email = id + "@example.org";
    storage::PeopleChanges changes;
    changes.added.push_back(p);
    Status s = directory_->SavePeople(partnership, changes, {SeedAudit(partnership)});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Seed() {
    for (const char* p : {kP1, kP2}) {
      Status s =
          directory_->CreatePartnership({p, std::string("Partnership ") + p, kAt}, SeedAudit(p));
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
    ASSERT_TRUE(
        directory_
            ->AddOrganisation({"org_a", kP1, "Acute trust", model::Sector::kAcute}, SeedAudit(kP1))
            .ok());
    ASSERT_TRUE(directory_
                    ->AddOrganisation({"org_b", kP1, "Council", model::Sector::kLocalAuthority},
                                      SeedAudit(kP1))
                    .ok());
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_x", kP2, "Other", model::Sector::kOther}, SeedAudit(kP2))
            .ok());
    AddPerson(kP1, "org_a", "ada", "Ada Lovelace");
    AddPerson(kP1, "org_b", "bob", "Bob Marley");
    AddPerson(kP1, "org_a", "cyd", "Cyd Charisse");
    AddPerson(kP2, "org_x", "eve", "Eve Other");
    model::Framework f = SampleFramework();
    ASSERT_TRUE(store_->SaveFrameworkVersion(f).ok());
  }

  model::Campaign NewCampaign(const std::string& id, const std::string& partnership = kP1) {
    model::Campaign c;
    c.id = id;
    c.partnership_id = partnership;
    c.name = "Spring 360 " + id;
    c.framework_code = "integrated-care";
    c.framework_version = 1;
    c.opens_on = "2026-03-01";
    c.closes_on = "2026-03-31";
    c.created_at = kAt;
    return c;
  }

  Nomination Nom(const std::string& id, const std::string& campaign, const std::string& subject,
                 const std::string& rater_email, RaterGroup group,
                 const std::string& rater_person = "") {
    Nomination n;
    n.id = id;
    n.campaign_id = campaign;
    n.subject_id = subject;
    n.rater_person_id = rater_person;
    n.rater_name = "Rater " + id;
    n.rater_email = rater_email;
    n.group = group;
    n.status = NominationStatus::kApproved;
    return n;
  }

  // An open campaign "c1" with subjects ada and bob; ada: self, a manager and three peers;
  // bob: self and one peer (proposed).
  void OpenCampaign() {
    ASSERT_TRUE(campaigns_->CreateCampaign(NewCampaign("c1")).ok());
    ASSERT_TRUE(campaigns_->AddSubjects(kP1, "c1", {"ada", "bob"}).ok());
    std::vector<Nomination> noms = {
        Nom("n_self", "c1", "ada", "ada@example.org", RaterGroup::kSelf, "ada"),
        Nom("n_mgr", "c1", "ada", "boss@example.org", RaterGroup::kManager),
        Nom("n_p1", "c1", "ada", "p1@example.org", RaterGroup::kPeer),
        Nom("n_p2", "c1", "ada", "p2@example.org", RaterGroup::kPeer, "cyd"),
        Nom("n_p3", "c1", "ada", "p3@example.org", RaterGroup::kPeer),
        Nom("n_bself", "c1", "bob", "bob@example.org", RaterGroup::kSelf, "bob"),
        Nom("n_bp", "c1", "bob", "bp@example.org", RaterGroup::kPeer),
    };
    noms.back().status = NominationStatus::kProposed;
    Status s = campaigns_->AddNominations(kP1, noms);
    ASSERT_TRUE(s.ok()) << s.ToString();
    ASSERT_TRUE(
        campaigns_->UpdateCampaignState(kP1, "c1", CampaignState::kDraft, CampaignState::kOpen, kAt)
            .ok());
  }

  Submission Sub(const std::string& nomination, const std::string& key, int score = 4) {
    Submission s;
    s.partnership_id = kP1;
    s.response.nomination_id = nomination;
    s.response.answers = {{"SYS.1.a", score}, {"SYS.1.b", std::nullopt}, {"DATA.1.a", 3}};
    s.response.comments = {{"SYS", "Builds bridges"}};
    s.submission_key = key;
    s.submitted_at = "2026-03-05T10:00:00Z";
    return s;
  }
};

TEST_P(CampaignStoreContractTest, CreateGetAndListRoundTripAndMarkTheFrameworkInUse) {
  model::Campaign c = NewCampaign("c1");
  c.min_group = 4;
  c.context_check = false;
  ASSERT_TRUE(campaigns_->CreateCampaign(c).ok());
  ASSERT_TRUE(campaigns_->AddSubjects(kP1, "c1", {"bob", "ada", "ada"}).ok());

  Result<model::Campaign> got = campaigns_->GetCampaign(kP1, "c1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, c.name);
  EXPECT_EQ(got->framework_code, "integrated-care");
  EXPECT_EQ(got->framework_version, 1);
  EXPECT_EQ(got->opens_on, "2026-03-01");
  EXPECT_EQ(got->closes_on, "2026-03-31");
  EXPECT_EQ(got->min_group, 4);
  EXPECT_FALSE(got->context_check);
  EXPECT_EQ(got->state, CampaignState::kDraft);
  EXPECT_EQ(got->created_at, kAt);
  EXPECT_EQ(got->subject_ids, (std::vector<std::string>{"ada", "bob"}));

  Result<storage::StoredFramework> framework = store_->GetFramework("integrated-care", 1);
  ASSERT_TRUE(framework.ok());
  EXPECT_TRUE(framework->in_use);

  Result<std::vector<model::Campaign>> listed = campaigns_->ListCampaigns(kP1);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, "c1");

  Result<std::vector<model::Person>> subjects = campaigns_->ListSubjects(kP1, "c1");
  ASSERT_TRUE(subjects.ok());
  ASSERT_EQ(subjects->size(), 2u);
  EXPECT_EQ((*subjects)[0].name, "Ada Lovelace");
  EXPECT_EQ((*subjects)[0].organisation_id, "org_a");
}

TEST_P(CampaignStoreContractTest, CreateRefusesUnknownFrameworkVersionPartnershipAndTakenId) {
  model::Campaign c = NewCampaign("c1");
  c.framework_version = 2;
  EXPECT_EQ(campaigns_->CreateCampaign(c).code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->CreateCampaign(NewCampaign("c1", "prt_nobody")).code(),
            StatusCode::kNotFound);
  ASSERT_TRUE(campaigns_->CreateCampaign(NewCampaign("c1")).ok());
  EXPECT_EQ(campaigns_->CreateCampaign(NewCampaign("c1")).code(), StatusCode::kAlreadyExists);
}

TEST_P(CampaignStoreContractTest, ThePinnedContextCheckVersionRoundTripsAndIsMarkedInUse) {
  model::Framework context = SampleFramework();
  context.code = "context-check";
  ASSERT_TRUE(store_->SaveFrameworkVersion(context).ok());
  model::Campaign c = NewCampaign("c1");
  c.context_check_version = 1;
  ASSERT_TRUE(campaigns_->CreateCampaign(c).ok());
  EXPECT_EQ(campaigns_->GetCampaign(kP1, "c1")->context_check_version, std::optional<int>(1));
  EXPECT_EQ((*campaigns_->ListCampaigns(kP1))[0].context_check_version, std::optional<int>(1));
  EXPECT_TRUE(store_->GetFramework("context-check", 1)->in_use);
  // Without a pinned version (no context check, or a campaign from before 0004): null.
  model::Campaign without = NewCampaign("c2");
  without.context_check = false;
  ASSERT_TRUE(campaigns_->CreateCampaign(without).ok());
  EXPECT_EQ(campaigns_->GetCampaign(kP1, "c2")->context_check_version, std::nullopt);
  // A version that is not stored is refused and nothing is written.
  model::Campaign unknown = NewCampaign("c3");
  unknown.context_check_version = 7;
  EXPECT_EQ(campaigns_->CreateCampaign(unknown).code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->GetCampaign(kP1, "c3").status().code(), StatusCode::kNotFound);
  // The rater's lookup carries it too.
  ASSERT_TRUE(campaigns_->AddSubjects(kP1, "c1", {"ada"}).ok());
  ASSERT_TRUE(
      campaigns_->AddNominations(kP1, {Nom("n1", "c1", "ada", "p@x.org", RaterGroup::kPeer)}).ok());
  ASSERT_TRUE(campaigns_->SetTokenHash(kP1, "n1", std::string(64, 'a')).ok());
  Result<storage::NominationInCampaign> found =
      campaigns_->FindNominationByTokenHash(std::string(64, 'a'));
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->campaign.context_check_version, std::optional<int>(1));
}

TEST_P(CampaignStoreContractTest, ANominationCreatedAsProposedIsMarkedAsTheSubjects) {
  ASSERT_TRUE(campaigns_->CreateCampaign(NewCampaign("c1")).ok());
  ASSERT_TRUE(campaigns_->AddSubjects(kP1, "c1", {"ada"}).ok());
  Nomination proposed = Nom("n1", "c1", "ada", "p@x.org", RaterGroup::kPeer);
  proposed.status = NominationStatus::kProposed;
  ASSERT_TRUE(
      campaigns_
          ->AddNominations(kP1, {proposed, Nom("n2", "c1", "ada", "q@x.org", RaterGroup::kPeer)})
          .ok());
  EXPECT_TRUE(campaigns_->GetNomination(kP1, "n1")->proposed_by_subject);
  EXPECT_FALSE(campaigns_->GetNomination(kP1, "n2")->proposed_by_subject);
  // Approving or declining keeps who proposed it.
  ASSERT_TRUE(campaigns_->SetNominationStatus(kP1, "n1", NominationStatus::kDeclined).ok());
  Result<std::vector<Nomination>> listed = campaigns_->ListNominationsForSubject(kP1, "c1", "ada");
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 2u);
  for (const Nomination& n : *listed) EXPECT_EQ(n.proposed_by_subject, n.id == "n1") << n.id;
}

TEST_P(CampaignStoreContractTest, NothingCrossesPartnerships) {
  OpenCampaign();
  ASSERT_TRUE(campaigns_->SetTokenHash(kP1, "n_p1", "hash-p1").ok());
  EXPECT_EQ(campaigns_->GetCampaign(kP2, "c1").status().code(), StatusCode::kNotFound);
  Result<std::vector<model::Campaign>> other = campaigns_->ListCampaigns(kP2);
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  EXPECT_EQ(campaigns_->ListNominations(kP2, "c1").status().code(), StatusCode::kNotFound);
  Result<std::vector<Nomination>> by_subject =
      campaigns_->ListNominationsForSubject(kP2, "c1", "ada");
  ASSERT_TRUE(by_subject.ok());
  EXPECT_TRUE(by_subject->empty());
  EXPECT_EQ(campaigns_->GetNomination(kP2, "n_p1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->SetNominationStatus(kP2, "n_p1", NominationStatus::kDeclined).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->SetTokenHash(kP2, "n_p1", "stolen").code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->MarkInvited(kP2, "n_p1", kAt).code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->Progress(kP2, "c1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->GetResponse(kP2, "n_p1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(
      campaigns_->UpdateCampaignState(kP2, "c1", CampaignState::kOpen, CampaignState::kClosed, kAt)
          .code(),
      StatusCode::kNotFound);
  // A person of another partnership can be neither subject nor rater.
  EXPECT_EQ(campaigns_->AddSubjects(kP1, "c1", {"eve"}).code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->GetPeople(kP1, {"eve"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_
                ->AddNominations(
                    kP1, {Nom("n_eve", "c1", "bob", "eve@example.org", RaterGroup::kPeer, "eve")})
                .code(),
            StatusCode::kNotFound);
  Submission wrong = Sub("n_p1", "k1");
  wrong.partnership_id = kP2;
  EXPECT_EQ(campaigns_->SubmitResponse(wrong).status().code(), StatusCode::kNotFound);
  Result<storage::CampaignRatings> ratings =
      campaigns_->LoadRatings(kP2, "c1", SampleFramework(), nullptr);
  EXPECT_EQ(ratings.status().code(), StatusCode::kNotFound);
}

TEST_P(CampaignStoreContractTest, NominationsRoundTripAndRefuseADuplicateRaterAtomically) {
  OpenCampaign();
  Result<std::vector<Nomination>> all = campaigns_->ListNominations(kP1, "c1");
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  ASSERT_EQ(all->size(), 7u);
  // Ordered by subject, then group order: ada's self, manager, peers; then bob's.
  EXPECT_EQ((*all)[0].id, "n_self");
  EXPECT_EQ((*all)[1].id, "n_mgr");
  EXPECT_EQ((*all)[1].group, RaterGroup::kManager);
  EXPECT_EQ((*all)[5].id, "n_bself");
  EXPECT_EQ((*all)[6].status, NominationStatus::kProposed);

  Result<std::vector<Nomination>> ada = campaigns_->ListNominationsForSubject(kP1, "c1", "ada");
  ASSERT_TRUE(ada.ok());
  EXPECT_EQ(ada->size(), 5u);
  Result<Nomination> p2 = campaigns_->GetNomination(kP1, "n_p2");
  ASSERT_TRUE(p2.ok());
  EXPECT_EQ(p2->rater_person_id, "cyd");
  EXPECT_EQ(p2->rater_email, "p2@example.org");
  EXPECT_TRUE(p2->invited_at.empty());

  // Same email in another case: refused, and the valid first nomination of the batch too.
  Status dup = campaigns_->AddNominations(
      kP1, {Nom("n_new", "c1", "bob", "new@example.org", RaterGroup::kPeer),
            Nom("n_dup", "c1", "ada", "P1@Example.org", RaterGroup::kDirectReport)});
  EXPECT_EQ(dup.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(campaigns_->GetNomination(kP1, "n_new").status().code(), StatusCode::kNotFound);
  // A nomination id that is taken: kAlreadyExists on every backend, nothing of the batch kept.
  Status taken = campaigns_->AddNominations(
      kP1, {Nom("n_fresh", "c1", "bob", "fresh@example.org", RaterGroup::kPeer),
            Nom("n_p2", "c1", "bob", "other@example.org", RaterGroup::kPeer)});
  EXPECT_EQ(taken.code(), StatusCode::kAlreadyExists) << taken.ToString();
  EXPECT_EQ(campaigns_->GetNomination(kP1, "n_fresh").status().code(), StatusCode::kNotFound);
  // A subject not in the campaign.
  EXPECT_EQ(
      campaigns_->AddNominations(kP1, {Nom("n_c", "c1", "cyd", "z@example.org", RaterGroup::kPeer)})
          .code(),
      StatusCode::kNotFound);

  ASSERT_TRUE(campaigns_->SetNominationStatus(kP1, "n_bp", NominationStatus::kApproved).ok());
  EXPECT_EQ(campaigns_->GetNomination(kP1, "n_bp")->status, NominationStatus::kApproved);
  ASSERT_TRUE(campaigns_->MarkInvited(kP1, "n_bp", "2026-03-02T08:00:00Z").ok());
  ASSERT_TRUE(campaigns_->MarkReminded(kP1, "n_bp", "2026-03-09T08:00:00Z").ok());
  Result<Nomination> bp = campaigns_->GetNomination(kP1, "n_bp");
  EXPECT_EQ(bp->invited_at, "2026-03-02T08:00:00Z");
  EXPECT_EQ(bp->reminded_at, "2026-03-09T08:00:00Z");
}

TEST_P(CampaignStoreContractTest, TokenLookupFindsTheNominationAndItsCampaign) {
  OpenCampaign();
  ASSERT_TRUE(campaigns_->SetTokenHash(kP1, "n_p1", "hash-one").ok());
  Result<storage::NominationInCampaign> found = campaigns_->FindNominationByTokenHash("hash-one");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->nomination.id, "n_p1");
  EXPECT_EQ(found->nomination.subject_id, "ada");
  EXPECT_EQ(found->campaign.id, "c1");
  EXPECT_EQ(found->campaign.partnership_id, kP1);
  EXPECT_EQ(found->campaign.state, CampaignState::kOpen);

  // Re-issuing replaces the old hash; a hash is unique across nominations.
  ASSERT_TRUE(campaigns_->SetTokenHash(kP1, "n_p1", "hash-two").ok());
  EXPECT_EQ(campaigns_->FindNominationByTokenHash("hash-one").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(campaigns_->FindNominationByTokenHash("hash-two").ok());
  EXPECT_EQ(campaigns_->SetTokenHash(kP1, "n_p3", "hash-two").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(campaigns_->FindNominationByTokenHash("nope").status().code(), StatusCode::kNotFound);
}

TEST_P(CampaignStoreContractTest, StateChangesAreCompareAndSetAndStamped) {
  ASSERT_TRUE(campaigns_->CreateCampaign(NewCampaign("c1")).ok());
  Status wrong =
      campaigns_->UpdateCampaignState(kP1, "c1", CampaignState::kOpen, CampaignState::kClosed, kAt);
  EXPECT_EQ(wrong.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(wrong.message().find("is draft, not open"), std::string::npos) << wrong.message();
  ASSERT_TRUE(campaigns_
                  ->UpdateCampaignState(kP1, "c1", CampaignState::kDraft, CampaignState::kOpen,
                                        "2026-03-01T08:00:00Z")
                  .ok());
  ASSERT_TRUE(campaigns_
                  ->UpdateCampaignState(kP1, "c1", CampaignState::kOpen, CampaignState::kClosed,
                                        "2026-04-01T08:00:00Z")
                  .ok());
  Result<model::Campaign> c = campaigns_->GetCampaign(kP1, "c1");
  EXPECT_EQ(c->state, CampaignState::kClosed);
  EXPECT_EQ(c->opened_at, "2026-03-01T08:00:00Z");
  EXPECT_EQ(c->closed_at, "2026-04-01T08:00:00Z");
  EXPECT_TRUE(c->released_at.empty());
}

TEST_P(CampaignStoreContractTest, DraftThenSubmitAndNoDraftAfterSubmit) {
  OpenCampaign();
  model::Response draft;
  draft.nomination_id = "n_p1";
  draft.answers = {{"SYS.1.a", 2}};
  draft.saved_at = "2026-03-03T10:00:00Z";
  ASSERT_TRUE(campaigns_->SaveDraft(kP1, draft).ok());
  draft.answers = {{"SYS.1.a", 3}, {"DATA.1.b", std::nullopt}};
  draft.comments = {{"DATA", "Shares data"}};
  draft.saved_at = "2026-03-04T10:00:00Z";
  ASSERT_TRUE(campaigns_->SaveDraft(kP1, draft).ok());
  Result<model::Response> saved = campaigns_->GetResponse(kP1, "n_p1");
  ASSERT_TRUE(saved.ok()) << saved.status().ToString();
  EXPECT_FALSE(saved->submitted);
  EXPECT_EQ(saved->saved_at, "2026-03-04T10:00:00Z");
  ASSERT_EQ(saved->answers.size(), 2u);
  EXPECT_EQ(saved->answers[0].item_code, "DATA.1.b");
  EXPECT_FALSE(saved->answers[0].score.has_value());
  EXPECT_EQ(saved->answers[1].score, 3);
  ASSERT_EQ(saved->comments.size(), 1u);
  EXPECT_EQ(saved->comments[0].second, "Shares data");

  Result<SubmitOutcome> submitted = campaigns_->SubmitResponse(Sub("n_p1", "key-1"));
  ASSERT_TRUE(submitted.ok()) << submitted.status().ToString();
  EXPECT_EQ(*submitted, SubmitOutcome::kRecorded);
  saved = campaigns_->GetResponse(kP1, "n_p1");
  EXPECT_TRUE(saved->submitted);
  EXPECT_EQ(saved->answers.size(), 3u);  // the draft was replaced
  EXPECT_EQ(campaigns_->GetNomination(kP1, "n_p1")->submitted_at, "2026-03-05T10:00:00Z");

  Status late = campaigns_->SaveDraft(kP1, draft);
  EXPECT_EQ(late.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(late.message().find("already submitted"), std::string::npos) << late.message();
  EXPECT_EQ(campaigns_->GetResponse(kP1, "n_p1")->answers.size(), 3u);
  // A proposed nomination takes no answers.
  draft.nomination_id = "n_bp";
  EXPECT_EQ(campaigns_->SaveDraft(kP1, draft).code(), StatusCode::kFailedPrecondition);
}

TEST_P(CampaignStoreContractTest, SubmitIsIdempotentPerKeyAndRefusesADifferentKey) {
  OpenCampaign();
  ASSERT_EQ(*campaigns_->SubmitResponse(Sub("n_p1", "key-1", 5)), SubmitOutcome::kRecorded);
  Result<SubmitOutcome> retry = campaigns_->SubmitResponse(Sub("n_p1", "key-1", 5));
  ASSERT_TRUE(retry.ok()) << retry.status().ToString();
  EXPECT_EQ(*retry, SubmitOutcome::kAlreadyRecorded);
  Result<SubmitOutcome> other = campaigns_->SubmitResponse(Sub("n_p1", "key-2", 1));
  EXPECT_EQ(other.status().code(), StatusCode::kAlreadyExists);
  // The first submission stands.
  EXPECT_EQ(campaigns_->GetResponse(kP1, "n_p1")->answers[1].score, 5);  // SYS.1.a
  EXPECT_EQ(campaigns_->SubmitResponse(Sub("n_p2", "")).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(campaigns_->SubmitResponse(Sub("n_missing", "k")).status().code(),
            StatusCode::kNotFound);
}

TEST_P(CampaignStoreContractTest, SubmitIsRefusedUnlessTheCampaignIsOpen) {
  OpenCampaign();
  ASSERT_TRUE(campaigns_->SubmitResponse(Sub("n_p1", "key-1")).ok());
  ASSERT_TRUE(
      campaigns_->UpdateCampaignState(kP1, "c1", CampaignState::kOpen, CampaignState::kClosed, kAt)
          .ok());
  Result<SubmitOutcome> closed = campaigns_->SubmitResponse(Sub("n_p2", "key-2"));
  EXPECT_EQ(closed.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(closed.status().message().find("closed"), std::string::npos);
  EXPECT_EQ(campaigns_->GetResponse(kP1, "n_p2").status().code(), StatusCode::kNotFound);
  // A retry of a submission recorded before the close still learns it was recorded.
  EXPECT_EQ(*campaigns_->SubmitResponse(Sub("n_p1", "key-1")), SubmitOutcome::kAlreadyRecorded);
}

TEST_P(CampaignStoreContractTest, BatchSubmitStoresEachInOneTransactionWithOwnOutcomes) {
  OpenCampaign();
  std::vector<Submission> batch = {Sub("n_p1", "a"), Sub("n_missing", "b"), Sub("n_p2", "c"),
                                   Sub("n_p2", "c"), Sub("n_p3", "d"),      Sub("n_p3", "e"),
                                   Sub("n_bp", "f")};
  Result<std::vector<Result<SubmitOutcome>>> outcomes = campaigns_->SubmitResponses(batch);
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
  ASSERT_EQ(outcomes->size(), batch.size());
  EXPECT_EQ(*(*outcomes)[0], SubmitOutcome::kRecorded);
  EXPECT_EQ((*outcomes)[1].status().code(), StatusCode::kNotFound);
  EXPECT_EQ(*(*outcomes)[2], SubmitOutcome::kRecorded);
  EXPECT_EQ(*(*outcomes)[3], SubmitOutcome::kAlreadyRecorded);
  EXPECT_EQ(*(*outcomes)[4], SubmitOutcome::kRecorded);
  EXPECT_EQ((*outcomes)[5].status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ((*outcomes)[6].status().code(), StatusCode::kFailedPrecondition);  // proposed
  for (const char* id : {"n_p1", "n_p2", "n_p3"}) {
    Result<model::Response> r = campaigns_->GetResponse(kP1, id);
    ASSERT_TRUE(r.ok()) << id;
    EXPECT_TRUE(r->submitted);
  }
  EXPECT_EQ(campaigns_->GetResponse(kP1, "n_bp").status().code(), StatusCode::kNotFound);
  // A reopened store sees the batch: it was committed durably.
  Result<std::unique_ptr<storage::Store>> reopened = instance_->Open();
  ASSERT_TRUE(reopened.ok());
  Result<std::unique_ptr<CampaignStore>> again = storage::OpenCampaignStore(**reopened);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE((*again)->GetResponse(kP1, "n_p3")->submitted);
  Result<std::vector<Result<SubmitOutcome>>> none = campaigns_->SubmitResponses({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(CampaignStoreContractTest, ALongResponseIsStoredWholeOverItsDraftAndADuplicateIsRefused) {
  OpenCampaign();
  // 62 answers: more than one multi-row INSERT's worth plus single rows, "not observed" among
  // them; stored over a draft of other items, which must not survive the submission.
  auto long_response = [](const std::string& nomination) {
    Submission s;
    s.partnership_id = kP1;
    s.response.nomination_id = nomination;
    for (int i = 0; i < 62; ++i) {
      char code[8];
      std::snprintf(code, sizeof code, "I.%02d", i);
      s.response.answers.push_back(
          {code, i % 7 == 3 ? std::nullopt : std::optional<int>(1 + i % 5)});
    }
    s.submission_key = "long-" + nomination;
    s.submitted_at = "2026-03-05T10:00:00Z";
    return s;
  };
  model::Response draft;
  draft.nomination_id = "n_p1";
  draft.saved_at = kAt;
  draft.answers = {{"OLD.1", 2}, {"OLD.2", std::nullopt}};
  ASSERT_TRUE(campaigns_->SaveDraft(kP1, draft).ok());
  Submission duplicate = long_response("n_p2");
  duplicate.response.answers[40].item_code = "I.03";
  Result<std::vector<Result<SubmitOutcome>>> outcomes =
      campaigns_->SubmitResponses(std::vector<Submission>{long_response("n_p1"), duplicate});
  ASSERT_TRUE(outcomes.ok()) << outcomes.status().ToString();
  EXPECT_EQ(*(*outcomes)[0], SubmitOutcome::kRecorded);
  EXPECT_EQ((*outcomes)[1].status().code(), StatusCode::kInvalidArgument);
  Result<model::Response> stored = campaigns_->GetResponse(kP1, "n_p1");
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_TRUE(stored->submitted);
  const std::vector<model::Answer> expected = long_response("n_p1").response.answers;
  ASSERT_EQ(stored->answers.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(stored->answers[i].item_code, expected[i].item_code);
    EXPECT_EQ(stored->answers[i].score, expected[i].score) << expected[i].item_code;
  }
  // The refused one left nothing behind, not even part of its answers.
  EXPECT_EQ(campaigns_->GetResponse(kP1, "n_p2").status().code(), StatusCode::kNotFound);
}

TEST_P(CampaignStoreContractTest, ProgressCountsInvitedAndSubmittedByGroupAndOrganisation) {
  OpenCampaign();
  for (const char* id : {"n_self", "n_mgr", "n_p1", "n_p2", "n_bself", "n_bp"})
    ASSERT_TRUE(campaigns_->MarkInvited(kP1, id, kAt).ok());
  ASSERT_TRUE(campaigns_->SubmitResponse(Sub("n_p1", "a")).ok());
  ASSERT_TRUE(campaigns_->SubmitResponse(Sub("n_self", "b")).ok());
  Result<storage::CampaignProgress> p = campaigns_->Progress(kP1, "c1");
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  // ada: self, manager, peer; bob: self (bob's peer is only proposed).
  ASSERT_EQ(p->by_subject_group.size(), 4u);
  const storage::GroupProgress& ada_peer = p->by_subject_group[2];
  EXPECT_EQ(ada_peer.subject_id, "ada");
  EXPECT_EQ(ada_peer.group, RaterGroup::kPeer);
  EXPECT_EQ(ada_peer.nominated, 3);
  EXPECT_EQ(ada_peer.invited, 2);
  EXPECT_EQ(ada_peer.submitted, 1);
  EXPECT_EQ(p->by_subject_group[0].group, RaterGroup::kSelf);
  EXPECT_EQ(p->by_subject_group[0].submitted, 1);
  ASSERT_EQ(p->by_organisation.size(), 2u);
  EXPECT_EQ(p->by_organisation[0].organisation_id, "org_a");  // ada's
  EXPECT_EQ(p->by_organisation[0].nominated, 5);
  EXPECT_EQ(p->by_organisation[0].invited, 4);
  EXPECT_EQ(p->by_organisation[0].submitted, 2);
  EXPECT_EQ(p->by_organisation[1].organisation_id, "org_b");  // bob's
  EXPECT_EQ(p->by_organisation[1].nominated, 1);
}

TEST_P(CampaignStoreContractTest, ProgressByOrganisationEqualsTheOrganisationsOfProgress) {
  // Three organisations with subjects (org_c's subject has only a declined nomination, so no
  // approved one), an organisation with none, approved/proposed/declined, invited, submitted.
  ASSERT_TRUE(
      directory_->AddOrganisation({"org_c", kP1, "Hospice", model::Sector::kOther}, SeedAudit(kP1))
          .ok());
  ASSERT_TRUE(
      directory_
          ->AddOrganisation({"org_d", kP1, "Practice", model::Sector::kPrimaryCare}, SeedAudit(kP1))
          .ok());
  AddPerson(kP1, "org_c", "dee", "Dee Dee");
  AddPerson(kP1, "org_d", "fay", "Fay Wray");
  OpenCampaign();
  ASSERT_TRUE(campaigns_->AddSubjects(kP1, "c1", {"cyd", "dee", "fay"}).ok());
  std::vector<Nomination> more = {
      Nom("n_cself", "c1", "cyd", "cyd@example.org", RaterGroup::kSelf, "cyd"),
      Nom("n_cp", "c1", "cyd", "cp@example.org", RaterGroup::kPeer),
      Nom("n_dp", "c1", "dee", "dp@example.org", RaterGroup::kPeer),
      Nom("n_fm", "c1", "fay", "fm@example.org", RaterGroup::kManager),
      Nom("n_fp", "c1", "fay", "fp@example.org", RaterGroup::kPeer),
  };
  more[2].status = NominationStatus::kDeclined;
  ASSERT_TRUE(campaigns_->AddNominations(kP1, more).ok());
  for (const char* id : {"n_self", "n_mgr", "n_p1", "n_bself", "n_cself", "n_cp", "n_fm", "n_fp"})
    ASSERT_TRUE(campaigns_->MarkInvited(kP1, id, kAt).ok()) << id;
  int key = 0;
  for (const char* id : {"n_self", "n_p1", "n_bself", "n_cp", "n_fm"})
    ASSERT_TRUE(campaigns_->SubmitResponse(Sub(id, std::to_string(++key))).ok()) << id;

  Result<storage::CampaignProgress> full = campaigns_->Progress(kP1, "c1");
  ASSERT_TRUE(full.ok()) << full.status().ToString();
  Result<std::vector<storage::OrganisationProgress>> orgs =
      campaigns_->ProgressByOrganisation(kP1, "c1");
  ASSERT_TRUE(orgs.ok()) << orgs.status().ToString();
  ASSERT_EQ(orgs->size(), full->by_organisation.size());
  for (size_t i = 0; i < orgs->size(); ++i) {
    const storage::OrganisationProgress& got = (*orgs)[i];
    const storage::OrganisationProgress& want = full->by_organisation[i];
    EXPECT_EQ(got.organisation_id, want.organisation_id);
    EXPECT_EQ(got.nominated, want.nominated) << want.organisation_id;
    EXPECT_EQ(got.invited, want.invited) << want.organisation_id;
    EXPECT_EQ(got.submitted, want.submitted) << want.organisation_id;
  }
  // The values themselves: org_a is ada (5 approved: 3 invited, 2 submitted) and cyd (2, both
  // invited, 1 submitted); org_b is bob (self only, his peer is proposed); org_c's only
  // nomination is declined; org_d is fay.
  ASSERT_EQ(orgs->size(), 3u);
  EXPECT_EQ((*orgs)[0].organisation_id, "org_a");
  EXPECT_EQ((*orgs)[0].nominated, 7);
  EXPECT_EQ((*orgs)[0].invited, 5);
  EXPECT_EQ((*orgs)[0].submitted, 3);
  EXPECT_EQ((*orgs)[1].organisation_id, "org_b");
  EXPECT_EQ((*orgs)[1].nominated, 1);
  EXPECT_EQ((*orgs)[1].invited, 1);
  EXPECT_EQ((*orgs)[1].submitted, 1);
  EXPECT_EQ((*orgs)[2].organisation_id, "org_d");
  EXPECT_EQ((*orgs)[2].nominated, 2);
  EXPECT_EQ((*orgs)[2].invited, 2);
  EXPECT_EQ((*orgs)[2].submitted, 1);
  // The sum over organisations is the sum over subject × group, Progress's total.
  int nominated[2] = {0, 0}, invited[2] = {0, 0}, submitted[2] = {0, 0};
  for (const storage::OrganisationProgress& o : *orgs) {
    nominated[0] += o.nominated;
    invited[0] += o.invited;
    submitted[0] += o.submitted;
  }
  for (const storage::GroupProgress& g : full->by_subject_group) {
    nominated[1] += g.nominated;
    invited[1] += g.invited;
    submitted[1] += g.submitted;
  }
  EXPECT_EQ(nominated[0], 10);
  EXPECT_EQ(nominated[0], nominated[1]);
  EXPECT_EQ(invited[0], invited[1]);
  EXPECT_EQ(submitted[0], submitted[1]);
  EXPECT_EQ(campaigns_->ProgressByOrganisation(kP2, "c1").status().code(), StatusCode::kNotFound);
}

TEST_P(CampaignStoreContractTest, LoadRatingsSeparatesContextItemsAndHidesRaterIdentity) {
  OpenCampaign();
  model::Framework context = NumberedFramework("context-check", 2);  // items I0..I2
  Submission self = Sub("n_self", "a", 5);
  self.response.answers.push_back({"I1", 2});
  ASSERT_TRUE(campaigns_->SubmitResponse(self).ok());
  Submission peer = Sub("n_p2", "b", 3);
  peer.response.answers.push_back({"I0", std::nullopt});
  ASSERT_TRUE(campaigns_->SubmitResponse(peer).ok());
  model::Response draft;  // drafts are not analysed
  draft.nomination_id = "n_p1";
  draft.answers = {{"SYS.1.a", 1}};
  draft.saved_at = kAt;
  ASSERT_TRUE(campaigns_->SaveDraft(kP1, draft).ok());

  Result<storage::CampaignRatings> r =
      campaigns_->LoadRatings(kP1, "c1", SampleFramework(), &context);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const model::RatingSet& set = r->competencies;
  EXPECT_EQ(set.subject_ids, (std::vector<std::string>{"ada"}));
  EXPECT_EQ(set.item_count, 6u);
  EXPECT_EQ(set.RowCount(), 6u);  // 3 answers each
  // The self rater is the subject; the peer is known only by the nomination id.
  EXPECT_EQ(set.rater_ids, (std::vector<std::string>{"ada", "n_p2"}));
  ASSERT_EQ(r->context_check.RowCount(), 2u);
  EXPECT_EQ(r->context_check.item_count, 3u);
  ASSERT_EQ(r->comments.size(), 2u);
  EXPECT_EQ(r->comments[0].domain_code, "SYS");
  EXPECT_EQ(r->comments[0].text, "Builds bridges");
  // Without a context framework its answers are left out.
  Result<storage::CampaignRatings> plain =
      campaigns_->LoadRatings(kP1, "c1", SampleFramework(), nullptr);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->context_check.RowCount(), 0u);
}

TEST_P(CampaignStoreContractTest, RemovingASubjectIsRefusedOnceRatersSubmitted) {
  OpenCampaign();
  ASSERT_TRUE(campaigns_->SubmitResponse(Sub("n_p1", "a")).ok());
  EXPECT_EQ(campaigns_->RemoveSubject(kP1, "c1", "ada").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(campaigns_->RemoveSubject(kP1, "c1", "bob").ok());
  EXPECT_EQ(campaigns_->GetCampaign(kP1, "c1")->subject_ids, (std::vector<std::string>{"ada"}));
  EXPECT_EQ(campaigns_->GetNomination(kP1, "n_bp").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(campaigns_->RemoveSubject(kP1, "c1", "bob").code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, CampaignStoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace trellis::testing
