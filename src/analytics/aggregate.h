// analytics/aggregate.h — the 360 aggregation of DESIGN.md "Analysis semantics" (rules 1–9):
// for every subject and every item set (overall, each domain, each competency, each item) the
// self score, the others' mean and count, the shown rater groups (with the anonymity merging of
// rule 4), gap and flag, rwg, percentile and profile gap; plus the campaign summary per
// competency (alpha, mean, sd). Pure computation: no I/O, no JSON (formats/report_jsonl.h
// writes the result). Analyse() may use several threads internally; the result is a plain value
// and identical whatever the thread count or the order of rows.
// Decisions where DESIGN.md is silent are documented in docs/analysis.md and at the fields.
#pragma once

#include <array>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "core/large_array.h"
#include "core/status.h"
#include "model/framework.h"
#include "model/ratings.h"

namespace trellis::analytics {

// Figures are doubles with NaN meaning null (JSON null): a campaign holds subjects × item sets
// of them (25,000 × 55 is normal), so an optional's extra 8 bytes per figure matter.
inline constexpr double kNull = std::numeric_limits<double>::quiet_NaN();
inline bool IsNull(double x) { return std::isnan(x); }

enum class SetLevel : uint8_t { kOverall, kDomain, kCompetency, kItem };

// An item set: a contiguous range of item indices (model::ItemsInOrder).
struct ItemSet {
  SetLevel level = SetLevel::kOverall;
  std::string code;  // domain, competency or item code; "" for overall
  uint32_t first_item = 0;
  uint32_t end_item = 0;  // one past the last
};

// Slots of the `groups` object of a report, in report order.
enum class ReportGroup : uint8_t {
  kManager,
  kPeer,
  kDirectReport,
  kPartner,
  kCommunity,
  kOther,
  kCombined,
};
inline constexpr int kReportGroupCount = 7;
// "manager", "peer", "direct_report", "partner", "community", "other", "combined".
std::string_view ReportGroupName(ReportGroup group);

enum class Flag : uint8_t { kNone, kBlindSpot, kHiddenStrength };
// "blind_spot", "hidden_strength"; "" for kNone.
std::string_view FlagName(Flag flag);

// The figures of one subject on one item set (DESIGN.md AGG).
struct Aggregate {
  double self = kNull;         // rule 2
  double others_mean = kNull;  // rule 3: null unless anonymous raters ≥ min_group
  double gap = kNull;          // rule 5: others_mean − self; null if either is null
  double rwg = kNull;          // rule 6
  // Rule 7, the percentile, is CampaignAnalysis::Percentile: it needs every subject, so it is
  // kept set by set rather than put back into each subject's aggregates.
  double profile_gap = kNull;  // rule 8 (domain/overall: see docs/analysis.md)
  std::array<double, kReportGroupCount> group_mean{};  // meaningful where group_n > 0
  uint32_t others_n = 0;  // rule 3: non-self raters with a score on the set (manager included)
  std::array<uint16_t, kReportGroupCount> group_n{};  // 0 = group not shown (rule 4)
  Flag flag = Flag::kNone;                            // rule 5

  bool GroupShown(ReportGroup g) const { return group_n[static_cast<int>(g)] > 0; }
};

struct AnalysisOptions {
  int min_group = 3;            // ≥ 1; DESIGN.md default 3
  double flag_threshold = 1.0;  // > 0; rule 5
  int threads = 0;              // 0 = std::thread::hardware_concurrency()
  // When set, incremented as subjects are computed (for a progress display); may be read by
  // another thread at any time.
  std::atomic<uint64_t>* subjects_done = nullptr;
};

// Campaign summary of one competency (rule 9 plus descriptive figures).
struct CompetencySummary {
  std::string code;
  double alpha = kNull;         // rule 9
  int64_t alpha_responses = 0;  // non-self responses that scored every item (listwise)
  // Over the subjects whose others.mean on the competency is shown (rule 3): their count, the
  // mean of those others.means, and their sample standard deviation (n−1; null if n < 2).
  uint32_t subjects = 0;
  double mean = kNull;
  double sd = kNull;
};

struct AnalysisTotals {
  size_t subjects = 0;
  size_t raters = 0;                // distinct rater ids, self raters included
  size_t responses = 0;             // distinct (subject, rater) pairs
  size_t ratings = 0;               // rows
  size_t not_observed = 0;          // rows with an empty score
  size_t subjects_with_others = 0;  // subjects whose overall others.mean is shown
};

struct CampaignAnalysis {
  int min_group = 3;
  double flag_threshold = 1.0;
  // Item sets in report order: overall, domains, competencies, items (each in document order).
  std::vector<ItemSet> sets;
  size_t subject_count = 0;
  // Subject-major: the aggregate of subject s on set k is aggregates[s * sets.size() + k].
  LargeArray<Aggregate> aggregates;
  // Rule 7, set-major: the percentile of subject s on set k (0 < p ≤ 100, or null where
  // others_mean is null) is percentiles[k * subject_count + s].
  LargeArray<double> percentiles;
  std::vector<CompetencySummary> competencies;  // in document order
  AnalysisTotals totals;

  const Aggregate& At(size_t subject, size_t set) const {
    return aggregates[subject * sets.size() + set];
  }
  double Percentile(size_t subject, size_t set) const {
    return percentiles[set * subject_count + subject];
  }
};

// Returns the item sets of `framework` in report order (see CampaignAnalysis::sets).
std::vector<ItemSet> ItemSetsOf(const model::Framework& framework);

// Computes every figure of rules 1–9 for every subject of `ratings` on every item set of
// `framework`. `profiles` is empty (no role profiles: profile_gap null) or has one entry per
// subject of `ratings`: that subject's role profile (model::Framework::ProfileFor) or nullptr.
// Precondition: `ratings` was built against `framework` (item indexes, scores on its scale).
// The pair invariants of model::RatingSet are checked, not assumed (the reader may leave them
// to this pass, formats::RatingsReadOptions::check_pairs).
// kInvalidArgument when min_group < 1, flag_threshold ≤ 0, profiles has the wrong size,
// ratings.item_count differs from the framework's item count (or exceeds 65,535), there are
// more than 2^31 − 1 rows, or the rows of a subject break those invariants (a rater in two
// groups, or two ratings of one item by one rater): the first such subject is named.
Result<CampaignAnalysis> Analyse(const model::Framework& framework, const model::RatingSet& ratings,
                                 const std::vector<const model::RoleProfile*>& profiles,
                                 const AnalysisOptions& options);

}  // namespace trellis::analytics
