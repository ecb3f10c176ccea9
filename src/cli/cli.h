// cli/cli.h — the `trellis` command line: one file per verb, each registering a CLI11
// subcommand. main.cc only wires them. A verb's callback stores its exit code in `*exit_code`
// (0 ok, 1 bad input, 2 internal error); errors go to stderr as "trellis: MESSAGE".
#pragma once

#include <string>

#include "core/status.h"

namespace CLI {
class App;
}

namespace trellis::cli {

struct GlobalOptions {
  std::string db_path = "trellis.db";  // --db; a file path (SQLite)
};

// The one mapping from StatusCode to exit code: OK → 0; InvalidArgument, NotFound,
// AlreadyExists, FailedPrecondition, PermissionDenied → 1 (the user can fix the input);
// Unavailable, Internal → 2.
int ExitCodeFor(const Status& status);

// Prints "trellis: MESSAGE" to stderr (nothing when OK) and returns ExitCodeFor(status).
int Report(const Status& status);

void AddFrameworkCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddDbCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddAnalyseCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddSpcCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
void AddDemoCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
// `trellis serve [--listen HOST:PORT] [--db PATH]`: the web server, until SIGINT/SIGTERM.
void AddServeCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
// `trellis user add --email E --name N --role R --partnership P [--password-stdin]`.
void AddUserCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
// `trellis people import FILE|list --partnership P` and `trellis org add NAME --sector S …`.
void AddPeopleCommand(CLI::App& app, GlobalOptions& global, int* exit_code);
// `trellis plans remind --smtp-host H --smtp-from F --base-url URL`: overdue-action reminders.
void AddPlansCommand(CLI::App& app, GlobalOptions& global, int* exit_code);

}  // namespace trellis::cli
