// formats/people_csv.cc — the `subject,level,function` file (see people_csv.h). Small files, so
// the generic CSV reader does the parsing.
#include "formats/people_csv.h"

#include <optional>
#include <utility>

#include "formats/csv.h"

namespace trellis::formats {

Result<std::map<std::string, PersonRole>> ParsePeopleCsv(std::string_view text,
                                                         std::string_view file_name) {
  Result<CsvTable> table = ParseCsv(text, file_name, {false});
  if (!table.ok()) return table.status();
  TRELLIS_RETURN_IF_ERROR(RequireColumns(*table, file_name, {"subject", "level", "function"}));
  const size_t subject = *table->Column("subject"), level = *table->Column("level"),
               function = *table->Column("function");
  std::map<std::string, PersonRole> people;
  std::map<std::string, size_t> line_of;
  for (const CsvRow& row : table->rows) {
    const std::string where = std::string(file_name) + ":" + std::to_string(row.line) + ": ";
    if (row.fields.size() != table->header.size())
      return Status::InvalidArgument(where + "expected " + std::to_string(table->header.size()) +
                                     " fields as in the header, found " +
                                     std::to_string(row.fields.size()));
    const std::string& id = row.fields[subject];
    if (id.empty()) return Status::InvalidArgument(where + "field 'subject': empty");
    PersonRole role;
    if (std::optional<model::Level> l = model::ParseLevel(row.fields[level])) {
      role.level = *l;
    } else {
      return Status::InvalidArgument(where + "field 'level': unknown level '" + row.fields[level] +
                                     "' (expected strategic or operational)");
    }
    if (std::optional<model::Function> f = model::ParseFunction(row.fields[function])) {
      role.function = *f;
    } else {
      return Status::InvalidArgument(
          where + "field 'function': unknown function '" + row.fields[function] +
          "' (expected one of: generalist, clinical, hr, finance, it, data, other)");
    }
    auto [it, inserted] = line_of.emplace(id, row.line);
    if (!inserted)
      return Status::InvalidArgument(where + "field 'subject': '" + id +
                                     "' is listed twice (first at line " +
                                     std::to_string(it->second) + ")");
    people.emplace(id, role);
  }
  return people;
}

Result<std::map<std::string, PersonRole>> ReadPeopleFile(const std::string& path) {
  Result<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ParsePeopleCsv(*text, path);
}

SubjectRoleProfiles SubjectProfiles(const std::map<std::string, PersonRole>& people,
                                    const std::vector<std::string>& subject_ids,
                                    const model::Framework& framework) {
  SubjectRoleProfiles result;
  result.of_subject.assign(subject_ids.size(), nullptr);
  // At most levels × functions distinct roles: resolve each once.
  std::map<std::pair<model::Level, model::Function>, const model::RoleProfile*> resolved;
  for (size_t s = 0; s < subject_ids.size(); ++s) {
    auto it = people.find(subject_ids[s]);
    if (it == people.end()) continue;
    const auto role = std::make_pair(it->second.level, it->second.function);
    auto found = resolved.find(role);
    if (found == resolved.end()) {
      std::optional<model::RoleProfile> effective =
          framework.EffectiveProfile(role.first, role.second);
      const model::RoleProfile* stored = nullptr;
      if (effective) stored = &result.profiles.emplace_back(std::move(*effective));
      found = resolved.emplace(role, stored).first;
    }
    result.of_subject[s] = found->second;
  }
  return result;
}

}  // namespace trellis::formats
