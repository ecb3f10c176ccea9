// contract/store_fixture.h — the fixture the contract tests of the stores built on one Store
// share: a fresh instance of the backend under test (GetParam()), the Store opened on it and
// the directory, campaign, plan and report-share stores opened on that Store. A derived
// fixture's SetUp calls this one, returns when it skipped or failed, then seeds its data.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "contract/store_backends.h"
#include "core/status.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/plan_store.h"
#include "storage/report_share_store.h"
#include "storage/store.h"

namespace trellis::testing {

// When the suites' seeded rows were made.
inline constexpr const char* kSeedAt = "2026-03-01T09:00:00Z";

class StoreFixture : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    instance_ = GetParam().create();
    if (instance_ == nullptr) GTEST_SKIP() << GetParam().name << " is not configured here";
    Result<std::unique_ptr<storage::Store>> store = instance_->Open();
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    Take(storage::OpenDirectoryStore(*store_), directory_);
    Take(storage::OpenCampaignStore(*store_), campaigns_);
    Take(storage::OpenPlanStore(*store_), plans_);
    Take(storage::OpenReportShareStore(*store_), shares_);
  }

  // The audit entry the suites' seeding writes: `action` in `partnership`, by "cli", at kSeedAt.
  static storage::AuditEntry SeedAudit(const std::string& partnership,
                                       const std::string& action = "seed") {
    storage::AuditEntry a;
    a.partnership_id = partnership;
    a.at = kSeedAt;
    a.actor = "cli";
    a.action = action;
    a.entity_type = "partnership";
    a.entity_id = partnership;
    a.detail = "test";
    return a;
  }

  // True when SetUp skipped the test (backend not configured) or failed.
  bool NotReady() const { return IsSkipped() || HasFatalFailure(); }

  std::unique_ptr<BackendInstance> instance_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<storage::DirectoryStore> directory_;
  std::unique_ptr<storage::CampaignStore> campaigns_;
  std::unique_ptr<storage::PlanStore> plans_;
  std::unique_ptr<storage::ReportShareStore> shares_;

 private:
  template <typename T>
  static void Take(Result<std::unique_ptr<T>> opened, std::unique_ptr<T>& into) {
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    into = std::move(*opened);
  }
};

}  // namespace trellis::testing
