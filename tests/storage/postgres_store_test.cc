// Tests for storage/postgres/ specifics that the backend-neutral contract suite (tests/contract)
// does not cover: what a user sees for a bad URL or an unreachable server (never the password),
// the SQLSTATE → Status mapping, the schema_migrations record, refusing newer schemas, rolled
// back migrations, and several stores (as several processes would) migrating and saving the
// same framework at once. Tests that need a server run when TRELLIS_TEST_POSTGRES_URL is set and
// are skipped, saying so, when it is not.
#include <gtest/gtest.h>

#include "storage/open_store.h"

#ifdef TRELLIS_WITH_POSTGRES

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <thread>

#include "storage/postgres/postgres_db.h"
#include "storage/postgres/postgres_store.h"
#include "storage/postgres/scratch_schema.h"
#include "testing/framework_samples.h"

namespace trellis::storage {
namespace {

using postgres::ScratchSchema;
using testing::NumberedFramework;
using testing::SampleFramework;

// A loopback TCP port nothing listens on: bound to port 0, then released.
int UnusedPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof addr;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ADD_FAILURE() << "cannot bind a loopback socket";
  }
  close(fd);
  return ntohs(addr.sin_port);
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(PostgresStore, UnreachableServerIsUnavailableAndHidesThePassword) {
  const std::string port = std::to_string(UnusedPort());
  for (const std::string scheme : {"postgres", "postgresql"}) {
    auto store = OpenStore(scheme + "://alice:s3cr%40t-pw@127.0.0.1:" + port + "/trellis");
    ASSERT_FALSE(store.ok()) << scheme;
    EXPECT_EQ(store.status().code(), StatusCode::kUnavailable) << scheme;
    const std::string message = store.status().message();
    EXPECT_EQ(
        message.rfind("cannot connect to postgres://alice@127.0.0.1:" + port + "/trellis: ", 0), 0u)
        << message;
    EXPECT_TRUE(Contains(message, "Connection refused")) << message;
    EXPECT_FALSE(Contains(message, "s3cr")) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
}

TEST(PostgresStore, MalformedUrlIsInvalidArgumentAndHidesThePassword) {
  auto store = OpenStore("postgres://alice:s3cret-pw@127.0.0.1:5432/trellis?nosuchparam=1");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInvalidArgument);
  const std::string message = store.status().message();
  EXPECT_EQ(message.rfind("invalid PostgreSQL URL: ", 0), 0u) << message;
  EXPECT_TRUE(Contains(message, "nosuchparam")) << message;
  EXPECT_FALSE(Contains(message, "s3cret")) << message;
}

TEST(PostgresStore, DisplayedLocationsNeverShowThePassword) {
  struct Case {
    std::string location, shown;
  };
  const Case cases[] = {
      {"postgres://alice:pw@db.example:5433/trellis", "postgres://alice@db.example:5433/trellis"},
      {"postgresql://db.example/trellis?sslmode=require", "postgres://db.example/trellis"},
      {"postgres://alice:pw@/trellis?host=/run/postgresql",
       "postgres://alice@%2Frun%2Fpostgresql/trellis"},
      {"postgres://alice:pw@db:5432/trellis?nosuch=1", "postgres://…"},
      {"data/trellis.db", "data/trellis.db"},
  };
  for (const Case& c : cases) EXPECT_EQ(DisplayLocation(c.location), c.shown) << c.location;

  auto parsed = postgres::ParseServerAddress("host=db port=5 dbname=d user=u password=pw");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->display, "postgres://u@db:5/d");
  EXPECT_EQ(parsed->password, "pw");
}

TEST(PostgresStore, MapsSqlStatesToStatusCodes) {
  struct Case {
    const char* sqlstate;
    StatusCode code;
  };
  const Case cases[] = {
      {"23505", StatusCode::kAlreadyExists},   {"23503", StatusCode::kInvalidArgument},
      {"22001", StatusCode::kInvalidArgument}, {"40001", StatusCode::kUnavailable},
      {"40P01", StatusCode::kUnavailable},     {"55P03", StatusCode::kUnavailable},
      {"57014", StatusCode::kUnavailable},     {"08006", StatusCode::kUnavailable},
      {"53100", StatusCode::kUnavailable},     {"53300", StatusCode::kUnavailable},
      {"57P01", StatusCode::kUnavailable},     {"42501", StatusCode::kFailedPrecondition},
      {"42P01", StatusCode::kInternal},        {"42601", StatusCode::kInternal},
  };
  for (const Case& c : cases) {
    Status s = postgres::StatusFromSqlState(c.sqlstate, "the server's words", "postgres://u@h:5/d",
                                            "saving framework 'x'");
    EXPECT_EQ(s.code(), c.code) << c.sqlstate;
    EXPECT_EQ(s.message().rfind("postgres://u@h:5/d: saving framework 'x': the server's words", 0),
              0u)
        << s.message();
  }
}

// 2026-01-02T03:04:05Z, so stamps are predictable.
std::chrono::system_clock::time_point FixedTime() {
  return std::chrono::system_clock::from_time_t(1767323045);
}

std::vector<Migration> WithExtra(const std::string& name, const std::string& sql) {
  std::vector<Migration> list = EmbeddedMigrations();
  list.push_back({list.back().version + 1, name, sql});
  return list;
}

// Each test gets its own scratch schema on the configured server.
class PostgresServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("TRELLIS_TEST_POSTGRES_URL");
    if (url == nullptr || *url == '\0')
      GTEST_SKIP() << "TRELLIS_TEST_POSTGRES_URL is not set (see docs/storage.md)";
    auto schema = ScratchSchema::Create(url);
    ASSERT_TRUE(schema.ok()) << schema.status().ToString();
    schema_ = std::move(*schema);
  }
  Result<std::unique_ptr<PostgresStore>> Open(PostgresStore::Options options = {}) {
    return PostgresStore::Open(schema_->url(), std::move(options));
  }
  std::unique_ptr<ScratchSchema> schema_;  // outlives every store a test opens
};

TEST_F(PostgresServerTest, RecordsAppliedMigrationsWithTheirTime) {
  PostgresStore::Options options;
  options.now = FixedTime;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto applied = (*store)->ListAppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), EmbeddedMigrations().size());
  for (size_t i = 0; i < applied->size(); ++i) {
    EXPECT_EQ((*applied)[i].name, EmbeddedMigrations()[i].name);
    EXPECT_EQ((*applied)[i].applied_at, "2026-01-02T03:04:05Z");
  }
  auto info = (*store)->SaveFrameworkVersion(SampleFramework());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->created_at, "2026-01-02T03:04:05Z");
}

TEST_F(PostgresServerTest, WithoutAutoMigrationDataCallsAskForDbMigrate) {
  PostgresStore::Options options;
  options.apply_migrations = false;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), 0);
  auto got = (*store)->GetFramework("integrated-care", std::nullopt);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(got.status().message(), "run `trellis db migrate --db postgres://"))
      << got.status().message();
  auto applied = (*store)->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  EXPECT_EQ(applied->size(), EmbeddedMigrations().size());
  EXPECT_EQ((*store)->GetFramework("integrated-care", std::nullopt).status().code(),
            StatusCode::kNotFound);
}

TEST_F(PostgresServerTest, RefusesASchemaMigratedByANewerBuild) {
  {
    PostgresStore::Options newer_build;
    newer_build.migrations = WithExtra("9999_future", "CREATE TABLE future (x INTEGER)");
    auto store = Open(newer_build);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  auto store = Open();
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_TRUE(Contains(store.status().message(), "newer than this trellis knows"))
      << store.status().message();
}

TEST_F(PostgresServerTest, AFailingMigrationLeavesNothingBehindAndSaysWhere) {
  PostgresStore::Options broken;
  broken.migrations = WithExtra("9999_broken",
                                "CREATE TABLE half (x INTEGER);\n"
                                "CREATE TABLE oops (x INTEGER AUTOINCREMENT);\n");
  auto store = Open(broken);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
  const std::string message = store.status().message();
  EXPECT_TRUE(Contains(message, "applying schema migration 9999_broken: syntax error")) << message;
  EXPECT_TRUE(Contains(message, "at line 2")) << message;

  // DDL is transactional: the first statement was rolled back too.
  PostgresStore::Options fixed;
  fixed.migrations = WithExtra("9999_broken", "CREATE TABLE half (x INTEGER)");
  auto reopened = Open(fixed);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(*(*reopened)->SchemaVersion(), EmbeddedMigrations().back().version + 1);
}

// Four stores with their own pools stand for four trellis processes starting at once.
TEST_F(PostgresServerTest, ConcurrentMigratorsApplyEachMigrationOnce) {
  constexpr int kStores = 4;
  std::vector<std::unique_ptr<PostgresStore>> stores;
  for (int i = 0; i < kStores; ++i) {
    PostgresStore::Options options;
    options.apply_migrations = false;
    auto store = Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    stores.push_back(std::move(*store));
  }
  std::vector<Result<std::vector<AppliedMigration>>> results(kStores, Status::Internal("unset"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kStores; ++i)
    threads.emplace_back([&, i] { results[i] = stores[i]->Migrate(); });
  for (std::thread& t : threads) t.join();
  size_t total = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    total += r->size();
  }
  EXPECT_EQ(total, EmbeddedMigrations().size());
}

// Two "processes" race to save each next version of one code: exactly one wins each number,
// the other gets kAlreadyExists (never a constraint error), as with SQLite.
TEST_F(PostgresServerTest, RacingSavesOfOneVersionGiveAlreadyExists) {
  auto a = Open();
  auto b = Open();
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  for (int v = 1; v <= 10; ++v) {
    model::Framework f = NumberedFramework("raced", v);
    f.version = v;
    Result<FrameworkVersionInfo> ra = Status::Internal("unset");
    Result<FrameworkVersionInfo> rb = Status::Internal("unset");
    std::thread ta([&] { ra = (*a)->SaveFrameworkVersion(f); });
    std::thread tb([&] { rb = (*b)->SaveFrameworkVersion(f); });
    ta.join();
    tb.join();
    ASSERT_NE(ra.ok(), rb.ok()) << v << ": " << ra.status().ToString() << " / "
                                << rb.status().ToString();
    const Status loser = ra.ok() ? rb.status() : ra.status();
    EXPECT_EQ(loser.code(), StatusCode::kAlreadyExists) << loser.ToString();
    EXPECT_TRUE(Contains(loser.message(), "is already stored")) << loser.message();
  }
  auto versions = (*a)->ListFrameworkVersions("raced");
  ASSERT_TRUE(versions.ok()) << versions.status().ToString();
  EXPECT_EQ(versions->size(), 10u);
}

TEST_F(PostgresServerTest, MoreCallersThanConnectionsWaitTheirTurn) {
  PostgresStore::Options options;
  options.max_connections = 2;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_TRUE((*store)->SaveFrameworkVersion(SampleFramework()).ok());
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        if (!(*store)->GetFramework("integrated-care", std::nullopt).ok()) ++failures;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
}

TEST_F(PostgresServerTest, ALockHeldTooLongFailsWithUnavailableAfterTheTimeout) {
  PostgresStore::Options options;
  options.lock_timeout_ms = 100;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // Another session holds a lock the save needs.
  auto address = postgres::ParseServerAddress(schema_->url());
  ASSERT_TRUE(address.ok()) << address.status().ToString();
  auto other = postgres::Connection::Open(schema_->url(), *address, 5000);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ASSERT_TRUE((*other)->ExecScript("BEGIN; LOCK TABLE framework_versions", "locking").ok());

  auto saved = (*store)->SaveFrameworkVersion(SampleFramework());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(Contains(saved.status().message(),
                       ": saving framework 'integrated-care' version 1: canceling statement due "
                       "to lock timeout"))
      << saved.status().message();

  ASSERT_TRUE((*other)->ExecScript("ROLLBACK", "unlocking").ok());
  EXPECT_TRUE((*store)->SaveFrameworkVersion(SampleFramework()).ok());
}

TEST_F(PostgresServerTest, CodesSortByteWiseLikeSqlite) {
  auto store = Open();
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // A locale collation would put "a-z" and "a_z" or upper and lower case elsewhere.
  for (const std::string code : {"b", "a_z", "B", "a-z", "A"}) {
    model::Framework f = NumberedFramework(code, 1);
    f.version = 1;
    ASSERT_TRUE((*store)->SaveFrameworkVersion(f).ok()) << code;
  }
  auto list = (*store)->ListFrameworks();
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  std::vector<std::string> codes;
  for (const FrameworkSummary& s : *list) codes.push_back(s.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"A", "B", "a-z", "a_z", "b"}));
}

}  // namespace
}  // namespace trellis::storage

#else  // !TRELLIS_WITH_POSTGRES

namespace trellis::storage {
namespace {

TEST(PostgresStore, BuildsWithoutTheBackendRefusePostgresUrls) {
  auto store = OpenStore("postgres://alice:pw@127.0.0.1/trellis");
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find("TRELLIS_WITH_POSTGRES=ON"), std::string::npos);
  EXPECT_EQ(store.status().message().find("pw"), std::string::npos);
}

}  // namespace
}  // namespace trellis::storage

#endif  // TRELLIS_WITH_POSTGRES
