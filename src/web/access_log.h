// web/access_log.h — the structured access log: one JSON object per request, one per line.
// {"time":"2025-01-31T09:15:02.123Z","remote":"127.0.0.1","method":"GET","path":"/healthz",
//  "status":200,"bytes":15,"duration_ms":0.42} plus "error" when the response carried a
// log_note. The path never includes the query string, which may carry rater link tokens, and
// a rater link path "/r/{token}…" is logged as "/r/…" (RedactPath), so no token reaches a log.
// AccessLog serialises writers, so one log may be shared by all server threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace trellis::web {

struct AccessLogEntry {
  std::chrono::system_clock::time_point time;  // when the request had been read
  std::string remote;                          // peer IP address
  std::string method;                          // "-" when the request could not be parsed
  std::string path;                            // decoded path, never the query; "-" if unknown
  int status = 0;                              // HTTP status sent
  std::uint64_t bytes = 0;                     // body bytes sent
  double duration_ms = 0;                      // from request read to response written
  std::string error;                           // Response::log_note; omitted when empty
};

// `path` with secrets removed: a rater link "/r/TOKEN" (and anything below it) becomes "/r/…";
// other paths are returned unchanged.
std::string RedactPath(std::string_view path);

// The entry as one line of JSON, without the newline, its path passed through RedactPath. Invalid
// UTF-8 in a path is replaced (U+FFFD), never thrown on.
std::string FormatAccessLogLine(const AccessLogEntry& entry);

// Writes entries to an ostream, one line each, flushed, whole lines only. Thread-safe.
class AccessLog {
 public:
  // `out` may be null (logging off); it must outlive this object.
  explicit AccessLog(std::ostream* out) : out_(out) {}
  void Write(const AccessLogEntry& entry);

 private:
  std::mutex mu_;
  std::ostream* out_;
};

}  // namespace trellis::web
