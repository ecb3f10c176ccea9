// web/subject_access_pages.cc — see subject_access_pages.h.
#include "web/subject_access_pages.h"

#include <cctype>
#include <string>

#include "web/problem.h"
#include "web/subject_access_json.h"

namespace trellis::web {
namespace {

Status NotConfigured() {
  return Status::Unavailable("subject-access exports are not configured on this server");
}

// The export as a JSON file download named after the person (ids are [a-z0-9_]).
Response Download(const service::SubjectAccessExport& data) {
  Response response = JsonResponse(SubjectAccessJson(data));
  std::string id = data.person ? data.person->person.id : data.requested_by;
  std::string safe;
  for (char c : id)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') safe.push_back(c);
  response.headers.Add("Content-Disposition",
                       "attachment; filename=\"trellis-data-" + safe + ".json\"");
  return response;
}

Response MyDataPage(const AppContext& ctx, const WebRequest& r) {
  PageData data;
  data.set("has_person", !r.principal->person_id.empty());
  return ctx.pages.Render(r.principal, "my_data", "My data", data);
}

Response OwnFile(const AppContext& ctx, const WebRequest& r, bool api) {
  if (ctx.services.subject_access == nullptr)
    return api ? ErrorResponse(NotConfigured()) : ctx.pages.Error(r.principal, NotConfigured());
  Result<service::SubjectAccessExport> data = ctx.services.subject_access->ExportOwn(*r.principal);
  if (!data.ok())
    return api ? ErrorResponse(data.status()) : ctx.pages.Error(r.principal, data.status());
  return Download(*data);
}

Response PersonFile(const AppContext& ctx, const WebRequest& r, bool api) {
  if (ctx.services.subject_access == nullptr)
    return api ? ErrorResponse(NotConfigured()) : ctx.pages.Error(r.principal, NotConfigured());
  Result<service::SubjectAccessExport> data =
      ctx.services.subject_access->ExportPerson(*r.principal, r.params.at("id"));
  if (!data.ok())
    return api ? ErrorResponse(data.status()) : ctx.pages.Error(r.principal, data.status());
  return Download(*data);
}

}  // namespace

Status AddSubjectAccessPages(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(routes.Add("GET", "/my/data", Access::kStaff, Surface::kPage,
                                     [&ctx](const WebRequest& r) { return MyDataPage(ctx, r); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/my/data.json", Access::kStaff, Surface::kPage,
                 [&ctx](const WebRequest& r) { return OwnFile(ctx, r, false); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/people/{id}/data.json", Access::kAdmin, Surface::kPage,
                 [&ctx](const WebRequest& r) { return PersonFile(ctx, r, false); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/api/v1/me/export", Access::kStaff, Surface::kApi,
                 [&ctx](const WebRequest& r) { return OwnFile(ctx, r, true); }));
  return routes.Add("GET", "/api/v1/people/{id}/export", Access::kAdmin, Surface::kApi,
                    [&ctx](const WebRequest& r) { return PersonFile(ctx, r, true); });
}

}  // namespace trellis::web
