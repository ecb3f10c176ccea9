// model/framework.cc — lookups and comparisons on a framework.
#include "model/framework.h"

namespace trellis::model {

const RoleProfile* Framework::ProfileFor(Level level, Function function) const {
  const RoleProfile* fallback = nullptr;
  for (const RoleProfile& p : role_profiles) {
    if (p.level != level) continue;
    if (p.function == function) return &p;
    if (p.function == Function::kGeneralist) fallback = &p;
  }
  return fallback;
}

std::optional<RoleProfile> Framework::EffectiveProfile(Level level, Function function) const {
  const RoleProfile* exact = nullptr;
  const RoleProfile* generalist = nullptr;
  for (const RoleProfile& p : role_profiles) {
    if (p.level != level) continue;
    if (p.function == function) exact = &p;
    if (p.function == Function::kGeneralist) generalist = &p;
  }
  if (!exact && !generalist) return std::nullopt;
  RoleProfile effective;
  effective.level = level;
  effective.function = function;
  if (generalist) effective.expectations = generalist->expectations;
  if (exact)
    for (const auto& [code, expectation] : exact->expectations)
      effective.expectations[code] = expectation;
  return effective;
}

const Competency* Framework::FindCompetency(const std::string& code) const {
  for (const Domain& d : domains)
    for (const Competency& c : d.competencies)
      if (c.code == code) return &c;
  return nullptr;
}

size_t Framework::ItemCount() const {
  size_t n = 0;
  for (const Domain& d : domains)
    for (const Competency& c : d.competencies) n += c.items.size();
  return n;
}

bool operator==(const Scale& a, const Scale& b) {
  return a.min == b.min && a.max == b.max && a.labels == b.labels;
}
bool operator==(const Item& a, const Item& b) { return a.code == b.code && a.text == b.text; }
bool operator==(const Competency& a, const Competency& b) {
  return a.code == b.code && a.title == b.title && a.description == b.description &&
         a.items == b.items;
}
bool operator==(const Domain& a, const Domain& b) {
  return a.code == b.code && a.title == b.title && a.description == b.description &&
         a.competencies == b.competencies;
}
bool operator==(const Expectation& a, const Expectation& b) {
  return a.level == b.level && a.importance == b.importance;
}
bool operator==(const RoleProfile& a, const RoleProfile& b) {
  return a.level == b.level && a.function == b.function && a.expectations == b.expectations;
}
bool operator==(const CrosswalkLink& a, const CrosswalkLink& b) {
  return a.origin_code == b.origin_code && a.association_type == b.association_type &&
         a.destination == b.destination;
}

bool SameContent(const Framework& a, const Framework& b) {
  return a.code == b.code && a.title == b.title && a.description == b.description &&
         a.scale == b.scale && a.domains == b.domains && a.role_profiles == b.role_profiles &&
         a.crosswalk == b.crosswalk;
}

}  // namespace trellis::model
