// contract/store_backends.h — the Store backends the contract suite runs against. Each gives
// a test a fresh, empty place for its data and opens stores on it (again and again, to test
// reopening). Adding a backend is one line in Backends() plus its instance class.
// PostgreSQL runs when TRELLIS_TEST_POSTGRES_URL names a server (each test in its own scratch
// schema, dropped afterwards) and is skipped, saying so, when it does not.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/status.h"
#include "storage/open_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"
#include "testing/temp_dir.h"
#ifdef TRELLIS_WITH_POSTGRES
#include "storage/postgres/scratch_schema.h"
#endif

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

// One scratch schema on the server named by TRELLIS_TEST_POSTGRES_URL, opened through
// OpenStore as a user's URL would be.
class PostgresInstance : public BackendInstance {
 public:
  // nullptr (the test is skipped, with the reason) when no server is configured or the build
  // has no PostgreSQL backend. A configured server that cannot be used fails the test.
  static std::unique_ptr<BackendInstance> Create() {
    const char* url = std::getenv("TRELLIS_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0') {
      Skip(
          "TRELLIS_TEST_POSTGRES_URL is not set; set it to a server URL such as "
          "postgres://postgres@127.0.0.1:54329/trellis_test to run against PostgreSQL "
          "(docs/storage.md)");
      return nullptr;
    }
#ifdef TRELLIS_WITH_POSTGRES
    return std::unique_ptr<BackendInstance>(new PostgresInstance(url));
#else
    Skip("this build has no PostgreSQL backend (configure with -DTRELLIS_WITH_POSTGRES=ON)");
    return nullptr;
#endif
  }

  Result<std::unique_ptr<storage::Store>> Open() override {
#ifdef TRELLIS_WITH_POSTGRES
    if (!schema_.ok()) return schema_.status();
    return storage::OpenStore((*schema_)->url());
#else
    return Status::FailedPrecondition("no PostgreSQL backend");
#endif
  }

 private:
  // Records the reason as a skip of the current test; the caller then returns nullptr.
  static void Skip(const std::string& reason) { GTEST_SKIP() << reason; }

#ifdef TRELLIS_WITH_POSTGRES
  explicit PostgresInstance(const std::string& url)
      : schema_(storage::postgres::ScratchSchema::Create(url)) {}
  Result<std::unique_ptr<storage::postgres::ScratchSchema>> schema_;
#endif
};

inline std::vector<Backend> Backends() {
  return {
      {"sqlite", [] { return std::make_unique<SqliteInstance>(); }},
      {"postgres", PostgresInstance::Create},
  };
}

}  // namespace trellis::testing
