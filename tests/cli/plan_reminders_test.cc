// Tests for cli/plan_reminders.h: when the daily pass of `trellis serve` runs next (in UTC,
// strictly after now), and the pass itself inside a running server: `trellis serve
// --plan-reminders-now` over the demo database (whose member has an overdue action) sends the
// reminder through a real local SMTP server (testing/local_smtp_server.h), logs it, and a
// second server on the same database within the quiet days sends nothing. Without a mail
// server the log says the reminders are off.
#include "cli/plan_reminders.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "cli/cli_fixture.h"
#include "testing/local_smtp_server.h"

namespace trellis::cli {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

service::TimePoint At(int y, unsigned m, unsigned d, int h, int min = 0, int s = 0) {
  return sys_days(std::chrono::year(y) / m / d) + hours(h) + minutes(min) + seconds(s);
}

TEST(NextReminderRun, IsTheNextWholeHourInUtcStrictlyAfterNow) {
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 6, 59, 59), 7), At(2026, 3, 1, 7));
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 0, 0, 0), 7), At(2026, 3, 1, 7));
  // At the hour or after it: tomorrow, so a pass that ends at 07:00:00 is not run again.
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 7), 7), At(2026, 3, 2, 7));
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 7, 0, 1), 7), At(2026, 3, 2, 7));
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 23, 30), 7), At(2026, 3, 2, 7));
  // Across the end of a month and of a (leap) year; hour 0 and hour 23.
  EXPECT_EQ(NextReminderRun(At(2026, 2, 28, 9), 7), At(2026, 3, 1, 7));
  EXPECT_EQ(NextReminderRun(At(2028, 2, 28, 9), 7), At(2028, 2, 29, 7));
  EXPECT_EQ(NextReminderRun(At(2026, 12, 31, 8), 0), At(2027, 1, 1, 0));
  EXPECT_EQ(NextReminderRun(At(2026, 12, 31, 22, 59, 59), 23), At(2026, 12, 31, 23));
  // Sub-second instants just before the hour still run that day.
  EXPECT_EQ(NextReminderRun(At(2026, 3, 1, 7) - std::chrono::milliseconds(1), 7),
            At(2026, 3, 1, 7));
}

TEST(NextReminderRun, IsDescribedForTheLog) {
  EXPECT_EQ(DescribeReminderHour(7), "daily at 07:00 UTC");
  EXPECT_EQ(DescribeReminderHour(0), "daily at 00:00 UTC");
  EXPECT_EQ(DescribeReminderHour(18), "daily at 18:00 UTC");
}

class ServeRemindersTest : public CliTest {
 protected:
  // Starts `trellis serve ARGS` in the test directory, its output going to files NAME.out and
  // NAME.err; returns once it prints its address (or gives up after 15 s).
  void StartServe(const std::string& args, const std::string& name) {
    out_ = dir_.path() / (name + ".out");
    err_ = dir_.path() / (name + ".err");
    const std::string command = "cd '" + dir_.path().string() + "' && exec '" +
                                std::string(TRELLIS_BINARY_DIR) + "/trellis' serve " + args +
                                " >'" + out_.string() + "' 2>'" + err_.string() + "'";
    pid_ = fork();
    if (pid_ == 0) {
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 300 && ReadAll(out_).find("serving http://") == std::string::npos; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  // Stops the server (SIGTERM) and returns its stderr.
  std::string StopServe() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    return ReadAll(err_);
  }
  // Waits up to 10 s for stderr to contain `text`.
  bool LogShows(const std::string& text) {
    for (int i = 0; i < 200; ++i) {
      if (ReadAll(err_).find(text) != std::string::npos) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  void TearDown() override { StopServe(); }

  std::filesystem::path out_, err_;
  pid_t pid_ = -1;
};

TEST_F(ServeRemindersTest, TheServerSendsTheOverdueRemindersItselfAndNeverTwice) {
  if (!testing::HaveAiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  ASSERT_EQ(Trellis("demo --no-serve").exit_code, 0);
  testing::LocalSmtpServer smtp(dir_.path());
  ASSERT_TRUE(smtp.running()) << "aiosmtpd did not start";
  const std::string args =
      "--db demo.db --listen 127.0.0.1:0 --access-log '' --smtp-host "
      "127.0.0.1 --smtp-port " +
      std::to_string(smtp.port()) +
      " --smtp-from trellis@test.example --base-url https://trellis.test "
      "--plan-reminder-hour 6 --plan-reminders-now";
  StartServe(args, "first");
  ASSERT_TRUE(LogShows("trellis: plan reminders: sent 1 reminder email about 1 overdue action\n"))
      << ReadAll(err_);
  std::vector<std::string> messages = smtp.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("Subject: Development plan: 1 overdue action"), std::string::npos)
      << messages[0];
  EXPECT_NE(messages[0].find("Draft a who-decides / who-answers table for the discharge pathway"),
            std::string::npos)
      << messages[0];
  EXPECT_NE(messages[0].find("https://trellis.test/plans/"), std::string::npos);
  const std::string log = StopServe();
  EXPECT_NE(log.find("trellis: plan reminders: daily at 06:00 UTC, next "), std::string::npos)
      << log;
  EXPECT_NE(log.find("T06:00:00Z, and one pass now\n"), std::string::npos) << log;

  // Another server on the same database (a restart, or a second instance): within the quiet
  // days the action is not reminded again.
  StartServe(args, "second");
  ASSERT_TRUE(LogShows("trellis: plan reminders: sent 0 reminder emails about 0 overdue actions\n"))
      << ReadAll(err_);
  StopServe();
  EXPECT_EQ(smtp.Messages(1).size(), 1u);
}

TEST_F(ServeRemindersTest, WithoutAMailServerTheRemindersAreOff) {
  StartServe("--db empty.db --listen 127.0.0.1:0 --access-log '' --plan-reminders-now", "nosmtp");
  ASSERT_TRUE(LogShows("trellis: plan reminders: off: no SMTP (no --smtp-host)\n"))
      << ReadAll(err_);
  StopServe();
}

TEST_F(ServeRemindersTest, RemindersSetOffStayOffWithAMailServer) {
  StartServe(
      "--db empty.db --listen 127.0.0.1:0 --access-log '' --smtp-host 127.0.0.1 --smtp-port 9 "
      "--smtp-from trellis@example.org --plan-reminders off --plan-reminders-now",
      "off");
  ASSERT_TRUE(
      LogShows("trellis: plan reminders: off (--plan-reminders or plans.reminders is off)\n"))
      << ReadAll(err_);
  StopServe();
}

}  // namespace
}  // namespace trellis::cli
