// service/audit_batcher_test.cc — group commit of audit entries on SQLite: concurrent appends
// are each stored once in fewer transactions than entries, a failed batch fails its callers,
// shutdown drains the queue then refuses.
#include "service/audit_batcher.h"

#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/sqlite/sqlite_db.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

class AuditBatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::SqliteStore>> store =
        storage::SqliteStore::Open((dir_.path() / "trellis.db").string());
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    Result<std::unique_ptr<storage::DirectoryStore>> directory =
        storage::OpenDirectoryStore(*store_);
    ASSERT_TRUE(directory.ok()) << directory.status().ToString();
    directory_ = std::move(*directory);
    ASSERT_TRUE(directory_->CreatePartnership({"ptn_a", "Alpha ICP", ""}, Created()).ok());
  }

  static storage::AuditEntry Entry(const std::string& partnership, const std::string& entity) {
    return {"",     partnership,  0, "2026-03-01T09:00:00Z", "acc_1", "report.viewed", "report",
            entity, "format=page"};
  }

  static storage::AuditEntry Created() {
    storage::AuditEntry e = Entry("ptn_a", "ptn_a");
    e.action = "partnership.created";
    return e;
  }

  // The entity ids of ptn_a's log but the partnership's creation.
  std::multiset<std::string> Logged() {
    Result<std::vector<storage::AuditEntry>> log = directory_->ListAudit("ptn_a", 0, 1000);
    EXPECT_TRUE(log.ok()) << log.status().ToString();
    std::multiset<std::string> out;
    if (log.ok())
      for (const storage::AuditEntry& e : *log)
        if (e.action == "report.viewed") out.insert(e.entity_id);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::DirectoryStore> directory_;
};

TEST_F(AuditBatcherTest, ConcurrentAppendsAreEachStoredOnceInFewerTransactions) {
  constexpr int kThreads = 32, kEach = 15;
  AuditBatcher batcher(*directory_);
  std::vector<std::thread> viewers;
  std::vector<int> failed(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    viewers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i)
        if (!batcher.Append(Entry("ptn_a", std::to_string(t) + "/" + std::to_string(i))).ok())
          ++failed[t];
    });
  }
  for (std::thread& v : viewers) v.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failed[t], 0) << "thread " << t;
  // Answered means stored: every entry is in the log, once, before Shutdown.
  const std::multiset<std::string> logged = Logged();
  ASSERT_EQ(logged.size(), static_cast<size_t>(kThreads * kEach));
  for (int t = 0; t < kThreads; ++t)
    for (int i = 0; i < kEach; ++i)
      EXPECT_EQ(logged.count(std::to_string(t) + "/" + std::to_string(i)), 1u);
  EXPECT_GE(batcher.batches(), 1u);
  EXPECT_LT(batcher.batches(), static_cast<size_t>(kThreads * kEach));
  // The log's sequence stays dense under group commit.
  Result<std::vector<storage::AuditEntry>> log = directory_->ListAudit("ptn_a", 0, 1000);
  ASSERT_TRUE(log.ok());
  for (size_t i = 0; i < log->size(); ++i)
    EXPECT_EQ((*log)[i].seq, static_cast<int64_t>(log->size() - i));
}

TEST_F(AuditBatcherTest, AFailedCommitFailsItsCallersAndStoresNothingOfIt) {
  AuditBatcher batcher(*directory_, {.max_batch = 1});
  EXPECT_EQ(batcher.Append(Entry("ptn_unknown", "c/1")).code(), StatusCode::kNotFound);
  storage::AuditEntry no_time = Entry("ptn_a", "c/2");
  no_time.at.clear();
  EXPECT_FALSE(batcher.Append(no_time).ok());
  EXPECT_TRUE(batcher.Append(Entry("ptn_a", "c/3")).ok());
  EXPECT_EQ(Logged(), std::multiset<std::string>{"c/3"});
}

TEST_F(AuditBatcherTest, ShutdownStoresWhatIsQueuedThenRefuses) {
  std::vector<std::future<Status>> answers;
  {
    AuditBatcher batcher(*directory_, {.max_batch = 4});
    // Another writer holds the database while the 50 are queued, so the writer thread's first
    // commit waits (the store's busy timeout) and the rest queue up behind it: batching does
    // not depend on how fast this thread enqueues.
    auto other = storage::sqlite::Connection::Open((dir_.path() / "trellis.db").string(), 1000);
    ASSERT_TRUE(other.ok()) << other.status().ToString();
    ASSERT_TRUE((*other)->Exec("BEGIN IMMEDIATE", "locking").ok());
    for (int i = 0; i < 50; ++i)
      answers.push_back(batcher.Enqueue(Entry("ptn_a", "e" + std::to_string(i))));
    ASSERT_TRUE((*other)->Exec("COMMIT", "unlocking").ok());
    batcher.Shutdown();
    // Everything queued before Shutdown was answered by the time it returned.
    for (auto& a : answers)
      EXPECT_EQ(a.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    const Status late = batcher.Append(Entry("ptn_a", "late"));
    EXPECT_EQ(late.code(), StatusCode::kUnavailable);
    EXPECT_NE(late.message().find("shutting down"), std::string::npos) << late.ToString();
    EXPECT_GE(batcher.batches(), 13u);  // 50 in batches of at most 4
    EXPECT_LE(batcher.batches(), 14u);  // at most the first alone, then full batches of 4
  }
  for (auto& a : answers) EXPECT_TRUE(a.get().ok());
  const std::multiset<std::string> logged = Logged();
  EXPECT_EQ(logged.size(), 50u);
  EXPECT_EQ(logged.count("late"), 0u);
}

}  // namespace
}  // namespace trellis::service
