// model/partnership.h — the tenant and its members: a partnership, its organisations (with a
// sector), the people in them, and staff accounts with a role per partnership. Everything
// belongs to exactly one partnership; no query crosses two (DESIGN.md "Concepts").
// Plain value types; no I/O. Ids are opaque text made by core/ids.h.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/person.h"

namespace trellis::model {

struct Partnership {
  std::string id;
  std::string name;  // "North Shore Integrated Care Partnership"
  std::string created_at;
};

enum class Sector {
  kAcute,
  kPrimaryCare,
  kCommunityHealth,
  kMentalHealth,
  kSocialCare,
  kLocalAuthority,
  kVoluntary,
  kHousing,
  kOther,
};
// Wire names: "acute", "primary_care", "community_health", "mental_health", "social_care",
// "local_authority", "voluntary", "housing", "other".
std::string_view SectorName(Sector sector);
std::optional<Sector> ParseSector(std::string_view text);

struct Organisation {
  std::string id;
  std::string partnership_id;
  std::string name;
  Sector sector = Sector::kOther;
};

// A manager or leader who may be assessed, or a rater known to the partnership. External
// raters (a community member) are not Persons: a nomination carries their name and email.
struct Person {
  std::string id;
  std::string partnership_id;
  std::string organisation_id;
  std::string name;
  std::string email;  // unique within a partnership, compared case-insensitively
  Level level = Level::kOperational;
  Function function = Function::kGeneralist;
  std::string line_manager_id;  // a Person id, or empty
};

enum class Role { kAdmin, kMember, kBoard };
// Wire names: "admin", "member", "board".
std::string_view RoleName(Role role);
std::optional<Role> ParseRole(std::string_view text);

// A staff account: signs in with email and password; a role in one partnership. A member may
// be linked to the Person they are (to see their own report and plan).
struct Account {
  std::string id;
  std::string partnership_id;
  std::string email;
  std::string display_name;
  Role role = Role::kMember;
  std::string person_id;  // or empty
};

}  // namespace trellis::model
