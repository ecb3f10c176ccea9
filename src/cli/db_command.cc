// cli/db_command.cc — `trellis db migrate`: applies the pending schema migrations to the
// database and says which (or that it is up to date). Opening a store for any other verb
// migrates too; this verb makes the step explicit for operators and deployments.
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "storage/open_store.h"

namespace trellis::cli {
namespace {

Status RunMigrate(const GlobalOptions& global) {
  Result<std::unique_ptr<storage::Store>> store =
      storage::OpenStore(global.db_path, /*apply_migrations=*/false);
  if (!store.ok()) return store.status();
  Result<std::vector<storage::AppliedMigration>> applied = (*store)->Migrate();
  if (!applied.ok()) return applied.status();
  Result<int> version = (*store)->SchemaVersion();
  if (!version.ok()) return version.status();
  for (const storage::AppliedMigration& m : *applied)
    std::cout << storage::DisplayLocation(global.db_path) << ": applied " << m.name << "\n";
  if (applied->empty()) {
    std::cout << storage::DisplayLocation(global.db_path) << ": up to date (schema version "
              << *version << ")\n";
  } else {
    std::cout << storage::DisplayLocation(global.db_path) << ": now at schema version " << *version
              << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddDbCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("db", "Database maintenance");
  cmd->require_subcommand(1);
  CLI::App* migrate =
      cmd->add_subcommand("migrate", "Apply pending schema migrations (safe to repeat)");
  AddDbOption(migrate, global);
  migrate->callback([exit_code, &global] { *exit_code = Report(RunMigrate(global)); });
}

}  // namespace trellis::cli
