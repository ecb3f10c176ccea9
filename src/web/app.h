// web/app.h — the Trellis web application: builds the Router of every page and API route from
// the services, each route guarded for its role (route_table.h), plus /static/. Used by
// `trellis serve` and by the handler tests, which call HandleRequest on the same Router.
// Further groups of routes (campaigns, questionnaires) are added in App::AddRoutes next to the
// existing ones, each in its own file taking the AppContext.
// Lifetime: the services must outlive the App, and the App must outlive every Router it built
// (the handlers refer to it). Build on one thread; the routers' handlers are thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <vector>

#include "core/status.h"
#include "service/utc_time.h"
#include "web/app_context.h"
#include "web/auth_middleware.h"
#include "web/pages.h"
#include "web/route_table.h"
#include "web/router.h"

namespace trellis::web {

struct AppOptions {
  std::filesystem::path template_dir;  // web/templates/ (DefaultTemplateDir())
  std::filesystem::path static_dir;    // served under /static/ (DefaultStaticDir())
  SessionOptions session;
  service::Clock clock;  // null → the system clock
};

class App {
 public:
  // Loads the templates. kInvalidArgument / kNotFound as Templates::Load.
  static Result<std::unique_ptr<App>> Create(AppServices services, AppOptions options);

  // A Router with every route. Fails as Router::Add does (a programming error).
  Result<Router> BuildRouter();

  // The routes of the last BuildRouter (static files excluded), for tests and docs.
  const std::vector<RouteSpec>& routes() const { return routes_; }

 private:
  App(AppServices services, AppOptions options, Templates templates);

  AppOptions options_;
  Pages pages_;
  WebAuth auth_;
  AppContext context_;
  std::vector<RouteSpec> routes_;
};

}  // namespace trellis::web
