// analytics/reliability.cc — rwg(J) and Cronbach's alpha (see reliability.h).
#include "analytics/reliability.h"

namespace trellis::analytics {

double SampleVariance(int64_t n, int64_t sum, int64_t sum_squares) {
  // n·Σx² − (Σx)² is an exact integer (128-bit: a campaign-wide alpha sums millions of squares),
  // so identical scores give exactly 0 and no cancellation error creeps in.
  __int128 num = static_cast<__int128>(n) * sum_squares - static_cast<__int128>(sum) * sum;
  return static_cast<double>(num) / (static_cast<double>(n) * static_cast<double>(n - 1));
}

std::optional<double> RwgJ(int items_with_variance, double sum_variance, int scale_points) {
  if (items_with_variance <= 0) return std::nullopt;
  const double j = items_with_variance;
  const double expected = (static_cast<double>(scale_points) * scale_points - 1.0) / 12.0;
  const double v = (sum_variance / j) / expected;
  if (v >= 1.0 - kTolerance) return 0.0;
  return j * (1.0 - v) / (j * (1.0 - v) + v);
}

AlphaAccumulator::AlphaAccumulator(int k) : k_(k), sum_(k, 0), sum_sq_(k, 0) {}

void AlphaAccumulator::Add(const int8_t* scores) {
  int64_t total = 0;
  for (int i = 0; i < k_; ++i) {
    const int64_t x = scores[i];
    sum_[i] += x;
    sum_sq_[i] += x * x;
    total += x;
  }
  total_sum_ += total;
  total_sum_sq_ += total * total;
  ++n_;
}

void AlphaAccumulator::Merge(const AlphaAccumulator& other) {
  for (int i = 0; i < k_; ++i) {
    sum_[i] += other.sum_[i];
    sum_sq_[i] += other.sum_sq_[i];
  }
  total_sum_ += other.total_sum_;
  total_sum_sq_ += other.total_sum_sq_;
  n_ += other.n_;
}

std::optional<double> AlphaAccumulator::Alpha() const {
  if (k_ < 2 || n_ < 2) return std::nullopt;
  const double var_total = SampleVariance(n_, total_sum_, total_sum_sq_);
  if (var_total <= kTolerance) return std::nullopt;
  double sum_var = 0;
  for (int i = 0; i < k_; ++i) sum_var += SampleVariance(n_, sum_[i], sum_sq_[i]);
  return static_cast<double>(k_) / (k_ - 1) * (1.0 - sum_var / var_total);
}

}  // namespace trellis::analytics
