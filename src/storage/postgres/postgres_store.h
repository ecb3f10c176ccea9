// storage/postgres/postgres_store.h — the Store on a PostgreSQL server, for deployments where
// several trellis servers share one database. Opened by OpenStore("postgres://…") when built
// with TRELLIS_WITH_POSTGRES; the tables are those of the shared migrations (storage/migrations/),
// created in the first schema of the connection's search_path.
// Thread-safe: a bounded pool of connections, one per concurrent caller. Several processes may
// share the database: saving a framework version takes a transaction-scoped advisory lock on the
// framework code (the counterpart of SQLite's BEGIN IMMEDIATE), and migrating takes one on the
// schema, so racing writers get kAlreadyExists and racing migrators apply each migration once.
// Invariant: after a successful Open with apply_migrations, the schema is current.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "storage/migrations.h"
#include "storage/store.h"

namespace trellis::storage {

namespace postgres {
class Connection;
struct ServerAddress;
}  // namespace postgres

class PostgresStore final : public Store {
 public:
  struct Options {
    // How long a call waits for a lock held by another session (a concurrent save of the same
    // framework, a migration) before failing with kUnavailable.
    int lock_timeout_ms = 5000;
    // Most connections open at once; further concurrent callers wait for one to be returned.
    int max_connections = 8;
    // How long a caller waits for a pooled connection before failing with kUnavailable.
    int pool_wait_ms = 30000;
    // Apply pending migrations at open. When false, only Migrate() and the schema queries work
    // until the database is migrated (`trellis db migrate` reports what it applies).
    bool apply_migrations = true;
    // The migrations this build knows; nullopt means EmbeddedMigrations(). Tests substitute
    // lists to simulate older and newer builds.
    std::optional<std::vector<Migration>> migrations;
    // Current time for created_at / applied_at stamps; nullopt means the system clock.
    std::function<std::chrono::system_clock::time_point()> now;
  };

  // Connects to `url` ("postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?PARAM=VALUE…]",
  // "postgresql://…", or a libpq "key=value" string) and checks the schema.
  // kInvalidArgument "invalid PostgreSQL URL: …" when the URL cannot be parsed;
  // kUnavailable "cannot connect to postgres://USER@HOST:PORT/DATABASE: …" when the server is
  // unreachable or refuses the login (messages never contain the password);
  // kFailedPrecondition when the schema is newer than this build ("upgrade trellis");
  // kInternal if a migration fails.
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url, Options options);
  static Result<std::unique_ptr<PostgresStore>> Open(const std::string& url) {
    return Open(url, Options());
  }

  ~PostgresStore() override;
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  // Store
  Result<std::vector<AppliedMigration>> Migrate() override;
  Result<int> SchemaVersion() override;
  Result<std::vector<AppliedMigration>> ListAppliedMigrations() override;
  Result<FrameworkVersionInfo> SaveFrameworkVersion(const model::Framework& framework) override;
  Result<StoredFramework> GetFramework(std::string_view code, std::optional<int> version) override;
  Result<std::vector<FrameworkSummary>> ListFrameworks() override;
  Result<std::vector<FrameworkVersionInfo>> ListFrameworkVersions(std::string_view code) override;
  Status MarkFrameworkVersionInUse(std::string_view code, int version) override;

  // The server as a URL without the password, as used in messages.
  const std::string& server() const;

  // For the other PostgreSQL stores on this database (PostgresDirectoryStore,
  // PostgresCampaignStore): runs `fn` on a pooled connection of this store and returns what it
  // returns. `fn` manages its own transaction (postgres::Transaction), must leave none open, and
  // must not keep the connection. kFailedPrecondition when migrations are pending; kUnavailable
  // if no connection can be had.
  Status WithConnection(const std::function<Status(postgres::Connection&)>& fn);

 private:
  class PooledConnection;

  PostgresStore(std::string url, std::unique_ptr<postgres::ServerAddress> address, Options options);
  // A connection for the calling thread: an idle pooled one, or a new one if fewer than
  // max_connections are open; otherwise waits up to pool_wait_ms.
  Result<PooledConnection> Acquire();
  void Release(std::unique_ptr<postgres::Connection> conn);
  // Reads schema_migrations; kFailedPrecondition if it records a migration this build does not
  // know. Sets schema_current_.
  Status CheckSchema(postgres::Connection& conn);
  // kFailedPrecondition unless the schema is current.
  Status RequireCurrentSchema() const;
  std::string Now() const;

  const std::string url_;  // holds the password: never put into a message
  const std::unique_ptr<postgres::ServerAddress> address_;
  const Options options_;
  const std::vector<Migration> migrations_;
  std::atomic<bool> schema_current_{false};

  std::mutex mu_;
  std::condition_variable returned_;                         // a connection came back
  std::vector<std::unique_ptr<postgres::Connection>> idle_;  // guarded by mu_
  int open_ = 0;  // connections open, idle or lent out; guarded by mu_
};

}  // namespace trellis::storage
