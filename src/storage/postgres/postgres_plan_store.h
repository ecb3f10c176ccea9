// storage/postgres/postgres_plan_store.h — the PlanStore on PostgreSQL: the tables of
// migrations/0006_development_plans.sql in the schema of a PostgresStore, borrowing that
// store's connection pool (PostgresStore::WithConnection). The queries live in
// storage/plan_sql.cc (shared with SQLite); this adapter runs them, writes under the
// partnership's advisory write lock (partnership_lock.h), reads in one REPEATABLE READ
// snapshot. Thread-safe: holds no mutable state.
#pragma once

#include <memory>

#include "storage/plan_store.h"
#include "storage/postgres/postgres_store.h"

namespace trellis::storage {

// The PlanStore on `store`'s database; `store` must outlive it.
std::unique_ptr<PlanStore> MakePostgresPlanStore(PostgresStore& store);

}  // namespace trellis::storage
