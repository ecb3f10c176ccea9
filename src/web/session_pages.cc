// web/session_pages.cc — see session_pages.h.
#include "web/session_pages.h"

#include <chrono>

#include "web/form_errors.h"
#include "web/problem.h"
#include "web/subject_pages.h"

namespace trellis::web {
namespace {

// Where to go after signing in: a path on this site, else the dashboard. RedirectResponse
// refuses anything off-site as well; this keeps "/login" loops out.
std::string NextPath(const std::string& next) {
  if (next.empty() || next[0] != '/' || next.rfind("//", 0) == 0 || next.rfind("/login", 0) == 0)
    return "/dashboard";
  return next;
}

Response LoginPage(const AppContext& ctx, const Request& request, const std::string& token,
                   const std::string& email, const std::string& next, const FormErrors& errors,
                   int status) {
  PageData data;
  data.set("csrf", token);
  data.set("email", email);
  data.set("next", next);
  errors.Fill(data);
  Response response = ctx.pages.Render(nullptr, "login", "Sign in", data, status);
  response.headers.Add("Set-Cookie",
                       SetCookieValue(kLoginCsrfCookie, token, std::chrono::seconds(0),
                                      IsSecureRequest(request, ctx.auth.options())));
  return response;
}

}  // namespace

Status AddSessionRoutes(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/", Access::kPublic, Surface::kPage, [&ctx](const WebRequest& r) {
        if (r.principal != nullptr) return RedirectResponse("/dashboard");
        return ctx.pages.Render(nullptr, "landing", "Trellis", PageData{});
      }));

  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/login", Access::kPublic, Surface::kPage, [&ctx](const WebRequest& r) {
        const std::string* next = r.request.Query("next");
        if (r.principal != nullptr) return RedirectResponse(NextPath(next ? *next : ""));
        return LoginPage(ctx, r.request, NewLoginCsrfToken(), "", next ? *next : "", FormErrors{},
                         200);
      }));

  TRELLIS_RETURN_IF_ERROR(
      routes.Add("POST", "/login", Access::kPublic, Surface::kPage, [&ctx](const WebRequest& r) {
        std::string email = r.form.Value("email");
        std::string password = r.form.Value("password");
        std::string next = r.form.Value("next");
        FormErrors errors;
        if (email.empty()) errors.Add("email", "Enter your email address");
        if (password.empty()) errors.Add("password", "Enter your password");
        if (errors.empty()) {
          Result<service::SignedIn> signed_in =
              ctx.services.auth.Login(email, password, ctx.auth.Now());
          if (signed_in.ok()) {
            auto max_age = std::chrono::duration_cast<std::chrono::seconds>(signed_in->expires_at -
                                                                            ctx.auth.Now());
            bool secure = IsSecureRequest(r.request, ctx.auth.options());
            Response response = RedirectResponse(NextPath(next));
            response.headers.Add("Set-Cookie",
                                 SetCookieValue(kSessionCookie, signed_in->token, max_age, secure));
            response.headers.Add("Set-Cookie", ClearCookieValue(kLoginCsrfCookie, secure));
            return response;
          }
          if (signed_in.status().code() == StatusCode::kUnavailable) {
            errors.Add("", "Sign-in is busy just now. Please try again in a moment.");
          } else if (signed_in.status().code() == StatusCode::kPermissionDenied) {
            // One message for an unknown email, a wrong password and a locked account, so
            // the page never tells whether an email has an account.
            errors.Add("email",
                       "The email address or password is not right, or there have been too "
                       "many attempts. Check them and try again, or try again later.");
          } else {
            return ctx.pages.Error(nullptr, signed_in.status());
          }
        }
        // The token the browser presented (already checked against its cookie) stays valid.
        return LoginPage(ctx, r.request, r.form.Value(kCsrfField), email, next, errors, 400);
      }));

  TRELLIS_RETURN_IF_ERROR(
      routes.Add("POST", "/logout", Access::kStaff, Surface::kPage, [&ctx](const WebRequest& r) {
        std::optional<std::string> token = CookieValue(r.request, kSessionCookie);
        Status ended = ctx.services.auth.Logout(token ? *token : "");
        if (!ended.ok()) return ctx.pages.Error(r.principal, ended);
        Response response = RedirectResponse("/login");
        response.headers.Add(
            "Set-Cookie",
            ClearCookieValue(kSessionCookie, IsSecureRequest(r.request, ctx.auth.options())));
        return response;
      }));

  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/dashboard", Access::kStaff, Surface::kPage, [&ctx](const WebRequest& r) {
        PageData data;
        data.set("user_name", r.principal->display_name);
        data.set("role", std::string(model::RoleName(r.principal->role)));
        // The campaigns in which the signed-in person is a subject (subject_pages.h).
        Result<PageList> mine = SubjectCampaignRows(ctx, *r.principal);
        if (!mine.ok()) return ctx.pages.Error(r.principal, mine.status());
        data.set("has_my_campaigns", !mine->empty());
        data.set("my_campaigns", *mine);
        return ctx.pages.Render(r.principal, "dashboard", "Dashboard", data, 200, "/dashboard");
      }));
  return Status::Ok();
}

}  // namespace trellis::web
