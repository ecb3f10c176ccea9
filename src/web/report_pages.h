// web/report_pages.h — the individual 360 report (docs/reports.md): "My reports", the report
// page /reports/{campaign}/{subject} in the order a coach walks through it (radar charts, per
// competency figures, item detail, competence vs context, change since last time, comments),
// its CSV and xlsx exports, sharing with a line manager or coach, the admin list of a
// campaign's reports, and the API (/api/v1/campaigns/{campaign}/reports: JSON Lines; …/{subject}:
// one report as JSON). Routes are Access::kStaff: who may see which report is decided by
// service::ReportService (403 otherwise). Handlers are safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the report pages and API routes. `ctx` must outlive the router.
Status AddReportPages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
