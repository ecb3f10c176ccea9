// bench/spc/bench_spc.cc — times analytics::ComputeSpcCharts on 10,000 indicators × 120
// monthly points (the goal: ≤ 100 ms on a 2-core machine). The series are synthetic but
// realistic for the rules: noise around a level, some shifts, trends, outliers and a rebase,
// so every rule path runs. Prints the best of several runs, the median and the goal; exits 1
// when the best run misses the goal. Usage: bench_spc [indicators] [points] [threads] [runs].
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "analytics/spc.h"

namespace {

using trellis::analytics::SpcChart;
using trellis::analytics::SpcOptions;
using trellis::analytics::SpcSeries;

std::vector<SpcSeries> MakeSeries(size_t indicators, size_t points) {
  std::mt19937_64 rng(20240401);
  std::normal_distribution<double> noise(0, 1);
  std::uniform_real_distribution<double> unit(0, 1);
  std::vector<SpcSeries> all(indicators);
  for (size_t k = 0; k < indicators; ++k) {
    SpcSeries& s = all[k];
    s.indicator = "indicator-" + std::to_string(k);
    s.dates.reserve(points);
    s.values.reserve(points);
    const double level = 50 + 50 * unit(rng), sd = 1 + 4 * unit(rng);
    const size_t shift_at = static_cast<size_t>(unit(rng) * points);
    for (size_t i = 0; i < points; ++i) {
      // First of each month.
      const int month = static_cast<int>(i % 12) + 1, year = 2014 + static_cast<int>(i / 12);
      s.dates.push_back(trellis::analytics::DaysFromCivil(year, month, 1));
      double v = level + sd * noise(rng);
      if (i >= shift_at) v += sd * 1.5;                                      // a shift
      if (k % 7 == 0 && i > points / 2) v += 0.4 * sd * (i - points / 2.0);  // a trend
      if (unit(rng) < 0.01) v += 6 * sd;                                     // an outlier
      s.values.push_back(std::round(v * 10) / 10);                           // ties happen
    }
    if (k % 3 == 0) s.target = level;
  }
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  const size_t indicators = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 10000;
  const size_t points = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 120;
  const int threads = argc > 3 ? std::atoi(argv[3]) : 0;
  const int runs = argc > 4 ? std::atoi(argv[4]) : 15;
  const double goal_ms = 100;
  const std::vector<SpcSeries> series = MakeSeries(indicators, points);
  SpcOptions options;
  options.rebase_dates.push_back(trellis::analytics::DaysFromCivil(2020, 1, 1));

  std::vector<double> ms;
  size_t special = 0;
  for (int r = 0; r < runs; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    auto charts = trellis::analytics::ComputeSpcCharts(series, options, threads);
    const auto t1 = std::chrono::steady_clock::now();
    if (!charts.ok()) {
      std::fprintf(stderr, "bench_spc: %s\n", charts.status().ToString().c_str());
      return 2;
    }
    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    if (r == 0)
      for (const SpcChart& c : *charts)
        for (const auto& p : c.points) special += p.special_cause_flag;
  }
  std::sort(ms.begin(), ms.end());
  const double best = ms.front(), median = ms[ms.size() / 2];
  std::printf(
      "bench_spc: %zu indicators x %zu points, %s threads: best %.1f ms, median %.1f ms "
      "(goal <= %.0f ms) %s\n",
      indicators, points, threads > 0 ? std::to_string(threads).c_str() : "all", best, median,
      goal_ms, best <= goal_ms ? "PASS" : "MISS");
  std::printf("bench_spc: %.1f%% of points flagged special cause (sanity check)\n",
              100.0 * special / (indicators * points));
  return best <= goal_ms ? 0 : 1;
}
