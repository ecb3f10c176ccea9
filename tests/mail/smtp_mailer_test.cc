// Tests for mail/smtp_mailer.h against a real local SMTP server (testing/local_smtp_server.h:
// Debian's python3-aiosmtpd writing each delivered message into a maildir). Asserts what a
// rater would see: To, Subject and the link in the body; and the error an admin sees when no
// server listens.
#include "mail/smtp_mailer.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "testing/local_smtp_server.h"
#include "testing/temp_dir.h"

namespace trellis::mail {
namespace {

using testing::FreePort;
using testing::HaveAiosmtpd;
using testing::LocalSmtpServer;

// The value of header `name` in `message` (first occurrence), without the line end.
std::string Header(const std::string& message, const std::string& name) {
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;  // end of headers
    if (line.rfind(name + ": ", 0) == 0) return line.substr(name.size() + 2);
  }
  return "";
}

SmtpConfig Config(int port, const std::string& from = "t@example.org") {
  SmtpConfig config;
  config.host = "127.0.0.1";
  config.port = port;
  config.from = from;
  config.timeout_seconds = 10;
  return config;
}

TEST(SmtpMailer, DeliversToAndSubjectAndTheLinkInTheBody) {
  if (!HaveAiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  testing::TempDir dir;
  LocalSmtpServer server(dir.path());
  ASSERT_TRUE(server.running()) << "aiosmtpd did not start";

  SmtpConfig config = Config(server.port(), "trellis@example.org");
  config.from_name = "Trellis";
  SmtpMailer mailer(config);
  const std::string link = "https://trellis.example.org/r/AbCdEfGhIjKlMnOpQrStUv";
  Status sent = mailer.Send("rater@example.org", "North Shore 360: feedback on Ada Lovelace",
                            "Hello Grace,\n\nAnswer here:\n" + link + "\n.\nThank you.\n");
  ASSERT_TRUE(sent.ok()) << sent.ToString();

  std::vector<std::string> messages = server.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  const std::string& m = messages[0];
  EXPECT_EQ(Header(m, "To"), "<rater@example.org>");
  EXPECT_EQ(Header(m, "Subject"), "North Shore 360: feedback on Ada Lovelace");
  EXPECT_EQ(Header(m, "From"), "Trellis <trellis@example.org>");
  EXPECT_EQ(Header(m, "X-RcptTo"), "rater@example.org");
  EXPECT_NE(m.find(link), std::string::npos) << m;
  EXPECT_NE(m.find("Thank you."), std::string::npos) << "a lone '.' line must not end the message";
}

TEST(SmtpMailer, EncodesANonAsciiSubject) {
  if (!HaveAiosmtpd()) GTEST_SKIP() << "python3-aiosmtpd is not installed";
  testing::TempDir dir;
  LocalSmtpServer server(dir.path());
  ASSERT_TRUE(server.running());
  SmtpMailer mailer(Config(server.port()));
  ASSERT_TRUE(mailer.Send("r@example.org", "Rückmeldung für Zoë", "Grüße\n").ok());
  std::vector<std::string> messages = server.Messages(1);
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(Header(messages[0], "Subject").rfind("=?UTF-8?B?", 0), 0u) << messages[0];
}

TEST(SmtpMailer, NothingListeningIsUnavailableWithAClearMessage) {
  const int port = FreePort();
  SmtpMailer mailer(Config(port));
  Status s = mailer.Send("r@example.org", "Hello", "Body");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("cannot reach the mail server 127.0.0.1:" + std::to_string(port)),
            std::string::npos)
      << s.message();
}

TEST(SmtpMailer, RefusesAnAddressThatCouldInjectHeaders) {
  SmtpMailer mailer(Config(1));
  Status s = mailer.Send("r@example.org\r\nBcc: x@example.org", "Hello", "Body");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  const std::string composed = mailer.Compose("r@example.org", "Hi\r\nBcc: x@example.org", "B");
  EXPECT_EQ(composed.find("\r\nBcc:"), std::string::npos) << composed;
}

}  // namespace
}  // namespace trellis::mail
