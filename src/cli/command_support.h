// cli/command_support.h — small pieces shared by the verbs that use the database: the `--db`
// option accepted after the subcommand as well as before it, and opening the store it names.
// Used by framework_command.cc, db_command.cc and demo_command.cc. Not thread-safe (CLI setup).
#pragma once

#include <memory>
#include <string>

#include "cli/cli.h"
#include "core/status.h"
#include "storage/store.h"

namespace trellis::cli {

// Adds `--db PATH` to `cmd`, writing into global.db_path, so `trellis --db x framework list`
// and `trellis framework list --db x` mean the same.
void AddDbOption(CLI::App* cmd, GlobalOptions& global);

// Opens the store at global.db_path (created and migrated if needed; see storage/open_store.h).
Result<std::unique_ptr<storage::Store>> OpenStoreFor(const GlobalOptions& global);

// Writes `text` to `path`, or to stdout when `path` is empty. kInvalidArgument "cannot write
// PATH: reason" when the file cannot be written; kUnavailable when stdout fails.
Status WriteOutput(const std::string& path, const std::string& text);

}  // namespace trellis::cli
