// Tests for analytics/spc.h: every rule of shared/spc.md on series built by hand, with the
// expected means, limits and labels worked out from the rules (not from the code).
#include "analytics/spc.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace trellis::analytics {
namespace {

constexpr double kTol = 1e-9;
constexpr SpecialCauseType CC = SpecialCauseType::kCommonCause;
constexpr SpecialCauseType UCL = SpecialCauseType::kAboveUcl;
constexpr SpecialCauseType LCL = SpecialCauseType::kBelowLcl;
constexpr SpecialCauseType INC = SpecialCauseType::kTrendIncreasing;
constexpr SpecialCauseType DEC = SpecialCauseType::kTrendDecreasing;
constexpr SpecialCauseType A23 = SpecialCauseType::kTwoInThreeAbove;
constexpr SpecialCauseType B23 = SpecialCauseType::kTwoInThreeBelow;
constexpr SpecialCauseType ASH = SpecialCauseType::kShiftAbove;
constexpr SpecialCauseType BSH = SpecialCauseType::kShiftBelow;
const double kNaN = std::numeric_limits<double>::quiet_NaN();

const SpcDay kJan1 = DaysFromCivil(2024, 1, 1);

// Daily dates from 2024-01-01.
SpcSeries Series(std::vector<double> values, std::optional<double> target = std::nullopt) {
  SpcSeries s;
  s.indicator = "ind";
  for (size_t i = 0; i < values.size(); ++i) s.dates.push_back(kJan1 + static_cast<SpcDay>(i));
  s.values = std::move(values);
  s.target = target;
  return s;
}

SpcChart Chart(std::vector<double> values, const SpcOptions& options = {},
               std::optional<double> target = std::nullopt) {
  Result<SpcChart> chart = ComputeSpc(Series(std::move(values), target), options);
  EXPECT_TRUE(chart.ok()) << chart.status().ToString();
  return chart.ok() ? *chart : SpcChart{};
}

std::vector<SpecialCauseType> Types(const SpcChart& chart) {
  std::vector<SpecialCauseType> out;
  for (const SpcPoint& p : chart.points) out.push_back(p.special_cause_type);
  return out;
}

std::vector<int> Sides(const SpcChart& chart) {
  std::vector<int> out;
  for (const SpcPoint& p : chart.points) out.push_back(p.relative_to_mean);
  return out;
}

// Twelve points alternating −1, 1: mean exactly 0, every MR 2, AMR 2, so with
// fix_after_n_points = 12 the limits are ±5.32 and the 2-sigma lines ±3.54667 whatever
// follows. Lets a test place later points precisely.
std::vector<double> Baseline(std::vector<double> tail) {
  std::vector<double> v;
  for (int i = 0; i < 12; ++i) v.push_back(i % 2 == 0 ? -1 : 1);
  v.insert(v.end(), tail.begin(), tail.end());
  return v;
}

SpcOptions Fixed12() {
  SpcOptions o;
  o.fix_after_n_points = 12;
  return o;
}

// ---------------------------------------------------------------------------------------------
// Names

TEST(SpcNames, ExactReferenceStrings) {
  EXPECT_EQ(SpecialCauseTypeName(UCL), "Above UCL");
  EXPECT_EQ(SpecialCauseTypeName(LCL), "Below LCL");
  EXPECT_EQ(SpecialCauseTypeName(INC), "7 Point Trend (Increasing)");
  EXPECT_EQ(SpecialCauseTypeName(DEC), "7 Point Trend (Decreasing)");
  EXPECT_EQ(SpecialCauseTypeName(A23), "2 in 3 Above CL");
  EXPECT_EQ(SpecialCauseTypeName(B23), "2 in 3 Below CL");
  EXPECT_EQ(SpecialCauseTypeName(ASH), "7 Points Above CL");
  EXPECT_EQ(SpecialCauseTypeName(BSH), "7 Points Below CL");
  EXPECT_EQ(SpecialCauseTypeName(CC), "Common Cause");
  // Run length 6 (deviation): the labels say 6.
  EXPECT_EQ(SpecialCauseTypeName(INC, 6), "6 Point Trend (Increasing)");
  EXPECT_EQ(SpecialCauseTypeName(DEC, 6), "6 Point Trend (Decreasing)");
  EXPECT_EQ(SpecialCauseTypeName(ASH, 6), "6 Points Above CL");
  EXPECT_EQ(SpecialCauseTypeName(BSH, 6), "6 Points Below CL");
  EXPECT_EQ(SpecialCauseTypeName(UCL, 6), "Above UCL");
  EXPECT_EQ(PointTypeName(PointType::kSpecialCauseNeutralHigh), "special_cause_neutral_high");
  EXPECT_EQ(VariationIconName(VariationIcon::kConcernLow), "concern_low");
  EXPECT_EQ(AssuranceIconName(AssuranceIcon::kConsistentPass), "consistent_pass");
  EXPECT_EQ(ParseImprovementDirection("decrease"), ImprovementDirection::kDecrease);
  EXPECT_EQ(ParseImprovementDirection("up"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------
// Mean, moving ranges, limits

TEST(Spc, MeanAmrAndLimitsByHand) {
  // mean 55/5 = 11; MRs 2,1,2,4 → AMR 2.25 (none ≥ 3.267 × 2.25 = 7.35).
  SpcChart c = Chart({10, 12, 11, 13, 9});
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_NEAR(c.groups[0].mean, 11, kTol);
  EXPECT_NEAR(c.groups[0].amr, 2.25, kTol);
  EXPECT_NEAR(c.groups[0].lpl, 11 - 2.66 * 2.25, kTol);  // 5.015
  EXPECT_NEAR(c.groups[0].upl, 11 + 2.66 * 2.25, kTol);  // 16.985
  EXPECT_EQ(c.groups[0].n, 5);
  EXPECT_EQ(c.groups[0].start_date, kJan1);
  for (const SpcPoint& p : c.points) {
    EXPECT_NEAR(p.mean, 11, kTol);
    EXPECT_NEAR(p.lpl, 5.015, kTol);
    EXPECT_NEAR(p.upl, 16.985, kTol);
    EXPECT_EQ(p.outside_limits, false);
    EXPECT_EQ(p.close_to_limits, false);
    EXPECT_TRUE(std::isnan(p.target));
  }
  // 11 is exactly on the mean: relative_to_mean 0.
  EXPECT_EQ(Sides(c), (std::vector<int>{-1, 1, 0, 1, -1}));
  EXPECT_EQ(Types(c), std::vector<SpecialCauseType>(5, CC));
  EXPECT_EQ(c.variation_icon, VariationIcon::kCommonCause);
  EXPECT_EQ(c.assurance_icon, std::nullopt);
}

TEST(Spc, ScreeningDropsLargeMovingRangesOnce) {
  // MRs 1,1,1,1,1,29,29,1,1: AMR 65/9 ≈ 7.22; 3.267 × 7.22 ≈ 23.6, so both 29s go and the
  // screened AMR is 7/7 = 1. mean 135/10 = 13.5.
  const std::vector<double> y = {10, 11, 10, 11, 10, 11, 40, 11, 10, 11};
  SpcChart on = Chart(y);
  EXPECT_NEAR(on.groups[0].mean, 13.5, kTol);
  EXPECT_NEAR(on.groups[0].amr, 1, kTol);
  EXPECT_NEAR(on.groups[0].lpl, 10.84, kTol);
  EXPECT_NEAR(on.groups[0].upl, 16.16, kTol);
  // 10 < 10.84 → Below LCL; 11 is in the 2–3 sigma band (nlpl = 13.5 − 1.7733 = 11.727) and
  // every 11 sits in a window like (11, 10, 11): two close points, all below the mean.
  EXPECT_EQ(Types(on),
            (std::vector<SpecialCauseType>{LCL, B23, LCL, B23, LCL, B23, UCL, B23, LCL, B23}));
  EXPECT_EQ(on.points[1].close_to_limits, true);
  EXPECT_EQ(on.points[0].close_to_limits, false);  // beyond 3 sigma is not "close"

  SpcOptions no_screen;
  no_screen.screen_outliers = false;
  SpcChart off = Chart(y, no_screen);
  EXPECT_NEAR(off.groups[0].amr, 65.0 / 9, kTol);
  EXPECT_NEAR(off.groups[0].lpl, 13.5 - 2.66 * 65 / 9, kTol);
  EXPECT_NEAR(off.groups[0].upl, 13.5 + 2.66 * 65 / 9, kTol);  // 32.71
  std::vector<SpecialCauseType> want(10, CC);
  want[6] = UCL;
  EXPECT_EQ(Types(off), want);
}

TEST(Spc, ScreeningIsNotRepeated) {
  // MRs 1,1,1,1,1,1,1,1,6,10: AMR 2.4, cut 7.84 drops only the 10 → AMR 14/9 ≈ 1.556. A second
  // pass would then drop the 6 (6 ≥ 3.267 × 1.556 = 5.08); the reference does not.
  SpcChart c = Chart({0, 1, 0, 1, 0, 1, 0, 1, 0, 6, 16});
  EXPECT_NEAR(c.groups[0].amr, 14.0 / 9, kTol);
}

TEST(Spc, ConstantSeriesWithScreeningHasNoLimits) {
  // Every MR is 0 and 0 < 3.267 × 0 is false: all are screened out, AMR NaN, limits NaN.
  SpcChart c = Chart(std::vector<double>(15, 5), {}, 4.0);
  EXPECT_NEAR(c.groups[0].mean, 5, kTol);
  EXPECT_TRUE(std::isnan(c.groups[0].amr));
  for (const SpcPoint& p : c.points) {
    EXPECT_TRUE(std::isnan(p.lpl));
    EXPECT_TRUE(std::isnan(p.upl));
    EXPECT_EQ(p.outside_limits, std::nullopt);
    EXPECT_EQ(p.close_to_limits, std::nullopt);
    EXPECT_EQ(p.relative_to_mean, 0);
    EXPECT_EQ(p.special_cause_type, CC);
    EXPECT_FALSE(p.special_cause_flag);
    EXPECT_EQ(p.point_type, PointType::kCommonCause);
  }
  // Target against NaN limits: neither comparison holds → inconsistent.
  EXPECT_EQ(c.assurance_icon, AssuranceIcon::kInconsistent);
}

TEST(Spc, ConstantSeriesWithoutScreeningHasLimitsOnTheMean) {
  SpcOptions o;
  o.screen_outliers = false;
  SpcChart c = Chart(std::vector<double>(15, 5), o);
  EXPECT_NEAR(c.groups[0].amr, 0, kTol);
  for (const SpcPoint& p : c.points) {
    EXPECT_EQ(p.lpl, 5);
    EXPECT_EQ(p.upl, 5);
    EXPECT_EQ(p.outside_limits, false);  // strict comparison
    EXPECT_EQ(p.close_to_limits, false);
    EXPECT_EQ(p.special_cause_type, CC);
  }
}

TEST(Spc, OnePointHasNaNLimitsAndCommonCause) {
  SpcChart c = Chart({42}, {}, 40.0);
  ASSERT_EQ(c.points.size(), 1u);
  const SpcPoint& p = c.points[0];
  EXPECT_EQ(p.mean, 42);
  EXPECT_TRUE(std::isnan(p.lpl));
  EXPECT_TRUE(std::isnan(p.upl));
  EXPECT_TRUE(std::isnan(c.groups[0].amr));
  EXPECT_EQ(p.outside_limits, std::nullopt);
  EXPECT_EQ(p.relative_to_mean, 0);
  EXPECT_EQ(p.special_cause_type, CC);
  EXPECT_TRUE(p.short_group_warning);
  EXPECT_EQ(p.target, 40);
  EXPECT_EQ(c.variation_icon, VariationIcon::kCommonCause);
  EXPECT_EQ(c.assurance_icon, AssuranceIcon::kInconsistent);
}

TEST(Spc, ShortGroupWarningBelowThirteenPoints) {
  for (int n : {1, 6, 7, 12, 13, 14}) {
    std::vector<double> y;
    for (int i = 0; i < n; ++i) y.push_back(i % 3);
    SpcChart c = Chart(y);
    for (const SpcPoint& p : c.points) EXPECT_EQ(p.short_group_warning, n < 13) << n;
  }
}

TEST(Spc, SixPointsCannotTrendSevenCan) {
  // 1..6: mean 3.5, AMR 1, limits 0.84/6.16: nothing outside, no 7-point run possible.
  EXPECT_EQ(Types(Chart({1, 2, 3, 4, 5, 6})), std::vector<SpecialCauseType>(6, CC));
  // 1..7: mean 4, AMR 1, limits 1.34/6.66: the ends are outside (precedence over the trend),
  // the rest is the trend.
  EXPECT_EQ(Types(Chart({1, 2, 3, 4, 5, 6, 7})),
            (std::vector<SpecialCauseType>{LCL, INC, INC, INC, INC, INC, UCL}));
}

// ---------------------------------------------------------------------------------------------
// Trends

TEST(SpcTrend, SevenRisingPointsInsideWideLimits) {
  // mean 58/12; MRs 10,10,9,1,1,1,1,1,1,7,10 → AMR 52/11; limits −7.74/17.41; no close point.
  SpcChart c = Chart({10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 0, 10});
  EXPECT_NEAR(c.groups[0].mean, 58.0 / 12, kTol);
  EXPECT_NEAR(c.groups[0].amr, 52.0 / 11, kTol);
  EXPECT_EQ(Types(c),
            (std::vector<SpecialCauseType>{CC, CC, CC, INC, INC, INC, INC, INC, INC, INC, CC, CC}));
  EXPECT_EQ(c.points[3].point_type, PointType::kSpecialCauseImprovement);
  // Mirror image: falling trend.
  SpcChart d = Chart({0, 10, 0, 9, 8, 7, 6, 5, 4, 3, 10, 0});
  EXPECT_EQ(Types(d),
            (std::vector<SpecialCauseType>{CC, CC, CC, DEC, DEC, DEC, DEC, DEC, DEC, DEC, CC, CC}));
  EXPECT_EQ(d.points[3].point_type, PointType::kSpecialCauseConcern);
}

TEST(SpcTrend, TieBreaksTheTrend) {
  // 1,2,3,3,4,5,6 has a zero step: no trend (c(1:3, 3:6) in the reference's words).
  EXPECT_EQ(Types(Chart({10, 0, 10, 1, 2, 3, 3, 4, 5, 6, 0, 10})),
            std::vector<SpecialCauseType>(12, CC));
}

TEST(SpcTrend, RunsLongerThanSevenAreFlaggedInFull) {
  // Eight rising points 1..8 after the wide opening.
  SpcChart c = Chart({10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 8, 0, 10});
  EXPECT_EQ(Types(c), (std::vector<SpecialCauseType>{CC, CC, CC, INC, INC, INC, INC, INC, INC, INC,
                                                     INC, CC, CC}));
}

TEST(SpcTrend, PeakSharedByTwoTrendsIsDecreasing) {
  // Up 1..7 (points 4–10), down 7..1 (points 10–16). mean 89/20; AMR 80/19; limits
  // −6.75/15.65; no close points; no 7-point shift.
  SpcChart c = Chart({0, 10, 0, 10, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1, 10, 0, 10});
  EXPECT_NEAR(c.groups[0].mean, 89.0 / 20, kTol);
  EXPECT_NEAR(c.groups[0].amr, 80.0 / 19, kTol);
  EXPECT_EQ(Types(c),
            (std::vector<SpecialCauseType>{CC,  CC,  CC,  CC,  INC, INC, INC, INC, INC, INC,
                                           DEC, DEC, DEC, DEC, DEC, DEC, DEC, CC,  CC,  CC}));
}

TEST(SpcTrend, TroughTakesTheDirectionOfTheRiseAfterIt) {
  SpcChart c = Chart({10, 0, 10, 0, 9, 8, 7, 6, 5, 4, 3, 4, 5, 6, 7, 8, 9, 0, 10, 0});
  EXPECT_EQ(Types(c),
            (std::vector<SpecialCauseType>{CC,  CC,  CC,  CC,  DEC, DEC, DEC, DEC, DEC, DEC,
                                           INC, INC, INC, INC, INC, INC, INC, CC,  CC,  CC}));
}

TEST(SpcTrend, ZeroDirectionBetweenTwoTrendsIsDecreasing) {
  // Rising 1..7 (points 4–10), then rising 7..13 (points 11–17) starting with a tie: point 10
  // is in a trend and so is point 11, so its direction is sign(7 − 7) = 0 → "Decreasing".
  // mean 178/23 ≈ 7.74, AMR 184/22 ≈ 8.36: limits −14.5/30.0, nothing outside or close.
  SpcChart c = Chart({0, 20, 0, 20, 1, 2, 3, 4, 5, 6, 7, 7, 8, 9, 10, 11, 12, 13, 0, 20, 0, 20, 0});
  EXPECT_EQ(Types(c), (std::vector<SpecialCauseType>{CC,  CC,  CC,  CC,  INC, INC, INC, INC,
                                                     INC, INC, DEC, INC, INC, INC, INC, INC,
                                                     INC, INC, CC,  CC,  CC,  CC,  CC}));
  EXPECT_EQ(c.points[10].point_type, PointType::kSpecialCauseConcern);
}

// ---------------------------------------------------------------------------------------------
// Shifts

TEST(SpcShift, SevenPointsEachSide) {
  // Above: 10.5/13.5 alternating; below: 9.5/6.5. mean 140/14 = 10; MRs 3 ×6, 1, 3 ×6 →
  // AMR 37/13; 2-sigma line 10 ± 5.05, so no point is close.
  SpcChart c = Chart({10.5, 13.5, 10.5, 13.5, 10.5, 13.5, 10.5, 9.5, 6.5, 9.5, 6.5, 9.5, 6.5, 9.5});
  EXPECT_NEAR(c.groups[0].mean, 10, kTol);
  EXPECT_NEAR(c.groups[0].amr, 37.0 / 13, kTol);
  std::vector<SpecialCauseType> want(7, ASH);
  want.insert(want.end(), 7, BSH);
  EXPECT_EQ(Types(c), want);
  EXPECT_EQ(c.points[0].point_type, PointType::kSpecialCauseImprovement);
  EXPECT_EQ(c.points[13].point_type, PointType::kSpecialCauseConcern);
  EXPECT_EQ(c.variation_icon, VariationIcon::kConcernLow);
}

TEST(SpcShift, PointExactlyOnTheMeanBreaksTheRun) {
  // As above with 13.5 → 10 and 6.5 → 10 (the mean stays exactly 10).
  SpcChart c = Chart({10.5, 13.5, 10.5, 10, 10.5, 13.5, 10.5, 9.5, 6.5, 9.5, 10, 9.5, 6.5, 9.5});
  EXPECT_NEAR(c.groups[0].mean, 10, kTol);
  EXPECT_EQ(c.points[3].relative_to_mean, 0);
  EXPECT_EQ(c.points[10].relative_to_mean, 0);
  EXPECT_EQ(Types(c), std::vector<SpecialCauseType>(14, CC));
}

// ---------------------------------------------------------------------------------------------
// Two in three (limits ±5.32, 2-sigma lines ±3.5467 from Baseline)

TEST(SpcTwoInThree, BandSubtleties) {
  SpcChart c = Chart(Baseline({
                         4,  0.5, 4,     // 12–14: two close, all above → 12 and 14 flagged
                         -1, -1,         // 15–16
                         6,  4,   0.5,   // 17–19: 6 is beyond 3 sigma, so only one close (#153)
                         -1, -1,         // 20–21
                         4,  -1,  4,     // 22–24: two close but not all on one side
                         -1, -1,         // 25–26
                         4,  0,   4,     // 27–29: a point on the mean: |sum| = 2, never 2 in 3
                         -1, -1,         // 30–31
                         -4, -4,  -0.5,  // 32–34: below
                     }),
                     Fixed12());
  EXPECT_NEAR(c.points[20].lpl, -5.32, kTol);
  EXPECT_NEAR(c.points[20].upl, 5.32, kTol);
  std::vector<SpecialCauseType> want(35, CC);
  want[12] = A23;
  want[14] = A23;
  want[17] = UCL;
  want[32] = B23;
  want[33] = B23;
  EXPECT_EQ(Types(c), want);
  EXPECT_EQ(c.points[18].close_to_limits, true);
  EXPECT_EQ(c.points[17].close_to_limits, false);
  EXPECT_EQ(c.points[17].outside_limits, true);
  EXPECT_EQ(c.points[32].point_type, PointType::kSpecialCauseConcern);
}

TEST(SpcTwoInThree, BeyondLimitsOptionCountsThreeSigmaPoints) {
  SpcOptions o = Fixed12();
  o.two_in_three_beyond_limits = true;
  SpcChart c = Chart(Baseline({-1, 6, 4, 0.5, -1}), o);
  std::vector<SpecialCauseType> want(17, CC);
  want[13] = UCL;  // precedence keeps the 3-sigma point "Above UCL"
  want[14] = A23;  // now the 2–3 sigma neighbour is flagged
  EXPECT_EQ(Types(c), want);
  // Reference behaviour for the same data: the neighbour stays common cause.
  want[14] = CC;
  EXPECT_EQ(Types(Chart(Baseline({-1, 6, 4, 0.5, -1}), Fixed12())), want);
}

TEST(SpcTwoInThree, WindowMustLieInsideTheGroup) {
  // Two close points at the very end. The last full window (0.5, 4, 4) is all above: flagged.
  SpcChart c = Chart(Baseline({0.5, 4, 4}), Fixed12());
  EXPECT_EQ(c.points[12].special_cause_type, CC);
  EXPECT_EQ(c.points[13].special_cause_type, A23);
  EXPECT_EQ(c.points[14].special_cause_type, A23);
  EXPECT_EQ(c.variation_icon, VariationIcon::kImprovementHigh);
  // With −1 before them, the only windows holding both would run past the end: not flagged.
  SpcChart d = Chart(Baseline({-1, 4, 4}), Fixed12());
  EXPECT_EQ(d.points[13].special_cause_type, CC);
  EXPECT_EQ(d.points[14].special_cause_type, CC);
}

// ---------------------------------------------------------------------------------------------
// Precedence: outside > trend > two in three > shift

TEST(SpcPrecedence, EachStep) {
  // Outside beats trend: 1..7 (see SixPointsCannotTrendSevenCan).
  // Trend beats two in three and shift: a rising run 0.5..4.1 above the mean, its last two
  // points close. With the baseline's last point (1) the run above the mean is 8 long, so
  // point 11, outside the trend, shows the shift.
  SpcChart c = Chart(Baseline({0.5, 1, 1.5, 2, 2.5, 3.7, 4.1, -1}), Fixed12());
  std::vector<SpecialCauseType> want(20, CC);
  want[11] = ASH;
  for (int i = 12; i <= 18; ++i) want[i] = INC;
  EXPECT_EQ(Types(c), want);
  EXPECT_EQ(c.points[17].close_to_limits, true);
  EXPECT_EQ(c.points[18].close_to_limits, true);

  // Two in three beats shift: seven points above, two of them close, not monotone.
  SpcChart d = Chart(Baseline({0.5, 2, 0.5, 4, 4, 0.5, 2, -1}), Fixed12());
  want.assign(20, CC);
  for (int i = 11; i <= 18; ++i) want[i] = ASH;
  want[15] = A23;
  want[16] = A23;
  EXPECT_EQ(Types(d), want);
}

// ---------------------------------------------------------------------------------------------
// Rebase and fix_after_n_points

TEST(SpcRebase, GroupsAreComputedSeparately) {
  SpcOptions o;
  o.rebase_dates = {kJan1 + 5};
  SpcChart c = Chart({1, 3, 1, 3, 1, 10, 14, 10, 14, 10}, o);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_EQ(c.groups[0].rebase_group, 0);
  EXPECT_EQ(c.groups[0].n, 5);
  EXPECT_NEAR(c.groups[0].mean, 9.0 / 5, kTol);
  EXPECT_NEAR(c.groups[0].amr, 2, kTol);
  EXPECT_EQ(c.groups[1].rebase_group, 1);
  EXPECT_EQ(c.groups[1].start_date, kJan1 + 5);
  EXPECT_NEAR(c.groups[1].mean, 58.0 / 5, kTol);
  EXPECT_NEAR(c.groups[1].amr, 4, kTol);
  EXPECT_NEAR(c.groups[1].lpl, 11.6 - 2.66 * 4, kTol);
  EXPECT_EQ(c.points[4].rebase_group, 0);
  EXPECT_EQ(c.points[5].rebase_group, 1);  // the rebase point starts the new group
  EXPECT_NEAR(c.points[5].mean, 11.6, kTol);
}

TEST(SpcRebase, NoRuleLooksAcrossTheBoundary) {
  // 1..7 is a trend (with outside ends) in one group; split 4 + 3 it is nothing.
  SpcOptions o;
  o.rebase_dates = {kJan1 + 4};
  EXPECT_EQ(Types(Chart({1, 2, 3, 4, 5, 6, 7}, o)), std::vector<SpecialCauseType>(7, CC));
}

TEST(SpcRebase, FirstDateAndUnknownDates) {
  SpcOptions o;
  o.rebase_dates = {kJan1 - 30, kJan1, kJan1 + 100};  // before the data, day one, after it
  SpcChart c = Chart({1, 3, 1, 3}, o);
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].rebase_group, 1);
  for (const SpcPoint& p : c.points) EXPECT_EQ(p.rebase_group, 1);
}

TEST(SpcFixAfter, MeanAndLimitsFromTheFirstPointsOfEachGroup) {
  // Group 0: 12 points alternating 0/2 (mean 1, AMR 2), then 100, 100: outside, ignored by
  // the mean. Group 1 (rebase): 12 points alternating 10/14 (mean 12, AMR 4), then 12, 12.
  std::vector<double> y;
  for (int i = 0; i < 12; ++i) y.push_back(i % 2 == 0 ? 0 : 2);
  y.push_back(100);
  y.push_back(100);
  for (int i = 0; i < 12; ++i) y.push_back(i % 2 == 0 ? 10 : 14);
  y.push_back(12);
  y.push_back(12);
  SpcOptions o = Fixed12();
  o.rebase_dates = {kJan1 + 14};
  SpcChart c = Chart(y, o);
  ASSERT_EQ(c.groups.size(), 2u);
  EXPECT_NEAR(c.groups[0].mean, 1, kTol);
  EXPECT_NEAR(c.groups[0].amr, 2, kTol);
  EXPECT_EQ(c.groups[0].n, 14);
  EXPECT_NEAR(c.groups[1].mean, 12, kTol);
  EXPECT_NEAR(c.groups[1].amr, 4, kTol);
  EXPECT_NEAR(c.groups[1].upl, 12 + 2.66 * 4, kTol);
  EXPECT_EQ(c.points[12].special_cause_type, UCL);
  EXPECT_EQ(c.points[13].special_cause_type, UCL);
  EXPECT_EQ(c.points[27].relative_to_mean, 0);
  EXPECT_FALSE(c.points[27].short_group_warning);

  // Without fixing, the 100s pull the mean of group 0 up.
  o.fix_after_n_points.reset();
  SpcChart all = Chart(y, o);
  EXPECT_NEAR(all.groups[0].mean, 212.0 / 14, kTol);
}

TEST(SpcFixAfter, BelowTwelveIsRejected) {
  SpcOptions o;
  o.fix_after_n_points = 11;
  Result<SpcChart> c = ComputeSpc(Series({1, 2, 3}), o);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), "fix_after_n_points must be 12 or more (got 11)");
}

// ---------------------------------------------------------------------------------------------
// Run length 6 (deviation)

TEST(SpcRunLength, SixPointTrendsAndShifts) {
  SpcOptions six = Fixed12();
  six.run_length = 6;
  // Six rising points crossing the mean (so no shift), then down.
  const std::vector<double> y = Baseline({-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -1});
  std::vector<SpecialCauseType> want(19, CC);
  EXPECT_EQ(Types(Chart(y, Fixed12())), want);  // too short for the reference
  for (int i = 12; i <= 17; ++i) want[i] = INC;
  EXPECT_EQ(Types(Chart(y, six)), want);
  // Six points above, not monotone: a 6-point shift.
  const std::vector<double> z = Baseline({-1, 0.5, 2, 0.5, 2, 0.5, 2, -1});
  want.assign(20, CC);
  EXPECT_EQ(Types(Chart(z, Fixed12())), want);
  for (int i = 13; i <= 18; ++i) want[i] = ASH;
  EXPECT_EQ(Types(Chart(z, six)), want);
}

TEST(SpcRunLength, OnlySixOrSeven) {
  SpcOptions o;
  o.run_length = 8;
  EXPECT_EQ(ValidateSpcOptions(o).message(), "run_length must be 7 or 6 (got 8)");
}

// ---------------------------------------------------------------------------------------------
// Icons

TEST(SpcIcons, EveryVariationIcon) {
  struct Case {
    double last;
    ImprovementDirection direction;
    VariationIcon icon;
    PointType type;
  };
  const Case cases[] = {
      {0, ImprovementDirection::kIncrease, VariationIcon::kCommonCause, PointType::kCommonCause},
      {10, ImprovementDirection::kIncrease, VariationIcon::kImprovementHigh,
       PointType::kSpecialCauseImprovement},
      {-10, ImprovementDirection::kIncrease, VariationIcon::kConcernLow,
       PointType::kSpecialCauseConcern},
      {-10, ImprovementDirection::kDecrease, VariationIcon::kImprovementLow,
       PointType::kSpecialCauseImprovement},
      {10, ImprovementDirection::kDecrease, VariationIcon::kConcernHigh,
       PointType::kSpecialCauseConcern},
      {10, ImprovementDirection::kNeutral, VariationIcon::kNeutralHigh,
       PointType::kSpecialCauseNeutralHigh},
      {-10, ImprovementDirection::kNeutral, VariationIcon::kNeutralLow,
       PointType::kSpecialCauseNeutralLow},
      {0, ImprovementDirection::kNeutral, VariationIcon::kCommonCause, PointType::kCommonCause},
  };
  for (const Case& k : cases) {
    SpcOptions o = Fixed12();
    o.improvement = k.direction;
    SpcChart c = Chart(Baseline({k.last}), o);
    EXPECT_EQ(c.variation_icon, k.icon) << k.last << " " << ImprovementDirectionName(k.direction);
    EXPECT_EQ(c.points.back().point_type, k.type);
  }
}

TEST(SpcIcons, EveryAssuranceIcon) {
  // Limits −5.32 / 5.32 (Baseline with one more point at 0).
  const double upl = 0 + 2.66 * 2.0, lpl = 0 - 2.66 * 2.0;
  struct Case {
    std::optional<double> target;
    ImprovementDirection direction;
    std::optional<AssuranceIcon> icon;
  };
  const Case cases[] = {
      {6, ImprovementDirection::kIncrease, AssuranceIcon::kConsistentFail},
      {-6, ImprovementDirection::kIncrease, AssuranceIcon::kConsistentPass},
      {0, ImprovementDirection::kIncrease, AssuranceIcon::kInconsistent},
      {upl, ImprovementDirection::kIncrease, AssuranceIcon::kInconsistent},  // on a limit
      {lpl, ImprovementDirection::kIncrease, AssuranceIcon::kInconsistent},
      {6, ImprovementDirection::kDecrease, AssuranceIcon::kConsistentPass},
      {-6, ImprovementDirection::kDecrease, AssuranceIcon::kConsistentFail},
      {upl, ImprovementDirection::kDecrease, AssuranceIcon::kInconsistent},
      {6, ImprovementDirection::kNeutral, std::nullopt},
      {std::nullopt, ImprovementDirection::kIncrease, std::nullopt},
  };
  for (const Case& k : cases) {
    SpcOptions o = Fixed12();
    o.improvement = k.direction;
    o.target = k.target;
    SpcChart c = Chart(Baseline({0}), o);
    ASSERT_EQ(c.points.back().upl, upl);
    EXPECT_EQ(c.assurance_icon, k.icon)
        << k.target.value_or(-999) << " " << ImprovementDirectionName(k.direction);
  }
}

TEST(SpcIcons, AssuranceUsesTheLastGroupsLimits) {
  // Group 0 around 0 (limits ±5.32), group 1 around 100: target 50 is above group 0's upper
  // limit but below group 1's lower limit → consistent_pass for "increase" (fix #172).
  std::vector<double> y = Baseline({});
  for (int i = 0; i < 12; ++i) y.push_back(i % 2 == 0 ? 99 : 101);
  SpcOptions o;
  o.rebase_dates = {kJan1 + 12};
  o.target = 50;
  SpcChart c = Chart(y, o);
  EXPECT_EQ(c.assurance_icon, AssuranceIcon::kConsistentPass);
}

TEST(SpcIcons, SeriesTargetOverridesTheOptionsTarget) {
  SpcOptions o = Fixed12();
  o.target = 6;  // would be consistent_fail
  SpcChart c = Chart(Baseline({0}), o, -6.0);
  EXPECT_EQ(c.assurance_icon, AssuranceIcon::kConsistentPass);
  EXPECT_EQ(c.points[0].target, -6);
}

// ---------------------------------------------------------------------------------------------
// Input handling: missing values, order, gaps

TEST(SpcInput, MissingValueIsAnErrorUnlessSkipped) {
  SpcSeries s = Series({1, 2, kNaN, 4});
  Result<SpcChart> c = ComputeSpc(s, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "indicator 'ind': 2024-01-03: the value is missing (skip_missing drops such points)");

  SpcOptions skip;
  skip.skip_missing = true;
  Result<SpcChart> k = ComputeSpc(s, skip);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  ASSERT_EQ(k->points.size(), 3u);
  EXPECT_EQ(k->points[2].date, kJan1 + 3);
  EXPECT_NEAR(k->points[0].mean, 7.0 / 3, kTol);  // dropped before computing
  // MRs over the remaining points: |2−1|, |4−2| → AMR 1.5.
  EXPECT_NEAR(k->groups[0].amr, 1.5, kTol);
  ASSERT_EQ(k->warnings.size(), 1u);
  EXPECT_EQ(k->warnings[0], "indicator 'ind': skipped 1 point with a missing value (2024-01-03)");
}

TEST(SpcInput, AllMissingIsAnError) {
  SpcOptions skip;
  skip.skip_missing = true;
  Result<SpcChart> c = ComputeSpc(Series({kNaN, kNaN}), skip);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(), "indicator 'ind': no values to chart");
}

TEST(SpcInput, UnsortedDatesAreSortedAndRepeatsRejected) {
  SpcSeries s = Series({1, 2, 3});
  std::swap(s.dates[0], s.dates[2]);  // values 1,2,3 on days 2,1,0
  Result<SpcChart> c = ComputeSpc(s, {});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->points[0].date, kJan1);
  EXPECT_EQ(c->points[0].value, 3);
  EXPECT_EQ(c->points[2].value, 1);

  s.dates = {kJan1, kJan1 + 1, kJan1};
  Result<SpcChart> d = ComputeSpc(s, {});
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().message(), "indicator 'ind': date 2024-01-01 appears more than once");
}

TEST(SpcInput, GapsInTheDatesGiveAWarning) {
  // Monthly on the 1st, April and May 2024 missing: steps 31, 29, 92, 30 (median 30.5).
  Result<SpcSeries> s =
      MakeSpcSeries("beds", {"2024-01-01", "2024-02-01", "2024-03-01", "2024-06-01", "2024-07-01"},
                    {1, 2, 3, 4, 5});
  ASSERT_TRUE(s.ok());
  Result<SpcChart> c = ComputeSpc(*s, {});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ(c->warnings.size(), 1u);
  EXPECT_EQ(c->warnings[0],
            "indicator 'beds': 1 gap in the dates (a step longer than 1.5 × the usual 30.5 days): "
            "2024-03-01 to 2024-06-01 (92 days); the chart treats the points as consecutive");
  // Regular months (28–31 days) are not gaps.
  Result<SpcSeries> regular =
      MakeSpcSeries("beds", {"2023-12-01", "2024-01-01", "2024-02-01", "2024-03-01", "2024-04-01"},
                    {1, 2, 3, 4, 5});
  ASSERT_TRUE(regular.ok());
  EXPECT_TRUE(ComputeSpc(*regular, {})->warnings.empty());
}

TEST(SpcInput, MakeSpcSeriesValidatesDates) {
  Result<SpcSeries> s = MakeSpcSeries("x", {"2024-01-01", "2023-02-29"}, {1, 2});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().message(),
            "indicator 'x': date 2: '2023-02-29' is not a valid date (YYYY-MM-DD)");
  EXPECT_TRUE(MakeSpcSeries("x", {"2024-02-29"}, {1}).ok());  // leap year
}

TEST(SpcDate, IsoRoundTripAndValidation) {
  EXPECT_EQ(ParseIsoDate("1970-01-01"), 0);
  EXPECT_EQ(ParseIsoDate("2000-02-29"), DaysFromCivil(2000, 2, 29));
  EXPECT_EQ(ParseIsoDate("1900-02-29"), std::nullopt);  // century, not a leap year
  EXPECT_EQ(ParseIsoDate("2024-04-31"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("2024-13-01"), std::nullopt);
  EXPECT_EQ(ParseIsoDate("2024-1-01"), std::nullopt);
  EXPECT_EQ(ParseIsoDate(" 2024-01-01"), std::nullopt);
  for (SpcDay d = DaysFromCivil(1, 1, 1); d <= DaysFromCivil(9999, 12, 31); d += 997)
    EXPECT_EQ(ParseIsoDate(FormatIsoDate(d)), d) << FormatIsoDate(d);
  EXPECT_EQ(FormatIsoDate(DaysFromCivil(2024, 3, 9)), "2024-03-09");
}

// ---------------------------------------------------------------------------------------------
// Many charts, options reporting

TEST(SpcCharts, ThreadedMatchesOneByOne) {
  std::vector<SpcSeries> all;
  for (int k = 0; k < 50; ++k) {
    std::vector<double> y;
    for (int i = 0; i < 30; ++i) y.push_back((i * 7 + k * 3) % 11 + (i > 20 ? k % 5 : 0));
    SpcSeries s = Series(y);
    s.indicator = "i" + std::to_string(k);
    all.push_back(s);
  }
  Result<std::vector<SpcChart>> charts = ComputeSpcCharts(all, {}, 2);
  ASSERT_TRUE(charts.ok());
  ASSERT_EQ(charts->size(), 50u);
  for (size_t k = 0; k < all.size(); ++k) {
    SpcChart one = *ComputeSpc(all[k], {});
    EXPECT_EQ((*charts)[k].indicator, one.indicator);
    EXPECT_EQ(Types((*charts)[k]), Types(one));
    EXPECT_EQ((*charts)[k].groups[0].mean, one.groups[0].mean);
  }
  all[30].values[3] = kNaN;
  all[40].values[3] = kNaN;
  Result<std::vector<SpcChart>> bad = ComputeSpcCharts(all, {}, 2);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message().rfind("indicator 'i30':", 0), 0u);
}

TEST(SpcOptionsReport, NonDefaultOptionsAndDeviations) {
  EXPECT_TRUE(SpcNonDefaultOptions({}).empty());
  EXPECT_TRUE(SpcDeviationWarnings({}).empty());
  SpcOptions o;
  o.improvement = ImprovementDirection::kDecrease;
  o.target = 95.5;
  o.rebase_dates = {DaysFromCivil(2024, 4, 1), DaysFromCivil(2023, 4, 1)};
  o.fix_after_n_points = 12;
  o.screen_outliers = false;
  o.run_length = 6;
  o.two_in_three_beyond_limits = true;
  o.skip_missing = true;
  EXPECT_EQ(SpcNonDefaultOptions(o),
            (std::vector<std::string>{"improvement=decrease", "target=95.5", "rebase=2023-04-01",
                                      "rebase=2024-04-01", "fix_after_n_points=12",
                                      "screen_outliers=false", "run_length=6",
                                      "two_in_three_beyond_limits=true", "skip_missing=true"}));
  std::vector<std::string> w = SpcDeviationWarnings(o);
  ASSERT_EQ(w.size(), 3u);
  EXPECT_EQ(w[0].rfind("run_length=6:", 0), 0u);
  EXPECT_EQ(w[1].rfind("two_in_three_beyond_limits:", 0), 0u);
  EXPECT_EQ(w[2].rfind("skip_missing:", 0), 0u);
}

}  // namespace
}  // namespace trellis::analytics
