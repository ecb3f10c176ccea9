// cli/config_file.h — the `trellis serve --config trellis.toml` file (docs/operations.md,
// "Configuration file"): TOML (toml++), one key for every option serve takes on the command
// line except --config itself and the one-off --plan-reminders-now, with [smtp], [session] and
// [plans] tables. Parsing is strict: an unknown key, a value of
// the wrong type or out of range is an error naming the file, the line and the key, so a typo never
// silently falls back to a default. Command-line flags override the file (ApplyServeConfig).
// `trellis plans remind --config` reads the same file for its database, site address, mail
// server and quiet days (ApplySmtpConfig), ignoring the keys only serve uses.
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "cli/cli.h"
#include "cli/serve_support.h"
#include "cli/smtp_options.h"
#include "core/status.h"

namespace trellis::cli {

// What a configuration file sets; an absent key is nullopt.
struct ServeConfigFile {
  std::optional<std::string> db;
  std::optional<std::string> listen;
  std::optional<std::string> base_url;
  std::optional<int64_t> threads;
  std::optional<std::string> static_dir;
  std::optional<std::string> template_dir;
  std::optional<std::string> access_log;
  std::optional<bool> trust_proxy;
  std::optional<bool> secure_cookies;
  // [smtp]
  std::optional<std::string> smtp_host;
  std::optional<int64_t> smtp_port;
  std::optional<std::string> smtp_user;
  std::optional<std::string> smtp_password_file;
  std::optional<std::string> smtp_password_env;
  std::optional<std::string> smtp_from;
  std::optional<bool> smtp_starttls;
  // [session]
  std::optional<int64_t> session_idle_minutes;
  std::optional<int64_t> session_absolute_hours;
  // [plans]
  std::optional<std::string> plan_reminders;  // "daily" | "off"
  std::optional<int64_t> plan_reminder_hour;  // 0–23, UTC
  std::optional<int64_t> plan_quiet_days;
  // Where the file set each key: "smtp.from" → "FILE:LINE: key 'smtp.from'".
  std::map<std::string, std::string> where;
};

// Parses `text` as the configuration file `file_name` (used in messages). kInvalidArgument
// with one line per problem: "FILE:LINE:COLUMN: …" for TOML syntax, "FILE:LINE: unknown key
// 'smtp.hots'", "FILE:LINE: key 'threads': expected an integer, found a string",
// "FILE:LINE: key 'smtp.port': 70000 is out of range (1 to 65535)",
// "FILE:LINE: key 'plans.reminders': expected \"daily\" or \"off\", found \"weekly\"".
Result<ServeConfigFile> ParseServeConfig(std::string_view text, const std::string& file_name);

// Reads and parses `path`. kNotFound "cannot read configuration file 'PATH'" if unreadable.
Result<ServeConfigFile> LoadServeConfig(const std::string& path);

// Copies every key the file sets into `options` (and `global.db_path`), except those whose
// command-line flag was given: `flag_given("--listen")` → true keeps the flag's value.
void ApplyServeConfig(const ServeConfigFile& file,
                      const std::function<bool(std::string_view flag)>& flag_given,
                      ServeOptions& options, GlobalOptions& global);

// `status` as the user should read it when its message starts with a flag whose value came
// from the file (the flag itself not given): "--smtp-host: needs …" becomes
// "trellis.toml:5: key 'smtp.host' (--smtp-host): needs …". Other statuses are unchanged.
Status NameConfigOrigin(const Status& status, const ServeConfigFile& file,
                        const std::function<bool(std::string_view flag)>& flag_given);

// The [smtp] part of ApplyServeConfig, for every verb that sends email (cli/smtp_options.h).
void ApplySmtpConfig(const ServeConfigFile& file,
                     const std::function<bool(std::string_view flag)>& flag_given,
                     SmtpOptions& smtp);

}  // namespace trellis::cli
