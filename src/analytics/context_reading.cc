// analytics/context_reading.cc — see context_reading.h.
#include "analytics/context_reading.h"

#include <cmath>

#include "analytics/aggregate.h"
#include "analytics/reliability.h"

namespace trellis::analytics {

std::string_view ContextVerdictName(ContextVerdict verdict) {
  switch (verdict) {
    case ContextVerdict::kUnknown:
      return "unknown";
    case ContextVerdict::kNoGap:
      return "no_gap";
    case ContextVerdict::kSkill:
      return "skill";
    case ContextVerdict::kRoom:
      return "room";
  }
  return "unknown";
}

ContextReading ReadContext(const ContextInputs& in) {
  ContextReading out;
  out.target = IsNull(in.expected) ? static_cast<double>(in.scale_max - 1) : in.expected;
  out.shortfall = kNull;
  const double midpoint = (in.context_scale_min + in.context_scale_max) / 2.0;
  auto low = [&](double x) { return !IsNull(x) && x < midpoint - kTolerance; };
  out.capacity_low = low(in.capacity);
  out.commitment_low = low(in.commitment);
  out.context_low = low(in.context);
  if (IsNull(in.competency)) return out;
  out.shortfall = out.target - in.competency;
  if (out.shortfall < kContextGapThreshold - kTolerance) {
    out.verdict = ContextVerdict::kNoGap;
    return out;
  }
  if (out.capacity_low || out.commitment_low || out.context_low) {
    out.verdict = ContextVerdict::kRoom;
  } else if (IsNull(in.capacity) && IsNull(in.commitment) && IsNull(in.context)) {
    out.verdict = ContextVerdict::kUnknown;
  } else {
    out.verdict = ContextVerdict::kSkill;
  }
  return out;
}

}  // namespace trellis::analytics
