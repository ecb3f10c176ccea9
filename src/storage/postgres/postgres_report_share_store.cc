// storage/postgres/postgres_report_share_store.cc — PostgresReportShareStore, a port of
// SqliteReportShareStore: every statement is scoped by partnership_id; writes hold the
// partnership's write lock (partnership_lock.h); text is ordered with COLLATE "C".
#include "storage/postgres/postgres_report_share_store.h"

#include "storage/postgres/partnership_lock.h"
#include "storage/postgres/postgres_db.h"

namespace trellis::storage {

using postgres::Connection;
using postgres::Param;
using postgres::QueryResult;
using postgres::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

constexpr std::string_view kColumns =
    "partnership_id, campaign_id, subject_id, account_id, shared_at";

template <typename Fn>
Status InTransaction(PostgresStore& store, Transaction::Kind kind, std::string_view partnership_id,
                     std::string_view what, Fn fn) {
  return store.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
    if (!txn.ok()) return txn.status();
    if (kind == Transaction::Kind::kWrite)
      TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, partnership_id, what));
    TRELLIS_RETURN_IF_ERROR(fn(conn));
    return (*txn)->Commit();
  });
}

Result<std::vector<ReportShare>> ReadShares(const QueryResult& r) {
  std::vector<ReportShare> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back(
        ReportShare{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4)});
  return out;
}

}  // namespace

Status PostgresReportShareStore::AddShare(const ReportShare& share) {
  const std::string what = "sharing a report";
  return InTransaction(
      store_, Transaction::Kind::kWrite, share.partnership_id, what,
      [&](Connection& conn) -> Status {
        Result<QueryResult> found = conn.Exec(
            "SELECT 1 FROM report_shares WHERE partnership_id = $1 AND campaign_id = $2 AND "
            "subject_id = $3 AND account_id = $4",
            {share.partnership_id, share.campaign_id, share.subject_id, share.account_id}, what);
        if (!found.ok()) return found.status();
        if (found->rows() > 0) {
          return Status::AlreadyExists("the report of " + Quoted(share.subject_id) +
                                       " in campaign " + Quoted(share.campaign_id) +
                                       " is already shared with account " +
                                       Quoted(share.account_id));
        }
        Result<QueryResult> added = conn.Exec(
            "INSERT INTO report_shares (partnership_id, campaign_id, subject_id, account_id, "
            "shared_at) SELECT c.partnership_id, cs.campaign_id, cs.person_id, a.id, $5 "
            "FROM campaigns c JOIN campaign_subjects cs ON cs.campaign_id = c.id "
            "JOIN accounts a ON a.partnership_id = c.partnership_id "
            "WHERE c.partnership_id = $1 AND c.id = $2 AND cs.person_id = $3 AND a.id = $4",
            {share.partnership_id, share.campaign_id, share.subject_id, share.account_id,
             share.shared_at},
            what);
        if (!added.ok()) return added.status();
        if (added->AffectedRows() == 0) {
          return Status::NotFound("no subject " + Quoted(share.subject_id) + " of campaign " +
                                  Quoted(share.campaign_id) + " and account " +
                                  Quoted(share.account_id) + " in this partnership");
        }
        return Status::Ok();
      });
}

Status PostgresReportShareStore::RemoveShare(std::string_view partnership_id,
                                             std::string_view campaign_id,
                                             std::string_view subject_id,
                                             std::string_view account_id) {
  const std::string what = "revoking a report share";
  return InTransaction(
      store_, Transaction::Kind::kWrite, partnership_id, what, [&](Connection& conn) -> Status {
        Result<QueryResult> removed = conn.Exec(
            "DELETE FROM report_shares WHERE partnership_id = $1 AND "
            "campaign_id = $2 AND subject_id = $3 AND account_id = $4",
            {partnership_id, campaign_id, subject_id, account_id}, what);
        if (!removed.ok()) return removed.status();
        if (removed->AffectedRows() == 0) {
          return Status::NotFound("the report of " + Quoted(subject_id) + " in campaign " +
                                  Quoted(campaign_id) + " is not shared with account " +
                                  Quoted(account_id));
        }
        return Status::Ok();
      });
}

Result<std::vector<ReportShare>> PostgresReportShareStore::SharesOfReport(
    std::string_view partnership_id, std::string_view campaign_id, std::string_view subject_id) {
  std::vector<ReportShare> out;
  const std::string what = "listing the shares of a report";
  TRELLIS_RETURN_IF_ERROR(
      InTransaction(store_, Transaction::Kind::kRead, "", what, [&](Connection& conn) -> Status {
        Result<QueryResult> r = conn.Exec(
            "SELECT " + std::string(kColumns) +
                " FROM report_shares WHERE partnership_id = $1 AND campaign_id = $2 AND "
                "subject_id = $3 ORDER BY shared_at COLLATE \"C\", account_id COLLATE \"C\"",
            {partnership_id, campaign_id, subject_id}, what);
        if (!r.ok()) return r.status();
        out = *ReadShares(*r);
        return Status::Ok();
      }));
  return out;
}

Result<std::vector<ReportShare>> PostgresReportShareStore::SharesWithAccount(
    std::string_view partnership_id, std::string_view account_id) {
  std::vector<ReportShare> out;
  const std::string what = "listing the reports shared with an account";
  TRELLIS_RETURN_IF_ERROR(
      InTransaction(store_, Transaction::Kind::kRead, "", what, [&](Connection& conn) -> Status {
        Result<QueryResult> r =
            conn.Exec("SELECT " + std::string(kColumns) +
                          " FROM report_shares WHERE partnership_id = $1 AND account_id = $2 "
                          "ORDER BY shared_at COLLATE \"C\", campaign_id COLLATE \"C\", "
                          "subject_id COLLATE \"C\"",
                      {partnership_id, account_id}, what);
        if (!r.ok()) return r.status();
        out = *ReadShares(*r);
        return Status::Ok();
      }));
  return out;
}

}  // namespace trellis::storage
