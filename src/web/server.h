// web/server.h — the HTTP/1.1 server: a Beast listener and sessions on a thread pool.
// Sessions only do I/O: each request is read, turned into a plain Request, answered by
// HandleRequest (a pure function of the Router and the Request), and written back; keep-alive,
// limits, timeouts, graceful shutdown and the access log live here. Beast stays inside
// server.cc, so this header (and the CLI that includes it) never sees it.
// Server's public methods are thread-safe; a Server serves one Listen() and is not reusable.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <ostream>
#include <string_view>

#include "core/status.h"
#include "web/http_types.h"
#include "web/router.h"

namespace trellis::web {

struct ServerOptions {
  int threads = 0;                     // I/O threads; 0: hardware concurrency, at least 2
  std::uint64_t body_limit = 1 << 20;  // bytes of request body; beyond it: 413 and close
  std::uint32_t header_limit = 16384;  // bytes of request line + headers; beyond it: 431
  std::chrono::milliseconds read_timeout{30000};    // to read one whole request (and to write
                                                    // one response); then the connection
                                                    // closes. Also the idle keep-alive limit.
  std::chrono::milliseconds shutdown_grace{10000};  // how long Stop() waits for requests in
                                                    // flight before cutting them off
  std::ostream* access_log = nullptr;  // one JSON line per request (access_log.h); null: none.
                                       // Must outlive the Server.
};

// The whole of request handling, without I/O: dispatches to `router`, turns an exception from a
// handler into a 500 problem (what() goes to log_note, not to the client), repairs an invalid
// response (status outside 100..599 → 500; a body on 1xx/204/304 dropped) and applies the
// security headers. Never throws.
Response HandleRequest(const Router& router, const Request& request);

class Server {
 public:
  // Serves `router`, plus GET /healthz → 200 {"status":"ok"} unless the router has that route.
  explicit Server(Router router, ServerOptions options = {});
  // Stops (as Stop()) if still running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds `address` ("127.0.0.1:8080", "[::1]:8080", "localhost:8080"; port 0 picks a free
  // port), starts the threads and accepts connections. Returns the bound port.
  // kInvalidArgument for a malformed address; kUnavailable when the bind fails (port in use,
  // no permission); kFailedPrecondition when called twice or after Stop().
  Result<std::uint16_t> Listen(std::string_view address);

  // The bound port; 0 before Listen.
  std::uint16_t port() const;

  // Blocks until SIGINT or SIGTERM arrives (or Stop() is called on another thread), then stops
  // gracefully as Stop() does. Calls `on_ready` (when given) once the signals are being caught:
  // the moment to announce the server, since a signal before then would kill the process.
  // kFailedPrecondition when not listening.
  Status Run(const std::function<void()>& on_ready = {});

  // Runs `task` once on one of the server's threads when `delay` has passed (a steady timer on
  // its io_context; no connection's strand), for background work such as the daily plan
  // reminders (cli/plan_reminders.h). The task may block its thread; it may call RunAfter
  // again. Dropped without running if the server stops first; an exception it throws is
  // logged on stderr. Call after Listen.
  void RunAfter(std::chrono::steady_clock::duration delay, std::function<void()> task);

  // Graceful shutdown: stops accepting, closes idle keep-alive connections, lets requests in
  // flight finish (their responses carry Connection: close) for up to shutdown_grace, then
  // stops the threads. Idempotent. Must not be called from a handler (it joins the threads).
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace trellis::web
