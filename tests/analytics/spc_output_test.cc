// Tests for formats/spc_output.h: the exact JSON and CSV of `trellis spc`, nulls for undefined
// numbers and unknown flags, labels following the run length.
#include "formats/spc_output.h"

#include <gtest/gtest.h>

#include <cmath>

#include "analytics/spc.h"

namespace trellis::formats {
namespace {

using analytics::ComputeSpc;
using analytics::SpcChart;
using analytics::SpcSeries;

SpcChart OnePointChart() {
  Result<SpcSeries> s = analytics::MakeSpcSeries("beds", {"2024-01-01"}, {42}, 40.0);
  EXPECT_TRUE(s.ok());
  Result<SpcChart> c = ComputeSpc(*s, {});
  EXPECT_TRUE(c.ok());
  return *c;
}

TEST(WriteSpcJson, ExactDocumentWithNulls) {
  SpcReport report;
  report.charts.push_back(OnePointChart());
  EXPECT_EQ(WriteSpcJson(report),
            R"({"indicators":[{"indicator":"beds","points":[{"date":"2024-01-01","value":42.0,)"
            R"("rebase_group":0,"short_group_warning":true,"mean":42.0,"lpl":null,"upl":null,)"
            R"("outside_limits":null,"relative_to_mean":0,"close_to_limits":null,)"
            R"("special_cause_type":"Common Cause","special_cause_flag":false,)"
            R"("point_type":"common_cause","target":40.0}],"groups":[{"start_date":"2024-01-01",)"
            R"("n":1,"mean":42.0,"lpl":null,"upl":null,"amr":null}],)"
            R"("variation_icon":"common_cause","assurance_icon":"inconsistent"}],)"
            R"("options":[],"warnings":[]})"
            "\n");
}

TEST(WriteSpcJson, OptionsWarningsAndRunLengthLabels) {
  SpcReport report;
  SpcChart c = OnePointChart();
  c.points[0].special_cause_type = analytics::SpecialCauseType::kTrendIncreasing;
  c.points[0].target = std::nan("");
  c.assurance_icon.reset();
  report.charts.push_back(c);
  report.run_length = 6;
  report.options = {"run_length=6"};
  report.warnings = {"run_length=6: …"};
  const std::string json = WriteSpcJson(report);
  EXPECT_NE(json.find(R"x("special_cause_type":"6 Point Trend (Increasing)")x"), std::string::npos);
  EXPECT_NE(json.find(R"("target":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("assurance_icon":null)"), std::string::npos);
  EXPECT_NE(json.find(R"("options":["run_length=6"],"warnings":["run_length=6: …"]})"),
            std::string::npos);
}

TEST(WriteSpcCsv, OneRowPerPointWithIndicatorColumn) {
  SpcReport report;
  report.charts.push_back(OnePointChart());
  Result<SpcSeries> s = analytics::MakeSpcSeries("A&E, 4h", {"2024-01-01", "2024-01-02"}, {1, 3});
  ASSERT_TRUE(s.ok());
  report.charts.push_back(*ComputeSpc(*s, {}));
  EXPECT_EQ(WriteSpcCsv(report),
            "indicator,date,value,rebase_group,short_group_warning,mean,lpl,upl,outside_limits,"
            "relative_to_mean,close_to_limits,special_cause_type,special_cause_flag,point_type,"
            "target\n"
            "beds,2024-01-01,42,0,true,42,,,,0,,Common Cause,false,common_cause,40\n"
            "\"A&E, 4h\",2024-01-01,1,0,true,2,-3.3200000000000003,7.32,false,-1,false,"
            "Common Cause,false,common_cause,\n"
            "\"A&E, 4h\",2024-01-02,3,0,true,2,-3.3200000000000003,7.32,false,1,false,"
            "Common Cause,false,common_cause,\n");
}

}  // namespace
}  // namespace trellis::formats
