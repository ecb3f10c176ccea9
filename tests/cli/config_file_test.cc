// Tests for cli/config_file.h (the `trellis serve --config` TOML file): every key is read, each
// class of error names file, line and key, flags override the file; and `trellis serve
// --config` refuses a bad file at start with exit code 1.
#include "cli/config_file.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "cli/cli_fixture.h"

namespace trellis::cli {
namespace {

constexpr char kComplete[] = R"(# trellis.toml
db = "/var/lib/trellis/trellis.db"
listen = "127.0.0.1:9000"
base_url = "https://trellis.example.org"
threads = 16
static_dir = "/usr/local/share/trellis/static"
template_dir = "/usr/local/share/trellis/templates"
access_log = "/var/log/trellis/access.log"
trust_proxy = true
secure_cookies = false

[smtp]
host = "smtp.example.org"
port = 465
user = "trellis"
password_file = "/etc/trellis/smtp-password"
from = "trellis@example.org"
starttls = true

[session]
idle_timeout_minutes = 20
absolute_timeout_hours = 8

[plans]
reminders = "off"
reminder_hour = 23
quiet_days = 14
)";

std::string ErrorOf(std::string_view text) {
  Result<ServeConfigFile> parsed = ParseServeConfig(text, "trellis.toml");
  EXPECT_FALSE(parsed.ok());
  if (parsed.ok()) return "";
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  return parsed.status().message();
}

TEST(ServeConfig, ReadsEveryKey) {
  Result<ServeConfigFile> c = ParseServeConfig(kComplete, "trellis.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->db, "/var/lib/trellis/trellis.db");
  EXPECT_EQ(c->listen, "127.0.0.1:9000");
  EXPECT_EQ(c->base_url, "https://trellis.example.org");
  EXPECT_EQ(c->threads, 16);
  EXPECT_EQ(c->static_dir, "/usr/local/share/trellis/static");
  EXPECT_EQ(c->template_dir, "/usr/local/share/trellis/templates");
  EXPECT_EQ(c->access_log, "/var/log/trellis/access.log");
  EXPECT_EQ(c->trust_proxy, true);
  EXPECT_EQ(c->secure_cookies, false);
  EXPECT_EQ(c->smtp_host, "smtp.example.org");
  EXPECT_EQ(c->smtp_port, 465);
  EXPECT_EQ(c->smtp_user, "trellis");
  EXPECT_EQ(c->smtp_password_file, "/etc/trellis/smtp-password");
  EXPECT_EQ(c->smtp_password_env, std::nullopt);
  EXPECT_EQ(c->smtp_from, "trellis@example.org");
  EXPECT_EQ(c->smtp_starttls, true);
  EXPECT_EQ(c->session_idle_minutes, 20);
  EXPECT_EQ(c->session_absolute_hours, 8);
  EXPECT_EQ(c->plan_reminders, "off");
  EXPECT_EQ(c->plan_reminder_hour, 23);
  EXPECT_EQ(c->plan_quiet_days, 14);
  Result<ServeConfigFile> empty = ParseServeConfig("", "empty.toml");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->listen, std::nullopt);
}

TEST(ServeConfig, UnknownKeysNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf("listen = \"127.0.0.1:1\"\nlisten_on = \"x\"\n"),
            "trellis.toml:2: unknown key 'listen_on'");
  EXPECT_EQ(ErrorOf("[smtp]\nhost = \"h\"\nhots = \"h\"\n"),
            "trellis.toml:3: unknown key 'smtp.hots'");
  EXPECT_EQ(ErrorOf("[database]\nurl = \"x\"\n"), "trellis.toml:1: unknown key 'database'");
  // Every problem is listed, one per line.
  EXPECT_EQ(ErrorOf("a = 1\nb = 2\n"),
            "trellis.toml:1: unknown key 'a'\ntrellis.toml:2: unknown key 'b'");
}

TEST(ServeConfig, WrongTypesNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf("threads = \"8\"\n"),
            "trellis.toml:1: key 'threads': expected an integer, found a string");
  EXPECT_EQ(ErrorOf("\n[smtp]\nport = 58.7\n"),
            "trellis.toml:3: key 'smtp.port': expected an integer, found a floating-point number");
  EXPECT_EQ(ErrorOf("trust_proxy = \"yes\"\n"),
            "trellis.toml:1: key 'trust_proxy': expected true or false, found a string");
  EXPECT_EQ(ErrorOf("listen = 8080\n"),
            "trellis.toml:1: key 'listen': expected a string, found an integer");
  EXPECT_EQ(ErrorOf("smtp = \"smtp.example.org\"\n"), "trellis.toml:1: unknown key 'smtp'");
  EXPECT_EQ(ErrorOf("db = { path = \"x\" }\n"),
            "trellis.toml:1: key 'db': expected a string, found a table");
}

TEST(ServeConfig, OutOfRangeValuesNameFileLineAndKey) {
  EXPECT_EQ(ErrorOf("[smtp]\nport = 70000\n"),
            "trellis.toml:2: key 'smtp.port': 70000 is out of range (1 to 65535)");
  EXPECT_EQ(ErrorOf("[session]\nidle_timeout_minutes = 0\n"),
            "trellis.toml:2: key 'session.idle_timeout_minutes': 0 is out of range (1 to 1000000)");
  EXPECT_EQ(ErrorOf("threads = -1\n"),
            "trellis.toml:1: key 'threads': -1 is out of range (0 to 1024)");
  EXPECT_EQ(ErrorOf("[plans]\nreminders = \"daily\"\nreminder_hour = 24\n"),
            "trellis.toml:3: key 'plans.reminder_hour': 24 is out of range (0 to 23)");
  EXPECT_EQ(ErrorOf("[plans]\n\nquiet_days = -2\n"),
            "trellis.toml:3: key 'plans.quiet_days': -2 is out of range (0 to 365)");
}

TEST(ServeConfig, PlanRemindersAreDailyOrOff) {
  EXPECT_EQ(ErrorOf("[plans]\nreminders = \"weekly\"\n"),
            "trellis.toml:2: key 'plans.reminders': expected \"daily\" or \"off\", found "
            "\"weekly\"");
  EXPECT_EQ(ErrorOf("[plans]\nreminders = true\n"),
            "trellis.toml:2: key 'plans.reminders': expected a string, found a boolean");
  EXPECT_EQ(ErrorOf("[plans]\nreminder_time = \"07:00\"\n"),
            "trellis.toml:2: unknown key 'plans.reminder_time'");
  Result<ServeConfigFile> daily = ParseServeConfig("[plans]\nreminders = \"daily\"\n", "t.toml");
  ASSERT_TRUE(daily.ok()) << daily.status().ToString();
  EXPECT_EQ(daily->plan_reminders, "daily");
  EXPECT_EQ(daily->plan_reminder_hour, std::nullopt);
}

TEST(ServeConfig, TomlSyntaxErrorsNameFileLineAndColumn) {
  const std::string message = ErrorOf("listen = \"127.0.0.1:8080\"\nthreads = \n");
  EXPECT_EQ(message.rfind("trellis.toml:2:", 0), 0u) << message;
  const std::string twice = ErrorOf("listen = \"a\"\nlisten = \"b\"\n");
  EXPECT_EQ(twice.rfind("trellis.toml:2:", 0), 0u) << twice;
}

TEST(ServeConfig, AnUnreadableFileIsNotFound) {
  Result<ServeConfigFile> missing = LoadServeConfig("/nonexistent/trellis.toml");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(),
            "cannot read configuration file '/nonexistent/trellis.toml'");
}

TEST(ServeConfig, FlagsGivenOnTheCommandLineOverrideTheFile) {
  Result<ServeConfigFile> c = ParseServeConfig(kComplete, "trellis.toml");
  ASSERT_TRUE(c.ok());
  ServeOptions options;
  options.listen = "127.0.0.1:7000";  // as if given with --listen
  options.smtp.port = 2525;           // as if given with --smtp-port
  options.plan_reminder_hour = 5;     // as if given with --plan-reminder-hour
  GlobalOptions global;
  const std::set<std::string> given = {"--listen", "--smtp-port", "--plan-reminder-hour"};
  ApplyServeConfig(
      *c, [&given](std::string_view flag) { return given.contains(std::string(flag)); }, options,
      global);
  EXPECT_EQ(options.listen, "127.0.0.1:7000");
  EXPECT_EQ(options.smtp.port, 2525);
  EXPECT_EQ(options.plan_reminder_hour, 5);
  EXPECT_EQ(options.plan_reminders, "off");
  EXPECT_EQ(options.plan_quiet_days, 14);
  EXPECT_EQ(global.db_path, "/var/lib/trellis/trellis.db");
  EXPECT_EQ(options.threads, 16);
  EXPECT_EQ(options.smtp.host, "smtp.example.org");
  EXPECT_EQ(options.smtp.password_file, "/etc/trellis/smtp-password");
  EXPECT_TRUE(options.smtp.starttls);
  EXPECT_TRUE(options.trust_proxy);
  EXPECT_EQ(options.session_idle_minutes, 20);
  EXPECT_EQ(options.session_absolute_hours, 8);
  // Keys the file does not set keep their defaults.
  EXPECT_EQ(options.smtp.password_env, "");
}

class ServeConfigCliTest : public CliTest {};

TEST_F(ServeConfigCliTest, ServeRefusesABadConfigFileAtStart) {
  WriteFile("trellis.toml", "listen = \"127.0.0.1:0\"\n[smtp]\nprot = 25\n");
  Outcome run = Trellis("serve --config trellis.toml");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, "trellis: trellis.toml:3: unknown key 'smtp.prot'\n");
  Outcome missing = Trellis("serve --config nowhere.toml");
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err, "trellis: cannot read configuration file 'nowhere.toml'\n");
}

TEST_F(ServeConfigCliTest, TheFileIsUsedAndFlagsWin) {
  // The file's SMTP host needs a sender; the error proves the file was read. With --smtp-host
  // '' given on the command line the flag wins and the file's incomplete SMTP is not used, so
  // serve gets as far as the next check: the file's template directory does not exist.
  WriteFile("trellis.toml",
            "db = \"from-file.db\"\nlisten = \"127.0.0.1:0\"\n"
            "template_dir = \"/nonexistent/templates\"\n[smtp]\nhost = \"smtp.example.org\"\n");
  Outcome file_only = Trellis("serve --config trellis.toml --template-dir " +
                              std::string(TRELLIS_SOURCE_DIR) + "/web/templates");
  EXPECT_EQ(file_only.exit_code, 1);
  EXPECT_EQ(file_only.err,
            "trellis: trellis.toml:5: key 'smtp.host' (--smtp-host): needs a sender address too "
            "(--smtp-from, or 'from' in [smtp])\n");
  Outcome flag_wins = Trellis("serve --config trellis.toml --smtp-host ''");
  EXPECT_EQ(flag_wins.exit_code, 1);
  EXPECT_EQ(
      flag_wins.err,
      "trellis: trellis.toml:3: key 'template_dir' (--template-dir): '/nonexistent/templates' "
      "is not a directory\n");
  // Given on the command line, the same mistake names the flag.
  Outcome flag_only = Trellis("serve --template-dir /nonexistent/flag");
  EXPECT_EQ(flag_only.exit_code, 1);
  EXPECT_EQ(flag_only.err, "trellis: --template-dir: '/nonexistent/flag' is not a directory\n");
}

// A listen address that the server refuses later is named by file, line and key too.
TEST_F(ServeConfigCliTest, ABadListenAddressFromTheFileNamesItsLine) {
  WriteFile("trellis.toml", "db = \"t.db\"\nlisten = \"nonsense\"\n");
  Outcome run = Trellis("serve --config trellis.toml --template-dir " +
                        std::string(TRELLIS_SOURCE_DIR) + "/web/templates");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("trellis: trellis.toml:2: key 'listen' (--listen): ", 0), 0u) << run.err;
  Outcome flag = Trellis("serve --db t.db --listen nonsense --template-dir " +
                         std::string(TRELLIS_SOURCE_DIR) + "/web/templates");
  EXPECT_EQ(flag.exit_code, 1);
  EXPECT_EQ(flag.err.rfind("trellis: --listen: ", 0), 0u) << flag.err;
}

TEST_F(ServeConfigCliTest, DemoTakesTheFileButNeverItsDatabase) {
  WriteFile("trellis.toml",
            "db = \"production.db\"\nlisten = \"127.0.0.1:9191\"\n"
            "base_url = \"https://demo.example.org/\"\n");
  Outcome demo = Trellis("demo --no-serve --config trellis.toml");
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  EXPECT_EQ(demo.err, "trellis: demo: ignoring 'db' in trellis.toml; the demo uses demo.db\n");
  EXPECT_NE(demo.out.find("Open https://demo.example.org/ and sign in"), std::string::npos)
      << demo.out;
  EXPECT_NE(demo.out.find("  https://demo.example.org/r/"), std::string::npos);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "demo.db"));
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "production.db"));
}

}  // namespace
}  // namespace trellis::cli
