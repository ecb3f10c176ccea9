// storage/plan_sql.h — the PlanStore written once in SQL both dialects accept, over a small
// backend seam: a Backend runs a function in one read or write transaction and hands it a
// Session that runs parameterised statements. sqlite/sqlite_plan_store.h and
// postgres/postgres_plan_store.h adapt their connection pools to it, so the two backends share
// every query, check and message (and pass tests/contract/plan_store_contract_test.cc alike).
// SQL here writes parameters as $1, $2 … (PostgreSQL's form; the SQLite adapter rewrites them
// to ?1, ?2 …), values travel as text (or NULL), and ordering is done in C++ so text sorts
// byte-wise on both. Thread-safety: as the Backend (both are safe from many threads).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/plan_store.h"

namespace trellis::storage::plan_sql {

using SqlValue = std::optional<std::string>;  // nullopt is SQL NULL
using SqlRow = std::vector<std::string>;      // column values as text; "" for NULL

// One open transaction. Not thread-safe; used only inside Backend::Read / Write.
class Session {
 public:
  virtual ~Session() = default;
  // Runs `sql` with `params` bound to $1, $2 …; returns its rows, each of the first `columns`
  // columns the SELECT names. `what` names the work in errors.
  virtual Result<std::vector<SqlRow>> Query(std::string_view sql,
                                            const std::vector<SqlValue>& params, int columns,
                                            std::string_view what) = 0;
  // Runs `sql` (no rows expected); returns how many rows it changed.
  virtual Result<int64_t> Exec(std::string_view sql, const std::vector<SqlValue>& params,
                               std::string_view what) = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Runs `fn` in one write transaction holding the write lock of `partnership_id` (SQLite: the
  // database's), committing when it returns OK and rolling back otherwise.
  virtual Status Write(std::string_view partnership_id, std::string_view what,
                       const std::function<Status(Session&)>& fn) = 0;
  // Runs `fn` in one read-only snapshot.
  virtual Status Read(std::string_view what, const std::function<Status(Session&)>& fn) = 0;
};

// The PlanStore over `backend`.
std::unique_ptr<PlanStore> MakeSqlPlanStore(std::unique_ptr<Backend> backend);

}  // namespace trellis::storage::plan_sql
