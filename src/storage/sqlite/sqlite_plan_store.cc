// storage/sqlite/sqlite_plan_store.cc — see sqlite_plan_store.h. Parameters written $N in the
// shared SQL become ?N, SQLite's numbered form, so each binds to the same index.
#include "storage/sqlite/sqlite_plan_store.h"

#include <sqlite3.h>

#include <cctype>
#include <memory>
#include <utility>

#include "storage/plan_sql.h"
#include "storage/sqlite/sqlite_db.h"

namespace trellis::storage {
namespace {

using plan_sql::SqlRow;
using plan_sql::SqlValue;
using sqlite::Connection;
using sqlite::Transaction;

// Runs statements with the SQLite C API directly (rows of any width, without sqlite_db.h's
// typed Statement); every result code becomes a Status through sqlite::StatusFromSqlite.
class SqliteSession final : public plan_sql::Session {
 public:
  explicit SqliteSession(Connection& conn) : conn_(conn) {}

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params,
                                    int columns, std::string_view what) override {
    std::vector<SqlRow> rows;
    TRELLIS_RETURN_IF_ERROR(Run(sql, params, columns, what, &rows));
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params,
                       std::string_view what) override {
    TRELLIS_RETURN_IF_ERROR(Run(sql, params, 0, what, nullptr));
    return static_cast<int64_t>(conn_.Changes());
  }

 private:
  Status Run(std::string_view sql, const std::vector<SqlValue>& params, int columns,
             std::string_view what, std::vector<SqlRow>* rows) {
    sqlite3* db = conn_.handle();
    const std::string text = sqlite::NumberedParams(sql);
    sqlite3_stmt* raw = nullptr;
    int rc = sqlite3_prepare_v2(db, text.c_str(), static_cast<int>(text.size()), &raw, nullptr);
    std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw, sqlite3_finalize);
    if (rc != SQLITE_OK) return sqlite::StatusFromSqlite(rc, db, conn_.path(), what);
    for (size_t i = 0; i < params.size(); ++i) {
      const int index = static_cast<int>(i + 1);
      rc = params[i] ? sqlite3_bind_text(stmt.get(), index, params[i]->data(),
                                         static_cast<int>(params[i]->size()), SQLITE_TRANSIENT)
                     : sqlite3_bind_null(stmt.get(), index);
      if (rc != SQLITE_OK) return sqlite::StatusFromSqlite(rc, db, conn_.path(), what);
    }
    while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
      if (rows == nullptr) continue;
      SqlRow row;
      for (int c = 0; c < columns; ++c) {
        const unsigned char* v = sqlite3_column_text(stmt.get(), c);
        row.push_back(v == nullptr ? std::string()
                                   : std::string(reinterpret_cast<const char*>(v),
                                                 sqlite3_column_bytes(stmt.get(), c)));
      }
      rows->push_back(std::move(row));
    }
    if (rc != SQLITE_DONE) return sqlite::StatusFromSqlite(rc, db, conn_.path(), what);
    return Status::Ok();
  }

  Connection& conn_;
};

class SqliteBackend final : public plan_sql::Backend {
 public:
  explicit SqliteBackend(SqliteStore& store) : store_(store) {}

  Status Write(std::string_view /*partnership_id*/, std::string_view what,
               const std::function<Status(plan_sql::Session&)>& fn) override {
    return Run(Transaction::Kind::kWrite, what, fn);
  }
  Status Read(std::string_view what, const std::function<Status(plan_sql::Session&)>& fn) override {
    return Run(Transaction::Kind::kRead, what, fn);
  }

 private:
  Status Run(Transaction::Kind kind, std::string_view what,
             const std::function<Status(plan_sql::Session&)>& fn) {
    return store_.WithConnection([&](Connection& conn) -> Status {
      Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
      if (!txn.ok()) return txn.status();
      SqliteSession session(conn);
      TRELLIS_RETURN_IF_ERROR(fn(session));
      return (*txn)->Commit();
    });
  }

  SqliteStore& store_;
};

}  // namespace

std::unique_ptr<PlanStore> MakeSqlitePlanStore(SqliteStore& store) {
  return plan_sql::MakeSqlPlanStore(std::make_unique<SqliteBackend>(store));
}

}  // namespace trellis::storage
