// Tests for mail/smtp_mailer.h against a real local SMTP server: Debian's python3-aiosmtpd
// (scripts/install-deps.sh) started on a free port with its Mailbox handler, which writes each
// delivered message into a maildir. Asserts what a rater would see: To, Subject and the link
// in the body; and the error an admin sees when no server listens.
#include "mail/smtp_mailer.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/temp_dir.h"

namespace trellis::mail {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

// A port nothing listens on right now (the kernel's choice for port 0).
int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

bool HaveAiosmtpd() {
  return std::system((std::string(kPython) + " -c 'import aiosmtpd' 2>/dev/null").c_str()) == 0;
}

// aiosmtpd with the Mailbox handler, delivering into `dir`/box; stopped on destruction.
class LocalSmtpServer {
 public:
  explicit LocalSmtpServer(const std::filesystem::path& dir) : box_(dir / "box") {
    port_ = FreePort();
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      execl(kPython, kPython, "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
            "aiosmtpd.handlers.Mailbox", box_.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    for (int i = 0; i < 200 && !Accepts(port_); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ~LocalSmtpServer() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
  }
  int port() const { return port_; }
  bool running() const { return pid_ > 0 && Accepts(port_); }

  // The delivered messages (maildir "new"), waiting briefly for them to appear.
  std::vector<std::string> Messages(size_t expected) const {
    std::vector<std::string> out;
    for (int i = 0; i < 100; ++i) {
      out.clear();
      std::error_code ec;
      for (const auto& entry : std::filesystem::directory_iterator(box_ / "new", ec)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream text;
        text << in.rdbuf();
        out.push_back(text.str());
      }
      if (out.size() >= expected) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return out;
  }

 private:
  std::filesystem::path box_;
  int port_ = 0;
  pid_t pid_ = -1;
};

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
