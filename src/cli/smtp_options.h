// cli/smtp_options.h — the mail-server options, defined once for every verb that sends email
// (`trellis serve` for invitations and the daily plan reminders, `trellis plans remind`): the
// --smtp-* flags, the [smtp] table of the configuration file (cli/config_file.h) maps onto the
// same struct, and the SmtpMailer they describe. Not thread-safe (CLI setup).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "cli/cli.h"
#include "core/status.h"
#include "mail/smtp_mailer.h"

namespace trellis::cli {

struct SmtpOptions {
  std::string host;  // none: no email
  int port = 587;
  std::string user;
  std::string password_env;   // name of the environment variable holding the password
  std::string password_file;  // or a file holding it (its first line)
  std::string from;
  bool starttls = false;
};

// Adds --smtp-host, --smtp-port, --smtp-user, --smtp-password-env, --smtp-password-file,
// --smtp-from and --smtp-starttls to `cmd`, writing into `o`. `host_help` describes --smtp-host.
void AddSmtpOptions(CLI::App* cmd, SmtpOptions& o, const std::string& host_help);

// The mailer `o` describes; nullptr when it names no host. kInvalidArgument, the message
// starting with the flag concerned (cli/config_file.h's NameConfigOrigin turns it into the
// file, line and key when the value came from a configuration file), for a host without a
// sender, a password given two ways, an unreadable password file or an unset
// password variable. The password never comes from a flag (flags show up in `ps`).
Result<std::unique_ptr<mail::SmtpMailer>> MakeMailer(const SmtpOptions& o);

}  // namespace trellis::cli
