// storage/sqlite/sqlite_report_share_store.h — the ReportShareStore on SQLite: the
// report_shares table of migrations/0005_report_shares.sql, on a SqliteStore's connection pool.
// Thread-safe: each call borrows its own pooled connection.
#pragma once

#include "storage/report_share_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

class SqliteReportShareStore final : public ReportShareStore {
 public:
  // `store` must outlive this object.
  explicit SqliteReportShareStore(SqliteStore& store) : store_(store) {}

  Status AddShare(const ReportShare& share) override;
  Status RemoveShare(std::string_view partnership_id, std::string_view campaign_id,
                     std::string_view subject_id, std::string_view account_id) override;
  Result<std::vector<ReportShare>> SharesOfReport(std::string_view partnership_id,
                                                  std::string_view campaign_id,
                                                  std::string_view subject_id) override;
  Result<std::vector<ReportShare>> SharesWithAccount(std::string_view partnership_id,
                                                     std::string_view account_id) override;

 private:
  SqliteStore& store_;
};

}  // namespace trellis::storage
