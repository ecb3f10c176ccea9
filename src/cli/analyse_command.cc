// cli/analyse_command.cc — `trellis analyse` (not yet built).
#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace trellis::cli {

void AddAnalyseCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("analyse", "analyse (not yet available)");
  cmd->callback([exit_code] { *exit_code = Report(Status::Unavailable("'analyse' is not built yet")); });
}

}  // namespace trellis::cli
