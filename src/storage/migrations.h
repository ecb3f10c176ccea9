// storage/migrations.h — the numbered schema migrations every Store backend applies, embedded
// into the binary at build time from storage/migrations/NNNN_name.sql (see
// migrations/embed_migrations.cmake). The SQL is kept portable between SQLite and PostgreSQL.
// Invariant: versions are unique and ascending; an applied migration is never edited — a
// schema change is a new file. Immutable after static initialisation; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace trellis::storage {

struct Migration {
  int version = 0;   // NNNN of the file name, ≥ 1
  std::string name;  // file stem, e.g. "0001_frameworks"
  std::string sql;   // one or more statements, applied in one transaction
};

// Every migration this build knows, in ascending version order.
const std::vector<Migration>& EmbeddedMigrations();

}  // namespace trellis::storage
