// Property test of the confidentiality promise of DESIGN.md rule 4: on random campaigns (group
// sizes 0–6, missing scores, min_group 2–5, fixed seed) no shown figure, and no difference of
// shown figures on the same item set, rests on fewer than min_group anonymous raters. Also
// checks the counts and means of every shown figure against a brute-force recomputation.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <random>

#include "analytics/aggregate.h"
#include "analytics/campaign_builder.h"

namespace trellis::analytics {
namespace {

using model::RaterGroup;

struct Rater {
  std::string id;
  RaterGroup group;
  std::vector<int> scores;  // per item, 0 = not observed / not rated
};

// One shown figure: which raters it is built from, and its published count and mean.
struct Figure {
  uint64_t raters = 0;
  std::string name;
};

TEST(AnonymityProperty, NoShownFigureOrDifferenceRevealsFewerThanMinGroup) {
  const model::Framework f = testing::SmallFramework();
  const std::vector<ItemSet> sets = ItemSetsOf(f);
  const size_t items = f.ItemCount();
  std::mt19937_64 rng(20240611);
  auto uniform = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  size_t campaigns = 0, figures_checked = 0, merges_seen = 0;
  for (int campaign = 0; campaign < 10000; ++campaign) {
    const int min_group = uniform(2, 5);
    const double missing = uniform(0, 50) / 100.0;
    std::vector<Rater> raters;
    if (uniform(0, 1)) raters.push_back({"S", RaterGroup::kSelf, {}});
    for (int g = static_cast<int>(RaterGroup::kManager); g < model::kRaterGroupCount; ++g) {
      const int size = uniform(0, 6);
      for (int i = 0; i < size; ++i)
        raters.push_back(
            {"R" + std::to_string(g) + "_" + std::to_string(i), static_cast<RaterGroup>(g), {}});
    }
    std::vector<model::RatingRow> rows;
    for (Rater& r : raters) {
      r.scores.assign(items, 0);
      for (size_t i = 0; i < items; ++i) {
        if (std::uniform_real_distribution<double>(0, 1)(rng) < missing) continue;
        r.scores[i] = uniform(1, 5);
        rows.push_back(
            {"S", r.id, r.group, static_cast<uint16_t>(i), static_cast<int8_t>(r.scores[i])});
      }
    }
    if (rows.empty()) continue;
    Result<model::RatingSet> set = model::BuildRatingSet(rows, items);
    ASSERT_TRUE(set.ok()) << set.status().ToString();
    AnalysisOptions options;
    options.min_group = min_group;
    options.threads = 1;
    Result<CampaignAnalysis> analysis = Analyse(f, *set, {}, options);
    ASSERT_TRUE(analysis.ok());
    ++campaigns;

    for (size_t k = 0; k < sets.size(); ++k) {
      const Aggregate& agg = analysis->At(0, k);
      // Brute force: each rater's score on the set, and masks by group.
      uint64_t non_self = 0, anonymous = 0;
      std::array<uint64_t, model::kRaterGroupCount> by_group{};
      std::vector<double> score(raters.size(), 0);
      double self = kNull;
      for (size_t r = 0; r < raters.size(); ++r) {
        int sum = 0, n = 0;
        for (uint32_t i = sets[k].first_item; i < sets[k].end_item; ++i)
          if (raters[r].scores[i] != 0) {
            sum += raters[r].scores[i];
            ++n;
          }
        if (n == 0) continue;
        score[r] = static_cast<double>(sum) / n;
        const uint64_t bit = uint64_t{1} << r;
        by_group[static_cast<int>(raters[r].group)] |= bit;
        if (raters[r].group == RaterGroup::kSelf) {
          self = score[r];
          continue;
        }
        non_self |= bit;
        if (model::IsAnonymous(raters[r].group)) anonymous |= bit;
      }
      auto mean_of = [&](uint64_t mask) {
        double sum = 0;
        for (size_t r = 0; r < raters.size(); ++r)
          if (mask >> r & 1) sum += score[r];
        return sum / std::popcount(mask);
      };
      const std::string where = "campaign " + std::to_string(campaign) + " set " + sets[k].code +
                                " min_group " + std::to_string(min_group);
      ASSERT_EQ(IsNull(self), IsNull(agg.self)) << where;
      if (!IsNull(self)) {
        ASSERT_EQ(self, agg.self) << where;
      }
      ASSERT_EQ(agg.others_n, static_cast<uint32_t>(std::popcount(non_self))) << where;
      // Rule 3: shown exactly when the anonymous raters reach min_group.
      ASSERT_EQ(!IsNull(agg.others_mean), std::popcount(anonymous) >= min_group) << where;

      std::vector<Figure> figures;  // disjoint: manager, shown groups, combined
      uint64_t in_shown_groups = 0;
      for (int slot = 0; slot < kReportGroupCount; ++slot) {
        if (agg.group_n[slot] == 0) continue;
        uint64_t mask;
        if (slot == static_cast<int>(ReportGroup::kCombined)) {
          mask = anonymous & ~in_shown_groups;  // the anonymous raters of the groups not shown
        } else {
          mask = by_group[slot + 1];
          if (slot != static_cast<int>(ReportGroup::kManager)) in_shown_groups |= mask;
        }
        const std::string name(ReportGroupName(static_cast<ReportGroup>(slot)));
        ASSERT_EQ(agg.group_n[slot], std::popcount(mask)) << where << " " << name;
        ASSERT_NEAR(agg.group_mean[slot], mean_of(mask), 1e-12) << where << " " << name;
        figures.push_back({mask, name});
      }
      if (!IsNull(agg.others_mean)) {
        ASSERT_NEAR(agg.others_mean, mean_of(non_self), 1e-12) << where;
      }
      for (int g = static_cast<int>(RaterGroup::kPeer); g < model::kRaterGroupCount; ++g)
        if (std::popcount(by_group[g]) >= min_group && agg.group_n[g - 1] == 0) ++merges_seen;

      // Every combination: unions of disjoint shown figures, plus others.mean. For every pair
      // where one rater set contains the other, the anonymous raters in the difference (which a
      // reader can compute from published means and counts) number 0 or at least min_group.
      std::vector<std::pair<uint64_t, std::string>> known;
      const size_t m = figures.size();
      for (uint32_t subset = 0; subset < (1u << m); ++subset) {
        uint64_t mask = 0;
        std::string name;
        for (size_t i = 0; i < m; ++i)
          if (subset >> i & 1) {
            mask |= figures[i].raters;
            name += figures[i].name + "+";
          }
        known.emplace_back(mask, name.empty() ? "nothing" : name);
      }
      if (!IsNull(agg.others_mean)) known.emplace_back(non_self, "others");
      for (const auto& [big, big_name] : known)
        for (const auto& [small, small_name] : known) {
          if ((small & ~big) != 0) continue;  // not a subset
          const int revealed = std::popcount((big & ~small) & anonymous);
          ASSERT_TRUE(revealed == 0 || revealed >= min_group)
              << where << ": " << big_name << " minus " << small_name << " reveals " << revealed
              << " anonymous raters";
          ++figures_checked;
        }
    }
  }
  EXPECT_GE(campaigns, 9900u);
  EXPECT_GT(merges_seen, 100u);  // the merging path of rule 4 was exercised
  RecordProperty("pairs_checked", std::to_string(figures_checked));
}

}  // namespace
}  // namespace trellis::analytics
