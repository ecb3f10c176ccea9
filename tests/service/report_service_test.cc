// Tests of service/report_service.h on a real SQLite database: figures equal Analyse's on the
// stored ratings (and the hand-computed values), the cache, who may see which report (admin,
// the subject, consent by sharing, 403 otherwise), the audit entries, withheld figures with
// their reasons, comments under shown groups only, the JSON Lines export, and the change since
// the subject's previous released campaign.
#include "service/report_service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "service/campaign_fixture.h"
#include "service/report_export.h"
#include "storage/report_share_store.h"

namespace trellis::service {
namespace {

using analytics::ReportGroup;
using analytics::SetLevel;

constexpr double kEps = 1e-9;

class ReportServiceTest : public CampaignFixture {
 protected:
  void SetUp() override {
    CampaignFixture::SetUp();
    auto shares = storage::OpenReportShareStore(*store_);
    ASSERT_TRUE(shares.ok()) << shares.status().ToString();
    shares_ = std::move(*shares);
    ReportService::Options options;
    options.clock = [this] { return now_; };
    reports_ =
        std::make_unique<ReportService>(*store_, *campaigns_, *directory_, *shares_, options);
    // Ada is a strategic generalist: the sample framework's profile sets SYS.1 4 (importance
    // 3), SYS.2 4 (2), DATA.1 3 (2).
    Result<storage::StoredPerson> ada = directory_->GetPerson(kP1, "ada");
    ASSERT_TRUE(ada.ok());
    storage::PeopleChanges changes;
    changes.updated.push_back(ada->person);
    changes.updated.back().level = model::Level::kStrategic;
    ASSERT_TRUE(directory_->SavePeople(kP1, changes, {Audit(kP1)}).ok());
    admin_ = Account("acc_admin", "admin@example.org", model::Role::kAdmin, "");
    ada_ = Account("acc_ada", "ada-account@example.org", model::Role::kMember, "ada");
    cyd_ = Account("acc_cyd", "cyd-account@example.org", model::Role::kMember, "cyd");
    coach_ = Account("acc_coach", "coach@example.org", model::Role::kBoard, "");
  }

  Principal Account(const std::string& id, const std::string& email, model::Role role,
                    const std::string& person) {
    model::Account a{id, kP1, email, id + " name", role, person};
    storage::AuditEntry audit = Audit(kP1);
    Status s = directory_->CreateAccount(a, "hash", audit);
    EXPECT_TRUE(s.ok()) << s.ToString();
    Principal p;
    p.account_id = id;
    p.partnership_id = kP1;
    p.role = role;
    p.email = email;
    p.display_name = a.display_name;
    p.person_id = person;
    return p;
  }

  // Autumn 360 for ada, opened on 2026-09-01 (the clock is moved there).
  std::string OpenAutumn() {
    now_ = Day(2026, 9, 1);
    CampaignSpec spec = Spec();
    spec.name = "Autumn 360";
    spec.opens_on = "2026-09-01";
    spec.closes_on = "2026-09-30";
    spec.subject_ids = {"ada"};
    return OpenCampaign(spec);
  }

  // Spring 360 for ada (raters: manager bob, peers cyd, pat, quinn) and dee (self only), with
  // the answers documented in the test comments; closed, not released.
  std::string RunSpring() {
    CampaignSpec spec = Spec();
    spec.subject_ids = {"ada", "dee"};
    const std::string id = OpenCampaign(spec);
    auto tokens = Invite(id);
    const auto submit = [&](const std::string& email, std::vector<model::Answer> answers,
                            std::vector<std::pair<std::string, std::string>> comments) {
      auto r = questionnaires_->Submit(tokens[email], answers, comments, "k", Day(2026, 3, 2));
      ASSERT_TRUE(r.ok()) << email << ": " << r.status().ToString();
    };
    submit("ada@example.org",
           {{"SYS.1.a", 4},
            {"SYS.1.b", 4},
            {"SYS.2.a", 5},
            {"DATA.1.a", 3},
            {"DATA.1.b", 3},
            {"DATA.1.c", 3},
            {"CAP1.1", 2}},
           {{"SYS", "My own note"}});
    submit("bob@example.org",
           {{"SYS.1.a", 3},
            {"SYS.1.b", 3},
            {"SYS.2.a", 2},
            {"DATA.1.a", 4},
            {"DATA.1.b", 4},
            {"DATA.1.c", 4},
            {"CAP1.1", 3}},
           {{"SYS", "Manager says hi"}});
    submit("cyd@example.org",
           {{"SYS.1.a", 2},
            {"SYS.1.b", 3},
            {"SYS.2.a", 2},
            {"DATA.1.a", 3},
            {"DATA.1.b", 3},
            {"DATA.1.c", 3},
            {"CAP1.1", 2}},
           {{"SYS", "Zeta"}});
    submit("pat@partner.org",
           {{"SYS.1.a", 3},
            {"SYS.1.b", 3},
            {"SYS.2.a", 3},
            {"DATA.1.a", 4},
            {"DATA.1.b", 4},
            {"DATA.1.c", 5},
            {"CAP1.1", 2}},
           {{"SYS", "Alpha"}});
    // Quinn leaves every DATA item "not observed": only 2 peers answered DATA.
    submit("quinn@partner.org", {{"SYS.1.a", 2}, {"SYS.1.b", 2}, {"SYS.2.a", 2}, {"CAP1.1", 2}},
           {{"DATA", "Data remark"}});
    submit("dee@example.org", {{"SYS.1.a", 5}}, {});
    now_ = Day(2026, 4, 1);
    EXPECT_TRUE(service_->Close(kP1, id, kActor).ok());
    return id;
  }

  void Release(const std::string& id) { ASSERT_TRUE(service_->Release(kP1, id, kActor).ok()); }

  std::vector<storage::AuditEntry> ReportAudit() {
    auto all = directory_->ListAudit(kP1, 0, 1000);
    EXPECT_TRUE(all.ok());
    std::vector<storage::AuditEntry> out;
    for (const auto& e : *all)
      if (e.entity_type == "report") out.push_back(e);
    return out;
  }

  size_t Set(const CampaignFigures& f, SetLevel level, const std::string& code) {
    auto k = f.SetIndex(level, code);
    EXPECT_TRUE(k.has_value()) << code;
    return k.value_or(0);
  }

  std::unique_ptr<storage::ReportShareStore> shares_;
  std::unique_ptr<ReportService> reports_;
  Principal admin_, ada_, cyd_, coach_;
};

TEST_F(ReportServiceTest, FiguresAreAnalyseOnTheStoredRatings) {
  const std::string id = RunSpring();
  auto figures = reports_->Figures(kP1, id);
  ASSERT_TRUE(figures.ok()) << figures.status().ToString();
  const CampaignFigures& f = **figures;
  ASSERT_EQ(f.subjects.size(), 2u);
  EXPECT_EQ(f.subjects[0].person_id, "ada");
  EXPECT_EQ(f.subjects[0].name, "Ada Lovelace");
  EXPECT_EQ(f.subjects[0].sector, model::Sector::kAcute);
  EXPECT_EQ(f.subjects[0].level, model::Level::kStrategic);

  // The same Analyse on the stored ratings, computed here independently of the cache.
  auto framework = store_->GetFramework("integrated-care", std::nullopt);
  ASSERT_TRUE(framework.ok());
  auto loaded = campaigns_->LoadRatings(kP1, id, framework->framework, nullptr);
  ASSERT_TRUE(loaded.ok());
  auto profile =
      framework->framework.EffectiveProfile(model::Level::kStrategic, model::Function::kGeneralist);
  ASSERT_TRUE(profile.has_value());
  analytics::AnalysisOptions options;
  options.min_group = 3;
  auto expected =
      analytics::Analyse(framework->framework, loaded->competencies, {&*profile, nullptr}, options);
  ASSERT_TRUE(expected.ok());
  ASSERT_EQ(expected->aggregates.size(), f.competencies.aggregates.size());
  for (size_t i = 0; i < expected->aggregates.size(); ++i) {
    const auto& x = expected->aggregates[i];
    const auto& y = f.competencies.aggregates[i];
    EXPECT_TRUE((std::isnan(x.others_mean) && std::isnan(y.others_mean)) ||
                x.others_mean == y.others_mean)
        << i;
    EXPECT_EQ(x.others_n, y.others_n) << i;
    EXPECT_EQ(x.group_n, y.group_n) << i;
    EXPECT_TRUE((std::isnan(x.profile_gap) && std::isnan(y.profile_gap)) ||
                x.profile_gap == y.profile_gap)
        << i;
  }

  // By hand: SYS.1 raters bob 3, cyd 2.5, pat 3, quinn 2 → 10.5 / 4; self 4.
  const auto& sys1 = f.competencies.At(0, Set(f, SetLevel::kCompetency, "SYS.1"));
  EXPECT_NEAR(sys1.others_mean, 2.625, kEps);
  EXPECT_EQ(sys1.others_n, 4u);
  EXPECT_NEAR(sys1.self, 4.0, kEps);
  EXPECT_NEAR(sys1.gap, -1.375, kEps);
  EXPECT_EQ(sys1.flag, analytics::Flag::kBlindSpot);
  EXPECT_NEAR(sys1.group_mean[static_cast<int>(ReportGroup::kPeer)], 2.5, kEps);
  EXPECT_NEAR(sys1.profile_gap, -1.375, kEps);
  EXPECT_NEAR(sys1.rwg, (2 * (1 - 7.0 / 48)) / (2 * (1 - 7.0 / 48) + 7.0 / 48), kEps);
  // Overall: (10/3 + 8/3 + 11/3 + 2) / 4 = 35/12.
  EXPECT_NEAR(f.competencies.At(0, 0).others_mean, 35.0 / 12, kEps);
  // DATA.1: only 2 anonymous raters → withheld.
  EXPECT_TRUE(
      std::isnan(f.competencies.At(0, Set(f, SetLevel::kCompetency, "DATA.1")).others_mean));
  // Context check: CAP others = (3 + 2 + 2 + 2) / 4.
  auto cap = f.SetIndex(SetLevel::kDomain, "CAP", true);
  ASSERT_TRUE(cap.has_value());
  EXPECT_NEAR(f.context.At(0, *cap).others_mean, 2.25, kEps);
}

TEST_F(ReportServiceTest, FiguresAreCachedUntilTheStateChanges) {
  const std::string id = RunSpring();
  auto a = reports_->Figures(kP1, id);
  auto b = reports_->Figures(kP1, id);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->get(), b->get());
  Release(id);
  auto c = reports_->Figures(kP1, id);
  ASSERT_TRUE(c.ok());
  EXPECT_NE(a->get(), c->get());
  EXPECT_EQ((*c)->campaign.state, model::CampaignState::kReleased);
  EXPECT_EQ((*c)->competencies.At(0, 0).others_mean, (*a)->competencies.At(0, 0).others_mean);
}

TEST_F(ReportServiceTest, OnlyClosedCampaignsHaveFigures) {
  const std::string id = OpenCampaign();
  auto f = reports_->Figures(kP1, id);
  EXPECT_EQ(f.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(reports_->Figures(kP2, id).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(reports_->Report(ada_, id, "ada").status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ReportServiceTest, WhoMaySeeAReport) {
  const std::string id = RunSpring();
  // Closed, not released: nobody.
  EXPECT_EQ(reports_->Report(ada_, id, "ada").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Report(admin_, id, "ada").status().code(), StatusCode::kPermissionDenied);
  Release(id);
  EXPECT_TRUE(reports_->Report(admin_, id, "ada").ok());
  EXPECT_TRUE(reports_->Report(admin_, id, "dee").ok());
  auto own = reports_->Report(ada_, id, "ada");
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(own->viewer_is_subject);
  // Another subject's report, and anyone without consent: 403.
  EXPECT_EQ(reports_->Report(ada_, id, "dee").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Report(cyd_, id, "ada").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Report(coach_, id, "ada").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Report(admin_, id, "eve").status().code(), StatusCode::kNotFound);
  // Without access, a person who was not a subject answers as one who was: who was assessed
  // is not given away.
  EXPECT_EQ(reports_->Report(ada_, id, "eve").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Report(ada_, id, "nobody").status().code(), StatusCode::kPermissionDenied);

  // Ada shares with the coach (by email, any case); only Ada may share her report.
  EXPECT_EQ(reports_->Share(cyd_, id, "coach@example.org").code(), StatusCode::kPermissionDenied);
  ASSERT_TRUE(reports_->Share(ada_, id, "COACH@example.org").ok());
  EXPECT_TRUE(reports_->Share(ada_, id, "coach@example.org").ok());  // again: no change
  EXPECT_EQ(reports_->Share(ada_, id, "nobody@example.org").code(), StatusCode::kNotFound);
  EXPECT_EQ(reports_->Share(ada_, id, "ada-account@example.org").code(),
            StatusCode::kInvalidArgument);
  auto seen = reports_->Report(coach_, id, "ada");
  ASSERT_TRUE(seen.ok()) << seen.status().ToString();
  EXPECT_FALSE(seen->viewer_is_subject);
  EXPECT_EQ(reports_->Report(coach_, id, "dee").status().code(), StatusCode::kPermissionDenied);
  auto shares = reports_->Shares(ada_, id);
  ASSERT_TRUE(shares.ok());
  ASSERT_EQ(shares->size(), 1u);
  EXPECT_EQ((*shares)[0].email, "coach@example.org");
  auto listed = reports_->MyReports(coach_);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_TRUE((*listed)[0].shared);
  EXPECT_EQ((*listed)[0].subject_name, "Ada Lovelace");

  ASSERT_TRUE(reports_->Revoke(ada_, id, "acc_coach").ok());
  EXPECT_EQ(reports_->Report(coach_, id, "ada").status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->Revoke(ada_, id, "acc_coach").code(), StatusCode::kNotFound);

  // Every view, share and revoke is in the audit log (newest first).
  std::vector<std::string> actions;
  for (const auto& e : ReportAudit()) actions.push_back(e.actor + " " + e.action + " " + e.detail);
  EXPECT_EQ(actions, (std::vector<std::string>{
                         "acc_ada report.share_revoked account=acc_coach",
                         "acc_coach report.viewed format=page",
                         "acc_ada report.shared account=acc_coach",
                         "acc_ada report.viewed format=page",
                         "acc_admin report.viewed format=page",
                         "acc_admin report.viewed format=page",
                     }));
}

TEST_F(ReportServiceTest, ViewsAreAuditedThroughTheBatcherBeforeTheyAreShown) {
  const std::string id = RunSpring();
  Release(id);
  AuditBatcher batcher(*directory_);
  ReportService::Options options;
  options.clock = [this] { return now_; };
  options.audit_batcher = &batcher;
  ReportService batched(*store_, *campaigns_, *directory_, *shares_, options);
  constexpr int kViewers = 16, kEach = 5;
  std::vector<std::thread> viewers;
  std::atomic<int> failed{0};
  for (int t = 0; t < kViewers; ++t) {
    viewers.emplace_back([&] {
      for (int i = 0; i < kEach; ++i)
        if (!batched.Report(admin_, id, "ada", "json").ok()) ++failed;
    });
  }
  for (std::thread& v : viewers) v.join();
  EXPECT_EQ(failed.load(), 0);
  // Each answered view is in the log, in fewer commits than views.
  const std::vector<storage::AuditEntry> logged = ReportAudit();
  ASSERT_EQ(logged.size(), static_cast<size_t>(kViewers * kEach));
  for (const storage::AuditEntry& e : logged) {
    EXPECT_EQ(e.actor + " " + e.action + " " + e.entity_id + " " + e.detail,
              "acc_admin report.viewed " + id + "/ada format=json");
  }
  EXPECT_GE(batcher.batches(), 1u);
  EXPECT_LT(batcher.batches(), static_cast<size_t>(kViewers * kEach));
  // No audit, no report: once the batcher refuses entries, the report is refused too.
  batcher.Shutdown();
  Result<SubjectReport> refused = batched.Report(admin_, id, "ada");
  EXPECT_EQ(refused.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(ReportAudit().size(), static_cast<size_t>(kViewers * kEach));
}

TEST_F(ReportServiceTest, WithheldFiguresSayWhy) {
  const std::string id = RunSpring();
  Release(id);
  auto r = reports_->Report(ada_, id, "ada");
  ASSERT_TRUE(r.ok());
  const CampaignFigures& f = *r->figures;
  const size_t data = Set(f, SetLevel::kCompetency, "DATA.1");
  EXPECT_EQ(WithheldReason(f, 0, data, ReportGroup::kPeer), "fewer than 3 peers answered");
  EXPECT_EQ(OthersWithheldReason(f, 0, data),
            "fewer than 3 raters other than the line manager answered");
  EXPECT_EQ(WithheldReason(f, 0, data, ReportGroup::kManager), "");
  const size_t sys1 = Set(f, SetLevel::kCompetency, "SYS.1");
  EXPECT_EQ(WithheldReason(f, 0, sys1, ReportGroup::kPeer), "");
  EXPECT_EQ(OthersWithheldReason(f, 0, sys1), "");
  // The export leaves the withheld cells empty and gives the reason.
  const std::string csv = ReportCsv(*r);
  // self 3, others withheld (n 3), manager 4 (n 1), then 12 group cells, gap, flag, rwg,
  // percentile and profile gap all empty, then the reasons.
  EXPECT_NE(csv.find("competency,DATA.1,Uses shared data,3,,3,4,1" + std::string(18, ',') +
                     "fewer than 3 raters other than the line manager answered; peer: fewer "
                     "than 3 peers answered; combined: fewer than 3 raters outside the groups "
                     "shown answered\r\n"),
            std::string::npos)
      << csv;
  auto xlsx = ReportXlsx(*r);
  ASSERT_TRUE(xlsx.ok()) << xlsx.status().ToString();
  EXPECT_EQ(xlsx->substr(0, 2), "PK");  // a zip container
}

TEST_F(ReportServiceTest, CommentsOnlyUnderShownGroupsInTextOrder) {
  const std::string id = RunSpring();
  Release(id);
  auto r = reports_->Report(ada_, id, "ada");
  ASSERT_TRUE(r.ok());
  std::vector<std::string> shown;
  for (const VisibleComment& c : r->comments) {
    shown.push_back(
        c.domain_code + "/" +
        (c.self ? std::string("self") : std::string(analytics::ReportGroupName(c.group))) + "/" +
        c.text);
  }
  EXPECT_EQ(shown, (std::vector<std::string>{"SYS/self/My own note", "SYS/manager/Manager says hi",
                                             "SYS/peer/Alpha", "SYS/peer/Zeta"}));
  EXPECT_EQ(r->withheld_comments, 1u);  // quinn's DATA comment: DATA's peers are withheld
}

TEST_F(ReportServiceTest, RoleProfileAndContextReading) {
  const std::string id = RunSpring();
  Release(id);
  auto r = reports_->Report(ada_, id, "ada");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->weighted_gaps.size(), 3u);  // SYS.1, SYS.2, DATA.1
  EXPECT_NEAR(r->weighted_gaps[0], 3 * -1.375, kEps);
  EXPECT_NEAR(r->weighted_gaps[1], 2 * -1.75, kEps);
  EXPECT_TRUE(std::isnan(r->weighted_gaps[2]));
  EXPECT_NEAR(r->weighted_profile_gap, (3 * -1.375 + 2 * -1.75) / 5, kEps);
  ASSERT_EQ(r->context_readings.size(), 3u);
  // SYS.1 2.625 against the expected 4 with capacity 2.25 (< 3): room to use it.
  EXPECT_EQ(r->context_readings[0].verdict, analytics::ContextVerdict::kRoom);
  EXPECT_TRUE(r->context_readings[0].capacity_low);
  EXPECT_EQ(r->context_readings[2].verdict, analytics::ContextVerdict::kUnknown);
}

TEST_F(ReportServiceTest, JsonLinesForAdminsAndTheSubjectsOwnLine) {
  const std::string id = RunSpring();
  EXPECT_EQ(reports_->ReportJsonl(admin_, id).status().code(), StatusCode::kPermissionDenied);
  Release(id);
  auto all = reports_->ReportJsonl(admin_, id);
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(std::count(all->begin(), all->end(), '\n'), 2);
  EXPECT_EQ(all->rfind("{\"subject\":\"ada\",\"overall\":{\"self\":", 0), 0u);
  auto own = reports_->ReportJsonl(ada_, id);
  ASSERT_TRUE(own.ok());
  EXPECT_EQ(std::count(own->begin(), own->end(), '\n'), 1);
  EXPECT_EQ(all->substr(0, own->size()), *own);
  EXPECT_EQ(reports_->ReportJsonl(coach_, id).status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(reports_->ReportJsonl(cyd_, id).status().code(), StatusCode::kPermissionDenied);
}

TEST_F(ReportServiceTest, ChangeSinceThePreviousReleasedCampaign) {
  const std::string spring = RunSpring();
  Release(spring);
  // Autumn: everyone scores 4 everywhere.
  const std::string autumn = OpenAutumn();
  auto tokens = Invite(autumn);
  std::vector<model::Answer> fours;
  for (const char* item : {"SYS.1.a", "SYS.1.b", "SYS.2.a", "DATA.1.a", "DATA.1.b", "DATA.1.c"})
    fours.push_back({item, 4});
  for (const auto& [email, token] : tokens)
    ASSERT_TRUE(questionnaires_->Submit(token, fours, {}, "k", Day(2026, 9, 2)).ok()) << email;
  now_ = Day(2026, 10, 1);
  ASSERT_TRUE(service_->Close(kP1, autumn, kActor).ok());
  Release(autumn);
  auto r = reports_->Report(ada_, autumn, "ada");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->previous_campaign_id, spring);
  EXPECT_EQ(r->previous_campaign_name, "Spring 360");
  ASSERT_EQ(r->changes.size(), 3u);
  EXPECT_EQ(r->changes[0].code, "SYS.1");
  EXPECT_NEAR(r->changes[0].change, 4 - 2.625, kEps);
  EXPECT_NEAR(r->changes[1].change, 4 - 2.25, kEps);
  EXPECT_TRUE(std::isnan(r->changes[2].change));  // DATA.1 was withheld in spring
  // The spring report has no earlier campaign.
  auto first = reports_->Report(ada_, spring, "ada");
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(first->previous_campaign_id.empty());
  EXPECT_TRUE(first->changes.empty());
}

TEST_F(ReportServiceTest, PrerenderedBodiesLiveAsLongAsTheirFigures) {
  const std::string id = RunSpring();
  std::atomic<int> renders{0};
  const uint64_t renderer = reports_->SetBodyRenderer([this, &renders](const SubjectReport& r) {
    ++renders;
    const std::string& who = r.figures->subjects[r.subject].person_id;
    reports_->KeepBody(r, r.viewer_is_subject ? "subject" : "all",
                       std::make_shared<const std::string>("body of " + who));
    return Status::Ok();
  });
  // Closed: no reports to see, nothing rendered.
  reports_->Prerender(kP1, id);
  reports_->WaitForPrerendering();
  EXPECT_EQ(renders.load(), 0);
  EXPECT_EQ(reports_->Prerendered(kP1, id), 0u);
  // A body kept with the closed campaign's figures ...
  auto closed = reports_->Figures(kP1, id);
  ASSERT_TRUE(closed.ok());
  SubjectReport stale;
  stale.figures = *closed;
  stale.subject = 0;
  reports_->KeepBody(stale, "all", std::make_shared<const std::string>("stale"));
  ASSERT_NE(reports_->Body(stale, "all"), nullptr);
  EXPECT_EQ(*reports_->Body(stale, "all"), "stale");

  // ... goes with them when the state changes; release renders every subject, for an admin
  // and for the subject.
  Release(id);
  reports_->Prerender(kP1, id);
  reports_->WaitForPrerendering();
  EXPECT_EQ(reports_->Body(stale, "all"), nullptr);
  auto released = reports_->Figures(kP1, id);
  ASSERT_TRUE(released.ok());
  const size_t subjects = (*released)->subjects.size();
  ASSERT_GT(subjects, 1u);
  EXPECT_EQ(reports_->Prerendered(kP1, id), subjects);
  EXPECT_EQ(renders.load(), static_cast<int>(2 * subjects));
  auto view = reports_->Report(admin_, id, "ada");
  ASSERT_TRUE(view.ok());
  ASSERT_NE(reports_->Body(*view, "all"), nullptr);
  EXPECT_EQ(*reports_->Body(*view, "all"), "body of ada");
  auto own = reports_->Report(ada_, id, "ada");
  ASSERT_TRUE(own.ok());
  ASSERT_NE(reports_->Body(*own, "subject"), nullptr);
  EXPECT_EQ(reports_->Body(*own, "other"), nullptr);

  // Dropped with the figures (another partnership's erasure leaves them); a renderer withdrawn
  // is not called again.
  reports_->ClearCache(kP2);
  EXPECT_EQ(reports_->Prerendered(kP1, id), subjects);
  reports_->ClearCache(kP1);
  EXPECT_EQ(reports_->Prerendered(kP1, id), 0u);
  EXPECT_EQ(reports_->Body(*view, "all"), nullptr);
  reports_->RemoveBodyRenderer(renderer);
  reports_->Prerender(kP1, id);
  reports_->WaitForPrerendering();
  EXPECT_EQ(renders.load(), static_cast<int>(2 * subjects));
}

TEST_F(ReportServiceTest, ARendererThatThrowsCostsOneReportNotTheServer) {
  const std::string id = RunSpring();
  Release(id);
  std::atomic<int> renders{0};
  reports_->SetBodyRenderer([this, &renders](const SubjectReport& r) -> Status {
    const std::string& who = r.figures->subjects[r.subject].person_id;
    if (who == "ada") throw std::runtime_error("template error in ada's report");
    ++renders;
    reports_->KeepBody(r, r.viewer_is_subject ? "subject" : "all",
                       std::make_shared<const std::string>("body of " + who));
    return Status::Ok();
  });
  ::testing::internal::CaptureStderr();
  reports_->Prerender(kP1, id);
  reports_->WaitForPrerendering();
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(log, "trellis: prerendering the report of subject ada in " + id +
                     ": exception: template error in ada's report\n");
  // Every other subject was rendered, for both readers.
  auto figures = reports_->Figures(kP1, id);
  ASSERT_TRUE(figures.ok());
  const size_t subjects = (*figures)->subjects.size();
  ASSERT_GT(subjects, 1u);
  EXPECT_EQ(reports_->Prerendered(kP1, id), subjects - 1);
  EXPECT_EQ(renders.load(), static_cast<int>(2 * (subjects - 1)));
  auto ada = reports_->Report(admin_, id, "ada");
  ASSERT_TRUE(ada.ok());
  EXPECT_EQ(reports_->Body(*ada, "all"), nullptr);
  // The background thread lives on: the next prerender runs.
  reports_->ClearCache();
  ::testing::internal::CaptureStderr();
  reports_->Prerender(kP1, id);
  reports_->WaitForPrerendering();
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), log);
  EXPECT_EQ(reports_->Prerendered(kP1, id), subjects - 1);
}

TEST_F(ReportServiceTest, AStartPrerendersOnlyEachPartnershipsLatestRelease) {
  const std::string spring = RunSpring();
  // Autumn is created after spring but released before it.
  const std::string autumn = OpenAutumn();
  now_ = Day(2026, 10, 1);
  ASSERT_TRUE(service_->Close(kP1, autumn, kActor).ok());
  Release(autumn);
  now_ = Day(2026, 10, 2);
  Release(spring);
  reports_->SetBodyRenderer([](const SubjectReport&) { return Status::Ok(); });
  ASSERT_TRUE(reports_->PrerenderReleased().ok());
  reports_->WaitForPrerendering();
  auto figures = reports_->Figures(kP1, spring);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ(reports_->Prerendered(kP1, spring), (*figures)->subjects.size());
  EXPECT_EQ(reports_->Prerendered(kP1, autumn), 0u);
}

}  // namespace
}  // namespace trellis::service
