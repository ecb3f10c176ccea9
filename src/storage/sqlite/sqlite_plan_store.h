// storage/sqlite/sqlite_plan_store.h — the PlanStore on SQLite: the tables of
// migrations/0006_development_plans.sql in the same database file as a SqliteStore, borrowing
// that store's connection pool (SqliteStore::WithConnection). The queries live in
// storage/plan_sql.cc; this adapter runs them (writes under BEGIN IMMEDIATE, reads in one
// snapshot). Thread-safe: holds no mutable state.
#pragma once

#include <memory>

#include "storage/plan_store.h"
#include "storage/sqlite/sqlite_store.h"

namespace trellis::storage {

// The PlanStore on `store`'s database; `store` must outlive it.
std::unique_ptr<PlanStore> MakeSqlitePlanStore(SqliteStore& store);

}  // namespace trellis::storage
