// tests/web/subject_access_test.cc — subject-access exports through the handler layer over real
// SQLite (app_fixture.h): the subject's file holds their record, account, rater counts, their
// report identical to the report API (a withheld group's figures and comments absent), their
// plan with its comments' authors, shares and audit entries; a rater's file holds the campaign
// and status of their nomination and never their answers or comments; admins export anyone of
// their partnership, other members get 403; an erased person's file is the tombstone only.
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using nlohmann::json;
using testing::AppTest;
using testing::kPassword;
using testing::Session;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class SubjectAccessTest : public AppTest {
 protected:
  // Alpha's campaign rating Sam (as report_pages_test.cc: SYS.1 others 2.75 of 4, DATA.1
  // withheld because only two peers scored it). Rita, a person with an account, is the third
  // peer. Every rater comments on SYS; the manager and two peers also on DATA, where the peers'
  // notes must be withheld.
  void SetUp() override {
    AppTest::SetUp();
    auto rita = directory_->AddPerson(
        alpha_, {"Rita Rater", "rita@alpha.example", alpha_org_, "operational", "hr", ""}, "cli");
    ASSERT_TRUE(rita.ok()) << rita.status().ToString();
    rita_ = rita->person.id;
    auto nominated = campaigns_->Nominate(
        alpha_, alpha_campaign_,
        {{alpha_person_, "", "Mo Manager", "mo@alpha.example", model::RaterGroup::kManager},
         {alpha_person_, "", "Pia Peer", "pia@alpha.example", model::RaterGroup::kPeer},
         {alpha_person_, "", "Pete Peer", "pete@alpha.example", model::RaterGroup::kPeer},
         {alpha_person_, rita_, "", "", model::RaterGroup::kPeer}},
        "cli");
    ASSERT_TRUE(nominated.ok()) << nominated.status().ToString();
    for (const model::Nomination& n : *nominated)
      if (n.rater_person_id == rita_) rita_nomination_ = n.id;
    ASSERT_TRUE(campaigns_->Open(alpha_, alpha_campaign_, "cli").ok());
    auto invitations = campaigns_->ExportInvitations(alpha_, alpha_campaign_, "cli");
    ASSERT_TRUE(invitations.ok());
    std::map<std::string, std::string> token;
    for (const auto& inv : *invitations)
      token[inv.rater_email] = inv.link.substr(inv.link.rfind("/r/") + 3);
    const auto when = std::chrono::sys_days(std::chrono::year(2026) / 3 / 2);
    auto submit = [&](const std::string& email, std::vector<int> scores,
                      std::vector<std::pair<std::string, std::string>> comments) {
      static const char* kItems[] = {"SYS.1.a",  "SYS.1.b",  "SYS.2.a",
                                     "DATA.1.a", "DATA.1.b", "DATA.1.c"};
      std::vector<model::Answer> answers;
      for (size_t i = 0; i < scores.size(); ++i) answers.push_back({kItems[i], scores[i]});
      auto r = questionnaires_->Submit(token[email], answers, comments, "k", when);
      ASSERT_TRUE(r.ok()) << email << ": " << r.status().ToString();
    };
    submit("sam@alpha.example", {4, 4, 4, 4, 4, 4}, {{"SYS", "Self note"}});
    submit("mo@alpha.example", {3, 3, 2, 4, 4, 4},
           {{"SYS", "Sys note M"}, {"DATA", "Data note M"}});
    submit("pia@alpha.example", {2, 3, 2, 3, 3, 3},
           {{"SYS", "Sys note A"}, {"DATA", "Data note A"}});
    submit("pete@alpha.example", {3, 3, 3, 4, 4, 5},
           {{"SYS", "Sys note B"}, {"DATA", "Data note B"}});
    submit("rita@alpha.example", {2, 3, 2}, {{"SYS", "Sys note C"}});
    ASSERT_TRUE(campaigns_->Close(alpha_, alpha_campaign_, "cli").ok());
    ASSERT_TRUE(campaigns_->Release(alpha_, alpha_campaign_, "cli").ok());
    ASSERT_TRUE(auth_
                    ->CreateAccount({alpha_, "sam.account@alpha.example", "Sam",
                                     model::Role::kMember, alpha_person_},
                                    kPassword, "cli")
                    .ok());
    ASSERT_TRUE(
        auth_
            ->CreateAccount({alpha_, "rita@alpha.example", "Rita", model::Role::kMember, rita_},
                            kPassword, "cli")
            .ok());
    // The admin, a coach of Sam's plan (app_fixture.h), comments on it.
    ASSERT_TRUE(
        plan_store_
            ->AddComment(alpha_, alpha_plan_,
                         {"cmt_1", alpha_admin_account_, "Coach's comment", "2026-01-03T09:00:00Z"})
            .ok());
  }

  json Parse(const Response& response) {
    json j = json::parse(response.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << response.body.substr(0, 500);
    return j;
  }

  std::string rita_, rita_nomination_;
};

TEST_F(SubjectAccessTest, TheSubjectsFileHoldsTheirDataAndTheReportAsTheApiShowsIt) {
  Session sam = SignIn("sam.account@alpha.example");
  ASSERT_EQ(PostForm("/reports/" + alpha_campaign_ + "/shares", sam, "email=member%40alpha.example")
                .status,
            303);
  Response file = Call("GET", "/my/data.json", sam);
  ASSERT_EQ(file.status, 200) << file.body.substr(0, 2000);
  EXPECT_EQ(*file.headers.Get("Content-Disposition"),
            "attachment; filename=\"trellis-data-" + alpha_person_ + ".json\"");
  auto log = directory_->AuditLog(alpha_, 0, 1);
  ASSERT_TRUE(log.ok());
  EXPECT_EQ((*log)[0].action, "person.subject_access_exported");
  EXPECT_EQ((*log)[0].entity_id, alpha_person_);
  EXPECT_EQ((*log)[0].detail, "subject access export by the person");
  json j = Parse(file);
  EXPECT_EQ(j["format"], "trellis-subject-access");
  EXPECT_EQ(j["requested_by"]["as"], "the person");
  EXPECT_EQ(j["person"]["name"], testing::kScriptName);
  EXPECT_EQ(j["person"]["email"], "sam@alpha.example");
  EXPECT_EQ(j["person"]["organisation"]["name"], "Alpha Acute Trust");
  EXPECT_EQ(j["person"]["level"], "strategic");
  EXPECT_EQ(j["person"]["function"], "clinical");
  ASSERT_EQ(j["accounts"].size(), 1u);
  EXPECT_EQ(j["accounts"][0]["email"], "sam.account@alpha.example");
  EXPECT_EQ(j["accounts"][0]["role"], "member");

  // Raters as counts per group; the report exactly as the report API gives it.
  ASSERT_EQ(j["campaigns"].size(), 1u);
  const json& c = j["campaigns"][0];
  EXPECT_EQ(c["name"], "Alpha 360");
  EXPECT_EQ(c["state"], "released");
  EXPECT_EQ(c["raters"]["by_group"]["peer"],
            json({{"nominated", 3}, {"invited", 3}, {"submitted", 3}}));
  EXPECT_EQ(c["raters"]["by_group"]["manager"],
            json({{"nominated", 1}, {"invited", 1}, {"submitted", 1}}));
  Response api =
      Call("GET", "/api/v1/campaigns/" + alpha_campaign_ + "/reports/" + alpha_person_, sam);
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(c["report"], Parse(api));
  EXPECT_EQ(c["report"]["competencies"]["SYS.1"]["others"], json({{"mean", 2.75}, {"n", 4}}));
  EXPECT_EQ(c["report"]["withheld"]["DATA.1"],
            "fewer than 3 raters other than the line manager answered");
  // DATA: only two peers → no peer figure on the domain, and their notes are withheld.
  EXPECT_FALSE(c["report"]["domains"]["DATA"]["groups"].contains("peer"));
  EXPECT_TRUE(Contains(file.body, "Sys note A"));
  EXPECT_TRUE(Contains(file.body, "Data note M"));
  EXPECT_FALSE(Contains(file.body, "Data note A"));
  EXPECT_FALSE(Contains(file.body, "Data note B"));
  EXPECT_EQ(c["report"]["withheld_comments"], 2);
  // Never a rater's name, email or token.
  for (const char* secret : {"Mo Manager", "mo@alpha.example", "Pia Peer", "pia@alpha.example",
                             "Rita Rater", "rita@alpha.example", "/r/", "$argon2", "password"})
    EXPECT_FALSE(Contains(file.body, secret)) << secret;

  // The plan, with the coach's comment under the coach's name as the plans page shows it.
  ASSERT_EQ(j["development_plans"].size(), 1u);
  const json& plan = j["development_plans"][0];
  EXPECT_EQ(plan["priorities"][0]["goal"], "A private goal");
  EXPECT_EQ(plan["priorities"][0]["actions"][0]["description"], "A private action");
  EXPECT_EQ(plan["shared_with"][0]["name"], "User admin@alpha.example");
  EXPECT_EQ(plan["comments"][0], json({{"author", "User admin@alpha.example"},
                                       {"by_you", false},
                                       {"body", "Coach's comment"},
                                       {"created_at", "2026-01-03T09:00:00Z"}}));
  ASSERT_EQ(j["report_shares"]["granted"].size(), 1u);
  EXPECT_EQ(j["report_shares"]["granted"][0]["shared_with"], "User member@alpha.example");

  // Audit: the share they made and the change that added them are listed; the export itself is
  // recorded before the file went out.
  std::vector<std::string> actions;
  for (const json& e : j["audit_log"]) actions.push_back(e["action"]);
  EXPECT_NE(std::find(actions.begin(), actions.end(), "report.shared"), actions.end());
  EXPECT_NE(std::find(actions.begin(), actions.end(), "person.added"), actions.end());
}

TEST_F(SubjectAccessTest, ARatersFileHasTheCampaignAndStatusButNeverTheirAnswers) {
  Response file = Call("GET", "/api/v1/me/export", SignIn("rita@alpha.example"));
  ASSERT_EQ(file.status, 200) << file.body;
  json j = Parse(file);
  EXPECT_EQ(j["person"]["name"], "Rita Rater");
  EXPECT_EQ(j["campaigns"], json::array());
  EXPECT_EQ(j["as_rater"], json::parse(R"([{"campaign":{"id":")" + alpha_campaign_ +
                                       R"(","name":"Alpha 360"},"status":"approved",)"
                                       R"("submitted":true}])"));
  // Not her comment, her nomination (the key of her answers), nor the subject she rated.
  EXPECT_FALSE(Contains(file.body, "Sys note C"));
  EXPECT_FALSE(Contains(file.body, rita_nomination_));
  EXPECT_FALSE(Contains(file.body, alpha_person_));
  EXPECT_FALSE(Contains(file.body, "\"score"));
}

TEST_F(SubjectAccessTest, AdminsExportAnyoneOfTheirPartnershipAndOthersGet403) {
  Session admin = SignIn("admin@alpha.example");
  Response person_page = Call("GET", "/people/" + alpha_person_, admin);
  EXPECT_TRUE(Contains(person_page.body, "href=\"/people/" + alpha_person_ + "/data.json\""));
  Response file = Call("GET", "/people/" + alpha_person_ + "/data.json", admin);
  ASSERT_EQ(file.status, 200);
  EXPECT_TRUE(Contains(*file.headers.Get("Content-Disposition"), "attachment"));
  json j = Parse(file);
  EXPECT_EQ(j["requested_by"]["as"], "admin");
  EXPECT_EQ(j["campaigns"][0]["report"]["competencies"]["SYS.1"]["others"]["mean"], 2.75);
  Response api = Call("GET", "/api/v1/people/" + alpha_person_ + "/export", admin);
  ASSERT_EQ(api.status, 200);
  EXPECT_EQ(directory_->AuditLog(alpha_, 0, 1)->at(0).detail, "subject access export by an admin");

  Session member = SignIn("member@alpha.example");
  Response forbidden = Call("GET", "/api/v1/people/" + alpha_person_ + "/export", member);
  EXPECT_EQ(forbidden.status, 403);
  EXPECT_EQ(forbidden.content_type, "application/problem+json");
  EXPECT_EQ(Call("GET", "/people/" + alpha_person_ + "/data.json", member).status, 403);
  EXPECT_EQ(Call("GET", "/api/v1/people/" + alpha_person_ + "/export", SignIn("rita@alpha.example"))
                .status,
            403);
  EXPECT_EQ(Call("GET", "/api/v1/people/" + alpha_person_ + "/export", SignIn("admin@beta.example"))
                .status,
            404);
  EXPECT_EQ(Call("GET", "/api/v1/me/export", Session{}).status, 401);
}

TEST_F(SubjectAccessTest, MyDataPageIsLinkedFromTheHeaderAndOffersTheDownload) {
  Response page = Call("GET", "/my/data", SignIn("sam.account@alpha.example"));
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "<a class=\"account-link\" href=\"/my/data\">My data</a>"));
  EXPECT_TRUE(Contains(page.body, "href=\"/my/data.json\" download>Download my data (JSON)</a>"));
  EXPECT_TRUE(Contains(page.body, "Your answers as a rater."));
}

TEST_F(SubjectAccessTest, AnErasedPersonsFileIsTheTombstoneOnly) {
  ASSERT_TRUE(directory_->ErasePerson(alpha_, alpha_person_, "cli").ok());
  Response file =
      Call("GET", "/api/v1/people/" + alpha_person_ + "/export", SignIn("admin@alpha.example"));
  ASSERT_EQ(file.status, 200) << file.body;
  json j = Parse(file);
  EXPECT_EQ(j["person"]["erased"], true);
  EXPECT_EQ(j["person"]["level"], "strategic");
  EXPECT_FALSE(j["person"].contains("name"));
  for (const char* key : {"accounts", "campaigns", "development_plans", "audit_log"})
    EXPECT_FALSE(j.contains(key)) << key;
  EXPECT_FALSE(Contains(file.body, "sam@alpha.example"));
  EXPECT_FALSE(Contains(file.body, "A private goal"));
}

}  // namespace
}  // namespace trellis::web
