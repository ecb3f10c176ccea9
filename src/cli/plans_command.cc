// cli/plans_command.cc — `trellis plans remind`: emails the owners of overdue development-plan
// actions (service/plan_service.h), every partnership of the database, one message per person,
// each action at most once per --quiet-days. Meant to run daily from cron or a systemd timer
// (docs/plans.md). Prints what it sent; a message the mail server refused is listed on stderr
// and makes the exit code 2, so the timer's failure shows (the next run tries again).
#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "mail/smtp_mailer.h"
#include "service/plan_service.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/open_store.h"
#include "storage/plan_store.h"

namespace trellis::cli {
namespace {

struct RemindOptions {
  std::string smtp_host;
  int smtp_port = 587;
  std::string smtp_user;
  std::string smtp_password_env;
  std::string smtp_from;
  bool smtp_starttls = false;
  std::string base_url;
  int quiet_days = 7;
};

Result<std::unique_ptr<mail::SmtpMailer>> MailerFor(const RemindOptions& o) {
  if (o.smtp_host.empty()) return Status::InvalidArgument("--smtp-host: required");
  if (o.smtp_from.empty()) return Status::InvalidArgument("--smtp-from: required");
  mail::SmtpConfig smtp;
  smtp.host = o.smtp_host;
  smtp.port = o.smtp_port;
  smtp.username = o.smtp_user;
  smtp.from = o.smtp_from;
  smtp.from_name = "Trellis";
  smtp.starttls = o.smtp_starttls;
  if (!o.smtp_password_env.empty()) {
    // From the environment, never a flag: flags show up in `ps`.
    const char* password = std::getenv(o.smtp_password_env.c_str());
    if (password == nullptr) {
      return Status::InvalidArgument("--smtp-password-env: environment variable '" +
                                     o.smtp_password_env + "' is not set");
    }
    smtp.password = password;
  }
  return std::make_unique<mail::SmtpMailer>(std::move(smtp));
}

Status RunRemind(const RemindOptions& o, const GlobalOptions& global) {
  if (o.base_url.empty()) {
    return Status::InvalidArgument("--base-url: required (the site's address, for the links)");
  }
  Result<std::unique_ptr<mail::SmtpMailer>> mailer = MailerFor(o);
  if (!mailer.ok()) return mailer.status();
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  Result<std::unique_ptr<storage::DirectoryStore>> directory = storage::OpenDirectoryStore(**store);
  if (!directory.ok()) return directory.status();
  Result<std::unique_ptr<storage::CampaignStore>> campaigns = storage::OpenCampaignStore(**store);
  if (!campaigns.ok()) return campaigns.status();
  Result<std::unique_ptr<storage::PlanStore>> plans = storage::OpenPlanStore(**store);
  if (!plans.ok()) return plans.status();
  service::PlanService::Options options;
  options.base_url = o.base_url;
  while (!options.base_url.empty() && options.base_url.back() == '/') options.base_url.pop_back();
  options.reminder_quiet_days = o.quiet_days;
  service::PlanService service(**store, **campaigns, **directory, **plans, mailer->get(), options);
  Result<service::ReminderRun> run = service.SendAllReminders();
  if (!run.ok()) return run.status();
  std::cout << "sent " << run->emails << " reminder email" << (run->emails == 1 ? "" : "s")
            << " about " << run->actions << " overdue action" << (run->actions == 1 ? "" : "s")
            << "\n";
  for (const auto& [person, status] : run->failed) {
    std::cerr << "trellis: not sent to person " << person << ": " << status.message() << "\n";
  }
  if (!run->failed.empty()) {
    return Status::Unavailable(std::to_string(run->failed.size()) +
                               " reminder(s) not sent; the next run tries again");
  }
  return Status::Ok();
}

}  // namespace

void AddPlansCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("plans", "Development plans");
  cmd->require_subcommand(1);
  auto o = std::make_shared<RemindOptions>();
  CLI::App* remind = cmd->add_subcommand(
      "remind", "Email the owners of overdue plan actions (run daily; safe to repeat)");
  AddDbOption(remind, global);
  remind->add_option("--smtp-host", o->smtp_host, "mail server")->required();
  remind->add_option("--smtp-port", o->smtp_port, "mail server port")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  remind->add_option("--smtp-user", o->smtp_user, "mail server login (none: no login)");
  remind->add_option("--smtp-password-env", o->smtp_password_env,
                     "name of the environment variable holding the mail server password");
  remind->add_option("--smtp-from", o->smtp_from, "sender address")->required();
  remind->add_flag("--smtp-starttls", o->smtp_starttls, "require STARTTLS");
  remind
      ->add_option("--base-url", o->base_url,
                   "public URL of the site, for the links to plans (https://trellis.example)")
      ->required();
  remind
      ->add_option("--quiet-days", o->quiet_days, "remind an action at most once in this many days")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  remind->callback([o, &global, exit_code] { *exit_code = Report(RunRemind(*o, global)); });
}

}  // namespace trellis::cli
