// web/app.cc — see app.h.
#include "web/app.h"

#include "web/api_v1.h"
#include "web/campaign_pages.h"
#include "web/directory_pages.h"
#include "web/framework_pages.h"
#include "web/partnership_pages.h"
#include "web/plan_pages.h"
#include "web/profile_pages.h"
#include "web/questionnaire_pages.h"
#include "web/report_pages.h"
#include "web/session_pages.h"
#include "web/static_files.h"
#include "web/subject_access_pages.h"

namespace trellis::web {

Result<std::unique_ptr<App>> App::Create(AppServices services, AppOptions options) {
  Result<Templates> templates = Templates::Load(options.template_dir);
  if (!templates.ok()) return templates.status();
  return std::unique_ptr<App>(new App(services, std::move(options), std::move(*templates)));
}

App::App(AppServices services, AppOptions options, Templates templates)
    : options_(std::move(options)),
      pages_(std::move(templates)),
      auth_(services.auth, pages_, options_.session, options_.clock),
      context_{services, pages_, auth_} {}

Result<Router> App::BuildRouter() {
  Router router;
  RouteTable routes(router, auth_);
  TRELLIS_RETURN_IF_ERROR(AddSessionRoutes(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddDirectoryPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddFrameworkPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddQuestionnairePages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddApiRoutes(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddCampaignPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddReportPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddPartnershipPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddPlanPages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddProfilePages(routes, context_));
  TRELLIS_RETURN_IF_ERROR(AddSubjectAccessPages(routes, context_));
  // Static files are public and read-only (GET/HEAD), so they need no guard.
  TRELLIS_RETURN_IF_ERROR(AddStaticRoutes(router, options_.static_dir));
  routes_ = routes.specs();
  return router;
}

}  // namespace trellis::web
