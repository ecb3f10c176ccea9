// The ReportShareStore contract on every backend of Backends(): a share round-trips, is listed
// for the report and for the account, is refused twice (kAlreadyExists) or for a subject,
// campaign or account outside the partnership (kNotFound), and a revoke removes it.
#include <gtest/gtest.h>

#include "contract/store_fixture.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/report_share_store.h"
#include "testing/framework_samples.h"

namespace trellis::testing {
namespace {

using storage::ReportShare;

constexpr const char* kP1 = "prt_one";
constexpr const char* kP2 = "prt_two";
constexpr const char* kAt = kSeedAt;

class ReportShareStoreContractTest : public StoreFixture {
 protected:
  void SetUp() override {
    StoreFixture::SetUp();
    if (NotReady()) return;
    Seed();
  }

  void Seed() {
    for (const char* p : {kP1, kP2}) {
      ASSERT_TRUE(
          directory_->CreatePartnership({p, std::string("Partnership ") + p, kAt}, SeedAudit(p))
              .ok());
    }
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_a", kP1, "Acute", model::Sector::kAcute}, SeedAudit(kP1))
            .ok());
    ASSERT_TRUE(
        directory_->AddOrganisation({"org_x", kP2, "Other", model::Sector::kOther}, SeedAudit(kP2))
            .ok());
    storage::PeopleChanges one, two;
    for (const char* id : {"ada", "bob"})
      one.added.push_back({id, kP1, "org_a", std::string(id) + " name",
                           std::string(id) + "@example.org", model::Level::kOperational,
                           model::Function::kGeneralist, ""});
    two.added.push_back({"eve", kP2, "org_x", "Eve", "eve@example.org", model::Level::kOperational,
                         model::Function::kGeneralist, ""});
    ASSERT_TRUE(directory_->SavePeople(kP1, one, {SeedAudit(kP1)}).ok());
    ASSERT_TRUE(directory_->SavePeople(kP2, two, {SeedAudit(kP2)}).ok());
    for (auto [id, partnership, email] : {std::tuple{"acc_coach", kP1, "coach@example.org"},
                                          std::tuple{"acc_boss", kP1, "boss@example.org"},
                                          std::tuple{"acc_eve", kP2, "eve-account@example.org"}}) {
      model::Account a{id, partnership, email, "Name", model::Role::kMember, ""};
      ASSERT_TRUE(directory_->CreateAccount(a, "hash", SeedAudit(partnership)).ok());
    }
    ASSERT_TRUE(store_->SaveFrameworkVersion(SampleFramework()).ok());
    for (auto [id, partnership, subject] :
         {std::tuple{"c1", kP1, "ada"}, std::tuple{"c2", kP1, "bob"},
          std::tuple{"cx", kP2, "eve"}}) {
      model::Campaign c;
      c.id = id;
      c.partnership_id = partnership;
      c.name = id;
      c.framework_code = "integrated-care";
      c.framework_version = 1;
      c.opens_on = "2026-03-01";
      c.closes_on = "2026-03-31";
      c.context_check = false;
      c.created_at = kAt;
      ASSERT_TRUE(campaigns_->CreateCampaign(c).ok());
      ASSERT_TRUE(campaigns_->AddSubjects(partnership, id, {subject}).ok());
    }
  }
};

TEST_P(ReportShareStoreContractTest, ShareListRevoke) {
  ASSERT_TRUE(shares_->AddShare({kP1, "c1", "ada", "acc_coach", "2026-04-02T10:00:00Z"}).ok());
  ASSERT_TRUE(shares_->AddShare({kP1, "c1", "ada", "acc_boss", "2026-04-01T10:00:00Z"}).ok());
  ASSERT_TRUE(shares_->AddShare({kP1, "c2", "bob", "acc_coach", "2026-04-03T10:00:00Z"}).ok());

  auto of_report = shares_->SharesOfReport(kP1, "c1", "ada");
  ASSERT_TRUE(of_report.ok()) << of_report.status().ToString();
  ASSERT_EQ(of_report->size(), 2u);
  EXPECT_EQ((*of_report)[0].account_id, "acc_boss");  // by shared_at
  EXPECT_EQ((*of_report)[0].shared_at, "2026-04-01T10:00:00Z");
  EXPECT_EQ((*of_report)[1].account_id, "acc_coach");
  EXPECT_EQ((*of_report)[1].partnership_id, kP1);

  auto with_coach = shares_->SharesWithAccount(kP1, "acc_coach");
  ASSERT_TRUE(with_coach.ok());
  ASSERT_EQ(with_coach->size(), 2u);
  EXPECT_EQ((*with_coach)[0].campaign_id, "c1");
  EXPECT_EQ((*with_coach)[1].subject_id, "bob");

  Status again = shares_->AddShare({kP1, "c1", "ada", "acc_coach", "2026-04-05T10:00:00Z"});
  EXPECT_EQ(again.code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.message(),
            "the report of 'ada' in campaign 'c1' is already shared with account 'acc_coach'");

  ASSERT_TRUE(shares_->RemoveShare(kP1, "c1", "ada", "acc_coach").ok());
  Status twice = shares_->RemoveShare(kP1, "c1", "ada", "acc_coach");
  EXPECT_EQ(twice.code(), StatusCode::kNotFound);
  EXPECT_EQ(twice.message(),
            "the report of 'ada' in campaign 'c1' is not shared with account 'acc_coach'");
  auto left = shares_->SharesOfReport(kP1, "c1", "ada");
  ASSERT_TRUE(left.ok());
  ASSERT_EQ(left->size(), 1u);
  EXPECT_EQ((*left)[0].account_id, "acc_boss");
}

TEST_P(ReportShareStoreContractTest, NothingCrossesPartnerships) {
  // Not a subject of c1; another partnership's account, campaign or subject.
  EXPECT_EQ(shares_->AddShare({kP1, "c1", "bob", "acc_coach", kAt}).code(), StatusCode::kNotFound);
  EXPECT_EQ(shares_->AddShare({kP1, "c1", "ada", "acc_eve", kAt}).code(), StatusCode::kNotFound);
  EXPECT_EQ(shares_->AddShare({kP1, "cx", "eve", "acc_coach", kAt}).code(), StatusCode::kNotFound);
  EXPECT_EQ(shares_->AddShare({kP2, "c1", "ada", "acc_coach", kAt}).code(), StatusCode::kNotFound);
  ASSERT_TRUE(shares_->AddShare({kP1, "c1", "ada", "acc_coach", kAt}).ok());
  auto other = shares_->SharesOfReport(kP2, "c1", "ada");
  ASSERT_TRUE(other.ok());
  EXPECT_TRUE(other->empty());
  auto for_other = shares_->SharesWithAccount(kP2, "acc_coach");
  ASSERT_TRUE(for_other.ok());
  EXPECT_TRUE(for_other->empty());
  EXPECT_EQ(shares_->RemoveShare(kP2, "c1", "ada", "acc_coach").code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, ReportShareStoreContractTest, ::testing::ValuesIn(Backends()),
                         [](const ::testing::TestParamInfo<Backend>& info) {
                           return info.param.name;
                         });

}  // namespace
}  // namespace trellis::testing
