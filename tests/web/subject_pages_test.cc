// Tests for web/subject_pages.h (a subject's own campaigns: dashboard, counts by group, proposing
// raters; page and API), the invitations CSV export as a POST, and the audit log entries the
// campaign routes and framework imports write (shown on /audit).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using nlohmann::json;
using testing::AppTest;
using testing::kPassword;
using testing::Session;

class SubjectPagesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    // An account of Alpha linked to alpha_person_, the subject of alpha_campaign_.
    auto account = auth_->CreateAccount(
        {alpha_, "subject@alpha.example", "Sam", model::Role::kMember, alpha_person_}, kPassword,
        "cli");
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    // Another person, subject of another campaign, with an account too.
    service::PersonInput in{"Kit Other",   "kit@alpha.example", alpha_org_,
                            "operational", "generalist",        ""};
    auto kit = directory_->AddPerson(alpha_, in, "cli");
    ASSERT_TRUE(kit.ok()) << kit.status().ToString();
    kit_ = kit->person.id;
    ASSERT_TRUE(auth_
                    ->CreateAccount(
                        {alpha_, "kit.account@alpha.example", "Kit", model::Role::kMember, kit_},
                        kPassword, "cli")
                    .ok());
    auto kit_campaign =
        campaigns_->Create(AlphaSpec("Kit 360", "2026-01-01", "2026-12-31", {kit_}), "acc_test");
    ASSERT_TRUE(kit_campaign.ok()) << kit_campaign.status().ToString();
    kit_campaign_ = kit_campaign->id;
    // An admin's rater for Sam: the subject sees them counted, never named.
    ASSERT_TRUE(campaigns_
                    ->Nominate(alpha_, alpha_campaign_,
                               {{alpha_person_, "", "Zed Secret", "zed@partner.example",
                                 model::RaterGroup::kPeer}},
                               "acc_test")
                    .ok());
  }

  std::string MyHref() const { return "/my/campaigns/" + alpha_campaign_; }

  std::string kit_, kit_campaign_;
};

TEST_F(SubjectPagesTest, DashboardListsTheSubjectsOwnCampaignsOnly) {
  Session sam = SignIn("subject@alpha.example");
  Response dashboard = Call("GET", "/dashboard", sam);
  ASSERT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("Your 360 campaigns"), std::string::npos);
  EXPECT_NE(dashboard.body.find("<a href=\"" + MyHref() + "\">Alpha 360</a>"), std::string::npos)
      << dashboard.body;
  EXPECT_EQ(dashboard.body.find("Kit 360"), std::string::npos);
  // An account linked to no person has no such list.
  Session member = SignIn("member@alpha.example");
  EXPECT_EQ(Call("GET", "/dashboard", member).body.find("Your 360 campaigns"), std::string::npos);
}

TEST_F(SubjectPagesTest, TheSubjectSeesCountsByGroupNeverNames) {
  Session sam = SignIn("subject@alpha.example");
  Response page = Call("GET", MyHref(), sam);
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 500);
  EXPECT_NE(page.body.find("<td>peer</td><td>1</td><td>0</td><td>0</td><td>0%</td>"),
            std::string::npos)
      << page.body;
  EXPECT_NE(page.body.find("<td>self</td><td>1</td>"), std::string::npos);
  EXPECT_EQ(page.body.find("Zed Secret"), std::string::npos);
  EXPECT_EQ(page.body.find("zed@partner.example"), std::string::npos);
  EXPECT_NE(page.body.find("Propose a rater"), std::string::npos);  // draft: proposals allowed
}

TEST_F(SubjectPagesTest, AnotherSubjectsCampaignIsNotFound) {
  Session sam = SignIn("subject@alpha.example");
  EXPECT_EQ(Call("GET", "/my/campaigns/" + kit_campaign_, sam).status, 404);
  EXPECT_EQ(PostForm("/my/campaigns/" + kit_campaign_ + "/proposals", sam,
                     "rater_name=X&rater_email=x%40y.example&group=peer")
                .status,
            404);
  EXPECT_EQ(Call("GET", "/api/v1/my/campaigns/" + kit_campaign_, sam).status, 404);
  EXPECT_EQ(Call("GET", "/my/campaigns/no-such-campaign", sam).status, 404);
  // A member linked to no person, and the board, are no subjects.
  for (const char* email : {"member@alpha.example", "board@alpha.example"}) {
    Session other = SignIn(email);
    EXPECT_EQ(Call("GET", MyHref(), other).status, 404) << email;
  }
  // The admin (no linked person) is sent to the admin view; Beta's admin finds nothing.
  Session admin = SignIn("admin@alpha.example");
  Response redirect = Call("GET", MyHref(), admin);
  EXPECT_EQ(redirect.status, 303);
  EXPECT_EQ(*redirect.headers.Get("Location"), "/campaigns/" + alpha_campaign_);
  EXPECT_EQ(Call("GET", MyHref(), SignIn("admin@beta.example")).status, 404);
  // Nothing was proposed for Kit.
  auto kit = campaigns_->Nominations(alpha_, kit_campaign_);
  ASSERT_TRUE(kit.ok());
  EXPECT_EQ(kit->size(), 1u);  // the self nomination only
}

TEST_F(SubjectPagesTest, ProposingARaterNeedsTheCsrfTokenAndReachesTheAdmin) {
  Session sam = SignIn("subject@alpha.example");
  const std::string fields =
      "rater_name=Pat+Partner&rater_email=pat%40partner.example&group=partner";
  EXPECT_EQ(Call("POST", MyHref() + "/proposals", sam, fields, "application/x-www-form-urlencoded")
                .status,
            403);
  Response proposed = PostForm(MyHref() + "/proposals", sam, fields);
  ASSERT_EQ(proposed.status, 303) << proposed.body.substr(0, 500);
  EXPECT_EQ(*proposed.headers.Get("Location"), MyHref() + "?proposed=1");
  Response page = Call("GET", MyHref() + "?proposed=1", sam);
  EXPECT_NE(page.body.find("Your proposal was sent"), std::string::npos);
  EXPECT_NE(
      page.body.find("<li>Pat Partner (pat@partner.example), partner: awaiting approval</li>"),
      std::string::npos)
      << page.body;

  // A broken rule is shown on the form; a duplicate does not describe the other nomination.
  Response bad = PostForm(MyHref() + "/proposals", sam, "rater_name=No+Email&group=peer");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("is not an email address"), std::string::npos);
  Response twice = PostForm(MyHref() + "/proposals", sam,
                            "rater_name=Zed&rater_email=zed%40partner.example&group=peer");
  EXPECT_EQ(twice.status, 409);
  EXPECT_NE(twice.body.find("that rater is already nominated or proposed for you"),
            std::string::npos);
  EXPECT_EQ(twice.body.find("Zed Secret"), std::string::npos);

  // The admin sees the proposal on the campaign page, and the audit log names Sam's account.
  Session admin = SignIn("admin@alpha.example");
  Response overview = Call("GET", "/campaigns/" + alpha_campaign_, admin);
  EXPECT_NE(overview.body.find("Proposed raters awaiting approval"), std::string::npos);
  EXPECT_NE(overview.body.find("Pat Partner"), std::string::npos);
  Response audit = Call("GET", "/audit", admin);
  EXPECT_NE(audit.body.find("nomination.proposed"), std::string::npos);
  EXPECT_NE(audit.body.find("partner rater for subject &apos;" + alpha_person_ +
                            "&apos; (external rater) proposed in campaign &apos;Alpha 360&apos;"),
            std::string::npos)
      << audit.body;
}

TEST_F(SubjectPagesTest, NoProposalsOnceTheCampaignIsClosed) {
  ASSERT_TRUE(campaigns_->Open(alpha_, alpha_campaign_, "acc_test").ok());
  ASSERT_TRUE(campaigns_->Close(alpha_, alpha_campaign_, "acc_test").ok());
  Session sam = SignIn("subject@alpha.example");
  Response page = Call("GET", MyHref(), sam);
  ASSERT_EQ(page.status, 200);
  EXPECT_EQ(page.body.find("Propose a rater"), std::string::npos);
  EXPECT_EQ(PostForm(MyHref() + "/proposals", sam,
                     "rater_name=Late&rater_email=late%40partner.example&group=peer")
                .status,
            409);
}

TEST_F(SubjectPagesTest, ApiListsShowsAndProposes) {
  Session sam = SignIn("subject@alpha.example");
  json list = json::parse(Call("GET", "/api/v1/my/campaigns", sam).body);
  ASSERT_EQ(list["campaigns"].size(), 1u);
  EXPECT_EQ(list["campaigns"][0]["id"], alpha_campaign_);
  Response created =
      Call("POST", "/api/v1/my/campaigns/" + alpha_campaign_ + "/proposals", sam,
           R"({"raters":[{"rater_name":"Ola Community","rater_email":"ola@example.org",)"
           R"("group":"community"}]})",
           "application/json", sam.csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(json::parse(created.body)["proposals"][0]["status"], "proposed");
  json show = json::parse(Call("GET", "/api/v1/my/campaigns/" + alpha_campaign_, sam).body);
  EXPECT_EQ(show["progress"]["by_group"]["peer"]["nominated"], 1);
  ASSERT_EQ(show["proposals"].size(), 1u);
  EXPECT_EQ(show["proposals"][0]["rater_name"], "Ola Community");
  EXPECT_EQ(show.dump().find("Zed Secret"), std::string::npos);
  Response wrong =
      Call("POST", "/api/v1/my/campaigns/" + alpha_campaign_ + "/proposals", sam,
           R"({"raters":[{"rater_name":7,"group":"peer"}]})", "application/json", sam.csrf);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_NE(wrong.body.find("field 'rater_name': wrong type"), std::string::npos);
  Response self = Call("POST", "/api/v1/my/campaigns/" + alpha_campaign_ + "/proposals", sam,
                       R"({"raters":[{"rater_name":"Me","rater_email":"me@x.example",)"
                       R"("group":"self"}]})",
                       "application/json", sam.csrf);
  EXPECT_EQ(self.status, 400);
  // Member without a person: an empty list, and 404 for the campaign.
  Session member = SignIn("member@alpha.example");
  EXPECT_TRUE(json::parse(Call("GET", "/api/v1/my/campaigns", member).body)["campaigns"].empty());
  EXPECT_EQ(Call("GET", "/api/v1/my/campaigns/" + alpha_campaign_, member).status, 404);
}

TEST_F(SubjectPagesTest, InvitationExportIsAPostAndIsAudited) {
  Session admin = SignIn("admin@alpha.example");
  const std::string href = "/campaigns/" + alpha_campaign_;
  ASSERT_EQ(PostForm(href + "/open", admin, "").status, 303);
  EXPECT_EQ(Call("GET", href + "/invitations.csv", admin).status, 405);
  Response api = Call("POST", "/api/v1/campaigns/" + alpha_campaign_ + "/invitations/export", admin,
                      "{}", "application/json", admin.csrf);
  ASSERT_EQ(api.status, 200) << api.body;
  EXPECT_EQ(*api.headers.Get("Cache-Control"), "no-store");
  json invitations = json::parse(api.body)["invitations"];
  ASSERT_EQ(invitations.size(), 2u);  // Sam's self-assessment and Zed
  EXPECT_TRUE(std::regex_match(invitations[0]["link"].get<std::string>(),
                               std::regex("http://trellis\\.test/r/[A-Za-z0-9_-]{22}")));
  Response audit = Call("GET", "/audit", admin);
  EXPECT_NE(audit.body.find("campaign.invitations_exported"), std::string::npos);
  EXPECT_NE(audit.body.find("2 invitation links exported as CSV for a mail merge"),
            std::string::npos);
  EXPECT_NE(audit.body.find("campaign.opened"), std::string::npos);
  EXPECT_EQ(audit.body.find("/r/"), std::string::npos);
}

TEST_F(SubjectPagesTest, AFrameworkImportIsInTheAdminsPartnershipLog) {
  Session admin = SignIn("admin@alpha.example");
  std::ifstream in(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/context-check.json");
  std::stringstream text;
  text << in.rdbuf();
  Response imported = Call("POST", "/api/v1/frameworks/import?file_name=context-check.json", admin,
                           text.str(), "application/json", admin.csrf);
  ASSERT_EQ(imported.status, 201) << imported.body;
  json log = json::parse(Call("GET", "/api/v1/audit?limit=1", admin).body)["entries"];
  ASSERT_EQ(log.size(), 1u);
  EXPECT_EQ(log[0]["action"], "framework.imported");
  EXPECT_EQ(log[0]["entity_id"], "context-check@1");
  EXPECT_EQ(log[0]["detail"],
            "framework 'context-check' version 1 imported from 'context-check.json'");
  Session beta = SignIn("admin@beta.example");
  EXPECT_EQ(Call("GET", "/api/v1/audit", beta).body.find("framework.imported"), std::string::npos);
}

}  // namespace
}  // namespace trellis::web
