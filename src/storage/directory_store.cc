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

Result<std::optional<StoredAccount>> FindPartnershipAccountByEmail(DirectoryStore& store,
                                                                   std::string_view partnership_id,
                                                                   std::string_view email) {
  Result<std::vector<StoredAccount>> accounts = store.ListAccounts(partnership_id);
  if (!accounts.ok()) return accounts.status();
  const std::string key = EmailKey(email);
  for (StoredAccount& a : *accounts)
    if (EmailKey(a.account.email) == key) return std::optional<StoredAccount>(std::move(a));
  return std::optional<StoredAccount>();
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

std::span<const std::string_view> ErasureCleanupSql() {
  // Children before parents (foreign keys). Plans of the person first, then their words and
  // shares elsewhere through their accounts, then report shares, then the accounts.
  static constexpr std::string_view kSql[] = {
      "DELETE FROM plan_comments WHERE plan_id IN (SELECT id FROM development_plans "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM plan_shares WHERE plan_id IN (SELECT id FROM development_plans "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM plan_evidence WHERE plan_id IN (SELECT id FROM development_plans "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM plan_actions WHERE plan_id IN (SELECT id FROM development_plans "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM plan_priorities WHERE plan_id IN (SELECT id FROM development_plans "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM development_plans WHERE partnership_id = $1 AND person_id = $2",
      "DELETE FROM plan_comments WHERE author_account_id IN (SELECT id FROM accounts "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM plan_shares WHERE partnership_id = $1 AND account_id IN (SELECT id FROM "
      "accounts WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM report_shares WHERE partnership_id = $1 AND (subject_id = $2 OR account_id IN "
      "(SELECT id FROM accounts WHERE partnership_id = $1 AND person_id = $2))",
      // Last, their accounts: an email and a name that sign in as them identify them too.
      "DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM login_failures WHERE account_id IN (SELECT id FROM accounts "
      "WHERE partnership_id = $1 AND person_id = $2)",
      "DELETE FROM accounts WHERE partnership_id = $1 AND person_id = $2",
  };
  return kSql;
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
