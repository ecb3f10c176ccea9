// analytics/context_reading.h — the competence vs context rule of the individual report
// (docs/reports.md "Competence vs context"): given a competency's score and the subject's
// capacity, commitment and context scores from the context check, says in one word whether a
// shortfall looks like a lack of skill or a lack of room to use it. Pure function on figures
// already computed by analytics/aggregate.h; no I/O; thread-safe.
#pragma once

#include <string_view>

#include "analytics/aggregate.h"

namespace trellis::analytics {

enum class ContextVerdict {
  kUnknown,  // the competency score, or every context score, is withheld or missing
  kNoGap,    // the competency score reaches its target
  kSkill,    // below target while capacity, commitment and context are all adequate
  kRoom,     // below target while at least one of capacity, commitment, context is low
};
// "unknown", "no_gap", "skill", "room".
std::string_view ContextVerdictName(ContextVerdict verdict);

// The inputs, each null (NaN) when withheld or not asked.
struct ContextInputs {
  double competency = kNull;  // the competency's others.mean
  double expected = kNull;    // the role profile's expected level for it, or null
  double capacity = kNull;    // context-check domain scores (others.mean, else self)
  double commitment = kNull;
  double context = kNull;
  int scale_min = 1;  // the competency framework's scale
  int scale_max = 5;
  int context_scale_min = 1;  // the context check's scale
  int context_scale_max = 5;
};

struct ContextReading {
  ContextVerdict verdict = ContextVerdict::kUnknown;
  double target = kNull;     // the level the competency score is compared with
  double shortfall = kNull;  // target − competency (> 0 when below target); null when unknown
  // Which context scores are low (below the context scale's midpoint).
  bool capacity_low = false;
  bool commitment_low = false;
  bool context_low = false;
};

// The rule: target = the expected level when the profile sets one, else one point below the top
// of the scale (4 on 1–5). The competency is below target when target − competency ≥ 0.5
// (within 1e-9). A context score is low when it is below the midpoint of its scale (3 on 1–5,
// "neither agree nor disagree"). Below target and any known context score low → kRoom; below
// target and every known context score adequate → kSkill (kUnknown if no context score is
// known); not below target → kNoGap; competency null → kUnknown.
ContextReading ReadContext(const ContextInputs& inputs);

// The shortfall that counts as a gap, in scale points.
inline constexpr double kContextGapThreshold = 0.5;

}  // namespace trellis::analytics
