// tests/web/server_test.cc — the real server on port 0, driven over raw sockets: keep-alive,
// limits, timeouts, traversal attempts on the wire, graceful stop, and the access log.
#include "web/server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "web/http_client.h"
#include "web/problem.h"
#include "web/static_files.h"

namespace trellis::web {
namespace {

using namespace std::chrono_literals;
using testing::Connection;
using testing::Fetch;
using testing::RawResponse;

// Lines of the access log, parsed.
std::vector<nlohmann::json> LogLines(const std::ostringstream& log) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(log.str());
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  return lines;
}

class ServerTest : public ::testing::Test {
 protected:
  // Builds the server with routes for the tests; call from each test after adjusting options_.
  void Start() {
    Router router;
    ASSERT_TRUE(router
                    .Add("GET", "/hello/{name}",
                         [](const Request& r, const PathParams& p) {
                           std::string body = "hello " + p.at("name");
                           if (const std::string* q = r.Query("greeting")) body += " " + *q;
                           return HtmlResponse(body);
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("POST", "/echo",
                         [](const Request& r, const PathParams&) { return JsonResponse(r.body); })
                    .ok());
    ASSERT_TRUE(router
                    .Add("GET", "/slow",
                         [this](const Request&, const PathParams&) {
                           slow_entered_.set_value();
                           std::this_thread::sleep_for(600ms);
                           return HtmlResponse(std::string(100000, 'x'));  // several TCP segments
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("GET", "/boom",
                         [](const Request&, const PathParams&) -> Response {
                           throw std::runtime_error("kaboom");
                         })
                    .ok());
    ASSERT_TRUE(router
                    .Add("GET", "/whoami",
                         [](const Request& r, const PathParams&) {
                           const std::string* ua = r.Header("user-agent");
                           return HtmlResponse(r.remote_address + " " + (ua ? *ua : "-"));
                         })
                    .ok());
    ASSERT_TRUE(
        AddStaticRoutes(router, std::filesystem::path(TRELLIS_SOURCE_DIR) / "web" / "static").ok());
    options_.access_log = &log_;
    server_ = std::make_unique<Server>(std::move(router), options_);
    Result<std::uint16_t> port = server_->Listen("127.0.0.1:0");
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    port_ = *port;
    ASSERT_NE(port_, 0);
    EXPECT_EQ(server_->port(), port_);
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  ServerOptions options_;
  std::ostringstream log_;
  std::unique_ptr<Server> server_;
  std::uint16_t port_ = 0;
  std::promise<void> slow_entered_;
};

TEST_F(ServerTest, HealthzIsOk) {
  Start();
  std::optional<RawResponse> r = Fetch(port_, "GET", "/healthz");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_EQ(r->body, R"({"status":"ok"})");
  EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(r->Header("cache-control"), "no-store");
  EXPECT_NE(r->Header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);
}

TEST_F(ServerTest, RunAfterRunsATaskOnAServerThreadUnlessStoppedFirst) {
  Start();
  std::promise<std::thread::id> ran;
  const auto start = std::chrono::steady_clock::now();
  server_->RunAfter(std::chrono::milliseconds(50),
                    [&ran] { ran.set_value(std::this_thread::get_id()); });
  std::future<std::thread::id> on = ran.get_future();
  ASSERT_EQ(on.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_NE(on.get(), std::this_thread::get_id());
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(50));
  // A task that throws is logged, and the server still serves.
  ::testing::internal::CaptureStderr();
  std::promise<void> thrown;
  server_->RunAfter(std::chrono::milliseconds(0), [&thrown] {
    thrown.set_value();
    throw std::runtime_error("task boom");
  });
  ASSERT_EQ(thrown.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  std::optional<RawResponse> health = Fetch(port_, "GET", "/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200);
  // A task not yet due when the server stops never runs, even once its time has passed.
  std::atomic<bool> late{false};
  server_->RunAfter(std::chrono::milliseconds(200), [&late] { late = true; });
  server_->Stop();  // joins the server's threads: the throwing task's log line is written
  EXPECT_EQ(::testing::internal::GetCapturedStderr(), "trellis: background task: task boom\n");
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  EXPECT_FALSE(late);
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.connected());
  ASSERT_TRUE(conn.Send("GET /hello/ann HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::optional<RawResponse> first = conn.ReadResponse();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->body, "hello ann");
  EXPECT_NE(first->Header("connection"), "close");
  ASSERT_TRUE(conn.Send("GET /hello/bob?greeting=hi%21 HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::optional<RawResponse> second = conn.ReadResponse();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "hello bob hi!");
  // Two pipelined requests in one write are answered in order too.
  ASSERT_TRUE(
      conn.Send("GET /hello/c HTTP/1.1\r\nHost: x\r\n\r\n"
                "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n[]"));
  EXPECT_EQ(conn.ReadResponse()->body, "hello c");
  EXPECT_EQ(conn.ReadResponse()->body, "[]");
}

TEST_F(ServerTest, ConnectionCloseIsHonoured) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(conn.WaitClosed());
}

TEST_F(ServerTest, HeadHasHeadersButNoBody) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("HEAD /hello/ann HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse(/*head=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->Header("content-length"), "9");
  // The connection is still in step: the next response parses.
  ASSERT_TRUE(conn.Send("GET /hello/ann HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(conn.ReadResponse()->body, "hello ann");
}

TEST_F(ServerTest, RequestReachesHandlerAsPlainRequest) {
  Start();
  std::optional<RawResponse> r = Fetch(port_, "GET", "/whoami", "User-Agent: test-agent\r\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "127.0.0.1 test-agent");
  Connection conn(port_);
  ASSERT_TRUE(
      conn.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 13\r\n\r\n"
                "{\"a\":[1,2,3]}"));
  std::optional<RawResponse> echo = conn.ReadResponse();
  ASSERT_TRUE(echo);
  EXPECT_EQ(echo->body, "{\"a\":[1,2,3]}");
}

TEST_F(ServerTest, BodyOverTheLimitIs413) {
  Start();  // default limit: 1 MiB
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1048577\r\n\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_EQ(r->Header("content-type"), "application/problem+json");
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_EQ(r->Header("x-frame-options"), "DENY");
  EXPECT_EQ(nlohmann::json::parse(r->body)["status"], 413);
  server_->Stop();
  std::vector<nlohmann::json> lines = LogLines(log_);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], 413);
  EXPECT_EQ(lines[0]["method"], "POST");
  EXPECT_EQ(lines[0]["path"], "/echo");
}

TEST_F(ServerTest, BodyExactlyAtTheLimitIsAccepted) {
  options_.body_limit = 1000;
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" +
                        std::string(1000, 'a')));
  std::optional<RawResponse> ok = conn.ReadResponse();
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200);
  EXPECT_EQ(ok->body.size(), 1000u);
}

TEST_F(ServerTest, ChunkedBodyOverTheLimitIs413WhileStillSending) {
  options_.body_limit = 1000;
  Start();
  Connection conn(port_);
  std::string chunk = "400\r\n" + std::string(1024, 'a') + "\r\n";  // 1024 bytes
  ASSERT_TRUE(conn.Send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                        chunk + chunk));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(ServerTest, MalformedRequestIs400) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("GET /x HTTP/1.1\r\nBad Header Line\r\n\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST_F(ServerTest, OversizedHeadersAre431) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(
      conn.Send("GET /x HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

TEST_F(ServerTest, StaticFilesAndTraversalOnTheWire) {
  Start();
  std::optional<RawResponse> css = Fetch(port_, "GET", "/static/trellis.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->status, 200);
  EXPECT_EQ(css->Header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(css->Header("cache-control"), "public, max-age=3600");
  EXPECT_FALSE(css->Header("etag").empty());

  for (const char* target : {"/static/../CMakeLists.txt", "/static/%2e%2e/CMakeLists.txt",
                             "/static/%2E%2E/CMakeLists.txt", "/static/%2e%2e%2fCMakeLists.txt",
                             "/static/..%2F..%2FCMakeLists.txt", "/static/..%5c..%5cCMakeLists.txt",
                             "/static/./../../CMakeLists.txt", "/static/%252e%252e/CMakeLists.txt",
                             "/static//etc/passwd", "/static/....//CMakeLists.txt",
                             "/static/..\\CMakeLists.txt", "/../CMakeLists.txt"}) {
    std::optional<RawResponse> r = Fetch(port_, "GET", target);
    ASSERT_TRUE(r) << target;
    EXPECT_TRUE(r->status == 400 || r->status == 404) << target << " → " << r->status;
    EXPECT_EQ(r->body.find("cmake_minimum_required"), std::string::npos) << target;
    EXPECT_EQ(r->body.find("root:"), std::string::npos) << target;
  }
}

TEST_F(ServerTest, HandlerExceptionIsA500AndLogged) {
  Start();
  std::optional<RawResponse> r = Fetch(port_, "GET", "/boom");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_EQ(r->Header("content-type"), "application/problem+json");
  EXPECT_EQ(r->body.find("kaboom"), std::string::npos);
  EXPECT_EQ(r->Header("x-content-type-options"), "nosniff");
  server_->Stop();  // joins the threads: every log line is written
  std::vector<nlohmann::json> lines = LogLines(log_);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["status"], 500);
  EXPECT_NE(lines[0]["error"].get<std::string>().find("kaboom"), std::string::npos);
}

TEST_F(ServerTest, AccessLogLineOmitsTheQueryString) {
  Start();
  std::optional<RawResponse> r =
      Fetch(port_, "GET", "/hello/ann?token=SECRET-LINK-TOKEN-123&greeting=hi");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  ASSERT_TRUE(Fetch(port_, "GET", "/static/%2e%2e/x?token=SECRET-LINK-TOKEN-456"));
  server_->Stop();
  EXPECT_EQ(log_.str().find("SECRET-LINK-TOKEN"), std::string::npos) << log_.str();
  EXPECT_EQ(log_.str().find("token"), std::string::npos);
  std::vector<nlohmann::json> lines = LogLines(log_);
  ASSERT_EQ(lines.size(), 2u);
  // A line is written once its response is sent, so two connections may log in either order.
  std::sort(lines.begin(), lines.end(), [](const nlohmann::json& a, const nlohmann::json& b) {
    return a["status"] < b["status"];
  });
  const nlohmann::json& line = lines[0];
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["path"], "/hello/ann");
  EXPECT_EQ(line["status"], 200);
  EXPECT_EQ(line["bytes"], 12);  // "hello ann hi"
  EXPECT_EQ(line["remote"], "127.0.0.1");
  EXPECT_GE(line["duration_ms"].get<double>(), 0.0);
  EXPECT_EQ(line["time"].get<std::string>().size(), 24u);  // 2025-01-31T09:15:02.123Z
  EXPECT_FALSE(line.contains("error"));
  EXPECT_EQ(lines[1]["status"], 400);
  EXPECT_EQ(lines[1]["path"], "/static/%2e%2e/x");
}

TEST_F(ServerTest, IdleConnectionTimesOut) {
  options_.read_timeout = 300ms;
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n"));  // headers never finished
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(conn.WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - t0, 5s);
}

TEST_F(ServerTest, GracefulStopLetsAnInFlightRequestFinish) {
  Start();
  std::future<std::optional<RawResponse>> slow =
      std::async(std::launch::async, [port = port_] { return Fetch(port, "GET", "/slow"); });
  // An idle keep-alive connection must not hold the stop up.
  Connection idle(port_);
  ASSERT_TRUE(idle.Send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"));
  ASSERT_TRUE(idle.ReadResponse());

  slow_entered_.get_future().wait();
  auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  auto stop_took = std::chrono::steady_clock::now() - t0;

  std::optional<RawResponse> r = slow.get();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body.size(), 100000u);  // complete, not cut off
  EXPECT_LT(stop_took, 5s);            // well within the 10 s grace
  EXPECT_TRUE(idle.WaitClosed());
  // No longer accepting.
  Connection after(port_);
  EXPECT_FALSE(after.connected() && after.Send("GET /healthz HTTP/1.1\r\n\r\n") &&
               after.ReadResponse());
}

TEST_F(ServerTest, StopWaitsForAPartlyReceivedRequest) {
  Start();
  Connection conn(port_);
  ASSERT_TRUE(conn.Send("GET /hello/eve HTTP/1.1\r\nHost: x\r\n"));
  std::this_thread::sleep_for(200ms);  // the server has read the first half
  std::future<void> stop = std::async(std::launch::async, [this] { server_->Stop(); });
  std::this_thread::sleep_for(200ms);
  ASSERT_TRUE(conn.Send("\r\n"));
  std::optional<RawResponse> r = conn.ReadResponse();
  ASSERT_TRUE(r);
  EXPECT_EQ(r->body, "hello eve");
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_EQ(stop.wait_for(5s), std::future_status::ready);
}

TEST_F(ServerTest, StopIsIdempotentAndRunReturnsAfterStop) {
  Start();
  // Stop only once Run is running: a Stop before Run makes Run refuse, which is not this case.
  std::promise<void> running;
  std::future<Status> run = std::async(std::launch::async, [this, &running] {
    return server_->Run([&running] { running.set_value(); });
  });
  ASSERT_EQ(running.get_future().wait_for(5s), std::future_status::ready);
  server_->Stop();
  ASSERT_EQ(run.wait_for(5s), std::future_status::ready);
  EXPECT_TRUE(run.get().ok());
  server_->Stop();
  EXPECT_EQ(server_->Listen("127.0.0.1:0").status().code(), StatusCode::kFailedPrecondition);
}

TEST_F(ServerTest, RunStopsGracefullyOnSigterm) {
  Start();
  std::atomic<bool> ready{false};
  Status run = server_->Run([&] {
    ready = true;
    ::kill(::getpid(), SIGTERM);  // caught by Run, not fatal
  });
  EXPECT_TRUE(ready);
  EXPECT_TRUE(run.ok()) << run.ToString();
  Connection after(port_);
  EXPECT_FALSE(after.connected());
}

TEST(Server, RunBeforeListenFails) {
  Server s{Router()};
  EXPECT_EQ(s.Run().code(), StatusCode::kFailedPrecondition);
}

TEST(Server, ListenReportsBadAddressesAndBusyPorts) {
  Server a{Router()};
  EXPECT_EQ(a.Listen("nonsense").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Listen("127.0.0.1:99999").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.Listen("not-an-ip:80").status().code(), StatusCode::kInvalidArgument);
  Result<std::uint16_t> port = a.Listen("127.0.0.1:0");
  ASSERT_TRUE(port.ok());
  Server b{Router()};
  Result<std::uint16_t> clash = b.Listen("127.0.0.1:" + std::to_string(*port));
  EXPECT_EQ(clash.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(clash.status().message().find("in use"), std::string::npos) << clash.status().message();
}

TEST(Server, ListensOnIpv6Loopback) {
  Server s{Router()};
  Result<std::uint16_t> port = s.Listen("[::1]:0");
  if (!port.ok()) GTEST_SKIP() << "no IPv6 loopback: " << port.status().ToString();
  EXPECT_NE(*port, 0);
}

}  // namespace
}  // namespace trellis::web
