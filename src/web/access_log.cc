// web/access_log.cc — see access_log.h.
#include "web/access_log.h"

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

namespace trellis::web {
namespace {

// ISO 8601 UTC with milliseconds: "2025-01-31T09:15:02.123Z".
std::string FormatTime(std::chrono::system_clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace

std::string RedactPath(std::string_view path) {
  // Rater links are "/r/{token}"; the token is the rater's only credential.
  constexpr std::string_view kRaterPrefix = "/r/";
  if (path.substr(0, kRaterPrefix.size()) == kRaterPrefix) return "/r/\u2026";
  return std::string(path);
}

std::string FormatAccessLogLine(const AccessLogEntry& entry) {
  nlohmann::ordered_json line;
  line["time"] = FormatTime(entry.time);
  line["remote"] = entry.remote;
  line["method"] = entry.method;
  line["path"] = RedactPath(entry.path);
  line["status"] = entry.status;
  line["bytes"] = entry.bytes;
  // Microsecond resolution is plenty, and keeps lines short.
  line["duration_ms"] = std::round(entry.duration_ms * 1000.0) / 1000.0;
  if (!entry.error.empty()) line["error"] = entry.error;
  return line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

void AccessLog::Write(const AccessLogEntry& entry) {
  if (out_ == nullptr) return;
  std::string text = FormatAccessLogLine(entry);
  text.push_back('\n');
  std::lock_guard<std::mutex> lock(mu_);
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  out_->flush();
}

}  // namespace trellis::web
