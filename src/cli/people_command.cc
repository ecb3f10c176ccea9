// cli/people_command.cc — `trellis people import FILE --partnership NAME` and `trellis people
// list`: thin wrappers over service::DirectoryService. An import is all or nothing; its errors
// (one per line, FILE:LINE: field 'x': …) go to stderr with exit code 1.
#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <map>
#include <memory>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "formats/csv.h"
#include "service/directory_service.h"
#include "storage/directory_store.h"

namespace trellis::cli {
namespace {

constexpr char kActor[] = "cli";

struct PeopleArgs {
  std::string file;
  std::string partnership;
};

// Opens the directory and finds the partnership named `name`, then runs `fn(service, id)`.
template <typename Fn>
Status WithPartnership(const GlobalOptions& global, const std::string& name, Fn fn) {
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  Result<std::unique_ptr<storage::DirectoryStore>> directory = storage::OpenDirectoryStore(**store);
  if (!directory.ok()) return directory.status();
  service::DirectoryService service(**directory);
  Result<model::Partnership> partnership = service.FindPartnership(name);
  if (!partnership.ok() && partnership.status().code() == StatusCode::kNotFound)
    return Status::NotFound("no partnership named '" + name +
                            "' (create it with `trellis user add … --partnership '" + name + "'`)");
  if (!partnership.ok()) return partnership.status();
  return fn(service, *partnership);
}

Status RunImport(const GlobalOptions& global, const PeopleArgs& args) {
  return WithPartnership(
      global, args.partnership,
      [&](service::DirectoryService& service, const model::Partnership& p) -> Status {
        Result<service::PeopleImportSummary> summary =
            service.ImportPeopleFile(p.id, args.file, kActor);
        if (!summary.ok()) return summary.status();
        std::cout << args.file << ": " << summary->added << " added, " << summary->updated
                  << " updated, " << summary->unchanged << " unchanged\n";
        return Status::Ok();
      });
}

Status RunList(const GlobalOptions& global, const PeopleArgs& args) {
  return WithPartnership(
      global, args.partnership,
      [&](service::DirectoryService& service, const model::Partnership& p) -> Status {
        Result<std::vector<model::Organisation>> orgs = service.ListOrganisations(p.id);
        if (!orgs.ok()) return orgs.status();
        std::map<std::string, std::string> org_name;
        for (const model::Organisation& o : *orgs) org_name[o.id] = o.name;
        Result<std::vector<storage::StoredPerson>> people = service.ListPeople(p.id, {});
        if (!people.ok()) return people.status();
        std::map<std::string, std::string> email_of;
        for (const storage::StoredPerson& sp : *people) email_of[sp.person.id] = sp.person.email;
        std::cout << "name,email,organisation,level,function,line_manager_email\n";
        for (const storage::StoredPerson& sp : *people) {
          const model::Person& x = sp.person;
          std::cout << formats::CsvField(x.name) << "," << formats::CsvField(x.email) << ","
                    << formats::CsvField(org_name[x.organisation_id]) << ","
                    << model::LevelName(x.level) << "," << model::FunctionName(x.function) << ","
                    << formats::CsvField(x.line_manager_id.empty() ? ""
                                                                   : email_of[x.line_manager_id])
                    << "\n";
        }
        return Status::Ok();
      });
}

}  // namespace

void AddPeopleCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("people", "The people of a partnership");
  cmd->require_subcommand(1);
  auto args = std::make_shared<PeopleArgs>();

  CLI::App* import = cmd->add_subcommand(
      "import",
      "Import name,email,organisation,level,function[,line_manager_email] (all or nothing)");
  import->add_option("file", args->file, "People CSV file")->required();
  import->add_option("--partnership", args->partnership, "Partnership name")->required();
  AddDbOption(import, global);
  import->callback([exit_code, &global, args] { *exit_code = Report(RunImport(global, *args));
});

CLI::App* list = cmd->add_subcommand("list", "Print the partnership's people as CSV");
list->add_option("--partnership", args->partnership, "Partnership name")->required();
AddDbOption(list, global);
list->callback([exit_code, &global, args] { *exit_code = Report(RunList(global, *args)); });

CLI::App* org = app.add_subcommand("org", "The organisations of a partnership");
org->require_subcommand(1);
auto org_args = std::make_shared<std::array<std::string, 3>>();  // name, sector, partnership
CLI::App* add = org->add_subcommand("add", "Add an organisation to a partnership");
add->add_option("name", (*org_args)[0], "Organisation name")->required();
add->add_option("--sector", (*org_args)[1],
                "acute, primary_care, community_health, mental_health, social_care, "
                "local_authority, voluntary, housing or other")
    ->required();
add->add_option("--partnership", (*org_args)[2], "Partnership name")->required();
AddDbOption(add, global);
add->callback([exit_code, &global, org_args] {
  const auto& [name, sector, partnership] = *org_args;
  *exit_code = Report(WithPartnership(
      global, partnership,
      [&](service::DirectoryService& service, const model::Partnership& p) -> Status {
        Result<model::Organisation> o = service.AddOrganisation(p.id, name, sector, kActor);
        if (!o.ok()) return o.status();
        std::cout << "added organisation '" << o->name << "' (" << model::SectorName(o->sector)
                  << ") to '" << p.name << "'\n";
        return Status::Ok();
      }));
});
}  // namespace trellis::cli

}  // namespace trellis::cli
