// web/profile_pages.h — viewing and editing a framework's role profiles (docs/web.md, "Role
// profiles"): `/frameworks/{code}/profiles?level=…&function=…` shows, for one level × function,
// each competency's expected level and importance (1–3) and, where the cell is empty, what it
// falls back to (level × generalist, DESIGN.md); admins get the same page as a form, and saving
// it stores the latest version with that profile replaced as a new framework version (versions
// are immutable; campaigns keep the version they were created on), written to the audit log.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Adds the role-profile routes to `routes`. `ctx` must outlive the router.
Status AddProfilePages(RouteTable& routes, const AppContext& ctx);

}  // namespace trellis::web
