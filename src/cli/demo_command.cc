// cli/demo_command.cc — `trellis demo`: creates (or reopens) demo.db, imports the built-in
// frameworks (frameworks/integrated-care.json and frameworks/context-check.json), prints the
// outline of the integrated-care framework and checks that every stored framework survives an
// export → re-import round trip in JSON and CASE. Later it also creates a demo partnership with
// synthetic data and serves the web demo.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "cli/framework_outline.h"
#include "formats/framework_io.h"
#include "service/framework_service.h"
#include "storage/open_store.h"

#ifndef TRELLIS_SOURCE_DIR
#define TRELLIS_SOURCE_DIR "."
#endif

namespace trellis::cli {
namespace {

constexpr const char* kBuiltInFrameworks[] = {"integrated-care.json", "context-check.json"};

// The built-in frameworks directory: ./frameworks when run from a checkout (or a copy of the
// data), else the source tree this binary was built from.
Result<std::filesystem::path> FindFrameworksDir() {
  std::vector<std::filesystem::path> candidates = {
      std::filesystem::current_path() / "frameworks",
      std::filesystem::path(TRELLIS_SOURCE_DIR) / "frameworks"};
  for (const std::filesystem::path& dir : candidates) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(dir / kBuiltInFrameworks[0], ec)) return dir;
  }
  return Status::NotFound("cannot find the built-in frameworks: looked for " +
                          (candidates[0] / kBuiltInFrameworks[0]).string() + " and " +
                          (candidates[1] / kBuiltInFrameworks[0]).string() +
                          "; run trellis demo from the Trellis source directory");
}

// Exports the stored `code` in JSON and CASE and reads each back: both must have the stored
// content. Nothing is written to the database.
Status CheckRoundTrip(service::FrameworkService& frameworks, const std::string& code) {
  Result<storage::StoredFramework> stored = frameworks.Show(code, std::nullopt);
  if (!stored.ok()) return stored.status();
  for (formats::FrameworkFormat format :
       {formats::FrameworkFormat::kJson, formats::FrameworkFormat::kCase}) {
    Result<std::string> text = frameworks.Export(code, std::nullopt, format);
    if (!text.ok()) return text.status();
    const std::string format_name(formats::FrameworkFormatName(format));
    const std::string name = code + " (" + format_name + " export)";
    Result<model::Framework> back = format == formats::FrameworkFormat::kJson
                                        ? formats::ReadFrameworkJson(*text, name)
                                        : formats::ReadFrameworkCase(*text, name);
    if (!back.ok()) return Status::Internal(back.status().message());
    if (!model::SameContent(back.value(), stored->framework))
      return Status::Internal("the " + format_name + " export of " + code +
                              " reads back different");
  }
  return Status::Ok();
}

Status RunDemo(const std::string& db_path) {
  Result<std::filesystem::path> dir = FindFrameworksDir();
  if (!dir.ok()) return dir.status();
  Result<std::unique_ptr<storage::Store>> store = storage::OpenStore(db_path);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);

  std::string builtin_code;
  for (const char* file : kBuiltInFrameworks) {
    Result<service::ImportOutcome> outcome = frameworks.Import((*dir / file).string());
    if (!outcome.ok()) return outcome.status();
    const model::Framework& f = outcome->stored.framework;
    if (builtin_code.empty()) builtin_code = f.code;
    std::cout << db_path << ": " << (outcome->unchanged ? "unchanged: " : "imported ") << f.code
              << " version " << f.version << "\n";
  }
  Result<storage::StoredFramework> shown = frameworks.Show(builtin_code, std::nullopt);
  if (!shown.ok()) return shown.status();
  std::cout << "\n" << FrameworkOutline(*shown) << "\n";

  Result<std::vector<storage::FrameworkSummary>> all = frameworks.List();
  if (!all.ok()) return all.status();
  for (const storage::FrameworkSummary& s : *all)
    TRELLIS_RETURN_IF_ERROR(CheckRoundTrip(frameworks, s.code));
  std::cout << "validated: OK (" << all->size()
            << " frameworks stored; JSON and CASE exports read back unchanged)\n";
  return Status::Ok();
}

}  // namespace

void AddDemoCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "demo",
      "Create demo.db with the built-in frameworks, show the integrated-care framework and check "
      "its exports. (Later: also creates a demo partnership with synthetic data and serves the "
      "web demo.)");
  auto db_path = std::make_shared<std::string>("demo.db");
  cmd->add_option("--db", *db_path, "demo database file")->capture_default_str();
  cmd->callback([exit_code, db_path] { *exit_code = Report(RunDemo(*db_path)); });
}

}  // namespace trellis::cli
