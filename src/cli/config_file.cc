// cli/config_file.cc — see config_file.h. A table of known keys drives both parsing and the
// messages; each key knows its type, its range and where its value goes.
#include "cli/config_file.h"

#include <toml++/toml.h>

#include <fstream>
#include <sstream>
#include <variant>
#include <vector>

namespace trellis::cli {
namespace {

using StringField = std::optional<std::string> ServeConfigFile::*;
using IntField = std::optional<int64_t> ServeConfigFile::*;
using BoolField = std::optional<bool> ServeConfigFile::*;

struct KeySpec {
  std::string_view name;  // dotted: "smtp.port"
  std::string_view flag;  // serve's command-line flag for it: "--smtp-port"
  std::variant<StringField, IntField, BoolField> field;
  int64_t min = 0;  // integers only
  int64_t max = 0;
  std::string_view choices = {};  // strings only: the allowed values, "a|b"; empty: any
};

constexpr int64_t kMaxInt = 1'000'000;

const std::vector<KeySpec>& Keys() {
  static const std::vector<KeySpec> kKeys = {
      {"db", "--db", &ServeConfigFile::db},
      {"listen", "--listen", &ServeConfigFile::listen},
      {"base_url", "--base-url", &ServeConfigFile::base_url},
      {"threads", "--threads", &ServeConfigFile::threads, 0, 1024},
      {"static_dir", "--static-dir", &ServeConfigFile::static_dir},
      {"template_dir", "--template-dir", &ServeConfigFile::template_dir},
      {"access_log", "--access-log", &ServeConfigFile::access_log},
      {"trust_proxy", "--trust-proxy", &ServeConfigFile::trust_proxy},
      {"secure_cookies", "--secure-cookies", &ServeConfigFile::secure_cookies},
      {"smtp.host", "--smtp-host", &ServeConfigFile::smtp_host},
      {"smtp.port", "--smtp-port", &ServeConfigFile::smtp_port, 1, 65535},
      {"smtp.user", "--smtp-user", &ServeConfigFile::smtp_user},
      {"smtp.password_file", "--smtp-password-file", &ServeConfigFile::smtp_password_file},
      {"smtp.password_env", "--smtp-password-env", &ServeConfigFile::smtp_password_env},
      {"smtp.from", "--smtp-from", &ServeConfigFile::smtp_from},
      {"smtp.starttls", "--smtp-starttls", &ServeConfigFile::smtp_starttls},
      {"session.idle_timeout_minutes", "--session-idle-minutes",
       &ServeConfigFile::session_idle_minutes, 1, kMaxInt},
      {"session.absolute_timeout_hours", "--session-absolute-hours",
       &ServeConfigFile::session_absolute_hours, 1, kMaxInt},
      {"plans.reminders", "--plan-reminders", &ServeConfigFile::plan_reminders, 0, 0, "daily|off"},
      {"plans.reminder_hour", "--plan-reminder-hour", &ServeConfigFile::plan_reminder_hour, 0, 23},
      {"plans.quiet_days", "--plan-quiet-days", &ServeConfigFile::plan_quiet_days, 0, 365},
  };
  return kKeys;
}

constexpr std::string_view kTables[] = {"smtp", "session", "plans"};

std::string_view TypeName(toml::node_type type) {
  switch (type) {
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
    case toml::node_type::time:
    case toml::node_type::date_time:
      return "a date or time";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::table:
      return "a table";
    default:
      return "nothing";
  }
}

// "a|b|c" → is `value` one of a, b, c?
bool IsChoice(std::string_view choices, std::string_view value) {
  while (true) {
    const std::size_t bar = choices.find('|');
    if (choices.substr(0, bar) == value) return true;
    if (bar == std::string_view::npos) return false;
    choices.remove_prefix(bar + 1);
  }
}

// "a|b|c" → "\"a\", \"b\" or \"c\"".
std::string ChoiceList(std::string_view choices) {
  std::string out;
  while (true) {
    const std::size_t bar = choices.find('|');
    out += "\"" + std::string(choices.substr(0, bar)) + "\"";
    if (bar == std::string_view::npos) return out;
    choices.remove_prefix(bar + 1);
    out += choices.find('|') == std::string_view::npos ? " or " : ", ";
  }
}

class Parser {
 public:
  explicit Parser(std::string file_name) : file_(std::move(file_name)) {}

  void Table(const toml::table& table, const std::string& prefix) {
    for (auto&& [key, node] : table) {
      const std::string name = prefix + std::string(key.str());
      const int line = static_cast<int>(key.source().begin.line);
      if (prefix.empty() && node.is_table() &&
          std::find(std::begin(kTables), std::end(kTables), key.str()) != std::end(kTables)) {
        Table(*node.as_table(), name + ".");
        continue;
      }
      const KeySpec* spec = nullptr;
      for (const KeySpec& k : Keys())
        if (k.name == name) spec = &k;
      if (spec == nullptr) {
        Error(line, "unknown key '" + name + "'");
        continue;
      }
      const size_t errors_before = errors.size();
      Value(*spec, node, line);
      if (errors.size() == errors_before)
        config.where[std::string(spec->name)] =
            file_ + ":" + std::to_string(line) + ": key '" + name + "'";
    }
  }

  ServeConfigFile config;
  std::vector<std::string> errors;

 private:
  void Error(int line, const std::string& message) {
    errors.push_back(file_ + ":" + std::to_string(line) + ": " + message);
  }
  void WrongType(const KeySpec& spec, const toml::node& node, int line, std::string_view want) {
    Error(line, "key '" + std::string(spec.name) + "': expected " + std::string(want) + ", found " +
                    std::string(TypeName(node.type())));
  }

  void Value(const KeySpec& spec, const toml::node& node, int line) {
    if (const StringField* f = std::get_if<StringField>(&spec.field)) {
      if (!node.is_string()) return WrongType(spec, node, line, "a string");
      const std::string v = *node.value<std::string>();
      if (!spec.choices.empty() && !IsChoice(spec.choices, v)) {
        return Error(line, "key '" + std::string(spec.name) + "': expected " +
                               ChoiceList(spec.choices) + ", found \"" + v + "\"");
      }
      config.** f = v;
    } else if (const BoolField* f = std::get_if<BoolField>(&spec.field)) {
      if (!node.is_boolean()) return WrongType(spec, node, line, "true or false");
      config.** f = *node.value<bool>();
    } else if (const IntField* f = std::get_if<IntField>(&spec.field)) {
      if (!node.is_integer()) return WrongType(spec, node, line, "an integer");
      const int64_t v = *node.value<int64_t>();
      if (v < spec.min || v > spec.max) {
        return Error(line, "key '" + std::string(spec.name) + "': " + std::to_string(v) +
                               " is out of range (" + std::to_string(spec.min) + " to " +
                               std::to_string(spec.max) + ")");
      }
      config.** f = v;
    }
  }

  std::string file_;
};

// Sets `target` from a config-file value, unless the command line gave `flag`.
struct Taker {
  const std::function<bool(std::string_view flag)>& flag_given;
  template <typename Value, typename Target>
  void operator()(const std::optional<Value>& value, std::string_view flag, Target& target) const {
    if (value && !flag_given(flag)) target = static_cast<Target>(*value);
  }
};

}  // namespace

Result<ServeConfigFile> ParseServeConfig(std::string_view text, const std::string& file_name) {
  toml::table table;
  try {
    table = toml::parse(text, file_name);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(file_name + ":" + std::to_string(e.source().begin.line) + ":" +
                                   std::to_string(e.source().begin.column) + ": " +
                                   std::string(e.description()));
  }
  Parser parser(file_name);
  parser.Table(table, "");
  if (!parser.errors.empty()) {
    std::string message;
    for (const std::string& e : parser.errors) message += (message.empty() ? "" : "\n") + e;
    return Status::InvalidArgument(message);
  }
  return std::move(parser.config);
}

Result<ServeConfigFile> LoadServeConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound("cannot read configuration file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseServeConfig(text.str(), path);
}

void ApplyServeConfig(const ServeConfigFile& file,
                      const std::function<bool(std::string_view flag)>& flag_given,
                      ServeOptions& options, GlobalOptions& global) {
  const Taker take{flag_given};
  take(file.db, "--db", global.db_path);
  take(file.listen, "--listen", options.listen);
  take(file.base_url, "--base-url", options.base_url);
  take(file.threads, "--threads", options.threads);
  take(file.static_dir, "--static-dir", options.static_dir);
  take(file.template_dir, "--template-dir", options.template_dir);
  take(file.access_log, "--access-log", options.access_log);
  take(file.trust_proxy, "--trust-proxy", options.trust_proxy);
  take(file.secure_cookies, "--secure-cookies", options.secure_cookies);
  ApplySmtpConfig(file, flag_given, options.smtp);
  take(file.session_idle_minutes, "--session-idle-minutes", options.session_idle_minutes);
  take(file.session_absolute_hours, "--session-absolute-hours", options.session_absolute_hours);
  take(file.plan_reminders, "--plan-reminders", options.plan_reminders);
  take(file.plan_reminder_hour, "--plan-reminder-hour", options.plan_reminder_hour);
  take(file.plan_quiet_days, "--plan-quiet-days", options.plan_quiet_days);
}

void ApplySmtpConfig(const ServeConfigFile& file,
                     const std::function<bool(std::string_view flag)>& flag_given,
                     SmtpOptions& smtp) {
  const Taker take{flag_given};
  take(file.smtp_host, "--smtp-host", smtp.host);
  take(file.smtp_port, "--smtp-port", smtp.port);
  take(file.smtp_user, "--smtp-user", smtp.user);
  take(file.smtp_password_file, "--smtp-password-file", smtp.password_file);
  take(file.smtp_password_env, "--smtp-password-env", smtp.password_env);
  take(file.smtp_from, "--smtp-from", smtp.from);
  take(file.smtp_starttls, "--smtp-starttls", smtp.starttls);
}

Status NameConfigOrigin(const Status& status, const ServeConfigFile& file,
                        const std::function<bool(std::string_view flag)>& flag_given) {
  const std::string_view message = status.message();
  if (status.ok() || !message.starts_with("--")) return status;
  const std::string_view flag = message.substr(0, message.find_first_of(": "));
  for (const KeySpec& k : Keys()) {
    if (k.flag != flag || flag_given(flag)) continue;
    auto where = file.where.find(std::string(k.name));
    if (where == file.where.end()) return status;
    return Status(status.code(), where->second + " (" + std::string(flag) + ")" +
                                     std::string(message.substr(flag.size())));
  }
  return status;
}

}  // namespace trellis::cli
