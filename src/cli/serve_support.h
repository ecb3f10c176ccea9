// cli/serve_support.h — running the web server for a database, shared by `trellis serve` and
// `trellis demo` (which serves the demo partnership it has just created). Not thread-safe:
// called once from a verb's callback; blocks until SIGINT/SIGTERM.
#pragma once

#include <cstdint>
#include <string>

#include "cli/cli.h"
#include "cli/smtp_options.h"
#include "core/status.h"

namespace trellis::cli {

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string static_dir;    // empty: web::DefaultStaticDir()
  std::string template_dir;  // empty: web::DefaultTemplateDir()
  int threads = 0;
  std::string access_log = "-";  // "-": stdout; "": off; else a file to append to
  bool trust_proxy = false;
  bool secure_cookies = false;
  // Rater invitations and plan reminders by email (docs/operations.md, "Email"): no SMTP host,
  // no email.
  SmtpOptions smtp;
  std::string base_url;  // prefix of rater links; empty: http://LISTEN
  // Sign-in sessions end after this long without a request, and this long after sign-in.
  int64_t session_idle_minutes = 30;
  int64_t session_absolute_hours = 12;
  // Overdue-action reminders of development plans (docs/plans.md), sent by the server itself
  // once a day at plan_reminder_hour:00 UTC when a mail server is configured.
  std::string plan_reminders = "daily";  // "daily" | "off"
  int plan_reminder_hour = 7;            // 0–23, UTC
  int plan_quiet_days = 7;               // an action is reminded at most once in this many days
  bool plan_reminders_now = false;       // also one pass as soon as the server listens
  std::string config;  // --config trellis.toml (cli/config_file.h); applied by the verb
};

// Opens the database named by global.db_path, builds the services and the web application and
// serves it on options.listen until SIGINT/SIGTERM; prints "serving http://HOST:PORT" on stdout
// once listening. kInvalidArgument for a bad option; the Store's errors when the database
// cannot be opened; kUnavailable when the address cannot be bound.
Status Serve(const ServeOptions& options, const GlobalOptions& global);

}  // namespace trellis::cli
