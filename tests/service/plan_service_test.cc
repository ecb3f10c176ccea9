// PlanService: who sees a plan (owner, shared readers; not colleagues, admins or another
// partnership), what the owner may change and a reader may not, validation messages, catalogue
// suggestions, overdue actions, reminders through a fake Mailer at most once per quiet period,
// audit entries, and the priorities exposed for the next report. A real SQLite database; the
// campaign is stored through the CampaignStore.
#include "service/plan_service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "service/demo_plan_seed.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/plan_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/framework_samples.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

constexpr const char* kP1 = "prt_one";
constexpr const char* kP2 = "prt_two";
constexpr const char* kAt = "2026-01-01T00:00:00Z";

class RecordingMailer : public Mailer {
 public:
  struct Sent {
    std::string to, subject, body;
  };
  Status Send(const std::string& to, const std::string& subject, const std::string& body) override {
    if (to == fail_to) return Status::Unavailable("cannot reach the mail server test:25");
    sent.push_back({to, subject, body});
    return Status::Ok();
  }
  std::vector<Sent> sent;
  std::string fail_to;
};

TimePoint Day(int y, unsigned m, unsigned d) {
  return std::chrono::sys_days(std::chrono::year(y) / m / d) + std::chrono::hours(9);
}

class PlanServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    directory_ = std::move(*storage::OpenDirectoryStore(*store_));
    campaigns_ = std::move(*storage::OpenCampaignStore(*store_));
    plans_ = std::move(*storage::OpenPlanStore(*store_));
    now_ = Day(2026, 4, 1);
    PlanService::Options options;
    options.base_url = "https://trellis.test";
    options.clock = [this] { return now_; };
    options.reminder_quiet_days = 7;
    service_ = std::make_unique<PlanService>(*store_, *campaigns_, *directory_, *plans_, &mailer_,
                                             options);
    Seed();
  }

  storage::AuditEntry Audit(const std::string& p) {
    return {"", p, 0, kAt, "cli", "seed", "partnership", p, "test"};
  }

  void Seed() {
    for (const char* p : {kP1, kP2}) {
      ASSERT_TRUE(directory_->CreatePartnership({p, std::string("P ") + p, kAt}, Audit(p)).ok());
    }
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_a", kP1, "Acute", model::Sector::kAcute}, Audit(kP1))
            .ok());
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_x", kP2, "Other", model::Sector::kOther}, Audit(kP2))
            .ok());
    for (auto [p, org, id, name] : {std::tuple{kP1, "org_a", "ada", "Ada Lovelace"},
                                    std::tuple{kP1, "org_a", "bob", "Bob Boss"},
                                    std::tuple{kP1, "org_a", "cyd", "Cyd Colleague"},
                                    std::tuple{kP2, "org_x", "eve", "Eve Other"}}) {
      model::Person person;
      person.id = id;
      person.partnership_id = p;
      person.organisation_id = org;
      person.name = name;
      person.email = std::string(id) + "@example.org";
      storage::PeopleChanges changes;
      changes.added.push_back(person);
      ASSERT_TRUE(directory_->SavePeople(p, changes, {Audit(p)}).ok());
    }
    ada_ = Account(kP1, "acc_ada", "ada", model::Role::kMember, "Ada Lovelace");
    bob_ = Account(kP1, "acc_bob", "bob", model::Role::kMember, "Bob Boss");
    cyd_ = Account(kP1, "acc_cyd", "cyd", model::Role::kMember, "Cyd Colleague");
    admin_ = Account(kP1, "acc_admin", "", model::Role::kAdmin, "Ann Admin");
    eve_ = Account(kP2, "acc_eve", "eve", model::Role::kAdmin, "Eve Other");
    ASSERT_TRUE(store_->SaveFrameworkVersion(testing::SampleFramework()).ok());
    for (auto [p, id, subject] :
         {std::tuple{kP1, "cmp_one", "ada"}, std::tuple{kP2, "cmp_two", "eve"}}) {
      model::Campaign c;
      c.id = id;
      c.partnership_id = p;
      c.name = "Spring 360";
      c.framework_code = "integrated-care";
      c.framework_version = 1;
      c.opens_on = "2026-03-01";
      c.closes_on = "2026-03-31";
      c.created_at = kAt;
      ASSERT_TRUE(campaigns_->CreateCampaign(c).ok());
      ASSERT_TRUE(campaigns_->AddSubjects(p, id, {subject}).ok());
      ASSERT_TRUE(campaigns_
                      ->UpdateCampaignState(p, id, model::CampaignState::kDraft,
                                            model::CampaignState::kOpen, kAt)
                      .ok());
    }
  }

  Principal Account(const std::string& p, const std::string& id, const std::string& person,
                    model::Role role, const std::string& name) {
    model::Account a{id, p, id + "@login.example", name, role, person};
    Status s = directory_->CreateAccount(a, "$argon2id$fake", Audit(p));
    EXPECT_TRUE(s.ok()) << s.ToString();
    return {id, p, role, a.email, name, person, "csrf"};
  }

  // Ada's plan on SYS.2 and DATA.1.
  std::string AdaPlan() {
    Result<storage::DevelopmentPlan> plan = service_->Create(ada_, "cmp_one", {"SYS.2", "DATA.1"});
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    return plan.ok() ? plan->id : "";
  }

  std::vector<storage::AuditEntry> AuditOf(const std::string& p) {
    return *directory_->ListAudit(p, 0, 100);
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<storage::CampaignStore> campaigns_;
  std::unique_ptr<storage::PlanStore> plans_;
  RecordingMailer mailer_;
  TimePoint now_;
  std::unique_ptr<PlanService> service_;
  Principal ada_, bob_, cyd_, admin_, eve_;
};

TEST_F(PlanServiceTest, TheOwnerStartsAPlanFromTheirCampaign) {
  Result<std::vector<model::Campaign>> campaigns = service_->CampaignsFor(ada_);
  ASSERT_TRUE(campaigns.ok());
  ASSERT_EQ(campaigns->size(), 1u);
  Result<PlanCampaignChoice> choice = service_->Choices(ada_, "cmp_one");
  ASSERT_TRUE(choice.ok());
  ASSERT_EQ(choice->competencies.size(), 3u);
  EXPECT_EQ(choice->competencies[1].code, "SYS.2");
  EXPECT_EQ(choice->competencies[1].title, "Accountability");
  EXPECT_EQ(choice->competencies[1].domain_title, "Systems leadership");

  const std::string id = AdaPlan();
  Result<PlanView> view = service_->Get(ada_, id);
  ASSERT_TRUE(view.ok()) << view.status().ToString();
  EXPECT_EQ(view->access, PlanAccess::kOwner);
  EXPECT_EQ(view->owner_name, "Ada Lovelace");
  EXPECT_EQ(view->campaign_name, "Spring 360");
  ASSERT_EQ(view->priorities.size(), 2u);
  EXPECT_EQ(view->priorities[0].title, "Accountability");
  EXPECT_EQ(view->priorities[1].competency_code, "DATA.1");
  EXPECT_EQ(AuditOf(kP1)[0].action, "plan.created");
  EXPECT_EQ(AuditOf(kP1)[0].entity_id, id);
  EXPECT_EQ(AuditOf(kP1)[0].actor, "acc_ada");
  Result<std::vector<std::string>> priorities = service_->PriorityCompetencies(kP1, "ada");
  EXPECT_EQ(*priorities, (std::vector<std::string>{"SYS.2", "DATA.1"}));
  EXPECT_TRUE(service_->PriorityCompetencies(kP1, "bob")->empty());
}

TEST_F(PlanServiceTest, CreatingRefusesWhatIsNotTheirs) {
  // Bob was not assessed in the campaign; the admin is linked to no person.
  EXPECT_EQ(service_->Create(bob_, "cmp_one", {"SYS.2"}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(service_->Create(admin_, "cmp_one", {"SYS.2"}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(service_->Create(ada_, "cmp_two", {"SYS.2"}).status().code(), StatusCode::kNotFound);
  Result<storage::DevelopmentPlan> none = service_->Create(ada_, "cmp_one", {});
  EXPECT_EQ(none.status().message(), "field 'priorities': choose at least one competency");
  Result<storage::DevelopmentPlan> unknown = service_->Create(ada_, "cmp_one", {"NOPE.1"});
  EXPECT_EQ(unknown.status().message(),
            "field 'priorities': 'NOPE.1' is not a competency of integrated-care version 1");
  EXPECT_EQ(service_->Create(ada_, "cmp_one", {"SYS.1", "SYS.1"}).status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PlanServiceTest, NobodyButTheOwnerAndSharedReadersSeesAPlan) {
  const std::string id = AdaPlan();
  for (const Principal* who : {&bob_, &cyd_, &admin_, &eve_}) {
    SCOPED_TRACE(who->account_id);
    EXPECT_EQ(service_->Get(*who, id).status().code(), StatusCode::kNotFound);
    EXPECT_EQ(service_->Comment(*who, id, "hi").code(), StatusCode::kNotFound);
    EXPECT_EQ(service_->AddAction(*who, id, {"SYS.2", "x", "", "2026-05-01", ""}).status().code(),
              StatusCode::kNotFound);
    EXPECT_TRUE(service_->List(*who)->shared_with_me.empty());
  }
  ASSERT_TRUE(service_->Share(ada_, id, "ACC_BOB@login.example", "line_manager").ok());
  Result<PlanView> bob_view = service_->Get(bob_, id);
  ASSERT_TRUE(bob_view.ok()) << bob_view.status().ToString();
  EXPECT_EQ(bob_view->access, PlanAccess::kLineManager);
  ASSERT_EQ(service_->List(bob_)->shared_with_me.size(), 1u);
  EXPECT_EQ(service_->List(bob_)->shared_with_me[0].owner_name, "Ada Lovelace");
  // A reader comments but does not edit.
  ASSERT_TRUE(service_->Comment(bob_, id, "  Good choice of priorities.  ").ok());
  EXPECT_EQ(service_->SetGoal(bob_, id, "SYS.2", "mine now").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(service_->Share(bob_, id, "acc_cyd@login.example", "coach").code(),
            StatusCode::kPermissionDenied);
  // Still hidden from the colleague it was not shared with.
  EXPECT_EQ(service_->Get(cyd_, id).status().code(), StatusCode::kNotFound);
  Result<PlanView> view = service_->Get(ada_, id);
  ASSERT_EQ(view->comments.size(), 1u);
  EXPECT_EQ(view->comments[0].author_name, "Bob Boss");
  EXPECT_EQ(view->comments[0].body, "Good choice of priorities.");
  EXPECT_FALSE(view->comments[0].by_owner);
  ASSERT_EQ(view->shares.size(), 1u);
  EXPECT_EQ(view->shares[0].name, "Bob Boss");
  EXPECT_EQ(AuditOf(kP1)[0].action, "plan.shared");
  EXPECT_EQ(AuditOf(kP1)[0].detail, "with account acc_bob as line_manager");

  ASSERT_TRUE(service_->Revoke(ada_, id, "acc_bob").ok());
  EXPECT_EQ(service_->Get(bob_, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(AuditOf(kP1)[0].action, "plan.unshared");
}

TEST_F(PlanServiceTest, SharingNamesTheProblem) {
  const std::string id = AdaPlan();
  EXPECT_EQ(service_->Share(ada_, id, "acc_eve@login.example", "coach").message(),
            "field 'email': no account of your partnership signs in as 'acc_eve@login.example'");
  EXPECT_EQ(service_->Share(ada_, id, "acc_ada@login.example", "coach").message(),
            "field 'email': that is your own account");
  EXPECT_EQ(service_->Share(ada_, id, "acc_bob@login.example", "friend").code(),
            StatusCode::kInvalidArgument);
}

TEST_F(PlanServiceTest, TheOwnerEditsGoalsActionsAndEvidence) {
  const std::string id = AdaPlan();
  ASSERT_TRUE(service_->SetGoal(ada_, id, "SYS.2", " Every commitment has one named owner ").ok());
  Result<storage::PlanAction> action = service_->AddAction(
      ada_, id, {"SYS.2", "Map owners of our ten commitments", "", "2026-04-30", ""});
  ASSERT_TRUE(action.ok()) << action.status().ToString();
  EXPECT_EQ(action->owner, "Ada Lovelace");  // the plan owner unless named
  EXPECT_EQ(action->status, storage::ActionStatus::kNotStarted);
  EXPECT_EQ(service_->AddAction(ada_, id, {"SYS.2", "x", "", "30/04/2026", ""}).status().message(),
            "field 'due_on': the due date must be a date (YYYY-MM-DD)");
  EXPECT_EQ(service_->AddAction(ada_, id, {"SYS.2", "  ", "", "2026-04-30", ""}).status().message(),
            "field 'description': The action cannot be empty");
  EXPECT_EQ(service_->AddAction(ada_, id, {"SYS.1", "x", "", "2026-04-30", ""}).status().code(),
            StatusCode::kNotFound);  // not a priority of the plan
  ASSERT_TRUE(service_->SetActionStatus(ada_, id, action->id, "in_progress").ok());
  EXPECT_EQ(service_->SetActionStatus(ada_, id, action->id, "finished").code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(
      service_->AddEvidence(ada_, id, "SYS.2", "Owners named in the March board paper").ok());
  Result<PlanView> view = service_->Get(ada_, id);
  ASSERT_TRUE(view.ok());
  EXPECT_EQ(view->priorities[0].goal, "Every commitment has one named owner");
  ASSERT_EQ(view->priorities[0].actions.size(), 1u);
  EXPECT_EQ(view->priorities[0].actions[0].status, storage::ActionStatus::kInProgress);
  ASSERT_EQ(view->priorities[0].evidence.size(), 1u);
  EXPECT_TRUE(view->priorities[1].actions.empty());
}

TEST_F(PlanServiceTest, ResourcesAreSuggestedByCompetencyTagAndManagedByAdmins) {
  ResourceInput input{"Accountability in partnerships", "https://example.org/acc", "",
                      "SYS.2, SYS.1"};
  EXPECT_EQ(service_->AddResource(ada_, input).status().code(), StatusCode::kPermissionDenied);
  Result<storage::LearningResource> r = service_->AddResource(admin_, input);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->competency_codes, (std::vector<std::string>{"SYS.1", "SYS.2"}));
  ASSERT_TRUE(service_->AddResource(admin_, {"Data course", "", "Two days on SPC", "DATA.1"}).ok());
  EXPECT_EQ(
      service_->AddResource(admin_, {"Bad", "javascript:alert(1)", "", ""}).status().message(),
      "field 'url': a link starts with https:// or http://");
  EXPECT_EQ(service_->AddResource(admin_, {"Empty", "", "", ""}).status().message(),
            "field 'url': give a link or a description");
  EXPECT_EQ(AuditOf(kP1)[0].action, "resource.added");

  const std::string id = AdaPlan();
  Result<PlanView> view = service_->Get(ada_, id);
  ASSERT_EQ(view->priorities[0].resources.size(), 1u);
  EXPECT_EQ(view->priorities[0].resources[0].title, "Accountability in partnerships");
  ASSERT_EQ(view->priorities[1].resources.size(), 1u);
  EXPECT_EQ(view->priorities[1].resources[0].title, "Data course");

  ASSERT_TRUE(
      service_
          ->UpdateResource(admin_, r->id, {"Accountability", "https://example.org/a", "", "DATA.1"})
          .ok());
  view = service_->Get(ada_, id);
  EXPECT_TRUE(view->priorities[0].resources.empty());
  EXPECT_EQ(view->priorities[1].resources.size(), 2u);
  ASSERT_TRUE(service_->DeleteResource(admin_, r->id).ok());
  EXPECT_EQ(AuditOf(kP1)[0].action, "resource.removed");
  EXPECT_EQ(service_->Resources(admin_)->size(), 1u);
  EXPECT_EQ(service_->DeleteResource(eve_, r->id).code(), StatusCode::kNotFound);
}

TEST_F(PlanServiceTest, OverdueActionsAreListedToTheirOwnerAndAdminsWithoutPlanContent) {
  const std::string id = AdaPlan();
  ASSERT_TRUE(service_->SetGoal(ada_, id, "SYS.2", "A private goal").ok());
  ASSERT_TRUE(service_->AddAction(ada_, id, {"SYS.2", "Late action", "", "2026-03-15", ""}).ok());
  ASSERT_TRUE(service_->AddAction(ada_, id, {"SYS.2", "Due today", "", "2026-04-01", ""}).ok());
  ASSERT_TRUE(
      service_->AddAction(ada_, id, {"DATA.1", "Done late", "", "2026-03-01", "done"}).ok());
  Result<MyPlans> mine = service_->List(ada_);
  ASSERT_EQ(mine->overdue.size(), 1u);
  EXPECT_EQ(mine->overdue[0].description, "Late action");
  EXPECT_TRUE(service_->List(bob_)->overdue.empty());
  EXPECT_EQ(service_->Overdue(ada_).status().code(), StatusCode::kPermissionDenied);
  Result<std::vector<OverdueItem>> overdue = service_->Overdue(admin_);
  ASSERT_TRUE(overdue.ok());
  ASSERT_EQ(overdue->size(), 1u);
  EXPECT_EQ((*overdue)[0].person_name, "Ada Lovelace");
  EXPECT_EQ((*overdue)[0].due_on, "2026-03-15");
  EXPECT_TRUE(service_->Overdue(eve_)->empty());
  Result<PlanView> view = service_->Get(ada_, id);
  EXPECT_TRUE(IsOverdue(view->priorities[0].actions[0], view->today));
  EXPECT_FALSE(IsOverdue(view->priorities[0].actions[1], view->today));
}

TEST_F(PlanServiceTest, RemindersGoOncePerQuietPeriodThroughTheMailer) {
  const std::string id = AdaPlan();
  ASSERT_TRUE(service_->AddAction(ada_, id, {"SYS.2", "Map owners", "", "2026-03-15", ""}).ok());
  ASSERT_TRUE(
      service_->AddAction(ada_, id, {"DATA.1", "Read SPC guide", "", "2026-03-20", ""}).ok());
  Result<ReminderRun> run = service_->RemindOverdue(admin_);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->emails, 1);
  EXPECT_EQ(run->actions, 2);
  ASSERT_EQ(mailer_.sent.size(), 1u);
  EXPECT_EQ(mailer_.sent[0].to, "ada@example.org");
  EXPECT_EQ(mailer_.sent[0].subject, "Development plan: 2 overdue actions");
  EXPECT_NE(mailer_.sent[0].body.find(
                "- Map owners (due 2026-03-15)\n  https://trellis.test/plans/" + id),
            std::string::npos);
  EXPECT_EQ(AuditOf(kP1)[0].action, "plan.reminders_sent");

  // Not again within seven days; again after.
  now_ += std::chrono::days(6);
  EXPECT_EQ(service_->SendAllReminders()->emails, 0);
  now_ += std::chrono::days(2);
  EXPECT_EQ(service_->SendAllReminders()->emails, 1);
  EXPECT_EQ(mailer_.sent.size(), 2u);

  // A failed message leaves the actions unreminded for the next run.
  now_ += std::chrono::days(8);
  mailer_.fail_to = "ada@example.org";
  run = service_->SendReminders(kP1);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->emails, 0);
  ASSERT_EQ(run->failed.size(), 1u);
  EXPECT_EQ(run->failed[0].first, "ada");
  mailer_.fail_to.clear();
  EXPECT_EQ(service_->SendReminders(kP1)->actions, 2);

  PlanService no_mail(*store_, *campaigns_, *directory_, *plans_, nullptr, {});
  EXPECT_EQ(no_mail.SendReminders(kP1).status().code(), StatusCode::kFailedPrecondition);
}

// A mailer that, on its first message, lets another reminder run happen — as a second server
// on the same database would, between this run's listing of overdue actions and its claims.
class InterleavingMailer : public RecordingMailer {
 public:
  Status Send(const std::string& to, const std::string& subject, const std::string& body) override {
    Status sent = RecordingMailer::Send(to, subject, body);
    if (std::function<void()> run = std::exchange(during_first_send, nullptr)) run();
    return sent;
  }
  std::function<void()> during_first_send;
};

TEST_F(PlanServiceTest, TwoRunsAtOnceRemindEachActionOnce) {
  const std::string ada_plan = AdaPlan();
  ASSERT_TRUE(
      service_->AddAction(ada_, ada_plan, {"SYS.2", "Map owners", "", "2026-03-15", ""}).ok());
  // Bob's plan straight into the store (he is no subject of a campaign here).
  storage::DevelopmentPlan bob_plan;
  bob_plan.id = "pln_bob";
  bob_plan.partnership_id = kP1;
  bob_plan.person_id = "bob";
  bob_plan.campaign_id = "cmp_one";
  bob_plan.framework_code = "integrated-care";
  bob_plan.framework_version = 1;
  bob_plan.created_at = bob_plan.updated_at = kAt;
  bob_plan.priorities.push_back({});
  bob_plan.priorities[0].competency_code = "SYS.2";
  ASSERT_TRUE(plans_->CreatePlan(bob_plan).ok());
  storage::PlanAction bob_action;
  bob_action.id = "act_bob";
  bob_action.competency_code = "SYS.2";
  bob_action.description = "Shadow a partner";
  bob_action.due_on = "2026-03-20";
  bob_action.created_at = bob_action.updated_at = kAt;
  ASSERT_TRUE(plans_->AddAction(kP1, "pln_bob", bob_action).ok());
  InterleavingMailer mailer;
  PlanService::Options options;
  options.base_url = "https://trellis.test";
  options.clock = [this] { return now_; };
  PlanService first(*store_, *campaigns_, *directory_, *plans_, &mailer, options);
  PlanService second(*store_, *campaigns_, *directory_, *plans_, &mailer, options);
  Result<ReminderRun> inner = Status::Internal("the second run did not happen");
  mailer.during_first_send = [&] { inner = second.SendReminders(kP1); };
  Result<ReminderRun> outer = first.SendReminders(kP1);
  ASSERT_TRUE(outer.ok()) << outer.status().ToString();
  ASSERT_TRUE(inner.ok()) << inner.status().ToString();
  // The first run listed both people and reminded Ada; the second, running during that email,
  // reminded Bob; the first then lost its claim on Bob's action and sent him nothing.
  EXPECT_EQ(outer->emails, 1);
  EXPECT_EQ(inner->emails, 1);
  ASSERT_EQ(mailer.sent.size(), 2u);
  EXPECT_EQ(mailer.sent[0].to, "ada@example.org");
  EXPECT_EQ(mailer.sent[1].to, "bob@example.org");
}

TEST_F(PlanServiceTest, AFailedSendGivesBackEveryClaimOfThatPerson) {
  const std::string id = AdaPlan();
  ASSERT_TRUE(service_->AddAction(ada_, id, {"SYS.2", "Map owners", "", "2026-03-15", ""}).ok());
  ASSERT_TRUE(
      service_->AddAction(ada_, id, {"DATA.1", "Read SPC guide", "", "2026-03-20", ""}).ok());
  // Each action's last_reminded_at, in due-date order.
  auto reminded = [this] {
    std::vector<std::string> out;
    Result<std::vector<storage::OverdueAction>> overdue = plans_->ListOverdue(kP1, "2026-06-01");
    for (const storage::OverdueAction& o : *overdue) {
      out.push_back(o.action.last_reminded_at);
    }
    return out;
  };
  ASSERT_EQ(service_->SendReminders(kP1)->emails, 1);
  const std::vector<std::string> first = reminded();
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0], "2026-04-01T09:00:00Z");
  EXPECT_EQ(first[1], first[0]);

  // Due again; the mail server refuses Ada's message: both claims return to their earlier value.
  now_ += std::chrono::days(8);
  mailer_.fail_to = "ada@example.org";
  Result<ReminderRun> run = service_->SendReminders(kP1);
  ASSERT_TRUE(run.ok()) << run.status().ToString();
  EXPECT_EQ(run->emails, 0);
  EXPECT_EQ(run->actions, 0);
  ASSERT_EQ(run->failed.size(), 1u);
  EXPECT_EQ(run->failed[0].second.message(), "cannot reach the mail server test:25");
  EXPECT_EQ(reminded(), first);

  // The next run, an hour later, reminds both in one email.
  now_ += std::chrono::hours(1);
  mailer_.fail_to.clear();
  run = service_->SendReminders(kP1);
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->emails, 1);
  EXPECT_EQ(run->actions, 2);
  ASSERT_EQ(mailer_.sent.size(), 2u);
  EXPECT_EQ(mailer_.sent[1].subject, "Development plan: 2 overdue actions");
  EXPECT_EQ(reminded(), (std::vector<std::string>{"2026-04-09T10:00:00Z", "2026-04-09T10:00:00Z"}));
}

TEST_F(PlanServiceTest, TheDemoPlanHasACatalogueAndAnOverdueAction) {
  ASSERT_TRUE(SeedDemoPlan(*service_, admin_, ada_, "cmp_one", now_).ok());
  EXPECT_EQ(service_->Resources(admin_)->size(), 4u);
  Result<MyPlans> mine = service_->List(ada_);
  ASSERT_EQ(mine->mine.size(), 1u);
  // The sample framework has neither ACC3 nor DAT2: its first two competencies.
  EXPECT_EQ(mine->mine[0].summary.priority_codes, (std::vector<std::string>{"SYS.1", "SYS.2"}));
  ASSERT_EQ(mine->overdue.size(), 1u);
  EXPECT_EQ(mine->overdue[0].due_on, "2026-03-22");  // ten days before now
  Result<PlanView> view = service_->Get(ada_, mine->mine[0].summary.id);
  EXPECT_FALSE(view->priorities[0].goal.empty());
  EXPECT_EQ(view->priorities[0].evidence.size(), 1u);
  EXPECT_EQ(service_->Overdue(admin_)->size(), 1u);
}

}  // namespace
}  // namespace trellis::service
