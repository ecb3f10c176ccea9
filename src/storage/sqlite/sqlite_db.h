// storage/sqlite/sqlite_db.h — thin RAII adapters over the SQLite C API for SqliteStore:
// a Connection (one sqlite3 handle), a prepared Statement, and a Transaction that rolls back
// unless committed. Every SQLite result code becomes a Status here, with a message naming the
// database file, so nothing above this file sees an `rc`.
// Not thread-safe: each object is used by one thread at a time (SqliteStore pools connections).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace trellis::storage::sqlite {

// Maps an SQLite result code to a Status whose message a user can act on, e.g.
// "trellis.db: database is locked (another trellis process is writing; waited 5000 ms) while
// saving framework …". `db` (may be null) supplies sqlite3_errmsg; `what` says what was being
// done. Busy/locked, I/O, full disk, read-only and cannot-open → kUnavailable; not a database →
// kFailedPrecondition; a taken unique or primary key → kAlreadyExists; other constraint violations
// → kInvalidArgument; anything else → kInternal.
Status StatusFromSqlite(int rc, sqlite3* db, std::string_view path, std::string_view what);

// PostgreSQL's "$12" → SQLite's numbered "?12", for SQL both backends share (storage/plan_sql,
// ErasureCleanupSql); that SQL has no '$' followed by a digit inside string literals.
std::string NumberedParams(std::string_view sql);

class Connection {
 public:
  // Opens (creating if missing) the database file at `path` and configures the connection:
  // WAL journal, synchronous=FULL, foreign_keys=ON, busy timeout `busy_timeout_ms`.
  // kUnavailable "cannot open PATH: …" when the file cannot be opened or created;
  // kFailedPrecondition when the file is not an SQLite database.
  static Result<std::unique_ptr<Connection>> Open(const std::string& path, int busy_timeout_ms);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one or more statements that return no rows needed by the caller.
  Status Exec(std::string_view sql, std::string_view what);

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }
  // Rows changed by the most recent INSERT, UPDATE or DELETE on this connection.
  int Changes() const;
  int busy_timeout_ms() const { return busy_timeout_ms_; }

 private:
  Connection(sqlite3* db, std::string path, int busy_timeout_ms)
      : db_(db), path_(std::move(path)), busy_timeout_ms_(busy_timeout_ms) {}
  sqlite3* db_;
  std::string path_;
  int busy_timeout_ms_;
};

// A prepared statement. Binding errors are remembered and reported by the next Step(), so
// binds can be chained: `stmt.Bind(1, code).Bind(2, version); auto row = stmt.Step();`.
class Statement {
 public:
  // kInternal if the SQL does not compile (a bug), kUnavailable if the database is busy/locked.
  static Result<Statement> Prepare(Connection& conn, std::string_view sql, std::string_view what);

  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  ~Statement();

  // Parameters are 1-based.
  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, std::string_view value);
  Statement& BindNull(int index);

  // Advances: true when a row is available, false when done.
  Result<bool> Step();
  // Steps a statement expected to return no rows (INSERT …).
  Status Run();
  // Resets for re-execution with new bindings (keeps the compiled statement).
  void Reset();

  // Columns are 0-based; valid after Step() returned true.
  int64_t Int(int column) const;
  std::string Text(int column) const;  // "" for NULL
  bool IsNull(int column) const;

 private:
  Statement(Connection* conn, sqlite3_stmt* stmt, std::string what)
      : conn_(conn), stmt_(stmt), what_(std::move(what)) {}
  void NoteBindError(int rc);

  Connection* conn_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string what_;
  std::optional<Status> bind_error_;
};

// BEGIN IMMEDIATE (writes: takes the write lock up front, so a busy database waits for the busy
// timeout instead of failing half-way) or BEGIN (reads: one consistent snapshot).
// Rolls back on destruction unless Commit() succeeded.
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

// Prepares `sql`, binds through `bind(Statement&)`, and calls `on_row(Statement&)` → Status for
// each row, stopping at the first error (returned).
template <typename BindFn, typename RowFn>
Status Query(Connection& conn, std::string_view sql, std::string_view what, BindFn bind,
             RowFn on_row) {
  Result<Statement> stmt = Statement::Prepare(conn, sql, what);
  if (!stmt.ok()) return stmt.status();
  bind(*stmt);
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    TRELLIS_RETURN_IF_ERROR(on_row(*stmt));
  }
}

// Prepares `sql`, binds through `bind(Statement&)` and runs it (no rows expected); returns the
// number of rows it changed.
template <typename BindFn>
Result<int> Execute(Connection& conn, std::string_view sql, std::string_view what, BindFn bind) {
  Result<Statement> stmt = Statement::Prepare(conn, sql, what);
  if (!stmt.ok()) return stmt.status();
  bind(*stmt);
  TRELLIS_RETURN_IF_ERROR(stmt->Run());
  return conn.Changes();
}

}  // namespace trellis::storage::sqlite
