// tests/web/subject_access_test.cc — subject-access exports through the handler layer over real
// SQLite (app_fixture.h): the subject's file holds their record, account, rater counts, their
// report identical to the report API (a withheld group's figures and comments absent), their
// plan with its comments' authors, shares and audit entries; a rater's file holds the campaign
// and status of their nomination and never their answers or comments; admins export anyone of
// their partnership, other members get 403; an erased person's file is the tombstone only; a
// former admin's file lists the nominations they made by action and time only, never who rates
// whom; plans shared with the person and their comments on others' plans are in the file.
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

TEST_F(SubjectAccessTest, AFormerAdminsFileNeverSaysWhomTheyNominatedToRateWhom) {
  // Rita, made an admin, runs a second campaign on Sam: she nominates an external rater and
  // Una, approves one of Sam's proposals and declines another; then she is a member again.
  auto una = directory_->AddPerson(
      alpha_, {"Una Undisclosed", "una@alpha.example", alpha_org_, "operational", "hr", ""}, "cli");
  ASSERT_TRUE(una.ok());
  const std::string rita_account =
      directory_store_->FindAccountForSignIn("rita@alpha.example")->account.id;
  const std::string sam_account =
      directory_store_->FindAccountForSignIn("sam.account@alpha.example")->account.id;
  ASSERT_TRUE(auth_->SetRole(alpha_, rita_account, model::Role::kAdmin, "cli").ok());
  auto round =
      campaigns_->Create(AlphaSpec("Second round", "2026-06-01", "2026-06-30"), rita_account);
  ASSERT_TRUE(round.ok()) << round.status().ToString();
  ASSERT_TRUE(campaigns_
                  ->Nominate(alpha_, round->id,
                             {{alpha_person_, "", "Xavier External", "xavier@partner.example",
                               model::RaterGroup::kPeer},
                              {alpha_person_, una->person.id, "", "", model::RaterGroup::kManager}},
                             rita_account)
                  .ok());
  auto proposed = campaigns_->Propose(
      alpha_, round->id, alpha_person_,
      {{alpha_person_, "", "Yara Proposed", "yara@partner.example", model::RaterGroup::kPeer},
       {alpha_person_, "", "Zed Declined", "zed@partner.example", model::RaterGroup::kPeer}},
      sam_account);
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  ASSERT_TRUE(campaigns_->Approve(alpha_, round->id, (*proposed)[0].id, rita_account).ok());
  ASSERT_TRUE(campaigns_->Decline(alpha_, round->id, (*proposed)[1].id, rita_account).ok());
  ASSERT_TRUE(auth_->SetRole(alpha_, rita_account, model::Role::kMember, "cli").ok());

  Response file = Call("GET", "/api/v1/me/export", SignIn("rita@alpha.example"));
  ASSERT_EQ(file.status, 200) << file.body;
  for (const std::string& secret :
       {std::string("Xavier External"), std::string("xavier@partner.example"),
        std::string("Una Undisclosed"), una->person.id, std::string("Yara Proposed"),
        std::string("Zed Declined"), alpha_person_, std::string(testing::kScriptName), round->id,
        (*proposed)[0].id, std::string("Second round"), std::string("rater for subject"),
        std::string("external rater"), std::string("manager rater"), std::string("peer rater")})
    EXPECT_FALSE(Contains(file.body, secret)) << secret;
  // What she did is there, by action and time only.
  json j = Parse(file);
  std::map<std::string, int> acted;
  for (const json& e : j["audit_log"]) {
    const std::string action = e["action"];
    if (action.rfind("nomination.", 0) != 0 && action != "campaign.created") continue;
    ++acted[action];
    EXPECT_EQ(e.size(), 4u) << e.dump();
    EXPECT_EQ(e["actor"], rita_account);
    EXPECT_FALSE(e.contains("entity_id")) << e.dump();
    EXPECT_FALSE(e.contains("detail")) << e.dump();
    EXPECT_FALSE(e["at"].get<std::string>().empty());
  }
  EXPECT_EQ(acted, (std::map<std::string, int>{{"campaign.created", 1},
                                               {"nomination.added", 2},
                                               {"nomination.approved", 1},
                                               {"nomination.declined", 1}}));
  // Entries about her own records stay in full: her account's role changes.
  int role_changes = 0;
  for (const json& e : j["audit_log"]) {
    if (e["action"] != "account.role_changed") continue;
    ++role_changes;
    EXPECT_EQ(e["entity_id"], rita_account);
  }
  EXPECT_EQ(role_changes, 2);
}

TEST_F(SubjectAccessTest, PlansSharedWithThePersonAndTheirCommentsOnThemAreInTheFile) {
  const std::string rita_account =
      directory_store_->FindAccountForSignIn("rita@alpha.example")->account.id;
  ASSERT_TRUE(plan_store_
                  ->Share(alpha_, alpha_plan_,
                          {rita_account, storage::ShareRole::kLineManager, "2026-01-04T09:00:00Z"})
                  .ok());
  ASSERT_TRUE(plan_store_
                  ->AddComment(alpha_, alpha_plan_,
                               {"cmt_rita", rita_account, "Rita's advice", "2026-01-05T09:00:00Z"})
                  .ok());
  json j = Parse(Call("GET", "/api/v1/me/export", SignIn("rita@alpha.example")));
  EXPECT_EQ(
      j["plans_shared_with_you"],
      json::parse(R"([{"plan":{"id":")" + alpha_plan_ + R"(","campaign":"Alpha 360"},"owner":")" +
                  testing::kScriptName + R"(","role":"line_manager"}])"));
  EXPECT_EQ(j["comments_written"],
            json::parse(R"([{"plan_owner":")" + std::string(testing::kScriptName) +
                        R"(","body":"Rita's advice","created_at":"2026-01-05T09:00:00Z"}])"));
  // Not shared any more: the plan leaves the list, the comment she wrote stays hers.
  ASSERT_TRUE(plan_store_->Unshare(alpha_, alpha_plan_, rita_account).ok());
  j = Parse(Call("GET", "/api/v1/me/export", SignIn("rita@alpha.example")));
  EXPECT_EQ(j["plans_shared_with_you"], json::array());
  ASSERT_EQ(j["comments_written"].size(), 1u);
  EXPECT_EQ(j["comments_written"][0]["body"], "Rita's advice");
  // An admin answering her request gets neither: others' plans are private to them.
  ASSERT_TRUE(plan_store_
                  ->Share(alpha_, alpha_plan_,
                          {rita_account, storage::ShareRole::kCoach, "2026-01-06T09:00:00Z"})
                  .ok());
  Response by_admin =
      Call("GET", "/api/v1/people/" + rita_ + "/export", SignIn("admin@alpha.example"));
  ASSERT_EQ(by_admin.status, 200);
  json a = Parse(by_admin);
  EXPECT_EQ(a["plans_shared_with_you"], json::array());
  EXPECT_EQ(a["comments_written"], json::array());
  EXPECT_FALSE(Contains(by_admin.body, "Rita's advice"));
  EXPECT_TRUE(Contains(a["not_included"].back().get<std::string>(), "Other people's plans"));
  // Sam's own file has the comment under his plan, not under comments_written.
  json sam = Parse(Call("GET", "/api/v1/me/export", SignIn("sam.account@alpha.example")));
  EXPECT_EQ(sam["comments_written"], json::array());
  EXPECT_EQ(sam["development_plans"][0]["comments"].size(), 2u);
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
