// The demo partnership behind `trellis demo`, seeded once into a real SQLite database with fixed
// clocks: its organisations, people and accounts, the campaign's response rate, that seeding
// again changes nothing, that the same seed gives the same answers, and that the reports built
// from it show what the demo is for — blind spots, hidden strengths, a suppressed group and a
// manager with the skill but not the room. Hashing uses reduced argon2 costs (a test option).
#include "service/demo_seed.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "testing/temp_dir.h"

namespace trellis::service {
namespace {

// A database with the demo seeded, and the services it was seeded with.
class DemoDatabase {
 public:
  // The campaign's clock stands at its opening; responses come in over the next three weeks.
  static constexpr char kOpening[] = "2026-03-02T09:00:00Z";
  static constexpr char kNow[] = "2026-03-23T17:00:00Z";

  explicit DemoDatabase(uint32_t seed = kDefaultDemoSeed) {
    store_ = std::move(*storage::SqliteStore::Open((dir_.path() / "demo.db").string()));
    directory_store_ = std::move(*storage::OpenDirectoryStore(*store_));
    campaign_store_ = std::move(*storage::OpenCampaignStore(*store_));
    const TimePoint opening = *ParseUtcText(kOpening);
    frameworks_ = std::make_unique<FrameworkService>(*store_);
    directory_ = std::make_unique<DirectoryService>(
        *directory_store_, DirectoryService::Options{[opening] { return opening; }});
    AuthService::Options auth;
    auth.opslimit = 1;
    auth.memlimit_bytes = 8192;
    auth.weak_hashing_for_tests = true;
    auth_ = std::make_unique<AuthService>(*directory_store_, auth);
    CampaignService::Options campaign;
    campaign.base_url = "https://demo.test";
    campaign.now = [opening] { return opening; };
    campaigns_ = std::make_unique<CampaignService>(*store_, *campaign_store_, *directory_store_,
                                                   nullptr, campaign);
    questionnaires_ = std::make_unique<QuestionnaireService>(*store_, *campaign_store_);
    options_.integrated_care_path =
        std::string(TRELLIS_SOURCE_DIR) + "/frameworks/integrated-care.json";
    options_.context_check_path =
        std::string(TRELLIS_SOURCE_DIR) + "/frameworks/context-check.json";
    options_.seed = seed;
    options_.now = *ParseUtcText(kNow);
  }

  Result<DemoSummary> Seed() {
    return SeedDemoPartnership({*frameworks_, *directory_, *auth_, *campaigns_, *questionnaires_},
                               options_);
  }

  // Every figure of the campaign, for the integrated-care framework or the context check.
  analytics::CampaignAnalysis Analyse(const DemoSummary& summary, bool context_check) {
    Result<storage::StoredFramework> f =
        frameworks_->Show(summary.campaign.framework_code, summary.campaign.framework_version);
    Result<storage::StoredFramework> c = frameworks_->Show("context-check", std::nullopt);
    EXPECT_TRUE(f.ok() && c.ok());
    Result<storage::CampaignRatings> ratings = campaign_store_->LoadRatings(
        summary.partnership.id, summary.campaign.id, f->framework, &c->framework);
    EXPECT_TRUE(ratings.ok()) << ratings.status().ToString();
    ratings_ = *ratings;
    analytics::AnalysisOptions options;
    options.min_group = summary.campaign.min_group;
    options.threads = 1;
    Result<analytics::CampaignAnalysis> a =
        context_check ? analytics::Analyse(c->framework, ratings_.context_check, {}, options)
                      : analytics::Analyse(f->framework, ratings_.competencies, {}, options);
    EXPECT_TRUE(a.ok()) << a.status().ToString();
    return *a;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::SqliteStore> store_;
  std::unique_ptr<storage::DirectoryStore> directory_store_;
  std::unique_ptr<storage::CampaignStore> campaign_store_;
  std::unique_ptr<FrameworkService> frameworks_;
  std::unique_ptr<DirectoryService> directory_;
  std::unique_ptr<AuthService> auth_;
  std::unique_ptr<CampaignService> campaigns_;
  std::unique_ptr<QuestionnaireService> questionnaires_;
  DemoSeedOptions options_;
  storage::CampaignRatings ratings_;  // of the last Analyse
};

// Seeding takes a few seconds, so the tests share one seeded database.
class DemoSeedTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    db_ = new DemoDatabase();
    Result<DemoSummary> summary = db_->Seed();
    ASSERT_TRUE(summary.ok()) << summary.status().ToString();
    summary_ = new DemoSummary(*summary);
  }
  static void TearDownTestSuite() {
    delete summary_;
    delete db_;
  }
  void SetUp() override { ASSERT_NE(summary_, nullptr) << "seeding failed"; }

  static DemoDatabase* db_;
  static DemoSummary* summary_;
};
DemoDatabase* DemoSeedTest::db_ = nullptr;
DemoSummary* DemoSeedTest::summary_ = nullptr;

TEST_F(DemoSeedTest, MakesSixOrganisationsAcrossSectorsAndFortyManagersAtBothLevels) {
  EXPECT_TRUE(summary_->created);
  EXPECT_EQ(summary_->partnership.name, "Riverside Integrated Care Partnership");
  ASSERT_EQ(summary_->organisations.size(), 6u);
  std::set<model::Sector> sectors;
  for (const model::Organisation& o : summary_->organisations) sectors.insert(o.sector);
  EXPECT_EQ(sectors.size(), 6u);
  EXPECT_TRUE(sectors.contains(model::Sector::kAcute));
  EXPECT_TRUE(sectors.contains(model::Sector::kPrimaryCare));
  EXPECT_TRUE(sectors.contains(model::Sector::kVoluntary));

  EXPECT_EQ(summary_->people, 40u);
  EXPECT_EQ(summary_->strategic, 12u);
  EXPECT_EQ(summary_->operational, 28u);
  Result<std::vector<storage::StoredPerson>> people =
      db_->directory_->ListPeople(summary_->partnership.id, {});
  ASSERT_TRUE(people.ok());
  std::map<model::Function, int> functions;
  std::set<std::string> heads;  // people without a line manager
  for (const storage::StoredPerson& p : *people) {
    functions[p.person.function] += 1;
    EXPECT_TRUE(p.person.email.ends_with(".example")) << p.person.email;
    if (p.person.line_manager_id.empty()) heads.insert(p.person.name);
  }
  EXPECT_GT(functions[model::Function::kGeneralist], 20);
  for (model::Function f :
       {model::Function::kClinical, model::Function::kHr, model::Function::kFinance,
        model::Function::kIt, model::Function::kData}) {
    EXPECT_GT(functions[f], 0) << model::FunctionName(f);
  }
  EXPECT_EQ(heads.size(), 6u);  // one head per organisation; everyone else has a line manager
}

TEST_F(DemoSeedTest, DemoAccountsSignInWithTheDemoPassword) {
  ASSERT_EQ(summary_->logins.size(), 3u);
  EXPECT_EQ(summary_->password, "trellis-demo-2026");
  EXPECT_EQ(summary_->logins[0].email, "admin@riverside.example");
  std::map<model::Role, int> roles;
  for (const DemoLogin& login : summary_->logins) {
    Result<SignedIn> in =
        db_->auth_->Login(login.email, summary_->password, *ParseUtcText(DemoDatabase::kNow));
    ASSERT_TRUE(in.ok()) << login.email << ": " << in.status().ToString();
    EXPECT_EQ(in->principal.role, login.role);
    EXPECT_EQ(in->principal.partnership_id, summary_->partnership.id);
    roles[login.role] += 1;
    if (login.role == model::Role::kMember) {
      // The member is a manager being assessed in the campaign.
      const std::vector<std::string>& subjects = summary_->campaign.subject_ids;
      EXPECT_NE(std::find(subjects.begin(), subjects.end(), in->principal.person_id),
                subjects.end());
    }
  }
  EXPECT_EQ(roles[model::Role::kAdmin], 1);
  EXPECT_EQ(roles[model::Role::kBoard], 1);
  EXPECT_EQ(roles[model::Role::kMember], 1);
  EXPECT_FALSE(
      db_->auth_
          ->Login("admin@riverside.example", "wrong password!", *ParseUtcText(DemoDatabase::kNow))
          .ok());
}

TEST_F(DemoSeedTest, CampaignHasTwentySubjectsAndMostRatersAnswered) {
  const model::Campaign& c = summary_->campaign;
  EXPECT_EQ(c.name, "Integrated leadership 360 \u2014 spring 2026");
  EXPECT_EQ(c.framework_code, "integrated-care");
  EXPECT_TRUE(c.context_check);
  EXPECT_EQ(c.state, model::CampaignState::kOpen);
  EXPECT_EQ(c.opens_on, "2026-03-02");
  EXPECT_EQ(c.closes_on, "2026-04-20");
  EXPECT_EQ(c.subject_ids.size(), 20u);
  EXPECT_EQ(summary_->responses.invited, summary_->responses.nominated);
  EXPECT_GE(summary_->responses.Rate(), 0.70);
  EXPECT_LE(summary_->responses.Rate(), 0.90);

  Result<std::vector<model::Nomination>> nominations =
      db_->campaigns_->Nominations(summary_->partnership.id, c.id);
  ASSERT_TRUE(nominations.ok());
  std::map<std::string, std::map<model::RaterGroup, int>> by_subject;
  int external = 0;
  for (const model::Nomination& n : *nominations) {
    by_subject[n.subject_id][n.group] += 1;
    if (n.rater_person_id.empty()) ++external;
  }
  EXPECT_GT(external, 20);
  ASSERT_EQ(by_subject.size(), 20u);
  int few_peers = 0;
  for (auto& [subject, groups] : by_subject) {
    EXPECT_EQ(groups[model::RaterGroup::kSelf], 1);
    EXPECT_EQ(groups[model::RaterGroup::kManager], 1);
    EXPECT_GE(groups[model::RaterGroup::kDirectReport], 2);
    EXPECT_LE(groups[model::RaterGroup::kDirectReport], 4);
    EXPECT_GE(groups[model::RaterGroup::kPartner], 1);
    EXPECT_LE(groups[model::RaterGroup::kPeer], 5);
    if (groups[model::RaterGroup::kPeer] < 3) ++few_peers;
  }
  EXPECT_EQ(few_peers, 2);
  EXPECT_FALSE(summary_->unanswered.empty());
  for (const Invitation& inv : summary_->unanswered)
    EXPECT_TRUE(inv.link.starts_with("https://demo.test/r/")) << inv.link;
}

TEST_F(DemoSeedTest, SeedingAgainChangesNothing) {
  Result<DemoSummary> again = db_->Seed();
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->partnership.id, summary_->partnership.id);
  EXPECT_EQ(again->organisations.size(), summary_->organisations.size());
  EXPECT_EQ(again->people, summary_->people);
  EXPECT_EQ(again->campaign.id, summary_->campaign.id);
  EXPECT_EQ(again->responses.nominated, summary_->responses.nominated);
  EXPECT_EQ(again->responses.submitted, summary_->responses.submitted);
  EXPECT_TRUE(again->unanswered.empty());
  Result<std::vector<model::Campaign>> campaigns = db_->campaigns_->List(summary_->partnership.id);
  ASSERT_TRUE(campaigns.ok());
  // The current (open) campaign and the released pilot before it, whose reports subjects read.
  ASSERT_EQ(campaigns->size(), 2u);
  int released = 0;
  for (const model::Campaign& c : *campaigns) {
    if (c.state != model::CampaignState::kReleased) continue;
    ++released;
    EXPECT_TRUE(c.name.starts_with("Pilot Integrated leadership 360")) << c.name;
    EXPECT_EQ(c.subject_ids.size(), 20u);
  }
  EXPECT_EQ(released, 1);
  Result<std::vector<storage::FrameworkSummary>> frameworks = db_->frameworks_->List();
  ASSERT_TRUE(frameworks.ok());
  ASSERT_EQ(frameworks->size(), 2u);
  for (const storage::FrameworkSummary& f : *frameworks) EXPECT_EQ(f.version_count, 1) << f.code;
}

TEST_F(DemoSeedTest, ReportsShowBlindSpotsHiddenStrengthsAndASuppressedGroup) {
  const analytics::CampaignAnalysis a = db_->Analyse(*summary_, /*context_check=*/false);
  const model::RatingSet& ratings = db_->ratings_.competencies;
  ASSERT_EQ(a.subject_count, 20u);
  ASSERT_EQ(a.sets[0].level, analytics::SetLevel::kOverall);
  int blind_spots = 0, hidden_strengths = 0, suppressed_peers = 0, shown = 0;
  for (size_t s = 0; s < a.subject_count; ++s) {
    const analytics::Aggregate& overall = a.At(s, 0);
    if (overall.flag == analytics::Flag::kBlindSpot) ++blind_spots;
    if (overall.flag == analytics::Flag::kHiddenStrength) ++hidden_strengths;
    if (!analytics::IsNull(overall.others_mean)) ++shown;
    bool has_peer_rows = false;
    for (uint32_t row = ratings.subject_begin[s]; row < ratings.subject_begin[s + 1]; ++row)
      has_peer_rows |= ratings.group[row] == model::RaterGroup::kPeer;
    if (has_peer_rows && !overall.GroupShown(analytics::ReportGroup::kPeer)) ++suppressed_peers;
  }
  // Overall, not just on one item: three subjects rate themselves well above others, three well
  // below; two have too few peers for the peer group to be shown.
  EXPECT_GE(blind_spots, 2);
  EXPECT_GE(hidden_strengths, 2);
  EXPECT_GE(suppressed_peers, 2);
  EXPECT_GE(shown, 18);
  // About 5% "not observed", and a few comments.
  EXPECT_GT(a.totals.not_observed, a.totals.ratings / 50);
  EXPECT_LT(a.totals.not_observed, a.totals.ratings / 10);
  EXPECT_GE(db_->ratings_.comments.size(), 20u);
  // Data is the partnership's weakest domain, relationships its strongest.
  std::map<std::string, double> domain_mean;
  for (size_t k = 0; k < a.sets.size(); ++k) {
    if (a.sets[k].level != analytics::SetLevel::kDomain) continue;
    double sum = 0;
    int n = 0;
    for (size_t s = 0; s < a.subject_count; ++s) {
      if (analytics::IsNull(a.At(s, k).others_mean)) continue;
      sum += a.At(s, k).others_mean;
      ++n;
    }
    domain_mean[a.sets[k].code] = sum / n;
  }
  EXPECT_LT(domain_mean["DAT"], domain_mean["REL"]);
}

TEST_F(DemoSeedTest, ContextCheckTellsSkillFromRoom) {
  const analytics::CampaignAnalysis competence = db_->Analyse(*summary_, false);
  const std::vector<std::string> subjects = db_->ratings_.competencies.subject_ids;
  const analytics::CampaignAnalysis context = db_->Analyse(*summary_, true);
  ASSERT_EQ(db_->ratings_.context_check.subject_ids, subjects);
  size_t capacity = 0;
  for (; capacity < context.sets.size(); ++capacity)
    if (context.sets[capacity].code == "CAP") break;
  ASSERT_LT(capacity, context.sets.size());
  // Subjects others rate as competent (≥ 3.5 overall) but who lack capacity (< 2.5).
  int skill_without_room = 0, skill_with_room = 0;
  for (size_t s = 0; s < subjects.size(); ++s) {
    const double skill = competence.At(s, 0).others_mean;
    const double room = context.At(s, capacity).others_mean;
    if (analytics::IsNull(skill) || analytics::IsNull(room) || skill < 3.5) continue;
    if (room < 2.5) ++skill_without_room;
    if (room >= 3.0) ++skill_with_room;
  }
  EXPECT_GE(skill_without_room, 1);
  EXPECT_GE(skill_with_room, 1);
}

TEST(DemoSeed, TheSameSeedGivesTheSameAnswers) {
  // Ids and link tokens differ between databases; the figures per subject name do not.
  auto figures = [](DemoDatabase& db) {
    Result<DemoSummary> summary = db.Seed();
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    std::map<std::string, std::string> out;
    if (!summary.ok()) return out;
    const analytics::CampaignAnalysis a = db.Analyse(*summary, false);
    Result<std::vector<storage::StoredPerson>> people =
        db.directory_->ListPeople(summary->partnership.id, {});
    std::map<std::string, std::string> names;
    for (const storage::StoredPerson& p : *people) names[p.person.id] = p.person.name;
    for (size_t s = 0; s < a.subject_count; ++s) {
      const analytics::Aggregate& g = a.At(s, 0);
      out[names[db.ratings_.competencies.subject_ids[s]]] = std::to_string(g.self) + " " +
                                                            std::to_string(g.others_mean) + " " +
                                                            std::to_string(g.others_n);
    }
    return out;
  };
  DemoDatabase one, two, other_seed(7);
  const std::map<std::string, std::string> first = figures(one);
  EXPECT_EQ(first.size(), 20u);
  EXPECT_EQ(figures(two), first);
  EXPECT_NE(figures(other_seed), first);
}

}  // namespace
}  // namespace trellis::service
