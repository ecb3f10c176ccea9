// cli/db_command.cc — `trellis db` (not yet built).
#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace trellis::cli {

void AddDbCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("db", "db (not yet available)");
  cmd->callback([exit_code] { *exit_code = Report(Status::Unavailable("'db' is not built yet")); });
}

}  // namespace trellis::cli
