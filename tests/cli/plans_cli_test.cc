// `trellis plans remind` as a user runs it from cron: with nothing overdue it sends nothing and
// succeeds without touching the mail server; over the demo (whose member has an overdue action)
// it tries to send, and a mail server that cannot be reached is reported on stderr with exit 2
// so the timer's failure shows. Required options are refused as bad input. With --config it
// reads serve's configuration file (database, site address, mail server), flags overriding it,
// and sends through a real local SMTP server (testing/local_smtp_server.h).
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"
#include "testing/local_smtp_server.h"

namespace trellis::cli {
namespace {

// Nothing listens on port 1 of the loopback address: connecting is refused at once.
constexpr char kUnreachableSmtp[] =
    "--smtp-host 127.0.0.1 --smtp-port 1 --smtp-from trellis@test.example "
    "--base-url https://trellis.test";

TEST_F(CliTest, PlansRemindWithNothingOverdueSendsNothing) {
  Outcome run = Trellis(std::string("plans remind --db empty.db ") + kUnreachableSmtp);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "sent 0 reminder emails about 0 overdue actions\n");
}

TEST_F(CliTest, PlansRemindNeedsTheSiteAddressForItsLinks) {
  Outcome run =
      Trellis("plans remind --db empty.db --smtp-host 127.0.0.1 --smtp-from trellis@test.example");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("--base-url"), std::string::npos) << run.err;
}

TEST_F(CliTest, PlansRemindReportsAMailServerItCannotReach) {
  ASSERT_EQ(Trellis("demo --no-serve").exit_code, 0);
  Outcome run = Trellis(std::string("plans remind --db demo.db ") + kUnreachableSmtp);
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_EQ(run.out, "sent 0 reminder emails about 0 overdue actions\n");
  EXPECT_NE(run.err.find("trellis: not sent to person per_"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("cannot reach the mail server 127.0.0.1:1"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("1 reminder(s) not sent; the next run tries again"), std::string::npos);
}

TEST_F(CliTest, PlansRemindReadsServesConfigFileAndFlagsOverrideIt) {
  if (!testing::HaveAiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  ASSERT_EQ(Trellis("demo --no-serve").exit_code, 0);
  WriteFile("trellis.toml",
            "db = \"demo.db\"\nlisten = \"127.0.0.1:0\"\nbase_url = \"https://site.test/\"\n"
            "[smtp]\nhost = \"127.0.0.1\"\nport = 1\nfrom = \"trellis@test.example\"\n"
            "[plans]\nquiet_days = 3\n");
  // The file alone: its database, site address and (unreachable) mail server are used.
  Outcome unreachable = Trellis("plans remind --config trellis.toml");
  EXPECT_EQ(unreachable.exit_code, 2) << unreachable.err;
  EXPECT_NE(unreachable.err.find("cannot reach the mail server 127.0.0.1:1"), std::string::npos)
      << unreachable.err;

  // --smtp-port given here wins over the file's port.
  testing::LocalSmtpServer smtp(dir_.path());
  ASSERT_TRUE(smtp.running()) << "aiosmtpd did not start";
  Outcome sent =
      Trellis("plans remind --config trellis.toml --smtp-port " + std::to_string(smtp.port()));
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  EXPECT_EQ(sent.out, "sent 1 reminder email about 1 overdue action\n");
  std::vector<std::string> messages = smtp.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("https://site.test/plans/"), std::string::npos) << messages[0];
  EXPECT_NE(messages[0].find("comes again in 3 days"), std::string::npos) << messages[0];
}

TEST_F(CliTest, PlansRemindRefusesABadConfigFileNamingLineAndKey) {
  WriteFile("trellis.toml", "[smtp]\nhost = \"127.0.0.1\"\n[plans]\nquiet_days = 400\n");
  Outcome run = Trellis("plans remind --config trellis.toml");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err,
            "trellis: trellis.toml:4: key 'plans.quiet_days': 400 is out of range (0 to 365)\n");
  Outcome no_host = Trellis("plans remind --db empty.db --base-url https://site.test");
  EXPECT_EQ(no_host.exit_code, 1);
  EXPECT_EQ(no_host.err, "trellis: --smtp-host: required (or [smtp] host in --config)\n");
}

}  // namespace
}  // namespace trellis::cli
