// tests/service/subject_access_test.cc — SubjectAccessService over real SQLite
// (campaign_fixture.h): who may export whom, that the report in an export is ReportService's
// own (same comments, same withheld count), that a rater gets the campaign and status of their
// nomination only, that the audit list holds the person's entries and not a colleague's, that
// what a former admin did to others' records is listed by action and time only, and that the
// export's own audit entry is written before it is returned.
#include "service/subject_access.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "service/campaign_fixture.h"
#include "storage/plan_store.h"
#include "storage/report_share_store.h"

namespace trellis::service {
namespace {

class SubjectAccessServiceTest : public CampaignFixture {
 protected:
  void SetUp() override {
    CampaignFixture::SetUp();
    shares_ = std::move(*storage::OpenReportShareStore(*store_));
    plan_store_ = std::move(*storage::OpenPlanStore(*store_));
    reports_ = std::make_unique<ReportService>(*store_, *campaigns_, *directory_, *shares_,
                                               ReportService::Options{});
    plans_ = std::make_unique<PlanService>(*store_, *campaigns_, *directory_, *plan_store_, nullptr,
                                           PlanService::Options{});
    SubjectAccessService::Options options;
    options.clock = [] { return Day(2026, 5, 1); };
    exports_ = std::make_unique<SubjectAccessService>(*directory_, *campaigns_, *shares_, *service_,
                                                      *reports_, *plans_, options);
    admin_ = Account("acc_admin", model::Role::kAdmin, "");
    ada_ = Account("acc_ada", model::Role::kMember, "ada");
    cyd_ = Account("acc_cyd", model::Role::kMember, "cyd");

    // Ada rated by manager bob and peers cyd, pat, quinn; quinn leaves DATA unanswered, so
    // only two peers answered DATA and their DATA comments are withheld.
    CampaignSpec spec = Spec();
    spec.subject_ids = {"ada"};  // bob, a subject too, would get two links to one address
    campaign_ = OpenCampaign(spec);
    auto tokens = Invite(campaign_);
    auto submit = [&](const std::string& email, std::vector<model::Answer> answers,
                      std::vector<std::pair<std::string, std::string>> comments) {
      auto r = questionnaires_->Submit(tokens[email], answers, comments, "k", Day(2026, 3, 2));
      ASSERT_TRUE(r.ok()) << email << ": " << r.status().ToString();
    };
    const std::vector<model::Answer> all = {{"SYS.1.a", 3},  {"SYS.1.b", 3},  {"SYS.2.a", 3},
                                            {"DATA.1.a", 4}, {"DATA.1.b", 4}, {"DATA.1.c", 4}};
    submit("bob@example.org", all, {{"SYS", "Manager note"}});
    submit("cyd@example.org", all, {{"SYS", "Cyd's note"}, {"DATA", "Cyd's data note"}});
    submit("pat@partner.org", all, {{"DATA", "Pat's data note"}});
    submit("quinn@partner.org", {{"SYS.1.a", 2}}, {});
    now_ = Day(2026, 4, 1);
    ASSERT_TRUE(service_->Close(kP1, campaign_, kActor).ok());
    ASSERT_TRUE(service_->Release(kP1, campaign_, kActor).ok());
  }

  Principal Account(const std::string& id, model::Role role, const std::string& person) {
    model::Account a{id, kP1, id + "@login.example", id + " name", role, person};
    EXPECT_TRUE(directory_->CreateAccount(a, "hash", Audit(kP1)).ok());
    return Principal{id, kP1, role, a.email, a.display_name, person, ""};
  }

  std::unique_ptr<storage::ReportShareStore> shares_;
  std::unique_ptr<storage::PlanStore> plan_store_;
  std::unique_ptr<ReportService> reports_;
  std::unique_ptr<PlanService> plans_;
  std::unique_ptr<SubjectAccessService> exports_;
  Principal admin_, ada_, cyd_;
  std::string campaign_;
};

TEST_F(SubjectAccessServiceTest, WhoMayExportWhom) {
  EXPECT_EQ(exports_->ExportPerson(cyd_, "ada").status().code(), StatusCode::kPermissionDenied);
  Result<SubjectAccessExport> own = exports_->ExportPerson(ada_, "ada");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_FALSE(own->by_admin);
  Result<SubjectAccessExport> by_admin = exports_->ExportPerson(admin_, "ada");
  ASSERT_TRUE(by_admin.ok());
  EXPECT_TRUE(by_admin->by_admin);
  EXPECT_EQ(by_admin->generated_at, "2026-05-01T09:00:00Z");
  EXPECT_EQ(exports_->ExportPerson(admin_, "eve").status().code(), StatusCode::kNotFound);
  // The admin's own account, linked to no person: the account alone.
  Result<SubjectAccessExport> account_only = exports_->ExportOwn(admin_);
  ASSERT_TRUE(account_only.ok());
  EXPECT_FALSE(account_only->person.has_value());
  ASSERT_EQ(account_only->accounts.size(), 1u);
  EXPECT_EQ(account_only->accounts[0].account.id, "acc_admin");
}

TEST_F(SubjectAccessServiceTest, TheReportIsTheReportServicesOwnWithItsSuppression) {
  Result<SubjectAccessExport> out = exports_->ExportOwn(ada_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->campaigns.size(), 1u);
  const SubjectAccessCampaign& c = out->campaigns[0];
  EXPECT_TRUE(c.campaign.subject_ids.empty());  // not the other subjects
  ASSERT_TRUE(c.report.has_value());
  Result<SubjectReport> page = reports_->Report(ada_, campaign_, "ada");
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(c.report->figures, page->figures);  // the same cached figures, not a second sum
  ASSERT_EQ(c.report->comments.size(), page->comments.size());
  for (size_t i = 0; i < page->comments.size(); ++i)
    EXPECT_EQ(c.report->comments[i].text, page->comments[i].text);
  EXPECT_EQ(c.report->withheld_comments, 2u);  // Cyd's and Pat's DATA notes
  // Raters by group: self (not answered), manager 1, peers 3; all but Ada submitted.
  ASSERT_EQ(c.raters.by_group.size(), 3u);  // self, manager, peer
  EXPECT_EQ(c.raters.total.nominated, 5);
  EXPECT_EQ(c.raters.total.submitted, 4);
  EXPECT_EQ(c.raters.by_group[1].first, model::RaterGroup::kManager);
  EXPECT_EQ(c.raters.by_group[1].second.submitted, 1);
  EXPECT_EQ(c.raters.by_group[2].second.nominated, 3);
}

TEST_F(SubjectAccessServiceTest, ARaterGetsTheCampaignAndStatusOnly) {
  Result<SubjectAccessExport> out = exports_->ExportOwn(cyd_);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  EXPECT_TRUE(out->campaigns.empty());
  ASSERT_EQ(out->rated.size(), 1u);
  EXPECT_EQ(out->rated[0].campaign_id, campaign_);
  EXPECT_EQ(out->rated[0].campaign_name, "Spring 360");
  EXPECT_EQ(out->rated[0].status, model::NominationStatus::kApproved);
  EXPECT_TRUE(out->rated[0].submitted);
}

TEST_F(SubjectAccessServiceTest, AuditHoldsThePersonsEntriesAndRecordsTheExportFirst) {
  ASSERT_TRUE(reports_->Report(admin_, campaign_, "ada").ok());  // about ada, by the admin
  ASSERT_TRUE(reports_->Report(ada_, campaign_, "ada").ok());    // by ada
  Result<SubjectAccessExport> out = exports_->ExportOwn(cyd_);
  ASSERT_TRUE(out.ok());
  for (const SubjectAccessAuditEntry& e : out->audit)
    EXPECT_NE(e.entry.entity_id, campaign_ + "/ada")
        << "a colleague's report views are not Cyd's data";

  Result<SubjectAccessExport> ada = exports_->ExportOwn(ada_);
  ASSERT_TRUE(ada.ok());
  int views = 0;
  for (const SubjectAccessAuditEntry& e : ada->audit)
    if (e.full && e.entry.action == "report.viewed" && e.entry.entity_id == campaign_ + "/ada")
      ++views;
  EXPECT_EQ(views, 2);  // the admin's and her own, not the one this export made
  auto log = directory_->ListAudit(kP1, 0, 1);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)[0].action, "person.subject_access_exported");
  EXPECT_EQ((*log)[0].actor, "acc_ada");
  EXPECT_EQ((*log)[0].entity_id, "ada");
}

TEST_F(SubjectAccessServiceTest, WhatAFormerAdminDidToOthersIsActionAndTimeOnly) {
  // Dee, an admin, nominates raters for Bob and views Ada's report; then she is a member.
  Principal dee = Account("acc_dee", model::Role::kAdmin, "dee");
  CampaignSpec spec = Spec();
  spec.name = "Autumn 360";
  spec.subject_ids = {"bob"};
  Result<model::Campaign> autumn = service_->Create(spec, "acc_dee");
  ASSERT_TRUE(autumn.ok()) << autumn.status().ToString();
  ASSERT_TRUE(
      service_
          ->Nominate(kP1, autumn->id,
                     {{"bob", "cyd", "", "", model::RaterGroup::kPeer},
                      {"bob", "", "Xena Ext", "xena@partner.org", model::RaterGroup::kPeer}},
                     "acc_dee")
          .ok());
  ASSERT_TRUE(reports_->Report(dee, campaign_, "ada").ok());
  storage::AuditEntry demote = Audit(kP1);
  demote.action = "account.role_changed";
  demote.entity_type = "account";
  demote.entity_id = "acc_dee";
  demote.detail = "role=member";
  ASSERT_TRUE(directory_->SetAccountRole(kP1, "acc_dee", model::Role::kMember, demote).ok());
  dee.role = model::Role::kMember;

  Result<SubjectAccessExport> out = exports_->ExportOwn(dee);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  std::map<std::string, int> others, own;
  for (const SubjectAccessAuditEntry& e : out->audit) {
    const storage::AuditEntry& a = e.entry;
    for (const std::string& field : {a.entity_type, a.entity_id, a.detail}) {
      for (const char* secret : {"cyd", "bob", "ada", "Xena", "xena", "rater for subject"})
        EXPECT_EQ(field.find(secret), std::string::npos) << a.action << ": " << field;
    }
    if (e.full) {
      ++own[a.action];
      continue;
    }
    ++others[a.action];
    EXPECT_EQ(a.actor, "acc_dee");
    EXPECT_FALSE(a.at.empty());
    EXPECT_TRUE(a.entity_type.empty() && a.entity_id.empty() && a.detail.empty()) << a.action;
  }
  EXPECT_EQ(others, (std::map<std::string, int>{{"campaign.created", 1},
                                                {"campaign.subjects_added", 1},
                                                {"nomination.added", 2},
                                                {"report.viewed", 1}}));
  EXPECT_EQ(own["account.role_changed"], 1);  // her own account: in full
  EXPECT_EQ(own["seed"], 0);                  // the people seed is about the partnership
}

}  // namespace
}  // namespace trellis::service
