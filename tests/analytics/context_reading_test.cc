// Tests of analytics/context_reading.h: the competence vs context rule, case by case.
#include "analytics/context_reading.h"

#include <gtest/gtest.h>

namespace trellis::analytics {
namespace {

ContextInputs Inputs(double competency, double expected, double capacity, double commitment,
                     double context) {
  ContextInputs in;
  in.competency = competency;
  in.expected = expected;
  in.capacity = capacity;
  in.commitment = commitment;
  in.context = context;
  return in;
}

TEST(ContextReading, BelowTargetWithAdequateContextLooksLikeSkill) {
  const ContextReading r = ReadContext(Inputs(2.5, 4, 3, 4, 3.5));
  EXPECT_EQ(r.verdict, ContextVerdict::kSkill);
  EXPECT_DOUBLE_EQ(r.target, 4);
  EXPECT_DOUBLE_EQ(r.shortfall, 1.5);
  EXPECT_FALSE(r.capacity_low || r.commitment_low || r.context_low);
}

TEST(ContextReading, BelowTargetWithALowContextScoreLooksLikeRoom) {
  const ContextReading r = ReadContext(Inputs(2.5, 4, 4, 2.99, kNull));
  EXPECT_EQ(r.verdict, ContextVerdict::kRoom);
  EXPECT_TRUE(r.commitment_low);
  EXPECT_FALSE(r.capacity_low);
  EXPECT_FALSE(r.context_low);  // unknown is not low
}

TEST(ContextReading, WithoutAProfileTheTargetIsOneBelowTheTop) {
  ContextReading r = ReadContext(Inputs(3.5, kNull, 2, 2, 2));
  EXPECT_DOUBLE_EQ(r.target, 4);
  EXPECT_EQ(r.verdict, ContextVerdict::kRoom);  // shortfall 0.5 counts
  r = ReadContext(Inputs(3.6, kNull, 2, 2, 2));
  EXPECT_EQ(r.verdict, ContextVerdict::kNoGap);  // shortfall 0.4 does not
  ContextInputs seven = Inputs(5, kNull, 4, 4, 4);
  seven.scale_max = 7;
  EXPECT_EQ(ReadContext(seven).verdict, ContextVerdict::kSkill);  // target 6
}

TEST(ContextReading, MissingFiguresGiveUnknown) {
  EXPECT_EQ(ReadContext(Inputs(kNull, 4, 2, 2, 2)).verdict, ContextVerdict::kUnknown);
  EXPECT_EQ(ReadContext(Inputs(2, 4, kNull, kNull, kNull)).verdict, ContextVerdict::kUnknown);
  EXPECT_EQ(ReadContext(Inputs(4.5, 4, kNull, kNull, kNull)).verdict, ContextVerdict::kNoGap);
}

TEST(ContextReading, TheMidpointItselfIsNotLow) {
  const ContextReading r = ReadContext(Inputs(1, 3, 3, 3, 3));
  EXPECT_EQ(r.verdict, ContextVerdict::kSkill);
  EXPECT_EQ(ContextVerdictName(r.verdict), "skill");
}

}  // namespace
}  // namespace trellis::analytics
