// cli/demo_command.cc — `trellis demo` (not yet built).
#include <CLI/CLI.hpp>

#include "cli/cli.h"

namespace trellis::cli {

void AddDemoCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("demo", "demo (not yet available)");
  cmd->callback([exit_code] { *exit_code = Report(Status::Unavailable("'demo' is not built yet")); });
}

}  // namespace trellis::cli
