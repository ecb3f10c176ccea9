// storage/postgres/postgres_db.h — thin RAII adapters over libpq for PostgresStore: a
// Connection (one PGconn), a QueryResult (one PGresult), a Transaction that rolls back unless
// committed, and the one place a libpq error or SQLSTATE becomes a Status. Messages name the
// server by a URL without its password ("postgres://alice@db.example:5432/trellis"): nothing
// here puts a password into a Status, and libpq's own messages are scrubbed of it too.
// Every query with values goes through PQexecParams; only fixed SQL text (BEGIN, migrations)
// is sent unparameterised. libpq-fe.h stays inside storage/postgres/*.cc.
// Not thread-safe: each Connection is used by one thread at a time (PostgresStore pools them).
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct pg_conn;
struct pg_result;

namespace trellis::storage::postgres {

// Where a server is, in the two forms the code needs.
struct ServerAddress {
  std::string display;   // "postgres://user@host:port/db" — never the password
  std::string password;  // the URL's password (decoded; may be empty), only to scrub messages
};

// Parses a "postgres://" / "postgresql://" URL (or a libpq "key=value" string) without
// connecting. kInvalidArgument "invalid PostgreSQL URL: …" when libpq cannot parse it; the
// message never contains the password.
Result<ServerAddress> ParseServerAddress(const std::string& url);

// Maps an SQLSTATE (e.g. "23505") and the server's message to a Status whose message reads
// "SERVER: WHAT: MESSAGE" plus a hint where one helps:
//   unique_violation 23505 → kAlreadyExists; other integrity 23xxx, data exceptions 22xxx →
//   kInvalidArgument; serialization 40001, deadlock 40P01, lock or statement timeout 55P03 /
//   57014, connection 08xxx, insufficient resources 53xxx, shutdown 57P0x, too many connections
//   → kUnavailable (retry); insufficient privilege 42501 → kFailedPrecondition (grant it);
//   anything else (syntax, undefined table …: a bug or a foreign schema) → kInternal.
Status StatusFromSqlState(std::string_view sqlstate, std::string_view message,
                          std::string_view server, std::string_view what);

// One query parameter, sent as text (PostgreSQL converts it to the column's type); nullopt is
// SQL NULL.
class Param {
 public:
  Param(std::string_view v) : value_(std::string(v)) {}  // NOLINT: implicit by design
  Param(const std::string& v) : value_(v) {}             // NOLINT
  Param(const char* v) : value_(std::string(v)) {}       // NOLINT
  template <std::integral T>
  Param(T v) : value_(std::to_string(v)) {}  // NOLINT
  static Param Null() { return Param(); }
  const std::optional<std::string>& value() const { return value_; }

 private:
  Param() = default;
  std::optional<std::string> value_;
};

// The rows of one successful query, in text format. Move-only.
class QueryResult {
 public:
  explicit QueryResult(pg_result* res);
  QueryResult(QueryResult&&) noexcept;
  QueryResult& operator=(QueryResult&&) noexcept;
  ~QueryResult();

  int rows() const;
  // Columns and rows are 0-based.
  std::string Text(int row, int column) const;  // "" for NULL
  int64_t Int(int row, int column) const;       // 0 for NULL
  bool IsNull(int row, int column) const;
  // The command tag, e.g. "COMMIT" or "ROLLBACK".
  std::string CommandStatus() const;
  // Rows an INSERT, UPDATE or DELETE changed (0 for other statements).
  int64_t AffectedRows() const;

 private:
  pg_result* res_;
};

class Connection {
 public:
  // Connects to `url` as `address` describes it, with client_encoding UTF8, lock_timeout
  // `lock_timeout_ms` (a lock wait longer than that fails with kUnavailable) and libpq's
  // notices silenced. Connecting gives up after 10 s unless the URL sets connect_timeout.
  // kUnavailable "cannot connect to SERVER: …" (refused, unknown host, authentication failed,
  // no such database …).
  static Result<std::unique_ptr<Connection>> Open(const std::string& url,
                                                  const ServerAddress& address,
                                                  int lock_timeout_ms);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement with `params` bound to $1, $2 … `what` says what was being done.
  Result<QueryResult> Exec(std::string_view sql, std::initializer_list<Param> params,
                           std::string_view what);
  // Runs fixed SQL text that may hold several statements and takes no parameters (migrations,
  // BEGIN). A failure names the line of `sql` the server complained about.
  Status ExecScript(std::string_view sql, std::string_view what);
  // `name` as a quoted SQL identifier ("my schema" → "\"my schema\"").
  Result<std::string> QuoteIdentifier(std::string_view name);

  // True when the connection is usable and not inside a transaction, so it may be pooled.
  bool Reusable() const;
  const std::string& server() const { return address_.display; }

 private:
  Connection(pg_conn* conn, ServerAddress address) : conn_(conn), address_(std::move(address)) {}
  // The Status for a failed `res` (may be null), scrubbed of the password.
  Status ErrorStatus(pg_result* res, std::string_view sql, std::string_view what) const;

  pg_conn* conn_;
  ServerAddress address_;
};

// BEGIN … COMMIT on one connection; rolls back on destruction unless Commit() succeeded.
// kWrite: READ COMMITTED (each statement sees the latest commits; writers serialise with
// explicit locks, see PostgresStore). kRead: REPEATABLE READ READ ONLY — one consistent
// snapshot for several statements, never blocking or blocked by writers.
class Transaction {
 public:
  enum class Kind { kRead, kWrite };
  static Result<std::unique_ptr<Transaction>> Begin(Connection& conn, Kind kind,
                                                    std::string_view what);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  Status Commit();

 private:
  Transaction(Connection* conn, std::string what) : conn_(conn), what_(std::move(what)) {}
  Connection* conn_;
  std::string what_;
  bool done_ = false;
};

}  // namespace trellis::storage::postgres
