// storage/postgres/postgres_db.cc — RAII adapters over libpq and the one place a libpq error or
// SQLSTATE becomes a Status.
#include "storage/postgres/postgres_db.h"

#include <libpq-fe.h>

#include <charconv>
#include <cstdlib>
#include <utility>
#include <vector>

namespace trellis::storage::postgres {

namespace {

// libpq's messages span lines ("…failed: Connection refused\n\tIs the server running…");
// a Status message is one line.
std::string OneLine(std::string_view text) {
  std::string out;
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// Replaces every occurrence of `secret` in `text`. Applied to everything libpq or the server
// says, although neither is known to echo passwords: a leak would be silent.
std::string Scrub(std::string text, std::string_view secret) {
  if (secret.empty()) return text;
  for (size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + 4)) {
    text.replace(at, secret.size(), "****");
  }
  return text;
}

// The password as written between "user:" and "@" of a URL, still percent-encoded, so it can be
// scrubbed from libpq's complaint about a URL it could not parse.
std::string RawUrlPassword(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?"));
  const size_t at = rest.rfind('@');
  if (at == std::string_view::npos) return "";
  const std::string_view userinfo = rest.substr(0, at);
  const size_t colon = userinfo.find(':');
  if (colon == std::string_view::npos) return "";
  return std::string(userinfo.substr(colon + 1));
}

void IgnoreNotice(void*, const char*) {}

// 1-based line of the 1-based character `position` (PostgreSQL counts characters, not bytes).
int LineOf(std::string_view text, int position) {
  int line = 1;
  int chars = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80 && ++chars >= position) break;
    if (c == '\n') ++line;
  }
  return line;
}

std::string Field(const PGresult* res, int field) {
  const char* v = res != nullptr ? PQresultErrorField(res, field) : nullptr;
  return v != nullptr ? std::string(v) : std::string();
}

}  // namespace

Result<ServerAddress> ParseServerAddress(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    std::string detail = error != nullptr ? OneLine(error) : "out of memory";
    if (error != nullptr) PQfreemem(error);
    detail = Scrub(std::move(detail), RawUrlPassword(url));
    // A key=value string has no URL syntax to locate the password by; say less rather than
    // risk echoing it.
    if (url.find("://") == std::string::npos && url.find("password") != std::string::npos)
      detail = "malformed key=value connection string";
    return Status::InvalidArgument(
        "invalid PostgreSQL URL: " + detail +
        " (expected postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAM=VALUE…])");
  }
  std::string host, hostaddr, port, dbname, user;
  ServerAddress address;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr) continue;
    const std::string_view key = o->keyword;
    if (key == "host") host = o->val;
    if (key == "hostaddr") hostaddr = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") dbname = o->val;
    if (key == "user") user = o->val;
    if (key == "password") address.password = o->val;
  }
  PQconninfoFree(options);
  if (host.empty()) host = hostaddr;
  // A socket directory as host would read as a path in a URL; percent-encode its slashes.
  std::string shown_host;
  for (char c : host) shown_host += c == '/' ? std::string("%2F") : std::string(1, c);
  address.display = "postgres://" + (user.empty() ? "" : user + "@") + shown_host +
                    (port.empty() ? "" : ":" + port) + (dbname.empty() ? "" : "/" + dbname);
  return address;
}

Status StatusFromSqlState(std::string_view sqlstate, std::string_view message,
                          std::string_view server, std::string_view what) {
  const std::string base =
      std::string(server) + ": " + std::string(what) + ": " + std::string(message);
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") return Status::AlreadyExists(base);
  if (cls == "23" || cls == "22") return Status::InvalidArgument(base);
  if (sqlstate == "40001" || sqlstate == "40P01")
    return Status::Unavailable(base +
                               " (a concurrent transaction conflicted with this one); retry");
  if (sqlstate == "55P03")
    return Status::Unavailable(base +
                               " (another session held a lock past the lock timeout); retry, or "
                               "look for a long-running transaction on the server");
  if (sqlstate == "57014")
    return Status::Unavailable(base + " (cancelled by a statement timeout or an operator); retry");
  if (cls == "08")
    return Status::Unavailable(base + " (the connection to the server failed); retry");
  if (cls == "53")
    return Status::Unavailable(base +
                               " (the server is out of resources: disk, memory or connections)");
  if (cls == "57")
    return Status::Unavailable(base + " (the server is shutting down or restarting); retry");
  if (sqlstate == "42501")
    return Status::FailedPrecondition(
        base +
        " (the database role lacks a privilege trellis needs; grant it, see "
        "docs/storage.md)");
  return Status::Internal(base +
                          (sqlstate.empty() ? "" : " (SQLSTATE " + std::string(sqlstate) + ")"));
}

// --- QueryResult ---

QueryResult::QueryResult(pg_result* res) : res_(res) {}
QueryResult::QueryResult(QueryResult&& other) noexcept : res_(std::exchange(other.res_, nullptr)) {}
QueryResult& QueryResult::operator=(QueryResult&& other) noexcept {
  if (this != &other) {
    PQclear(res_);
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}
QueryResult::~QueryResult() { PQclear(res_); }

int QueryResult::rows() const { return PQntuples(res_); }

std::string QueryResult::Text(int row, int column) const {
  if (PQgetisnull(res_, row, column)) return std::string();
  return std::string(PQgetvalue(res_, row, column),
                     static_cast<size_t>(PQgetlength(res_, row, column)));
}

int64_t QueryResult::Int(int row, int column) const {
  if (PQgetisnull(res_, row, column)) return 0;
  const char* v = PQgetvalue(res_, row, column);
  int64_t out = 0;
  std::from_chars(v, v + PQgetlength(res_, row, column), out);
  return out;
}

bool QueryResult::IsNull(int row, int column) const { return PQgetisnull(res_, row, column) != 0; }

std::string QueryResult::CommandStatus() const { return PQcmdStatus(res_); }

int64_t QueryResult::AffectedRows() const {
  const std::string n = PQcmdTuples(res_);  // "" when the statement reports no count
  int64_t out = 0;
  std::from_chars(n.data(), n.data() + n.size(), out);
  return out;
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& url,
                                                     const ServerAddress& address,
                                                     int lock_timeout_ms) {
  // Keywords are processed in order, later ones winning: the URL (dbname, expanded) may
  // override the connect timeout and application name, but not the encoding trellis sends.
  const char* keywords[] = {"connect_timeout", "fallback_application_name", "dbname",
                            "client_encoding", nullptr};
  const char* values[] = {"10", "trellis", url.c_str(), "UTF8", nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr)
    return Status::Unavailable("cannot connect to " + address.display + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string detail = Scrub(OneLine(PQerrorMessage(conn)), address.password);
    PQfinish(conn);
    return Status::Unavailable("cannot connect to " + address.display + ": " + detail);
  }
  // Notices ("relation … already exists, skipping") would go to stderr by default.
  PQsetNoticeProcessor(conn, IgnoreNotice, nullptr);
  std::unique_ptr<Connection> out(new Connection(conn, address));
  Result<QueryResult> set =
      out->Exec("SELECT set_config('lock_timeout', $1, false)", {std::to_string(lock_timeout_ms)},
                "configuring the connection");
  if (!set.ok()) return set.status();
  return out;
}

Connection::~Connection() { PQfinish(conn_); }

Status Connection::ErrorStatus(pg_result* res, std::string_view sql, std::string_view what) const {
  const std::string sqlstate = Field(res, PG_DIAG_SQLSTATE);
  if (sqlstate.empty()) {
    // No server error: libpq itself failed, almost always because the connection broke.
    std::string detail = OneLine(res != nullptr ? PQresultErrorMessage(res) : "");
    if (detail.empty()) detail = OneLine(PQerrorMessage(conn_));
    detail = Scrub(std::move(detail), address_.password);
    if (PQstatus(conn_) != CONNECTION_OK) {
      return Status::Unavailable(server() + ": lost the connection while " + std::string(what) +
                                 ": " + detail + "; retry");
    }
    return Status::Internal(server() + ": " + std::string(what) + ": " + detail);
  }
  std::string message = Field(res, PG_DIAG_MESSAGE_PRIMARY);
  const std::string detail = Field(res, PG_DIAG_MESSAGE_DETAIL);
  if (!detail.empty()) message += " (" + detail + ")";
  const std::string position = Field(res, PG_DIAG_STATEMENT_POSITION);
  if (!position.empty() && sql.find('\n') != std::string_view::npos) {
    message += " at line " + std::to_string(LineOf(sql, std::atoi(position.c_str())));
  }
  return StatusFromSqlState(sqlstate, Scrub(std::move(message), address_.password), server(), what);
}

Result<QueryResult> Connection::Exec(std::string_view sql, std::initializer_list<Param> params,
                                     std::string_view what) {
  const std::string text(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& p : params) values.push_back(p.value() ? p.value()->c_str() : nullptr);
  PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(values.size()),
                               /*paramTypes=*/nullptr, values.data(), /*paramLengths=*/nullptr,
                               /*paramFormats=*/nullptr, /*resultFormat=*/0);
  const ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
    Status s = ErrorStatus(res, sql, what);
    PQclear(res);
    return s;
  }
  return QueryResult(res);
}

Status Connection::ExecScript(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  const ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  Status s = status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK ? Status::Ok()
                                                                     : ErrorStatus(res, sql, what);
  PQclear(res);
  return s;
}

Result<std::string> Connection::QuoteIdentifier(std::string_view name) {
  char* quoted = PQescapeIdentifier(conn_, name.data(), name.size());
  if (quoted == nullptr) {
    return Status::InvalidArgument("cannot quote identifier: " + OneLine(PQerrorMessage(conn_)));
  }
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

bool Connection::Reusable() const {
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

// --- Transaction ---

Result<std::unique_ptr<Transaction>> Transaction::Begin(Connection& conn, Kind kind,
                                                        std::string_view what) {
  // Explicit levels: the server's default_transaction_isolation may say otherwise.
  TRELLIS_RETURN_IF_ERROR(conn.ExecScript(kind == Kind::kWrite
                                              ? "BEGIN ISOLATION LEVEL READ COMMITTED"
                                              : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                          what));
  return std::unique_ptr<Transaction>(new Transaction(&conn, std::string(what)));
}

Transaction::~Transaction() {
  // Best effort: a connection that cannot roll back is not Reusable() and leaves the pool.
  if (!done_) (void)conn_->ExecScript("ROLLBACK", what_);
}

Status Transaction::Commit() {
  Result<QueryResult> res = conn_->Exec("COMMIT", {}, what_);
  if (!res.ok()) return res.status();
  done_ = true;
  // COMMIT of a transaction that already failed answers ROLLBACK instead of an error.
  if (res->CommandStatus() != "COMMIT") {
    return Status::Internal(conn_->server() + ": " + what_ + ": the transaction was rolled back");
  }
  return Status::Ok();
}

}  // namespace trellis::storage::postgres
