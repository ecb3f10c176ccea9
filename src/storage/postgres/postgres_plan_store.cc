// storage/postgres/postgres_plan_store.cc — see postgres_plan_store.h.
#include "storage/postgres/postgres_plan_store.h"

#include <utility>

#include "storage/plan_sql.h"
#include "storage/postgres/partnership_lock.h"
#include "storage/postgres/postgres_db.h"

namespace trellis::storage {
namespace {

using plan_sql::SqlRow;
using plan_sql::SqlValue;
using postgres::Connection;
using postgres::Param;
using postgres::QueryResult;
using postgres::Transaction;

// Connection::Exec takes its parameters as an initializer list; the shared SQL passes a vector,
// so spread it by count (no statement of plan_sql.cc has more than ten).
Result<QueryResult> ExecParams(Connection& conn, std::string_view sql,
                               const std::vector<SqlValue>& values, std::string_view what) {
  std::vector<Param> p;
  for (const SqlValue& v : values) p.push_back(v ? Param(*v) : Param::Null());
  switch (p.size()) {
    case 0:
      return conn.Exec(sql, {}, what);
    case 1:
      return conn.Exec(sql, {p[0]}, what);
    case 2:
      return conn.Exec(sql, {p[0], p[1]}, what);
    case 3:
      return conn.Exec(sql, {p[0], p[1], p[2]}, what);
    case 4:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3]}, what);
    case 5:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4]}, what);
    case 6:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4], p[5]}, what);
    case 7:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4], p[5], p[6]}, what);
    case 8:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7]}, what);
    case 9:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8]}, what);
    case 10:
      return conn.Exec(sql, {p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]}, what);
    default:
      return Status::Internal("plan store: a statement with " + std::to_string(p.size()) +
                              " parameters (at most 10 are supported)");
  }
}

class PostgresSession final : public plan_sql::Session {
 public:
  explicit PostgresSession(Connection& conn) : conn_(conn) {}

  Result<std::vector<SqlRow>> Query(std::string_view sql, const std::vector<SqlValue>& params,
                                    int columns, std::string_view what) override {
    Result<QueryResult> res = ExecParams(conn_, sql, params, what);
    if (!res.ok()) return res.status();
    std::vector<SqlRow> rows;
    for (int r = 0; r < res->rows(); ++r) {
      SqlRow row;
      for (int c = 0; c < columns; ++c) row.push_back(res->Text(r, c));
      rows.push_back(std::move(row));
    }
    return rows;
  }

  Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params,
                       std::string_view what) override {
    Result<QueryResult> res = ExecParams(conn_, sql, params, what);
    if (!res.ok()) return res.status();
    return res->AffectedRows();
  }

 private:
  Connection& conn_;
};

class PostgresBackend final : public plan_sql::Backend {
 public:
  explicit PostgresBackend(PostgresStore& store) : store_(store) {}

  Status Write(std::string_view partnership_id, std::string_view what,
               const std::function<Status(plan_sql::Session&)>& fn) override {
    return Run(Transaction::Kind::kWrite, what, [&](Connection& conn) -> Status {
      TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, partnership_id, what));
      PostgresSession session(conn);
      return fn(session);
    });
  }

  Status Read(std::string_view what, const std::function<Status(plan_sql::Session&)>& fn) override {
    return Run(Transaction::Kind::kRead, what, [&](Connection& conn) -> Status {
      PostgresSession session(conn);
      return fn(session);
    });
  }

 private:
  template <typename Fn>
  Status Run(Transaction::Kind kind, std::string_view what, Fn fn) {
    return store_.WithConnection([&](Connection& conn) -> Status {
      Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
      if (!txn.ok()) return txn.status();
      TRELLIS_RETURN_IF_ERROR(fn(conn));
      return (*txn)->Commit();
    });
  }

  PostgresStore& store_;
};

}  // namespace

std::unique_ptr<PlanStore> MakePostgresPlanStore(PostgresStore& store) {
  return plan_sql::MakeSqlPlanStore(std::make_unique<PostgresBackend>(store));
}

}  // namespace trellis::storage
