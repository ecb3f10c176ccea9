// service/demo_plan_seed.cc — see demo_plan_seed.h.
#include "service/demo_plan_seed.h"

#include <algorithm>
#include <chrono>
#include <vector>

namespace trellis::service {
namespace {

std::string DateOf(TimePoint t) { return UtcText(t).substr(0, 10); }

}  // namespace

Status SeedDemoPlan(PlanService& plans, const Principal& admin, const Principal& owner,
                    const std::string& campaign_id, TimePoint now) {
  const ResourceInput resources[] = {
      {"Accountability mapping workshop", "",
       "A half-day session run by the partnership OD team: map who decides and who answers for "
       "each shared commitment, then agree it with partners.",
       "ACC1, ACC2, ACC3"},
      {"The King's Fund: leadership in integrated care systems", "https://www.kingsfund.org.uk/",
       "Articles and courses on system leadership and shared accountability.", "SHL1, ACC3, NET2"},
      {"Making data count", "https://www.england.nhs.uk/",
       "NHS England's guidance on SPC charts: telling signal from noise before acting.",
       "DAT1, DAT2, DAT4"},
      {"Action learning set across partners", "",
       "Six sessions with managers from other partner organisations, facilitated; ask the OD "
       "lead to join the next set.",
       "REL1, REL3, NET1"},
  };
  for (const ResourceInput& r : resources) {
    Result<storage::LearningResource> added = plans.AddResource(admin, r);
    if (!added.ok()) return added.status();
  }

  // The report the owner has read: the newest released campaign they were assessed in.
  std::string from = campaign_id;
  Result<std::vector<model::Campaign>> campaigns = plans.CampaignsFor(owner);
  if (!campaigns.ok()) return campaigns.status();
  for (const model::Campaign& c : *campaigns) {  // newest first
    if (c.state == model::CampaignState::kReleased) {
      from = c.id;
      break;
    }
  }
  Result<PlanCampaignChoice> choice = plans.Choices(owner, from);
  if (!choice.ok()) return choice.status();
  std::vector<std::string> codes;
  for (const char* wanted : {"ACC3", "DAT2"}) {
    for (const CompetencyChoice& c : choice->competencies)
      if (c.code == wanted) codes.push_back(c.code);
  }
  if (codes.size() < 2) {
    codes.clear();
    for (const CompetencyChoice& c : choice->competencies)
      if (codes.size() < 2) codes.push_back(c.code);
  }
  if (codes.empty()) return Status::Ok();
  Result<storage::DevelopmentPlan> plan = plans.Create(owner, from, codes);
  if (!plan.ok()) return plan.status();
  const std::string& id = plan->id;
  TRELLIS_RETURN_IF_ERROR(plans.SetGoal(
      owner, id, codes[0],
      "Partners and my team can name who answers for each of our shared discharge commitments, "
      "and we review them together every quarter."));
  TRELLIS_RETURN_IF_ERROR(
      plans
          .AddAction(owner, id,
                     {codes[0], "Draft a who-decides / who-answers table for the discharge pathway",
                      "", DateOf(now - std::chrono::days(10)), "not_started"})
          .status());
  TRELLIS_RETURN_IF_ERROR(
      plans
          .AddAction(owner, id,
                     {codes[0], "Agree the table with the social care and community leads", "",
                      DateOf(now + std::chrono::days(30)), "not_started"})
          .status());
  TRELLIS_RETURN_IF_ERROR(plans.AddEvidence(
      owner, id, codes[0],
      "Raised the missing owner for weekend discharges at the March system meeting; the "
      "community trust took it on."));
  if (codes.size() > 1) {
    TRELLIS_RETURN_IF_ERROR(plans.SetGoal(
        owner, id, codes[1],
        "Read our ward and flow indicators as SPC charts and act only on real signals."));
    TRELLIS_RETURN_IF_ERROR(
        plans
            .AddAction(owner, id,
                       {codes[1], "Work through the Making Data Count guide with the analyst", "",
                        DateOf(now + std::chrono::days(14)), "in_progress"})
            .status());
  }
  return Status::Ok();
}

}  // namespace trellis::service
