// tests/web/access_log_test.cc — the access log line format.
#include "web/access_log.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

namespace trellis::web {
namespace {

AccessLogEntry Entry() {
  AccessLogEntry e;
  e.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1738314902123));
  e.remote = "127.0.0.1";
  e.method = "GET";
  e.path = "/healthz";
  e.status = 200;
  e.bytes = 15;
  e.duration_ms = 0.4204;
  return e;
}

TEST(AccessLog, OneJsonObjectWithFieldsInOrder) {
  EXPECT_EQ(FormatAccessLogLine(Entry()),
            R"({"time":"2025-01-31T09:15:02.123Z","remote":"127.0.0.1","method":"GET",)"
            R"("path":"/healthz","status":200,"bytes":15,"duration_ms":0.42})");
}

TEST(AccessLog, ErrorFieldOnlyWhenPresent) {
  AccessLogEntry e = Entry();
  e.error = "internal: boom";
  EXPECT_EQ(nlohmann::json::parse(FormatAccessLogLine(e))["error"], "internal: boom");
}

TEST(AccessLog, InvalidUtf8AndNewlinesStayOnOneLine) {
  AccessLogEntry e = Entry();
  e.path = "/a\xff\nb";
  std::string line = FormatAccessLogLine(e);
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_NO_THROW(nlohmann::json::parse(line));
}

TEST(AccessLog, WritesWholeLines) {
  std::ostringstream out;
  AccessLog log(&out);
  log.Write(Entry());
  log.Write(Entry());
  std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2);
  AccessLog off(nullptr);
  off.Write(Entry());  // no crash, nothing written
}

TEST(AccessLog, RaterLinkTokensAreRedacted) {
  AccessLogEntry e = Entry();
  e.path = "/r/Zq3xYtoken22charsABCD";
  EXPECT_EQ(nlohmann::json::parse(FormatAccessLogLine(e))["path"], "/r/\u2026");
  e.path = "/r/Zq3xYtoken22charsABCD/submit";
  EXPECT_EQ(FormatAccessLogLine(e).find("Zq3x"), std::string::npos);
  EXPECT_EQ(RedactPath("/r/abc"), "/r/\u2026");
  EXPECT_EQ(RedactPath("/reports/7"), "/reports/7");
  EXPECT_EQ(RedactPath("/r"), "/r");
  EXPECT_EQ(RedactPath("/people/r/x"), "/people/r/x");
}

}  // namespace
}  // namespace trellis::web
