// tests/web/pages_test.cc — what the admin pages show and do, through HandleRequest on the
// application Router: escaping, forms with errors linked to fields, the people CSV import
// (every bad row shown, nothing stored), framework upload and outline, the layout's
// accessibility skeleton.
#include "web/pages.h"

#include <gtest/gtest.h>

#include <fstream>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::Session;

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(AppTest, NamesAreHtmlEscaped) {
  Session admin = SignIn("admin@alpha.example");
  Response people = Call("GET", "/people", admin);
  ASSERT_EQ(people.status, 200);
  EXPECT_FALSE(Contains(people.body, "<script>alert(1)"));
  EXPECT_TRUE(Contains(people.body, "&lt;script&gt;alert(1)&lt;/script&gt; Smith"));
  Response edit = Call("GET", "/people/" + alpha_person_, admin);
  EXPECT_FALSE(Contains(edit.body, "<script>alert(1)"));
  EXPECT_TRUE(Contains(edit.body, "value=\"&lt;script&gt;alert(1)&lt;/script&gt; Smith\""));
}

TEST_F(AppTest, LayoutHasTheAccessibleSkeletonAndNoInlineScriptOrStyle) {
  Session admin = SignIn("admin@alpha.example");
  Response page = Call("GET", "/organisations", admin);
  EXPECT_TRUE(Contains(page.body, "<html lang=\"en\">"));
  EXPECT_TRUE(Contains(page.body, "name=\"viewport\""));
  EXPECT_TRUE(Contains(page.body, "class=\"skip-link\" href=\"#main\""));
  EXPECT_TRUE(Contains(page.body, "<main id=\"main\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/static/trellis.css\""));
  EXPECT_TRUE(Contains(page.body, "src=\"/static/trellis.js\""));
  EXPECT_TRUE(Contains(page.body, "aria-current=\"page\">Organisations"));
  EXPECT_FALSE(Contains(page.body, "<script>"));
  EXPECT_FALSE(Contains(page.body, "<style"));
  EXPECT_FALSE(Contains(page.body, "style=\""));
  EXPECT_NE(page.headers.Get("Content-Security-Policy"), nullptr);
}

TEST_F(AppTest, MembersSeeNoAdminNavigation) {
  Session member = SignIn("member@alpha.example");
  Response page = Call("GET", "/dashboard", member);
  EXPECT_EQ(page.status, 200);
  EXPECT_FALSE(Contains(page.body, "href=\"/people\""));
  EXPECT_TRUE(Contains(page.body, "href=\"/frameworks\""));
}

TEST_F(AppTest, AddingAnOrganisationListsItAndErrorsLinkToTheField) {
  Session admin = SignIn("admin@alpha.example");
  Response added =
      PostForm("/organisations", admin, "name=Alpha+Voluntary+Action&sector=voluntary");
  EXPECT_EQ(added.status, 303);
  Response list = Call("GET", "/organisations", admin);
  EXPECT_TRUE(Contains(list.body, "Alpha Voluntary Action"));
  EXPECT_TRUE(Contains(list.body, "Voluntary and community"));

  Response empty = PostForm("/organisations", admin, "name=&sector=voluntary");
  EXPECT_EQ(empty.status, 400);
  EXPECT_TRUE(Contains(empty.body, "There is a problem"));
  EXPECT_TRUE(Contains(empty.body, "href=\"#name\""));
  EXPECT_TRUE(Contains(empty.body, "aria-invalid=\"true\""));

  Response twice = PostForm("/organisations", admin, "name=Alpha+Acute+Trust&sector=acute");
  EXPECT_EQ(twice.status, 409);
  EXPECT_TRUE(Contains(twice.body, "href=\"#name\""));
}

TEST_F(AppTest, EditingAnOrganisationRenamesIt) {
  Session admin = SignIn("admin@alpha.example");
  Response edit = Call("GET", "/organisations/" + alpha_org_, admin);
  EXPECT_EQ(edit.status, 200);
  EXPECT_TRUE(Contains(edit.body, "value=\"Alpha Acute Trust\""));
  EXPECT_EQ(
      PostForm("/organisations/" + alpha_org_, admin, "name=Alpha+Hospitals&sector=acute").status,
      303);
  EXPECT_EQ((*directory_->ListOrganisations(alpha_))[0].name, "Alpha Hospitals");
}

TEST_F(AppTest, AddingAndEditingAPerson) {
  Session admin = SignIn("admin@alpha.example");
  Response form = Call("GET", "/people/new", admin);
  EXPECT_EQ(form.status, 200);
  EXPECT_TRUE(Contains(form.body, "<legend>Level</legend>"));
  Response added = PostForm("/people", admin,
                            "name=Pat+Lee&email=pat%40alpha.example&organisation_id=" + alpha_org_ +
                                "&level=operational&function=hr&line_manager_id=" + alpha_person_);
  EXPECT_EQ(added.status, 303);
  auto pat = directory_->ListPeople(alpha_, {});
  ASSERT_EQ(pat->size(), 2u);
  Response list = Call("GET", "/people?level=operational", admin);
  EXPECT_TRUE(Contains(list.body, "Pat Lee"));
  EXPECT_FALSE(Contains(list.body, "sam@alpha.example"));
  EXPECT_TRUE(Contains(Call("GET", "/people?q=SAM", admin).body, "sam@alpha.example"));

  Response bad = PostForm("/people", admin,
                          "name=No+Email&email=not-an-email&organisation_id=" + alpha_org_ +
                              "&level=operational&function=hr");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body, "href=\"#email\""));
  EXPECT_TRUE(Contains(bad.body, "value=\"No Email\"")) << "typed values are kept";

  std::string id;
  for (const auto& p : *pat) {
    if (p.person.name == "Pat Lee") id = p.person.id;
  }
  EXPECT_EQ(PostForm("/people/" + id, admin,
                     "name=Pat+Lee-Jones&email=pat%40alpha.example&organisation_id=" + alpha_org_ +
                         "&level=strategic&function=hr")
                .status,
            303);
  EXPECT_EQ(directory_->GetPerson(alpha_, id)->person.name, "Pat Lee-Jones");
}

TEST_F(AppTest, PeopleImportShowsEveryBadRowAndStoresNothing) {
  Session admin = SignIn("admin@alpha.example");
  const std::string csv =
      "name,email,organisation,level,function\n"
      "Ann Good,ann@alpha.example,Alpha Acute Trust,strategic,generalist\n"
      "Bob Bad,bob-at-alpha,Alpha Acute Trust,strategic,generalist\n"
      "Cy Bad,cy@alpha.example,No Such Org,middle,generalist\n";
  Response response = Upload("/people/import", admin, "staff.csv", csv);
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(Contains(response.body, "staff.csv was not imported"));
  EXPECT_TRUE(Contains(response.body, "staff.csv:3"));
  EXPECT_TRUE(Contains(response.body, "staff.csv:4"));
  EXPECT_TRUE(Contains(response.body, "Nothing was stored"));
  EXPECT_EQ(directory_->ListPeople(alpha_, {})->size(), 1u);

  const std::string good =
      "name,email,organisation,level,function\n"
      "Ann Good,ann@alpha.example,Alpha Acute Trust,strategic,generalist\n";
  Response ok = Upload("/people/import", admin, "staff.csv", good);
  EXPECT_EQ(ok.status, 200);
  EXPECT_TRUE(Contains(ok.body, "1 added, 0 updated, 0 unchanged"));
  EXPECT_EQ(directory_->ListPeople(alpha_, {})->size(), 2u);
}

TEST_F(AppTest, ImportWithoutAFileAsksForOne) {
  Session admin = SignIn("admin@alpha.example");
  Response response = PostForm("/people/import", admin, "");
  EXPECT_EQ(response.status, 400);
  EXPECT_TRUE(Contains(response.body, "Choose a CSV file"));
}

TEST_F(AppTest, FrameworkUploadStoresAVersionAndShowsItsOutline) {
  Session admin = SignIn("admin@alpha.example");
  const std::string csv =
      "domain_code,domain,competency_code,competency,item_code,item\n"
      "D1,Working across boundaries,C1,Shared goals,I1,Agrees goals with partners\n"
      "D1,Working across boundaries,C1,Shared goals,I2,Reviews goals <together>\n";
  Response imported = Upload("/frameworks/import", admin, "team-basics.csv", csv);
  ASSERT_EQ(imported.status, 303) << imported.body.substr(0, 500);
  EXPECT_EQ(*imported.headers.Get("Location"), "/frameworks/team-basics/versions/1?imported=new");
  Response outline = Call("GET", "/frameworks/team-basics/versions/1?imported=new", admin);
  EXPECT_EQ(outline.status, 200);
  EXPECT_TRUE(Contains(outline.body, "Imported as version 1"));
  EXPECT_TRUE(Contains(outline.body, "Agrees goals with partners"));
  EXPECT_TRUE(Contains(outline.body, "Reviews goals &lt;together&gt;"));
  EXPECT_TRUE(Contains(outline.body, "1 domains, 1 competencies, 2 items"));

  Response again = Upload("/frameworks/import", admin, "team-basics.csv", csv);
  EXPECT_EQ(*again.headers.Get("Location"),
            "/frameworks/team-basics/versions/1?imported=unchanged");

  Response bad = Upload("/frameworks/import", admin, "broken.csv",
                        "domain_code,domain\nD1,Only two columns\n");
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(Contains(bad.body, "broken.csv")) << bad.body;
  EXPECT_TRUE(Contains(bad.body, "href=\"#file\""));
}

TEST_F(AppTest, FrameworkPagesForEveryRole) {
  Session member = SignIn("member@alpha.example");
  Response list = Call("GET", "/frameworks", member);
  EXPECT_EQ(list.status, 200);
  EXPECT_TRUE(Contains(list.body, "Integrated care management"));
  EXPECT_FALSE(Contains(list.body, "Import a framework")) << "import is for admins";
  Response outline = Call("GET", "/frameworks/integrated-care", member);
  EXPECT_EQ(outline.status, 200);
  EXPECT_TRUE(Contains(outline.body, "Builds a shared purpose with partner organisations"));
  EXPECT_EQ(Call("GET", "/frameworks/integrated-care/versions/9", member).status, 404);
  EXPECT_EQ(Call("GET", "/frameworks/integrated-care/versions/x", member).status, 404);
}

TEST_F(AppTest, AuditLogShowsChanges) {
  Session admin = SignIn("admin@alpha.example");
  PostForm("/organisations", admin, "name=Audited+Org&sector=housing");
  Response audit = Call("GET", "/audit", admin);
  EXPECT_EQ(audit.status, 200);
  EXPECT_TRUE(Contains(audit.body, "organisation"));
}

TEST_F(AppTest, LandingPageIsPublicAndSignedInUsersGoToTheDashboard) {
  Response landing = Call("GET", "/", Session{});
  EXPECT_EQ(landing.status, 200);
  EXPECT_TRUE(Contains(landing.body, "href=\"/login\""));
  Response signed_in = Call("GET", "/", SignIn("board@alpha.example"));
  EXPECT_EQ(signed_in.status, 303);
}

TEST(Templates, LoadReportsAMissingDirectoryAndBadTemplates) {
  EXPECT_EQ(Templates::Load("/nonexistent/templates").status().code(),
            StatusCode::kInvalidArgument);
  trellis::testing::TempDir dir;
  { std::ofstream(dir.path() / "layout.mustache") << "{{#open}}never closed"; }
  Result<Templates> bad = Templates::Load(dir.path());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("layout.mustache"), std::string::npos);
}

TEST(Templates, EscapesByDefault) {
  trellis::testing::TempDir dir;
  {
    std::ofstream(dir.path() / "layout.mustache") << "{{{body}}}";
    std::ofstream(dir.path() / "t.mustache") << "<p title=\"{{v}}\">{{v}}</p>{{> _p}}";
    std::ofstream(dir.path() / "_p.mustache") << "[{{v}}]";
  }
  Result<Templates> templates = Templates::Load(dir.path());
  ASSERT_TRUE(templates.ok()) << templates.status().ToString();
  PageData data;
  data.set("v", "<a href='x'>\"&\"</a>");
  Result<std::string> out = templates->Render("t", data);
  ASSERT_TRUE(out.ok());
  const std::string escaped = "&lt;a href=&apos;x&apos;&gt;&quot;&amp;&quot;&lt;/a&gt;";
  EXPECT_EQ(*out, "<p title=\"" + escaped + "\">" + escaped + "</p>[" + escaped + "]");
}

}  // namespace
}  // namespace trellis::web
