// model/framework.h — a competency framework: domains → competencies → indicator items, a
// rating scale, and role profiles (expected level and importance per level × function).
// Plain value types shared by formats/, analytics/, storage/ and service/; no I/O, no
// validation here (formats/framework_validate.h checks the invariants listed below).
// Invariants of a valid framework: codes unique (domain codes among domains, competency codes
// across the framework, item codes across the framework); every competency has ≥ 1 item; every
// item has text; scale.min < scale.max; role-profile expectations name known competencies, with
// level in [scale.min, scale.max] and importance in 1..3.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/person.h"

namespace trellis::model {

struct Scale {
  int min = 1;
  int max = 5;
  std::map<int, std::string> labels;  // score → label ("Rarely" …); may be partial or empty
  // Number of scale points (A in rwg): max − min + 1.
  int Points() const { return max - min + 1; }
};

struct Item {  // an indicator: one questionnaire item, an observable behaviour
  std::string code;
  std::string text;
};

struct Competency {
  std::string code;
  std::string title;
  std::string description;  // may be empty
  std::vector<Item> items;
};

struct Domain {
  std::string code;
  std::string title;
  std::string description;  // may be empty
  std::vector<Competency> competencies;
};

struct Expectation {
  int level = 0;       // expected score on the framework's scale
  int importance = 1;  // 1 (useful) .. 3 (essential)
};

struct RoleProfile {
  Level level = Level::kOperational;
  Function function = Function::kGeneralist;
  std::map<std::string, Expectation> expectations;  // competency code → expectation
};

// A link kept from a CASE package that Trellis does not model as hierarchy (e.g. "exactMatchOf",
// "isRelatedTo"), so a round trip does not lose it.
struct CrosswalkLink {
  std::string origin_code;       // code (or identifier) of the origin node in this framework
  std::string association_type;  // CASE associationType, verbatim
  std::string destination;       // destination node code, identifier or URI, verbatim
};

struct Framework {
  std::string code;  // stable identifier across versions, e.g. "integrated-care"
  std::string title;
  std::string description;  // may be empty
  int version = 1;          // storage version; files carry the version they were exported from
  Scale scale;
  std::vector<Domain> domains;
  std::vector<RoleProfile> role_profiles;
  std::vector<CrosswalkLink> crosswalk;

  // The profile stored for level × function, else level × generalist; nullptr if neither.
  const RoleProfile* ProfileFor(Level level, Function function) const;
  // The expectations that apply to a level × function person, cell by cell (DESIGN.md: "a
  // missing cell falls back to level × generalist"): each competency's expectation from the
  // level × function profile, or, where it sets none, from level × generalist. nullopt when
  // the framework has neither profile for the level.
  std::optional<RoleProfile> EffectiveProfile(Level level, Function function) const;
  // The competency with this code, or nullptr.
  const Competency* FindCompetency(const std::string& code) const;
  // Total number of items across all competencies.
  size_t ItemCount() const;
};

bool operator==(const Scale&, const Scale&);
bool operator==(const Item&, const Item&);
bool operator==(const Competency&, const Competency&);
bool operator==(const Domain&, const Domain&);
bool operator==(const Expectation&, const Expectation&);
bool operator==(const RoleProfile&, const RoleProfile&);
bool operator==(const CrosswalkLink&, const CrosswalkLink&);
// Compares content (code, title, description, scale, domains, profiles, crosswalk) but not
// `version`, so a re-imported unchanged framework compares equal to the stored one.
bool SameContent(const Framework& a, const Framework& b);

}  // namespace trellis::model
