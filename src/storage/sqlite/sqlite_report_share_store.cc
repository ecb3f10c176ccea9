// storage/sqlite/sqlite_report_share_store.cc — SqliteReportShareStore. Every statement is
// scoped by partnership_id; an insert selects its row from the campaign, subject and account of
// that partnership, so a share can never point across partnerships.
#include "storage/sqlite/sqlite_report_share_store.h"

#include "storage/sqlite/sqlite_db.h"

namespace trellis::storage {

using sqlite::Connection;
using sqlite::Execute;
using sqlite::Query;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

constexpr std::string_view kColumns =
    "partnership_id, campaign_id, subject_id, account_id, shared_at";

ReportShare ReadShare(const Statement& s) {
  return ReportShare{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4)};
}

}  // namespace

Status SqliteReportShareStore::AddShare(const ReportShare& share) {
  const std::string what = "sharing a report";
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    bool exists = false;
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT 1 FROM report_shares WHERE partnership_id = ?1 AND campaign_id = ?2 AND "
        "subject_id = ?3 AND account_id = ?4",
        what,
        [&](Statement& s) {
          s.Bind(1, share.partnership_id)
              .Bind(2, share.campaign_id)
              .Bind(3, share.subject_id)
              .Bind(4, share.account_id);
        },
        [&](Statement&) {
          exists = true;
          return Status::Ok();
        }));
    if (exists) {
      return Status::AlreadyExists("the report of " + Quoted(share.subject_id) + " in campaign " +
                                   Quoted(share.campaign_id) + " is already shared with account " +
                                   Quoted(share.account_id));
    }
    Result<int> added =
        Execute(conn,
                "INSERT INTO report_shares (partnership_id, campaign_id, subject_id, account_id, "
                "shared_at) SELECT c.partnership_id, cs.campaign_id, cs.person_id, a.id, ?5 "
                "FROM campaigns c JOIN campaign_subjects cs ON cs.campaign_id = c.id "
                "JOIN accounts a ON a.partnership_id = c.partnership_id "
                "WHERE c.partnership_id = ?1 AND c.id = ?2 AND cs.person_id = ?3 AND a.id = ?4",
                what, [&](Statement& s) {
                  s.Bind(1, share.partnership_id)
                      .Bind(2, share.campaign_id)
                      .Bind(3, share.subject_id)
                      .Bind(4, share.account_id)
                      .Bind(5, share.shared_at);
                });
    if (!added.ok()) return added.status();
    if (*added == 0) {
      return Status::NotFound("no subject " + Quoted(share.subject_id) + " of campaign " +
                              Quoted(share.campaign_id) + " and account " +
                              Quoted(share.account_id) + " in this partnership");
    }
    return (*txn)->Commit();
  });
}

Status SqliteReportShareStore::RemoveShare(std::string_view partnership_id,
                                           std::string_view campaign_id,
                                           std::string_view subject_id,
                                           std::string_view account_id) {
  const std::string what = "revoking a report share";
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<int> removed = Execute(
        conn,
        "DELETE FROM report_shares WHERE partnership_id = ?1 AND "
        "campaign_id = ?2 AND subject_id = ?3 AND account_id = ?4",
        what, [&](Statement& s) {
          s.Bind(1, partnership_id).Bind(2, campaign_id).Bind(3, subject_id).Bind(4, account_id);
        });
    if (!removed.ok()) return removed.status();
    if (*removed == 0) {
      return Status::NotFound("the report of " + Quoted(subject_id) + " in campaign " +
                              Quoted(campaign_id) + " is not shared with account " +
                              Quoted(account_id));
    }
    return Status::Ok();
  });
}

Result<std::vector<ReportShare>> SqliteReportShareStore::SharesOfReport(
    std::string_view partnership_id, std::string_view campaign_id, std::string_view subject_id) {
  std::vector<ReportShare> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    return Query(
        conn,
        "SELECT " + std::string(kColumns) +
            " FROM report_shares WHERE partnership_id = ?1 AND campaign_id = ?2 AND "
            "subject_id = ?3 ORDER BY shared_at, account_id",
        "listing the shares of a report",
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, campaign_id).Bind(3, subject_id); },
        [&](Statement& s) {
          out.push_back(ReadShare(s));
          return Status::Ok();
        });
  }));
  return out;
}

Result<std::vector<ReportShare>> SqliteReportShareStore::SharesWithAccount(
    std::string_view partnership_id, std::string_view account_id) {
  std::vector<ReportShare> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    return Query(
        conn,
        "SELECT " + std::string(kColumns) +
            " FROM report_shares WHERE partnership_id = ?1 AND account_id = ?2 "
            "ORDER BY shared_at, campaign_id, subject_id",
        "listing the reports shared with an account",
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, account_id); },
        [&](Statement& s) {
          out.push_back(ReadShare(s));
          return Status::Ok();
        });
  }));
  return out;
}

}  // namespace trellis::storage
