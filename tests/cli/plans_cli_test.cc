// `trellis plans remind` as a user runs it from cron: with nothing overdue it sends nothing and
// succeeds without touching the mail server; over the demo (whose member has an overdue action)
// it tries to send, and a mail server that cannot be reached is reported on stderr with exit 2
// so the timer's failure shows. Required options are refused as bad input.
#include <gtest/gtest.h>

#include "cli/cli_fixture.h"

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

}  // namespace
}  // namespace trellis::cli
