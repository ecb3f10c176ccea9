// analytics/reliability.h — the two reliability statistics of a 360 report: agreement among
// raters (James–Demaree–Wolf rwg(J), DESIGN.md rule 6) and internal consistency of a
// competency's items (Cronbach's alpha, rule 9). Pure computation on integer score sums, so
// accumulators merge exactly and results do not depend on the order of rows or threads.
// Used by analytics/aggregate.cc and by tests. Thread-compatible (no shared state).
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace trellis::analytics {

// Figures compared with a tolerance: rules 5–7 allow 1e-9 for rounding.
inline constexpr double kTolerance = 1e-9;

// Sample variance (n−1) of n scores given their sum and sum of squares; requires n ≥ 2.
// Computed from exact integers, so it is exactly 0 when all scores agree.
double SampleVariance(int64_t n, int64_t sum, int64_t sum_squares);

// rwg(J) (rule 6): `items_with_variance` = J, the number of items with ≥ 2 scores;
// `sum_variance` = the sum of their sample variances; `scale_points` = A (≥ 2).
// v = (sum_variance / J) / ((A²−1)/12); returns 0 when v ≥ 1 (within 1e-9), else
// J(1−v) / (J(1−v) + v); nullopt when J = 0.
std::optional<double> RwgJ(int items_with_variance, double sum_variance, int scale_points);

// Cronbach's alpha over complete responses to k items (rule 9), accumulated one response at a
// time: k/(k−1) · (1 − Σ var_i / var_total), sample variances.
class AlphaAccumulator {
 public:
  explicit AlphaAccumulator(int k = 0);
  // Adds one response: exactly k scores, none missing (listwise deletion is the caller's).
  void Add(const int8_t* scores);
  // Adds another accumulator's responses (same k).
  void Merge(const AlphaAccumulator& other);
  int64_t responses() const { return n_; }
  int k() const { return k_; }
  // nullopt when k < 2, fewer than 2 responses, or var_total = 0.
  std::optional<double> Alpha() const;

 private:
  int k_;
  int64_t n_ = 0;
  std::vector<int64_t> sum_;     // per item Σx
  std::vector<int64_t> sum_sq_;  // per item Σx²
  int64_t total_sum_ = 0;        // Σ (response total)
  int64_t total_sum_sq_ = 0;     // Σ (response total)²
};

}  // namespace trellis::analytics
