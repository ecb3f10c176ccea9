// apps/trellis/main.cc — wiring only: parse the command line and run one verb.
// Exit codes: 0 ok, 1 bad input, 2 internal error (an exception is the last resort: 2).
#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "cli/cli.h"

int main(int argc, char** argv) {
  CLI::App app{"Trellis — codify, assess and develop management competencies in integrated care"};
  app.require_subcommand(1);
  trellis::cli::GlobalOptions global;
  app.add_option("--db", global.db_path, "SQLite database file, or a postgres:// URL")
      ->capture_default_str();
  int exit_code = 0;
  trellis::cli::AddFrameworkCommand(app, global, &exit_code);
  trellis::cli::AddAnalyseCommand(app, global, &exit_code);
  trellis::cli::AddSpcCommand(app, global, &exit_code);
  trellis::cli::AddDbCommand(app, global, &exit_code);
  trellis::cli::AddDemoCommand(app, global, &exit_code);
  trellis::cli::AddServeCommand(app, global, &exit_code);
  trellis::cli::AddUserCommand(app, global, &exit_code);
  trellis::cli::AddPeopleCommand(app, global, &exit_code);
  trellis::cli::AddPlansCommand(app, global, &exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "trellis: internal error: " << e.what() << "\n";
    return 2;
  }
  return exit_code;
}
