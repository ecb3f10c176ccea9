// formats/report_jsonl.cc — JSON Lines report and summary writer (see report_jsonl.h).
#include "formats/report_jsonl.h"

#include <charconv>

namespace trellis::formats {
namespace {

using analytics::Aggregate;
using analytics::IsNull;
using analytics::ReportGroup;

void AppendInt(uint64_t n, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out->append(buf, r.ptr);
}

void AppendAggregate(const Aggregate& a, std::string* out) {
  out->append("{\"self\":");
  AppendJsonNumber(a.self, out);
  out->append(",\"others\":{\"mean\":");
  AppendJsonNumber(a.others_mean, out);
  out->append(",\"n\":");
  AppendInt(a.others_n, out);
  out->append("},\"groups\":{");
  bool first = true;
  for (int g = 0; g < analytics::kReportGroupCount; ++g) {
    if (a.group_n[g] == 0) continue;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(analytics::ReportGroupName(static_cast<ReportGroup>(g)));
    out->append("\":{\"mean\":");
    AppendJsonNumber(a.group_mean[g], out);
    out->append(",\"n\":");
    AppendInt(a.group_n[g], out);
    out->push_back('}');
  }
  out->append("},\"gap\":");
  AppendJsonNumber(a.gap, out);
  out->append(",\"flag\":");
  if (a.flag == analytics::Flag::kNone) {
    out->append("null");
  } else {
    out->push_back('"');
    out->append(analytics::FlagName(a.flag));
    out->push_back('"');
  }
  out->append(",\"rwg\":");
  AppendJsonNumber(a.rwg, out);
  out->append(",\"percentile\":");
  AppendJsonNumber(a.percentile, out);
  out->append(",\"profile_gap\":");
  AppendJsonNumber(a.profile_gap, out);
  out->push_back('}');
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      switch (c) {
        case '\n':
          out->append("\\n");
          break;
        case '\r':
          out->append("\\r");
          break;
        case '\t':
          out->append("\\t");
          break;
        default:
          out->append("\\u00");
          out->push_back(kHex[u >> 4]);
          out->push_back(kHex[u & 15]);
      }
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

void AppendJsonNumber(double x, std::string* out) {
  if (IsNull(x) || !std::isfinite(x)) {
    out->append("null");
    return;
  }
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  out->append(buf, r.ptr);
}

void AppendReportLine(const analytics::CampaignAnalysis& analysis, size_t subject,
                      std::string_view subject_id, std::string* out) {
  const size_t sets = analysis.sets.size();
  const Aggregate* aggregates = &analysis.aggregates[subject * sets];
  out->append("{\"subject\":");
  AppendJsonString(subject_id, out);
  out->append(",\"overall\":");
  AppendAggregate(aggregates[0], out);
  // Sets come grouped by level (overall, domains, competencies, items); open an object per level.
  static constexpr const char* kLevelKeys[] = {"", ",\"domains\":{", ",\"competencies\":{",
                                               ",\"items\":{"};
  int level = 0;
  bool first = true;
  for (size_t k = 1; k < sets; ++k) {
    const int set_level = static_cast<int>(analysis.sets[k].level);
    while (level < set_level) {
      if (level > 0) out->push_back('}');
      ++level;
      out->append(kLevelKeys[level]);
      first = true;
    }
    if (!first) out->push_back(',');
    first = false;
    AppendJsonString(analysis.sets[k].code, out);
    out->push_back(':');
    AppendAggregate(aggregates[k], out);
  }
  while (level < 3) {  // levels with no sets (an empty framework) still get their object
    if (level > 0) out->push_back('}');
    ++level;
    out->append(kLevelKeys[level]);
  }
  out->append("}}\n");
}

std::string WriteSummaryJson(const analytics::CampaignAnalysis& analysis,
                             std::string_view framework_code) {
  std::string out;
  out.append("{\"format\":\"trellis-analysis-summary\",\"version\":1,\n\"framework\":");
  AppendJsonString(framework_code, &out);
  out.append(",\"min_group\":");
  AppendInt(static_cast<uint64_t>(analysis.min_group), &out);
  out.append(",\"flag_threshold\":");
  AppendJsonNumber(analysis.flag_threshold, &out);
  const analytics::AnalysisTotals& t = analysis.totals;
  out.append(",\n\"totals\":{\"subjects\":");
  AppendInt(t.subjects, &out);
  out.append(",\"subjects_with_others\":");
  AppendInt(t.subjects_with_others, &out);
  out.append(",\"raters\":");
  AppendInt(t.raters, &out);
  out.append(",\"responses\":");
  AppendInt(t.responses, &out);
  out.append(",\"ratings\":");
  AppendInt(t.ratings, &out);
  out.append(",\"not_observed\":");
  AppendInt(t.not_observed, &out);
  out.append("},\n\"competencies\":{");
  for (size_t c = 0; c < analysis.competencies.size(); ++c) {
    const analytics::CompetencySummary& s = analysis.competencies[c];
    out.append(c == 0 ? "\n" : ",\n");
    AppendJsonString(s.code, &out);
    out.append(":{\"alpha\":");
    AppendJsonNumber(s.alpha, &out);
    out.append(",\"alpha_responses\":");
    AppendInt(static_cast<uint64_t>(s.alpha_responses), &out);
    out.append(",\"subjects\":");
    AppendInt(s.subjects, &out);
    out.append(",\"mean\":");
    AppendJsonNumber(s.mean, &out);
    out.append(",\"sd\":");
    AppendJsonNumber(s.sd, &out);
    out.push_back('}');
  }
  out.append("\n}}\n");
  return out;
}

}  // namespace trellis::formats
