// The PlanStore contract: every backend in Backends() (contract/store_backends.h) must pass
// these. Catalogue round trips with tags, plan round trips with every part in order, shares and
// comments, overdue actions and reminders, refusals with their codes, and tenancy: a record of
// one partnership is NotFound through another. Data is seeded through the DirectoryStore and
// CampaignStore, so the suite names no backend.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "contract/store_fixture.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/plan_store.h"
#include "testing/framework_samples.h"

namespace trellis::testing {
namespace {

using storage::ActionStatus;
using storage::DevelopmentPlan;
using storage::LearningResource;
using storage::OverdueAction;
using storage::PlanAction;
using storage::PlanStore;
using storage::ShareRole;

constexpr const char* kP1 = "prt_one";
constexpr const char* kP2 = "prt_two";
constexpr const char* kAt = kSeedAt;

class PlanStoreContractTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (NotReady()) return;
    Seed();
  }

  void Seed() {
    for (const char* p : {kP1, kP2}) {
      ASSERT_TRUE(
          directory_->CreatePartnership({p, std::string("Partnership ") + p, kAt}, SeedAudit(p))
              .ok());
    }
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_a", kP1, "Acute", model::Sector::kAcute}, SeedAudit(kP1))
            .ok());
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_x", kP2, "Other", model::Sector::kOther}, SeedAudit(kP2))
            .ok());
    for (auto [p, org, id] : {std::tuple{kP1, "org_a", "ada"}, std::tuple{kP1, "org_a", "bob"},
                              std::tuple{kP2, "org_x", "eve"}}) {
      model::Person person;
      person.id = id;
      person.partnership_id = p;
      person.organisation_id = org;
      person.name = std::string("Person ") + id;
      person.email = std::string(id) + "@example.org";
      storage::PeopleChanges changes;
      changes.added.push_back(person);
      ASSERT_TRUE(directory_->SavePeople(p, changes, {SeedAudit(p)}).ok());
    }
    for (auto [p, id, person] :
         {std::tuple{kP1, "acc_ada", "ada"}, std::tuple{kP1, "acc_bob", "bob"},
          std::tuple{kP2, "acc_eve", "eve"}}) {
      model::Account a{id, p, std::string(id) + "@login.example", id, model::Role::kMember, person};
      ASSERT_TRUE(directory_->CreateAccount(a, "$argon2id$fake", SeedAudit(p)).ok());
    }
    ASSERT_TRUE(store_->SaveFrameworkVersion(SampleFramework()).ok());
    for (auto [p, id] : {std::pair{kP1, "cmp_one"}, std::pair{kP2, "cmp_two"}}) {
      model::Campaign c;
      c.id = id;
      c.partnership_id = p;
      c.name = "Spring 360";
      c.framework_code = "integrated-care";
      c.framework_version = 1;
      c.opens_on = "2026-03-01";
      c.closes_on = "2026-03-31";
      c.created_at = kAt;
      Status s = campaigns_->CreateCampaign(c);
      ASSERT_TRUE(s.ok()) << s.ToString();
    }
  }

  DevelopmentPlan NewPlan(const std::string& id, const std::string& created_at = kAt) {
    DevelopmentPlan p;
    p.id = id;
    p.partnership_id = kP1;
    p.person_id = "ada";
    p.campaign_id = "cmp_one";
    p.framework_code = "integrated-care";
    p.framework_version = 1;
    p.created_at = created_at;
    p.updated_at = created_at;
    p.priorities = {{"SYS.2", "Name owners"}, {"DATA.1", ""}};
    return p;
  }

  PlanAction Action(const std::string& id, const std::string& due, const std::string& code) {
    PlanAction a;
    a.id = id;
    a.competency_code = code;
    a.description = "Action " + id;
    a.owner = "Ada";
    a.due_on = due;
    a.created_at = kAt;
    a.updated_at = kAt;
    return a;
  }
};

TEST_P(PlanStoreContractTest, ResourcesRoundTripWithTagsAndStayInTheirPartnership) {
  LearningResource r{"res_b",
                     kP1,
                     "Systems leadership reading",
                     "https://example.org/read",
                     "",
                     {"SYS.2", "SYS.1", "SYS.1"},
                     kAt,
                     kAt};
  ASSERT_TRUE(plans_->AddResource(r).ok());
  LearningResource a{"res_a", kP1, "Action learning set", "", "Six sessions with peers", {"DATA.1"},
                     kAt,     kAt};
  ASSERT_TRUE(plans_->AddResource(a).ok());
  auto list = plans_->ListResources(kP1);
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].title, "Action learning set");  // by title
  EXPECT_EQ((*list)[1].competency_codes, (std::vector<std::string>{"SYS.1", "SYS.2"}));
  EXPECT_TRUE(plans_->ListResources(kP2)->empty());
  EXPECT_EQ(plans_->GetResource(kP2, "res_a").status().code(), StatusCode::kNotFound);

  a.title = "Action learning";
  a.competency_codes = {"SYS.1"};
  a.updated_at = "2026-03-02T09:00:00Z";
  ASSERT_TRUE(plans_->UpdateResource(a).ok());
  auto got = plans_->GetResource(kP1, "res_a");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->title, "Action learning");
  EXPECT_EQ(got->competency_codes, std::vector<std::string>{"SYS.1"});
  EXPECT_EQ(got->updated_at, "2026-03-02T09:00:00Z");

  LearningResource foreign = a;
  foreign.partnership_id = kP2;
  EXPECT_EQ(plans_->UpdateResource(foreign).code(), StatusCode::kNotFound);
  EXPECT_EQ(plans_->DeleteResource(kP2, "res_a").code(), StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddResource(a).code(), StatusCode::kAlreadyExists);
  LearningResource empty{"res_c", kP1, "Nothing", "", "", {}, kAt, kAt};
  EXPECT_EQ(plans_->AddResource(empty).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(plans_->DeleteResource(kP1, "res_a").ok());
  EXPECT_EQ(plans_->ListResources(kP1)->size(), 1u);
}

TEST_P(PlanStoreContractTest, APlanRoundTripsWithEveryPartInOrder) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_2", "2026-05-01", "DATA.1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_1", "2026-04-01", "SYS.2")).ok());
  ASSERT_TRUE(plans_->AddEvidence(kP1, "pln_1", {"evd_1", "SYS.2", "Ran a review", kAt}).ok());
  ASSERT_TRUE(
      plans_->SetGoal(kP1, "pln_1", "DATA.1", "Read SPC charts", "2026-03-03T09:00:00Z").ok());
  ASSERT_TRUE(
      plans_->Share(kP1, "pln_1", {"acc_bob", ShareRole::kLineManager, "2026-03-02T09:00:00Z"})
          .ok());
  ASSERT_TRUE(plans_->AddComment(kP1, "pln_1", {"cmt_1", "acc_bob", "Good start", kAt}).ok());

  auto plan = plans_->GetPlan(kP1, "pln_1");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->person_id, "ada");
  EXPECT_EQ(plan->framework_version, 1);
  ASSERT_EQ(plan->priorities.size(), 2u);
  EXPECT_EQ(plan->priorities[0].competency_code, "SYS.2");  // the owner's order
  EXPECT_EQ(plan->priorities[0].goal, "Name owners");
  EXPECT_EQ(plan->priorities[1].goal, "Read SPC charts");
  ASSERT_EQ(plan->actions.size(), 2u);
  EXPECT_EQ(plan->actions[0].id, "act_1");  // by due date
  EXPECT_EQ(plan->actions[0].status, ActionStatus::kNotStarted);
  EXPECT_EQ(plan->actions[0].last_reminded_at, "");
  ASSERT_EQ(plan->evidence.size(), 1u);
  EXPECT_EQ(plan->evidence[0].note, "Ran a review");
  ASSERT_EQ(plan->shares.size(), 1u);
  EXPECT_EQ(plan->shares[0].role, ShareRole::kLineManager);
  ASSERT_EQ(plan->comments.size(), 1u);
  EXPECT_EQ(plan->comments[0].author_account_id, "acc_bob");
  EXPECT_EQ(plan->updated_at, "2026-03-03T09:00:00Z");

  PlanAction changed = plan->actions[0];
  changed.status = ActionStatus::kDone;
  changed.due_on = "2026-04-15";
  changed.updated_at = "2026-03-04T09:00:00Z";
  ASSERT_TRUE(plans_->UpdateAction(kP1, "pln_1", changed).ok());
  plan = plans_->GetPlan(kP1, "pln_1");
  EXPECT_EQ(plan->actions[0].status, ActionStatus::kDone);
  EXPECT_EQ(plan->actions[0].due_on, "2026-04-15");
}

TEST_P(PlanStoreContractTest, ListsNewestFirstAndSharedWith) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_old", "2026-03-01T09:00:00Z")).ok());
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_new", "2026-06-01T09:00:00Z")).ok());
  auto mine = plans_->ListPlansOf(kP1, "ada");
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].id, "pln_new");
  EXPECT_EQ((*mine)[0].priority_codes, (std::vector<std::string>{"SYS.2", "DATA.1"}));
  EXPECT_TRUE(plans_->ListPlansOf(kP1, "bob")->empty());
  EXPECT_TRUE(plans_->ListPlansSharedWith(kP1, "acc_bob")->empty());
  ASSERT_TRUE(plans_->Share(kP1, "pln_old", {"acc_bob", ShareRole::kCoach, kAt}).ok());
  // Sharing again changes the role, not the number of shares.
  ASSERT_TRUE(plans_->Share(kP1, "pln_old", {"acc_bob", ShareRole::kLineManager, kAt}).ok());
  auto shared = plans_->ListPlansSharedWith(kP1, "acc_bob");
  ASSERT_EQ(shared->size(), 1u);
  EXPECT_EQ((*shared)[0].id, "pln_old");
  EXPECT_EQ(plans_->GetPlan(kP1, "pln_old")->shares.size(), 1u);
  EXPECT_EQ(plans_->GetPlan(kP1, "pln_old")->shares[0].role, ShareRole::kLineManager);
  ASSERT_TRUE(plans_->Unshare(kP1, "pln_old", "acc_bob").ok());
  EXPECT_TRUE(plans_->ListPlansSharedWith(kP1, "acc_bob")->empty());
  EXPECT_EQ(plans_->Unshare(kP1, "pln_old", "acc_bob").code(), StatusCode::kNotFound);
}

TEST_P(PlanStoreContractTest, CommentsAreListedByAuthorOldestFirstAndPerPartnership) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  ASSERT_TRUE(
      plans_->AddComment(kP1, "pln_1", {"cmt_2", "acc_bob", "Later", "2026-02-02T09:00:00Z"}).ok());
  ASSERT_TRUE(
      plans_->AddComment(kP1, "pln_1", {"cmt_1", "acc_bob", "First", "2026-02-01T09:00:00Z"}).ok());
  ASSERT_TRUE(
      plans_->AddComment(kP1, "pln_1", {"cmt_3", "acc_ada", "Owner's", "2026-02-03T09:00:00Z"})
          .ok());
  DevelopmentPlan eves = NewPlan("pln_2");
  eves.partnership_id = kP2;
  eves.person_id = "eve";
  eves.campaign_id = "cmp_two";
  ASSERT_TRUE(plans_->CreatePlan(eves).ok());
  ASSERT_TRUE(plans_->AddComment(kP2, "pln_2", {"cmt_4", "acc_eve", "Eve's", kAt}).ok());

  Result<std::vector<storage::AuthoredComment>> bobs = plans_->ListCommentsBy(kP1, "acc_bob");
  ASSERT_TRUE(bobs.ok()) << bobs.status().ToString();
  ASSERT_EQ(bobs->size(), 2u);
  EXPECT_EQ((*bobs)[0].plan_id, "pln_1");
  EXPECT_EQ((*bobs)[0].plan_person_id, "ada");
  EXPECT_EQ((*bobs)[0].comment.id, "cmt_1");
  EXPECT_EQ((*bobs)[0].comment.author_account_id, "acc_bob");
  EXPECT_EQ((*bobs)[0].comment.body, "First");
  EXPECT_EQ((*bobs)[0].comment.created_at, "2026-02-01T09:00:00Z");
  EXPECT_EQ((*bobs)[1].comment.body, "Later");
  EXPECT_EQ(plans_->ListCommentsBy(kP1, "acc_ada")->size(), 1u);
  // Another partnership's comments are not found through this one.
  EXPECT_TRUE(plans_->ListCommentsBy(kP1, "acc_eve")->empty());
  EXPECT_TRUE(plans_->ListCommentsBy(kP2, "acc_bob")->empty());
  EXPECT_EQ(plans_->ListCommentsBy(kP2, "acc_eve")->at(0).comment.body, "Eve's");
}

TEST_P(PlanStoreContractTest, RefusesWhatItCanName) {
  DevelopmentPlan none = NewPlan("pln_x");
  none.priorities.clear();
  EXPECT_EQ(plans_->CreatePlan(none).code(), StatusCode::kInvalidArgument);
  DevelopmentPlan twice = NewPlan("pln_x");
  twice.priorities = {{"SYS.1", ""}, {"SYS.1", ""}};
  EXPECT_EQ(plans_->CreatePlan(twice).code(), StatusCode::kInvalidArgument);
  DevelopmentPlan stranger = NewPlan("pln_x");
  stranger.person_id = "eve";  // a person of the other partnership
  EXPECT_EQ(plans_->CreatePlan(stranger).code(), StatusCode::kNotFound);
  DevelopmentPlan other_campaign = NewPlan("pln_x");
  other_campaign.campaign_id = "cmp_two";
  EXPECT_EQ(plans_->CreatePlan(other_campaign).code(), StatusCode::kNotFound);
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  EXPECT_EQ(plans_->CreatePlan(NewPlan("pln_1")).code(), StatusCode::kAlreadyExists);
  // An action or evidence for a competency that is not a priority.
  EXPECT_EQ(plans_->AddAction(kP1, "pln_1", Action("act_1", "2026-04-01", "SYS.1")).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddEvidence(kP1, "pln_1", {"evd_1", "SYS.1", "x", kAt}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->SetGoal(kP1, "pln_1", "SYS.1", "x", kAt).code(), StatusCode::kNotFound);
  // Sharing with an account of another partnership.
  EXPECT_EQ(plans_->Share(kP1, "pln_1", {"acc_eve", ShareRole::kCoach, kAt}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddComment(kP1, "pln_1", {"cmt_1", "acc_eve", "x", kAt}).code(),
            StatusCode::kNotFound);
  PlanAction unknown = Action("act_nope", "2026-04-01", "SYS.2");
  EXPECT_EQ(plans_->UpdateAction(kP1, "pln_1", unknown).code(), StatusCode::kNotFound);
}

TEST_P(PlanStoreContractTest, AnotherPartnershipSeesNothingOfAPlan) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_1", "2026-01-01", "SYS.2")).ok());
  EXPECT_EQ(plans_->GetPlan(kP2, "pln_1").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(plans_->ListPlansOf(kP2, "ada")->empty());
  EXPECT_TRUE(plans_->ListOverdue(kP2, "2026-06-01")->empty());
  EXPECT_EQ(plans_->SetGoal(kP2, "pln_1", "SYS.2", "x", kAt).code(), StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddAction(kP2, "pln_1", Action("act_2", "2026-04-01", "SYS.2")).code(),
            StatusCode::kNotFound);
  PlanAction done = Action("act_1", "2026-01-01", "SYS.2");
  done.status = ActionStatus::kDone;
  EXPECT_EQ(plans_->UpdateAction(kP2, "pln_1", done).code(), StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddEvidence(kP2, "pln_1", {"evd_1", "SYS.2", "x", kAt}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->Share(kP2, "pln_1", {"acc_eve", ShareRole::kCoach, kAt}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->AddComment(kP2, "pln_1", {"cmt_1", "acc_eve", "x", kAt}).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->ClaimReminders(kP2, {"act_1"}, "2026-01-01T00:00:00Z", kAt).status().code(),
            StatusCode::kNotFound);
  // Nothing changed.
  auto plan = plans_->GetPlan(kP1, "pln_1");
  EXPECT_EQ(plan->actions[0].status, ActionStatus::kNotStarted);
  EXPECT_TRUE(plan->shares.empty());
  EXPECT_TRUE(plan->comments.empty());
  EXPECT_EQ(plan->actions[0].last_reminded_at, "");
}

TEST_P(PlanStoreContractTest, OverdueActionsAreThosePastDueAndStillOpen) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_late", "2026-03-31", "SYS.2")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_later", "2026-02-01", "DATA.1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_today", "2026-04-01", "SYS.2")).ok());
  PlanAction done = Action("act_done", "2026-01-01", "SYS.2");
  done.status = ActionStatus::kDone;
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", done).ok());
  PlanAction dropped = Action("act_dropped", "2026-01-01", "SYS.2");
  dropped.status = ActionStatus::kDropped;
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", dropped).ok());
  PlanAction going = Action("act_going", "2026-01-15", "SYS.2");
  going.status = ActionStatus::kInProgress;
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", going).ok());

  auto overdue = plans_->ListOverdue(kP1, "2026-04-01");
  ASSERT_TRUE(overdue.ok()) << overdue.status().ToString();
  ASSERT_EQ(overdue->size(), 3u);
  EXPECT_EQ((*overdue)[0].action.id, "act_going");  // by due date
  EXPECT_EQ((*overdue)[1].action.id, "act_later");
  EXPECT_EQ((*overdue)[2].action.id, "act_late");
  EXPECT_EQ((*overdue)[2].person_id, "ada");
  EXPECT_EQ((*overdue)[2].plan_id, "pln_1");

  ASSERT_TRUE(
      plans_->ClaimReminders(kP1, {"act_late"}, "2026-03-25T07:00:00Z", "2026-04-01T07:00:00Z")
          .ok());
  overdue = plans_->ListOverdue(kP1, "2026-04-01");
  EXPECT_EQ((*overdue)[2].action.last_reminded_at, "2026-04-01T07:00:00Z");
}

TEST_P(PlanStoreContractTest, AReminderIsClaimedOnceWithinTheQuietDays) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action("act_late", "2026-03-01", "SYS.2")).ok());
  const char* kQuietSince = "2026-03-25T07:00:00Z";
  // The ids claimed, joined by commas ("" for none), or the error.
  auto claim = [this](const char* pid, std::vector<std::string> ids, const char* since,
                      const char* at) {
    Result<std::vector<std::string>> r = plans_->ClaimReminders(pid, ids, since, at);
    if (!r.ok()) return r.status().ToString();
    std::string out;
    for (const std::string& id : *r) out += (out.empty() ? "" : ",") + id;
    return out;
  };
  // Never reminded: the first claim wins, a second run's claim of the same action loses.
  EXPECT_EQ(claim(kP1, {"act_late"}, kQuietSince, "2026-04-01T07:00:00Z"), "act_late");
  EXPECT_EQ(claim(kP1, {"act_late"}, kQuietSince, "2026-04-01T07:00:01Z"), "");
  EXPECT_EQ(plans_->ListOverdue(kP1, "2026-04-01")->at(0).action.last_reminded_at,
            "2026-04-01T07:00:00Z");
  // A claim whose email failed is given back (only by the run that holds it), and can be
  // claimed again.
  ASSERT_TRUE(plans_->ReleaseReminder(kP1, "act_late", "2026-04-01T07:00:09Z", "").ok());
  EXPECT_EQ(plans_->ListOverdue(kP1, "2026-04-01")->at(0).action.last_reminded_at,
            "2026-04-01T07:00:00Z");
  ASSERT_TRUE(plans_->ReleaseReminder(kP1, "act_late", "2026-04-01T07:00:00Z", "").ok());
  EXPECT_EQ(plans_->ListOverdue(kP1, "2026-04-01")->at(0).action.last_reminded_at, "");
  EXPECT_EQ(claim(kP1, {"act_late"}, kQuietSince, "2026-04-01T08:00:00Z"), "act_late");
  // After the quiet days it is due again.
  EXPECT_EQ(claim(kP1, {"act_late"}, "2026-04-08T08:00:00Z", "2026-04-08T09:00:00Z"), "act_late");
  // Another partnership's action, or none: not found.
  EXPECT_EQ(plans_->ClaimReminders(kP2, {"act_late"}, kQuietSince, kAt).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(plans_->ClaimReminders(kP1, {"act_nope"}, kQuietSince, kAt).status().code(),
            StatusCode::kNotFound);
}

TEST_P(PlanStoreContractTest, APersonsRemindersAreClaimedTogether) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  for (const char* id : {"act_c", "act_a", "act_b"}) {
    ASSERT_TRUE(plans_->AddAction(kP1, "pln_1", Action(id, "2026-03-01", "SYS.2")).ok());
  }
  const char* kQuietSince = "2026-03-25T07:00:00Z";
  const char* kAt1 = "2026-04-01T07:00:00Z";
  // One reminded in the quiet days already: the others are claimed, in id order.
  ASSERT_TRUE(plans_->ClaimReminders(kP1, {"act_b"}, kQuietSince, "2026-03-30T07:00:00Z").ok());
  Result<std::vector<std::string>> claimed =
      plans_->ClaimReminders(kP1, {"act_c", "act_b", "act_a", "act_c"}, kQuietSince, kAt1);
  ASSERT_TRUE(claimed.ok()) << claimed.status().ToString();
  EXPECT_EQ(*claimed, (std::vector<std::string>{"act_a", "act_c"}));
  // A second run finds all taken.
  claimed =
      plans_->ClaimReminders(kP1, {"act_a", "act_b", "act_c"}, kQuietSince, "2026-04-01T07:00:01Z");
  ASSERT_TRUE(claimed.ok());
  EXPECT_TRUE(claimed->empty());
  // An unknown id among them: not found, and nothing is claimed (one transaction).
  ASSERT_TRUE(plans_->ReleaseReminder(kP1, "act_a", kAt1, "").ok());
  EXPECT_EQ(plans_->ClaimReminders(kP1, {"act_a", "act_zzz"}, kQuietSince, kAt).status().code(),
            StatusCode::kNotFound);
  std::map<std::string, std::string> reminded;
  Result<std::vector<OverdueAction>> overdue = plans_->ListOverdue(kP1, "2026-04-02");
  ASSERT_TRUE(overdue.ok());
  for (const OverdueAction& o : *overdue) {
    reminded[o.action.id] = o.action.last_reminded_at;
  }
  EXPECT_EQ(reminded["act_a"], "");
  EXPECT_EQ(reminded["act_b"], "2026-03-30T07:00:00Z");
  EXPECT_EQ(reminded["act_c"], kAt1);
}

TEST_P(PlanStoreContractTest, APlanSurvivesReopeningTheStore) {
  ASSERT_TRUE(plans_->CreatePlan(NewPlan("pln_1")).ok());
  plans_.reset();
  campaigns_.reset();
  directory_.reset();
  store_.reset();
  auto store = instance_->Open();
  ASSERT_TRUE(store.ok());
  auto plans = storage::OpenPlanStore(**store);
  ASSERT_TRUE(plans.ok());
  auto plan = (*plans)->GetPlan(kP1, "pln_1");
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->priorities.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, PlanStoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace trellis::testing
