// contract/store_backends.h — the Store backends the contract suite runs against. Each gives
// a test a fresh, empty place for its data and opens stores on it (again and again, to test
// reopening). Adding a backend (PostgreSQL) is one line in Backends() plus its instance class.
#pragma once

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "testing/temp_dir.h"

namespace trellis::testing {

// One test's data on one backend. Open() may be called many times; every store it returns
// sees the same data. The destructor removes the data.
class BackendInstance {
 public:
  virtual ~BackendInstance() = default;
  virtual Result<std::unique_ptr<storage::Store>> Open() = 0;
};

struct Backend {
  std::string name;
  // Returns nullptr when the backend is not available here (e.g. no server configured); the
  // tests are then skipped.
  std::function<std::unique_ptr<BackendInstance>()> create;
};

inline void PrintTo(const Backend& backend, std::ostream* os) { *os << backend.name; }

class SqliteInstance : public BackendInstance {
 public:
  Result<std::unique_ptr<storage::Store>> Open() override {
    Result<std::unique_ptr<storage::SqliteStore>> store =
        storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    if (!store.ok()) return store.status();
    return std::unique_ptr<storage::Store>(std::move(*store));
  }

 private:
  TempDir dir_;
};

inline std::vector<Backend> Backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteInstance>(); }},
  };
}

}  // namespace trellis::testing
