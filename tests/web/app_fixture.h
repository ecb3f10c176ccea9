// web/app_fixture.h — the whole web application over a real SQLite database in a temp dir,
// for handler tests through HandleRequest (no sockets). Two partnerships: Alpha (admin,
// member and board accounts, an organisation, a person named "<script>…") and Beta (an admin
// and its own organisation), and one framework in the shared library. Header-only; one
// fixture per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/plan_service.h"
#include "service/questionnaire_service.h"
#include "service/report_service.h"
#include "service/subject_access.h"
#include "service/utc_time.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/open_store.h"
#include "storage/plan_store.h"
#include "storage/report_share_store.h"
#include "testing/framework_samples.h"
#include "testing/temp_dir.h"
#include "web/app.h"
#include "web/auth_middleware.h"
#include "web/server.h"

namespace trellis::web::testing {

inline constexpr char kPassword[] = "correct horse battery";
inline constexpr char kScriptName[] = "<script>alert(1)</script> Smith";

// A signed-in browser: the session cookie and the CSRF token of the session.
struct Session {
  std::string cookie;  // the trellis_session value; empty: signed out
  std::string csrf;
};

inline std::vector<std::string> SetCookies(const Response& response) {
  std::vector<std::string> out;
  for (const auto& [name, value] : response.headers) {
    if (EqualsIgnoreCase(name, "Set-Cookie")) out.push_back(value);
  }
  return out;
}

// The value of the first `name="_csrf" value="…"` in a page.
inline std::string CsrfFieldOf(const std::string& html) {
  const std::string marker = "name=\"_csrf\" value=\"";
  std::size_t at = html.find(marker);
  if (at == std::string::npos) return "";
  at += marker.size();
  return html.substr(at, html.find('"', at) - at);
}

// A Mailer that keeps every message instead of sending it (campaign invitations).
class CapturingMailer : public service::Mailer {
 public:
  struct Message {
    std::string to, subject, body;
  };
  Status Send(const std::string& to, const std::string& subject,
              const std::string& text_body) override {
    std::lock_guard<std::mutex> lock(mu_);
    sent_.push_back({to, subject, text_body});
    return Status::Ok();
  }
  std::vector<Message> sent() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sent_;
  }

 private:
  mutable std::mutex mu_;
  std::vector<Message> sent_;
};

class AppTest : public ::testing::Test {
 protected:
  // A campaign of Alpha's on the sample framework, without context check, on `subjects`
  // (Alpha's person when empty).
  service::CampaignSpec AlphaSpec(const std::string& name, const std::string& opens_on,
                                  const std::string& closes_on,
                                  std::vector<std::string> subjects = {}) const {
    service::CampaignSpec spec;
    spec.partnership_id = alpha_;
    spec.name = name;
    spec.framework_code = "integrated-care";  // trellis::testing::SampleFramework()
    spec.opens_on = opens_on;
    spec.closes_on = closes_on;
    spec.context_check = false;
    spec.subject_ids = subjects.empty() ? std::vector<std::string>{alpha_person_} : subjects;
    return spec;
  }

  void SetUp() override {
    auto store = storage::OpenStore((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    auto directory_store = storage::OpenDirectoryStore(*store_);
    ASSERT_TRUE(directory_store.ok()) << directory_store.status().ToString();
    directory_store_ = std::move(*directory_store);
    service::AuthService::Options fast;
    fast.opslimit = 1;
    fast.memlimit_bytes = 8192;
    fast.weak_hashing_for_tests = true;
    auth_ = std::make_unique<service::AuthService>(*directory_store_, fast);
    directory_ = std::make_unique<service::DirectoryService>(*directory_store_);
    frameworks_ = std::make_unique<service::FrameworkService>(*store_);
    auto campaign_store = storage::OpenCampaignStore(*store_);
    ASSERT_TRUE(campaign_store.ok()) << campaign_store.status().ToString();
    campaign_store_ = std::move(*campaign_store);
    questionnaires_ = std::make_unique<service::QuestionnaireService>(*store_, *campaign_store_);

    alpha_ = directory_->CreatePartnership("Alpha ICP", "cli")->id;
    beta_ = directory_->CreatePartnership("Beta ICP", "cli")->id;
    AddAccount(alpha_, "admin@alpha.example", model::Role::kAdmin);
    AddAccount(alpha_, "member@alpha.example", model::Role::kMember);
    AddAccount(alpha_, "board@alpha.example", model::Role::kBoard);
    AddAccount(beta_, "admin@beta.example", model::Role::kAdmin);

    auto alpha_org = directory_->AddOrganisation(alpha_, "Alpha Acute Trust", "acute", "cli");
    ASSERT_TRUE(alpha_org.ok()) << alpha_org.status().ToString();
    alpha_org_ = alpha_org->id;
    auto beta_org =
        directory_->AddOrganisation(beta_, "Beta Borough Council", "local_authority", "cli");
    ASSERT_TRUE(beta_org.ok()) << beta_org.status().ToString();
    beta_org_ = beta_org->id;
    service::PersonInput person{kScriptName, "sam@alpha.example", alpha_org_,
                                "strategic", "clinical",          ""};
    auto added = directory_->AddPerson(alpha_, person, "cli");
    ASSERT_TRUE(added.ok()) << added.status().ToString();
    alpha_person_ = added->person.id;
    auto framework = frameworks_->ImportFramework(trellis::testing::SampleFramework(), "sample");
    ASSERT_TRUE(framework.ok()) << framework.status().ToString();
    service::CampaignService::Options campaign_options;
    campaign_options.base_url = "http://trellis.test";
    campaigns_ = std::make_unique<service::CampaignService>(
        *store_, *campaign_store_, *directory_store_, &mailer_, campaign_options);
    // A draft campaign of Alpha's, so routes naming a campaign {id} have a real one.
    auto campaign =
        campaigns_->Create(AlphaSpec("Alpha 360", "2026-01-01", "2026-12-31"), "acc_test");
    ASSERT_TRUE(campaign.ok()) << campaign.status().ToString();
    alpha_campaign_ = campaign->id;
    SeedAlphaPlan();

    AppOptions options;
    options.template_dir = std::string(TRELLIS_SOURCE_DIR) + "/web/templates";
    options.static_dir = std::string(TRELLIS_SOURCE_DIR) + "/web/static";
    options.session = session_options_;
    AppServices services{*auth_, *directory_, *frameworks_, *questionnaires_, *campaigns_};
    services.plans = plans_.get();
    auto share_store = storage::OpenReportShareStore(*store_);
    ASSERT_TRUE(share_store.ok()) << share_store.status().ToString();
    share_store_ = std::move(*share_store);
    reports_ =
        std::make_unique<service::ReportService>(*store_, *campaign_store_, *directory_store_,
                                                 *share_store_, service::ReportService::Options{});
    services.reports = reports_.get();
    directory_->SetErasureListener(
        [this](std::string_view partnership_id) { reports_->ClearCache(partnership_id); });
    campaigns_->SetReleaseListener(
        [this](std::string_view p, std::string_view c) { reports_->Prerender(p, c); });
    subject_access_ = std::make_unique<service::SubjectAccessService>(
        *directory_store_, *campaign_store_, *share_store_, *campaigns_, *reports_, *plans_,
        service::SubjectAccessService::Options{});
    services.subject_access = subject_access_.get();
    auto app = App::Create(services, options);
    ASSERT_TRUE(app.ok()) << app.status().ToString();
    app_ = std::move(*app);
    auto router = app_->BuildRouter();
    ASSERT_TRUE(router.ok()) << router.status().ToString();
    router_ = std::make_unique<Router>(std::move(*router));
  }

  // A development plan of Alpha's person, shared with Alpha's admin as coach (so routes naming a
  // plan {id} have a real one the admin may read), with an action; and a learning resource.
  void SeedAlphaPlan() {
    auto plan_store = storage::OpenPlanStore(*store_);
    ASSERT_TRUE(plan_store.ok()) << plan_store.status().ToString();
    plan_store_ = std::move(*plan_store);
    service::PlanService::Options plan_options;
    plan_options.base_url = "http://trellis.test";
    plans_ = std::make_unique<service::PlanService>(*store_, *campaign_store_, *directory_store_,
                                                    *plan_store_, &mailer_, plan_options);
    storage::DevelopmentPlan plan;
    plan.id = alpha_plan_ = "pln_alpha";
    plan.partnership_id = alpha_;
    plan.person_id = alpha_person_;
    plan.campaign_id = alpha_campaign_;
    plan.framework_code = "integrated-care";
    plan.framework_version = 1;
    plan.created_at = plan.updated_at = "2026-01-02T09:00:00Z";
    plan.priorities = {{"SYS.2", "A private goal"}};
    ASSERT_TRUE(plan_store_->CreatePlan(plan).ok());
    storage::PlanAction action;
    action.id = alpha_action_ = "act_alpha";
    action.competency_code = "SYS.2";
    action.description = "A private action";
    action.owner = "Sam";
    action.due_on = "2026-01-31";
    action.created_at = action.updated_at = plan.created_at;
    ASSERT_TRUE(plan_store_->AddAction(alpha_, alpha_plan_, action).ok());
    auto admin = directory_store_->FindAccountForSignIn("admin@alpha.example");
    ASSERT_TRUE(admin.ok());
    alpha_admin_account_ = admin->account.id;
    ASSERT_TRUE(plan_store_
                    ->Share(alpha_, alpha_plan_,
                            {alpha_admin_account_, storage::ShareRole::kCoach, plan.created_at})
                    .ok());
    storage::LearningResource resource;
    resource.id = alpha_resource_ = "res_alpha";
    resource.partnership_id = alpha_;
    resource.title = "A resource";
    resource.url = "https://example.org";
    resource.competency_codes = {"SYS.2"};
    resource.created_at = resource.updated_at = plan.created_at;
    ASSERT_TRUE(plan_store_->AddResource(resource).ok());
  }

  void AddAccount(const std::string& partnership, const std::string& email, model::Role role) {
    auto account =
        auth_->CreateAccount({partnership, email, "User " + email, role, ""}, kPassword, "cli");
    ASSERT_TRUE(account.ok()) << account.status().ToString();
  }

  // Signs in through the service (the sign-in page has its own tests).
  Session SignIn(const std::string& email) {
    auto signed_in = auth_->Login(email, kPassword, service::SystemNow());
    EXPECT_TRUE(signed_in.ok()) << signed_in.status().ToString();
    if (!signed_in.ok()) return {};
    return {signed_in->token, signed_in->principal.csrf_token};
  }

  // A request as a browser with `session` sends it; `csrf` adds the X-CSRF-Token header.
  Response Call(const std::string& method, const std::string& target, const Session& session,
                std::string body = "", std::string content_type = "",
                std::optional<std::string> csrf_header = std::nullopt) {
    Result<Request> request = MakeRequest(method, target, std::move(body));
    EXPECT_TRUE(request.ok()) << target;
    if (!request.ok()) return {};
    if (!session.cookie.empty()) {
      request->headers.Add("Cookie", std::string(kSessionCookie) + "=" + session.cookie);
    }
    if (!content_type.empty()) request->headers.Set("Content-Type", content_type);
    if (csrf_header) request->headers.Set(std::string(kCsrfHeader), *csrf_header);
    return HandleRequest(*router_, *request);
  }

  // A url-encoded form POST carrying the session's CSRF token in `_csrf`.
  Response PostForm(const std::string& target, const Session& session, std::string fields) {
    std::string body = "_csrf=" + PercentEncode(session.csrf);
    if (!fields.empty()) body += "&" + fields;
    return Call("POST", target, session, body, "application/x-www-form-urlencoded");
  }

  // A multipart upload of one file under field "file", with the session's CSRF token.
  Response Upload(const std::string& target, const Session& session, const std::string& filename,
                  const std::string& content) {
    const std::string b = "----trellis-test-boundary";
    std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" +
                       session.csrf + "\r\n--" + b +
                       "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename +
                       "\"\r\nContent-Type: text/csv\r\n\r\n" + content + "\r\n--" + b + "--\r\n";
    return Call("POST", target, session, body, "multipart/form-data; boundary=" + b);
  }

  // `pattern` with its parameters filled in with Alpha's records.
  std::string Fill(const std::string& pattern) const {
    std::string out = pattern;
    auto replace = [&out](const std::string& from, const std::string& to) {
      for (std::size_t at; (at = out.find(from)) != std::string::npos;) {
        out.replace(at, from.size(), to);
      }
    };
    const bool people = pattern.find("/people/") != std::string::npos;
    const bool campaigns = pattern.find("/campaigns/") != std::string::npos;
    if (pattern.find("/plans/") != std::string::npos) replace("{id}", alpha_plan_);
    if (pattern.find("/resources/") != std::string::npos) replace("{id}", alpha_resource_);
    replace("{action}", alpha_action_);
    replace("{account}", alpha_admin_account_);
    replace("{id}", people ? alpha_person_ : campaigns ? alpha_campaign_ : alpha_org_);
    replace("{person}", alpha_person_);
    replace("{campaign}", alpha_campaign_);
    replace("{subject}", alpha_person_);
    replace("{code}", "integrated-care");
    replace("{version}", "1");
    replace("{path...}", "trellis.css");
    return out;
  }

  trellis::testing::TempDir dir_;
  SessionOptions session_options_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::DirectoryStore> directory_store_;
  std::unique_ptr<service::AuthService> auth_;
  std::unique_ptr<service::DirectoryService> directory_;
  std::unique_ptr<service::FrameworkService> frameworks_;
  std::unique_ptr<storage::CampaignStore> campaign_store_;
  std::unique_ptr<service::QuestionnaireService> questionnaires_;
  CapturingMailer mailer_;
  std::unique_ptr<service::CampaignService> campaigns_;
  std::unique_ptr<storage::PlanStore> plan_store_;
  std::unique_ptr<service::PlanService> plans_;
  std::unique_ptr<storage::ReportShareStore> share_store_;
  std::unique_ptr<service::ReportService> reports_;
  std::unique_ptr<service::SubjectAccessService> subject_access_;
  std::unique_ptr<App> app_;
  std::unique_ptr<Router> router_;
  std::string alpha_, beta_, alpha_org_, beta_org_, alpha_person_, alpha_campaign_;
  std::string alpha_plan_, alpha_action_, alpha_admin_account_, alpha_resource_;
};

}  // namespace trellis::web::testing
