// web/plan_api.h — the JSON API of development plans under /api/v1 (docs/openapi.yaml): list,
// start and read plans, add goals, actions (and their status), evidence, shares and comments;
// for admins the overdue actions, their reminders and the learning-resource catalogue. The
// same service calls and access rules as the pages (plan_pages.h); errors are problem+json.
// Safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the /api/v1/plans…, /api/v1/resources… routes. `ctx` must outlive the router.
Status AddPlanApi(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
