// analytics/spc.h — NHS "Making Data Count" XmR charts (statistical process control) for
// partnership indicators: mean, process limits, special-cause rules, point types and the
// variation and assurance icons. The reference is NHSRplotthedots v0.2.2 `ptd_spc()` with its
// defaults (shared/spc.md); every difference from it is an explicit option, listed by
// SpcDeviationWarnings(). Used by `trellis spc` (cli/), formats/spc_json and bench/spc.
// Pure computation: no I/O, no JSON. Every function is thread-safe (ComputeSpcInto uses a
// thread-local scratch buffer, so concurrent calls on different outputs are fine).
//
// Invariants of a computed SpcChart: points are in date order; every rule (limits, trends,
// shifts, two-in-three) runs separately in each rebase group and never looks across a group
// boundary; undefined numbers (limits of a 1-point or screened-out group) are NaN.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/spc_date.h"
#include "core/status.h"

namespace trellis::analytics {

// Which way is better for the indicator. Neutral charts have no improvement/concern and no
// assurance icon.
enum class ImprovementDirection : uint8_t { kIncrease, kDecrease, kNeutral };

// The reference's `special_cause_type` labels, in precedence order after kCommonCause.
enum class SpecialCauseType : uint8_t {
  kCommonCause,
  kAboveUcl,
  kBelowLcl,
  kTrendIncreasing,
  kTrendDecreasing,
  kTwoInThreeAbove,
  kTwoInThreeBelow,
  kShiftAbove,
  kShiftBelow,
};

enum class PointType : uint8_t {
  kCommonCause,
  kSpecialCauseImprovement,
  kSpecialCauseConcern,
  kSpecialCauseNeutralHigh,
  kSpecialCauseNeutralLow,
};

enum class VariationIcon : uint8_t {
  kCommonCause,
  kImprovementHigh,
  kImprovementLow,
  kConcernHigh,
  kConcernLow,
  kNeutralHigh,
  kNeutralLow,
};

enum class AssuranceIcon : uint8_t { kConsistentPass, kConsistentFail, kInconsistent };

// Names below are inline so formats/ can print a chart without linking analytics.

// "increase", "decrease", "neutral".
inline std::string_view ImprovementDirectionName(ImprovementDirection direction) {
  switch (direction) {
    case ImprovementDirection::kIncrease:
      return "increase";
    case ImprovementDirection::kDecrease:
      return "decrease";
    case ImprovementDirection::kNeutral:
      return "neutral";
  }
  return "increase";
}

// nullopt for any other name.
inline std::optional<ImprovementDirection> ParseImprovementDirection(std::string_view name) {
  if (name == "increase") return ImprovementDirection::kIncrease;
  if (name == "decrease") return ImprovementDirection::kDecrease;
  if (name == "neutral") return ImprovementDirection::kNeutral;
  return std::nullopt;
}

// The exact reference strings ("Above UCL", "7 Point Trend (Increasing)", "2 in 3 Below CL",
// "7 Points Above CL", "Common Cause", …). With run_length 6 (a deviation) the trend and shift
// labels say 6 ("6 Point Trend (Increasing)", "6 Points Above CL") so a chart never claims
// seven points it did not require.
inline std::string_view SpecialCauseTypeName(SpecialCauseType type, int run_length = 7) {
  const bool six = run_length == 6;
  switch (type) {
    case SpecialCauseType::kCommonCause:
      return "Common Cause";
    case SpecialCauseType::kAboveUcl:
      return "Above UCL";
    case SpecialCauseType::kBelowLcl:
      return "Below LCL";
    case SpecialCauseType::kTrendIncreasing:
      return six ? "6 Point Trend (Increasing)" : "7 Point Trend (Increasing)";
    case SpecialCauseType::kTrendDecreasing:
      return six ? "6 Point Trend (Decreasing)" : "7 Point Trend (Decreasing)";
    case SpecialCauseType::kTwoInThreeAbove:
      return "2 in 3 Above CL";
    case SpecialCauseType::kTwoInThreeBelow:
      return "2 in 3 Below CL";
    case SpecialCauseType::kShiftAbove:
      return six ? "6 Points Above CL" : "7 Points Above CL";
    case SpecialCauseType::kShiftBelow:
      return six ? "6 Points Below CL" : "7 Points Below CL";
  }
  return "Common Cause";
}

// "common_cause", "special_cause_improvement", "special_cause_concern",
// "special_cause_neutral_high", "special_cause_neutral_low".
inline std::string_view PointTypeName(PointType type) {
  switch (type) {
    case PointType::kCommonCause:
      return "common_cause";
    case PointType::kSpecialCauseImprovement:
      return "special_cause_improvement";
    case PointType::kSpecialCauseConcern:
      return "special_cause_concern";
    case PointType::kSpecialCauseNeutralHigh:
      return "special_cause_neutral_high";
    case PointType::kSpecialCauseNeutralLow:
      return "special_cause_neutral_low";
  }
  return "common_cause";
}

// "common_cause", "improvement_high", "improvement_low", "concern_high", "concern_low",
// "neutral_high", "neutral_low".
inline std::string_view VariationIconName(VariationIcon icon) {
  switch (icon) {
    case VariationIcon::kCommonCause:
      return "common_cause";
    case VariationIcon::kImprovementHigh:
      return "improvement_high";
    case VariationIcon::kImprovementLow:
      return "improvement_low";
    case VariationIcon::kConcernHigh:
      return "concern_high";
    case VariationIcon::kConcernLow:
      return "concern_low";
    case VariationIcon::kNeutralHigh:
      return "neutral_high";
    case VariationIcon::kNeutralLow:
      return "neutral_low";
  }
  return "common_cause";
}

// "consistent_pass", "consistent_fail", "inconsistent".
inline std::string_view AssuranceIconName(AssuranceIcon icon) {
  switch (icon) {
    case AssuranceIcon::kConsistentPass:
      return "consistent_pass";
    case AssuranceIcon::kConsistentFail:
      return "consistent_fail";
    case AssuranceIcon::kInconsistent:
      return "inconsistent";
  }
  return "inconsistent";
}

// One indicator's time series (one facet of the reference).
struct SpcSeries {
  std::string indicator;         // facet name, shown in output and messages
  std::vector<SpcDay> dates;     // unique; sorted by ComputeSpc if they are not
  std::vector<double> values;    // same length as dates; NaN = missing
  std::optional<double> target;  // assurance target; overrides SpcOptions::target
};

// Builds a series from ISO "YYYY-MM-DD" dates. kInvalidArgument
// "indicator 'NAME': date 3: '2024-02-30' is not a valid date (YYYY-MM-DD)" or on a length
// mismatch.
Result<SpcSeries> MakeSpcSeries(std::string indicator, const std::vector<std::string>& iso_dates,
                                std::vector<double> values,
                                std::optional<double> target = std::nullopt);

struct SpcOptions {
  ImprovementDirection improvement = ImprovementDirection::kIncrease;
  // Target for every series without its own SpcSeries::target; nullopt = none.
  std::optional<double> target;
  // Each date that equals a point's date starts a new rebase group at that point; dates that
  // match no point (including dates before the data) are ignored, as in the reference.
  std::vector<SpcDay> rebase_dates;
  // Mean and limits from the first N points of each rebase group only (N ≥ 12); nullopt = all.
  std::optional<int> fix_after_n_points;
  // Drop moving ranges ≥ 3.267 × AMR once and recompute the AMR (reference default).
  bool screen_outliers = true;
  // Deviation when 6: trends and shifts need 6 points (MDC Excel tool), not the reference's 7.
  int run_length = 7;
  // Deviation when true: points beyond 3 sigma also count toward "two in three" (MDC since
  // late 2023); the reference counts only the 2–3 sigma band (#153).
  bool two_in_three_beyond_limits = false;
  // Deviation when true: missing values (NaN) are dropped before anything is computed, and a
  // warning names them; when false a missing value is an error (the reference misbehaves).
  bool skip_missing = false;
};

// One point of a chart: the reference's output columns.
struct SpcPoint {
  SpcDay date = 0;
  double value = 0;
  int32_t rebase_group = 0;  // 0-based cumsum of rebase flags (1 if a rebase is on date one)
  bool short_group_warning = false;  // the point's group has fewer than 13 points
  double mean = 0;  // of the group (of its first fix_after_n_points points, if set)
  double lpl = 0;   // lower process limit, mean − 2.66·AMR; NaN when the AMR is undefined
  double upl = 0;   // upper process limit; NaN likewise
  // y > upl or y < lpl (strict); nullopt when the limits are NaN (the reference's NA).
  std::optional<bool> outside_limits;
  int8_t relative_to_mean = 0;  // sign(y − mean): −1, 0 (exactly on the mean) or +1
  // Between 2 and 3 sigma on either side, not outside; nullopt when the limits are NaN.
  std::optional<bool> close_to_limits;
  SpecialCauseType special_cause_type = SpecialCauseType::kCommonCause;
  bool special_cause_flag = false;  // special_cause_type != kCommonCause
  PointType point_type = PointType::kCommonCause;
  double target = 0;  // the series' assurance target; NaN when none
};

// One rebase group of one chart (the reference's summary() row, plus the AMR).
struct SpcGroup {
  SpcDay start_date = 0;
  int32_t rebase_group = 0;
  int32_t n = 0;  // points in the group
  double mean = 0;
  double lpl = 0;  // NaN when the AMR is undefined
  double upl = 0;
  double amr = 0;  // average moving range after screening; NaN when undefined
};

struct SpcChart {
  std::string indicator;
  std::vector<SpcPoint> points;                                // date order
  std::vector<SpcGroup> groups;                                // date order
  VariationIcon variation_icon = VariationIcon::kCommonCause;  // from the last point
  // nullopt when there is no target or the direction is neutral.
  std::optional<AssuranceIcon> assurance_icon;
  // Data warnings: gaps in the dates, points dropped for missing values. Deviations switched
  // on in the options are reported once per run by SpcDeviationWarnings, not here.
  std::vector<std::string> warnings;
};

// OK, or kInvalidArgument naming the option: fix_after_n_points below 12, run_length other
// than 6 or 7, a non-finite target.
Status ValidateSpcOptions(const SpcOptions& options);

// Computes one chart. kInvalidArgument ("indicator 'NAME': …") on invalid options, dates and
// values of different lengths, a repeated date, a non-finite value, a missing value without
// skip_missing, or no values left to chart.
Result<SpcChart> ComputeSpc(const SpcSeries& series, const SpcOptions& options);

// As ComputeSpc, writing into `*out` and reusing its capacity: after warm-up a call makes no
// heap allocation unless it writes a warning. On error `*out` holds unspecified contents.
Status ComputeSpcInto(const SpcSeries& series, const SpcOptions& options, SpcChart* out);

// Computes every chart, splitting the series over `threads` threads (0 = one per core).
// Charts are in the order of `series`. Fails with the error of the first failing series.
Result<std::vector<SpcChart>> ComputeSpcCharts(const std::vector<SpcSeries>& series,
                                               const SpcOptions& options, int threads = 0);

// Every option that differs from the reference defaults, as "name=value" strings in a fixed
// order ("improvement=decrease", "target=95", "rebase=2024-04-01", "fix_after_n_points=12",
// "screen_outliers=false", "run_length=6", "two_in_three_beyond_limits=true",
// "skip_missing=true"). Empty for a default run.
std::vector<std::string> SpcNonDefaultOptions(const SpcOptions& options);

// One sentence for each option switched on that makes the output differ from the reference
// (run_length=6, two_in_three_beyond_limits, skip_missing); empty otherwise.
std::vector<std::string> SpcDeviationWarnings(const SpcOptions& options);

}  // namespace trellis::analytics
