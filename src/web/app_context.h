// web/app_context.h — what the application's handlers share: the services they call, the page
// renderer and the web auth. Built once by App (app.h) and passed by reference to each group of
// routes (session_pages.h, directory_pages.h, framework_pages.h, api_v1.h, and later the
// campaign and questionnaire pages). Everything it refers to is thread-safe.
#pragma once

#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/plan_service.h"
#include "service/questionnaire_service.h"
#include "service/report_service.h"
#include "service/subject_access.h"
#include "web/auth_middleware.h"
#include "web/pages.h"

namespace trellis::web {

// The services behind the web application. References: the caller keeps them alive for as
// long as the App (and its Router) lives.
struct AppServices {
  service::AuthService& auth;
  service::DirectoryService& directory;
  service::FrameworkService& frameworks;
  service::QuestionnaireService& questionnaires;  // the rater pages, /r/{token}
  service::CampaignService& campaigns;            // the campaign admin pages and API
  // Individual reports (report_pages.h); null: the report routes answer 503.
  service::ReportService* reports = nullptr;
  // Development plans and learning resources (plan_pages.h); null: those routes answer 503.
  service::PlanService* plans = nullptr;
  // Subject-access exports (subject_access_pages.h); null: those routes answer 503.
  service::SubjectAccessService* subject_access = nullptr;
};

struct AppContext {
  AppServices services;
  const Pages& pages;
  const WebAuth& auth;
};

}  // namespace trellis::web
