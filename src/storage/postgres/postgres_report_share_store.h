// storage/postgres/postgres_report_share_store.h — the ReportShareStore on PostgreSQL: the
// report_shares table of migrations/0005_report_shares.sql, on a PostgresStore's pool. Same
// rows, wording and codes as SqliteReportShareStore (tests/contract/report_share_store_contract_
// test.cc). Thread-safe: each call borrows its own pooled connection.
#pragma once

#include "storage/postgres/postgres_store.h"
#include "storage/report_share_store.h"

namespace trellis::storage {

class PostgresReportShareStore final : public ReportShareStore {
 public:
  // `store` must outlive this object.
  explicit PostgresReportShareStore(PostgresStore& store) : store_(store) {}

  Status AddShare(const ReportShare& share) override;
  Status RemoveShare(std::string_view partnership_id, std::string_view campaign_id,
                     std::string_view subject_id, std::string_view account_id) override;
  Result<std::vector<ReportShare>> SharesOfReport(std::string_view partnership_id,
                                                  std::string_view campaign_id,
                                                  std::string_view subject_id) override;
  Result<std::vector<ReportShare>> SharesWithAccount(std::string_view partnership_id,
                                                     std::string_view account_id) override;

 private:
  PostgresStore& store_;
};

}  // namespace trellis::storage
