// storage/store.h — the only way the program touches persisted data.
// Implementations: SqliteStore (default, storage/sqlite/) and PostgresStore (storage/postgres/,
// TRELLIS_WITH_POSTGRES); every backend passes tests/contract/store_contract_test.cc.
// It holds the schema and the framework library: frameworks shared by every partnership, each
// code with numbered versions 1, 2, 3 … Partnership-owned data lives behind the narrower
// DirectoryStore (directory_store.h) and CampaignStore (campaign_store.h), opened on the same
// database; a campaign references one framework version and marks it in use.
// Invariant: a stored framework version is never changed or deleted — there is no method that
// could; a changed framework is saved as the next version.
// Safe for concurrent use from many threads and processes: each method is atomic.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/framework.h"

namespace trellis::storage {

// Timestamps are UTC, RFC 3339 to the second: "2026-01-01T09:30:00Z".

struct FrameworkVersionInfo {
  std::string code;
  int version = 0;
  std::string title;
  std::string created_at;  // when this version was stored
  bool in_use = false;     // referenced by something that relies on it staying as it is
};

struct StoredFramework {
  model::Framework framework;  // framework.version is the stored version number
  std::string created_at;      // when this version was stored
  bool in_use = false;
};

struct FrameworkSummary {
  std::string code;
  std::string title;  // the latest version's title
  int latest_version = 0;
  int version_count = 0;
  std::string created_at;         // when version 1 was stored
  std::string latest_created_at;  // when the latest version was stored
};

struct AppliedMigration {
  int version = 0;
  std::string name;        // "0001_frameworks"
  std::string applied_at;  // when it was applied to this database
};

class Store {
 public:
  virtual ~Store() = default;

  // --- schema ---

  // Applies, in order, each embedded migration (storage/migrations.h) not yet applied, each in
  // its own transaction with its schema_migrations row. Returns those applied by this call
  // (empty: already up to date). Safe to call concurrently with another process migrating.
  // kFailedPrecondition if the database schema is newer than this build knows;
  // kUnavailable on I/O errors or a lock held too long; kInternal if a migration fails.
  virtual Result<std::vector<AppliedMigration>> Migrate() = 0;

  // Highest applied migration version (0 for an empty database). kUnavailable on I/O errors.
  virtual Result<int> SchemaVersion() = 0;

  // Every applied migration, in version order. kUnavailable on I/O errors.
  virtual Result<std::vector<AppliedMigration>> ListAppliedMigrations() = 0;

  // --- framework library ---
  // Every method below returns kFailedPrecondition when migrations are pending ("run `trellis
  // db migrate`"), and kUnavailable on I/O errors or when the database stays locked.

  // Stores `framework` atomically and durably as version `framework.version` of
  // `framework.code`, stamped with the current time. Versions are consecutive: version 1 for a
  // new code, otherwise exactly the latest stored version + 1. Returns what was stored.
  // kAlreadyExists if that version is already stored (stored versions are never changed; a
  // concurrent writer may have taken the number — re-read and retry);
  // kInvalidArgument if the version would skip numbers or is < 1, the code is empty, or the
  // framework breaks the invariants the schema keeps (duplicate domain, competency or item codes,
  // a role-profile expectation naming an unknown competency).
  virtual Result<FrameworkVersionInfo> SaveFrameworkVersion(const model::Framework& framework) = 0;

  // The stored framework `code` at `version`, or its latest version when nullopt.
  // kNotFound if there is no such code, or no such version of it.
  virtual Result<StoredFramework> GetFramework(std::string_view code,
                                               std::optional<int> version) = 0;

  // One summary per framework code, ordered by code (empty when none).
  virtual Result<std::vector<FrameworkSummary>> ListFrameworks() = 0;

  // Every stored version of `code`, oldest first. kNotFound if there is no such code.
  virtual Result<std::vector<FrameworkVersionInfo>> ListFrameworkVersions(
      std::string_view code) = 0;

  // Records that something relies on `code` version `version` (idempotent). In-use versions,
  // like all stored versions, are never changed; later, they are never deleted either.
  // kNotFound if there is no such code or version.
  virtual Status MarkFrameworkVersionInUse(std::string_view code, int version) = 0;
};

}  // namespace trellis::storage
