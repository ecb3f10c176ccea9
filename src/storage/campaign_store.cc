// storage/campaign_store.cc — picks the CampaignStore backend that shares a Store's database.
#include "storage/campaign_store.h"

#include "storage/sqlite/sqlite_campaign_store.h"

namespace trellis::storage {

Result<std::unique_ptr<CampaignStore>> OpenCampaignStore(Store& store) {
  if (auto* sqlite_store = dynamic_cast<SqliteStore*>(&store))
    return std::unique_ptr<CampaignStore>(new SqliteCampaignStore(*sqlite_store));
  return Status::FailedPrecondition(
      "this database backend has no campaign store yet; use an SQLite database");
}

}  // namespace trellis::storage
