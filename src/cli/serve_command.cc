// cli/serve_command.cc — `trellis serve`: runs the web server until SIGINT/SIGTERM.
// For now it serves /healthz, a home page and /static/; later steps add accounts, campaigns and
// questionnaires on the same server. The access log goes to stdout (one JSON line per request),
// messages to stderr.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "web/home_page.h"
#include "web/router.h"
#include "web/server.h"
#include "web/static_files.h"

namespace trellis::cli {
namespace {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string static_dir;  // empty: web::DefaultStaticDir()
  int threads = 0;
  std::string access_log = "-";  // "-": stdout; "": off; else a file to append to
};

Status Serve(const ServeOptions& options, const GlobalOptions& global) {
  std::filesystem::path static_dir = options.static_dir.empty()
                                         ? web::DefaultStaticDir()
                                         : std::filesystem::path(options.static_dir);
  std::error_code ec;
  if (!std::filesystem::is_directory(static_dir, ec)) {
    return Status::InvalidArgument("--static-dir: '" + static_dir.string() +
                                   "' is not a directory");
  }

  std::ofstream log_file;
  std::ostream* access_log = nullptr;
  if (options.access_log == "-") {
    access_log = &std::cout;
  } else if (!options.access_log.empty()) {
    log_file.open(options.access_log, std::ios::app);
    if (!log_file) {
      return Status::InvalidArgument("--access-log: cannot open '" + options.access_log +
                                     "' for appending");
    }
    access_log = &log_file;
  }

  web::Router router;
  TRELLIS_RETURN_IF_ERROR(web::AddHomePageRoute(router));
  TRELLIS_RETURN_IF_ERROR(web::AddStaticRoutes(router, static_dir));

  web::ServerOptions server_options;
  server_options.threads = options.threads;
  server_options.access_log = access_log;
  web::Server server(std::move(router), server_options);
  Result<std::uint16_t> port = server.Listen(options.listen);
  if (!port.ok()) return port.status();
  std::string host = options.listen.substr(0, options.listen.rfind(':'));
  TRELLIS_RETURN_IF_ERROR(server.Run([&] {
    std::cerr << "trellis: serving http://" << host << ":" << *port << "/ (database "
              << global.db_path << " is not used yet); Ctrl-C to stop\n";
  }));
  std::cerr << "trellis: stopped\n";
  return Status::Ok();
}

}  // namespace

void AddServeCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Run the web server (stops on Ctrl-C or SIGTERM)");
  cmd->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")
      ->capture_default_str();
  cmd->add_option("--db", global.db_path, "SQLite database file")->capture_default_str();
  cmd->add_option("--static-dir", options->static_dir,
                  "directory served under /static/ (default: $TRELLIS_STATIC_DIR, else the "
                  "source tree's web/static)");
  cmd->add_option("--threads", options->threads,
                  "I/O threads (default: hardware concurrency, at least 2)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--access-log", options->access_log,
                  "where to write the JSON access log: '-' for stdout, a file to append to, or "
                  "'' for none")
      ->capture_default_str();
  cmd->callback([options, &global, exit_code] { *exit_code = Report(Serve(*options, global)); });
}

}  // namespace trellis::cli
