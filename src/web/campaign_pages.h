// web/campaign_pages.h — the admin pages of 360 campaigns (docs/web.md, "Campaign pages"):
// the list, the new-campaign form, a campaign's overview (state buttons, subjects, raters,
// proposals), sending invitations and reminders through the Mailer, the invitations CSV for a
// mail merge, and progress with the non-responders. Every route is Access::kAdmin: the
// non-responders name raters and only admins may see them (DESIGN.md). Handlers parse, call
// service::CampaignService and render; they are safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the /campaigns… page routes to `routes`. `ctx` must outlive the router.
// Fails as RouteTable::Add does.
Status AddCampaignPages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
