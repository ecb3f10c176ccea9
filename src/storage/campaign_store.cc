// storage/campaign_store.cc — picks the CampaignStore backend that shares a Store's database.
#include "storage/campaign_store.h"

#include "storage/sqlite/sqlite_campaign_store.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/postgres_campaign_store.h"
#endif

namespace trellis::storage {

Result<std::unique_ptr<CampaignStore>> OpenCampaignStore(Store& store) {
  if (auto* sqlite_store = dynamic_cast<SqliteStore*>(&store))
    return std::unique_ptr<CampaignStore>(new SqliteCampaignStore(*sqlite_store));
#ifdef TRELLIS_WITH_POSTGRES
  if (auto* postgres_store = dynamic_cast<PostgresStore*>(&store))
    return std::unique_ptr<CampaignStore>(new PostgresCampaignStore(*postgres_store));
#endif
  return Status::FailedPrecondition(
      "this database backend has no campaign store; use an SQLite or PostgreSQL database");
}

}  // namespace trellis::storage
