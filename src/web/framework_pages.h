// web/framework_pages.h — the framework library pages: the list (every signed-in role), the
// outline of a version (domains → competencies → items, the scale, role profiles), and, for
// admins, import by upload of a CSV, native JSON or CASE file (FrameworkService::ImportText).
// Frameworks are a library shared by all partnerships (storage/store.h), so these pages show
// the same frameworks to every partnership. Thread-safe.
#pragma once

#include <string>

#include "core/status.h"
#include "model/framework.h"
#include "service/framework_service.h"
#include "web/app_context.h"
#include "web/pages.h"
#include "web/route_table.h"

namespace trellis::web {

// Registers GET /frameworks, POST /frameworks/import, GET /frameworks/{code} and
// GET /frameworks/{code}/versions/{version}. `context` must outlive the router.
Status AddFrameworkPages(RouteTable& routes, const AppContext& context);

// Writes an admin's framework import (new version or unchanged) to the admin's partnership
// audit log. Used by the import page and POST /api/v1/frameworks/import.
Status AuditFrameworkImport(const AppContext& context, const service::Principal& admin,
                            const service::ImportOutcome& outcome, const std::string& file_name);

// The outline of `framework` as template data (scale, domains, competencies, items).
PageData FrameworkOutlineData(const model::Framework& framework);

}  // namespace trellis::web
