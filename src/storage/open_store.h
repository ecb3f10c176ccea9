// storage/open_store.h — picks and opens a Store backend from a location string, so callers
// (the CLI, later the server) depend only on store.h. Thread-safe.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/store.h"

namespace trellis::storage {

// `location` is a file path (SQLite; created if missing) or a "postgres://" / "postgresql://" URL.
// The store is migrated to the current schema unless `apply_migrations` is false (then only
// `Migrate()` and the schema queries work until it is migrated — used by `trellis db migrate`).
// kFailedPrecondition for a PostgreSQL URL when this build has no PostgreSQL backend, or a
// database whose schema is newer than this build; otherwise as SqliteStore::Open or
// PostgresStore::Open (kInvalidArgument for a malformed URL, kUnavailable "cannot connect to
// postgres://USER@HOST:PORT/DB: …" for an unreachable server — never showing the password).
Result<std::unique_ptr<Store>> OpenStore(const std::string& location, bool apply_migrations = true);

// `location` as it may be printed or logged: a PostgreSQL URL without its password
// ("postgres://alice@db:5432/trellis"); a file path unchanged.
std::string DisplayLocation(const std::string& location);

}  // namespace trellis::storage
