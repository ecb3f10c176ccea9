// web/report_json.cc — see report_json.h.
#include "web/report_json.h"

#include <string>

#include "formats/report_jsonl.h"

namespace trellis::web {

nlohmann::ordered_json ReportJson(const service::SubjectReport& report) {
  using nlohmann::ordered_json;
  const service::CampaignFigures& f = *report.figures;
  const size_t s = report.subject;
  std::string line;
  formats::AppendReportLine(f.competencies, s, f.ratings.subject_ids[s], &line);
  ordered_json out = ordered_json::parse(line);
  out["campaign"] = f.campaign.id;
  out["min_group"] = f.campaign.min_group;
  ordered_json withheld = ordered_json::object();
  for (size_t k = 0; k < f.competencies.sets.size(); ++k) {
    const std::string reason = service::OthersWithheldReason(f, s, k);
    if (!reason.empty())
      withheld[f.competencies.sets[k].code.empty() ? std::string("overall")
                                                   : f.competencies.sets[k].code] = reason;
  }
  out["withheld"] = withheld;
  ordered_json comments = ordered_json::array();
  for (const service::VisibleComment& c : report.comments) {
    comments.push_back(
        {{"domain", c.domain_code},
         {"group", c.self ? std::string("self") : std::string(analytics::ReportGroupName(c.group))},
         {"text", c.text}});
  }
  out["comments"] = comments;
  out["withheld_comments"] = report.withheld_comments;
  ordered_json context = ordered_json::object();
  size_t i = 0;
  for (size_t k = 0; k < f.competencies.sets.size(); ++k) {
    if (f.competencies.sets[k].level != analytics::SetLevel::kCompetency) continue;
    if (i < report.context_readings.size()) {
      context[f.competencies.sets[k].code] =
          std::string(analytics::ContextVerdictName(report.context_readings[i].verdict));
    }
    ++i;
  }
  out["context_reading"] = context;
  ordered_json changes = ordered_json::object();
  for (const service::CompetencyChange& c : report.changes)
    changes[c.code] = analytics::IsNull(c.change) ? ordered_json(nullptr) : ordered_json(c.change);
  out["previous_campaign"] = report.previous_campaign_id.empty()
                                 ? ordered_json(nullptr)
                                 : ordered_json(report.previous_campaign_id);
  out["changes"] = changes;
  return out;
}

}  // namespace trellis::web
