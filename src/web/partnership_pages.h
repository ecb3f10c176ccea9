// web/partnership_pages.h — the partnership view for admins and the board (docs/web.md,
// "Partnership view"; docs/reports.md): `/partnership` shows, for one closed or released
// campaign, a heatmap of competencies or domains by organisation, sector, role, level or
// function (scores, or shortfall against role profiles), the strongest and weakest
// competencies, competence against context by organisation, and response rates;
// `/partnership/heatmap.csv` exports the same table with the same withholding; and
// `GET /api/v1/campaigns/{id}/heatmap` gives it as JSON. Every route is Access::kBoard (board
// and admins). Figures come from service::BuildPartnershipView over ReportService's cached
// figures; withheld cells carry their reason and never a number.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the partnership view routes to `routes`. `ctx` must outlive the router.
Status AddPartnershipPages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
