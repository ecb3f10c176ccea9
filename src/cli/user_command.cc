// cli/user_command.cc — `trellis user add`: creates a staff account (and its partnership, the
// first time a partnership is named), for bootstrapping the first admin before the web pages
// exist. The password is read from standard input — without echo when it is a terminal — never
// from the command line, where other users could see it in the process list.
#include <termios.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli/cli.h"
#include "cli/command_support.h"
#include "service/auth_service.h"
#include "service/directory_service.h"
#include "storage/directory_store.h"

namespace trellis::cli {
namespace {

constexpr char kActor[] = "cli";

struct UserAddArgs {
  std::string email;
  std::string name;
  std::string role;
  std::string partnership;
  std::string person;  // email of the Person the account is, or ""
  bool password_stdin = false;
};

// Reads one line from stdin; with `prompt` shown on stderr and echo off when stdin is a
// terminal. nullopt at end of input.
std::optional<std::string> ReadSecretLine(const std::string& prompt) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios saved{};
  if (tty) {
    std::cerr << prompt << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string line;
  const bool got = static_cast<bool>(std::getline(std::cin, line));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << "\n";
  }
  if (!got) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

Result<std::string> ReadPassword(const UserAddArgs& args) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  if (!tty && !args.password_stdin)
    return Status::InvalidArgument(
        "no password: pipe it to standard input with --password-stdin, or run in a terminal");
  std::optional<std::string> password = ReadSecretLine("Password for " + args.email + ": ");
  if (!password) return Status::InvalidArgument("no password on standard input");
  if (tty && !args.password_stdin) {
    std::optional<std::string> again = ReadSecretLine("Repeat the password: ");
    if (!again || *again != *password)
      return Status::InvalidArgument("the two passwords differ; nothing was created");
  }
  return *password;
}

Status RunUserAdd(const GlobalOptions& global, const UserAddArgs& args) {
  std::optional<model::Role> role = model::ParseRole(args.role);
  if (!role)
    return Status::InvalidArgument("--role: unknown role '" + args.role +
                                   "' (expected admin, member or board)");
  if (!service::IsEmailAddress(args.email))
    return Status::InvalidArgument("--email: '" + args.email + "' is not an email address");
  if (args.name.empty()) return Status::InvalidArgument("--name: empty");
  if (args.partnership.empty()) return Status::InvalidArgument("--partnership: empty");
  Result<std::string> password = ReadPassword(args);
  if (!password.ok()) return password.status();
  // Everything that can be checked is checked before anything is created.
  TRELLIS_RETURN_IF_ERROR(service::AuthService::CheckPasswordPolicy(*password, args.email));

  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  Result<std::unique_ptr<storage::DirectoryStore>> directory = storage::OpenDirectoryStore(**store);
  if (!directory.ok()) return directory.status();
  Result<storage::AccountCredentials> existing = (*directory)->FindAccountForSignIn(args.email);
  if (existing.ok())
    return Status::AlreadyExists("an account with the email '" + args.email +
                                 "' already exists (an email signs in to one partnership)");
  if (existing.status().code() != StatusCode::kNotFound) return existing.status();
  // The person the account is, looked up before anything is created.
  std::string person_id;
  if (!args.person.empty()) {
    Result<model::Partnership> known = (*directory)->FindPartnershipByName(args.partnership);
    Result<storage::StoredPerson> person =
        known.ok() ? (*directory)->FindPersonByEmail(known->id, args.person) : known.status();
    if (!person.ok()) {
      if (person.status().code() != StatusCode::kNotFound) return person.status();
      return Status::InvalidArgument("--person: no person with the email '" + args.person +
                                     "' in '" + args.partnership + "'");
    }
    person_id = person->person.id;
  }

  service::DirectoryService directory_service(**directory);
  Result<service::EnsuredPartnership> partnership =
      directory_service.EnsurePartnership(args.partnership, kActor);
  if (!partnership.ok()) return partnership.status();
  const model::Partnership& p = partnership->partnership;
  if (partnership->created)
    std::cout << "created partnership '" << p.name << "' (" << p.id << ")\n";

  service::AuthService auth(**directory);
  Result<model::Account> account =
      auth.CreateAccount({p.id, args.email, args.name, *role, person_id}, *password, kActor);
  if (!account.ok()) return account.status();
  std::cout << "created " << model::RoleName(account->role) << " account " << account->email << " ("
            << account->id << ") in '" << p.name << "'\n";
  return Status::Ok();
}

}  // namespace

void AddUserCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("user", "Staff accounts");
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand(
      "add",
      "Create a staff account (and its partnership if new); the password is read from "
      "standard input");
  auto args = std::make_shared<UserAddArgs>();
  add->add_option("--email", args->email, "Sign-in email (one partnership per email)")->required();
  add->add_option("--name", args->name, "Display name")->required();
  add->add_option("--role", args->role, "admin, member or board")->required();
  add->add_option("--partnership", args->partnership, "Partnership name (created if new)")
      ->required();
  add->add_option("--person", args->person,
                  "Email of the person (in the partnership's directory) this account is: they then "
                  "see their own reports and development plans");
  add->add_flag("--password-stdin", args->password_stdin,
                "Read the password from standard input (one line), without prompting");
  AddDbOption(add, global);
  add->callback([exit_code, &global, args] { *exit_code = Report(RunUserAdd(global, *args)); });
}

}  // namespace trellis::cli
