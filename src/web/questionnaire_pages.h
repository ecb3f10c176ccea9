// web/questionnaire_pages.h — the rater questionnaire at /r/{token}: no account, the link token
// in the path is the credential (service/questionnaire_service.h checks it). GET shows the
// questionnaire (or a thank-you once submitted, or a neutral "not valid" / "closed" page);
// POST saves a draft (action=save; the autosave script adds autosave=1 and gets 204) or
// submits (action=submit, idempotent per the form's submission_key). Routes are
// Access::kRaterLink: no session, no CSRF token (docs/web.md, "Rater questionnaire").
// Thread-safe as the handlers' services are.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds GET and POST /r/{token}. Fails as RouteTable::Add does.
Status AddQuestionnairePages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
