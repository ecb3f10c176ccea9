// service/campaign_fixture.h — a real SQLite database in a temporary directory with two
// partnerships, organisations and people, the sample framework and the built-in context check,
// a CampaignService with a fake clock and a fake Mailer that captures messages, and a
// QuestionnaireService. Shared by campaign_service_test.cc and questionnaire_service_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "service/campaign_service.h"
#include "service/framework_service.h"
#include "service/questionnaire_service.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/framework_samples.h"
#include "testing/temp_dir.h"

namespace trellis::service {

struct SentMail {
  std::string to;
  std::string subject;
  std::string body;
};

class FakeMailer : public Mailer {
 public:
  Status Send(const std::string& to, const std::string& subject, const std::string& body) override {
    if (!fail_to.empty() && to == fail_to)
      return Status::Unavailable("cannot reach the mail server test:25");
    sent.push_back({to, subject, body});
    return Status::Ok();
  }
  std::vector<SentMail> sent;
  std::string fail_to;  // an address whose messages fail
};

// The token of the first rater link in `text` ("…/r/TOKEN"), or "".
inline std::string TokenIn(const std::string& text) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex(R"(https://trellis\.test/r/([A-Za-z0-9_-]+))")))
    return m[1];
  return "";
}

inline std::chrono::system_clock::time_point Day(int y, unsigned m, unsigned d, int hour = 9) {
  return std::chrono::sys_days(std::chrono::year(y) / m / d) + std::chrono::hours(hour);
}

class CampaignFixture : public ::testing::Test {
 protected:
  static constexpr const char* kP1 = "prt_one";
  // The account that makes the changes, as the audit log names it.
  static constexpr const char* kActor = "acc_admin";
  static constexpr const char* kP2 = "prt_two";

  void SetUp() override {
    auto store = storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto campaigns = storage::OpenCampaignStore(*store_);
    ASSERT_TRUE(campaigns.ok()) << campaigns.status().ToString();
    campaigns_ = std::move(*campaigns);
    auto directory = storage::OpenDirectoryStore(*store_);
    ASSERT_TRUE(directory.ok()) << directory.status().ToString();
    directory_ = std::move(*directory);
    now_ = Day(2026, 3, 1);
    CampaignService::Options options;
    options.base_url = "https://trellis.test";
    options.now = [this] { return now_; };
    service_ =
        std::make_unique<CampaignService>(*store_, *campaigns_, *directory_, &mailer_, options);
    questionnaires_ = std::make_unique<QuestionnaireService>(*store_, *campaigns_);
    Seed();
  }

  storage::AuditEntry Audit(const std::string& partnership) {
    storage::AuditEntry a;
    a.partnership_id = partnership;
    a.at = "2026-01-01T00:00:00Z";
    a.actor = "cli";
    a.action = "seed";
    a.entity_type = "people";
    a.entity_id = partnership;
    a.detail = "test";
    return a;
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
    Status s = directory_->SavePeople(partnership, changes, {Audit(partnership)});
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Seed() {
    for (const char* p : {kP1, kP2}) {
      ASSERT_TRUE(
          directory_
              ->CreatePartnership({p, std::string("P ") + p, "2026-01-01T00:00:00Z"}, Audit(p))
              .ok());
    }
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_a", kP1, "Acute", model::Sector::kAcute}, Audit(kP1))
            .ok());
    ASSERT_TRUE(
        directory_
            ->AddOrganisation({"org_b", kP1, "Council", model::Sector::kLocalAuthority}, Audit(kP1))
            .ok());
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_x", kP2, "Other", model::Sector::kOther}, Audit(kP2))
            .ok());
    AddPerson(kP1, "org_a", "ada", "Ada Lovelace");
    AddPerson(kP1, "org_b", "bob", "Bob Marley");
    AddPerson(kP1, "org_a", "cyd", "Cyd Charisse");
    AddPerson(kP1, "org_b", "dee", "Dee Dee");
    AddPerson(kP2, "org_x", "eve", "Eve Other");
    FrameworkService frameworks(*store_);
    ASSERT_TRUE(frameworks.ImportFramework(testing::SampleFramework(), "sample").ok());
    Result<ImportOutcome> context =
        frameworks.Import(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/context-check.json");
    ASSERT_TRUE(context.ok()) << context.status().ToString();
  }

  CampaignSpec Spec() {
    CampaignSpec spec;
    spec.partnership_id = kP1;
    spec.name = "Spring 360";
    spec.framework_code = "integrated-care";
    spec.opens_on = "2026-03-01";
    spec.closes_on = "2026-03-31";
    spec.subject_ids = {"ada", "bob"};
    return spec;
  }

  // An open campaign on Spec() with approved raters for ada: manager bob, peers cyd and two
  // external peers; returns its id.
  std::string OpenCampaign(CampaignSpec spec) {
    Result<model::Campaign> c = service_->Create(spec, kActor);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    if (!c.ok()) return "";
    Result<std::vector<model::Nomination>> n = service_->Nominate(
        kP1, c->id,
        {{"ada", "bob", "", "", model::RaterGroup::kManager},
         {"ada", "cyd", "", "", model::RaterGroup::kPeer},
         {"ada", "", "Pat Peer", "pat@partner.org", model::RaterGroup::kPeer},
         {"ada", "", "Quinn Peer", "quinn@partner.org", model::RaterGroup::kPeer}},
        kActor);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    Status opened = service_->Open(kP1, c->id, kActor);
    EXPECT_TRUE(opened.ok()) << opened.ToString();
    return c->id;
  }
  std::string OpenCampaign() { return OpenCampaign(Spec()); }

  // Sends the invitations and returns email → token.
  std::map<std::string, std::string> Invite(const std::string& campaign_id) {
    mailer_.sent.clear();
    Result<MailRun> run = service_->SendInvitations(kP1, campaign_id, kActor);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    std::map<std::string, std::string> tokens;
    for (const SentMail& m : mailer_.sent) tokens[m.to] = TokenIn(m.body);
    return tokens;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::CampaignStore> campaigns_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  FakeMailer mailer_;
  std::chrono::system_clock::time_point now_;
  std::unique_ptr<CampaignService> service_;
  std::unique_ptr<QuestionnaireService> questionnaires_;
};

}  // namespace trellis::service
