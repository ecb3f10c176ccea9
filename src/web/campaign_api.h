// web/campaign_api.h — the campaign admin API under /api/v1/campaigns (docs/openapi.yaml),
// mirroring the campaign pages (campaign_pages.h) in JSON: list, create, show with
// nominations, subjects, nominations, approve/decline, the lifecycle steps, invitations by
// email, reminders and progress. Every route is Access::kAdmin. Handlers parse the JSON body,
// call service::CampaignService once and render JSON; safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the /api/v1/campaigns… routes. `ctx` must outlive the router. Fails as RouteTable::Add.
Status AddCampaignApi(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
