// service/partnership_view.h — the partnership view of one closed or released campaign, for
// admins and the board (docs/reports.md "Partnership view"): heatmaps of competencies (or
// domains) by organisation and sector, and by role (level × function) with level and function,
// the partnership's strongest and weakest competencies, how far each role falls short of its
// role profile, and competence against context by organisation. Built from the cached
// CampaignFigures of report_service.h with analytics/heatmap.h — no second implementation of
// any figure, and no database work per view: for 5,000 subjects it is one pass over the cached
// aggregates (bench/report).
// Confidentiality: every cell obeys heatmap.h (minimum cell size, complementary withholding)
// on top of rule 4 inside each subject's figures; sector, level and function rows are the
// parent rows of the organisation and role heatmaps, never built separately.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/heatmap.h"
#include "core/status.h"
#include "service/report_service.h"

namespace trellis::service {

struct PartnershipViewOptions {
  analytics::SetLevel level = analytics::SetLevel::kCompetency;  // or kDomain
  int min_cell = 5;                                              // subjects per shown cell
};

struct PartnershipView {
  std::shared_ptr<const CampaignFigures> figures;
  PartnershipViewOptions options;
  // Rows: organisation ids; parents[0]: sector wire names ("acute" …).
  analytics::Heatmap organisations;
  // Rows: "level/function" ("strategic/hr"); parents[0]: level names, parents[1]: function
  // names. Cells also carry the role-profile shortfall (profile_gap, below_profile).
  analytics::Heatmap roles;
  // The competency overall by organisation (one column), beside `context`.
  analytics::Heatmap overall_by_organisation;
  // The context check's domains (capacity, commitment, context) by organisation, sector
  // parents; no columns when the campaign had no context check.
  analytics::Heatmap context;
  // Columns of `organisations` whose partnership-wide figure is shown, strongest first.
  std::vector<size_t> strongest_first;
};

// Builds the view from `figures`. kInvalidArgument for a level other than kCompetency or
// kDomain, or min_cell < 1.
Result<PartnershipView> BuildPartnershipView(std::shared_ptr<const CampaignFigures> figures,
                                             const PartnershipViewOptions& options);

// The row key of a role: "strategic/hr".
std::string RoleKey(model::Level level, model::Function function);

}  // namespace trellis::service
