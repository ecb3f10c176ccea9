// tests/web/auth_middleware_test.cc — sign-in, cookies, CSRF and roles, through HandleRequest
// on the real application Router and a SQLite database. The CSRF and role tests are
// table-driven over every route the App registers, so a new route is covered as it is added.
#include "web/auth_middleware.h"

#include <gtest/gtest.h>

#include "web/app_fixture.h"

namespace trellis::web {
namespace {

using testing::AppTest;
using testing::CsrfFieldOf;
using testing::Session;
using testing::SetCookies;

// The sign-in form, as a browser fetches it: its token and the double-submit cookie.
struct LoginForm {
  std::string token;
  std::string cookie;  // "trellis_login_csrf=…"
};

class AuthTest : public AppTest {
 protected:
  LoginForm GetLoginForm() {
    Response page = Call("GET", "/login", Session{});
    EXPECT_EQ(page.status, 200);
    LoginForm form;
    form.token = CsrfFieldOf(page.body);
    for (const std::string& c : SetCookies(page)) {
      if (c.rfind("trellis_login_csrf=", 0) == 0) form.cookie = c.substr(0, c.find(';'));
    }
    EXPECT_FALSE(form.token.empty());
    EXPECT_EQ(form.cookie, "trellis_login_csrf=" + form.token);
    return form;
  }

  Response PostLogin(const LoginForm& form, const std::string& email, const std::string& password,
                     std::string next = "") {
    Result<Request> request =
        MakeRequest("POST", "/login",
                    "_csrf=" + PercentEncode(form.token) + "&email=" + PercentEncode(email) +
                        "&password=" + PercentEncode(password) + "&next=" + PercentEncode(next));
    request->headers.Set("Content-Type", "application/x-www-form-urlencoded");
    if (!form.cookie.empty()) request->headers.Add("Cookie", form.cookie);
    for (const auto& [name, value] : extra_headers_) request->headers.Set(name, value);
    return HandleRequest(*router_, *request);
  }

  std::vector<std::pair<std::string, std::string>> extra_headers_;
};

std::string SessionCookieOf(const Response& response) {
  for (const std::string& c : SetCookies(response)) {
    if (c.rfind("trellis_session=", 0) == 0) return c;
  }
  return "";
}

TEST_F(AuthTest, SignInSetsAnHttpOnlyLaxSessionCookieAndGoesToTheDashboard) {
  Response signed_in = PostLogin(GetLoginForm(), "admin@alpha.example", testing::kPassword);
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_EQ(*signed_in.headers.Get("Location"), "/dashboard");
  std::string cookie = SessionCookieOf(signed_in);
  ASSERT_FALSE(cookie.empty());
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos);
  EXPECT_NE(cookie.find("; Max-Age="), std::string::npos);
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP without a trusted proxy";

  Session session{cookie.substr(16, cookie.find(';') - 16), ""};
  Response dashboard = Call("GET", "/dashboard", session);
  EXPECT_EQ(dashboard.status, 200);
  EXPECT_NE(dashboard.body.find("User admin@alpha.example"), std::string::npos);
}

TEST_F(AuthTest, SignInReturnsToTheRequestedPageButNeverOffSite) {
  Response back = PostLogin(GetLoginForm(), "admin@alpha.example", testing::kPassword, "/people");
  EXPECT_EQ(*back.headers.Get("Location"), "/people");
  Response off =
      PostLogin(GetLoginForm(), "admin@alpha.example", testing::kPassword, "//evil.example/x");
  EXPECT_EQ(*off.headers.Get("Location"), "/dashboard");
}

TEST_F(AuthTest, CookieIsSecureBehindATrustedTlsProxyOnly) {
  extra_headers_ = {{"X-Forwarded-Proto", "https"}};
  // Not trusted by default: a client could send the header itself.
  EXPECT_EQ(SessionCookieOf(PostLogin(GetLoginForm(), "admin@alpha.example", testing::kPassword))
                .find("Secure"),
            std::string::npos);

  Request request = *MakeRequest("GET", "/");
  request.headers.Set("X-Forwarded-Proto", "https");
  EXPECT_TRUE(IsSecureRequest(request, {.trust_proxy = true}));
  EXPECT_FALSE(IsSecureRequest(request, {.trust_proxy = false}));
  request.headers.Set("X-Forwarded-Proto", "http");
  EXPECT_FALSE(IsSecureRequest(request, {.trust_proxy = true}));
  EXPECT_TRUE(IsSecureRequest(request, {.secure_cookies = true}));
  EXPECT_EQ(SetCookieValue("trellis_session", "t", std::chrono::seconds(60), true),
            "trellis_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure");
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailLookTheSame) {
  Response wrong = PostLogin(GetLoginForm(), "admin@alpha.example", "not the password!!");
  Response unknown = PostLogin(GetLoginForm(), "nobody@alpha.example", "not the password!!");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(unknown.status, 400);
  EXPECT_TRUE(SessionCookieOf(wrong).empty());
  EXPECT_TRUE(SessionCookieOf(unknown).empty());
  const std::string message = "The email address or password is not right";
  EXPECT_NE(wrong.body.find(message), std::string::npos);
  EXPECT_NE(unknown.body.find(message), std::string::npos);
  // The error summary links to the field and the typed email is kept.
  EXPECT_NE(wrong.body.find("href=\"#email\""), std::string::npos);
  EXPECT_NE(wrong.body.find("value=\"admin@alpha.example\""), std::string::npos);
}

TEST_F(AuthTest, EmptyFieldsAreReportedPerField) {
  Response empty = PostLogin(GetLoginForm(), "", "");
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("Enter your email address"), std::string::npos);
  EXPECT_NE(empty.body.find("Enter your password"), std::string::npos);
}

TEST_F(AuthTest, SignInWithoutTheFormsTokenIsRefused) {
  LoginForm form = GetLoginForm();
  LoginForm no_cookie{form.token, ""};
  EXPECT_EQ(PostLogin(no_cookie, "admin@alpha.example", testing::kPassword).status, 403);
  LoginForm mismatched{form.token + "x", form.cookie};
  EXPECT_EQ(PostLogin(mismatched, "admin@alpha.example", testing::kPassword).status, 403);
}

TEST_F(AuthTest, SignOutEndsTheSession) {
  Session session = SignIn("admin@alpha.example");
  ASSERT_EQ(Call("GET", "/dashboard", session).status, 200);
  Response out = PostForm("/logout", session, "");
  EXPECT_EQ(out.status, 303);
  EXPECT_NE(SessionCookieOf(out).find("Max-Age=0"), std::string::npos);
  Response after = Call("GET", "/dashboard", session);
  EXPECT_EQ(after.status, 303);
  EXPECT_EQ(*after.headers.Get("Location"), "/login?next=/dashboard");
}

TEST_F(AuthTest, SignedOutPagesRedirectToSignInAndTheApiAnswers401) {
  for (const RouteSpec& route : app_->routes()) {
    // Rater links (/r/{token}) need no sign-in: the token is the credential
    // (questionnaire_pages_test.cc checks an unknown one is 404).
    if (route.access == Access::kPublic || route.access == Access::kRaterLink) continue;
    SCOPED_TRACE(route.method + " " + route.pattern);
    Response response = Call(route.method, Fill(route.pattern), Session{});
    if (route.surface == Surface::kApi) {
      EXPECT_EQ(response.status, 401);
      EXPECT_EQ(response.content_type, "application/problem+json");
    } else {
      EXPECT_EQ(response.status, 303);
      EXPECT_EQ(response.headers.Get("Location")->rfind("/login", 0), 0u);
    }
  }
}

TEST_F(AuthTest, EveryStateChangingRouteRefusesAMissingOrWrongCsrfToken) {
  Session admin = SignIn("admin@alpha.example");
  int checked = 0;
  for (const RouteSpec& route : app_->routes()) {
    if (!IsStateChanging(route.method)) continue;
    // A rater link's POST carries no CSRF token: the unguessable token in its path is what an
    // attacker lacks (docs/web.md, "Rater questionnaire"); no cookie authenticates it.
    // kRaterLink must not become a way around CSRF for anything else.
    if (route.access == Access::kRaterLink) {
      EXPECT_EQ(route.pattern.rfind("/r/", 0), 0u) << route.pattern;
      continue;
    }
    SCOPED_TRACE(route.method + " " + route.pattern);
    std::string target = Fill(route.pattern);
    // No token at all, as a form and as JSON.
    EXPECT_EQ(
        Call(route.method, target, admin, "name=x", "application/x-www-form-urlencoded").status,
        403);
    EXPECT_EQ(Call(route.method, target, admin, "{}", "application/json").status, 403);
    // A wrong token in the field and in the header.
    EXPECT_EQ(
        Call(route.method, target, admin, "_csrf=wrong&name=x", "application/x-www-form-urlencoded")
            .status,
        403);
    EXPECT_EQ(Call(route.method, target, admin, "{}", "application/json", "wrong").status, 403);
    // Another session's token is wrong too.
    Session other = SignIn("admin@alpha.example");
    EXPECT_EQ(Call(route.method, target, admin, "{}", "application/json", other.csrf).status, 403);
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

// Routes whose access is decided per record after the role check: an individual report is
// shown to admins, its subject, or an account the subject shared it with, and only once the
// campaign is released (403 otherwise). report_pages_test.cc tests each of those answers.
bool RecordChecked(const RouteSpec& route) {
  return route.pattern.starts_with("/reports/") ||
         route.pattern.starts_with("/api/v1/campaigns/{id}/reports");
}

// Routes about one campaign's figures, which exist once it is closed (409 before).
bool NeedsFigures(const RouteSpec& route) {
  return route.pattern == "/api/v1/campaigns/{id}/heatmap";
}

TEST_F(AuthTest, EveryAdminRouteRefusesMembersAndBoard) {
  for (const char* email : {"member@alpha.example", "board@alpha.example"}) {
    for (const RouteSpec& route : app_->routes()) {
      // Rater links are not role-checked: any browser holding the token may answer.
      if (route.access == Access::kPublic || route.access == Access::kRaterLink) continue;
      Session session = SignIn(email);  // afresh: POST /logout ends the previous one
      SCOPED_TRACE(std::string(email) + " " + route.method + " " + route.pattern);
      // With a valid token, so only the role decides.
      Response response =
          Call(route.method, Fill(route.pattern), session, "{}", "application/json", session.csrf);
      const bool board = std::string_view(email).starts_with("board@");
      if (route.access == Access::kAdmin || (route.access == Access::kBoard && !board)) {
        EXPECT_EQ(response.status, 403);
      } else if (!RecordChecked(route)) {
        EXPECT_NE(response.status, 403);
        EXPECT_NE(response.status, 401);
      }
    }
  }
}

TEST_F(AuthTest, AdminsReachEveryRoute) {
  Session admin = SignIn("admin@alpha.example");
  for (const RouteSpec& route : app_->routes()) {
    // A rater link is not an admin's page (no session is used there; a made-up token is 404).
    if (route.method != "GET" || route.access == Access::kRaterLink || RecordChecked(route))
      continue;
    SCOPED_TRACE(route.pattern);
    Response response = Call("GET", Fill(route.pattern), admin);
    if (NeedsFigures(route)) {
      // The fixture's campaign is open: its figures exist once it is closed.
      EXPECT_EQ(response.status, 409);
      continue;
    }
    EXPECT_TRUE(response.status == 200 || response.status == 303) << response.status;
  }
}

TEST(Cookies, ParsesTheCookieHeader) {
  Request request = *MakeRequest("GET", "/");
  request.headers.Add("Cookie", "a=1; trellis_session=abc; b=\"q\"");
  EXPECT_EQ(CookieValue(request, "trellis_session"), "abc");
  EXPECT_EQ(CookieValue(request, "b"), "q");
  EXPECT_EQ(CookieValue(request, "c"), std::nullopt);
}

}  // namespace
}  // namespace trellis::web
