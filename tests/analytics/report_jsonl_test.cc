// Tests for formats/report_jsonl.h: the exact JSON Lines shape of DESIGN.md, null handling,
// only shown groups, escaping, and a summary that parses as JSON.
#include "formats/report_jsonl.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analytics/aggregate.h"
#include "analytics/campaign_builder.h"

namespace trellis::formats {
namespace {

using model::RaterGroup;

model::Framework OneItem() {
  model::Framework f;
  f.code = "one";
  f.domains = {{"D", "d", "", {{"C", "c", "", {{"I", "i"}}}}}};
  return f;
}

TEST(ReportJsonl, LineHasTheDesignShape) {
  model::Framework f = OneItem();
  // Self 4; manager 3; peers 2, 3, 4 → others.mean 3 (n 4), gap −1 → blind_spot. Item
  // variance of {3, 2, 3, 4} = 2/3 → v = 1/3 → rwg (J = 1) = 2/3. Only subject: percentile 50.
  model::RatingSet set = testing::CampaignBuilder(f)
                             .Rate("S\"1", "S\"1", RaterGroup::kSelf, {"I"}, {4})
                             .Rate("S\"1", "M", RaterGroup::kManager, {"I"}, {3})
                             .Rate("S\"1", "P1", RaterGroup::kPeer, {"I"}, {2})
                             .Rate("S\"1", "P2", RaterGroup::kPeer, {"I"}, {3})
                             .Rate("S\"1", "P3", RaterGroup::kPeer, {"I"}, {4})
                             .Build();
  Result<analytics::CampaignAnalysis> a = analytics::Analyse(f, set, {}, {});
  ASSERT_TRUE(a.ok());
  std::string line;
  AppendReportLine(*a, 0, set.subject_ids[0], &line);
  const std::string agg =
      R"({"self":4,"others":{"mean":3,"n":4},"groups":{"manager":{"mean":3,"n":1},)"
      R"("peer":{"mean":3,"n":3}},"gap":-1,"flag":"blind_spot","rwg":0.6666666666666667,)"
      R"("percentile":50,"profile_gap":null})";
  EXPECT_EQ(line, R"({"subject":"S\"1","overall":)" + agg + R"(,"domains":{"D":)" + agg +
                      R"(},"competencies":{"C":)" + agg + R"(},"items":{"I":)" + agg + "}}\n");
}

TEST(ReportJsonl, NullsAndNoHiddenGroups) {
  model::Framework f = OneItem();
  model::RatingSet set = testing::CampaignBuilder(f)
                             .Rate("S", "P1", RaterGroup::kPeer, {"I"}, {2})
                             .Rate("S", "P2", RaterGroup::kPeer, {"I"}, {0})
                             .Build();
  Result<analytics::CampaignAnalysis> a = analytics::Analyse(f, set, {}, {});
  ASSERT_TRUE(a.ok());
  std::string line;
  AppendReportLine(*a, 0, "S", &line);
  nlohmann::json j = nlohmann::json::parse(line);
  const nlohmann::json& o = j["overall"];
  EXPECT_TRUE(o["self"].is_null());
  EXPECT_TRUE(o["others"]["mean"].is_null());
  EXPECT_EQ(o["others"]["n"], 1);  // P2 observed nothing: does not count
  EXPECT_TRUE(o["groups"].is_object());
  EXPECT_TRUE(o["groups"].empty());
  for (const char* key : {"gap", "flag", "rwg", "percentile", "profile_gap"})
    EXPECT_TRUE(o[key].is_null()) << key;
}

// WriteReportLine (trellis analyse's writer) stays within ReportLineBound, and touches nothing
// past it, also for an id and a code that escape to six times their length — long enough that
// the slack of the aggregates' room could not hide a bound that ignored the escaping. The line
// read back by an independent parser gives the id and code.
TEST(ReportJsonl, WrittenInPlaceWithinTheBound) {
  model::Framework f = OneItem();
  f.domains[0].code = std::string(2000, '\x01');
  const std::string id = std::string(3000, '\x02') + "\"";
  model::RatingSet set = testing::CampaignBuilder(f)
                             .Rate(id, id, RaterGroup::kSelf, {"I"}, {4})
                             .Rate(id, "P1", RaterGroup::kPeer, {"I"}, {2})
                             .Build();
  Result<analytics::CampaignAnalysis> a = analytics::Analyse(f, set, {}, {});
  ASSERT_TRUE(a.ok());
  std::string line;
  AppendReportLine(*a, 0, id, &line);
  ASSERT_NE(line.find(R"("\u0001\u0001)"), std::string::npos);
  const size_t bound = ReportLineBound(*a, id);
  std::string buffer(bound + 64, '#');
  ReportLineCaches caches;
  const char* end = WriteReportLine(*a, 0, id, buffer.data(), &caches);
  ASSERT_LE(end, buffer.data() + bound);
  EXPECT_EQ(std::string_view(buffer.data(), static_cast<size_t>(end - buffer.data())), line);
  EXPECT_EQ(buffer.substr(bound), std::string(64, '#'));
  const nlohmann::json parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["subject"], id);
  EXPECT_TRUE(parsed["domains"].contains(f.domains[0].code));
}

TEST(ReportJsonl, NumbersRoundTripAndStringsEscape) {
  std::string out;
  AppendJsonNumber(1.0 / 3.0, &out);
  EXPECT_EQ(out, "0.3333333333333333");
  EXPECT_EQ(std::stod(out), 1.0 / 3.0);
  out.clear();
  AppendJsonNumber(analytics::kNull, &out);
  EXPECT_EQ(out, "null");
  out.clear();
  AppendJsonString("a\"b\\c\n\x01 é", &out);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u0001 é\"");
}

TEST(ReportJsonl, SummaryIsJsonWithTotalsAndCompetencies) {
  model::Framework f = OneItem();
  model::RatingSet set = testing::CampaignBuilder(f)
                             .Rate("S", "P1", RaterGroup::kPeer, {"I"}, {2})
                             .Rate("S", "P2", RaterGroup::kPeer, {"I"}, {4})
                             .Build();
  analytics::AnalysisOptions o;
  o.min_group = 2;
  Result<analytics::CampaignAnalysis> a = analytics::Analyse(f, set, {}, o);
  ASSERT_TRUE(a.ok());
  nlohmann::json j = nlohmann::json::parse(WriteSummaryJson(*a, "one"));
  EXPECT_EQ(j["format"], "trellis-analysis-summary");
  EXPECT_EQ(j["framework"], "one");
  EXPECT_EQ(j["min_group"], 2);
  EXPECT_EQ(j["totals"]["subjects"], 1);
  EXPECT_EQ(j["totals"]["ratings"], 2);
  EXPECT_TRUE(j["competencies"]["C"]["alpha"].is_null());  // one item
  EXPECT_EQ(j["competencies"]["C"]["mean"], 3.0);
  EXPECT_EQ(j["competencies"]["C"]["subjects"], 1);
  EXPECT_TRUE(j["competencies"]["C"]["sd"].is_null());
}

}  // namespace
}  // namespace trellis::formats
