// web/subject_access_pages.h — subject-access requests on the web (docs/accounts.md
// "Subject-access requests"): the "My data" page (/my/data, linked from the account area of the
// header) with a download of the signed-in person's own data (/my/data.json), an admin's
// download of any person of the partnership from the person's page (/people/{id}/data.json),
// and the API (GET /api/v1/me/export; GET /api/v1/people/{id}/export, admins: 403
// problem+json for others). Every download is an attachment of service::SubjectAccessService's
// export rendered by subject_access_json.h; the service audits it before it is sent.
// Handlers are safe to call from many threads.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the pages and API routes. `ctx` must outlive the router.
Status AddSubjectAccessPages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
