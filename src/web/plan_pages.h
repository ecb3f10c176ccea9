// web/plan_pages.h — the pages of development plans (docs/plans.md, docs/web.md): /plans (my
// plans, plans shared with me, my overdue actions), /plans/new (choose a campaign, then the
// priority competencies), /plans/{id} (priorities with goals, actions with status and due date,
// overdue highlighted, suggested resources, evidence, sharing, comments) and its forms; for
// admins /plans/overdue (the partnership's overdue actions and the reminder button) and
// /resources (the learning-resource catalogue). Plan routes are Access::kStaff: whether the
// principal may see a plan is the service's decision (owner or shared reader; anyone else gets
// 404). Every form works without JavaScript and carries the CSRF token. Handlers parse, call
// service::PlanService and render; safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the /plans…, /resources… pages and their /api/v1 equivalents (plan_api.h) to `routes`.
// `ctx` must outlive the router. Fails as RouteTable::Add does.
Status AddPlanPages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
