// tests/web/security_headers_test.cc — every response carries the security headers: a 200, a
// 404, a 405, a 500 from a throwing handler, and a static file.
#include "web/security_headers.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "web/problem.h"
#include "web/server.h"

namespace trellis::web {
namespace {

void ExpectSecurityHeaders(const Response& r, std::string_view cache_control = "no-store") {
  const Headers& h = r.headers;
  ASSERT_NE(h.Get("Content-Security-Policy"), nullptr);
  EXPECT_EQ(*h.Get("Content-Security-Policy"),
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
  EXPECT_EQ(h.Get("Content-Security-Policy")->find("unsafe-inline"), std::string::npos);
  ASSERT_NE(h.Get("X-Content-Type-Options"), nullptr);
  EXPECT_EQ(*h.Get("X-Content-Type-Options"), "nosniff");
  ASSERT_NE(h.Get("Referrer-Policy"), nullptr);
  EXPECT_EQ(*h.Get("Referrer-Policy"), "no-referrer");
  ASSERT_NE(h.Get("X-Frame-Options"), nullptr);
  EXPECT_EQ(*h.Get("X-Frame-Options"), "DENY");
  ASSERT_NE(h.Get("Cache-Control"), nullptr);
  EXPECT_EQ(*h.Get("Cache-Control"), cache_control);
}

class SecurityHeadersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(router_
                    .Add("GET", "/ok",
                         [](const Request&, const PathParams&) {
                           return HtmlResponse("<!doctype html><title>ok</title>");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/boom",
                         [](const Request&, const PathParams&) -> Response {
                           throw std::runtime_error("secret internals: table responses");
                         })
                    .ok());
    ASSERT_TRUE(router_
                    .Add("GET", "/cached",
                         [](const Request&, const PathParams&) {
                           Response r = HtmlResponse("x");
                           r.headers.Set("Cache-Control", "public, max-age=60");
                           r.headers.Set("X-Frame-Options",
                                         "ALLOWALL");  // a handler cannot weaken it
                           return r;
                         })
                    .ok());
  }
  Response Get(std::string_view target) {
    return HandleRequest(router_, *MakeRequest("GET", target));
  }
  Router router_;
};

TEST_F(SecurityHeadersTest, On200) {
  Response r = Get("/ok");
  EXPECT_EQ(r.status, 200);
  ExpectSecurityHeaders(r);
}

TEST_F(SecurityHeadersTest, On404) {
  Response r = Get("/missing");
  EXPECT_EQ(r.status, 404);
  ExpectSecurityHeaders(r);
}

TEST_F(SecurityHeadersTest, On405) {
  Response r = HandleRequest(router_, *MakeRequest("POST", "/ok"));
  EXPECT_EQ(r.status, 405);
  ExpectSecurityHeaders(r);
}

TEST_F(SecurityHeadersTest, On500FromAThrowingHandler) {
  Response r = Get("/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(r.body.find("secret internals"), std::string::npos);      // not shown to the client
  EXPECT_NE(r.log_note.find("secret internals"), std::string::npos);  // but logged
  ExpectSecurityHeaders(r);
}

TEST_F(SecurityHeadersTest, HandlerMayChooseCacheControlButNotWeakenTheRest) {
  Response r = Get("/cached");
  ExpectSecurityHeaders(r, "public, max-age=60");
}

TEST(HandleRequest, RepairsInvalidResponses) {
  Router router;
  ASSERT_TRUE(router
                  .Add("GET", "/bad-status",
                       [](const Request&, const PathParams&) {
                         Response r;
                         r.status = 42;
                         return r;
                       })
                  .ok());
  ASSERT_TRUE(router
                  .Add("GET", "/not-modified",
                       [](const Request&, const PathParams&) {
                         Response r = HtmlResponse("should not be sent");
                         r.status = 304;
                         return r;
                       })
                  .ok());
  EXPECT_EQ(HandleRequest(router, *MakeRequest("GET", "/bad-status")).status, 500);
  Response nm = HandleRequest(router, *MakeRequest("GET", "/not-modified"));
  EXPECT_EQ(nm.status, 304);
  EXPECT_TRUE(nm.body.empty());
}

}  // namespace
}  // namespace trellis::web
