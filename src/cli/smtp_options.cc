// cli/smtp_options.cc — see smtp_options.h.
#include "cli/smtp_options.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <fstream>

namespace trellis::cli {

void AddSmtpOptions(CLI::App* cmd, SmtpOptions& o, const std::string& host_help) {
  cmd->add_option("--smtp-host", o.host, host_help);
  cmd->add_option("--smtp-port", o.port, "mail server port")
      ->capture_default_str()
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--smtp-user", o.user, "mail server login (none: no login)");
  cmd->add_option("--smtp-password-env", o.password_env,
                  "name of the environment variable holding the mail server password");
  cmd->add_option("--smtp-password-file", o.password_file,
                  "file holding the mail server password (its first line)");
  cmd->add_option("--smtp-from", o.from, "sender address of the emails");
  cmd->add_flag("--smtp-starttls", o.starttls, "require STARTTLS (refuse to send without it)");
}

Result<std::unique_ptr<mail::SmtpMailer>> MakeMailer(const SmtpOptions& o) {
  if (o.host.empty()) return std::unique_ptr<mail::SmtpMailer>();
  mail::SmtpConfig smtp;
  smtp.host = o.host;
  smtp.port = o.port;
  smtp.username = o.user;
  smtp.from = o.from;
  smtp.from_name = "Trellis";
  smtp.starttls = o.starttls;
  if (smtp.from.empty()) {
    return Status::InvalidArgument(
        "--smtp-host: needs a sender address too (--smtp-from, or 'from' in [smtp])");
  }
  if (!o.password_env.empty() && !o.password_file.empty()) {
    return Status::InvalidArgument(
        "--smtp-password-file and --smtp-password-env: give the password one way only");
  }
  if (!o.password_file.empty()) {
    // The file's first line (a trailing newline is not part of the password).
    std::ifstream in(o.password_file);
    if (!in || !std::getline(in, smtp.password)) {
      return Status::InvalidArgument("--smtp-password-file: cannot read '" + o.password_file + "'");
    }
    if (!smtp.password.empty() && smtp.password.back() == '\r') smtp.password.pop_back();
  }
  if (!o.password_env.empty()) {
    const char* password = std::getenv(o.password_env.c_str());
    if (password == nullptr) {
      return Status::InvalidArgument("--smtp-password-env: environment variable '" +
                                     o.password_env + "' is not set");
    }
    smtp.password = password;
  }
  return std::make_unique<mail::SmtpMailer>(std::move(smtp));
}

}  // namespace trellis::cli
