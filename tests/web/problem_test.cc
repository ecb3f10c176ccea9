// tests/web/problem_test.cc — the one StatusCode → HTTP mapping, and the response builders.
#include "web/problem.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace trellis::web {
namespace {

struct Case {
  Status status;
  int http;
  std::string type;
  std::string title;
  std::string detail;  // what the client sees
};

TEST(ErrorResponse, MapsEveryCodeToProblemJson) {
  const Case cases[] = {
      {Status::InvalidArgument("field 'score': 7 is outside the scale 1..5"), 400,
       "urn:trellis:problem:invalid_argument", "Invalid request",
       "field 'score': 7 is outside the scale 1..5"},
      {Status::NotFound("no campaign 7"), 404, "urn:trellis:problem:not_found", "Not found",
       "no campaign 7"},
      {Status::AlreadyExists("this nomination already submitted"), 409,
       "urn:trellis:problem:already_exists", "Already exists", "this nomination already submitted"},
      {Status::PermissionDenied("admins only"), 403, "urn:trellis:problem:permission_denied",
       "Permission denied", "admins only"},
      {Status::FailedPrecondition("the campaign is closed"), 409,
       "urn:trellis:problem:failed_precondition", "Conflicts with the current state",
       "the campaign is closed"},
      {Status::Unavailable("database locked at /var/lib/trellis.db"), 503,
       "urn:trellis:problem:unavailable", "Service unavailable",
       "The service is temporarily unavailable; please try again."},
      {Status::Internal("sqlite: disk I/O error in table responses"), 500,
       "urn:trellis:problem:internal", "Internal error",
       "Something went wrong on the server; it has been logged."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.status.ToString());
    EXPECT_EQ(HttpStatusFor(c.status.code()), c.http);
    Response r = ErrorResponse(c.status);
    EXPECT_EQ(r.status, c.http);
    EXPECT_EQ(r.content_type, "application/problem+json");
    nlohmann::json body = nlohmann::json::parse(r.body);
    EXPECT_EQ(body,
              (nlohmann::json{
                  {"type", c.type}, {"title", c.title}, {"status", c.http}, {"detail", c.detail}}));
  }
}

TEST(ErrorResponse, ServerSideMessagesGoToTheLogNotTheClient) {
  Response r = ErrorResponse(Status::Internal("sqlite: disk I/O error"));
  EXPECT_EQ(r.body.find("sqlite"), std::string::npos);
  EXPECT_EQ(r.log_note, "internal: sqlite: disk I/O error");
  EXPECT_TRUE(ErrorResponse(Status::NotFound("x")).log_note.empty());
}

TEST(ErrorResponse, OkIsAProgrammingErrorAnd500) {
  EXPECT_EQ(ErrorResponse(Status::Ok()).status, 500);
  EXPECT_EQ(HttpStatusFor(StatusCode::kOk), 200);
}

TEST(ErrorResponse, InvalidUtf8InADetailDoesNotThrow) {
  Response r = ErrorResponse(Status::InvalidArgument("bad name \xff\xfe"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NO_THROW(nlohmann::json::parse(r.body));
}

TEST(ProblemResponse, UsesAboutBlankAndTheReasonPhrase) {
  Response r = ProblemResponse(413, "too big");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(nlohmann::json::parse(r.body), (nlohmann::json{{"type", "about:blank"},
                                                           {"title", "Content Too Large"},
                                                           {"status", 413},
                                                           {"detail", "too big"}}));
}

TEST(Builders, JsonAndHtml) {
  Response j = JsonResponse(R"({"a":1})", 201);
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.content_type, "application/json");
  EXPECT_EQ(j.body, R"({"a":1})");
  Response h = HtmlResponse("<!doctype html>");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.content_type, "text/html; charset=utf-8");
}

TEST(RedirectResponse, OnlyToPathsOnThisSite) {
  EXPECT_EQ(*RedirectResponse("/campaigns/7?tab=raters").headers.Get("Location"),
            "/campaigns/7?tab=raters");
  EXPECT_EQ(RedirectResponse("/x").status, 303);
  EXPECT_EQ(RedirectResponse("/x", 302).status, 302);
  for (const char* bad : {"https://evil.example/", "//evil.example/", "/\\evil.example",
                          "javascript:alert(1)", "", "/a\r\nSet-Cookie: x=1"}) {
    EXPECT_EQ(*RedirectResponse(bad).headers.Get("Location"), "/") << bad;
  }
}

}  // namespace
}  // namespace trellis::web
