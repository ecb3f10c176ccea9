// web/api_v1.h — the JSON API under /api/v1 for the admin operations the pages offer:
// organisations, people (and their CSV import), the framework library (list, versions, a
// version as native framework JSON, import) and the audit log, plus GET /api/v1/session to
// learn who is signed in and the CSRF token. Authentication is the session cookie of the
// sign-in page; state-changing calls send the token in X-CSRF-Token (docs/web.md). Errors are
// application/problem+json. Described in docs/openapi.yaml. Thread-safe.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Registers every /api/v1 route (see docs/openapi.yaml). `context` must outlive the router.
Status AddApiRoutes(RouteTable& routes, const AppContext& context);

}  // namespace trellis::web
