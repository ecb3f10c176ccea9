// model/partnership.cc — wire names of sectors and roles.
#include "model/partnership.h"

#include <array>
#include <utility>

namespace trellis::model {
namespace {

constexpr std::array<std::pair<Sector, std::string_view>, 9> kSectors{{
    {Sector::kAcute, "acute"},
    {Sector::kPrimaryCare, "primary_care"},
    {Sector::kCommunityHealth, "community_health"},
    {Sector::kMentalHealth, "mental_health"},
    {Sector::kSocialCare, "social_care"},
    {Sector::kLocalAuthority, "local_authority"},
    {Sector::kVoluntary, "voluntary"},
    {Sector::kHousing, "housing"},
    {Sector::kOther, "other"},
}};
constexpr std::array<std::pair<Role, std::string_view>, 3> kRoles{{
    {Role::kAdmin, "admin"},
    {Role::kMember, "member"},
    {Role::kBoard, "board"},
}};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table)
    if (v == value) return name;
  return "";
}

template <typename E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view text) {
  for (const auto& [v, name] : table)
    if (name == text) return v;
  return std::nullopt;
}

}  // namespace

std::string_view SectorName(Sector sector) { return NameOf(kSectors, sector); }
std::optional<Sector> ParseSector(std::string_view text) { return Parse(kSectors, text); }
std::string_view RoleName(Role role) { return NameOf(kRoles, role); }
std::optional<Role> ParseRole(std::string_view text) { return Parse(kRoles, text); }

}  // namespace trellis::model
