// cli/framework_command.cc — `trellis framework validate|import|export|show|list`: thin
// wrappers over service::FrameworkService. Each parses its arguments, calls one service
// method, prints the result to stdout and reports errors through Report (exit 1 for bad input,
// 2 for internal or I/O failures).
#include <CLI/CLI.hpp>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "cli/framework_outline.h"
#include "formats/framework_io.h"
#include "service/framework_service.h"
#include "storage/open_store.h"

namespace trellis::cli {
namespace {

struct ExportArgs {
  std::string code;
  std::optional<int> version;
  std::string format;
  std::string out;  // empty: stdout
};

Status RunValidate(const std::string& file) {
  Result<model::Framework> f = service::FrameworkService::Validate(file);
  if (!f.ok()) return f.status();
  std::cout << file << ": OK: " << f->code << " \"" << f->title << "\" (" << DescribeSize(*f)
            << ")\n";
  return Status::Ok();
}

Status RunImport(const GlobalOptions& global, const std::string& file) {
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);
  Result<service::ImportOutcome> outcome = frameworks.Import(file);
  if (!outcome.ok()) return outcome.status();
  const model::Framework& f = outcome->stored.framework;
  if (outcome->unchanged) {
    std::cout << "unchanged: " << f.code << " is still version " << f.version << " ("
              << DescribeSize(f) << ")\n";
  } else {
    std::cout << "imported " << f.code << " version " << f.version << " (" << DescribeSize(f)
              << ")\n";
  }
  return Status::Ok();
}

Status RunExport(const GlobalOptions& global, const ExportArgs& args) {
  Result<formats::FrameworkFormat> format = formats::ParseFrameworkFormat(args.format);
  if (!format.ok()) return format.status();
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);
  Result<std::string> text = frameworks.Export(args.code, args.version, *format);
  if (!text.ok()) return text.status();
  return WriteOutput(args.out, *text);
}

Status RunShow(const GlobalOptions& global, const std::string& code, std::optional<int> version) {
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);
  Result<storage::StoredFramework> stored = frameworks.Show(code, version);
  if (!stored.ok()) return stored.status();
  std::cout << FrameworkOutline(*stored);
  return Status::Ok();
}

Status RunList(const GlobalOptions& global) {
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);
  Result<std::vector<storage::FrameworkSummary>> list = frameworks.List();
  if (!list.ok()) return list.status();
  if (list->empty()) {
    std::cout << "no frameworks in " << storage::DisplayLocation(global.db_path)
              << "; add one with `trellis framework import FILE`\n";
    return Status::Ok();
  }
  size_t code_width = 4;
  for (const storage::FrameworkSummary& s : *list) code_width = std::max(code_width, s.code.size());
  auto pad = [](std::string s, size_t w) {
    return s.size() < w ? s + std::string(w - s.size(), ' ') : s;
  };
  std::cout << pad("CODE", code_width + 2) << pad("LATEST", 8) << pad("VERSIONS", 10)
            << pad("CREATED", 22) << "TITLE\n";
  for (const storage::FrameworkSummary& s : *list) {
    std::cout << pad(s.code, code_width + 2) << pad(std::to_string(s.latest_version), 8)
              << pad(std::to_string(s.version_count), 10) << pad(s.created_at, 22) << s.title
              << "\n";
  }
  return Status::Ok();
}

}  // namespace

void AddFrameworkCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "framework", "Validate, import, export, show and list competency frameworks");
  cmd->require_subcommand(1);

  CLI::App* validate = cmd->add_subcommand(
      "validate", "Check a framework file (CSV, JSON or CASE) without storing it");
  auto validate_file = std::make_shared<std::string>();
  validate->add_option("FILE", *validate_file, "framework file")->required();
  validate->callback([=] { *exit_code = Report(RunValidate(*validate_file)); });

  CLI::App* import = cmd->add_subcommand(
      "import",
      "Store a framework file as a new version (or report it unchanged if it matches the latest)");
  auto import_file = std::make_shared<std::string>();
  import->add_option("FILE", *import_file, "framework file (CSV, JSON or CASE)")->required();
  AddDbOption(import, global);
  import->callback([=, &global] { *exit_code = Report(RunImport(global, *import_file));
});

CLI::App* exp = cmd->add_subcommand("export", "Write a stored framework version to a file");
auto export_args = std::make_shared<ExportArgs>();
exp->add_option("CODE", export_args->code, "framework code, e.g. integrated-care")->required();
exp->add_option("--version", export_args->version, "version number (default: the latest)");
exp->add_option("--format", export_args->format, "csv, json or case")
    ->required()
    ->check(CLI::IsMember({"csv", "json", "case"}));
exp->add_option("--out", export_args->out, "output file (default: standard output)");
AddDbOption(exp, global);
exp->callback([=, &global] { *exit_code = Report(RunExport(global, *export_args)); });

CLI::App* show = cmd->add_subcommand(
    "show", "Print a stored framework: scale, domains → competencies → items, role profiles");
auto show_code = std::make_shared<std::string>();
auto show_version = std::make_shared<std::optional<int>>();
show->add_option("CODE", *show_code, "framework code")->required();
show->add_option("--version", *show_version, "version number (default: the latest)");
AddDbOption(show, global);
show->callback([=, &global] { *exit_code = Report(RunShow(global, *show_code, *show_version)); });

CLI::App* list = cmd->add_subcommand("list", "List stored frameworks with their latest version");
AddDbOption(list, global);
list->callback([=, &global] { *exit_code = Report(RunList(global)); });
}  // namespace trellis::cli

}  // namespace trellis::cli
