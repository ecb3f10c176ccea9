// storage/sqlite/sqlite_db.cc — RAII adapters over the SQLite C API and the one place an SQLite
// result code becomes a Status.
#include "storage/sqlite/sqlite_db.h"

#include <sqlite3.h>

#include <cctype>
#include <string>
#include <utility>

namespace trellis::storage::sqlite {

int Connection::Changes() const { return sqlite3_changes(db_); }

std::string NumberedParams(std::string_view sql) {
  std::string out(sql);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    if (out[i] == '$' && std::isdigit(static_cast<unsigned char>(out[i + 1]))) out[i] = '?';
  }
  return out;
}

Status StatusFromSqlite(int rc, sqlite3* db, std::string_view path, std::string_view what) {
  const std::string p(path);
  const std::string w(what);
  // sqlite3_errmsg describes the most recent failure on `db`; without a handle, the code's text.
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  // A taken key is "already exists", as PostgreSQL's unique_violation maps; the Store
  // interfaces promise kAlreadyExists for it (extended result codes are on: Connection::Open).
  if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    return Status::AlreadyExists(p + ": " + w + ": " + detail);
  switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
      return Status::Ok();
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable(p + ": database is locked while " + w +
                                 " (another trellis process or thread kept it busy past the "
                                 "timeout); retry, or stop the other program using " +
                                 p);
    case SQLITE_CANTOPEN:
      return Status::Unavailable("cannot open " + p + ": " + detail +
                                 " (check that the directory exists and is writable, and that "
                                 "the path is a file)");
    case SQLITE_NOTADB:
      return Status::FailedPrecondition(p + ": not an SQLite database (" + detail +
                                        "); check the --db path");
    case SQLITE_CORRUPT:
      return Status::Internal(p + ": the database file is damaged while " + w + " (" + detail +
                              "); restore it from a backup");
    case SQLITE_FULL:
      return Status::Unavailable(p + ": disk full while " + w + "; free some space and retry");
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_AUTH:
      return Status::Unavailable(p + ": cannot write while " + w + " (" + detail +
                                 "); check the permissions of the file and its directory");
    case SQLITE_IOERR:
      return Status::Unavailable(p + ": I/O error while " + w + " (" + detail + ")");
    case SQLITE_CONSTRAINT:
      return Status::InvalidArgument(p + ": " + w + ": " + detail);
    default:
      return Status::Internal(p + ": " + w + ": " + detail + " (SQLite error " +
                              std::to_string(rc) + ")");
  }
}

// --- Connection ---

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path, int busy_timeout_ms) {
  // SQLite's memory statistics take one process-wide mutex on every allocation, for which all
  // the server's threads would contend; nothing reads them. Only possible before SQLite is
  // initialised (the first open), so a later call's SQLITE_MISUSE is ignored.
  static const int memstatus_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  (void)memstatus_off;
  sqlite3* db = nullptr;
  // NOMUTEX: a connection is used by one thread at a time (SqliteStore's pool), so SQLite's
  // per-connection mutex would only cost time.
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status s = StatusFromSqlite(rc, db, path, "opening the database");
    if ((rc & 0xff) != SQLITE_CANTOPEN) s = Status(s.code(), "cannot open " + s.message());
    sqlite3_close(db);  // a handle is returned even on failure
    return s;
  }
  std::unique_ptr<Connection> conn(new Connection(db, path, busy_timeout_ms));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);

  // journal_mode is persistent in the file; the pragma answers with the mode in effect, which
  // stays "delete" on file systems without shared memory — refuse those rather than run
  // without WAL's crash and concurrency guarantees.
  Result<Statement> wal =
      Statement::Prepare(*conn, "PRAGMA journal_mode = WAL", "switching to the write-ahead log");
  if (!wal.ok()) return wal.status();
  Result<bool> row = wal->Step();
  if (!row.ok()) return row.status();
  if (!*row || wal->Text(0) != "wal") {
    return Status::Unavailable(path + ": cannot use the write-ahead log (journal mode is '" +
                               (*row ? wal->Text(0) : std::string()) +
                               "'); put the database on a local file system");
  }
  // FULL: a committed transaction survives power loss, which WAL's default NORMAL does not
  // promise. foreign_keys is off by default in SQLite and must be set per connection.
  TRELLIS_RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON",
                                     "configuring the database"));
  return conn;
}

Connection::~Connection() { sqlite3_close_v2(db_); }

Status Connection::Exec(std::string_view sql, std::string_view what) {
  const std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  return StatusFromSqlite(rc, db_, path_, what);
}

// --- Statement ---

Result<Statement> Statement::Prepare(Connection& conn, std::string_view sql,
                                     std::string_view what) {
  sqlite3_stmt* stmt = nullptr;
  int rc =
      sqlite3_prepare_v2(conn.handle(), sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return StatusFromSqlite(rc, conn.handle(), conn.path(), what);
  }
  return Statement(&conn, stmt, std::string(what));
}

Statement::Statement(Statement&& other) noexcept
    : conn_(other.conn_),
      stmt_(std::exchange(other.stmt_, nullptr)),
      what_(std::move(other.what_)),
      bind_error_(std::move(other.bind_error_)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    conn_ = other.conn_;
    stmt_ = std::exchange(other.stmt_, nullptr);
    what_ = std::move(other.what_);
    bind_error_ = std::move(other.bind_error_);
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::NoteBindError(int rc) {
  if (rc != SQLITE_OK && !bind_error_)
    bind_error_ = StatusFromSqlite(rc, conn_->handle(), conn_->path(), what_);
}

Statement& Statement::Bind(int index, int64_t value) {
  NoteBindError(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::Bind(int index, std::string_view value) {
  // SQLITE_TRANSIENT: SQLite copies, so temporaries are safe to bind.
  NoteBindError(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()),
                                  SQLITE_TRANSIENT));
  return *this;
}

Statement& Statement::BindNull(int index) {
  NoteBindError(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::Step() {
  if (bind_error_) return *bind_error_;
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return StatusFromSqlite(rc, conn_->handle(), conn_->path(), what_);
}

Status Statement::Run() {
  Result<bool> row = Step();
  if (!row.ok()) return row.status();
  return Status::Ok();
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_error_.reset();
}

int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// --- Transaction ---

Result<std::unique_ptr<Transaction>> Transaction::Begin(Connection& conn, Kind kind,
                                                        std::string_view what) {
  TRELLIS_RETURN_IF_ERROR(conn.Exec(kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN", what));
  return std::unique_ptr<Transaction>(new Transaction(&conn, std::string(what)));
}

Transaction::~Transaction() {
  // Best effort: the connection goes back to the pool clean even after a failed statement.
  if (!done_) sqlite3_exec(conn_->handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

Status Transaction::Commit() {
  Status s = conn_->Exec("COMMIT", what_);
  if (s.ok()) done_ = true;
  return s;
}

}  // namespace trellis::storage::sqlite
