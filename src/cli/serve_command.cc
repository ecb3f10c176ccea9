// cli/serve_command.cc — `trellis serve`: opens the database, builds the services and the web
// application (web/app.h: sign-in, admin pages, /api/v1, /static/) and serves it until
// SIGINT/SIGTERM. Once listening it prints "serving http://HOST:PORT" on stdout (scripts and
// the browser tests read the port from it); the access log follows on stdout (one JSON line
// per request) unless sent elsewhere; messages go to stderr. With a mail server it also sends
// the daily overdue-action reminders of development plans itself (cli/plan_reminders.h).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "cli/config_file.h"
#include "cli/plan_reminders.h"
#include "cli/serve_support.h"
#include "cli/smtp_options.h"
#include "mail/smtp_mailer.h"
#include "service/audit_batcher.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/plan_service.h"
#include "service/questionnaire_service.h"
#include "service/report_service.h"
#include "service/subject_access.h"
#include "service/submission_batcher.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/open_store.h"
#include "storage/plan_store.h"
#include "web/app.h"
#include "web/pages.h"
#include "web/router.h"
#include "web/server.h"
#include "web/static_files.h"

namespace trellis::cli {
namespace {

constexpr int kDefaultServeThreads = 64;

Result<std::filesystem::path> Directory(const std::string& given,
                                        const std::filesystem::path& fallback, const char* option) {
  std::filesystem::path dir = given.empty() ? fallback : std::filesystem::path(given);
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Status::InvalidArgument(std::string(option) + ": '" + dir.string() +
                                   "' is not a directory");
  }
  return dir;
}

}  // namespace

Status Serve(const ServeOptions& options, const GlobalOptions& global) {
  Result<std::filesystem::path> static_dir =
      Directory(options.static_dir, web::DefaultStaticDir(), "--static-dir");
  if (!static_dir.ok()) return static_dir.status();
  Result<std::filesystem::path> template_dir =
      Directory(options.template_dir, web::DefaultTemplateDir(), "--template-dir");
  if (!template_dir.ok()) return template_dir.status();

  std::ofstream log_file;
  std::ostream* access_log = nullptr;
  if (options.access_log == "-") {
    access_log = &std::cout;
  } else if (!options.access_log.empty()) {
    log_file.open(options.access_log, std::ios::app);
    if (!log_file) {
      return Status::InvalidArgument("--access-log: cannot open '" + options.access_log +
                                     "' for appending");
    }
    access_log = &log_file;
  }

  // The framework store, and the directory and campaign stores on the same database.
  // Errors about a value that may come from the config file start with its flag, so that
  // NameConfigOrigin can name the file, line and key instead.
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return Status(store.status().code(), "--db: " + store.status().message());
  Result<std::unique_ptr<storage::DirectoryStore>> directory_store =
      storage::OpenDirectoryStore(**store);
  if (!directory_store.ok()) return directory_store.status();
  // Opened now so a backend without campaigns fails at start, not on first use; the campaign
  // pages will take it.
  Result<std::unique_ptr<storage::CampaignStore>> campaign_store =
      storage::OpenCampaignStore(**store);
  if (!campaign_store.ok()) return campaign_store.status();

  service::AuthService::Options auth_options;
  auth_options.idle_timeout = std::chrono::minutes(options.session_idle_minutes);
  auth_options.absolute_timeout = std::chrono::hours(options.session_absolute_hours);
  service::AuthService auth(**directory_store, auth_options);
  service::DirectoryService directory(**directory_store);
  service::FrameworkService frameworks(**store);
  // Rater submissions are group-committed: concurrent submits share one durable transaction.
  // Declared before the services that use it, so it is destroyed (draining its queue) after
  // the server has stopped.
  service::SubmissionBatcher submission_batcher(**campaign_store);
  service::QuestionnaireService questionnaires(**store, **campaign_store, &submission_batcher);

  // Email for rater invitations, only when a mail server is named; without one the campaign
  // pages offer the invitations CSV instead.
  Result<std::unique_ptr<mail::SmtpMailer>> smtp_mailer = MakeMailer(options.smtp);
  if (!smtp_mailer.ok()) return smtp_mailer.status();
  std::unique_ptr<mail::SmtpMailer> mailer = std::move(*smtp_mailer);
  service::CampaignService::Options campaign_options;
  campaign_options.base_url =
      options.base_url.empty() ? "http://" + options.listen : options.base_url;
  while (!campaign_options.base_url.empty() && campaign_options.base_url.back() == '/') {
    campaign_options.base_url.pop_back();
  }
  service::CampaignService campaigns(**store, **campaign_store, **directory_store, mailer.get(),
                                     campaign_options);

  web::AppOptions app_options;
  app_options.template_dir = *template_dir;
  app_options.static_dir = *static_dir;
  app_options.session.trust_proxy = options.trust_proxy;
  app_options.session.secure_cookies = options.secure_cookies;
  // Reports: figures computed once per closed campaign and kept in memory (report_service.h).
  Result<std::unique_ptr<storage::ReportShareStore>> share_store =
      storage::OpenReportShareStore(**store);
  if (!share_store.ok()) return share_store.status();
  // Every report view is audited before the page is sent; concurrent views share one durable
  // transaction (group commit). Declared before the service, so it drains after the server.
  service::AuditBatcher audit_batcher(**directory_store);
  service::ReportService::Options report_options;
  report_options.audit_batcher = &audit_batcher;
  service::ReportService reports(**store, **campaign_store, **directory_store, **share_store,
                                 report_options);
  // Cached figures name people: an erasure drops them (docs/accounts.md).
  directory.SetErasureListener(
      [&reports](std::string_view partnership_id) { reports.ClearCache(partnership_id); });
  // A campaign released (page, API, any path) has its reports rendered in the background.
  campaigns.SetReleaseListener(
      [&reports](std::string_view partnership_id, std::string_view campaign_id) {
        reports.Prerender(partnership_id, campaign_id);
      });
  // Development plans: reminders of overdue actions go through the same mailer (docs/plans.md).
  Result<std::unique_ptr<storage::PlanStore>> plan_store = storage::OpenPlanStore(**store);
  if (!plan_store.ok()) return plan_store.status();
  service::PlanService::Options plan_options;
  plan_options.base_url = campaign_options.base_url;
  plan_options.reminder_quiet_days = options.plan_quiet_days;
  service::PlanService plans(**store, **campaign_store, **directory_store, **plan_store,
                             mailer.get(), plan_options);
  web::AppServices services{auth, directory, frameworks, questionnaires, campaigns, &reports};
  services.plans = &plans;
  // Subject-access exports read through the services above (docs/accounts.md).
  service::SubjectAccessService subject_access(**directory_store, **campaign_store, **share_store,
                                               campaigns, reports, plans, {});
  services.subject_access = &subject_access;
  Result<std::unique_ptr<web::App>> app = web::App::Create(services, app_options);
  if (!app.ok()) return app.status();
  Result<web::Router> router = (*app)->BuildRouter();
  if (!router.ok()) return router.status();
  // Each partnership's latest released campaign is rendered in the background while the server
  // starts (older ones on first view).
  if (Status queued = reports.PrerenderReleased(); !queued.ok())
    std::cerr << "trellis: reports are not prerendered: " << queued.ToString() << "\n";

  web::ServerOptions server_options;
  // Handlers block on the database (and a submission on its batch's commit), so the pool is
  // sized for requests in flight, not for cores: 64 concurrent submits then share a commit.
  server_options.threads = options.threads > 0 ? options.threads : kDefaultServeThreads;
  server_options.access_log = access_log;
  web::Server server(std::move(*router), server_options);
  Result<std::uint16_t> port = server.Listen(options.listen);
  if (!port.ok()) return Status(port.status().code(), "--listen: " + port.status().message());
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  // Overdue plan actions are reminded by the server itself, once a day, when it can send email.
  std::unique_ptr<PlanReminderScheduler> reminders;
  std::string reminders_note;
  if (options.plan_reminders != "daily") {
    reminders_note = "off (--plan-reminders or plans.reminders is off)";
  } else if (mailer == nullptr) {
    reminders_note = "off: no SMTP (no --smtp-host)";
  } else {
    reminders = std::make_unique<PlanReminderScheduler>(server, plans, options.plan_reminder_hour);
    reminders_note = DescribeReminderHour(options.plan_reminder_hour);
  }
  TRELLIS_RETURN_IF_ERROR(server.Run([&] {
    std::cout << "serving http://" << host << ":" << *port << std::endl;
    std::cerr << "trellis: serving http://" << host << ":" << *port << "/ (database "
              << storage::DisplayLocation(global.db_path) << "); Ctrl-C to stop\n";
    if (reminders != nullptr) {
      const service::TimePoint next = reminders->Start(options.plan_reminders_now);
      reminders_note += ", next " + service::UtcText(next);
      if (options.plan_reminders_now) reminders_note += ", and one pass now";
    }
    std::cerr << "trellis: plan reminders: " << reminders_note << std::endl;
  }));
  std::cerr << "trellis: stopped\n";
  return Status::Ok();
}

void AddServeCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the web server (stops on Ctrl-C or SIGTERM)");
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--db", global.db_path, "SQLite database file")->capture_default_str();
  cmd->add_option("--static-dir", options->static_dir,
                  "directory served under /static/ (default: $TRELLIS_STATIC_DIR, else the "
                  "source tree's web/static)");
  cmd->add_option("--template-dir", options->template_dir,
                  "directory of the page templates (default: $TRELLIS_TEMPLATE_DIR, else the "
                  "source tree's web/templates)");
  cmd->add_option("--threads", options->threads,
                  "request threads (default: 64: requests wait on the database, and concurrent "
                  "submissions share one commit)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--access-log", options->access_log,
                  "where to write the JSON access log: '-' for stdout, a file to append to, or "
                  "'' for none")
      ->capture_default_str();
  cmd->add_flag("--trust-proxy", options->trust_proxy,
                "trust X-Forwarded-Proto from a reverse proxy (cookies are Secure when it says "
                "https)");
  cmd->add_flag("--secure-cookies", options->secure_cookies,
                "always mark cookies Secure (the site is only reached over HTTPS)");
  AddSmtpOptions(cmd, options->smtp,
                 "mail server for rater invitations and plan reminders (none: no email; export "
                 "the invitations CSV instead)");
  cmd->add_option("--base-url", options->base_url,
                  "public URL of the site, for links in invitations (default: http://LISTEN)");
  cmd->add_option("--session-idle-minutes", options->session_idle_minutes,
                  "sign-in sessions end after this many minutes without a request")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--session-absolute-hours", options->session_absolute_hours,
                  "sign-in sessions end this many hours after sign-in")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--plan-reminders", options->plan_reminders,
                  "email the owners of overdue plan actions once a day (needs --smtp-host)")
      ->capture_default_str()
      ->check(CLI::IsMember({"daily", "off"}));
  cmd->add_option("--plan-reminder-hour", options->plan_reminder_hour,
                  "hour of the day (UTC) of the daily plan reminders")
      ->capture_default_str()
      ->check(CLI::Range(0, 23));
  cmd->add_option("--plan-quiet-days", options->plan_quiet_days,
                  "remind an action at most once in this many days")
      ->capture_default_str()
      ->check(CLI::Range(0, 365));
  cmd->add_flag("--plan-reminders-now", options->plan_reminders_now,
                "also run one reminder pass as soon as the server listens (then daily)");
  cmd->add_option("--config", options->config,
                  "TOML configuration file (docs/operations.md); flags given here override it");
  cmd->callback([options, &global, exit_code, cmd, &app] {
    auto given = [cmd, &app](std::string_view flag) {
      const std::string name(flag);
      return cmd->count(name) > 0 || (name == "--db" && app.count(name) > 0);
    };
    ServeConfigFile file;
    if (!options->config.empty()) {
      Result<ServeConfigFile> loaded = LoadServeConfig(options->config);
      if (!loaded.ok()) {
        *exit_code = Report(loaded.status());
        return;
      }
      file = std::move(*loaded);
      ApplyServeConfig(file, given, *options, global);
    }
    *exit_code = Report(NameConfigOrigin(Serve(*options, global), file, given));
  });
}

}  // namespace trellis::cli
