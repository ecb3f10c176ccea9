// storage/open_store.cc — chooses the Store backend for a location string.
#include "storage/open_store.h"

#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

Result<std::unique_ptr<Store>> OpenStore(const std::string& location, bool apply_migrations) {
  if (location.starts_with("postgres://") || location.starts_with("postgresql://")) {
    return Status::FailedPrecondition(
        "this trellis was built without PostgreSQL support (configure with "
        "-DTRELLIS_WITH_POSTGRES=ON), so it cannot open " +
        location.substr(0, location.find(':')) + ":// URLs; use an SQLite file path");
  }
  SqliteStore::Options options;
  options.apply_migrations = apply_migrations;
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(location, std::move(options));
  if (!store.ok()) return store.status();
  return std::unique_ptr<Store>(std::move(*store));
}

}  // namespace trellis::storage
