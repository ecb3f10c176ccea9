// tests/web/api_v1_test.cc — the JSON API: cookie + X-CSRF-Token auth, organisations, people,
// their CSV import, frameworks as native JSON, problems for errors.
#include "web/api_v1.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using nlohmann::json;
using testing::AppTest;
using testing::Session;

class ApiTest : public AppTest {
 protected:
  Response Send(const std::string& method, const std::string& target, const std::string& body,
                const std::string& type = "application/json") {
    return Call(method, target, admin_, body, type, admin_.csrf);
  }
  void SetUp() override {
    AppTest::SetUp();
    admin_ = SignIn("admin@alpha.example");
  }
  Session admin_;
};

TEST_F(ApiTest, SessionTellsWhoIsSignedInAndTheCsrfToken) {
  Response response = Call("GET", "/api/v1/session", admin_);
  ASSERT_EQ(response.status, 200);
  json body = json::parse(response.body);
  EXPECT_EQ(body["role"], "admin");
  EXPECT_EQ(body["partnership_id"], alpha_);
  EXPECT_EQ(body["csrf_token"], admin_.csrf);
}

TEST_F(ApiTest, OrganisationsCreateListGetUpdate) {
  Response created =
      Send("POST", "/api/v1/organisations", R"({"name":"Alpha Housing","sector":"housing"})");
  ASSERT_EQ(created.status, 201) << created.body;
  json org = json::parse(created.body);
  EXPECT_EQ(org["sector"], "housing");
  EXPECT_EQ(*created.headers.Get("Location"),
            "/api/v1/organisations/" + org["id"].get<std::string>());
  json list = json::parse(Call("GET", "/api/v1/organisations", admin_).body);
  EXPECT_EQ(list["organisations"].size(), 2u);
  Response got = Call("GET", "/api/v1/organisations/" + org["id"].get<std::string>(), admin_);
  EXPECT_EQ(json::parse(got.body)["name"], "Alpha Housing");
  Response updated = Send("PUT", "/api/v1/organisations/" + org["id"].get<std::string>(),
                          R"({"name":"Alpha Homes","sector":"housing"})");
  EXPECT_EQ(json::parse(updated.body)["name"], "Alpha Homes");

  Response bad = Send("POST", "/api/v1/organisations", R"({"name":"X","sector":"pirates"})");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/problem+json");
  EXPECT_EQ(Send("POST", "/api/v1/organisations", "not json").status, 400);
  EXPECT_EQ(Send("POST", "/api/v1/organisations", R"({"name":7})").status, 400);
}

TEST_F(ApiTest, PeopleCreateGetUpdateAndFilter) {
  std::string body = R"({"name":"Pat","email":"pat@alpha.example","organisation_id":")" +
                     alpha_org_ + R"(","level":"operational","function":"data"})";
  Response created = Send("POST", "/api/v1/people", body);
  ASSERT_EQ(created.status, 201) << created.body;
  json pat = json::parse(created.body);
  EXPECT_EQ(pat["function"], "data");
  EXPECT_TRUE(pat["line_manager_id"].is_null());
  EXPECT_EQ(Send("POST", "/api/v1/people", body).status, 409);
  json list = json::parse(Call("GET", "/api/v1/people?organisation_id=" + alpha_org_, admin_).body);
  EXPECT_EQ(list["people"].size(), 2u);
  json got =
      json::parse(Call("GET", "/api/v1/people/" + pat["id"].get<std::string>(), admin_).body);
  EXPECT_EQ(got["email"], "pat@alpha.example");
  Response updated = Send("PUT", "/api/v1/people/" + pat["id"].get<std::string>(),
                          R"({"name":"Pat B","email":"pat@alpha.example","organisation_id":")" +
                              alpha_org_ + R"(","level":"strategic","function":"data"})");
  EXPECT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(json::parse(updated.body)["level"], "strategic");
  EXPECT_EQ(Call("GET", "/api/v1/people/nope", admin_).status, 404);
}

TEST_F(ApiTest, DeletingAPersonErasesThemAndKeepsATombstone) {
  std::string body = R"({"name":"Pat Erased","email":"pat@alpha.example","organisation_id":")" +
                     alpha_org_ + R"(","level":"operational","function":"data"})";
  Response created = Send("POST", "/api/v1/people", body);
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string href = "/api/v1/people/" + json::parse(created.body)["id"].get<std::string>();
  Response erased = Send("DELETE", href, "");
  EXPECT_EQ(erased.status, 204) << erased.body;
  EXPECT_TRUE(erased.body.empty());
  json tombstone = json::parse(Call("GET", href, admin_).body);
  EXPECT_EQ(tombstone["name"], "");
  EXPECT_EQ(tombstone["email"], "");
  EXPECT_EQ(tombstone["function"], "data");
  EXPECT_EQ(Send("DELETE", href, "").status, 204);  // again: harmless
  EXPECT_EQ(Send("DELETE", "/api/v1/people/nope", "").status, 404);
  // Another partnership's admin cannot reach the person; a member may not erase.
  Session beta = SignIn("admin@beta.example");
  EXPECT_EQ(Call("DELETE", "/api/v1/people/" + alpha_person_, beta, "", "", beta.csrf).status, 404);
  Session member = SignIn("member@alpha.example");
  EXPECT_EQ(Call("DELETE", "/api/v1/people/" + alpha_person_, member, "", "", member.csrf).status,
            403);
  EXPECT_FALSE(directory_->GetPerson(alpha_, alpha_person_)->erased());
  // The audit log says who erased whom (by id, never a name).
  json audit = json::parse(Call("GET", "/api/v1/audit?limit=5", admin_).body);
  EXPECT_EQ(audit["entries"][0]["action"], "person.erased");
}

TEST_F(ApiTest, PeopleImportListsEveryErrorAsAProblem) {
  const std::string bad =
      "name,email,organisation,level,function\n"
      "Bob,bob-at-alpha,Alpha Acute Trust,strategic,generalist\n"
      "Cy,cy@alpha.example,Nowhere,strategic,generalist\n";
  Response refused = Send("POST", "/api/v1/people/import?file_name=staff.csv", bad, "text/csv");
  EXPECT_EQ(refused.status, 400);
  json problem = json::parse(refused.body);
  ASSERT_TRUE(problem["errors"].is_array());
  EXPECT_GE(problem["errors"].size(), 3u);
  EXPECT_EQ(problem["errors"][0].get<std::string>().rfind("staff.csv:2", 0), 0u);
  EXPECT_EQ(directory_->ListPeople(alpha_, {})->size(), 1u);

  Response ok = Send("POST", "/api/v1/people/import?file_name=staff.csv",
                     "name,email,organisation,level,function\n"
                     "Di,di@alpha.example,Alpha Acute Trust,operational,it\n",
                     "text/csv");
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(json::parse(ok.body)["added"], 1);
}

TEST_F(ApiTest, FrameworksListVersionsNativeJsonAndImport) {
  json list = json::parse(Call("GET", "/api/v1/frameworks", admin_).body);
  ASSERT_EQ(list["frameworks"].size(), 1u);
  EXPECT_EQ(list["frameworks"][0]["code"], "integrated-care");
  json versions = json::parse(Call("GET", "/api/v1/frameworks/integrated-care", admin_).body);
  EXPECT_EQ(versions["versions"][0]["version"], 1);
  Response native = Call("GET", "/api/v1/frameworks/integrated-care/versions/1", admin_);
  ASSERT_EQ(native.status, 200);
  json framework = json::parse(native.body);
  EXPECT_EQ(framework["format"], "trellis-framework");
  EXPECT_EQ(framework["domains"].size(), 2u);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/integrated-care/versions/latest", admin_).status, 200);
  EXPECT_EQ(Call("GET", "/api/v1/frameworks/nope/versions/1", admin_).status, 404);

  // Re-importing the same content is recognised; a changed title is version 2.
  Response same = Send("POST", "/api/v1/frameworks/import?file_name=ic.json", native.body);
  EXPECT_EQ(same.status, 200) << same.body;
  EXPECT_TRUE(json::parse(same.body)["unchanged"].get<bool>());
  framework["title"] = "Integrated care management, revised";
  Response next = Send("POST", "/api/v1/frameworks/import?file_name=ic.json", framework.dump());
  EXPECT_EQ(next.status, 201) << next.body;
  EXPECT_EQ(json::parse(next.body)["version"], 2);
  EXPECT_EQ(*next.headers.Get("Location"), "/api/v1/frameworks/integrated-care/versions/2");

  Response bad = Send("POST", "/api/v1/frameworks/import?file_name=x.json", "{}");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.content_type, "application/problem+json");
}

TEST_F(ApiTest, AuditLogIsJson) {
  Send("POST", "/api/v1/organisations", R"({"name":"Logged","sector":"other"})");
  json audit = json::parse(Call("GET", "/api/v1/audit?limit=5", admin_).body);
  ASSERT_FALSE(audit["entries"].empty());
  EXPECT_EQ(audit["entries"][0]["entity_type"], "organisation");
  EXPECT_EQ(Call("GET", "/api/v1/audit?limit=x", admin_).status, 400);
}

TEST_F(AppTest, EveryApiRouteIsInTheOpenApiDocument) {
  std::ifstream in(std::string(TRELLIS_SOURCE_DIR) + "/docs/openapi.yaml");
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  ASSERT_FALSE(doc.empty());
  for (const RouteSpec& route : app_->routes()) {
    if (route.surface != Surface::kApi) continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    // OpenAPI writes "{version}" as we do; the path is a key at indent 2.
    std::size_t at = doc.find("\n  " + route.pattern + ":\n");
    ASSERT_NE(at, std::string::npos);
    std::size_t next = doc.find("\n  /", at + 1);
    std::string block = doc.substr(at, next - at);
    std::string method = route.method;
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_NE(block.find("\n    " + method + ":\n"), std::string::npos);
  }
}

}  // namespace
}  // namespace trellis::web
