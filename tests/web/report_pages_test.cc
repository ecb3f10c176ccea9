// tests/web/report_pages_test.cc — the individual report pages and API through the handler
// layer over real SQLite (app_fixture.h): the page shows the exact figures of the seeded
// ratings, a withheld group says why, another person's report is 403 until the subject shares
// it, the exports (CSV, xlsx, JSON, JSON Lines) carry the same suppressed figures, and the lists.
#include <gtest/gtest.h>

#include <chrono>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::kPassword;
using testing::Session;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class ReportPagesTest : public AppTest {
 protected:
  // Alpha's campaign with ratings for its subject (Sam, strategic clinical: the strategic
  // generalist profile applies, SYS.1 expected 4 of importance 3), closed and released.
  //           SYS.1.a SYS.1.b SYS.2.a DATA.1.a-c
  //   self       4       4       4     4 4 4
  //   manager    3       3       2     4 4 4
  //   peer 1     2       3       2     3 3 3
  //   peer 2     3       3       3     4 4 5
  //   peer 3     2       3       2     (not observed)
  // SYS.1 others = (3 + 2.5 + 3 + 2.5) / 4 = 2.75; peers (2.5 + 3 + 2.5) / 3 = 2.67;
  // DATA.1: two peers → withheld.
  void SetUp() override {
    AppTest::SetUp();
    auto nominated = campaigns_->Nominate(
        alpha_, alpha_campaign_,
        {{alpha_person_, "", "Mo Manager", "mo@alpha.example", model::RaterGroup::kManager},
         {alpha_person_, "", "Pia Peer", "pia@alpha.example", model::RaterGroup::kPeer},
         {alpha_person_, "", "Pete Peer", "pete@alpha.example", model::RaterGroup::kPeer},
         {alpha_person_, "", "Pat Peer", "pat@alpha.example", model::RaterGroup::kPeer}},
        "cli");
    ASSERT_TRUE(nominated.ok()) << nominated.status().ToString();
    ASSERT_TRUE(campaigns_->Open(alpha_, alpha_campaign_, "cli").ok());
    auto invitations = campaigns_->ExportInvitations(alpha_, alpha_campaign_, "cli");
    ASSERT_TRUE(invitations.ok());
    std::map<std::string, std::string> token;
    for (const auto& inv : *invitations)
      token[inv.rater_email] = inv.link.substr(inv.link.rfind("/r/") + 3);
    const auto when = std::chrono::sys_days(std::chrono::year(2026) / 3 / 2);
    auto submit = [&](const std::string& email, std::vector<int> scores) {
      static const char* kItems[] = {"SYS.1.a",  "SYS.1.b",  "SYS.2.a",
                                     "DATA.1.a", "DATA.1.b", "DATA.1.c"};
      std::vector<model::Answer> answers;
      for (size_t i = 0; i < scores.size(); ++i) answers.push_back({kItems[i], scores[i]});
      auto r = questionnaires_->Submit(token[email], answers, {{"SYS", "Comment from " + email}},
                                       "k", when);
      ASSERT_TRUE(r.ok()) << email << ": " << r.status().ToString();
    };
    submit("sam@alpha.example", {4, 4, 4, 4, 4, 4});
    submit("mo@alpha.example", {3, 3, 2, 4, 4, 4});
    submit("pia@alpha.example", {2, 3, 2, 3, 3, 3});
    submit("pete@alpha.example", {3, 3, 3, 4, 4, 5});
    submit("pat@alpha.example", {2, 3, 2});
    ASSERT_TRUE(campaigns_->Close(alpha_, alpha_campaign_, "cli").ok());
    ASSERT_TRUE(campaigns_->Release(alpha_, alpha_campaign_, "cli").ok());
    reports_->WaitForPrerendering();  // the release's background pass (app_fixture.h)
    auto sam = auth_->CreateAccount(
        {alpha_, "sam.account@alpha.example", "Sam", model::Role::kMember, alpha_person_},
        kPassword, "cli");
    ASSERT_TRUE(sam.ok()) << sam.status().ToString();
    href_ = "/reports/" + alpha_campaign_ + "/" + alpha_person_;
  }

  std::string href_;
};

TEST_F(ReportPagesTest, TheSubjectSeesTheExactFiguresAndWhyAFigureIsWithheld) {
  Session sam = SignIn("sam.account@alpha.example");
  Response page = Call("GET", href_, sam);
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 3000);
  const std::string& b = page.body;
  // SYS.1: self 4.00, others 2.75 of 4 raters, gap −1.25 and a blind spot.
  EXPECT_TRUE(Contains(b, "<td>4.00</td>\n        <td>2.75 <span class=\"n\">(n = 4)</span></td>"))
      << b;
  EXPECT_TRUE(Contains(b,
                       "-1.25<br><strong class=\"flag\">Blind spot: you rate yourself higher "
                       "than others do</strong>"));
  EXPECT_TRUE(Contains(b, "<li>Line manager: 3.00 (n = 1)</li><li>Peers: 2.67 (n = 3)</li>"));
  // Role profile: 2.75 − 4 = −1.25, weighted by importance 3: −3.75.
  EXPECT_TRUE(Contains(b, "expected 4, essential (3); gap -1.25, weighted -3.75"));
  // DATA.1: two peers answered.
  EXPECT_TRUE(Contains(b,
                       "withheld <span class=\"withheld\">(fewer than 3 raters other than the "
                       "line manager answered)</span>"));
  EXPECT_TRUE(Contains(b, "Peers: withheld: fewer than 3 peers answered"));
  // Charts are images with a title, backed by a table of the same numbers.
  EXPECT_TRUE(Contains(b, "role=\"img\""));
  EXPECT_TRUE(Contains(b, "<title id=\"radar-overall-title\">Self and others by domain</title>"));
  EXPECT_TRUE(Contains(b, "SYS.1: self 4.00, others 2.75."));
  // Comments under the shown peer group, alphabetical; the plan link; the sharing form.
  EXPECT_TRUE(Contains(b,
                       "<li>Comment from pat@alpha.example</li><li>Comment from "
                       "pete@alpha.example</li><li>Comment from pia@alpha.example</li>"));
  EXPECT_TRUE(Contains(b, "href=\"/plans/new?campaign=" + alpha_campaign_ + "\""));
  EXPECT_TRUE(Contains(b, "Share this report"));
  EXPECT_TRUE(Contains(b, "/static/report.css"));
}

TEST_F(ReportPagesTest, AnotherPersonsReportIsForbiddenUntilShared) {
  Session member = SignIn("member@alpha.example");
  EXPECT_EQ(Call("GET", href_, member).status, 403);
  EXPECT_EQ(Call("GET", href_ + "/report.csv", member).status, 403);
  EXPECT_EQ(
      Call("GET", "/api/v1/campaigns/" + alpha_campaign_ + "/reports/" + alpha_person_, member)
          .status,
      403);
  EXPECT_EQ(Call("GET", href_, SignIn("board@alpha.example")).status, 403);
  EXPECT_EQ(Call("GET", href_, SignIn("admin@beta.example")).status, 404);
  Response admin = Call("GET", href_, SignIn("admin@alpha.example"));
  EXPECT_EQ(admin.status, 200);
  EXPECT_FALSE(Contains(admin.body, "Share this report"));

  Session sam = SignIn("sam.account@alpha.example");
  Response shared =
      PostForm("/reports/" + alpha_campaign_ + "/shares", sam, "email=member%40alpha.example");
  ASSERT_EQ(shared.status, 303);
  EXPECT_EQ(*shared.headers.Get("Location"), href_ + "?shared=1#sharing");
  Response seen = Call("GET", href_, member);
  EXPECT_EQ(seen.status, 200);
  EXPECT_TRUE(Contains(seen.body, "2.75"));
  Response mine = Call("GET", "/reports", member);
  EXPECT_TRUE(Contains(mine.body, "href=\"" + href_ + "\""));
  auto account = directory_store_->FindAccountForSignIn("member@alpha.example");
  ASSERT_TRUE(account.ok());
  Response revoked = PostForm(
      "/reports/" + alpha_campaign_ + "/shares/" + account->account.id + "/revoke", sam, "");
  ASSERT_EQ(revoked.status, 303);
  EXPECT_EQ(Call("GET", href_, member).status, 403);
  Response unknown =
      PostForm("/reports/" + alpha_campaign_ + "/shares", sam, "email=nobody%40alpha.example");
  ASSERT_EQ(unknown.status, 303);
  EXPECT_TRUE(Contains(*unknown.headers.Get("Location"), "share_error=no%20account"));
}

TEST_F(ReportPagesTest, ExportsCarryTheSameSuppressedFigures) {
  Session sam = SignIn("sam.account@alpha.example");
  Response csv = Call("GET", href_ + "/report.csv", sam);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(
      Contains(csv.body, "competency,SYS.1,Shared purpose,4,2.75,4,3,1,2.6666666666666665,3,"));
  EXPECT_TRUE(Contains(csv.body, "peer: fewer than 3 peers answered"));
  Response xlsx = Call("GET", href_ + "/report.xlsx", sam);
  ASSERT_EQ(xlsx.status, 200);
  EXPECT_EQ(xlsx.body.substr(0, 2), "PK");
  Response json =
      Call("GET", "/api/v1/campaigns/" + alpha_campaign_ + "/reports/" + alpha_person_, sam);
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_TRUE(Contains(json.body, "\"SYS.1\":{\"self\":4,\"others\":{\"mean\":2.75,\"n\":4}"))
      << json.body;
  EXPECT_TRUE(Contains(json.body,
                       "\"DATA.1\":\"fewer than 3 raters other than the line manager "
                       "answered\""));
  Response lines = Call("GET", "/api/v1/campaigns/" + alpha_campaign_ + "/reports",
                        SignIn("admin@alpha.example"));
  ASSERT_EQ(lines.status, 200);
  EXPECT_EQ(lines.content_type, "application/jsonl; charset=utf-8");
  EXPECT_EQ(std::count(lines.body.begin(), lines.body.end(), '\n'), 1);
  EXPECT_EQ(Call("GET", "/api/v1/campaigns/" + alpha_campaign_ + "/reports",
                 SignIn("member@alpha.example"))
                .status,
            403);
}

TEST_F(ReportPagesTest, ListsForTheSubjectAndTheAdmin) {
  Response mine = Call("GET", "/reports", SignIn("sam.account@alpha.example"));
  ASSERT_EQ(mine.status, 200);
  EXPECT_TRUE(Contains(mine.body, "<a href=\"" + href_ + "\">Alpha 360</a>"));
  Session admin = SignIn("admin@alpha.example");
  Response list = Call("GET", "/campaigns/" + alpha_campaign_ + "/reports", admin);
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(Contains(list.body, "href=\"" + href_ + "\""));
  Response campaign = Call("GET", "/campaigns/" + alpha_campaign_, admin);
  EXPECT_TRUE(Contains(campaign.body, "/campaigns/" + alpha_campaign_ + "/reports"));
  EXPECT_EQ(
      Call("GET", "/campaigns/" + alpha_campaign_ + "/reports", SignIn("member@alpha.example"))
          .status,
      403);
}

TEST_F(ReportPagesTest, ThePartnershipPageAndTheCampaignListShowTheResponseRates) {
  // Sam's five raters (self, manager, three peers) were all invited and all answered.
  Response page =
      Call("GET", "/partnership?campaign=" + alpha_campaign_, SignIn("board@alpha.example"));
  ASSERT_EQ(page.status, 200) << page.body.substr(0, 3000);
  EXPECT_TRUE(Contains(page.body, "<p>100% of invited raters answered.</p>")) << page.body;
  EXPECT_TRUE(Contains(page.body,
                       "<tr><th scope=\"row\">Alpha Acute Trust</th><td>5</td><td>5</td>"
                       "<td>100%</td></tr>"))
      << page.body;
  Response list = Call("GET", "/campaigns", SignIn("admin@alpha.example"));
  ASSERT_EQ(list.status, 200);
  EXPECT_TRUE(Contains(list.body, "(5 of 5 invited)")) << list.body;
}

TEST_F(ReportPagesTest, TheSubjectsOwnCommentsAreLabelledForTheReader) {
  // Sam's own comment reads "Your own comments" to Sam, and names Sam to anyone else.
  Response own = Call("GET", href_, SignIn("sam.account@alpha.example"));
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(Contains(own.body,
                       "<h4>Your own comments</h4>\n  <ul class=\"comments\"><li>Comment from "
                       "sam@alpha.example</li></ul>"))
      << own.body;
  for (const char* reader : {"admin@alpha.example", "admin@alpha.example"}) {
    // Twice: the second view is served from the kept body.
    Response admin = Call("GET", href_, SignIn(reader));
    ASSERT_EQ(admin.status, 200);
    EXPECT_FALSE(Contains(admin.body, "Your own comments")) << admin.body;
    EXPECT_TRUE(Contains(
        admin.body, "<h4>&lt;script&gt;alert(1)&lt;/script&gt; Smith&apos;s own comments</h4>"))
        << admin.body;
  }
  // And Sam's page is still Sam's after the admin's views.
  EXPECT_TRUE(
      Contains(Call("GET", href_, SignIn("sam.account@alpha.example")).body, "Your own comments"));
}

TEST_F(ReportPagesTest, ReleasingPrerendersEveryReport) {
  // Released through the service in SetUp (as `trellis demo` or any other path would): rendered.
  EXPECT_EQ(reports_->Prerendered(alpha_, alpha_campaign_), 1u);
  // A second campaign on Sam, closed with no answers; released through the campaign page.
  auto autumn =
      campaigns_->Create(AlphaSpec("Alpha 360 autumn", "2026-06-01", "2026-12-31"), "cli");
  ASSERT_TRUE(autumn.ok()) << autumn.status().ToString();
  ASSERT_TRUE(campaigns_->Open(alpha_, autumn->id, "cli").ok());
  ASSERT_TRUE(campaigns_->Close(alpha_, autumn->id, "cli").ok());
  ASSERT_TRUE(reports_->Figures(alpha_, autumn->id).ok());
  EXPECT_EQ(reports_->Prerendered(alpha_, autumn->id), 0u);
  Session admin = SignIn("admin@alpha.example");
  Response released = PostForm("/campaigns/" + autumn->id + "/release", admin, "");
  ASSERT_EQ(released.status, 303) << released.body;
  reports_->WaitForPrerendering();
  EXPECT_EQ(reports_->Prerendered(alpha_, autumn->id), 1u);
  auto figures = reports_->Figures(alpha_, autumn->id);
  ASSERT_TRUE(figures.ok());
  EXPECT_EQ((*figures)->campaign.state, model::CampaignState::kReleased);
  // The page shows the kept body: Sam's report in the autumn campaign, nobody answered.
  Response page = Call("GET", "/reports/" + autumn->id + "/" + alpha_person_, admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_TRUE(Contains(page.body, "No comments can be shown.")) << page.body;

  // Dropped with the figures.
  reports_->ClearCache();
  EXPECT_EQ(reports_->Prerendered(alpha_, autumn->id), 0u);
  // A server's start renders only the partnership's latest release in the background (here
  // both were released in the same second; tests/service/report_service_test.cc has the order);
  // the other waits for its first view.
  ASSERT_TRUE(reports_->PrerenderReleased().ok());
  reports_->WaitForPrerendering();
  EXPECT_EQ(
      reports_->Prerendered(alpha_, autumn->id) + reports_->Prerendered(alpha_, alpha_campaign_),
      1u);
}

// The erasure request from the person page: a wrong name erases nothing and says so beside the
// field; the right one erases, and the cached report no longer shows the name.
TEST_F(ReportPagesTest, ErasingTheSubjectFromTheirPageDropsTheNameFromTheCachedReport) {
  Session admin = SignIn("admin@alpha.example");
  const std::string escaped_name = "&lt;script&gt;alert(1)&lt;/script&gt; Smith";
  ASSERT_TRUE(Contains(Call("GET", href_, admin).body, escaped_name));  // figures now cached
  Response person = Call("GET", "/people/" + alpha_person_, admin);
  EXPECT_TRUE(Contains(person.body, "Erasure request"));
  EXPECT_TRUE(Contains(person.body, "action=\"/people/" + alpha_person_ + "/erase\""));

  Response wrong = PostForm("/people/" + alpha_person_ + "/erase", admin, "confirm_name=Sam");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_TRUE(Contains(wrong.body, "id=\"confirm_name-error\""));
  EXPECT_TRUE(Contains(wrong.body, "to confirm the erasure"));
  EXPECT_FALSE(directory_->GetPerson(alpha_, alpha_person_)->erased());

  Response erased = PostForm("/people/" + alpha_person_ + "/erase", admin,
                             "confirm_name=%3Cscript%3Ealert%281%29%3C%2Fscript%3E+Smith");
  EXPECT_EQ(erased.status, 303);
  EXPECT_EQ(*erased.headers.Get("Location"), "/people");
  EXPECT_TRUE(directory_->GetPerson(alpha_, alpha_person_)->erased());
  EXPECT_TRUE(Contains(Call("GET", "/people/" + alpha_person_, admin).body, "has been erased"));
  EXPECT_FALSE(Contains(Call("GET", "/people", admin).body, escaped_name));
  Response report = Call("GET", href_, admin);
  ASSERT_EQ(report.status, 200);  // still the report, without the name
  EXPECT_FALSE(Contains(report.body, escaped_name));
}

}  // namespace
}  // namespace trellis::web
