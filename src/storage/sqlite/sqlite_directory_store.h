// storage/sqlite/sqlite_directory_store.h — the DirectoryStore on SQLite: the tables of
// migrations/0002_directory.sql in the same database file as a SqliteStore, borrowing that
// store's connection pool (SqliteStore::WithConnection) so both see one schema and one set of
// locks. Thread-safe: holds no mutable state; each method is one transaction (writes take the
// write lock up front, reads see one snapshot).
#pragma once

#include "storage/directory_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

class SqliteDirectoryStore final : public DirectoryStore {
 public:
  // `store` must outlive this object.
  explicit SqliteDirectoryStore(SqliteStore& store) : db_(store) {}

  Status CreatePartnership(const model::Partnership& partnership, const AuditEntry& audit) override;
  Result<model::Partnership> GetPartnership(std::string_view id) override;
  Result<model::Partnership> FindPartnershipByName(std::string_view name) override;
  Result<std::vector<model::Partnership>> ListPartnerships() override;

  Status AddOrganisation(const model::Organisation& org, const AuditEntry& audit) override;
  Status UpdateOrganisation(const model::Organisation& org, const AuditEntry& audit) override;
  Result<model::Organisation> GetOrganisation(std::string_view partnership_id,
                                              std::string_view id) override;
  Result<std::vector<model::Organisation>> ListOrganisations(
      std::string_view partnership_id) override;

  Status SavePeople(std::string_view partnership_id, const PeopleChanges& changes,
                    const std::vector<AuditEntry>& audit) override;
  Result<StoredPerson> GetPerson(std::string_view partnership_id, std::string_view id) override;
  Result<StoredPerson> FindPersonByEmail(std::string_view partnership_id,
                                         std::string_view email) override;
  Result<std::vector<StoredPerson>> ListPeople(std::string_view partnership_id,
                                               const PersonFilter& filter) override;
  Status ErasePerson(std::string_view partnership_id, std::string_view id,
                     const AuditEntry& audit) override;

  Status CreateAccount(const model::Account& account, std::string_view password_hash,
                       const AuditEntry& audit) override;
  Result<AccountCredentials> FindAccountForSignIn(std::string_view email) override;
  Result<StoredAccount> GetAccount(std::string_view partnership_id, std::string_view id) override;
  Result<std::vector<StoredAccount>> ListAccounts(std::string_view partnership_id) override;
  Status SetAccountRole(std::string_view partnership_id, std::string_view id, model::Role role,
                        const AuditEntry& audit) override;
  Status SetAccountPasswordHash(std::string_view partnership_id, std::string_view id,
                                std::string_view password_hash, const AuditEntry& audit) override;

  Status CreateSession(const SessionRecord& session) override;
  Result<SessionWithAccount> GetSession(std::string_view id_hash) override;
  Status TouchSession(std::string_view id_hash, std::string_view last_seen_at) override;
  Status DeleteSession(std::string_view id_hash) override;
  Result<size_t> DeleteAccountSessions(std::string_view partnership_id,
                                       std::string_view account_id) override;
  Result<size_t> DeleteExpiredSessions(std::string_view now, std::string_view idle_before) override;

  Status RecordLoginFailure(std::string_view partnership_id, std::string_view account_id,
                            std::string_view at) override;
  Result<int> CountLoginFailuresSince(std::string_view partnership_id, std::string_view account_id,
                                      std::string_view since) override;
  Status ClearLoginFailures(std::string_view partnership_id, std::string_view account_id) override;

  Status AppendAudit(const AuditEntry& entry) override;
  Status AppendAudits(std::span<const AuditEntry> entries) override;
  Result<std::vector<AuditEntry>> ListAudit(std::string_view partnership_id, size_t offset,
                                            size_t limit) override;
  Result<std::vector<AuditEntry>> ListAuditBefore(std::string_view partnership_id,
                                                  int64_t before_seq, size_t limit) override;

 private:
  SqliteStore& db_;
};

}  // namespace trellis::storage
