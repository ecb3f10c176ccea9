// tests/web/campaign_pages_test.cc — the campaign admin pages through the handler layer, over
// real SQLite (app_fixture.h): creating a campaign (errors by field), subjects, nominations
// (self made with the subject; one manager at most), the lifecycle buttons, invitations by
// email through a capturing Mailer, the invitations CSV, progress, and that only admins of the
// campaign's own partnership reach any of it.
#include <gtest/gtest.h>

#include <regex>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::kPassword;
using testing::Session;

class CampaignPagesTest : public AppTest {
 protected:
  std::string AddPerson(const std::string& name, const std::string& email) {
    service::PersonInput in{name, email, alpha_org_, "operational", "generalist", ""};
    auto added = directory_->AddPerson(alpha_, in, "cli");
    EXPECT_TRUE(added.ok()) << added.status().ToString();
    return added.ok() ? added->person.id : "";
  }

  // Creates a campaign through the form and returns its id.
  std::string CreateCampaign(const Session& admin) {
    Response created = PostForm("/campaigns", admin,
                                "name=Spring+360&framework=integrated-care%401&opens_on=2026-03-01"
                                "&closes_on=2026-03-31&min_group=3&context_check=no");
    EXPECT_EQ(created.status, 303) << created.body.substr(0, 2000);
    const std::string* location = created.headers.Get("Location");
    if (location == nullptr) return "";
    std::string id = location->substr(std::string("/campaigns/").size());
    return id.substr(0, id.find('?'));
  }
};

TEST_F(CampaignPagesTest, CreateShowsEachErrorByItsField) {
  Session admin = SignIn("admin@alpha.example");
  Response form = Call("GET", "/campaigns/new", admin);
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("value=\"integrated-care@1\""), std::string::npos);
  EXPECT_NE(
      form.body.find("id=\"min_group\" name=\"min_group\" type=\"text\" inputmode=\"numeric\" "
                     "value=\"3\""),
      std::string::npos);

  struct Case {
    std::string fields, field, words;
  };
  const std::vector<Case> cases = {
      {"name=&framework=integrated-care%401&opens_on=2026-03-01&closes_on=2026-03-31&min_group=3",
       "name", "needs a name"},
      {"name=X&framework=&opens_on=2026-03-01&closes_on=2026-03-31&min_group=3", "framework",
       "choose a framework"},
      {"name=X&framework=integrated-care%401&opens_on=March&closes_on=2026-03-31&min_group=3",
       "opens_on", "March"},
      {"name=X&framework=integrated-care%401&opens_on=2026-03-01&closes_on=2026-02-01&min_group=3",
       "closes_on", "2026-02-01"},
      {"name=X&framework=integrated-care%401&opens_on=2026-03-01&closes_on=2026-03-31&min_group=1",
       "min_group", "1"},
      {"name=X&framework=integrated-care%401&opens_on=2026-03-01&closes_on=2026-03-31&min_group=x",
       "min_group", "whole number"},
      {"name=X&framework=integrated-care%409&opens_on=2026-03-01&closes_on=2026-03-31&min_group=3",
       "framework", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.fields);
    Response page = PostForm("/campaigns", admin, c.fields + "&context_check=no");
    EXPECT_TRUE(page.status == 400 || page.status == 404) << page.status;
    EXPECT_NE(page.body.find("There is a problem"), std::string::npos);
    EXPECT_NE(page.body.find("href=\"#" + c.field + "\""), std::string::npos);
    std::size_t at = page.body.find("id=\"" + c.field + "-error\"");
    if (c.field == "context_check") continue;
    ASSERT_NE(at, std::string::npos) << page.body;
    EXPECT_NE(page.body.substr(at, 300).find(c.words), std::string::npos);
  }
  // Without the context-check framework stored, asking for the context check is refused there.
  Response context = PostForm("/campaigns", admin,
                              "name=X&framework=integrated-care%401&opens_on=2026-03-01&closes_on="
                              "2026-03-31&min_group=3&context_check=yes");
  EXPECT_EQ(context.status, 409);
  EXPECT_NE(context.body.find("href=\"#context_check\""), std::string::npos);
  // What was typed is kept.
  EXPECT_NE(context.body.find("value=\"X\""), std::string::npos);
  EXPECT_EQ(campaigns_->List(alpha_)->size(), 1u);  // only the fixture's
}

TEST_F(CampaignPagesTest, SubjectsNominationsInvitationsCsvAndProgress) {
  Session admin = SignIn("admin@alpha.example");
  const std::string ada = AddPerson("Ada Subject", "ada@alpha.example");
  const std::string max = AddPerson("Max Manager", "max@alpha.example");
  const std::string pat = AddPerson("Pat Peer", "pat@alpha.example");
  const std::string id = CreateCampaign(admin);
  ASSERT_FALSE(id.empty());
  const std::string href = "/campaigns/" + id;

  Response listed = Call("GET", "/campaigns", admin);
  EXPECT_NE(listed.body.find("Spring 360"), std::string::npos);
  EXPECT_NE(listed.body.find("draft"), std::string::npos);

  // Add a subject: a self nomination comes with them.
  EXPECT_EQ(PostForm(href + "/subjects", admin, "").status, 400);
  EXPECT_EQ(PostForm(href + "/subjects", admin, "person_id=" + ada).status, 303);
  Response page = Call("GET", href, admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<h3 id=\"subject-1-title\">Ada Subject</h3>"), std::string::npos);
  EXPECT_NE(page.body.find("<td>Ada Subject</td><td>self</td><td>approved</td>"),
            std::string::npos);

  // A manager, then a second manager: refused, and the page says why.
  EXPECT_EQ(PostForm(href + "/nominations", admin,
                     "subject_id=" + ada + "&rater_person_id=" + max + "&group=manager")
                .status,
            303);
  Response second = PostForm(href + "/nominations", admin,
                             "subject_id=" + ada + "&rater_person_id=" + pat + "&group=manager");
  EXPECT_EQ(second.status, 400);
  EXPECT_NE(second.body.find("There is a problem"), std::string::npos);
  EXPECT_NE(second.body.find("manager"), std::string::npos);
  EXPECT_NE(second.body.find("href=\"#add-rater-" + ada + "\""), std::string::npos);
  // An external rater by name and email.
  EXPECT_EQ(PostForm(href + "/nominations", admin,
                     "subject_id=" + ada +
                         "&rater_person_id=&rater_name=Cy+Community&rater_email=cy%40community."
                         "example&group=community")
                .status,
            303);

  // Invitations need an open campaign: the page says so.
  Response early = PostForm(href + "/invitations", admin, "");
  EXPECT_EQ(early.status, 409);
  EXPECT_NE(early.body.find("draft"), std::string::npos);

  EXPECT_EQ(PostForm(href + "/open", admin, "").status, 303);
  Response sent = PostForm(href + "/invitations", admin, "");
  ASSERT_EQ(sent.status, 303);
  EXPECT_EQ(*sent.headers.Get("Location"), href + "?sent=3&failed=0");
  EXPECT_NE(Call("GET", *sent.headers.Get("Location"), admin).body.find("3 invitations sent"),
            std::string::npos);
  std::vector<testing::CapturingMailer::Message> messages = mailer_.sent();
  ASSERT_EQ(messages.size(), 3u);
  const testing::CapturingMailer::Message* to_max = nullptr;
  for (const auto& m : messages) {
    if (m.to == "max@alpha.example") to_max = &m;
  }
  ASSERT_NE(to_max, nullptr);
  EXPECT_EQ(to_max->subject, "Spring 360: feedback on Ada Subject");
  EXPECT_TRUE(std::regex_search(to_max->body,
                                std::regex("http://trellis\\.test/r/[A-Za-z0-9_-]{22}(\\s|$)")))
      << to_max->body;
  // Nobody left to invite: a second run sends nothing.
  EXPECT_EQ(*PostForm(href + "/invitations", admin, "").headers.Get("Location"),
            href + "?sent=0&failed=0");

  // A new rater, exported for a mail merge.
  EXPECT_EQ(PostForm(href + "/nominations", admin,
                     "subject_id=" + ada + "&rater_person_id=" + pat + "&group=peer")
                .status,
            303);
  EXPECT_NE(Call("GET", href, admin).body.find("New links are issued when you export"),
            std::string::npos);
  // Making the file issues links, so it is a POST with the CSRF token; a GET is not a route.
  EXPECT_EQ(Call("GET", href + "/invitations.csv", admin).status, 405);
  Response csv = PostForm(href + "/invitations.csv", admin, "");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(*csv.headers.Get("Cache-Control"), "no-store");
  EXPECT_EQ(csv.body.substr(0, csv.body.find_first_of("\r\n")),
            "name,email,subject name,group,link");
  EXPECT_TRUE(std::regex_search(
      csv.body, std::regex("Pat Peer,pat@alpha\\.example,Ada Subject,peer,http://trellis\\.test/"
                           "r/[A-Za-z0-9_-]{22}")))
      << csv.body;
  EXPECT_EQ(csv.body.find("max@alpha.example"), std::string::npos);  // invited before

  // Progress: 4 invited, none submitted; everyone is a non-responder, for admins.
  Response progress = Call("GET", href + "/progress", admin);
  ASSERT_EQ(progress.status, 200);
  EXPECT_NE(progress.body.find("0 of 4 invited raters have answered (0%); 4 nominated."),
            std::string::npos)
      << progress.body;
  EXPECT_NE(progress.body.find("<td>Ada Subject</td><td>4</td><td>4</td><td>0</td><td>0%</td>"),
            std::string::npos);
  EXPECT_NE(progress.body.find("<td>manager</td><td>1</td><td>1</td><td>0</td><td>0%</td>"),
            std::string::npos);
  EXPECT_NE(
      progress.body.find("<td>Alpha Acute Trust</td><td>4</td><td>4</td><td>0</td><td>0%</td>"),
      std::string::npos);
  EXPECT_NE(progress.body.find("<td>Cy Community</td><td>cy@community.example</td>"),
            std::string::npos);
  Response list_again = Call("GET", "/campaigns", admin);
  EXPECT_NE(list_again.body.find("0% (0 of 4 invited)"), std::string::npos);

  // Close and release.
  EXPECT_EQ(PostForm(href + "/release", admin, "").status, 409);
  EXPECT_EQ(PostForm(href + "/close", admin, "").status, 303);
  EXPECT_EQ(PostForm(href + "/release", admin, "").status, 303);
  EXPECT_NE(Call("GET", href, admin).body.find("campaign-state-released"), std::string::npos);
}

TEST_F(CampaignPagesTest, ProposalsAreApprovedOrDeclined) {
  Session admin = SignIn("admin@alpha.example");
  const std::string pat = AddPerson("Pat Peer", "pat@alpha.example");
  const std::string cy = AddPerson("Cy Colleague", "cy@alpha.example");
  service::RaterSpec a{alpha_person_, pat, "", "", model::RaterGroup::kPeer};
  service::RaterSpec b{alpha_person_, cy, "", "", model::RaterGroup::kPeer};
  auto proposed = campaigns_->Propose(alpha_, alpha_campaign_, alpha_person_, {a, b}, "acc_test");
  ASSERT_TRUE(proposed.ok()) << proposed.status().ToString();
  const std::string href = "/campaigns/" + alpha_campaign_;
  Response page = Call("GET", href, admin);
  EXPECT_NE(page.body.find("Proposed raters awaiting approval"), std::string::npos);
  EXPECT_EQ(PostForm(href + "/nominations/" + (*proposed)[0].id + "/approve", admin, "").status,
            303);
  EXPECT_EQ(PostForm(href + "/nominations/" + (*proposed)[1].id + "/decline", admin, "").status,
            303);
  auto nominations = campaigns_->Nominations(alpha_, alpha_campaign_);
  ASSERT_TRUE(nominations.ok());
  int approved = 0, declined = 0;
  for (const model::Nomination& n : *nominations) {
    approved += n.status == model::NominationStatus::kApproved;
    declined += n.status == model::NominationStatus::kDeclined;
  }
  EXPECT_EQ(approved, 2);  // self + Pat
  EXPECT_EQ(declined, 1);
  EXPECT_EQ(Call("GET", href, admin).body.find("Proposed raters awaiting approval"),
            std::string::npos);
}

TEST_F(CampaignPagesTest, OnlyAdminsOfTheCampaignsPartnershipReachAnyCampaignRoute) {
  int checked = 0;
  for (const RouteSpec& route : app_->routes()) {
    if (route.pattern.rfind("/campaigns", 0) != 0) continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    for (const char* email : {"member@alpha.example", "board@alpha.example"}) {
      Session session = SignIn(email);
      Response response = route.method == "GET" ? Call("GET", Fill(route.pattern), session)
                                                : PostForm(Fill(route.pattern), session,
                                                           "person_id=" + alpha_person_);
      EXPECT_EQ(response.status, 403) << email;
      EXPECT_EQ(response.body.find("Alpha 360"), std::string::npos);
    }
    if (route.pattern.find("{id}") != std::string::npos) {
      Session beta = SignIn("admin@beta.example");
      Response response = route.method == "GET" ? Call("GET", Fill(route.pattern), beta)
                                                : PostForm(Fill(route.pattern), beta, "");
      EXPECT_EQ(response.status, 404);
      EXPECT_EQ(response.body.find("Alpha 360"), std::string::npos);
    }
    ++checked;
  }
  EXPECT_GE(checked, 14);
  EXPECT_EQ(campaigns_->Get(alpha_, alpha_campaign_)->state, model::CampaignState::kDraft);
  EXPECT_EQ(mailer_.sent().size(), 0u);
}

TEST_F(CampaignPagesTest, TheApiRunsACampaignInJson) {
  Session admin = SignIn("admin@alpha.example");
  const std::string pat = AddPerson("Pat Peer", "pat@alpha.example");
  auto json_call = [&](const std::string& method, const std::string& target,
                       const std::string& body) {
    return Call(method, target, admin, body, "application/json", admin.csrf);
  };
  Response bad =
      json_call("POST", "/api/v1/campaigns",
                R"({"name":"","framework_code":"integrated-care","opens_on":"2026-03-01",)"
                R"("closes_on":"2026-03-31","context_check":false})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/problem+json");
  EXPECT_NE(bad.body.find("field 'name'"), std::string::npos);
  Response created =
      json_call("POST", "/api/v1/campaigns",
                R"({"name":"API 360","framework_code":"integrated-care","opens_on":"2026-03-01",)"
                R"("closes_on":"2026-03-31","context_check":false,"subject_ids":[")" +
                    alpha_person_ + R"("]})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string location = *created.headers.Get("Location");
  EXPECT_NE(created.body.find("\"state\":\"draft\""), std::string::npos);
  Response nominated = json_call("POST", location + "/nominations",
                                 R"({"raters":[{"subject_id":")" + alpha_person_ +
                                     R"(","rater_person_id":")" + pat + R"(","group":"peer"}]})");
  ASSERT_EQ(nominated.status, 201) << nominated.body;
  EXPECT_NE(nominated.body.find("\"rater_name\":\"Pat Peer\""), std::string::npos);
  EXPECT_EQ(json_call("POST", location + "/open", "").status, 200);
  Response sent = json_call("POST", location + "/invitations", "");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(sent.body, R"({"failed":[],"sent":2})");
  Response progress = Call("GET", location + "/progress", admin);
  ASSERT_EQ(progress.status, 200);
  EXPECT_NE(progress.body.find(R"("total":{"invited":2,"nominated":2,"rate":0.0,"submitted":0})"),
            std::string::npos)
      << progress.body;
  EXPECT_NE(progress.body.find("pat@alpha.example"), std::string::npos);  // non-responders
  Response list = Call("GET", "/api/v1/campaigns", admin);
  EXPECT_NE(list.body.find("API 360"), std::string::npos);
  EXPECT_NE(list.body.find("Alpha 360"), std::string::npos);
}

TEST_F(CampaignPagesTest, ASubjectSeesTheirOwnCountsOnlyAndNobodyElseDoes) {
  const std::string pat = AddPerson("Pat Peer", "pat@alpha.example");
  ASSERT_TRUE(campaigns_
                  ->Nominate(alpha_, alpha_campaign_,
                             {{alpha_person_, pat, "", "", model::RaterGroup::kPeer}}, "acc_test")
                  .ok());
  auto linked = auth_->CreateAccount(
      {alpha_, "subject@alpha.example", "Subject", model::Role::kMember, alpha_person_}, kPassword,
      "cli");
  ASSERT_TRUE(linked.ok()) << linked.status().ToString();
  const std::string target =
      "/api/v1/campaigns/" + alpha_campaign_ + "/subjects/" + alpha_person_ + "/progress";
  Response own = Call("GET", target, SignIn("subject@alpha.example"));
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_NE(own.body.find(R"("peer":{"invited":0,"nominated":1,"rate":0.0,"submitted":0})"),
            std::string::npos)
      << own.body;
  EXPECT_EQ(own.body.find("Pat"), std::string::npos);
  EXPECT_EQ(own.body.find("pat@"), std::string::npos);
  EXPECT_EQ(Call("GET", target, SignIn("member@alpha.example")).status, 404);
  EXPECT_EQ(Call("GET", target, SignIn("admin@beta.example")).status, 404);
  EXPECT_EQ(Call("GET", target, SignIn("admin@alpha.example")).status, 200);
}

}  // namespace
}  // namespace trellis::web
