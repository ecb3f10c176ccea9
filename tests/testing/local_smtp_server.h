// testing/local_smtp_server.h — a real local SMTP server for tests: Debian's python3-aiosmtpd
// (scripts/install-deps.sh) started on a free port with its Mailbox handler, which writes each
// delivered message into a maildir. Shared by the mail tests and the CLI tests of `trellis
// serve`'s plan reminders. Header-only; each instance is owned by one test.
#pragma once

#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace trellis::testing {

inline constexpr const char* kPython = "/usr/bin/python3";

// A port nothing listens on right now (the kernel's choice for port 0).
inline int FreePort() {
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

inline bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

inline bool HaveAiosmtpd() {
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

}  // namespace trellis::testing
