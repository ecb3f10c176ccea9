// model/campaign.cc — wire names of campaign states and nomination statuses.
#include "model/campaign.h"

#include <array>
#include <utility>

namespace trellis::model {
namespace {

constexpr std::array<std::pair<CampaignState, std::string_view>, 4> kStates{{
    {CampaignState::kDraft, "draft"},
    {CampaignState::kOpen, "open"},
    {CampaignState::kClosed, "closed"},
    {CampaignState::kReleased, "released"},
}};
constexpr std::array<std::pair<NominationStatus, std::string_view>, 3> kStatuses{{
    {NominationStatus::kProposed, "proposed"},
    {NominationStatus::kApproved, "approved"},
    {NominationStatus::kDeclined, "declined"},
}};

}  // namespace

std::string_view CampaignStateName(CampaignState state) {
  for (const auto& [s, name] : kStates)
    if (s == state) return name;
  return "";
}
std::optional<CampaignState> ParseCampaignState(std::string_view text) {
  for (const auto& [s, name] : kStates)
    if (name == text) return s;
  return std::nullopt;
}
std::string_view NominationStatusName(NominationStatus status) {
  for (const auto& [s, name] : kStatuses)
    if (s == status) return name;
  return "";
}
std::optional<NominationStatus> ParseNominationStatus(std::string_view text) {
  for (const auto& [s, name] : kStatuses)
    if (name == text) return s;
  return std::nullopt;
}

}  // namespace trellis::model
