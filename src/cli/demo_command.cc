// cli/demo_command.cc — `trellis demo`: creates (or reuses) demo.db with the demo partnership of
// service/demo_seed.h (the built-in frameworks, six organisations, 40 managers, staff accounts
// and an open 360 campaign most raters have answered), prints the URL and the demo logins, and
// then serves the web demo (`--no-serve` stops after printing). `--config` takes the settings
// file of `trellis serve` (cli/config_file.h) for everything but the database.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/config_file.h"
#include "cli/serve_support.h"
#include "model/campaign.h"
#include "model/partnership.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/demo_seed.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/plan_service.h"
#include "service/questionnaire_service.h"
#include "service/utc_time.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/open_store.h"
#include "storage/plan_store.h"

#ifndef TRELLIS_SOURCE_DIR
#define TRELLIS_SOURCE_DIR "."
#endif

namespace trellis::cli {
namespace {

constexpr const char* kBuiltInFrameworks[] = {"integrated-care.json", "context-check.json"};

struct DemoOptions {
  std::string db_path = "demo.db";
  std::string listen = "127.0.0.1:8080";
  bool no_serve = false;
  std::string config;  // --config: serve settings (cli/config_file.h), all but the database
  ServeOptions serve;  // what the file sets; listen is `listen` above
};

// The built-in frameworks directory: ./frameworks when run from a checkout (or a copy of the
// data), else the source tree this binary was built from.
Result<std::filesystem::path> FindFrameworksDir() {
  std::vector<std::filesystem::path> candidates = {
      std::filesystem::current_path() / "frameworks",
      std::filesystem::path(TRELLIS_SOURCE_DIR) / "frameworks"};
  for (const std::filesystem::path& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / kBuiltInFrameworks[0], ec)) return dir;
  }
  return Status::NotFound("cannot find the built-in frameworks: looked for " +
                          (candidates[0] / kBuiltInFrameworks[0]).string() + " and " +
                          (candidates[1] / kBuiltInFrameworks[0]).string() +
                          "; run trellis demo from the Trellis source directory");
}

void PrintSummary(const service::DemoSummary& s, const std::string& db_path,
                  const std::string& base_url) {
  std::cout << db_path << ": "
            << (s.created ? "created the demo partnership " : "reusing the demo partnership ")
            << s.partnership.name << (s.created ? "" : " (nothing changed)") << "\n";
  std::cout << "  " << s.organisations.size() << " organisations:";
  const char* sep = " ";
  for (const model::Organisation& o : s.organisations) {
    std::cout << sep << o.name << " (" << model::SectorName(o.sector) << ")";
    sep = "; ";
  }
  std::cout << "\n  " << s.people << " people: " << s.strategic << " strategic, " << s.operational
            << " operational\n";
  const model::Campaign& c = s.campaign;
  std::cout << "  campaign \"" << c.name << "\" (" << model::CampaignStateName(c.state) << ", "
            << c.opens_on << " to " << c.closes_on << ") on " << c.framework_code << " version "
            << c.framework_version << (c.context_check ? " with the context check" : "") << ": "
            << c.subject_ids.size() << " subjects; " << s.responses.submitted << " of "
            << s.responses.invited << " raters answered ("
            << std::lround(100.0 * s.responses.Rate()) << "%)\n";

  std::cout << "\nOpen " << base_url << "/ and sign in with the password " << s.password
            << " as:\n";
  for (const service::DemoLogin& login : s.logins) {
    std::cout << "  " << std::left << std::setw(44) << login.email << std::setw(8)
              << model::RoleName(login.role) << login.display_name << ", " << login.about << "\n";
  }
  if (!s.unanswered.empty()) {
    std::cout << "\nRaters who have not answered yet (links are stored hashed, so shown only "
                 "now):\n";
    for (const service::Invitation& inv : s.unanswered) {
      std::cout << "  " << inv.link << "  (" << inv.rater_name << ", "
                << model::RaterGroupName(inv.group) << " of " << inv.subject_name << ")\n";
    }
  }
  std::cout << std::flush;
}

Status RunDemo(const DemoOptions& options) {
  Result<std::filesystem::path> dir = FindFrameworksDir();
  if (!dir.ok()) return dir.status();
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(options.db_path);
  if (!store.ok()) return store.status();
  Result<std::unique_ptr<storage::DirectoryStore>> directory_store =
      storage::OpenDirectoryStore(**store);
  if (!directory_store.ok()) return directory_store.status();
  Result<std::unique_ptr<storage::CampaignStore>> campaign_store =
      storage::OpenCampaignStore(**store);
  if (!campaign_store.ok()) return campaign_store.status();

  // The demo's story runs on its own clock: people were added a week before the campaign
  // opened three weeks ago, and answers came in since (service/demo_seed.h).
  const service::TimePoint now = std::chrono::floor<std::chrono::seconds>(service::SystemNow());
  const service::TimePoint opening = now - std::chrono::days(21);
  std::string base_url =
      options.serve.base_url.empty() ? "http://" + options.listen : options.serve.base_url;
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  service::FrameworkService frameworks(**store);
  service::DirectoryService directory(
      **directory_store,
      service::DirectoryService::Options{[opening] { return opening - std::chrono::days(7); }});
  service::AuthService auth(**directory_store);  // the real argon2 cost
  service::CampaignService::Options campaign_options;
  campaign_options.base_url = base_url;
  campaign_options.now = [opening] { return opening; };
  service::CampaignService campaigns(**store, **campaign_store, **directory_store, nullptr,
                                     campaign_options);
  service::QuestionnaireService questionnaires(**store, **campaign_store);

  service::DemoSeedOptions seed;
  seed.integrated_care_path = (*dir / kBuiltInFrameworks[0]).string();
  seed.context_check_path = (*dir / kBuiltInFrameworks[1]).string();
  seed.now = now;
  Result<std::unique_ptr<storage::PlanStore>> plan_store = storage::OpenPlanStore(**store);
  if (!plan_store.ok()) return plan_store.status();
  service::PlanService::Options plan_options;
  plan_options.base_url = base_url;
  plan_options.clock = [now] { return now; };
  service::PlanService plans(**store, **campaign_store, **directory_store, **plan_store, nullptr,
                             plan_options);
  service::DemoServices demo{frameworks, directory, auth, campaigns, questionnaires};
  demo.plans = &plans;
  Result<service::DemoSummary> summary = service::SeedDemoPartnership(demo, seed);
  if (!summary.ok()) return summary.status();
  PrintSummary(*summary, options.db_path, base_url);

  if (options.no_serve) return Status::Ok();
  // Close this command's connections before the server opens its own.
  plan_store->reset();
  campaign_store->reset();
  directory_store->reset();
  store->reset();
  ServeOptions serve = options.serve;
  serve.listen = options.listen;
  GlobalOptions global;
  global.db_path = options.db_path;
  return Serve(serve, global);
}

}  // namespace

void AddDemoCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  auto options = std::make_shared<DemoOptions>();
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Create (or reuse) demo.db with a demo partnership: the built-in frameworks, six "
      "organisations, 40 managers, staff accounts and a 360 campaign most raters have answered; "
      "print the URL and the demo logins, then serve it.");
  cmd->add_option("--db", options->db_path, "demo database file")->capture_default_str();
  cmd->add_option("--listen", options->listen, "HOST:PORT to serve the demo on")
      ->capture_default_str();
  cmd->add_flag("--no-serve", options->no_serve, "stop after creating and printing");
  cmd->add_option("--config", options->config,
                  "TOML configuration file of trellis serve (all but its database; flags here "
                  "override it)");
  cmd->callback([exit_code, options, cmd] {
    auto given = [cmd](std::string_view flag) {
      // demo has only some of serve's flags; the others cannot have been given.
      const CLI::Option* option = cmd->get_option_no_throw(std::string(flag));
      return flag == "--db" || (option != nullptr && option->count() > 0);
    };
    ServeConfigFile file;
    if (!options->config.empty()) {
      Result<ServeConfigFile> loaded = LoadServeConfig(options->config);
      if (!loaded.ok()) {
        *exit_code = Report(loaded.status());
        return;
      }
      file = std::move(*loaded);
      // The demo never writes to the file's database: it seeds its own --db.
      if (file.db) {
        std::cerr << "trellis: demo: ignoring 'db' in " << options->config << "; the demo uses "
                  << options->db_path << "\n";
      }
      GlobalOptions unused;
      ApplyServeConfig(file, given, options->serve, unused);
      if (cmd->count("--listen") == 0) options->listen = options->serve.listen;
    }
    *exit_code = Report(NameConfigOrigin(RunDemo(*options), file, given));
  });
}

}  // namespace trellis::cli
