// storage/open_store.cc — chooses the Store backend for a location string.
#include "storage/open_store.h"

#include "storage/sqlite/sqlite_store.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/postgres_db.h"
#include "storage/postgres/postgres_store.h"
#endif

namespace trellis::storage {

namespace {

bool IsPostgresUrl(const std::string& location) {
  return location.starts_with("postgres://") || location.starts_with("postgresql://");
}

}  // namespace

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, bool apply_migrations) {
  if (IsPostgresUrl(location)) {
#ifdef TRELLIS_WITH_POSTGRES
    PostgresStore::Options options;
    options.apply_migrations = apply_migrations;
    Result<std::unique_ptr<PostgresStore>> store =
        PostgresStore::Open(location, std::move(options));
    if (!store.ok()) return store.status();
    return std::unique_ptr<Store>(std::move(*store));
#else
    return Status::FailedPrecondition(
        "this trellis was built without PostgreSQL support (configure with "
        "-DTRELLIS_WITH_POSTGRES=ON), so it cannot open " +
        location.substr(0, location.find(':')) + ":// URLs; use an SQLite file path");
#endif
  }
  SqliteStore::Options options;
  options.apply_migrations = apply_migrations;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(location, std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

std::string DisplayLocation(const std::string& location) {
  if (!IsPostgresUrl(location)) return location;
#ifdef TRELLIS_WITH_POSTGRES
  Result<postgres::ServerAddress> address = postgres::ParseServerAddress(location);
  if (address.ok()) return address->display;
#endif
  // Unparsable, or no libpq to parse with: keep only the scheme rather than risk a password.
  return location.substr(0, location.find("://") + 3) + "…";
}

}  // namespace trellis::storage
