// cli/command_support.cc — the --db option, opening the store, writing output.
#include "cli/command_support.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>

#include "storage/open_store.h"

namespace trellis::cli {

void AddDbOption(CLI::App* cmd, GlobalOptions& global) {
  cmd->add_option("--db", global.db_path,
                  "SQLite database file, or a postgres:// URL (as the global --db)");
}

Result<std::unique_ptr<storage::Store>> OpenStoreFor(const GlobalOptions& global) {
  return storage::OpenStore(global.db_path);
}

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return std::cout ? Status::Ok() : Status::Unavailable("cannot write to standard output");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) return Status::InvalidArgument("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

}  // namespace trellis::cli
