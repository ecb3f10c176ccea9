// analytics/spc.cc — the XmR computation of spc.h, following shared/spc.md rule by rule.
// The hot path (ComputeSpcInto) writes straight into the caller's SpcChart and keeps its
// per-point rule bits in a thread-local buffer, so charting 10,000 indicators allocates only
// for their outputs.
#include "analytics/spc.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <numeric>
#include <system_error>
#include <thread>

namespace trellis::analytics {
namespace {

constexpr double kLimit = 2.66;                   // 3 / d2, d2 = 1.128 (3 sigma)
constexpr double kLimitClose = 2 * (kLimit / 3);  // 2 sigma, computed as the reference does
constexpr double kScreen = 3.267;                 // D4 for subgroups of 2
constexpr int kShortGroupThreshold = 13;          // ptd_spc.warning_threshold default
constexpr double kGapFactor = 1.5;                // a step > 1.5 × the median step is a gap
constexpr size_t kMaxListed = 5;                  // dates listed in one warning

// Per-point rule bits, kept outside SpcPoint because they never reach the output.
enum : uint8_t {
  kTrendEnd = 1,    // the point ends a run_length-point trend
  kShiftEnd = 2,    // the point ends a run_length-point shift
  kCounts2in3 = 4,  // the point counts toward "two in three"
  kPartTrend = 8,   // some trend ending at most run_length − 1 points later includes it
  kPartShift = 16,  // likewise for shifts
  kPart2in3 = 32,   // it is a counted point of a qualifying 3-point window
};

struct Scratch {
  std::vector<uint8_t> bits;
  std::vector<int32_t> steps;
};
thread_local Scratch scratch;

std::string Prefix(const SpcSeries& series) { return "indicator '" + series.indicator + "': "; }

std::string FormatNumber(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// R's mean(x[keep]): a long double sum divided by n, then one correction pass adding the mean
// residual. The same algorithm keeps "exactly on the mean" identical to the reference; an
// empty selection gives NaN as in R.
template <typename Get, typename Keep>
double RMean(size_t n, Get get, Keep keep) {
  long double s = 0;
  size_t count = 0;
  for (size_t k = 0; k < n; ++k) {
    if (!keep(k)) continue;
    s += get(k);
    ++count;
  }
  s /= static_cast<long double>(count);
  if (std::isfinite(static_cast<double>(s))) {
    long double t = 0;
    for (size_t k = 0; k < n; ++k)
      if (keep(k)) t += static_cast<long double>(get(k)) - s;
    s += t / static_cast<long double>(count);
  }
  return static_cast<double>(s);
}

int Sign(double d) { return (d > 0) - (d < 0); }

// Appends one warning listing the gaps, if any. A gap is a step between consecutive dates
// (sorted) longer than kGapFactor × the median step. Runs on every date of the input, missing
// values included: a skipped row is reported as skipped, not as a gap.
void CheckGaps(const std::vector<SpcDay>& dates, const std::string& indicator,
               std::vector<std::string>* warnings) {
  const size_t n = dates.size();
  if (n < 3) return;
  int32_t lo = INT32_MAX, hi = 0;
  for (size_t i = 1; i < n; ++i) {
    const int32_t step = dates[i] - dates[i - 1];
    lo = std::min(lo, step);
    hi = std::max(hi, step);
  }
  // The median is at least the smallest step: no step can be a gap if none exceeds 1.5 × it.
  if (hi <= kGapFactor * lo) return;
  std::vector<int32_t>& steps = scratch.steps;
  steps.clear();
  for (size_t i = 1; i < n; ++i) steps.push_back(dates[i] - dates[i - 1]);
  const size_t m = steps.size();
  std::nth_element(steps.begin(), steps.begin() + m / 2, steps.end());
  double median = steps[m / 2];
  if (m % 2 == 0) {
    const int32_t below = *std::max_element(steps.begin(), steps.begin() + m / 2);
    median = (median + below) / 2;
  }
  std::string listed;
  size_t gaps = 0;
  for (size_t i = 1; i < n; ++i) {
    const int32_t step = dates[i] - dates[i - 1];
    if (step <= kGapFactor * median) continue;
    if (++gaps > kMaxListed) continue;
    if (!listed.empty()) listed += ", ";
    listed += FormatIsoDate(dates[i - 1]) + " to " + FormatIsoDate(dates[i]) + " (" +
              std::to_string(step) + " days)";
  }
  if (gaps == 0) return;
  if (gaps > kMaxListed) listed += ", …";
  warnings->push_back("indicator '" + indicator + "': " + std::to_string(gaps) +
                      (gaps == 1 ? " gap" : " gaps") +
                      " in the dates (a step longer than 1.5 × the usual " + FormatNumber(median) +
                      " days): " + listed + "; the chart treats the points as consecutive");
}

PointType ClassifyPoint(SpecialCauseType type, ImprovementDirection improvement) {
  int v = 0;
  switch (type) {
    case SpecialCauseType::kAboveUcl:
    case SpecialCauseType::kTrendIncreasing:
    case SpecialCauseType::kTwoInThreeAbove:
    case SpecialCauseType::kShiftAbove:
      v = 1;
      break;
    case SpecialCauseType::kBelowLcl:
    case SpecialCauseType::kTrendDecreasing:
    case SpecialCauseType::kTwoInThreeBelow:
    case SpecialCauseType::kShiftBelow:
      v = -1;
      break;
    case SpecialCauseType::kCommonCause:
      break;
  }
  if (improvement == ImprovementDirection::kNeutral) {
    if (v > 0) return PointType::kSpecialCauseNeutralHigh;
    if (v < 0) return PointType::kSpecialCauseNeutralLow;
    return PointType::kCommonCause;
  }
  const int d = improvement == ImprovementDirection::kIncrease ? 1 : -1;
  if (v * d > 0) return PointType::kSpecialCauseImprovement;
  if (v * d < 0) return PointType::kSpecialCauseConcern;
  return PointType::kCommonCause;
}

// Limits, flags, rules and types for the points of one rebase group, p[0..n).
SpcGroup ComputeGroup(SpcPoint* p, size_t n, int32_t group_id, const SpcOptions& options) {
  const size_t L = static_cast<size_t>(options.run_length);
  const size_t nfix = options.fix_after_n_points
                          ? std::min(n, static_cast<size_t>(*options.fix_after_n_points))
                          : n;
  const auto all = [](size_t) { return true; };
  const double mean = RMean(
      nfix, [p](size_t k) { return p[k].value; }, all);
  // MR[k] = |y[k+1] − y[k]| within the fix window; the group's first point has none.
  const size_t m = nfix - 1;
  const auto mr = [p](size_t k) { return std::fabs(p[k + 1].value - p[k].value); };
  double amr = RMean(m, mr, all);
  if (options.screen_outliers) {
    // Once, strict: a constant series screens out every MR (0 < 0 is false) → AMR NaN.
    const double cut = kScreen * amr;
    amr = RMean(m, mr, [&](size_t k) { return mr(k) < cut; });
  }
  const double lpl = mean - kLimit * amr, upl = mean + kLimit * amr;
  const double nlpl = mean - kLimitClose * amr, nupl = mean + kLimitClose * amr;
  const bool limits_known = !std::isnan(amr);
  const bool short_group = n < static_cast<size_t>(kShortGroupThreshold);

  scratch.bits.assign(n, 0);
  // A plain pointer: writes through uint8_t may alias anything, so indexing the thread-local
  // vector would reload its data pointer on every access.
  uint8_t* const bits = scratch.bits.data();
  size_t up = 0, down = 0, same = 0;
  for (size_t i = 0; i < n; ++i) {
    SpcPoint& pt = p[i];
    const double y = pt.value;
    pt.rebase_group = group_id;
    pt.short_group_warning = short_group;
    pt.mean = mean;
    pt.lpl = lpl;
    pt.upl = upl;
    // NaN limits make every comparison false: nothing is outside or close (R's NA → FALSE).
    const bool outside = y > upl || y < lpl;
    const bool beyond_two_sigma = y < nlpl || y > nupl;
    const bool close = !outside && beyond_two_sigma;
    pt.outside_limits = limits_known ? std::optional<bool>(outside) : std::nullopt;
    pt.close_to_limits = limits_known ? std::optional<bool>(close) : std::nullopt;
    const int rtm = Sign(y - mean);
    pt.relative_to_mean = static_cast<int8_t>(rtm);
    if (options.two_in_three_beyond_limits ? beyond_two_sigma : close) bits[i] |= kCounts2in3;
    // Trend: run_length − 1 strictly rising (or falling) steps; a tie resets both runs.
    if (i > 0) {
      const double d = y - p[i - 1].value;
      up = d > 0 ? up + 1 : 0;
      down = d < 0 ? down + 1 : 0;
    }
    if (up + 1 >= L || down + 1 >= L) bits[i] |= kTrendEnd;
    // Shift: run_length points with the same non-zero side; a point on the mean resets it.
    if (rtm == 0) {
      same = 0;
    } else {
      same = (i > 0 && p[i - 1].relative_to_mean == rtm) ? same + 1 : 1;
    }
    if (same >= L) bits[i] |= kShiftEnd;
  }
  // "Part of" a trend or shift: an end point lies at most L − 1 points later in the group.
  size_t next_trend = SIZE_MAX, next_shift = SIZE_MAX;
  for (size_t i = n; i-- > 0;) {
    if (bits[i] & kTrendEnd) next_trend = i;
    if (bits[i] & kShiftEnd) next_shift = i;
    if (next_trend != SIZE_MAX && next_trend - i < L) bits[i] |= kPartTrend;
    if (next_shift != SIZE_MAX && next_shift - i < L) bits[i] |= kPartShift;
  }
  // Two in three: a window wholly inside the group with ≥ 2 counted points and all three on
  // the same side of the mean flags its counted points (not the third one).
  for (size_t s = 0; s + 2 < n; ++s) {
    const int counted = ((bits[s] & kCounts2in3) != 0) + ((bits[s + 1] & kCounts2in3) != 0) +
                        ((bits[s + 2] & kCounts2in3) != 0);
    const int side = p[s].relative_to_mean + p[s + 1].relative_to_mean + p[s + 2].relative_to_mean;
    if (counted < 2 || (side != 3 && side != -3)) continue;
    for (size_t k = s; k < s + 3; ++k)
      if (bits[k] & kCounts2in3) bits[k] |= kPart2in3;
  }
  for (size_t i = 0; i < n; ++i) {
    SpcPoint& pt = p[i];
    SpecialCauseType type = SpecialCauseType::kCommonCause;
    if (pt.outside_limits.value_or(false)) {
      type = pt.relative_to_mean == 1 ? SpecialCauseType::kAboveUcl : SpecialCauseType::kBelowLcl;
    } else if (bits[i] & kPartTrend) {
      // Direction of the trend (#171): the step to the next point when that point is also in
      // a trend, else the step from the previous point; zero counts as decreasing.
      int direction;
      if (i + 1 < n && (bits[i + 1] & kPartTrend))
        direction = Sign(p[i + 1].value - pt.value);
      else
        direction = i > 0 ? Sign(pt.value - p[i - 1].value) : 0;
      type =
          direction == 1 ? SpecialCauseType::kTrendIncreasing : SpecialCauseType::kTrendDecreasing;
    } else if (bits[i] & kPart2in3) {
      type = pt.relative_to_mean > 0 ? SpecialCauseType::kTwoInThreeAbove
                                     : SpecialCauseType::kTwoInThreeBelow;
    } else if (bits[i] & kPartShift) {
      type =
          pt.relative_to_mean > 0 ? SpecialCauseType::kShiftAbove : SpecialCauseType::kShiftBelow;
    }
    pt.special_cause_type = type;
    pt.special_cause_flag = type != SpecialCauseType::kCommonCause;
    pt.point_type = ClassifyPoint(type, options.improvement);
  }
  SpcGroup g;
  g.start_date = p[0].date;
  g.rebase_group = group_id;
  g.n = static_cast<int32_t>(n);
  g.mean = mean;
  g.lpl = lpl;
  g.upl = upl;
  g.amr = amr;
  return g;
}

VariationIcon VariationIconFor(PointType last, ImprovementDirection improvement) {
  const bool increase = improvement == ImprovementDirection::kIncrease;
  switch (last) {
    case PointType::kCommonCause:
      return VariationIcon::kCommonCause;
    case PointType::kSpecialCauseImprovement:
      return increase ? VariationIcon::kImprovementHigh : VariationIcon::kImprovementLow;
    case PointType::kSpecialCauseConcern:
      return increase ? VariationIcon::kConcernLow : VariationIcon::kConcernHigh;
    case PointType::kSpecialCauseNeutralHigh:
      return VariationIcon::kNeutralHigh;
    case PointType::kSpecialCauseNeutralLow:
      return VariationIcon::kNeutralLow;
  }
  return VariationIcon::kCommonCause;
}

}  // namespace

Result<SpcSeries> MakeSpcSeries(std::string indicator, const std::vector<std::string>& iso_dates,
                                std::vector<double> values, std::optional<double> target) {
  SpcSeries s;
  s.indicator = std::move(indicator);
  if (iso_dates.size() != values.size())
    return Status::InvalidArgument(Prefix(s) + std::to_string(iso_dates.size()) + " dates but " +
                                   std::to_string(values.size()) + " values");
  s.dates.reserve(iso_dates.size());
  for (size_t i = 0; i < iso_dates.size(); ++i) {
    std::optional<SpcDay> d = ParseIsoDate(iso_dates[i]);
    if (!d)
      return Status::InvalidArgument(Prefix(s) + "date " + std::to_string(i + 1) + ": '" +
                                     iso_dates[i] + "' is not a valid date (YYYY-MM-DD)");
    s.dates.push_back(*d);
  }
  s.values = std::move(values);
  s.target = target;
  return s;
}

Status ValidateSpcOptions(const SpcOptions& options) {
  if (options.fix_after_n_points && *options.fix_after_n_points < 12)
    return Status::InvalidArgument("fix_after_n_points must be 12 or more (got " +
                                   std::to_string(*options.fix_after_n_points) + ")");
  if (options.run_length != 7 && options.run_length != 6)
    return Status::InvalidArgument("run_length must be 7 or 6 (got " +
                                   std::to_string(options.run_length) + ")");
  if (options.target && !std::isfinite(*options.target))
    return Status::InvalidArgument("target must be a finite number");
  return Status::Ok();
}

Status ComputeSpcInto(const SpcSeries& series, const SpcOptions& options, SpcChart* out) {
  TRELLIS_RETURN_IF_ERROR(ValidateSpcOptions(options));
  const size_t total = series.dates.size();
  if (series.values.size() != total)
    return Status::InvalidArgument(Prefix(series) + std::to_string(total) + " dates but " +
                                   std::to_string(series.values.size()) + " values");
  if (series.target && !std::isfinite(*series.target))
    return Status::InvalidArgument(Prefix(series) + "the target must be a finite number");
  // The reference sorts by date; sort a copy in the rare case the caller did not.
  for (size_t i = 1; i < total; ++i) {
    if (series.dates[i] > series.dates[i - 1]) continue;
    std::vector<size_t> order(total);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return series.dates[a] < series.dates[b]; });
    SpcSeries sorted;
    sorted.indicator = series.indicator;
    sorted.target = series.target;
    for (size_t k = 0; k < total; ++k) {
      if (k > 0 && series.dates[order[k]] == series.dates[order[k - 1]])
        return Status::InvalidArgument(Prefix(series) + "date " +
                                       FormatIsoDate(series.dates[order[k]]) +
                                       " appears more than once");
      sorted.dates.push_back(series.dates[order[k]]);
      sorted.values.push_back(series.values[order[k]]);
    }
    return ComputeSpcInto(sorted, options, out);
  }

  out->indicator = series.indicator;
  out->points.clear();
  out->groups.clear();
  out->warnings.clear();
  out->assurance_icon.reset();
  size_t missing = 0;
  std::string missing_dates;
  for (size_t i = 0; i < total; ++i) {
    const double v = series.values[i];
    if (std::isnan(v)) {
      if (!options.skip_missing)
        return Status::InvalidArgument(Prefix(series) + FormatIsoDate(series.dates[i]) +
                                       ": the value is missing (skip_missing drops such points)");
      if (++missing <= kMaxListed) {
        if (!missing_dates.empty()) missing_dates += ", ";
        missing_dates += FormatIsoDate(series.dates[i]);
      }
      continue;
    }
    if (!std::isfinite(v))
      return Status::InvalidArgument(Prefix(series) + FormatIsoDate(series.dates[i]) +
                                     ": the value is not a finite number");
  }
  const size_t n = total - missing;
  if (n == 0) return Status::InvalidArgument(Prefix(series) + "no values to chart");
  const std::optional<double> target = series.target ? series.target : options.target;
  const double target_value = target.value_or(std::nan(""));
  // Built whole here (ComputeGroup fills the rest) rather than value-initialised by resize().
  out->points.reserve(n);
  for (size_t i = 0; i < total; ++i) {
    if (std::isnan(series.values[i])) continue;
    SpcPoint& pt = out->points.emplace_back();
    pt.date = series.dates[i];
    pt.value = series.values[i];
    pt.target = target_value;
  }
  if (missing > 0)
    out->warnings.push_back(Prefix(series) + "skipped " + std::to_string(missing) +
                            (missing == 1 ? " point" : " points") + " with a missing value (" +
                            missing_dates + (missing > kMaxListed ? ", …" : "") + ")");
  CheckGaps(series.dates, series.indicator, &out->warnings);

  // rebase_group = cumsum(rebase): a point whose date is a rebase date starts a new group.
  const auto is_rebase = [&](SpcDay d) {
    return std::find(options.rebase_dates.begin(), options.rebase_dates.end(), d) !=
           options.rebase_dates.end();
  };
  SpcPoint* p = out->points.data();
  int32_t group_id = is_rebase(p[0].date) ? 1 : 0;
  size_t begin = 0;
  for (size_t i = 1; i <= n; ++i) {
    if (i < n && !is_rebase(p[i].date)) continue;
    out->groups.push_back(ComputeGroup(p + begin, i - begin, group_id, options));
    ++group_id;
    begin = i;
  }

  const SpcPoint& last = out->points.back();
  out->variation_icon = VariationIconFor(last.point_type, options.improvement);
  if (target && options.improvement != ImprovementDirection::kNeutral) {
    const bool increase = options.improvement == ImprovementDirection::kIncrease;
    // Strict, on the last row's limits (fix #172); NaN limits fall through to inconsistent.
    if (*target > last.upl)
      out->assurance_icon =
          increase ? AssuranceIcon::kConsistentFail : AssuranceIcon::kConsistentPass;
    else if (*target < last.lpl)
      out->assurance_icon =
          increase ? AssuranceIcon::kConsistentPass : AssuranceIcon::kConsistentFail;
    else
      out->assurance_icon = AssuranceIcon::kInconsistent;
  }
  return Status::Ok();
}

Result<SpcChart> ComputeSpc(const SpcSeries& series, const SpcOptions& options) {
  SpcChart chart;
  TRELLIS_RETURN_IF_ERROR(ComputeSpcInto(series, options, &chart));
  return chart;
}

Result<std::vector<SpcChart>> ComputeSpcCharts(const std::vector<SpcSeries>& series,
                                               const SpcOptions& options, int threads) {
  TRELLIS_RETURN_IF_ERROR(ValidateSpcOptions(options));
  std::vector<SpcChart> charts(series.size());
  size_t workers = threads > 0 ? static_cast<size_t>(threads)
                               : std::max(1u, std::thread::hardware_concurrency());
  workers = std::max<size_t>(1, std::min(workers, series.size()));
  std::vector<Status> errors(workers);
  const auto run = [&](size_t w) {
    const size_t begin = series.size() * w / workers, end = series.size() * (w + 1) / workers;
    for (size_t i = begin; i < end; ++i) {
      errors[w] = ComputeSpcInto(series[i], options, &charts[i]);
      if (!errors[w].ok()) return;
    }
  };
  std::vector<std::thread> pool;
  for (size_t w = 1; w < workers; ++w) {
    try {
      pool.emplace_back(run, w);
    } catch (const std::system_error&) {
      run(w);  // no thread available: do that share here
    }
  }
  run(0);
  for (std::thread& t : pool) t.join();
  // Shares are contiguous and in order, so the first failing share holds the first failure.
  for (Status& s : errors)
    if (!s.ok()) return s;
  return charts;
}

std::vector<std::string> SpcNonDefaultOptions(const SpcOptions& options) {
  std::vector<std::string> out;
  if (options.improvement != ImprovementDirection::kIncrease)
    out.push_back("improvement=" + std::string(ImprovementDirectionName(options.improvement)));
  if (options.target) out.push_back("target=" + FormatNumber(*options.target));
  std::vector<SpcDay> rebase = options.rebase_dates;
  std::sort(rebase.begin(), rebase.end());
  rebase.erase(std::unique(rebase.begin(), rebase.end()), rebase.end());
  for (SpcDay d : rebase) out.push_back("rebase=" + FormatIsoDate(d));
  if (options.fix_after_n_points)
    out.push_back("fix_after_n_points=" + std::to_string(*options.fix_after_n_points));
  if (!options.screen_outliers) out.push_back("screen_outliers=false");
  if (options.run_length != 7) out.push_back("run_length=" + std::to_string(options.run_length));
  if (options.two_in_three_beyond_limits) out.push_back("two_in_three_beyond_limits=true");
  if (options.skip_missing) out.push_back("skip_missing=true");
  return out;
}

std::vector<std::string> SpcDeviationWarnings(const SpcOptions& options) {
  std::vector<std::string> out;
  if (options.run_length == 6)
    out.push_back(
        "run_length=6: trends and shifts need 6 points (the MDC Excel tool), not the "
        "reference's 7; their labels say 6");
  if (options.two_in_three_beyond_limits)
    out.push_back(
        "two_in_three_beyond_limits: points beyond 3 sigma count toward \"2 in 3\" (MDC since "
        "late 2023); the reference counts only the 2-3 sigma band");
  if (options.skip_missing)
    out.push_back(
        "skip_missing: points with a missing value are dropped before computing; the "
        "reference has no defined behaviour for them");
  return out;
}

}  // namespace trellis::analytics
