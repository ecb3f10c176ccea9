// The development-plan pages and API through HandleRequest: a subject starts a plan from their
// campaign, adds goals, actions (an overdue one is marked "Overdue") and evidence, shares it
// with their line manager who reads and comments; a colleague and an admin get 404 for it; an
// admin sees the overdue list (no plan content), sends reminders through the Mailer and keeps
// the resource catalogue whose entries are suggested on the plan. Route-wide isolation and
// CSRF checks cover these routes too (isolation_test.cc, auth_middleware_test.cc).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::Session;

class PlanPagesTest : public AppTest {
 protected:
  void SetUp() override {
    AppTest::SetUp();
    // Pat, an Alpha manager with an account, assessed in an open campaign.
    service::PersonInput person{"Pat Subject", "pat@alpha.example", alpha_org_,
                                "operational", "generalist",        ""};
    auto pat = directory_->AddPerson(alpha_, person, "cli");
    ASSERT_TRUE(pat.ok()) << pat.status().ToString();
    pat_person_ = pat->person.id;
    auto account = auth_->CreateAccount(
        {alpha_, "pat.login@alpha.example", "Pat Subject", model::Role::kMember, pat_person_},
        testing::kPassword, "cli");
    ASSERT_TRUE(account.ok()) << account.status().ToString();
    model::Campaign c;
    c.id = campaign_ = "cmp_pat";
    c.partnership_id = alpha_;
    c.name = "Autumn 360";
    c.framework_code = "integrated-care";
    c.framework_version = 1;
    c.opens_on = "2026-01-01";
    c.closes_on = "2026-01-31";
    c.created_at = "2026-01-01T09:00:00Z";
    ASSERT_TRUE(campaign_store_->CreateCampaign(c).ok());
    ASSERT_TRUE(campaign_store_->AddSubjects(alpha_, campaign_, {pat_person_}).ok());
    ASSERT_TRUE(campaign_store_
                    ->UpdateCampaignState(alpha_, campaign_, model::CampaignState::kDraft,
                                          model::CampaignState::kOpen, c.created_at)
                    .ok());
  }

  // Pat's plan on SYS.2 and DATA.1, made through the form; returns its path.
  std::string StartPlan(const Session& pat) {
    Response created =
        PostForm("/plans", pat, "campaign_id=" + campaign_ + "&priority=SYS.2&priority=DATA.1");
    EXPECT_EQ(created.status, 303) << created.body.substr(0, 400);
    std::string location = *created.headers.Get("Location");
    return location.substr(0, location.find('?'));
  }

  std::string pat_person_, campaign_;
};

TEST_F(PlanPagesTest, ASubjectStartsAPlanAndFillsItIn) {
  Session pat = SignIn("pat.login@alpha.example");
  Response list = Call("GET", "/plans", pat);
  EXPECT_EQ(list.status, 200);
  EXPECT_NE(list.body.find("You have no development plan yet"), std::string::npos);
  Response choose = Call("GET", "/plans/new", pat);
  EXPECT_NE(choose.body.find("/plans/new?campaign=cmp_pat"), std::string::npos);
  Response form = Call("GET", "/plans/new?campaign=" + campaign_, pat);
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("Accountability"), std::string::npos);
  EXPECT_NE(form.body.find("name=\"priority\" value=\"DATA.1\""), std::string::npos);
  // None chosen: the form again, with the reason.
  Response refused = PostForm("/plans", pat, "campaign_id=" + campaign_);
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Priorities: choose at least one competency"), std::string::npos);

  const std::string href = StartPlan(pat);
  ASSERT_EQ(href.rfind("/plans/pln_", 0), 0u) << href;
  Response page = Call("GET", href + "?created=1", pat);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Development plan: Pat Subject"), std::string::npos);
  EXPECT_NE(page.body.find("Plan started."), std::string::npos);
  EXPECT_LT(page.body.find("Accountability"), page.body.find("Uses shared data"));

  EXPECT_EQ(
      PostForm(href + "/goals", pat, "competency_code=SYS.2&n=1&goal=Name+every+owner").status,
      303);
  EXPECT_EQ(PostForm(href + "/actions", pat,
                     "competency_code=SYS.2&n=1&description=Map+owners&due_on=2026-01-15")
                .status,
            303);
  EXPECT_EQ(PostForm(href + "/actions", pat,
                     "competency_code=DATA.1&n=2&description=SPC+course&due_on=2099-01-01")
                .status,
            303);
  Response bad_date = PostForm(
      href + "/actions", pat,
      "competency_code=SYS.2&n=1&description=Brief+the+board&owner=Kim&due_on=15%2F01%2F2026");
  EXPECT_EQ(bad_date.status, 400);
  EXPECT_NE(bad_date.body.find("Due on: the due date must be a date (YYYY-MM-DD)"),
            std::string::npos);
  EXPECT_NE(bad_date.body.find("href=\"#due_on-1\""), std::string::npos);
  // What was typed is still there, and the message sits beside the date field.
  EXPECT_NE(bad_date.body.find("id=\"description-1\" name=\"description\" type=\"text\" "
                               "value=\"Brief the board\""),
            std::string::npos);
  EXPECT_NE(bad_date.body.find("value=\"Kim\""), std::string::npos);
  EXPECT_NE(bad_date.body.find("value=\"15/01/2026\""), std::string::npos);
  EXPECT_NE(bad_date.body.find("id=\"due_on-1-error\""), std::string::npos);
  EXPECT_EQ(bad_date.body.find("id=\"due_on-2-error\""), std::string::npos);
  EXPECT_EQ(
      bad_date.body.find("value=\"Brief the board\"", bad_date.body.find("id=\"description-2\"")),
      std::string::npos);  // only the refused priority's form keeps it
  Response empty_comment = PostForm(href + "/comments", pat, "body=+");
  EXPECT_EQ(empty_comment.status, 400) << empty_comment.body.substr(0, 300);
  EXPECT_NE(empty_comment.body.find("id=\"comment-body-error\""), std::string::npos);
  EXPECT_EQ(PostForm(href + "/evidence", pat, "competency_code=SYS.2&n=1&note=Board+paper").status,
            303);

  page = Call("GET", href, pat);
  EXPECT_NE(page.body.find("Name every owner"), std::string::npos);
  EXPECT_NE(page.body.find("Board paper"), std::string::npos);
  // The past-due action is marked in words; the future one is not.
  const std::size_t overdue_row = page.body.find("class=\"action-overdue\"");
  ASSERT_NE(overdue_row, std::string::npos);
  EXPECT_LT(overdue_row, page.body.find("Map owners"));
  EXPECT_NE(page.body.find("Overdue</strong>"), std::string::npos);
  EXPECT_EQ(page.body.find("class=\"action-overdue\"", overdue_row + 1), std::string::npos);
  EXPECT_NE(Call("GET", "/plans", pat).body.find("Your overdue actions"), std::string::npos);
}

TEST_F(PlanPagesTest, OnlyTheSharedLineManagerReadsAndCommentsNobodyElse) {
  Session pat = SignIn("pat.login@alpha.example");
  const std::string href = StartPlan(pat);
  ASSERT_EQ(PostForm(href + "/goals", pat, "competency_code=SYS.2&n=1&goal=Secret+goal").status,
            303);
  Session member = SignIn("member@alpha.example");
  Session admin = SignIn("admin@alpha.example");
  Session beta = SignIn("admin@beta.example");
  for (const Session* who : {&member, &admin, &beta}) {
    Response denied = Call("GET", href, *who);
    EXPECT_EQ(denied.status, 404);
    EXPECT_EQ(denied.body.find("Secret goal"), std::string::npos);
    EXPECT_EQ(Call("GET", "/api/v1" + href, *who).status, 404);
    EXPECT_EQ(PostForm(href + "/comments", *who, "body=hello").status, 404);
  }
  Response unknown = PostForm(href + "/shares", pat, "email=nobody%40alpha.example&role=coach");
  EXPECT_EQ(unknown.status, 400);
  EXPECT_NE(unknown.body.find("no account of your partnership signs in as"), std::string::npos);
  // The refused form keeps what was typed and chosen: resubmitting cannot grant another role.
  EXPECT_NE(unknown.body.find(R"(value="nobody@alpha.example")"), std::string::npos);
  EXPECT_NE(unknown.body.find(R"(<option value="coach" selected>Coach</option>)"),
            std::string::npos);
  Response shared =
      PostForm(href + "/shares", pat, "email=member%40alpha.example&role=line_manager");
  EXPECT_EQ(shared.status, 303);

  Response read = Call("GET", href, member);
  EXPECT_EQ(read.status, 200);
  EXPECT_NE(read.body.find("Secret goal"), std::string::npos);
  EXPECT_NE(read.body.find("You see it as Pat Subject's line manager"), std::string::npos);
  EXPECT_EQ(read.body.find("Save goal"), std::string::npos);  // no editing forms
  EXPECT_EQ(PostForm(href + "/goals", member, "competency_code=SYS.2&n=1&goal=x").status, 403);
  EXPECT_EQ(PostForm(href + "/comments", member, "body=Let%27s+talk+on+Monday").status, 303);
  EXPECT_NE(Call("GET", "/plans", member).body.find("Pat Subject"), std::string::npos);
  Response with_comment = Call("GET", href, pat);
  EXPECT_NE(with_comment.body.find("Let&apos;s talk on Monday"), std::string::npos);
  EXPECT_NE(with_comment.body.find("User member@alpha.example"), std::string::npos);
  // Still not the admin's or board's to read.
  EXPECT_EQ(Call("GET", href, admin).status, 404);
  EXPECT_EQ(Call("GET", href, SignIn("board@alpha.example")).status, 404);
}

TEST_F(PlanPagesTest, AdminsSeeOverdueActionsNotPlansAndSendReminders) {
  Session pat = SignIn("pat.login@alpha.example");
  const std::string href = StartPlan(pat);
  ASSERT_EQ(PostForm(href + "/goals", pat, "competency_code=SYS.2&n=1&goal=Secret+goal").status,
            303);
  ASSERT_EQ(PostForm(href + "/actions", pat,
                     "competency_code=SYS.2&n=1&description=Map+owners&due_on=2026-01-15")
                .status,
            303);
  Session admin = SignIn("admin@alpha.example");
  Response overdue = Call("GET", "/plans/overdue", admin);
  EXPECT_EQ(overdue.status, 200);
  EXPECT_NE(overdue.body.find("Pat Subject"), std::string::npos);
  EXPECT_NE(overdue.body.find("Map owners"), std::string::npos);
  EXPECT_NE(overdue.body.find("2026-01-15"), std::string::npos);
  EXPECT_EQ(overdue.body.find("Secret goal"), std::string::npos);
  EXPECT_EQ(Call("GET", "/plans/overdue", SignIn("member@alpha.example")).status, 403);

  Response sent = PostForm("/plans/overdue/reminders", admin, "");
  EXPECT_EQ(sent.status, 303);
  // Pat and the fixture's own overdue plan owner each get one message.
  EXPECT_EQ(*sent.headers.Get("Location"), "/plans/overdue?reminded=2&failed=0");
  bool to_pat = false;
  for (const auto& m : mailer_.sent()) {
    if (m.to != "pat@alpha.example") continue;
    to_pat = true;
    EXPECT_EQ(m.subject, "Development plan: 1 overdue action");
    EXPECT_NE(m.body.find("- Map owners (due 2026-01-15)\n  http://trellis.test" + href),
              std::string::npos);
  }
  EXPECT_TRUE(to_pat);
  EXPECT_NE(
      Call("GET", "/plans/overdue?reminded=2&failed=0", admin).body.find("2 reminder emails sent."),
      std::string::npos);
}

TEST_F(PlanPagesTest, TheCatalogueIsKeptByAdminsAndSuggestedOnPlans) {
  Session admin = SignIn("admin@alpha.example");
  Response refused = PostForm("/resources", admin, "title=Bad&url=ftp%3A%2F%2Fx&tags=SYS.2");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("Url: a link starts with https:// or http://"), std::string::npos);
  EXPECT_NE(refused.body.find("value=\"Bad\""), std::string::npos);  // kept for correction
  EXPECT_EQ(PostForm("/resources", admin,
                     "title=Data+for+improvement&description=Two+days+on+SPC&tags=DATA.1")
                .status,
            303);
  EXPECT_NE(Call("GET", "/resources", admin).body.find("Data for improvement"), std::string::npos);
  EXPECT_EQ(Call("GET", "/resources", SignIn("member@alpha.example")).status, 403);
  Session pat = SignIn("pat.login@alpha.example");
  Response page = Call("GET", StartPlan(pat), pat);
  EXPECT_NE(page.body.find("<strong>Data for improvement</strong>: Two days on SPC"),
            std::string::npos);
  EXPECT_NE(page.body.find("https://example.org"), std::string::npos);  // the fixture's SYS.2
}

TEST_F(PlanPagesTest, EveryPlanRouteIs404ForAColleagueItIsNotSharedWith) {
  // The fixture's plan of Alpha's person is shared with Alpha's admin only.
  int checked = 0;
  for (const RouteSpec& route : app_->routes()) {
    if (route.pattern.find("/plans/{id}") == std::string::npos) continue;
    for (const char* email : {"member@alpha.example", "board@alpha.example"}) {
      SCOPED_TRACE(std::string(email) + " " + route.method + " " + route.pattern);
      Session colleague = SignIn(email);
      const std::string target = Fill(route.pattern);
      Response response =
          route.method == "GET" ? Call("GET", target, colleague)
          : route.surface == Surface::kApi
              ? Call(
                    route.method, target, colleague,
                    R"({"competency_code":"SYS.2","goal":"x","description":"x","due_on":"2026-05-01","status":"done","email":"member@alpha.example","role":"coach","note":"x","body":"x"})",
                    "application/json", colleague.csrf)
              : PostForm(target, colleague,
                         "competency_code=SYS.2&goal=x&description=x&due_on=2026-05-01&status=done&"
                         "email=member%40alpha.example&role=coach&note=x&body=x");
      EXPECT_EQ(response.status, 404) << response.body.substr(0, 300);
      EXPECT_EQ(response.body.find("A private"), std::string::npos);
    }
    ++checked;
  }
  EXPECT_GE(checked, 16);
  // Nothing changed.
  auto plan = plan_store_->GetPlan(alpha_, alpha_plan_);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->priorities[0].goal, "A private goal");
  EXPECT_EQ(plan->actions.size(), 1u);
  EXPECT_EQ(plan->actions[0].status, storage::ActionStatus::kNotStarted);
  EXPECT_EQ(plan->shares.size(), 1u);
  EXPECT_TRUE(plan->comments.empty());
  EXPECT_TRUE(plan->evidence.empty());
}

TEST_F(PlanPagesTest, TheApiStartsAndReadsAPlan) {
  Session pat = SignIn("pat.login@alpha.example");
  Response created =
      Call("POST", "/api/v1/plans", pat, R"({"campaign_id":"cmp_pat","priorities":["DATA.1"]})",
           "application/json", pat.csrf);
  ASSERT_EQ(created.status, 201) << created.body;
  auto plan = nlohmann::json::parse(created.body);
  EXPECT_EQ(plan["access"], "owner");
  EXPECT_EQ(plan["priorities"][0]["title"], "Uses shared data");
  const std::string id = plan["id"];
  Response action =
      Call("POST", "/api/v1/plans/" + id + "/actions", pat,
           R"({"competency_code":"DATA.1","description":"Read","due_on":"2026-01-02"})",
           "application/json", pat.csrf);
  ASSERT_EQ(action.status, 201) << action.body;
  EXPECT_EQ(nlohmann::json::parse(action.body)["priorities"][0]["actions"][0]["overdue"], true);
  Response mine = Call("GET", "/api/v1/plans", pat);
  EXPECT_EQ(nlohmann::json::parse(mine.body)["overdue"][0]["description"], "Read");
  Response wrong =
      Call("POST", "/api/v1/plans", pat, R"({"campaign_id":"cmp_pat","priorities":"x"})",
           "application/json", pat.csrf);
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/plans/" + id, SignIn("admin@alpha.example")).status, 404);
}

}  // namespace
}  // namespace trellis::web
