// storage/plan_store.cc — picks the PlanStore backend that shares a Store's database.
#include "storage/plan_store.h"

#include "storage/sqlite/sqlite_plan_store.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/postgres_plan_store.h"
#endif

namespace trellis::storage {

Result<std::unique_ptr<PlanStore>> OpenPlanStore(Store& store) {
  if (auto* sqlite_store = dynamic_cast<SqliteStore*>(&store))
    return MakeSqlitePlanStore(*sqlite_store);
#ifdef TRELLIS_WITH_POSTGRES
  if (auto* postgres_store = dynamic_cast<PostgresStore*>(&store))
    return MakePostgresPlanStore(*postgres_store);
#endif
  return Status::FailedPrecondition(
      "this database backend has no development plans; use an SQLite or PostgreSQL database");
}

}  // namespace trellis::storage
