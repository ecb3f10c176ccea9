// Tests for storage/sqlite/sqlite_store.h specifics that the backend-neutral contract suite
// (tests/contract) does not cover: the connection settings actually in effect, the
// schema_migrations record, upgrades from older and refusal of newer schemas, and the messages
// a user sees when the file cannot be used.
#include "storage/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

#include "storage/sqlite/sqlite_db.h"
#include "testing/framework_samples.h"
#include "testing/temp_dir.h"

namespace trellis::storage {
namespace {

using testing::SampleFramework;
using testing::TempDir;

// 2026-01-02T03:04:05Z, so stamps are predictable.
std::chrono::system_clock::time_point FixedTime() {
  return std::chrono::system_clock::from_time_t(1767323045);
}

Migration FirstMigration() { return EmbeddedMigrations().front(); }

// The version a migration added by the next build would have.
int NextVersion() { return EmbeddedMigrations().back().version + 1; }

// This build's migrations plus one more, named "NNNN_suffix" with NNNN = NextVersion().
std::vector<Migration> WithExtra(const std::string& suffix, const std::string& sql) {
  std::vector<Migration> list = EmbeddedMigrations();
  char name[64];
  std::snprintf(name, sizeof name, "%04d_%s", NextVersion(), suffix.c_str());
  list.push_back({NextVersion(), name, sql});
  return list;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  std::string DbPath() const { return (dir_.path() / "trellis.db").string(); }
  Result<std::unique_ptr<SqliteStore>> Open(SqliteStore::Options options = {}) {
    return SqliteStore::Open(DbPath(), std::move(options));
  }
  TempDir dir_;
};

TEST_F(SqliteStoreTest, ConnectionSettingsAreInEffect) {
  SqliteStore::Options options;
  options.busy_timeout_ms = 1234;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  Result<SqliteSettings> settings = (*store)->Settings();
  ASSERT_TRUE(settings.ok()) << settings.status().ToString();
  EXPECT_EQ(settings->journal_mode, "wal");
  EXPECT_EQ(settings->synchronous, 2);  // FULL
  EXPECT_TRUE(settings->foreign_keys);
  EXPECT_EQ(settings->busy_timeout_ms, 1234);
}

TEST_F(SqliteStoreTest, RecordsAppliedMigrationsWithTheirTime) {
  SqliteStore::Options options;
  options.now = FixedTime;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto applied = (*store)->ListAppliedMigrations();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), EmbeddedMigrations().size());
  EXPECT_EQ((*applied)[0].version, 1);
  EXPECT_EQ((*applied)[0].name, "0001_frameworks");
  EXPECT_EQ((*applied)[0].applied_at, "2026-01-02T03:04:05Z");

  auto info = (*store)->SaveFrameworkVersion(SampleFramework());
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->created_at, "2026-01-02T03:04:05Z");
}

TEST_F(SqliteStoreTest, WithoutAutoMigrationDataCallsAskForDbMigrate) {
  SqliteStore::Options options;
  options.apply_migrations = false;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ(*(*store)->SchemaVersion(), 0);
  auto got = (*store)->GetFramework("integrated-care", std::nullopt);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(got.status().message().find("run `trellis db migrate"), std::string::npos)
      << got.status().message();

  auto applied = (*store)->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  ASSERT_EQ(applied->size(), EmbeddedMigrations().size());
  EXPECT_EQ((*applied)[0].name, "0001_frameworks");
  EXPECT_TRUE((*store)->Migrate()->empty());
  EXPECT_EQ((*store)->GetFramework("integrated-care", std::nullopt).status().code(),
            StatusCode::kNotFound);
}

TEST_F(SqliteStoreTest, AppliesOnlyNewMigrationsWhenABuildAddsOne) {
  {
    SqliteStore::Options old_build;
    old_build.migrations = std::vector<Migration>{FirstMigration()};
    auto store = Open(old_build);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    ASSERT_TRUE((*store)->SaveFrameworkVersion(SampleFramework()).ok());
  }
  SqliteStore::Options new_build;
  new_build.apply_migrations = false;
  new_build.migrations = WithExtra("notes", "CREATE TABLE notes (body TEXT NOT NULL)");
  auto store = Open(new_build);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto applied = (*store)->Migrate();
  ASSERT_TRUE(applied.ok()) << applied.status().ToString();
  // Every migration after the first: this build's later ones, then the new one.
  ASSERT_EQ(applied->size(), EmbeddedMigrations().size());
  EXPECT_EQ(applied->back().name, new_build.migrations->back().name);
  EXPECT_EQ(*(*store)->SchemaVersion(), NextVersion());
  auto got = (*store)->GetFramework("integrated-care", 1);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_TRUE(model::SameContent(got->framework, SampleFramework()));
}

TEST_F(SqliteStoreTest, RefusesADatabaseMigratedByANewerBuild) {
  {
    SqliteStore::Options newer_build;
    newer_build.migrations = WithExtra("future", "CREATE TABLE future (x INTEGER)");
    auto store = Open(newer_build);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
  }
  auto store = Open();
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store.status().message(),
            DbPath() + ": the database schema is at version " + std::to_string(NextVersion()) +
                ", newer than this trellis knows (up to " + std::to_string(NextVersion() - 1) +
                "): it was migrated by a newer trellis; use that version or upgrade");
}

TEST_F(SqliteStoreTest, AFailingMigrationLeavesNothingBehind) {
  SqliteStore::Options broken;
  broken.migrations =
      WithExtra("broken", "CREATE TABLE half (x INTEGER); CREATE TABLE oops (x NOSUCH(");
  auto store = Open(broken);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kInternal);
  EXPECT_NE(
      store.status().message().find("applying schema migration " + broken.migrations->back().name),
      std::string::npos)
      << store.status().message();

  // The first statement of the failed migration was rolled back too: applying a fixed
  // migration that creates the same table succeeds.
  SqliteStore::Options fixed;
  fixed.migrations = WithExtra("broken", "CREATE TABLE half (x INTEGER)");
  auto reopened = Open(fixed);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ(*(*reopened)->SchemaVersion(), NextVersion());
}

TEST_F(SqliteStoreTest, UnopenablePathsSayWhy) {
  const std::string missing_dir = (dir_.path() / "no-such-dir" / "trellis.db").string();
  auto store = SqliteStore::Open(missing_dir);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(store.status().message().rfind("cannot open " + missing_dir + ": ", 0), 0u)
      << store.status().message();
  EXPECT_NE(store.status().message().find("directory exists"), std::string::npos);

  auto directory = SqliteStore::Open(dir_.path().string());
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(directory.status().message().rfind("cannot open " + dir_.path().string(), 0), 0u)
      << directory.status().message();
}

TEST_F(SqliteStoreTest, AFileThatIsNotADatabaseIsRefused) {
  std::ofstream(DbPath()) << std::string(4096, 'x');
  auto store = Open();
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(store.status().message().find(DbPath() + ": not an SQLite database"), std::string::npos)
      << store.status().message();
}

TEST_F(SqliteStoreTest, ALockedDatabaseFailsWithUnavailableAfterTheTimeout) {
  SqliteStore::Options options;
  options.busy_timeout_ms = 100;
  auto store = Open(options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  // Another writer holds the write lock.
  auto other = sqlite::Connection::Open(DbPath(), 100);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  ASSERT_TRUE((*other)->Exec("BEGIN IMMEDIATE", "locking").ok());

  auto saved = (*store)->SaveFrameworkVersion(SampleFramework());
  ASSERT_FALSE(saved.ok());
  EXPECT_EQ(saved.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(saved.status().message().rfind(DbPath() + ": database is locked while saving "
                                                      "framework 'integrated-care' version 1",
                                           0),
            0u)
      << saved.status().message();
  // Readers are not blocked by a writer in WAL mode.
  EXPECT_TRUE((*store)->ListFrameworks().ok());

  ASSERT_TRUE((*other)->Exec("ROLLBACK", "unlocking").ok());
  EXPECT_TRUE((*store)->SaveFrameworkVersion(SampleFramework()).ok());
}

}  // namespace
}  // namespace trellis::storage
