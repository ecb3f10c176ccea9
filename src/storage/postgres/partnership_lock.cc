// storage/postgres/partnership_lock.cc — the per-partnership advisory write lock.
#include "storage/postgres/partnership_lock.h"

#include <cstdint>

#include "storage/postgres/postgres_db.h"

namespace trellis::storage::postgres {

namespace {

// Class 'trel' + 3 of the advisory lock (class, object) pairs; PostgresStore uses + 1 for
// migrations and + 2 for framework codes.
constexpr int32_t kPartnershipLockClass = 0x7472656C + 3;

// FNV-1a, so the key does not depend on a server function's hashing.
int32_t LockKey(std::string_view id) {
  uint32_t h = 2166136261u;
  for (unsigned char c : id) h = (h ^ c) * 16777619u;
  return static_cast<int32_t>(h);
}

}  // namespace

Status LockPartnership(Connection& conn, std::string_view partnership_id, std::string_view what) {
  Result<QueryResult> res = conn.Exec("SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                                      {kPartnershipLockClass, LockKey(partnership_id)}, what);
  return res.ok() ? Status::Ok() : res.status();
}

}  // namespace trellis::storage::postgres
