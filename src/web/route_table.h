// web/route_table.h — how the application's routes are declared: every route names who may use
// it (Access) and whether it is a page or an API endpoint (Surface), and its handler sees the
// signed-in principal and the parsed form. RouteTable registers each route on the Router
// wrapped by WebAuth::Guard (auth_middleware.h), the one place that checks sessions, CSRF and
// roles — and keeps the list of routes, so tests can check every one of them.
// Built at start-up on one thread; the handlers it registers are safe to call concurrently.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/auth_service.h"
#include "web/form.h"
#include "web/http_types.h"
#include "web/router.h"

namespace trellis::web {

// Who may use a route. Admins may use every route of their partnership.
enum class Access {
  kPublic,  // anyone, signed in or not (landing, sign-in, static files)
  kStaff,   // any signed-in role: admin, member, board
  kBoard,   // board or admin
  kAdmin,   // admin only
  // Anyone holding a rater link (/r/{token}): the token in the path is the credential, checked
  // by the handler (QuestionnaireService). No session is looked up and no CSRF token is asked
  // for (docs/web.md, "Rater questionnaire").
  kRaterLink,
};
std::string_view AccessName(Access access);  // "public", "staff", "board", "admin", "rater-link"

// How refusals are answered: pages redirect to sign-in and show HTML errors; the API answers
// problem+json (401 when not signed in).
enum class Surface { kPage, kApi };

// What a guarded handler sees.
struct WebRequest {
  const Request& request;
  const PathParams& params;
  const service::Principal* principal;  // never null unless the route is kPublic
  const FormData& form;                 // the form body (empty for other bodies)
};

using WebHandler = std::function<Response(const WebRequest&)>;

struct RouteSpec {
  std::string method;
  std::string pattern;
  Access access = Access::kAdmin;
  Surface surface = Surface::kPage;
};

class WebAuth;

class RouteTable {
 public:
  // `router` and `auth` must outlive the table (and `auth` the router).
  RouteTable(Router& router, const WebAuth& auth) : router_(router), auth_(auth) {}

  // Registers `handler` for `method` and `pattern`, guarded for `access` on `surface`.
  // Fails as Router::Add does.
  Status Add(std::string_view method, std::string_view pattern, Access access, Surface surface,
             WebHandler handler);

  // Every route added, in order.
  const std::vector<RouteSpec>& specs() const { return specs_; }

 private:
  Router& router_;
  const WebAuth& auth_;
  std::vector<RouteSpec> specs_;
};

}  // namespace trellis::web
