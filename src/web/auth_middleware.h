// web/auth_middleware.h — sessions, CSRF and roles in the web layer, on top of
// service::AuthService. A session is the cookie `trellis_session` (HttpOnly, SameSite=Lax,
// Path=/, Secure when the request came over TLS); every state-changing request (POST, PUT,
// PATCH, DELETE) must carry the session's CSRF token in the form field `_csrf` or the header
// `X-CSRF-Token`. The sign-in form, which has no session yet, is protected by a double-submit
// token: the cookie `trellis_login_csrf` must equal its `_csrf` field. Guard is the one helper
// every route goes through (route_table.h). Thread-safe: WebAuth holds no mutable state.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "service/auth_service.h"
#include "service/utc_time.h"
#include "web/http_types.h"
#include "web/pages.h"
#include "web/route_table.h"
#include "web/router.h"

namespace trellis::web {

inline constexpr std::string_view kSessionCookie = "trellis_session";
inline constexpr std::string_view kLoginCsrfCookie = "trellis_login_csrf";
inline constexpr std::string_view kCsrfField = "_csrf";
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct SessionOptions {
  // Trust X-Forwarded-Proto from the reverse proxy in front (docs/operations.md): with it,
  // "https" there makes cookies Secure. Off by default: a client could send the header itself.
  bool trust_proxy = false;
  // Always mark cookies Secure (the site is only ever reached over HTTPS).
  bool secure_cookies = false;
};

// The value of cookie `name` in the request's Cookie header(s), or nullopt.
std::optional<std::string> CookieValue(const Request& request, std::string_view name);

// True when cookies for this request must be Secure: options.secure_cookies, or trust_proxy
// and X-Forwarded-Proto is "https".
bool IsSecureRequest(const Request& request, const SessionOptions& options);

// A Set-Cookie value: NAME=VALUE; Path=/; HttpOnly; SameSite=Lax[; Max-Age=N][; Secure].
// `max_age` ≤ 0 means a browser-session cookie (no Max-Age).
std::string SetCookieValue(std::string_view name, std::string_view value,
                           std::chrono::seconds max_age, bool secure);
// A Set-Cookie value that deletes cookie `name` (empty value, Max-Age=0).
std::string ClearCookieValue(std::string_view name, bool secure);

// POST, PUT, PATCH and DELETE.
bool IsStateChanging(std::string_view method);

// A random token for the sign-in form's double-submit cookie: 32 bytes from the OS
// (/dev/urandom), base64url.
std::string NewLoginCsrfToken();

class WebAuth {
 public:
  // `auth` and `pages` must outlive this object. `clock` null → the system clock.
  WebAuth(service::AuthService& auth, const Pages& pages, SessionOptions options,
          service::Clock clock);

  // The principal of the request's session cookie. kPermissionDenied "not signed in" without
  // a cookie; otherwise as AuthService::Authenticate.
  Result<service::Principal> Authenticate(const Request& request) const;

  // Wraps `handler` for `access` on `surface`: parses the form body (400 when malformed),
  // finds the session (public routes: optional; otherwise pages redirect a GET to
  // /login?next=PATH and anything else to /login, the API answers 401), checks the CSRF token
  // on state-changing methods (403), then the role (403), then calls `handler`. kRaterLink
  // routes only parse the form: no session, no CSRF token (the link token is the credential).
  Handler Guard(Access access, Surface surface, WebHandler handler) const;

  service::AuthService& auth() const { return auth_; }
  const SessionOptions& options() const { return options_; }
  service::TimePoint Now() const;

 private:
  Response Refuse(Surface surface, const service::Principal* principal, const Status& status) const;

  service::AuthService& auth_;
  const Pages& pages_;
  SessionOptions options_;
  service::Clock clock_;
};

}  // namespace trellis::web
