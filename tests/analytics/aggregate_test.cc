// Tests for analytics/aggregate.h: every rule of DESIGN.md "Analysis semantics" on small
// campaigns whose expected figures are worked out by hand in the comments.
#include "analytics/aggregate.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "analytics/campaign_builder.h"
#include "core/page_pool.h"

namespace trellis::analytics {
namespace {

using model::RaterGroup;
using testing::CampaignBuilder;
using testing::SmallFramework;

const std::vector<std::string> kAll = {"I1", "I2", "I3", "I4", "I5"};

CampaignAnalysis RunAnalysis(const model::Framework& f, const model::RatingSet& set,
                             int min_group = 3,
                             std::vector<const model::RoleProfile*> profiles = {},
                             int threads = 1) {
  AnalysisOptions options;
  options.min_group = min_group;
  options.threads = threads;
  Result<CampaignAnalysis> a = Analyse(f, set, profiles, options);
  EXPECT_TRUE(a.ok()) << a.status().ToString();
  return a.ok() ? std::move(*a) : CampaignAnalysis{};
}

size_t SetIndex(const CampaignAnalysis& a, const std::string& code) {
  for (size_t k = 0; k < a.sets.size(); ++k)
    if (a.sets[k].code == code) return k;
  ADD_FAILURE() << "no set " << code;
  return 0;
}

size_t SubjectIndex(const model::RatingSet& set, const std::string& subject) {
  size_t s = 0;
  while (s < set.subject_ids.size() && set.subject_ids[s] != subject) ++s;
  EXPECT_LT(s, set.subject_ids.size()) << subject;
  return s;
}

// The aggregate of the subject with id `subject` ("" code = overall).
const Aggregate& Agg(const CampaignAnalysis& a, const model::RatingSet& set,
                     const std::string& subject, const std::string& code = "") {
  return a.At(SubjectIndex(set, subject), SetIndex(a, code));
}

// Its percentile (rule 7).
double Pct(const CampaignAnalysis& a, const model::RatingSet& set, const std::string& subject,
           const std::string& code = "") {
  return a.Percentile(SubjectIndex(set, subject), SetIndex(a, code));
}

int GroupN(const Aggregate& a, ReportGroup g) { return a.group_n[static_cast<int>(g)]; }
double GroupMean(const Aggregate& a, ReportGroup g) { return a.group_mean[static_cast<int>(g)]; }

TEST(ItemSets, OverallDomainsCompetenciesItemsInDocumentOrder) {
  std::vector<ItemSet> sets = ItemSetsOf(SmallFramework());
  ASSERT_EQ(sets.size(), 11u);
  EXPECT_EQ(sets[0].level, SetLevel::kOverall);
  EXPECT_EQ(sets[0].end_item, 5u);
  EXPECT_EQ(sets[1].code, "D1");
  EXPECT_EQ(sets[1].end_item, 3u);
  EXPECT_EQ(sets[2].code, "D2");
  EXPECT_EQ(sets[2].first_item, 3u);
  EXPECT_EQ(sets[3].code, "C1");
  EXPECT_EQ(sets[5].code, "C3");
  EXPECT_EQ(sets[6].code, "I1");
  EXPECT_EQ(sets[10].code, "I5");
}

TEST(Analyse, SelfNullWithoutSelfRaterAndOthersMeanNeedsAnonymousRaters) {
  model::Framework f = SmallFramework();
  // A manager (4s) and two peers (2s): others.n = 3 but only 2 anonymous < min_group 3.
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "M", RaterGroup::kManager, kAll, {4, 4, 4, 4, 4})
                             .Rate("S1", "P1", RaterGroup::kPeer, kAll, {2, 2, 2, 2, 2})
                             .Rate("S1", "P2", RaterGroup::kPeer, kAll, {2, 2, 2, 2, 2})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_TRUE(IsNull(o.self));
  EXPECT_EQ(o.others_n, 3u);
  EXPECT_TRUE(IsNull(o.others_mean));
  EXPECT_EQ(GroupN(o, ReportGroup::kManager), 1);  // the manager is always shown
  EXPECT_EQ(GroupMean(o, ReportGroup::kManager), 4.0);
  EXPECT_EQ(GroupN(o, ReportGroup::kPeer), 0);
  EXPECT_EQ(GroupN(o, ReportGroup::kCombined), 0);  // 2 < 3: not shown
  EXPECT_TRUE(IsNull(o.gap));
  EXPECT_EQ(o.flag, Flag::kNone);
  EXPECT_TRUE(IsNull(o.rwg));              // only where others.mean is shown
  EXPECT_TRUE(IsNull(Pct(a, set, "S1")));  // likewise
}

TEST(Analyse, ManagerAloneNeverMakesAMeanPublic) {
  model::Framework f = SmallFramework();
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "S1", RaterGroup::kSelf, kAll, {3, 3, 3, 3, 3})
                             .Rate("S1", "M", RaterGroup::kManager, kAll, {5, 5, 5, 5, 5})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set, /*min_group=*/1);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_EQ(o.self, 3.0);
  EXPECT_EQ(o.others_n, 1u);
  EXPECT_TRUE(IsNull(o.others_mean));  // 0 anonymous raters < 1
  EXPECT_EQ(GroupN(o, ReportGroup::kManager), 1);
  EXPECT_TRUE(IsNull(o.gap));
}

TEST(Analyse, RaterScoreIsMeanOfOwnScoresAndRatersWeighTheSame) {
  model::Framework f = SmallFramework();
  // P1 scores only I1 (5); P2 scores all five items 1. Overall: P1 5, P2 1 → mean 3 (not the
  // pooled 9/6). Self: 2, 4, not observed → 3. Not observed never counts.
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "S1", RaterGroup::kSelf, {"I1", "I2", "I3"}, {2, 4, 0})
                             .Rate("S1", "P1", RaterGroup::kPeer, {"I1"}, {5})
                             .Rate("S1", "P2", RaterGroup::kPeer, kAll, {1, 1, 1, 1, 1})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set, /*min_group=*/2);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_EQ(o.self, 3.0);
  EXPECT_EQ(o.others_mean, 3.0);
  EXPECT_EQ(o.others_n, 2u);
  EXPECT_EQ(o.gap, 0.0);
  // C2 = {I3}: self did not observe it → self null; P1 has no score → only P2 counts, and one
  // anonymous rater < 2 hides the mean.
  const Aggregate& c2 = Agg(a, set, "S1", "C2");
  EXPECT_TRUE(IsNull(c2.self));
  EXPECT_EQ(c2.others_n, 1u);
  EXPECT_TRUE(IsNull(c2.others_mean));
  // Item I1: both peers.
  const Aggregate& i1 = Agg(a, set, "S1", "I1");
  EXPECT_EQ(i1.others_mean, 3.0);
  EXPECT_EQ(GroupN(i1, ReportGroup::kPeer), 2);
}

TEST(Analyse, SmallGroupsFormCombinedAndTieMergesTheLaterGroup) {
  model::Framework f = SmallFramework();
  // min_group 3: peers 3 (5s), direct reports 3 (1s), one partner (3). The partner alone
  // would be a combined of 1, so the smallest shown group joins it; peer and direct_report tie
  // at 3 and the later in the order (direct_report) is merged: combined = 3 DR + partner = 4,
  // mean (1+1+1+3)/4 = 1.5. Peers stay shown.
  CampaignBuilder b(f);
  for (const char* p : {"P1", "P2", "P3"}) b.Rate("S1", p, RaterGroup::kPeer, {"I1"}, {5});
  for (const char* d : {"D1", "D2", "D3"}) b.Rate("S1", d, RaterGroup::kDirectReport, {"I1"}, {1});
  b.Rate("S1", "X1", RaterGroup::kPartner, {"I1"}, {3});
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_EQ(GroupN(o, ReportGroup::kPeer), 3);
  EXPECT_EQ(GroupMean(o, ReportGroup::kPeer), 5.0);
  EXPECT_EQ(GroupN(o, ReportGroup::kDirectReport), 0);
  EXPECT_EQ(GroupN(o, ReportGroup::kPartner), 0);
  EXPECT_EQ(GroupN(o, ReportGroup::kCombined), 4);
  EXPECT_EQ(GroupMean(o, ReportGroup::kCombined), 1.5);
  EXPECT_EQ(o.others_n, 7u);
  EXPECT_EQ(o.others_mean, 3.0);  // (15 + 3 + 3) / 7
}

TEST(Analyse, MergesTheSmallestShownGroupFirst) {
  model::Framework f = SmallFramework();
  // min_group 3: peers 4, direct reports 3, other 1 → combined {other} too small → the smaller
  // shown group (direct_report, 3) joins: combined 4; peers (4) stay.
  CampaignBuilder b(f);
  for (const char* p : {"P1", "P2", "P3", "P4"}) b.Rate("S1", p, RaterGroup::kPeer, {"I1"}, {4});
  for (const char* d : {"D1", "D2", "D3"}) b.Rate("S1", d, RaterGroup::kDirectReport, {"I1"}, {2});
  b.Rate("S1", "O1", RaterGroup::kOther, {"I1"}, {2});
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_EQ(GroupN(o, ReportGroup::kPeer), 4);
  EXPECT_EQ(GroupN(o, ReportGroup::kDirectReport), 0);
  EXPECT_EQ(GroupN(o, ReportGroup::kCombined), 4);
  EXPECT_EQ(GroupMean(o, ReportGroup::kCombined), 2.0);
}

TEST(Analyse, CombinedStillTooSmallIsHidden) {
  model::Framework f = SmallFramework();
  // min_group 3: a manager, one peer, one community member. No anonymous group is shown, so
  // nothing can be merged; combined (2) stays hidden and so does others.mean.
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "M", RaterGroup::kManager, {"I1"}, {4})
                             .Rate("S1", "P1", RaterGroup::kPeer, {"I1"}, {2})
                             .Rate("S1", "C1", RaterGroup::kCommunity, {"I1"}, {3})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  const Aggregate& o = Agg(a, set, "S1");
  EXPECT_EQ(GroupN(o, ReportGroup::kManager), 1);
  EXPECT_EQ(GroupN(o, ReportGroup::kCombined), 0);
  EXPECT_EQ(GroupN(o, ReportGroup::kPeer), 0);
  EXPECT_TRUE(IsNull(o.others_mean));
  // Two small groups that together reach min_group form a shown combined.
  model::RatingSet set2 = CampaignBuilder(f)
                              .Rate("S1", "P1", RaterGroup::kPeer, {"I1"}, {2})
                              .Rate("S1", "P2", RaterGroup::kPeer, {"I1"}, {2})
                              .Rate("S1", "C1", RaterGroup::kCommunity, {"I1"}, {5})
                              .Build();
  CampaignAnalysis a2 = RunAnalysis(f, set2);
  const Aggregate& o2 = Agg(a2, set2, "S1");
  EXPECT_EQ(GroupN(o2, ReportGroup::kCombined), 3);
  EXPECT_EQ(GroupMean(o2, ReportGroup::kCombined), 3.0);
  EXPECT_EQ(o2.others_mean, 3.0);
}

// Four non-self raters on C1 = {I1, I2}: M 4,4; P1 3,5; P2 5,3; P3 4,4. Each rater's C1 score
// is 4, so others.mean = 4. Item variances (n−1): I1 {4,3,5,4} → 2/3, I2 → 2/3. A = 5 points →
// expected variance (25−1)/12 = 2, v = (2/3)/2 = 1/3. rwg(J=2) = 2·(2/3) / (2·(2/3) + 1/3) = 0.8;
// on I1 alone (J=1): (2/3) / (2/3 + 1/3) = 2/3.
CampaignBuilder& FourRaters(CampaignBuilder& b, const std::string& subject) {
  return b.Rate(subject, "M", RaterGroup::kManager, {"I1", "I2"}, {4, 4})
      .Rate(subject, "P1", RaterGroup::kPeer, {"I1", "I2"}, {3, 5})
      .Rate(subject, "P2", RaterGroup::kPeer, {"I1", "I2"}, {5, 3})
      .Rate(subject, "P3", RaterGroup::kPeer, {"I1", "I2"}, {4, 4});
}

TEST(Analyse, RwgFromItemVariancesOfNonSelfRaters) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  FourRaters(b, "S1").Rate("S1", "S1", RaterGroup::kSelf, {"I1", "I2"}, {1, 5});  // self ignored
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  EXPECT_EQ(Agg(a, set, "S1", "C1").others_mean, 4.0);
  EXPECT_NEAR(Agg(a, set, "S1", "C1").rwg, 0.8, 1e-12);
  EXPECT_NEAR(Agg(a, set, "S1", "I1").rwg, 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(Agg(a, set, "S1").rwg, 0.8, 1e-12);    // overall: the same two items
  EXPECT_TRUE(IsNull(Agg(a, set, "S1", "C2").rwg));  // nobody rated I3
}

TEST(Analyse, RwgZeroWhenDisagreementExceedsChanceAndNullWithoutTwoScoresPerItem) {
  model::Framework f = SmallFramework();
  // I1: 1, 5, 1 → variance 16/3 > 2 → v ≥ 1 → rwg 0. S2: each peer scores a different item
  // → no item has 2 scores → J = 0 → null, though others.mean is shown.
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "P1", RaterGroup::kPeer, {"I1"}, {1})
                             .Rate("S1", "P2", RaterGroup::kPeer, {"I1"}, {5})
                             .Rate("S1", "P3", RaterGroup::kPeer, {"I1"}, {1})
                             .Rate("S2", "P1", RaterGroup::kPeer, {"I1"}, {3})
                             .Rate("S2", "P2", RaterGroup::kPeer, {"I2"}, {3})
                             .Rate("S2", "P3", RaterGroup::kPeer, {"I3"}, {3})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  EXPECT_EQ(Agg(a, set, "S1", "I1").rwg, 0.0);
  EXPECT_EQ(Agg(a, set, "S2").others_mean, 3.0);
  EXPECT_TRUE(IsNull(Agg(a, set, "S2").rwg));
}

TEST(Analyse, FlagsAtExactlyTheThreshold) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  FourRaters(b, "S1").Rate("S1", "S1", RaterGroup::kSelf, {"I1", "I2"}, {5, 5});  // 5 vs 4
  FourRaters(b, "S2").Rate("S2", "S2", RaterGroup::kSelf, {"I1", "I2"}, {3, 3});  // 3 vs 4
  FourRaters(b, "S3").Rate("S3", "S3", RaterGroup::kSelf, {"I1", "I2"}, {4, 5});  // 4.5 vs 4
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  EXPECT_EQ(Agg(a, set, "S1", "C1").gap, -1.0);
  EXPECT_EQ(Agg(a, set, "S1", "C1").flag, Flag::kBlindSpot);
  EXPECT_EQ(Agg(a, set, "S2", "C1").gap, 1.0);
  EXPECT_EQ(Agg(a, set, "S2", "C1").flag, Flag::kHiddenStrength);
  EXPECT_EQ(Agg(a, set, "S3", "C1").gap, -0.5);
  EXPECT_EQ(Agg(a, set, "S3", "C1").flag, Flag::kNone);
}

// Seven peers who each score 3, 3, 4 average 10/3 each; summing seven 10/3s and dividing by 7
// gives 3.333333333333333, one unit in the last place below a single rater's 10/3
// (3.3333333333333335). Rules 5 and 7 treat them as equal (1e-9).
TEST(Analyse, ComparisonsAllowRoundingOf1e9) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  b.Rate("A", "PA", RaterGroup::kPeer, {"I1", "I2", "I3"}, {3, 3, 4});
  for (int i = 0; i < 7; ++i)
    b.Rate("B", "P" + std::to_string(i), RaterGroup::kPeer, {"I1", "I2", "I3"}, {3, 3, 4});
  b.Rate("B", "B", RaterGroup::kSelf, {"I1", "I2", "I3"}, {2, 2, 3});  // 7/3
  b.Rate("C", "PC", RaterGroup::kPeer, {"I1"}, {4});
  b.Rate("D", "MD", RaterGroup::kManager, {"I1"}, {4});  // no anonymous rater: null
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set, /*min_group=*/1);
  const Aggregate& pa = Agg(a, set, "A");
  const Aggregate& pb = Agg(a, set, "B");
  ASSERT_NE(pa.others_mean, pb.others_mean);  // the premise: one ulp apart
  EXPECT_NEAR(pa.others_mean, pb.others_mean, 1e-9);
  // Percentile among the 3 shown means {10/3, 10/3, 4}: ties → 100·(0 + 0.5·2)/3.
  EXPECT_DOUBLE_EQ(Pct(a, set, "A"), 100.0 / 3.0);
  EXPECT_DOUBLE_EQ(Pct(a, set, "B"), 100.0 / 3.0);
  EXPECT_DOUBLE_EQ(Pct(a, set, "C"), 100.0 * 2.5 / 3.0);
  EXPECT_TRUE(IsNull(Pct(a, set, "D")));
  // B: others − self = 3.333333333333333 − 2.3333333333333335 < 1 by rounding; still flagged.
  EXPECT_LT(pb.others_mean - pb.self, 1.0);
  EXPECT_EQ(pb.flag, Flag::kHiddenStrength);
}

// Rule 7 on 3,000 subjects: means from 1 to 5 (both sides of 2.0, where the sorted keys' top
// byte changes) with many ties; every percentile equals the
// definition's, counted with lower_bound/upper_bound over the sorted shown means. The run is
// made inside a PagePool scope after releasing a block of 0xFF bytes, so the aggregate array
// reuses dirty pages: no figure may depend on what they held.
TEST(Analyse, PercentilesOfManySubjectsMatchTheDefinition) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  std::vector<std::string> ids;
  for (int s = 0; s < 3000; ++s) {
    char id[16];
    std::snprintf(id, sizeof id, "S%05d", s);
    ids.push_back(id);
    // Three peers; scores cycle so that means repeat (ties) and span 1..5.
    for (int r = 0; r < 3; ++r) {
      const int x = 1 + (s * 7 + r * 3 + s / 11) % 5;
      const int y = 1 + (s * 5 + r) % 5;
      b.Rate(id, std::string(id) + "P" + std::to_string(r), RaterGroup::kPeer, {"I1", "I2", "I3"},
             {x, y, 1 + (x + y + s % 3) % 5});
    }
    if (s % 10 == 0) b.Rate(id, "M" + std::string(id), RaterGroup::kManager, {"I1"}, {5});
  }
  model::RatingSet set = b.Build();
  PagePool::Scope scope;
  {
    const size_t bytes = 16 * PagePool::kMinBytes;
    void* dirty = PagePool::Allocate(bytes);
    std::memset(dirty, 0xFF, bytes);
    PagePool::Release(dirty, bytes);
  }
  CampaignAnalysis a = RunAnalysis(f, set, 3, {}, /*threads=*/2);
  int checked = 0;
  for (size_t k = 0; k < a.sets.size(); ++k) {
    std::vector<double> shown;
    for (size_t s = 0; s < ids.size(); ++s)
      if (!IsNull(a.At(s, k).others_mean)) shown.push_back(a.At(s, k).others_mean);
    std::sort(shown.begin(), shown.end());
    if (shown.empty()) continue;  // a set of unrated items (D2: I4, I5)
    ++checked;
    for (size_t s = 0; s < ids.size(); ++s) {
      const Aggregate& agg = a.At(s, k);
      if (IsNull(agg.others_mean)) {
        EXPECT_TRUE(IsNull(a.Percentile(s, k)));
        continue;
      }
      const double x = agg.others_mean;
      const auto below = std::lower_bound(shown.begin(), shown.end(), x - 1e-9) - shown.begin();
      const auto up_to = std::upper_bound(shown.begin(), shown.end(), x + 1e-9) - shown.begin();
      const double expected =
          100.0 * (static_cast<double>(below) + 0.5 * static_cast<double>(up_to - below)) /
          static_cast<double>(shown.size());
      ASSERT_EQ(a.Percentile(s, k), expected) << ids[s] << " on " << a.sets[k].code;
    }
  }
  EXPECT_EQ(checked, 7);  // overall, D1, C1, C2, I1, I2, I3
}

TEST(Analyse, ProfileGapAtCompetencyDomainAndOverallWithGeneralistFallback) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  for (const char* s : {"S1", "S2", "S3"})
    for (const char* p : {"P1", "P2", "P3"}) b.Rate(s, p, RaterGroup::kPeer, kAll, {4, 4, 4, 4, 4});
  model::RatingSet set = b.Build();
  // S1 strategic × finance → no such profile → strategic × generalist. S2 strategic ×
  // clinical (sets C1 only). S3 has no profile.
  std::vector<const model::RoleProfile*> profiles = {
      f.ProfileFor(model::Level::kStrategic, model::Function::kFinance),
      f.ProfileFor(model::Level::kStrategic, model::Function::kClinical), nullptr};
  ASSERT_EQ(profiles[0], &f.role_profiles[0]);
  CampaignAnalysis a = RunAnalysis(f, set, 3, profiles);
  EXPECT_EQ(Agg(a, set, "S1", "C1").profile_gap, 0.0);   // 4 − 4
  EXPECT_EQ(Agg(a, set, "S1", "C2").profile_gap, 1.0);   // 4 − 3
  EXPECT_EQ(Agg(a, set, "S1", "C3").profile_gap, -1.0);  // 4 − 5
  // Domain D1 = C1 (level 4, importance 3) + C2 (3, 1): expected (12 + 3) / 4 = 3.75.
  EXPECT_EQ(Agg(a, set, "S1", "D1").profile_gap, 0.25);
  EXPECT_EQ(Agg(a, set, "S1", "D2").profile_gap, -1.0);
  // Overall: (12 + 3 + 10) / 6 = 25/6.
  EXPECT_NEAR(Agg(a, set, "S1").profile_gap, 4.0 - 25.0 / 6.0, 1e-12);
  EXPECT_TRUE(IsNull(Agg(a, set, "S1", "I1").profile_gap));  // items: never
  EXPECT_EQ(Agg(a, set, "S2", "C1").profile_gap, -1.0);
  EXPECT_TRUE(IsNull(Agg(a, set, "S2", "C2").profile_gap));  // the profile sets no level
  EXPECT_TRUE(IsNull(Agg(a, set, "S2", "D1").profile_gap));  // incomplete domain → null
  EXPECT_TRUE(IsNull(Agg(a, set, "S2").profile_gap));
  EXPECT_TRUE(IsNull(Agg(a, set, "S3", "C1").profile_gap));
}

TEST(Analyse, ProfileGapNullWhereOthersMeanHidden) {
  model::Framework f = SmallFramework();
  model::RatingSet set =
      CampaignBuilder(f).Rate("S1", "M", RaterGroup::kManager, kAll, {4, 4, 4, 4, 4}).Build();
  CampaignAnalysis a = RunAnalysis(f, set, 3, {&f.role_profiles[0]});
  EXPECT_TRUE(IsNull(Agg(a, set, "S1", "C1").profile_gap));
}

TEST(Analyse, SummaryAlphaListwiseOverNonSelfResponses) {
  model::Framework f = SmallFramework();
  // C1 = {I1, I2}: complete non-self responses (1,2), (3,3), (5,5). Item variances 4 and 7/3;
  // totals 3, 6, 10 → variance 37/3. alpha = 2·(1 − (4 + 7/3)/(37/3)) = 36/37. Excluded: the
  // self response and P4, who did not score I2.
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "P1", RaterGroup::kPeer, {"I1", "I2"}, {1, 2})
                             .Rate("S1", "P2", RaterGroup::kPeer, {"I1", "I2"}, {3, 3})
                             .Rate("S1", "M", RaterGroup::kManager, {"I1", "I2"}, {5, 5})
                             .Rate("S1", "P4", RaterGroup::kPeer, {"I1", "I2"}, {2, 0})
                             .Rate("S1", "S1", RaterGroup::kSelf, {"I1", "I2"}, {5, 1})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  ASSERT_EQ(a.competencies.size(), 3u);
  EXPECT_EQ(a.competencies[0].code, "C1");
  EXPECT_EQ(a.competencies[0].alpha_responses, 3);
  EXPECT_NEAR(a.competencies[0].alpha, 36.0 / 37.0, 1e-12);
  EXPECT_TRUE(IsNull(a.competencies[1].alpha));  // C2 has one item: k < 2
  EXPECT_TRUE(IsNull(a.competencies[2].alpha));  // C3: no responses
  EXPECT_EQ(a.totals.subjects, 1u);
  EXPECT_EQ(a.totals.raters, 5u);
  EXPECT_EQ(a.totals.responses, 5u);
  EXPECT_EQ(a.totals.ratings, 10u);
  EXPECT_EQ(a.totals.not_observed, 1u);
}

TEST(Analyse, SummaryAlphaNullWhenTotalsDoNotVary) {
  model::Framework f = SmallFramework();
  model::RatingSet set = CampaignBuilder(f)
                             .Rate("S1", "P1", RaterGroup::kPeer, {"I1", "I2"}, {4, 4})
                             .Rate("S1", "P2", RaterGroup::kPeer, {"I1", "I2"}, {3, 5})
                             .Rate("S1", "P3", RaterGroup::kPeer, {"I1", "I2"}, {5, 3})
                             .Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  EXPECT_TRUE(IsNull(a.competencies[0].alpha));  // every total is 8
  EXPECT_EQ(a.competencies[0].alpha_responses, 3);
}

TEST(Analyse, SummaryMeanAndSdOverSubjectsWithShownMeans) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  for (const char* p : {"P1", "P2", "P3"}) b.Rate("S1", p, RaterGroup::kPeer, {"I1"}, {2});
  for (const char* p : {"P1", "P2", "P3"}) b.Rate("S2", p, RaterGroup::kPeer, {"I1"}, {4});
  b.Rate("S3", "P1", RaterGroup::kPeer, {"I1"}, {5});  // hidden: not counted
  model::RatingSet set = b.Build();
  CampaignAnalysis a = RunAnalysis(f, set);
  const CompetencySummary& c1 = a.competencies[0];
  EXPECT_EQ(c1.subjects, 2u);
  EXPECT_EQ(c1.mean, 3.0);
  EXPECT_DOUBLE_EQ(c1.sd, std::sqrt(2.0));  // deviations ±1, n−1 = 1
  EXPECT_EQ(a.competencies[1].subjects, 0u);
  EXPECT_TRUE(IsNull(a.competencies[1].mean));
  EXPECT_TRUE(IsNull(a.competencies[1].sd));
  EXPECT_EQ(a.totals.subjects_with_others, 2u);
}

TEST(Analyse, SameResultWithAnyThreadCount) {
  model::Framework f = SmallFramework();
  CampaignBuilder b(f);
  for (int s = 0; s < 300; ++s) {
    const std::string subject = "S" + std::to_string(s);
    for (int r = 0; r < 2 + s % 5; ++r)
      b.Rate(subject, "R" + std::to_string(r), static_cast<RaterGroup>(1 + (r + s) % 6), kAll,
             {1 + (s + r) % 5, 1 + (s * r) % 5, (s + 2 * r) % 6, 5, 1 + r % 5});
  }
  model::RatingSet set = b.Build();
  CampaignAnalysis one = RunAnalysis(f, set, 2, {}, 1);
  CampaignAnalysis two = RunAnalysis(f, set, 2, {}, 3);
  ASSERT_EQ(one.aggregates.size(), two.aggregates.size());
  for (size_t i = 0; i < one.aggregates.size(); ++i) {
    const Aggregate &x = one.aggregates[i], &y = two.aggregates[i];
    auto same = [](double p, double q) { return (IsNull(p) && IsNull(q)) || p == q; };
    ASSERT_TRUE(same(x.others_mean, y.others_mean) &&
                same(one.percentiles[i], two.percentiles[i]) && same(x.rwg, y.rwg) &&
                x.group_n == y.group_n)
        << i;
  }
  EXPECT_EQ(one.competencies[0].alpha, two.competencies[0].alpha);
}

// The reader may leave these checks to the analysis (formats::RatingsReadOptions::check_pairs),
// so Analyse refuses a set in which a rater is in two groups, or rates an item twice (also
// when either rating is "not observed"), naming the first such subject.
TEST(Analyse, RefusesRowsThatBreakTheRatingSetInvariants) {
  model::Framework f = SmallFramework();
  const model::RatingSet valid = CampaignBuilder(f)
                                     .Rate("S1", "P1", RaterGroup::kPeer, {"I1", "I2"}, {3, 0})
                                     .Rate("S2", "P1", RaterGroup::kPeer, {"I1", "I2"}, {4, 2})
                                     .Rate("S2", "P2", RaterGroup::kManager, {"I1", "I2"}, {0, 5})
                                     .Build();
  ASSERT_EQ(valid.subject_ids, (std::vector<std::string>{"S1", "S2"}));
  AnalysisOptions o;
  o.threads = 2;
  ASSERT_TRUE(Analyse(f, valid, {}, o).ok());
  const uint32_t s2 = valid.subject_begin[1];  // S2's rows: P1 I1, P1 I2, P2 I1, P2 I2

  model::RatingSet two_groups = valid;
  two_groups.group[s2 + 1] = RaterGroup::kDirectReport;
  Result<CampaignAnalysis> a = Analyse(f, two_groups, {}, o);
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(a.status().message().find("subject 'S2': a rater is in two groups"), std::string::npos)
      << a.status().message();

  for (uint32_t row : {s2 + 3, s2 + 2, uint32_t{1}}) {  // a scored, then a not-observed rating
    model::RatingSet twice = valid;
    twice.item[row] = twice.item[row - 1];
    Result<CampaignAnalysis> b = Analyse(f, twice, {}, o);
    const std::string subject = row == 1 ? "S1" : "S2";
    EXPECT_NE(
        b.status().message().find("subject '" + subject + "': a rater rates the same item twice"),
        std::string::npos)
        << row << ": " << b.status().ToString();
  }
}

// The check marks unfilled cells with a value no score takes; scales that reach 127, or go
// below zero, still have one, and a score at either end of the scale is not taken for it.
TEST(Analyse, RefusesARatingTwiceOnEveryScale) {
  for (const auto& [low, high] : {std::pair{1, 5}, std::pair{27, 127}, std::pair{-3, 3}}) {
    model::Framework f = SmallFramework();
    f.scale.min = low;
    f.scale.max = high;
    model::RatingSet set = CampaignBuilder(f)
                               .Rate("S1", "P1", RaterGroup::kPeer, {"I1", "I2"}, {high, low})
                               .Rate("S1", "P2", RaterGroup::kPeer, {"I1", "I2"}, {low, high})
                               .Rate("S1", "P3", RaterGroup::kPeer, {"I1"}, {high})
                               .Build();
    AnalysisOptions o;
    Result<CampaignAnalysis> a = Analyse(f, set, {}, o);
    ASSERT_TRUE(a.ok()) << low << ".." << high << ": " << a.status().ToString();
    // I1: P1 high, P2 low, P3 high → others mean (2·high + low) / 3.
    EXPECT_DOUBLE_EQ(a->At(0, SetIndex(*a, "I1")).others_mean, (2.0 * high + low) / 3);
    set.item[1] = set.item[0];  // P1 rates I1 twice (high, then low)
    EXPECT_NE(Analyse(f, set, {}, o).status().message().find("rates the same item twice"),
              std::string::npos)
        << low << ".." << high;
  }
}

TEST(Analyse, RejectsBadOptions) {
  model::Framework f = SmallFramework();
  model::RatingSet set = CampaignBuilder(f).Rate("S1", "P", RaterGroup::kPeer, {"I1"}, {3}).Build();
  AnalysisOptions o;
  o.min_group = 0;
  EXPECT_EQ(Analyse(f, set, {}, o).status().code(), StatusCode::kInvalidArgument);
  o.min_group = 3;
  o.flag_threshold = 0;
  EXPECT_EQ(Analyse(f, set, {}, o).status().code(), StatusCode::kInvalidArgument);
  o.flag_threshold = 1;
  set.item_count = 4;
  EXPECT_EQ(Analyse(f, set, {}, o).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trellis::analytics
