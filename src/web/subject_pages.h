// web/subject_pages.h — the subject's side of 360 campaigns (docs/web.md, "Your campaigns"): a
// signed-in account linked to a person (Principal::person_id) sees the campaigns in which that
// person is a subject, their own progress as counts by group (never rater names, DESIGN.md
// anonymity rules) and, while the campaign is draft or open, proposes raters for an admin to
// approve. Pages under /my/campaigns and the JSON equivalents under /api/v1/my/campaigns. Any
// signed-in role may call them, for their own person only: a campaign in which the account's
// person is not a subject is 404, exactly as one that does not exist. Thread-safe.
#pragma once

#include "core/status.h"
#include "service/auth_service.h"
#include "web/app_context.h"
#include "web/pages.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds GET /my/campaigns/{id}, POST /my/campaigns/{id}/proposals, GET /api/v1/my/campaigns,
// GET /api/v1/my/campaigns/{id} and POST /api/v1/my/campaigns/{id}/proposals.
// `ctx` must outlive the router. Fails as RouteTable::Add.
Status AddSubjectPages(RouteTable& routes, const AppContext& ctx);

// The campaigns in which `principal`'s person is a subject, as dashboard rows (name, href,
// state, window); empty for an account linked to no person.
Result<PageList> SubjectCampaignRows(const AppContext& ctx, const service::Principal& principal);

}  // namespace trellis::web
