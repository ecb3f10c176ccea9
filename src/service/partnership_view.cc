// service/partnership_view.cc — see partnership_view.h.
#include "service/partnership_view.h"

#include <utility>

namespace trellis::service {

std::string RoleKey(model::Level level, model::Function function) {
  return std::string(model::LevelName(level)) + "/" + std::string(model::FunctionName(function));
}

Result<PartnershipView> BuildPartnershipView(std::shared_ptr<const CampaignFigures> figures,
                                             const PartnershipViewOptions& options) {
  if (options.level != analytics::SetLevel::kCompetency &&
      options.level != analytics::SetLevel::kDomain) {
    return Status::InvalidArgument("partnership view: level must be competency or domain");
  }
  if (options.min_cell < 1) {
    return Status::InvalidArgument("partnership view: the minimum cell size must be at least 1");
  }
  const std::vector<SubjectAttributes>& subjects = figures->subjects;
  std::vector<std::string> organisation_keys;
  std::vector<std::string> role_keys;
  analytics::HeatmapOptions by_organisation;
  by_organisation.min_cell = options.min_cell;
  by_organisation.parents.resize(1);
  analytics::HeatmapOptions by_role;
  by_role.min_cell = options.min_cell;
  by_role.parents.resize(2);
  for (const SubjectAttributes& s : subjects) {
    organisation_keys.push_back(s.organisation_id);
    by_organisation.parents[0].parent_of_row[s.organisation_id] =
        std::string(model::SectorName(s.sector));
    const std::string role = RoleKey(s.level, s.function);
    role_keys.push_back(role);
    by_role.parents[0].parent_of_row[role] = std::string(model::LevelName(s.level));
    by_role.parents[1].parent_of_row[role] = std::string(model::FunctionName(s.function));
  }

  PartnershipView view;
  view.options = options;
  Result<analytics::Heatmap> organisations = analytics::BuildHeatmap(
      figures->competencies, organisation_keys, options.level, by_organisation);
  if (!organisations.ok()) return organisations.status();
  view.organisations = std::move(*organisations);
  Result<analytics::Heatmap> roles =
      analytics::BuildHeatmap(figures->competencies, role_keys, options.level, by_role);
  if (!roles.ok()) return roles.status();
  view.roles = std::move(*roles);
  Result<analytics::Heatmap> overall = analytics::BuildHeatmap(
      figures->competencies, organisation_keys, analytics::SetLevel::kOverall, by_organisation);
  if (!overall.ok()) return overall.status();
  view.overall_by_organisation = std::move(*overall);
  if (figures->context_framework.has_value() && figures->context.subject_count == subjects.size()) {
    Result<analytics::Heatmap> context = analytics::BuildHeatmap(
        figures->context, organisation_keys, analytics::SetLevel::kDomain, by_organisation);
    if (!context.ok()) return context.status();
    view.context = std::move(*context);
  }
  view.strongest_first = analytics::ColumnsByTotalMean(view.organisations);
  view.figures = std::move(figures);
  return view;
}

}  // namespace trellis::service
