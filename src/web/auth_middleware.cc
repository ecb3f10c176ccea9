// web/auth_middleware.cc — see auth_middleware.h.
#include "web/auth_middleware.h"

#include <array>
#include <fstream>
#include <random>

#include "web/problem.h"

namespace trellis::web {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string Base64Url(const unsigned char* bytes, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < n; i += 3) {
    unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
  }
  if (n - i == 1) {
    unsigned v = bytes[i] << 16;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    unsigned v = (bytes[i] << 16) | (bytes[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

// Constant-time equality, so a forged sign-in token cannot be found byte by byte.
bool SameToken(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  }
  return diff == 0;
}

// The CSRF token the request presents: the X-CSRF-Token header, else the `_csrf` form field.
std::string PresentedCsrf(const Request& request, const FormData& form) {
  if (const std::string* header = request.Header(kCsrfHeader)) return *header;
  return form.Value(kCsrfField);
}

Status RequireAccess(const service::Principal& principal, Access access) {
  switch (access) {
    case Access::kPublic:
    case Access::kRaterLink:
      return Status::Ok();
    case Access::kStaff:
      return service::AuthService::Require(
          principal, {model::Role::kAdmin, model::Role::kMember, model::Role::kBoard});
    case Access::kBoard:
      return service::AuthService::Require(principal, {model::Role::kAdmin, model::Role::kBoard});
    case Access::kAdmin:
      return service::AuthService::Require(principal, {model::Role::kAdmin});
  }
  return Status::PermissionDenied("no access");
}

}  // namespace

std::optional<std::string> CookieValue(const Request& request, std::string_view name) {
  for (const auto& [field, value] : request.headers) {
    if (!EqualsIgnoreCase(field, "Cookie")) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      std::size_t semi = rest.find(';');
      std::string_view pair = Trim(rest.substr(0, semi));
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      std::size_t eq = pair.find('=');
      if (eq == std::string_view::npos) continue;
      if (Trim(pair.substr(0, eq)) != name) continue;
      std::string_view v = Trim(pair.substr(eq + 1));
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return std::string(v);
    }
  }
  return std::nullopt;
}

bool IsSecureRequest(const Request& request, const SessionOptions& options) {
  if (options.secure_cookies) return true;
  if (!options.trust_proxy) return false;
  const std::string* proto = request.Header("X-Forwarded-Proto");
  // A chain of proxies may append: "https, http" — the first is what the client used.
  return proto != nullptr &&
         EqualsIgnoreCase(Trim(std::string_view(*proto).substr(0, proto->find(','))), "https");
}

std::string SetCookieValue(std::string_view name, std::string_view value,
                           std::chrono::seconds max_age, bool secure) {
  std::string out =
      std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Lax";
  if (max_age.count() > 0) out += "; Max-Age=" + std::to_string(max_age.count());
  if (secure) out += "; Secure";
  return out;
}

std::string ClearCookieValue(std::string_view name, bool secure) {
  std::string out = std::string(name) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0";
  if (secure) out += "; Secure";
  return out;
}

bool IsStateChanging(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

std::string NewLoginCsrfToken() {
  std::array<unsigned char, 32> bytes{};
  std::random_device urandom("/dev/urandom");
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    unsigned int v = urandom();
    for (std::size_t j = 0; j < 4 && i + j < bytes.size(); ++j) {
      bytes[i + j] = static_cast<unsigned char>(v >> (8 * j));
    }
  }
  return Base64Url(bytes.data(), bytes.size());
}

WebAuth::WebAuth(service::AuthService& auth, const Pages& pages, SessionOptions options,
                 service::Clock clock)
    : auth_(auth), pages_(pages), options_(options), clock_(std::move(clock)) {}

service::TimePoint WebAuth::Now() const { return clock_ ? clock_() : service::SystemNow(); }

Result<service::Principal> WebAuth::Authenticate(const Request& request) const {
  std::optional<std::string> token = CookieValue(request, kSessionCookie);
  if (!token || token->empty()) return Status::PermissionDenied("not signed in");
  return auth_.Authenticate(*token, Now());
}

Response WebAuth::Refuse(Surface surface, const service::Principal* principal,
                         const Status& status) const {
  if (surface == Surface::kApi) return ErrorResponse(status);
  return pages_.Error(principal, status);
}

Handler WebAuth::Guard(Access access, Surface surface, WebHandler handler) const {
  return [this, access, surface, handler = std::move(handler)](const Request& request,
                                                               const PathParams& params) {
    Result<FormData> form = ParseFormBody(request);
    if (!form.ok()) return Refuse(surface, nullptr, form.status());
    const bool changing = IsStateChanging(request.method);
    if (access == Access::kRaterLink) {
      // The link token in the path is the credential (the handler checks it). A staff session
      // the browser may also hold plays no part: the rater page never shows or uses it.
      return handler({request, params, nullptr, *form});
    }

    Result<service::Principal> principal = Authenticate(request);
    if (access == Access::kPublic) {
      if (changing && !principal.ok()) {
        // No session yet (the sign-in form): the double-submit cookie must match the field.
        std::optional<std::string> cookie = CookieValue(request, kLoginCsrfCookie);
        std::string presented = PresentedCsrf(request, *form);
        if (!cookie || cookie->empty() || !SameToken(*cookie, presented)) {
          return Refuse(surface, nullptr,
                        Status::PermissionDenied("the form has expired; reload the page and "
                                                 "try again"));
        }
      } else if (changing &&
                 !service::AuthService::CheckCsrf(*principal, PresentedCsrf(request, *form)).ok()) {
        return Refuse(surface, &*principal,
                      Status::PermissionDenied("the form has expired; reload the page and try "
                                               "again"));
      }
      return handler({request, params, principal.ok() ? &*principal : nullptr, *form});
    }

    if (!principal.ok()) {
      if (principal.status().code() != StatusCode::kPermissionDenied) {
        return Refuse(surface, nullptr, principal.status());  // e.g. the database is down
      }
      if (surface == Surface::kApi) return ProblemResponse(401, principal.status().message());
      std::string target = "/login";
      if (request.method == "GET") target += "?next=" + PercentEncode(request.path, true);
      Response redirect = RedirectResponse(target);
      // A stale cookie is removed, so the browser stops sending it.
      if (CookieValue(request, kSessionCookie)) {
        redirect.headers.Add("Set-Cookie",
                             ClearCookieValue(kSessionCookie, IsSecureRequest(request, options_)));
      }
      return redirect;
    }
    if (changing) {
      Status csrf = service::AuthService::CheckCsrf(*principal, PresentedCsrf(request, *form));
      if (!csrf.ok()) {
        return Refuse(surface, &*principal,
                      Status::PermissionDenied("missing or wrong CSRF token: reload the page "
                                               "and try again"));
      }
    }
    Status allowed = RequireAccess(*principal, access);
    if (!allowed.ok()) return Refuse(surface, &*principal, allowed);
    return handler({request, params, &*principal, *form});
  };
}

}  // namespace trellis::web
