// formats/spc_output.cc — JSON (nlohmann ordered_json, so keys keep the documented order) and
// CSV writers for SPC charts.
#include "formats/spc_output.h"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "formats/csv.h"

namespace trellis::formats {
namespace {

using analytics::SpcChart;
using analytics::SpcGroup;
using analytics::SpcPoint;
using Json = nlohmann::ordered_json;

Json Number(double v) { return std::isnan(v) ? Json(nullptr) : Json(v); }

Json Flag(const std::optional<bool>& b) { return b ? Json(*b) : Json(nullptr); }

Json PointJson(const SpcPoint& p, int run_length) {
  Json j = Json::object();
  j["date"] = analytics::FormatIsoDate(p.date);
  j["value"] = Number(p.value);
  j["rebase_group"] = p.rebase_group;
  j["short_group_warning"] = p.short_group_warning;
  j["mean"] = Number(p.mean);
  j["lpl"] = Number(p.lpl);
  j["upl"] = Number(p.upl);
  j["outside_limits"] = Flag(p.outside_limits);
  j["relative_to_mean"] = static_cast<int>(p.relative_to_mean);
  j["close_to_limits"] = Flag(p.close_to_limits);
  j["special_cause_type"] = analytics::SpecialCauseTypeName(p.special_cause_type, run_length);
  j["special_cause_flag"] = p.special_cause_flag;
  j["point_type"] = analytics::PointTypeName(p.point_type);
  j["target"] = Number(p.target);
  return j;
}

Json GroupJson(const SpcGroup& g) {
  Json j = Json::object();
  j["start_date"] = analytics::FormatIsoDate(g.start_date);
  j["n"] = g.n;
  j["mean"] = Number(g.mean);
  j["lpl"] = Number(g.lpl);
  j["upl"] = Number(g.upl);
  j["amr"] = Number(g.amr);
  return j;
}

void AppendNumber(std::string* out, double v) {
  if (std::isnan(v)) return;  // null → empty field
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out->append(buf, r.ptr);
}

void AppendFlag(std::string* out, const std::optional<bool>& b) {
  if (b) *out += *b ? "true" : "false";
}

}  // namespace

std::string WriteSpcJson(const SpcReport& report) {
  Json indicators = Json::array();
  for (const SpcChart& chart : report.charts) {
    Json c = Json::object();
    c["indicator"] = chart.indicator;
    Json points = Json::array();
    for (const SpcPoint& p : chart.points) points.push_back(PointJson(p, report.run_length));
    c["points"] = std::move(points);
    Json groups = Json::array();
    for (const SpcGroup& g : chart.groups) groups.push_back(GroupJson(g));
    c["groups"] = std::move(groups);
    c["variation_icon"] = analytics::VariationIconName(chart.variation_icon);
    c["assurance_icon"] = chart.assurance_icon
                              ? Json(analytics::AssuranceIconName(*chart.assurance_icon))
                              : Json(nullptr);
    indicators.push_back(std::move(c));
  }
  Json doc = Json::object();
  doc["indicators"] = std::move(indicators);
  doc["options"] = report.options;
  doc["warnings"] = report.warnings;
  // Replace rather than throw on invalid UTF-8 in an indicator name (the reader validates it).
  return doc.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string WriteSpcCsv(const SpcReport& report) {
  std::string out =
      "indicator,date,value,rebase_group,short_group_warning,mean,lpl,upl,outside_limits,"
      "relative_to_mean,close_to_limits,special_cause_type,special_cause_flag,point_type,"
      "target\n";
  for (const SpcChart& chart : report.charts) {
    for (const SpcPoint& p : chart.points) {
      AppendCsvField(chart.indicator, &out);
      out += ',';
      out += analytics::FormatIsoDate(p.date);
      out += ',';
      AppendNumber(&out, p.value);
      out += ',';
      out += std::to_string(p.rebase_group);
      out += ',';
      out += p.short_group_warning ? "true" : "false";
      out += ',';
      AppendNumber(&out, p.mean);
      out += ',';
      AppendNumber(&out, p.lpl);
      out += ',';
      AppendNumber(&out, p.upl);
      out += ',';
      AppendFlag(&out, p.outside_limits);
      out += ',';
      out += std::to_string(p.relative_to_mean);
      out += ',';
      AppendFlag(&out, p.close_to_limits);
      out += ',';
      out += analytics::SpecialCauseTypeName(p.special_cause_type, report.run_length);
      out += ',';
      out += p.special_cause_flag ? "true" : "false";
      out += ',';
      out += analytics::PointTypeName(p.point_type);
      out += ',';
      AppendNumber(&out, p.target);
      out += '\n';
    }
  }
  return out;
}

}  // namespace trellis::formats
