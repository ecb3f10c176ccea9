// storage/report_share_store.cc — picks the ReportShareStore backend that shares a Store's
// database.
#include "storage/report_share_store.h"

#include "storage/sqlite/sqlite_report_share_store.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/postgres_report_share_store.h"
#endif

namespace trellis::storage {

Result<std::unique_ptr<ReportShareStore>> OpenReportShareStore(Store& store) {
  if (auto* sqlite_store = dynamic_cast<SqliteStore*>(&store))
    return std::unique_ptr<ReportShareStore>(new SqliteReportShareStore(*sqlite_store));
#ifdef TRELLIS_WITH_POSTGRES
  if (auto* postgres_store = dynamic_cast<PostgresStore*>(&store))
    return std::unique_ptr<ReportShareStore>(new PostgresReportShareStore(*postgres_store));
#endif
  return Status::FailedPrecondition(
      "this database backend has no report share store; use an SQLite or PostgreSQL database");
}

}  // namespace trellis::storage
