// storage/directory_store.cc — picks the DirectoryStore backend that shares a Store's database,
// the email key every backend compares emails by, and the check of an AppendAudits batch.
#include "storage/directory_store.h"

#include <algorithm>

#include "storage/sqlite/sqlite_directory_store.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/postgres_directory_store.h"
#endif

namespace trellis::storage {

std::string EmailKey(std::string_view email) {
  std::string key(email);
  for (char& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

Result<std::vector<std::string_view>> AuditBatchPartnerships(std::span<const AuditEntry> entries) {
  std::vector<std::string_view> out;
  for (const AuditEntry& entry : entries) {
    if (entry.action.empty() || entry.at.empty())
      return Status::Internal("audit entry without action or time");
    out.push_back(entry.partnership_id);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Result<std::unique_ptr<DirectoryStore>> OpenDirectoryStore(Store& store) {
  if (auto* sqlite_store = dynamic_cast<SqliteStore*>(&store))
    return std::unique_ptr<DirectoryStore>(new SqliteDirectoryStore(*sqlite_store));
#ifdef TRELLIS_WITH_POSTGRES
  if (auto* postgres_store = dynamic_cast<PostgresStore*>(&store))
    return std::unique_ptr<DirectoryStore>(new PostgresDirectoryStore(*postgres_store));
#endif
  return Status::FailedPrecondition(
      "this database backend has no partnership directory; use an SQLite or PostgreSQL "
      "database");
}

}  // namespace trellis::storage
