// storage/directory_store.h — persisted partnership directory and staff access: partnerships,
// their organisations and people, staff accounts, sign-in sessions, failed sign-ins and the
// audit log. Separate from the framework Store (store.h) but on the same database; used by
// service/directory_service.h and service/auth_service.h only.
// Tenancy: every method on partnership data takes the partnership id and sees only that
// partnership's rows; a record of partnership A is NotFound through partnership B. The only
// lookups without a partnership are those keyed by a sign-in credential — an account by its
// email (an email signs in to one partnership), a session by its token hash — and each returns
// one record that names its partnership; nothing can enumerate across partnerships except
// ListPartnerships (the tenant list itself, for operators).
// Audit: every change to the directory or accounts takes an AuditEntry that is written in the
// same transaction, so a change is never stored without its audit entry (or vice versa).
// Ids are made by the caller (core/ids.h); the store only checks they are non-empty.
// Timestamps are UTC text "2026-01-01T09:30:00Z", supplied by the caller (testable clocks).
// Implementations are safe for concurrent use from many threads; each method is atomic.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/partnership.h"
#include "storage/store.h"

namespace trellis::storage {

// One entry of a partnership's audit log. Append-only.
struct AuditEntry {
  std::string id;              // made by the caller; empty → the store makes one
  std::string partnership_id;  // whose log
  int64_t seq = 0;             // 1, 2, 3 … per partnership, set by the store when appended
  std::string at;              // when the change happened (UTC text)
  std::string actor;           // an account id, or "cli"
  std::string action;          // "person.added", "account.role_changed", …
  std::string entity_type;     // "person", "organisation", "account", "partnership", "people"
  std::string entity_id;       // the changed record's id (or a file name for imports)
  std::string detail;          // what changed: field names and counts, never personal values
};

// A person as stored, with the tombstone state left by an erasure request.
struct StoredPerson {
  model::Person person;  // after erasure: name "", email "", line_manager_id ""
  std::string created_at;
  std::string updated_at;
  std::string erased_at;  // "" unless erased
  bool erased() const { return !erased_at.empty(); }
};

struct PersonFilter {
  std::string organisation_id;  // "" → every organisation
  bool include_erased = false;  // tombstones are left out unless asked for
};

// A new or changed person for SavePeople; `person.partnership_id` must match the call's.
struct PeopleChanges {
  std::vector<model::Person> added;
  std::vector<model::Person> updated;  // matched by id
};

// An account with the secret the sign-in check needs. Only the sign-in path reads this.
struct AccountCredentials {
  model::Account account;
  std::string password_hash;  // crypto_pwhash_str output
};

struct StoredAccount {
  model::Account account;
  std::string created_at;
};

struct SessionRecord {
  std::string id_hash;  // hex SHA-256 of the session token (never the token)
  std::string account_id;
  std::string csrf_token;
  std::string created_at;
  std::string last_seen_at;
  std::string expires_at;  // absolute end of the session
};

// A session with its account, as Authenticate needs it.
struct SessionWithAccount {
  SessionRecord session;
  model::Account account;
};

class DirectoryStore {
 public:
  virtual ~DirectoryStore() = default;

  // Every method returns kFailedPrecondition when migrations are pending, kUnavailable on I/O
  // errors or when the database stays locked; the failures listed below come in addition.

  // --- partnerships ---

  // Creates `partnership` (id and name non-empty, created_at = audit.at) and appends `audit`
  // to its log. kAlreadyExists if the name or id is taken; kInvalidArgument if id or name is
  // empty.
  virtual Status CreatePartnership(const model::Partnership& partnership,
                                   const AuditEntry& audit) = 0;
  // kNotFound if there is no partnership `id`.
  virtual Result<model::Partnership> GetPartnership(std::string_view id) = 0;
  // Exact name match. kNotFound if none.
  virtual Result<model::Partnership> FindPartnershipByName(std::string_view name) = 0;
  // Every partnership, by name.
  virtual Result<std::vector<model::Partnership>> ListPartnerships() = 0;

  // --- organisations (of one partnership) ---

  // Adds `org` to partnership `org.partnership_id`. kNotFound if the partnership does not
  // exist; kAlreadyExists if the partnership already has an organisation of that name (exact)
  // or the id is taken; kInvalidArgument if id or name is empty.
  virtual Status AddOrganisation(const model::Organisation& org, const AuditEntry& audit) = 0;
  // Changes name and sector of `org.id` in `org.partnership_id`. kNotFound if that partnership
  // has no such organisation; kAlreadyExists if the new name is taken.
  virtual Status UpdateOrganisation(const model::Organisation& org, const AuditEntry& audit) = 0;
  // kNotFound if `partnership_id` has no organisation `id`.
  virtual Result<model::Organisation> GetOrganisation(std::string_view partnership_id,
                                                      std::string_view id) = 0;
  // The partnership's organisations by name (empty for an unknown partnership).
  virtual Result<std::vector<model::Organisation>> ListOrganisations(
      std::string_view partnership_id) = 0;

  // --- people (of one partnership) ---

  // Adds and updates people of `partnership_id` atomically (all or nothing), stamping them
  // with audit.at, and appends every entry of `audit` (at least one) in the same transaction.
  // Line managers may refer to people added in the same call. kNotFound if an updated person
  // is not a live (unerased) person of the partnership; kAlreadyExists if an email is taken
  // in the partnership (ignoring case); kInvalidArgument if an id, name or email is empty, a
  // person names another partnership, or an organisation or line manager is not one of the
  // partnership's (the service reports these by name first; this is the last line).
  virtual Status SavePeople(std::string_view partnership_id, const PeopleChanges& changes,
                            const std::vector<AuditEntry>& audit) = 0;
  // kNotFound if `partnership_id` has no person `id` (erased people are found, as tombstones).
  virtual Result<StoredPerson> GetPerson(std::string_view partnership_id, std::string_view id) = 0;
  // The live person whose email matches `email` ignoring ASCII case. kNotFound if none.
  virtual Result<StoredPerson> FindPersonByEmail(std::string_view partnership_id,
                                                 std::string_view email) = 0;
  // The partnership's people matching `filter`, by name then id.
  virtual Result<std::vector<StoredPerson>> ListPeople(std::string_view partnership_id,
                                                       const PersonFilter& filter) = 0;
  // Erasure request: removes the person's name, email and line manager, keeping a tombstone
  // (id, organisation, level, function, erased_at = audit.at) so records that reference the
  // id stay consistent; in the same transaction removes their development plans, the comments
  // they wrote and the shares made to them, their report shares, and the accounts linked to
  // them with their sessions (ErasureCleanupSql).
  // Idempotent for an already erased person: repeating it runs only the cleanup of
  // ErasureCleanupSql (for data added since, or erased before the cleanup existed), with no
  // second audit entry.
  // kNotFound if `partnership_id` has no person `id`.
  virtual Status ErasePerson(std::string_view partnership_id, std::string_view id,
                             const AuditEntry& audit) = 0;

  // --- accounts ---

  // Creates `account` with `password_hash` (created_at = audit.at). kAlreadyExists if an
  // account with that email (ignoring case) exists in any partnership — one email signs in to
  // one partnership — or the id is taken; kNotFound if the partnership does not exist;
  // kInvalidArgument if id, email or hash is empty, or person_id is not a person of the
  // partnership.
  virtual Status CreateAccount(const model::Account& account, std::string_view password_hash,
                               const AuditEntry& audit) = 0;
  // Sign-in lookup (no partnership: the email decides it). kNotFound if no account has that
  // email (ignoring ASCII case).
  virtual Result<AccountCredentials> FindAccountForSignIn(std::string_view email) = 0;
  // kNotFound if `partnership_id` has no account `id`.
  virtual Result<StoredAccount> GetAccount(std::string_view partnership_id,
                                           std::string_view id) = 0;
  // The partnership's accounts by email.
  virtual Result<std::vector<StoredAccount>> ListAccounts(std::string_view partnership_id) = 0;
  // kNotFound if `partnership_id` has no account `id`.
  virtual Status SetAccountRole(std::string_view partnership_id, std::string_view id,
                                model::Role role, const AuditEntry& audit) = 0;
  // Replaces the password hash; `audit` may be appended for a change the user made, or be
  // empty (action "") for a transparent re-hash with stronger parameters. kNotFound as above.
  virtual Status SetAccountPasswordHash(std::string_view partnership_id, std::string_view id,
                                        std::string_view password_hash,
                                        const AuditEntry& audit) = 0;

  // --- sessions ---

  // kAlreadyExists if the hash is taken (a 256-bit token never repeats: a bug);
  // kNotFound if the account does not exist.
  virtual Status CreateSession(const SessionRecord& session) = 0;
  // The session whose token hashes to `id_hash`, with its account. kNotFound if none.
  virtual Result<SessionWithAccount> GetSession(std::string_view id_hash) = 0;
  // Sets last_seen_at. kNotFound if there is no such session.
  virtual Status TouchSession(std::string_view id_hash, std::string_view last_seen_at) = 0;
  // Removes the session; OK if it did not exist (signing out twice is fine).
  virtual Status DeleteSession(std::string_view id_hash) = 0;
  // Removes every session of an account (after a password or role change). Returns how many.
  virtual Result<size_t> DeleteAccountSessions(std::string_view partnership_id,
                                               std::string_view account_id) = 0;
  // Removes sessions with expires_at ≤ `now` or last_seen_at ≤ `idle_before`. Returns how
  // many.
  virtual Result<size_t> DeleteExpiredSessions(std::string_view now,
                                               std::string_view idle_before) = 0;

  // --- failed sign-ins (of an account of one partnership) ---

  // kNotFound if `partnership_id` has no account `account_id`.
  virtual Status RecordLoginFailure(std::string_view partnership_id, std::string_view account_id,
                                    std::string_view at) = 0;
  // Failures recorded at or after `since` (0 for an unknown account).
  virtual Result<int> CountLoginFailuresSince(std::string_view partnership_id,
                                              std::string_view account_id,
                                              std::string_view since) = 0;
  virtual Status ClearLoginFailures(std::string_view partnership_id,
                                    std::string_view account_id) = 0;

  // --- audit log ---

  // Appends `entry` to its partnership's log (for events that change nothing else stored).
  // kNotFound if the partnership does not exist.
  virtual Status AppendAudit(const AuditEntry& entry) = 0;
  // Appends every entry of `entries` (of one or several partnerships, each with its action and
  // time) in ONE durable transaction: all are stored, in order, or none (group commit, see
  // service/audit_batcher.h). An empty span is OK. kNotFound if a partnership does not exist.
  virtual Status AppendAudits(std::span<const AuditEntry> entries) = 0;
  // The partnership's entries newest first, skipping `offset`, at most `limit` (≤ 1000).
  virtual Result<std::vector<AuditEntry>> ListAudit(std::string_view partnership_id, size_t offset,
                                                    size_t limit) = 0;
  // Paging by key: the partnership's entries with seq < `before_seq` (0 → from the newest),
  // newest first, at most `limit` (≤ 1000). Reading the whole log page by page this way costs
  // one index range per page, and an entry appended during the scan is neither seen twice nor
  // shifts a later page.
  virtual Result<std::vector<AuditEntry>> ListAuditBefore(std::string_view partnership_id,
                                                          int64_t before_seq, size_t limit) = 0;
};

// The DirectoryStore on the same database (and connection pool) as `store`, which must
// outlive it. kFailedPrecondition if `store` is of no known backend (SQLite, PostgreSQL).
Result<std::unique_ptr<DirectoryStore>> OpenDirectoryStore(Store& store);

// For AppendAudits: the partnerships of `entries`, each once, in byte order (the order in which
// a batch takes their write locks); kInternal if an entry has no action or time.
Result<std::vector<std::string_view>> AuditBatchPartnerships(std::span<const AuditEntry> entries);

// Lower-cases ASCII letters: how emails are compared (non-ASCII bytes are kept as they are).
std::string EmailKey(std::string_view email);

// The account of `partnership_id` that signs in as `email` (compared by EmailKey), for the
// "share with" forms of reports and plans; nullopt when there is none.
Result<std::optional<StoredAccount>> FindPartnershipAccountByEmail(DirectoryStore& store,
                                                                   std::string_view partnership_id,
                                                                   std::string_view email);

// The statements ErasePerson runs, in every backend, in the erasure's transaction, to remove
// what later features keep about a person: their development plans (goals, actions, evidence,
// shares and the comments on them), the comments they wrote on others' plans and the plans
// shared with their accounts, the report shares they granted or received, and last the
// accounts linked to them with their sessions and failed sign-ins. Parameters:
// $1 the partnership id, $2 the person id (SQL both dialects accept; SQLite reads them as ?1, ?2).
std::span<const std::string_view> ErasureCleanupSql();

}  // namespace trellis::storage
