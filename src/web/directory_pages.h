// web/directory_pages.h — the admin pages for a partnership's directory: organisations (list,
// add with a sector, edit), people (list with filters, add, edit, CSV import by upload with
// every row's errors shown and nothing stored when any row is bad) and the audit log.
// Every route is admin-only and scoped to the signed-in admin's partnership. Thread-safe.
#pragma once

#include "core/status.h"
#include "web/app_context.h"
#include "web/route_table.h"

namespace trellis::web {

// Registers GET/POST /organisations, GET/POST /organisations/{id}, GET /people, GET
// /people/new, POST /people, GET/POST /people/{id}, GET/POST /people/import and GET /audit.
// `context` must outlive the router. Fails as Router::Add does.
Status AddDirectoryPages(RouteTable& routes, const AppContext& context);

// A sector's label for people ("primary_care" → "Primary care").
std::string_view SectorLabel(model::Sector sector);

}  // namespace trellis::web
