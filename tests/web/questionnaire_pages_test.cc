// tests/web/questionnaire_pages_test.cc — the rater questionnaire /r/{token} through
// HandleRequest on the application Router and a real SQLite database: an open campaign on the
// sample framework with the context check, whose subject is Alpha's person named "<script>…",
// and two external raters (a peer and the line manager) whose links come from the export.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "service/campaign_service.h"
#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::Session;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::string IsoDate(std::chrono::sys_days day) {
  std::chrono::year_month_day ymd(day);
  char out[16];
  std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return out;
}

// The value of the hidden submission_key field in a page.
std::string SubmissionKeyOf(const std::string& html) {
  const std::string marker = "name=\"submission_key\" value=\"";
  std::size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

class QuestionnairePagesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    if (HasFatalFailure()) return;
    auto context =
        frameworks_->Import(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/context-check.json");
    ASSERT_TRUE(context.ok()) << context.status().ToString();
    service::CampaignService::Options options;
    options.base_url = "https://trellis.test";
    rater_campaigns_ = std::make_unique<service::CampaignService>(
        *store_, *campaign_store_, *directory_store_, nullptr, options);
    auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
    service::CampaignSpec spec;
    spec.partnership_id = alpha_;
    spec.name = "Spring 360";
    spec.framework_code = "integrated-care";
    spec.opens_on = IsoDate(today - std::chrono::days(1));
    closes_on_ = IsoDate(today + std::chrono::days(30));
    spec.closes_on = closes_on_;
    spec.subject_ids = {alpha_person_};
    auto campaign = rater_campaigns_->Create(spec, "acc_test");
    ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
    campaign_id_ = campaign->id;
    auto nominated = rater_campaigns_->Nominate(
        alpha_, campaign_id_,
        {{alpha_person_, "", "Pat Peer", "pat@partner.example", model::RaterGroup::kPeer},
         {alpha_person_, "", "Mo Manager", "mo@partner.example", model::RaterGroup::kManager}},
        "acc_test");
    ASSERT_TRUE(nominated.ok()) << nominated.status().ToString();
    ASSERT_TRUE(rater_campaigns_->Open(alpha_, campaign_id_, "acc_test").ok());
    auto invitations = rater_campaigns_->ExportInvitations(alpha_, campaign_id_, "acc_test");
    ASSERT_TRUE(invitations.ok()) << invitations.status().ToString();
    for (const service::Invitation& inv : *invitations) {
      tokens_[inv.rater_email] = inv.link.substr(inv.link.rfind('/') + 1);
    }
    peer_ = tokens_["pat@partner.example"];
    manager_ = tokens_["mo@partner.example"];
    ASSERT_FALSE(peer_.empty());
    ASSERT_FALSE(manager_.empty());
  }

  Response Get(const std::string& token) { return Call("GET", "/r/" + token, Session{}); }
  Response Post(const std::string& token, const std::string& body) {
    return Call("POST", "/r/" + token, Session{}, body, "application/x-www-form-urlencoded");
  }
  int Submitted() {
    auto progress = rater_campaigns_->Progress(alpha_, campaign_id_);
    EXPECT_TRUE(progress.ok());
    return progress.ok() ? progress->total.submitted : -1;
  }

  std::unique_ptr<service::CampaignService> rater_campaigns_;
  std::string campaign_id_, closes_on_, peer_, manager_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(QuestionnairePagesTest, ShowsItemsScaleLabelsPrivacyAndTheContextCheck) {
  Response page = Get(peer_);
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 500);
  EXPECT_EQ(*page.headers.Get("Cache-Control"), "no-store");
  EXPECT_TRUE(Contains(page.body, "Spring 360"));
  EXPECT_TRUE(Contains(page.body, "as their peer"));
  EXPECT_TRUE(Contains(page.body, "Your answers are anonymous"));
  EXPECT_TRUE(Contains(page.body, "at least 3"));
  EXPECT_TRUE(Contains(page.body, "<legend>Builds a shared purpose with partner organisations"));
  EXPECT_TRUE(Contains(page.body, "name=\"item_SYS.1.a\" value=\"1\""));
  EXPECT_TRUE(Contains(page.body, "1 – Rarely"));
  EXPECT_TRUE(Contains(page.body, "5 – Almost always"));
  EXPECT_TRUE(Contains(page.body, "Not observed"));
  EXPECT_TRUE(Contains(page.body, "name=\"comment_SYS\""));
  EXPECT_TRUE(Contains(page.body, "Has protected time to work on partnership priorities."));
  EXPECT_TRUE(Contains(page.body, "Strongly agree"));
  EXPECT_TRUE(Contains(page.body, "Save draft"));
  EXPECT_TRUE(Contains(page.body, ">Submit<"));
  EXPECT_EQ(SubmissionKeyOf(page.body).size(), 22u);
  // No staff navigation and no other rater.
  EXPECT_FALSE(Contains(page.body, "Mo Manager"));
  EXPECT_FALSE(Contains(page.body, "Sign out"));
  EXPECT_FALSE(Contains(page.body, "<script>"));

  Response manager = Get(manager_);
  EXPECT_TRUE(Contains(manager.body, "as their line manager"));
  EXPECT_TRUE(Contains(manager.body, "not anonymous"));
  EXPECT_FALSE(Contains(manager.body, "Pat Peer"));
}

TEST_F(QuestionnairePagesTest, SubjectNamesAreHtmlEscaped) {
  Response page = Get(peer_);
  EXPECT_FALSE(Contains(page.body, "<script>alert(1)"));
  EXPECT_TRUE(Contains(page.body, "&lt;script&gt;alert(1)&lt;/script&gt; Smith"));
}

TEST_F(QuestionnairePagesTest, ASavedDraftIsShownOnReload) {
  Response saved = Post(
      peer_, "action=save&item_SYS.1.a=4&item_SYS.1.b=na&item_CAP1.1=2&comment_SYS=Clear+aims");
  ASSERT_EQ(saved.status, 303) << saved.body.substr(0, 500);
  EXPECT_EQ(*saved.headers.Get("Location"), "/r/" + peer_ + "?saved=1");
  Response page = Call("GET", "/r/" + peer_ + "?saved=1", Session{});
  EXPECT_TRUE(Contains(page.body, "Your draft was saved"));
  EXPECT_TRUE(
      Contains(page.body, "id=\"item-SYS.1.a-4\" name=\"item_SYS.1.a\" value=\"4\" checked"));
  EXPECT_TRUE(
      Contains(page.body, "id=\"item-SYS.1.b-na\" name=\"item_SYS.1.b\" value=\"na\" checked"));
  EXPECT_TRUE(Contains(page.body, "id=\"item-CAP1.1-2\" name=\"item_CAP1.1\" value=\"2\" checked"));
  EXPECT_TRUE(Contains(page.body, ">Clear aims</textarea>"));
  EXPECT_EQ(Submitted(), 0);

  // The autosave script's request gets an empty 204.
  Response autosaved = Post(peer_, "action=save&autosave=1&item_SYS.1.a=5");
  EXPECT_EQ(autosaved.status, 204);
  EXPECT_TRUE(autosaved.body.empty());
  EXPECT_TRUE(Contains(Get(peer_).body, "name=\"item_SYS.1.a\" value=\"5\" checked"));
}

TEST_F(QuestionnairePagesTest, SubmitRecordsOnceAndARetryIsThankedNotDoubled) {
  std::string key = SubmissionKeyOf(Get(peer_).body);
  ASSERT_FALSE(key.empty());
  std::string body = "action=submit&submission_key=" + key +
                     "&item_SYS.1.a=4&item_SYS.1.b=3&item_DATA.1.a=na&comment_DATA=Uses+data";
  Response first = Post(peer_, body);
  ASSERT_EQ(first.status, 200) << first.body.substr(0, 500);
  EXPECT_TRUE(Contains(first.body, "Your answers have been received"));
  EXPECT_EQ(Submitted(), 1);
  auto stored = questionnaires_->Open(peer_, service::SystemNow());
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->submitted);
  ASSERT_TRUE(stored->saved.has_value());
  EXPECT_EQ(stored->saved->answers.size(), 3u);

  Response retry = Post(peer_, body);
  EXPECT_EQ(retry.status, 200);
  EXPECT_TRUE(Contains(retry.body, "Your answers have been received"));
  EXPECT_EQ(Submitted(), 1);

  // Afterwards the link shows the thank-you page, with no form to change anything.
  Response page = Get(peer_);
  EXPECT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "Your answers have been received"));
  EXPECT_TRUE(Contains(page.body, "can no longer be changed"));
  EXPECT_FALSE(Contains(page.body, "<form method=\"post\" action=\"/r/"));
}

TEST_F(QuestionnairePagesTest, ErrorsAreSummarisedAndLinkedToTheField) {
  std::string key = SubmissionKeyOf(Get(peer_).body);
  Response bad =
      Post(peer_, "action=submit&submission_key=" + key + "&item_SYS.1.a=9&item_SYS.1.b=2");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body, "There is a problem"));
  EXPECT_TRUE(Contains(bad.body, "href=\"#item-SYS.1.a-1\""));
  EXPECT_TRUE(Contains(bad.body, "outside the scale 1..5"));
  // What was sent is kept, and the same key is reused.
  EXPECT_TRUE(Contains(bad.body, "name=\"item_SYS.1.b\" value=\"2\" checked"));
  EXPECT_EQ(SubmissionKeyOf(bad.body), key);
  EXPECT_EQ(Submitted(), 0);
}

TEST_F(QuestionnairePagesTest, UnreadableAnswersAndLongCommentsAreRefusedWithLinks) {
  std::string key = SubmissionKeyOf(Get(peer_).body);
  Response bad = Post(peer_, "action=save&submission_key=" + key +
                                 "&item_DATA.1.a=lots&comment_DATA=" + std::string(4001, 'x'));
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body, "href=\"#item-DATA.1.a-1\""));
  EXPECT_TRUE(Contains(bad.body, "choose one of the answers"));
  Response long_comment =
      Post(peer_, "action=save&item_DATA.1.a=2&comment_DATA=" + std::string(4001, 'x'));
  EXPECT_EQ(long_comment.status, 400);
  EXPECT_TRUE(Contains(long_comment.body, "href=\"#comment-DATA\""));
  EXPECT_TRUE(Contains(long_comment.body, "aria-describedby=\"comment-DATA-error\""));
  // Nothing was saved.
  auto stored = questionnaires_->Open(peer_, service::SystemNow());
  ASSERT_TRUE(stored.ok());
  EXPECT_FALSE(stored->saved.has_value());
}

TEST_F(QuestionnairePagesTest, UnknownLinksGetOneNeutralAnswer) {
  for (const std::string& token : {std::string("AAAAAAAAAAAAAAAAAAAAAA"), std::string("x")}) {
    Response page = Get(token);
    EXPECT_EQ(page.status, 404);
    EXPECT_TRUE(Contains(page.body, "This link is not valid"));
    EXPECT_FALSE(Contains(page.body, "Spring 360"));
    Response post = Post(token, "action=save&item_SYS.1.a=3");
    EXPECT_EQ(post.status, 404);
  }
}

TEST_F(QuestionnairePagesTest, AClosedCampaignSaysWhenItClosed) {
  ASSERT_TRUE(rater_campaigns_->Close(alpha_, campaign_id_, "acc_test").ok());
  Response page = Get(peer_);
  EXPECT_EQ(page.status, 409);
  EXPECT_TRUE(Contains(page.body, "This campaign closed on " + closes_on_ + ". Thank you."));
  Response post = Post(peer_, "action=save&item_SYS.1.a=3");
  EXPECT_EQ(post.status, 409);
}

TEST_F(QuestionnairePagesTest, ASignedInStaffSessionPlaysNoPart) {
  // An admin's browser holding a rater link: the page shows no staff navigation, and the POST
  // needs no CSRF token.
  Session admin = SignIn("admin@alpha.example");
  Response page = Call("GET", "/r/" + peer_, admin);
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(Contains(page.body, "Sign out"));
  Response saved = Call("POST", "/r/" + peer_, admin, "action=save&item_SYS.1.a=2",
                        "application/x-www-form-urlencoded");
  EXPECT_EQ(saved.status, 303);
}

}  // namespace
}  // namespace trellis::web
