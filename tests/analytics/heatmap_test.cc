// Tests of analytics/heatmap.h: cell means, the minimum cell size, complementary withholding
// against the total and against parent rows, profile shortfall, and the strongest-first order.
#include "analytics/heatmap.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace trellis::analytics {
namespace {

// An analysis with two competency columns (C1, C2) and one domain; subject s has others.mean
// means[s] on C1 and means[s] + 1 on C2 (null where means[s] is NaN).
CampaignAnalysis AnalysisOf(const std::vector<double>& means,
                            const std::vector<double>& profile_gaps = {}) {
  CampaignAnalysis analysis;
  analysis.sets = {{SetLevel::kOverall, "", 0, 2},
                   {SetLevel::kDomain, "D1", 0, 2},
                   {SetLevel::kCompetency, "C1", 0, 1},
                   {SetLevel::kCompetency, "C2", 1, 2}};
  analysis.subject_count = means.size();
  analysis.aggregates.resize(means.size() * analysis.sets.size());
  for (size_t s = 0; s < means.size(); ++s) {
    Aggregate& c1 = analysis.aggregates[s * 4 + 2];
    Aggregate& c2 = analysis.aggregates[s * 4 + 3];
    c1.others_mean = means[s];
    c2.others_mean = IsNull(means[s]) ? kNull : means[s] + 1;
    if (!profile_gaps.empty()) c1.profile_gap = profile_gaps[s];
  }
  return analysis;
}

TEST(Heatmap, MeansOfShownSubjectsPerRowAndColumn) {
  // Rows: a (5 subjects, one without a shown mean), b (5 subjects).
  CampaignAnalysis analysis = AnalysisOf({1, 2, 3, 4, 5, kNull, 2, 2, 2, 2, 3});
  std::vector<std::string> keys = {"a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b"};
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, {});
  ASSERT_TRUE(heatmap.ok()) << heatmap.status().message();
  ASSERT_EQ(heatmap->rows, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(heatmap->row_subjects, (std::vector<uint32_t>{6, 5}));
  ASSERT_EQ(heatmap->columns, (std::vector<size_t>{2, 3}));
  EXPECT_TRUE(heatmap->At(0, 0).Shown());
  EXPECT_EQ(heatmap->At(0, 0).subjects, 5u);
  EXPECT_DOUBLE_EQ(heatmap->At(0, 0).mean, 3.0);
  EXPECT_DOUBLE_EQ(heatmap->At(0, 1).mean, 4.0);
  EXPECT_DOUBLE_EQ(heatmap->At(1, 0).mean, 2.2);
  EXPECT_EQ(heatmap->total[0].subjects, 10u);
  EXPECT_DOUBLE_EQ(heatmap->total[0].mean, 2.6);
}

TEST(Heatmap, SmallCellIsWithheldAndOneComplementIsWithheldWithIt) {
  // a: 6 subjects, b: 5, c: 2 (too few). Shown total − a − b would give c, so the smallest shown
  // row (b) is withheld too.
  CampaignAnalysis analysis = AnalysisOf({1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 5, 5});
  std::vector<std::string> keys = {"a", "a", "a", "a", "a", "a", "b", "b", "b", "b", "b", "c", "c"};
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, {});
  ASSERT_TRUE(heatmap.ok());
  EXPECT_TRUE(heatmap->At(0, 0).Shown());
  EXPECT_EQ(heatmap->At(1, 0).withheld, CellWithheld::kComplementary);
  EXPECT_TRUE(std::isnan(heatmap->At(1, 0).mean));
  EXPECT_EQ(heatmap->At(1, 0).subjects, 5u);
  EXPECT_EQ(heatmap->At(2, 0).withheld, CellWithheld::kTooFewSubjects);
  EXPECT_TRUE(std::isnan(heatmap->At(2, 0).mean));
  EXPECT_TRUE(heatmap->total[0].Shown());
}

TEST(Heatmap, TwoSmallCellsNeedNoComplement) {
  CampaignAnalysis analysis = AnalysisOf({1, 1, 1, 1, 1, 2, 2, 3, 3});
  std::vector<std::string> keys = {"a", "a", "a", "a", "a", "b", "b", "c", "c"};
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, {});
  ASSERT_TRUE(heatmap.ok());
  EXPECT_TRUE(heatmap->At(0, 0).Shown());
  EXPECT_EQ(heatmap->At(1, 0).withheld, CellWithheld::kTooFewSubjects);
  EXPECT_EQ(heatmap->At(2, 0).withheld, CellWithheld::kTooFewSubjects);
}

TEST(Heatmap, ParentRowsAreProtectedToo) {
  // Organisations o1 (5) and o2 (2) in sector s1 (7, published); o3 (5) and o4 (5) in s2.
  // Against s1, o2 is the one withheld cell, so o1 is withheld too; against the total, o1 and
  // o2 are then withheld together, so o3 and o4 stay shown.
  CampaignAnalysis analysis = AnalysisOf({1, 1, 1, 1, 1, 4, 4, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3});
  std::vector<std::string> keys = {"o1", "o1", "o1", "o1", "o1", "o2", "o2", "o3", "o3",
                                   "o3", "o3", "o3", "o4", "o4", "o4", "o4", "o4"};
  HeatmapOptions options;
  options.parents = {{{{"o1", "s1"}, {"o2", "s1"}, {"o3", "s2"}, {"o4", "s2"}}}};
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, options);
  ASSERT_TRUE(heatmap.ok());
  EXPECT_EQ(heatmap->At(0, 0).withheld, CellWithheld::kComplementary);
  EXPECT_EQ(heatmap->At(1, 0).withheld, CellWithheld::kTooFewSubjects);
  EXPECT_TRUE(heatmap->At(2, 0).Shown());
  EXPECT_TRUE(heatmap->At(3, 0).Shown());
  EXPECT_EQ(heatmap->parents[0].at("s1")[0].subjects, 7u);
  EXPECT_DOUBLE_EQ(heatmap->parents[0].at("s2")[0].mean, 2.5);
}

TEST(Heatmap, ProfileShortfallCountsSubjectsBelowTheirProfile) {
  CampaignAnalysis analysis = AnalysisOf({3, 3, 3, 3, 3}, {-1, -0.5, 0, 0.5, kNull});
  std::vector<std::string> keys(5, "strategic");
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, {});
  ASSERT_TRUE(heatmap.ok());
  EXPECT_EQ(heatmap->At(0, 0).with_profile, 4u);
  EXPECT_EQ(heatmap->At(0, 0).below_profile, 2u);
  EXPECT_DOUBLE_EQ(heatmap->At(0, 0).profile_gap, -0.25);
  EXPECT_TRUE(std::isnan(heatmap->At(0, 1).profile_gap));
}

TEST(Heatmap, SubjectsWithoutAKeyAreLeftOutAndLevelsSelectColumns) {
  CampaignAnalysis analysis = AnalysisOf({1, 1, 1, 1, 1, 5});
  std::vector<std::string> keys = {"a", "a", "a", "a", "a", ""};
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kDomain, {});
  ASSERT_TRUE(heatmap.ok());
  EXPECT_EQ(heatmap->rows, std::vector<std::string>{"a"});
  EXPECT_EQ(heatmap->columns, std::vector<size_t>{1});
  EXPECT_EQ(heatmap->total[0].subjects, 0u);  // domain figures were not set in AnalysisOf
}

TEST(Heatmap, RejectsBadArguments) {
  CampaignAnalysis analysis = AnalysisOf({1, 2});
  std::vector<std::string> keys = {"a"};
  EXPECT_EQ(BuildHeatmap(analysis, keys, SetLevel::kCompetency, {}).status().message(),
            "heatmap: 1 subject keys for 2 subjects");
  keys = {"a", "b"};
  HeatmapOptions zero;
  zero.min_cell = 0;
  EXPECT_FALSE(BuildHeatmap(analysis, keys, SetLevel::kCompetency, zero).ok());
  EXPECT_FALSE(BuildHeatmap(analysis, keys, SetLevel::kItem, {}).ok());
}

TEST(Heatmap, ColumnsByTotalMeanPutsTheStrongestFirst) {
  CampaignAnalysis analysis = AnalysisOf({1, 1, 1, 1, 1});
  std::vector<std::string> keys(5, "a");
  Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, {});
  ASSERT_TRUE(heatmap.ok());
  EXPECT_EQ(ColumnsByTotalMean(*heatmap), (std::vector<size_t>{1, 0}));  // C2 = 2 > C1 = 1
}

// Brute force: whatever the row sizes, no withheld cell can be worked out from shown ones as
// (published total or parent − the sum of its shown members) when it is the only withheld
// member. Two parent dimensions cut across each other, as levels and functions do across roles.
TEST(Heatmap, NoSingleWithheldCellIsDerivableFromShownOnes) {
  uint32_t seed = 12345;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) % 32768; };
  for (int trial = 0; trial < 3000; ++trial) {
    const int rows = 2 + next() % 8;
    std::vector<double> means;
    std::vector<std::string> keys;
    HeatmapOptions options;
    options.parents.resize(2);
    for (int o = 0; o < rows; ++o) {
      const std::string row = "r" + std::to_string(o);
      options.parents[0].parent_of_row[row] = "p" + std::to_string(next() % 3);
      options.parents[1].parent_of_row[row] = "q" + std::to_string(next() % 2);
      const int n = next() % 9;
      for (int i = 0; i < n; ++i) {
        means.push_back(1 + next() % 5);
        keys.push_back(row);
      }
    }
    CampaignAnalysis analysis = AnalysisOf(means);
    Result<Heatmap> heatmap = BuildHeatmap(analysis, keys, SetLevel::kCompetency, options);
    ASSERT_TRUE(heatmap.ok());
    auto expect_protected = [&](const HeatmapCell& head, const std::vector<HeatmapCell>& members) {
      if (!head.Shown()) return;
      int withheld = 0;
      for (const HeatmapCell& cell : members) {
        if (!cell.Shown() && cell.subjects > 0) ++withheld;
      }
      EXPECT_NE(withheld, 1) << "trial " << trial;
    };
    std::vector<HeatmapCell> all;
    for (size_t r = 0; r < heatmap->rows.size(); ++r) all.push_back(heatmap->At(r, 0));
    expect_protected(heatmap->total[0], all);
    for (size_t d = 0; d < 2; ++d) {
      std::map<std::string, std::vector<HeatmapCell>> by_parent;
      for (size_t r = 0; r < heatmap->rows.size(); ++r) {
        by_parent[options.parents[d].parent_of_row[heatmap->rows[r]]].push_back(heatmap->At(r, 0));
      }
      std::vector<HeatmapCell> parents;
      for (const auto& [parent, members] : by_parent) {
        expect_protected(heatmap->parents[d].at(parent)[0], members);
        parents.push_back(heatmap->parents[d].at(parent)[0]);
      }
      expect_protected(heatmap->total[0], parents);
    }
  }
}

}  // namespace
}  // namespace trellis::analytics
