// web/session_pages.h — the front door: the landing page at "/", sign-in (GET/POST /login),
// sign-out (POST /logout) and the dashboard every signed-in role sees after sign-in.
// Handlers parse, call one AuthService method, render. Thread-safe.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Registers GET /, GET /login, POST /login, POST /logout, GET /dashboard. `context` must
// outlive the router. Fails as Router::Add does.
Status AddSessionRoutes(RouteTable& routes, const AppContext& context);

}  // namespace trellis::web
