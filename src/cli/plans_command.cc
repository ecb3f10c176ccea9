// cli/plans_command.cc — `trellis plans remind`: emails the owners of overdue development-plan
// actions (service/plan_service.h), every partnership of the database, one message per person,
// each action at most once per --quiet-days. `trellis serve` does the same once a day when it
// has a mail server (cli/plan_reminders.h); this verb is for running it by hand or from cron
// instead (docs/plans.md). It reads serve's configuration file (--config: database, base_url,
// [smtp], [plans] quiet_days); flags override it. Prints what it sent; a message the mail
// server refused is listed on stderr and makes the exit code 2, so the timer's failure shows
// (the next run tries again).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "cli/config_file.h"
#include "cli/smtp_options.h"
#include "mail/smtp_mailer.h"
#include "service/plan_service.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/open_store.h"
#include "storage/plan_store.h"

namespace trellis::cli {
namespace {

struct RemindOptions {
  SmtpOptions smtp;
  std::string base_url;
  int quiet_days = 7;
  std::string config;
};

Status RunRemind(const RemindOptions& o, const GlobalOptions& global) {
  if (o.base_url.empty()) {
    return Status::InvalidArgument(
        "--base-url: required (the site's address, for the links; or base_url in --config)");
  }
  if (o.smtp.host.empty()) {
    return Status::InvalidArgument("--smtp-host: required (or [smtp] host in --config)");
  }
  Result<std::unique_ptr<mail::SmtpMailer>> mailer = MakeMailer(o.smtp);
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
  AddSmtpOptions(remind, o->smtp, "mail server (required, here or in --config)");
  remind->add_option("--base-url", o->base_url,
                     "public URL of the site, for the links to plans (https://trellis.example)");
  remind
      ->add_option("--quiet-days", o->quiet_days, "remind an action at most once in this many days")
      ->capture_default_str()
      ->check(CLI::Range(0, 365));
  remind->add_option("--config", o->config,
                     "trellis serve's TOML configuration file (docs/operations.md): its db, "
                     "base_url, [smtp] and [plans] quiet_days; flags given here override it");
  remind->callback([o, &global, exit_code, remind, &app] {
    auto given = [remind, &app](std::string_view flag) {
      const std::string name(flag);
      return remind->count(name) > 0 || (name == "--db" && app.count(name) > 0);
    };
    ServeConfigFile file;
    if (!o->config.empty()) {
      Result<ServeConfigFile> loaded = LoadServeConfig(o->config);
      if (!loaded.ok()) {
        *exit_code = Report(loaded.status());
        return;
      }
      file = std::move(*loaded);
      ApplySmtpConfig(file, given, o->smtp);
      if (file.db && !given("--db")) global.db_path = *file.db;
      if (file.base_url && !given("--base-url")) o->base_url = *file.base_url;
      if (file.plan_quiet_days && !given("--quiet-days")) {
        o->quiet_days = static_cast<int>(*file.plan_quiet_days);
      }
    }
    *exit_code = Report(NameConfigOrigin(RunRemind(*o, global), file, given));
  });
}

}  // namespace trellis::cli
