// storage/framework_checks.cc — shared framework checks and messages (see the header).
#include "storage/framework_checks.h"

#include <set>

namespace trellis::storage::internal {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string FrameworkName(std::string_view code, int version) {
  return "framework " + Quoted(code) + " version " + std::to_string(version);
}

Status NoSuchVersion(std::string_view code, int version, int latest) {
  return Status::NotFound("framework " + Quoted(code) + " has no version " +
                          std::to_string(version) + " (" +
                          (latest == 1 ? std::string("only version 1 is")
                                       : "versions 1.." + std::to_string(latest) + " are") +
                          " stored)");
}

// Checks the invariants the schema's keys rely on, so a violation is reported by name rather
// than as an SQLite constraint error.
Status CheckStorable(const model::Framework& f) {
  if (f.code.empty()) return Status::InvalidArgument("framework code is empty");
  if (f.version < 1) {
    return Status::InvalidArgument("framework " + Quoted(f.code) + ": version " +
                                   std::to_string(f.version) + " is not ≥ 1");
  }
  const std::string name = FrameworkName(f.code, f.version);
  std::set<std::string> domains, competencies, items;
  for (const model::Domain& d : f.domains) {
    if (!domains.insert(d.code).second)
      return Status::InvalidArgument(name + ": duplicate domain code " + Quoted(d.code));
    for (const model::Competency& c : d.competencies) {
      if (!competencies.insert(c.code).second)
        return Status::InvalidArgument(name + ": duplicate competency code " + Quoted(c.code));
      for (const model::Item& i : c.items) {
        if (!items.insert(i.code).second)
          return Status::InvalidArgument(name + ": duplicate item code " + Quoted(i.code));
      }
    }
  }
  for (const model::RoleProfile& p : f.role_profiles) {
    for (const auto& [competency, expectation] : p.expectations) {
      if (!competencies.contains(competency)) {
        return Status::InvalidArgument(name + ": role profile " +
                                       std::string(model::LevelName(p.level)) + " × " +
                                       std::string(model::FunctionName(p.function)) +
                                       " names unknown competency " + Quoted(competency));
      }
    }
  }
  return Status::Ok();
}

}  // namespace trellis::storage::internal
