// cli/framework_command.cc — `trellis framework` (not yet built).
#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace trellis::cli {

void AddFrameworkCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("framework", "framework (not yet available)");
  cmd->callback([exit_code] { *exit_code = Report(Status::Unavailable("'framework' is not built yet")); });
}

}  // namespace trellis::cli
