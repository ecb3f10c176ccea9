// tests/web/isolation_test.cc — a user of one partnership never sees another's data: for every
// route that names a record of partnership Alpha by id, an admin of Beta gets 404 (and the
// record is unchanged); every list Beta's admin can read leaves Alpha's rows out. Frameworks
// are a library shared by all partnerships (storage/store.h) and are not partnership data.
#include <gtest/gtest.h>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::Session;

TEST_F(AppTest, EveryRouteWithARecordIdIs404ForAnotherPartnership) {
  Session beta = SignIn("admin@beta.example");
  int checked = 0;
  for (const RouteSpec& route : app_->routes()) {
    if (route.pattern.find("{id}") == std::string::npos) continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    std::string target = Fill(route.pattern);  // Alpha's organisation or person
    Response response;
    if (route.surface == Surface::kApi) {
      std::string body = route.pattern.find("people") != std::string::npos
                             ? R"({"name":"Taken","email":"t@beta.example","organisation_id":")" +
                                   beta_org_ + R"(","level":"operational","function":"other"})"
                             : R"({"name":"Taken","sector":"housing"})";
      response = Call(route.method, target, beta, body, "application/json", beta.csrf);
    } else {
      response =
          PostForm(target, beta,
                   "name=Taken&sector=housing&email=t%40beta.example&organisation_id=" + beta_org_ +
                       "&level=operational&function=other");
      if (route.method == "GET") response = Call("GET", target, beta);
    }
    EXPECT_EQ(response.status, 404) << response.body.substr(0, 300);
    EXPECT_EQ(response.body.find("Alpha"), std::string::npos);
    EXPECT_EQ(response.body.find("alpha.example"), std::string::npos);
    ++checked;
  }
  EXPECT_GE(checked, 8);
  // Nothing of Alpha's changed.
  auto orgs = directory_->ListOrganisations(alpha_);
  ASSERT_TRUE(orgs.ok());
  ASSERT_EQ(orgs->size(), 1u);
  EXPECT_EQ((*orgs)[0].name, "Alpha Acute Trust");
  EXPECT_EQ(directory_->GetPerson(alpha_, alpha_person_)->person.email, "sam@alpha.example");
}

TEST_F(AppTest, ListsNeverIncludeAnotherPartnershipsRows) {
  Session beta = SignIn("admin@beta.example");
  int checked = 0;
  for (const RouteSpec& route : app_->routes()) {
    if (route.method != "GET" || route.pattern.find('{') != std::string::npos) continue;
    SCOPED_TRACE(route.pattern);
    Response response = Call("GET", route.pattern, beta);
    ASSERT_TRUE(response.status == 200 || response.status == 303) << response.status;
    EXPECT_EQ(response.body.find("Alpha"), std::string::npos);
    EXPECT_EQ(response.body.find("alpha.example"), std::string::npos);
    EXPECT_EQ(response.body.find(alpha_org_), std::string::npos);
    EXPECT_EQ(response.body.find(alpha_person_), std::string::npos);
    ++checked;
  }
  EXPECT_GE(checked, 8);
  // And Beta's own rows are there.
  EXPECT_NE(Call("GET", "/organisations", beta).body.find("Beta Borough Council"),
            std::string::npos);
  EXPECT_NE(Call("GET", "/api/v1/organisations", beta).body.find(beta_org_), std::string::npos);
}

TEST_F(AppTest, PeopleFilteredByAnotherPartnershipsOrganisationShowNobody) {
  Session beta = SignIn("admin@beta.example");
  Response page = Call("GET", "/people?organisation=" + alpha_org_, beta);
  EXPECT_EQ(page.body.find("sam@alpha.example"), std::string::npos);
  Response api = Call("GET", "/api/v1/people?organisation_id=" + alpha_org_, beta);
  EXPECT_EQ(api.body.find("sam@alpha.example"), std::string::npos);
}

}  // namespace
}  // namespace trellis::web
