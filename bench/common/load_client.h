// bench/common/load_client.h — the small HTTP/1.1 load client the HTTP benchmarks share
// (bench/submit, bench/report): blocking keep-alive connections on loopback, one request in
// flight per connection, Content-Length bodies only (the Trellis server always sends one), and
// percentiles of the measured latencies. Hand-written rather than wrk (not a Debian 12 package
// the benchmarks can count on) so the load runs in the same process as the measured server and
// the database checks that follow it.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace trellis::bench {

// A connected TCP socket to 127.0.0.1:port with TCP_NODELAY, or -1.
inline int Connect(uint16_t port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

inline bool SendAll(int fd, const std::string& data) {
  size_t sent = 0;
  while (sent < data.size()) {
    ssize_t n = send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

// Reads one response from `fd` (bytes already received wait in `buf`). Returns the status code,
// or -1 on a broken connection; `close_after` is set when the server will close. The body, when
// `body` is not null, goes there.
inline int ReadResponse(int fd, std::string& buf, bool& close_after, std::string* body = nullptr) {
  size_t header_end;
  while ((header_end = buf.find("\r\n\r\n")) == std::string::npos) {
    char chunk[16384];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return -1;
    buf.append(chunk, static_cast<size_t>(n));
  }
  std::string head = buf.substr(0, header_end);
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int status = 0;
  if (std::sscanf(head.c_str(), "http/1.1 %d", &status) != 1) return -1;
  size_t length = 0;
  if (size_t p = head.find("\r\ncontent-length:"); p != std::string::npos) {
    length = std::strtoul(head.c_str() + p + 17, nullptr, 10);
  }
  close_after = head.find("\r\nconnection: close") != std::string::npos;
  const size_t total = header_end + 4 + length;
  while (buf.size() < total) {
    char chunk[16384];
    ssize_t n = recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return -1;
    buf.append(chunk, static_cast<size_t>(n));
  }
  if (body != nullptr) body->assign(buf, header_end + 4, length);
  buf.erase(0, total);
  return status;
}

// The p-quantile (0..1) of ascending `sorted`, nearest rank; 0 when empty.
inline double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t i = static_cast<size_t>(p * static_cast<double>(sorted.size() - 1) + 0.5);
  return sorted[std::min(i, sorted.size() - 1)];
}

// The first line of /proc/loadavg ("?" when unreadable), without the newline.
inline std::string LoadAverage() {
  char load[64] = "?";
  if (FILE* f = std::fopen("/proc/loadavg", "r")) {
    if (!std::fgets(load, sizeof load, f)) load[0] = 0;
    std::fclose(f);
  }
  std::string out(load);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace trellis::bench
