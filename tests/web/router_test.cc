// tests/web/router_test.cc — route matching, parameters, specificity, 404 and 405.
#include "web/router.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "web/problem.h"

namespace trellis::web {
namespace {

// A handler that answers "NAME k=v k=v" so tests see which route ran with which params.
Handler Echo(std::string name) {
  return [name](const Request&, const PathParams& params) {
    std::string body = name;
    for (const auto& [k, v] : params) body += " " + k + "=" + v;
    return HtmlResponse(body);
  };
}

Response Call(const Router& router, std::string method, std::string_view target) {
  Result<Request> request = MakeRequest(std::move(method), target);
  EXPECT_TRUE(request.ok()) << target;
  return router.Dispatch(*request);
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_.Add("GET", "/", Echo("home")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/campaigns", Echo("list")).ok());
    ASSERT_TRUE(router_.Add("POST", "/api/v1/campaigns", Echo("create")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/campaigns/{id}", Echo("show")).ok());
    ASSERT_TRUE(router_.Add("GET", "/api/v1/campaigns/new", Echo("new")).ok());
    ASSERT_TRUE(router_.Add("DELETE", "/api/v1/campaigns/{id}", Echo("delete")).ok());
    ASSERT_TRUE(
        router_.Add("GET", "/api/v1/campaigns/{id}/reports/{subject}", Echo("report")).ok());
    ASSERT_TRUE(router_.Add("GET", "/static/{path...}", Echo("static")).ok());
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralsAndParameters) {
  EXPECT_EQ(Call(router_, "GET", "/").body, "home");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/campaigns").body, "list");
  EXPECT_EQ(Call(router_, "POST", "/api/v1/campaigns").body, "create");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/campaigns/42").body, "show id=42");
  EXPECT_EQ(Call(router_, "DELETE", "/api/v1/campaigns/42").body, "delete id=42");
  EXPECT_EQ(Call(router_, "GET", "/api/v1/campaigns/7/reports/p-9?x=1").body,
            "report id=7 subject=p-9");
}

TEST_F(RouterTest, ParametersArePercentDecoded) {
  EXPECT_EQ(Call(router_, "GET", "/api/v1/campaigns/a%20b").body, "show id=a b");
}

TEST_F(RouterTest, LiteralBeatsParameterWhateverTheOrder) {
  EXPECT_EQ(Call(router_, "GET", "/api/v1/campaigns/new").body, "new");
}

TEST_F(RouterTest, RestParameterTakesTheRemainingSegments) {
  EXPECT_EQ(Call(router_, "GET", "/static/css/trellis.css").body, "static path=css/trellis.css");
  EXPECT_EQ(Call(router_, "GET", "/static/x").body, "static path=x");
  EXPECT_EQ(Call(router_, "GET", "/static").status, 404);
  EXPECT_EQ(Call(router_, "GET", "/static/").status, 404);  // an empty rest does not match
}

TEST_F(RouterTest, HeadIsAnsweredByGet) {
  EXPECT_EQ(Call(router_, "HEAD", "/api/v1/campaigns/3").body, "show id=3");
}

TEST_F(RouterTest, NoRouteIsA404Problem) {
  for (const char* target : {"/nope", "/api/v1/campaigns/1/2", "/api/v1/campaigns/", "/api"}) {
    Response r = Call(router_, "GET", target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(nlohmann::json::parse(r.body)["status"], 404);
  }
}

TEST_F(RouterTest, WrongMethodIsA405WithAllow) {
  Response r = Call(router_, "PUT", "/api/v1/campaigns");
  EXPECT_EQ(r.status, 405);
  ASSERT_NE(r.headers.Get("Allow"), nullptr);
  EXPECT_EQ(*r.headers.Get("Allow"), "GET, HEAD, POST");
  EXPECT_EQ(r.content_type, "application/problem+json");

  Response r2 = Call(router_, "POST", "/api/v1/campaigns/5");
  EXPECT_EQ(r2.status, 405);
  EXPECT_EQ(*r2.headers.Get("Allow"), "DELETE, GET, HEAD");
}

TEST(Router, RejectsMalformedPatterns) {
  Handler h = Echo("x");
  const char* bad[] = {"",       "nope",     "/a//b",     "/{}",    "/{id",  "/id}",
                       "/a{id}", "/{a}/{a}", "/{p...}/x", "/{a.b}", "/{...}"};
  for (const char* pattern : bad) {
    Router router;
    EXPECT_EQ(router.Add("GET", pattern, h).code(), StatusCode::kInvalidArgument) << pattern;
  }
  Router router;
  EXPECT_EQ(router.Add("", "/x", h).code(), StatusCode::kInvalidArgument);
}

TEST(Router, RejectsDuplicateShapes) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/a/{id}", Echo("1")).ok());
  EXPECT_EQ(router.Add("GET", "/a/{other}", Echo("2")).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(router.Add("POST", "/a/{id}", Echo("3")).ok());
  EXPECT_TRUE(router.Add("GET", "/a/{id}/b", Echo("4")).ok());
  EXPECT_EQ(router.size(), 3u);
}

TEST(Router, TrailingSlashIsADifferentAddress) {
  Router router;
  ASSERT_TRUE(router.Add("GET", "/a", Echo("a")).ok());
  EXPECT_EQ(Call(router, "GET", "/a").status, 200);
  EXPECT_EQ(Call(router, "GET", "/a/").status, 404);
}

}  // namespace
}  // namespace trellis::web
