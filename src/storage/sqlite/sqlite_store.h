// storage/sqlite/sqlite_store.h — the default Store: one SQLite database file in WAL mode with
// synchronous=FULL (a committed write survives power loss), foreign keys enforced and a busy
// timeout, so several threads and trellis processes can share the file.
// Thread-safe: connections are pooled, one per concurrent caller; writes take the database's
// write lock up front (BEGIN IMMEDIATE), reads see one consistent snapshot each.
// Invariant: after a successful Open with apply_migrations, the schema is current.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/migrations.h"
#include "storage/store.h"

namespace trellis::storage {

namespace sqlite {
class Connection;
}

// The settings actually in effect on a pooled connection, read back with PRAGMA queries.
struct SqliteSettings {
  std::string journal_mode;  // "wal"
  int synchronous = 0;       // 2 = FULL
  bool foreign_keys = false;
  int busy_timeout_ms = 0;
};

class SqliteStore final : public Store {
 public:
  struct Options {
    // How long a call waits for another writer before failing with kUnavailable.
    int busy_timeout_ms = 5000;
    // Apply pending migrations at open. When false, only Migrate() and the schema queries work
    // until the database is migrated (`trellis db migrate` reports what it applies).
    bool apply_migrations = true;
    // The migrations this build knows; nullopt means EmbeddedMigrations(). Tests substitute
    // lists to simulate older and newer builds.
    std::optional<std::vector<Migration>> migrations;
    // Current time for created_at / applied_at stamps; nullopt means the system clock.
    std::function<std::chrono::system_clock::time_point()> now;
  };

  // Opens or creates the database file at `path`.
  // kUnavailable "cannot open PATH: …" when it cannot be opened or created (missing directory,
  // no permission, a directory), or when it stays locked; kFailedPrecondition when the file is
  // not an SQLite database, or its schema is newer than this build ("upgrade trellis");
  // kInternal if a migration fails.
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path, Options options);
  static Result<std::unique_ptr<SqliteStore>> Open(const std::string& path) {
    return Open(path, Options());
  }

  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // Store
  Result<std::vector<AppliedMigration>> Migrate() override;
  Result<int> SchemaVersion() override;
  Result<std::vector<AppliedMigration>> ListAppliedMigrations() override;
  Result<FrameworkVersionInfo> SaveFrameworkVersion(const model::Framework& framework) override;
  Result<StoredFramework> GetFramework(std::string_view code, std::optional<int> version) override;
  Result<std::vector<FrameworkSummary>> ListFrameworks() override;
  Result<std::vector<FrameworkVersionInfo>> ListFrameworkVersions(std::string_view code) override;
  Status MarkFrameworkVersionInUse(std::string_view code, int version) override;

  // The connection settings in effect, queried from the database (for tests and diagnostics).
  Result<SqliteSettings> Settings();

  const std::string& path() const { return path_; }

  // For the other SQLite stores on this database (SqliteCampaignStore, a directory store): runs
  // `fn` on a pooled connection of this store and returns what it returns. `fn` manages its own
  // transaction (sqlite::Transaction) and must not keep the connection.
  // kFailedPrecondition when migrations are pending; kUnavailable if no connection opens.
  Status WithConnection(const std::function<Status(sqlite::Connection&)>& fn);

 private:
  class PooledConnection;

  SqliteStore(std::string path, Options options);
  // A connection for the calling thread: an idle pooled one, or a newly opened one.
  Result<PooledConnection> Acquire();
  void Release(std::unique_ptr<sqlite::Connection> conn);
  // Reads schema_migrations; kFailedPrecondition if it records a migration this build does not
  // know. Sets schema_current_.
  Status CheckSchema(sqlite::Connection& conn);
  // kFailedPrecondition unless the schema is current.
  Status RequireCurrentSchema() const;
  std::string Now() const;

  const std::string path_;
  const Options options_;
  const std::vector<Migration> migrations_;
  std::atomic<bool> schema_current_{false};

  std::mutex mu_;
  std::vector<std::unique_ptr<sqlite::Connection>> idle_;  // guarded by mu_
};

}  // namespace trellis::storage
