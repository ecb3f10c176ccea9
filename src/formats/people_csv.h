// formats/people_csv.h — the people file of `trellis analyse --profiles`: `subject,level,function`
// (DESIGN.md "Person"), one row per subject, selecting the role profile that profile_gap
// (rule 8) compares against. Pure functions over strings; thread-safe.
#pragma once

#include <list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/framework.h"
#include "model/person.h"

namespace trellis::formats {

struct PersonRole {
  model::Level level = model::Level::kOperational;
  model::Function function = model::Function::kGeneralist;
};

// Subject id → role. Other columns are ignored; blank lines are skipped.
// kInvalidArgument "FILE:LINE: field 'level': …" on: a missing column, an empty subject, an
// unknown level or function (wire names, lower case), a subject listed twice; and as ParseCsv.
Result<std::map<std::string, PersonRole>> ParsePeopleCsv(std::string_view text,
                                                         std::string_view file_name);
// Reads `path` and parses it. kNotFound if unreadable; otherwise as ParsePeopleCsv.
Result<std::map<std::string, PersonRole>> ReadPeopleFile(const std::string& path);

// The role profiles of a campaign's subjects: one effective profile per distinct level ×
// function (model::Framework::EffectiveProfile: each competency from level × function, else
// level × generalist), shared by the subjects who hold that role. Move-only: `of_subject`
// points into `profiles`, whose elements keep their addresses when the object is moved.
struct SubjectRoleProfiles {
  SubjectRoleProfiles() = default;
  SubjectRoleProfiles(SubjectRoleProfiles&&) = default;
  SubjectRoleProfiles& operator=(SubjectRoleProfiles&&) = default;
  SubjectRoleProfiles(const SubjectRoleProfiles&) = delete;
  SubjectRoleProfiles& operator=(const SubjectRoleProfiles&) = delete;

  std::list<model::RoleProfile> profiles;
  // One entry per subject: its effective profile, or nullptr when the subject is not in
  // `people` or the framework has no profile for the subject's level.
  std::vector<const model::RoleProfile*> of_subject;
};
SubjectRoleProfiles SubjectProfiles(const std::map<std::string, PersonRole>& people,
                                    const std::vector<std::string>& subject_ids,
                                    const model::Framework& framework);

}  // namespace trellis::formats
