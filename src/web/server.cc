// web/server.cc — the Beast listener and sessions, after the Boost.Beast async server example:
// one strand per connection, a pool of threads running one io_context, error_code overloads
// throughout. A session reads a request with a timeout and body/header limits, converts it to
// a plain Request, calls HandleRequest (pure), writes the Response, logs one line, and either
// reads the next request (keep-alive) or closes. Stop() drains connections gracefully.
#include "web/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <condition_variable>
#include <csignal>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "web/access_log.h"
#include "web/problem.h"
#include "web/security_headers.h"

namespace trellis::web {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

// After a protocol error the client may still be sending (a too-large body); reading and
// discarding for a moment before closing lets it see our response instead of a reset.
constexpr std::chrono::seconds kLingerTimeout{2};

// Fields the server owns: a handler setting them would corrupt the framing.
bool IsServerOwnedField(std::string_view name) {
  return EqualsIgnoreCase(name, "Content-Length") || EqualsIgnoreCase(name, "Transfer-Encoding") ||
         EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Content-Type");
}

// A CR or LF in a field would let a value smuggle in headers of its own.
bool IsSafeField(std::string_view name, std::string_view value) {
  auto bad = [](char c) { return c == '\r' || c == '\n' || c == '\0'; };
  return !name.empty() && std::none_of(name.begin(), name.end(), bad) &&
         std::none_of(value.begin(), value.end(), bad);
}

// Beast 1.74's string_view is boost::string_view.
std::string_view ToStd(beast::string_view s) { return {s.data(), s.size()}; }

// The part of a raw target that may be logged: never the query string.
std::string PathForLog(std::string_view target) {
  std::string_view path = target.substr(0, target.find('?'));
  return path.empty() ? std::string("-") : std::string(path);
}

Result<tcp::endpoint> ParseAddress(std::string_view address) {
  auto bad = [address] {
    return Status::InvalidArgument("listen address '" + std::string(address) +
                                   "' is not HOST:PORT (e.g. 127.0.0.1:8080, [::1]:8080)");
  };
  std::string host;
  std::string_view port_text;
  if (!address.empty() && address.front() == '[') {
    std::size_t close = address.find(']');
    if (close == std::string_view::npos || close + 1 >= address.size() ||
        address[close + 1] != ':') {
      return bad();
    }
    host = std::string(address.substr(1, close - 1));
    port_text = address.substr(close + 2);
  } else {
    std::size_t colon = address.rfind(':');
    if (colon == std::string_view::npos) return bad();
    host = std::string(address.substr(0, colon));
    port_text = address.substr(colon + 1);
  }
  if (host == "localhost") host = "127.0.0.1";
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(),
                   [](char c) { return c >= '0' && c <= '9'; })) {
    return bad();
  }
  unsigned long port = std::stoul(std::string(port_text));
  if (port > 65535) return bad();
  boost::system::error_code ec;
  net::ip::address ip = net::ip::make_address(host, ec);
  if (ec) return bad();
  return tcp::endpoint(ip, static_cast<unsigned short>(port));
}

Response HealthHandler(const Request&, const PathParams&) {
  return JsonResponse(R"({"status":"ok"})");
}

}  // namespace

Response HandleRequest(const Router& router, const Request& request) {
  Response response;
  try {
    response = router.Dispatch(request);
  } catch (const std::exception& e) {
    response = ErrorResponse(Status::Internal(std::string("handler threw: ") + e.what()));
  } catch (...) {
    response = ErrorResponse(Status::Internal("handler threw a non-std exception"));
  }
  if (response.status < 200 || response.status > 599) {
    response = ErrorResponse(
        Status::Internal("handler returned HTTP status " + std::to_string(response.status)));
  }
  if (response.status == 204 || response.status == 304) {
    response.body.clear();  // these statuses have no body (RFC 9110 §15.3.5, §15.4.5)
    response.content_type.clear();
  }
  ApplySecurityHeaders(response);
  return response;
}

class Server::Impl {
 public:
  class Session;

  Impl(Router router, ServerOptions options)
      : router_(std::move(router)),
        options_(options),
        log_(options.access_log),
        thread_count_(options.threads > 0
                          ? options.threads
                          : std::max(2, static_cast<int>(std::thread::hardware_concurrency()))),
        ioc_(thread_count_) {
    // A router that already answers /healthz keeps its own; AlreadyExists is fine.
    (void)router_.Add("GET", "/healthz", HealthHandler);
  }

  ~Impl() { Stop(); }

  Result<std::uint16_t> Listen(std::string_view address);
  Status Run(const std::function<void()>& on_ready);
  void Stop();
  void RunAfter(std::chrono::steady_clock::duration delay, std::function<void()> task);
  std::uint16_t port() const { return port_.load(); }

  const Router& router() const { return router_; }
  const ServerOptions& options() const { return options_; }
  AccessLog& log() { return log_; }
  bool stopping() const { return stopping_.load(); }
  void Unregister(Session* session);

 private:
  void DoAccept();
  void OnAccept(beast::error_code ec, tcp::socket socket);

  Router router_;  // immutable once serving: Dispatch runs on many threads
  ServerOptions options_;
  AccessLog log_;
  const int thread_count_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint16_t> port_{0};

  std::mutex stop_mu_;  // serialises Listen and Stop
  std::mutex mu_;       // guards the fields below
  std::condition_variable cv_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;  // open connections
  bool listening_ = false;
  bool stopped_ = false;
  bool wake_run_ = false;  // a signal arrived or Stop() began

  std::vector<std::thread> threads_;
  // Declared last among the I/O objects' owners so they are destroyed first: destroying the
  // io_context destroys pending handlers, and with them sessions that call Unregister.
  net::io_context ioc_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::optional<tcp::acceptor> acceptor_;
};

// One connection. Lives as long as an asynchronous operation holds its shared_ptr; all its
// handlers run on its strand, so its members need no locks.
class Server::Impl::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Impl& server) : stream_(std::move(socket)), server_(server) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = peer.address().to_string();
  }
  ~Session() { server_.Unregister(this); }

  void Start() {
    net::dispatch(stream_.get_executor(),
                  beast::bind_front_handler(&Session::DoRead, shared_from_this()));
  }

  // Posted by Stop(): closes the connection unless a request on it is in flight.
  void CloseIfIdle() {
    bool idle_read =
        state_ == State::kReading && buffer_.size() == 0 && parser_ && !parser_->got_some();
    if (idle_read || state_ == State::kLingering) {
      beast::error_code ec;
      stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
      stream_.close();  // the pending read completes with operation_aborted
    }
  }

  // Closes the socket now; only once no thread runs this session's handlers.
  void ForceClose() {
    beast::error_code ec;
    stream_.socket().close(ec);
  }

  beast::tcp_stream::executor_type executor() { return stream_.get_executor(); }

 private:
  enum class State { kReading, kResponding, kLingering, kClosed };

  void DoRead() {
    if (server_.stopping()) return DoClose();
    const ServerOptions& options = server_.options();
    parser_.emplace();  // a fresh parser per request
    parser_->body_limit(options.body_limit);
    parser_->header_limit(options.header_limit);
    stream_.expires_after(options.read_timeout);
    state_ = State::kReading;
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Session::OnRead, shared_from_this()));
  }

  void OnRead(beast::error_code ec, std::size_t /*bytes*/) {
    state_ = State::kResponding;
    started_ = std::chrono::steady_clock::now();
    entry_ = AccessLogEntry{};
    entry_.time = std::chrono::system_clock::now();
    entry_.remote = remote_.empty() ? "-" : remote_;
    entry_.method = "-";
    entry_.path = "-";
    head_ = false;

    if (ec == http::error::end_of_stream) return DoClose();  // the client closed
    if (ec == http::error::body_limit) {
      return SendProtocolError(413, "The request body is larger than the limit of " +
                                        std::to_string(server_.options().body_limit) + " bytes.");
    }
    if (ec == http::error::header_limit) {
      return SendProtocolError(431, "The request headers are too large.");
    }
    if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() &&
        ec != http::error::partial_message) {
      return SendProtocolError(400, "The request is not valid HTTP/1.1.");
    }
    if (ec) return;  // timed out, reset, or closed by Stop(): nothing to answer

    http::request<http::string_body> req = parser_->release();
    Request request;
    request.method = std::string(req.method_string());
    entry_.method = request.method;
    head_ = req.method() == http::verb::head;
    Response response;
    Status target = ParseTarget(ToStd(req.target()), &request.path, &request.query);
    if (!target.ok()) {
      entry_.path = PathForLog(ToStd(req.target()));
      response = ErrorResponse(target);
      ApplySecurityHeaders(response);
    } else {
      entry_.path = request.path;
      for (const auto& field : req) {
        request.headers.Add(std::string(field.name_string()), std::string(field.value()));
      }
      request.body = std::move(req.body());
      request.remote_address = remote_;
      response = HandleRequest(server_.router(), request);
    }
    Write(std::move(response), req.version(), req.keep_alive() && !server_.stopping());
  }

  void SendProtocolError(int status, const std::string& detail) {
    // The request line may have been parsed before the failure (a too-large Content-Length).
    const auto& partial = parser_->get();
    if (!partial.target().empty()) {
      entry_.method = std::string(partial.method_string());
      entry_.path = PathForLog(ToStd(partial.target()));
    }
    Response response = ProblemResponse(status, detail);
    ApplySecurityHeaders(response);
    linger_ = true;
    Write(std::move(response), 11, /*keep_alive=*/false);
  }

  void Write(Response response, unsigned version, bool keep_alive) {
    res_ = {};
    res_.version(version);
    res_.result(static_cast<unsigned>(response.status));
    std::string note = std::move(response.log_note);
    for (const auto& [name, value] : response.headers) {
      if (IsServerOwnedField(name)) continue;
      if (!IsSafeField(name, value)) {
        note += (note.empty() ? "" : "; ") + std::string("dropped a header with CR/LF/NUL");
        continue;
      }
      res_.insert(name, value);
    }
    if (!response.content_type.empty() && IsSafeField("Content-Type", response.content_type)) {
      res_.set(http::field::content_type, response.content_type);
    }
    res_.keep_alive(keep_alive);
    res_.body() = std::move(response.body);
    res_.prepare_payload();
    if (head_) res_.body().clear();  // HEAD: GET's headers, Content-Length included; no body

    keep_alive_ = keep_alive;
    entry_.status = response.status;
    entry_.bytes = res_.body().size();
    entry_.error = std::move(note);
    stream_.expires_after(server_.options().read_timeout);
    http::async_write(stream_, res_,
                      beast::bind_front_handler(&Session::OnWrite, shared_from_this()));
  }

  void OnWrite(beast::error_code ec, std::size_t /*bytes*/) {
    entry_.duration_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started_)
            .count();
    if (ec) {
      entry_.error += (entry_.error.empty() ? "" : "; ") + std::string("write: ") + ec.message();
    }
    server_.log().Write(entry_);
    if (ec) return;
    if (linger_) return DoLinger();
    if (!keep_alive_) return DoClose();
    res_ = {};
    DoRead();
  }

  void DoClose() {
    state_ = State::kClosed;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    // The socket closes when the last handler lets go of this session.
  }

  void DoLinger() {
    state_ = State::kLingering;
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.expires_after(kLingerTimeout);
    DoDrain();
  }

  void DoDrain() {
    stream_.async_read_some(net::buffer(drain_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              if (!ec) self->DoDrain();
                            });
  }

  beast::tcp_stream stream_;
  Impl& server_;
  std::string remote_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> res_;
  State state_ = State::kReading;
  bool head_ = false;
  bool keep_alive_ = false;
  bool linger_ = false;
  AccessLogEntry entry_;
  std::chrono::steady_clock::time_point started_;
  std::array<char, 4096> drain_;
};

Result<std::uint16_t> Server::Impl::Listen(std::string_view address) {
  std::lock_guard<std::mutex> stop_lock(stop_mu_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (listening_ || stopped_) {
      return Status::FailedPrecondition("the server is already listening or has stopped");
    }
  }
  Result<tcp::endpoint> endpoint = ParseAddress(address);
  if (!endpoint.ok()) return endpoint.status();

  auto fail = [&](const char* what, const beast::error_code& ec) {
    acceptor_.reset();
    return Status::Unavailable("cannot listen on " + std::string(address) + ": " + what + ": " +
                               ec.message());
  };
  beast::error_code ec;
  acceptor_.emplace(net::make_strand(ioc_));
  acceptor_->open(endpoint->protocol(), ec);
  if (ec) return fail("open", ec);
  acceptor_->set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return fail("set_option", ec);
  acceptor_->bind(*endpoint, ec);
  if (ec) return fail("bind", ec);
  acceptor_->listen(net::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen", ec);
  tcp::endpoint bound = acceptor_->local_endpoint(ec);
  if (ec) return fail("local_endpoint", ec);
  port_ = bound.port();

  {
    std::lock_guard<std::mutex> lock(mu_);
    listening_ = true;
  }
  work_.emplace(ioc_.get_executor());
  DoAccept();
  threads_.reserve(static_cast<std::size_t>(thread_count_));
  for (int i = 0; i < thread_count_; ++i) {
    threads_.emplace_back([this] {
      // Handlers catch their own exceptions; this is the last resort for the rest.
      while (true) {
        try {
          ioc_.run();
          return;
        } catch (const std::exception& e) {
          std::cerr << "trellis: server thread: " << e.what() << "\n";
        }
      }
    });
  }
  return port_.load();
}

void Server::Impl::DoAccept() {
  // Each connection gets its own strand: its handlers never run concurrently.
  acceptor_->async_accept(net::make_strand(ioc_), beast::bind_front_handler(&Impl::OnAccept, this));
}

void Server::Impl::OnAccept(beast::error_code ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_->is_open()) return;  // Stop()
  if (ec) {
    std::cerr << "trellis: accept: " << ec.message() << "\n";
  } else {
    auto session = std::make_shared<Session>(std::move(socket), *this);
    bool accepted = false;
    {
      // Registered under the same lock Stop() takes, so Stop() either sees this session or
      // we see stopping_ and drop the connection.
      std::lock_guard<std::mutex> lock(mu_);
      if (!stopping_) {
        sessions_.emplace(session.get(), session);
        accepted = true;
      }
    }
    if (accepted) session->Start();
  }
  if (!stopping_) DoAccept();
}

void Server::Impl::Unregister(Session* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
  if (sessions_.empty()) cv_.notify_all();
}

Status Server::Impl::Run(const std::function<void()>& on_ready) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!listening_ || stopped_) return Status::FailedPrecondition("the server is not listening");
  }
  net::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([this](const beast::error_code& ec, int /*signal*/) {
    if (ec) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      wake_run_ = true;
    }
    cv_.notify_all();
  });
  if (on_ready) on_ready();
  {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [this] { return wake_run_; });
  }
  Stop();
  return Status::Ok();
}

void Server::Impl::Stop() {
  std::lock_guard<std::mutex> stop_lock(stop_mu_);
  std::vector<std::shared_ptr<Session>> open;
  bool listening = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopped_) return;
    stopping_ = true;
    wake_run_ = true;
    listening = listening_;
    for (auto& [raw, weak] : sessions_) {
      if (std::shared_ptr<Session> s = weak.lock()) open.push_back(std::move(s));
    }
  }
  cv_.notify_all();  // wakes Run()

  if (listening) {
    net::post(acceptor_->get_executor(), [this] {
      beast::error_code ec;
      acceptor_->close(ec);
    });
    for (std::shared_ptr<Session>& s : open) {
      net::post(s->executor(), [s] { s->CloseIfIdle(); });
    }
    open.clear();  // only handlers may keep sessions alive now
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, options_.shutdown_grace, [this] { return sessions_.empty(); });
    }
    work_.reset();
    ioc_.stop();
    for (std::thread& t : threads_) t.join();
    threads_.clear();
    // No thread runs handlers any more, so I/O objects may be touched directly: close the
    // listening socket (the posted close may not have run) and whatever outlived the grace.
    beast::error_code ec;
    acceptor_->close(ec);
    {
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& [raw, weak] : sessions_) {
        if (std::shared_ptr<Session> s = weak.lock()) open.push_back(std::move(s));
      }
    }
    for (std::shared_ptr<Session>& s : open) s->ForceClose();
    open.clear();
  }
  std::lock_guard<std::mutex> lock(mu_);
  stopped_ = true;
}

void Server::Impl::RunAfter(std::chrono::steady_clock::duration delay, std::function<void()> task) {
  if (stopping_) return;
  // The pending wait owns its timer; a stopped io_context destroys both without running it.
  auto timer = std::make_shared<net::steady_timer>(ioc_, delay);
  timer->async_wait([timer, task = std::move(task)](const beast::error_code& ec) {
    if (ec) return;
    try {
      task();
    } catch (const std::exception& e) {
      std::cerr << "trellis: background task: " << e.what() << "\n";
    }
  });
}

Server::Server(Router router, ServerOptions options)
    : impl_(std::make_unique<Impl>(std::move(router), options)) {}

Server::~Server() = default;

Result<std::uint16_t> Server::Listen(std::string_view address) { return impl_->Listen(address); }

std::uint16_t Server::port() const { return impl_->port(); }

Status Server::Run(const std::function<void()>& on_ready) { return impl_->Run(on_ready); }

void Server::Stop() { impl_->Stop(); }

void Server::RunAfter(std::chrono::steady_clock::duration delay, std::function<void()> task) {
  impl_->RunAfter(delay, std::move(task));
}

}  // namespace trellis::web
