// cli/spc_command.cc — `trellis spc` (not yet built).
#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace trellis::cli {

void AddSpcCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("spc", "spc (not yet available)");
  cmd->callback([exit_code] { *exit_code = Report(Status::Unavailable("'spc' is not built yet")); });
}

}  // namespace trellis::cli
