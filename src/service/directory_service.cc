// service/directory_service.cc — validate → DirectoryStore for organisations and people, and
// the people CSV import (all rows checked first, every error collected, then one atomic save).
#include "service/directory_service.h"

#include <map>
#include <optional>
#include <set>
#include <utility>

#include "core/ids.h"
#include "formats/csv.h"

namespace trellis::service {
namespace {

constexpr char kSectorList[] =
    "acute, primary_care, community_health, mental_health, social_care, local_authority, "
    "voluntary, housing, other";
constexpr char kFunctionList[] = "generalist, clinical, hr, finance, it, data, other";

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return "";
  const size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

std::string Lower(std::string_view s) { return storage::EmailKey(s); }

std::string FieldError(std::string_view field, std::string_view problem) {
  return "field " + Quoted(field) + ": " + std::string(problem);
}

std::optional<std::string> CheckEmail(std::string_view field, std::string_view email) {
  if (email.empty()) return FieldError(field, "empty");
  if (!IsEmailAddress(email)) return FieldError(field, Quoted(email) + " is not an email address");
  return std::nullopt;
}

std::optional<std::string> CheckLevel(std::string_view text, model::Level& out) {
  std::optional<model::Level> level = model::ParseLevel(text);
  if (!level)
    return FieldError("level",
                      "unknown level " + Quoted(text) + " (expected strategic or operational)");
  out = *level;
  return std::nullopt;
}

std::optional<std::string> CheckFunction(std::string_view text, model::Function& out) {
  std::optional<model::Function> function = model::ParseFunction(text);
  if (!function)
    return FieldError("function", "unknown function " + Quoted(text) +
                                      " (expected one of: " + kFunctionList + ")");
  out = *function;
  return std::nullopt;
}

// Field names (of a person) whose values differ, for audit details.
std::string ChangedFields(const model::Person& before, const model::Person& after,
                          bool compare_line_manager) {
  std::vector<std::string> fields;
  if (before.name != after.name) fields.push_back("name");
  if (before.email != after.email) fields.push_back("email");
  if (before.organisation_id != after.organisation_id) fields.push_back("organisation");
  if (before.level != after.level) fields.push_back("level");
  if (before.function != after.function) fields.push_back("function");
  if (compare_line_manager && before.line_manager_id != after.line_manager_id)
    fields.push_back("line_manager");
  std::string out;
  for (const std::string& f : fields) out += (out.empty() ? "" : ", ") + f;
  return out;
}

}  // namespace

bool IsEmailAddress(std::string_view text) {
  if (text.size() < 3 || text.size() > 254) return false;
  const size_t at = text.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || text.find('@', at + 1) != text.npos)
    return false;
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7f) return false;
    if (std::string_view(",;:<>()[]\\\"").find(static_cast<char>(c)) != std::string_view::npos)
      return false;
  }
  const std::string_view local = text.substr(0, at), domain = text.substr(at + 1);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != local.npos) return false;
  if (domain.find('.') == domain.npos) return false;
  size_t start = 0;
  while (start <= domain.size()) {
    size_t end = domain.find('.', start);
    if (end == domain.npos) end = domain.size();
    const std::string_view label = domain.substr(start, end - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    start = end + 1;
  }
  return true;
}

DirectoryService::DirectoryService(storage::DirectoryStore& store, Options options)
    : store_(store), options_(std::move(options)) {}

std::string DirectoryService::Now() const {
  return UtcText(options_.clock ? options_.clock() : SystemNow());
}

storage::AuditEntry DirectoryService::Audit(std::string_view partnership_id, std::string_view actor,
                                            std::string_view action, std::string_view entity_type,
                                            std::string_view entity_id, std::string detail) const {
  storage::AuditEntry e;
  e.id = NewId("aud");
  e.partnership_id = std::string(partnership_id);
  e.at = Now();
  e.actor = std::string(actor);
  e.action = std::string(action);
  e.entity_type = std::string(entity_type);
  e.entity_id = std::string(entity_id);
  e.detail = std::move(detail);
  return e;
}

// --- partnerships ---

Result<model::Partnership> DirectoryService::CreatePartnership(std::string_view name,
                                                               std::string_view actor) {
  model::Partnership p{NewId("ptn"), Trim(name), Now()};
  if (p.name.empty()) return Status::InvalidArgument("a partnership needs a name");
  TRELLIS_RETURN_IF_ERROR(store_.CreatePartnership(
      p, Audit(p.id, actor, "partnership.created", "partnership", p.id, "")));
  return p;
}

Result<EnsuredPartnership> DirectoryService::EnsurePartnership(std::string_view name,
                                                               std::string_view actor) {
  Result<model::Partnership> found = store_.FindPartnershipByName(Trim(name));
  if (found.ok()) return EnsuredPartnership{std::move(*found), false};
  if (found.status().code() != StatusCode::kNotFound) return found.status();
  Result<model::Partnership> created = CreatePartnership(name, actor);
  if (created.ok()) return EnsuredPartnership{std::move(*created), true};
  // Another process created it meanwhile: use theirs.
  if (created.status().code() == StatusCode::kAlreadyExists) {
    Result<model::Partnership> again = store_.FindPartnershipByName(Trim(name));
    if (again.ok()) return EnsuredPartnership{std::move(*again), false};
  }
  return created.status();
}

Result<model::Partnership> DirectoryService::FindPartnership(std::string_view name) {
  return store_.FindPartnershipByName(Trim(name));
}

// --- organisations ---

Result<model::Organisation> DirectoryService::AddOrganisation(std::string_view partnership_id,
                                                              std::string_view name,
                                                              std::string_view sector,
                                                              std::string_view actor) {
  model::Organisation org{NewId("org"), std::string(partnership_id), Trim(name),
                          model::Sector::kOther};
  if (org.name.empty()) return Status::InvalidArgument(FieldError("name", "empty"));
  std::optional<model::Sector> s = model::ParseSector(Trim(sector));
  if (!s)
    return Status::InvalidArgument(FieldError(
        "sector", "unknown sector " + Quoted(sector) + " (expected one of: " + kSectorList + ")"));
  org.sector = *s;
  Result<std::vector<model::Organisation>> existing = store_.ListOrganisations(partnership_id);
  if (!existing.ok()) return existing.status();
  for (const model::Organisation& o : *existing)
    if (Lower(o.name) == Lower(org.name))
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(o.name));
  TRELLIS_RETURN_IF_ERROR(store_.AddOrganisation(
      org, Audit(partnership_id, actor, "organisation.added", "organisation", org.id,
                 "sector=" + std::string(model::SectorName(org.sector)))));
  return org;
}

Result<model::Organisation> DirectoryService::UpdateOrganisation(std::string_view partnership_id,
                                                                 std::string_view id,
                                                                 std::string_view name,
                                                                 std::string_view sector,
                                                                 std::string_view actor) {
  Result<model::Organisation> before = store_.GetOrganisation(partnership_id, id);
  if (!before.ok()) return before.status();
  model::Organisation org = *before;
  org.name = Trim(name);
  if (org.name.empty()) return Status::InvalidArgument(FieldError("name", "empty"));
  std::optional<model::Sector> s = model::ParseSector(Trim(sector));
  if (!s)
    return Status::InvalidArgument(FieldError(
        "sector", "unknown sector " + Quoted(sector) + " (expected one of: " + kSectorList + ")"));
  org.sector = *s;
  Result<std::vector<model::Organisation>> existing = store_.ListOrganisations(partnership_id);
  if (!existing.ok()) return existing.status();
  for (const model::Organisation& o : *existing)
    if (o.id != org.id && Lower(o.name) == Lower(org.name))
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(o.name));
  std::string changed;
  if (before->name != org.name) changed = "name";
  if (before->sector != org.sector) changed += std::string(changed.empty() ? "" : ", ") + "sector";
  if (changed.empty()) return org;
  TRELLIS_RETURN_IF_ERROR(store_.UpdateOrganisation(
      org, Audit(partnership_id, actor, "organisation.updated", "organisation", org.id, changed)));
  return org;
}

Result<std::vector<model::Organisation>> DirectoryService::ListOrganisations(
    std::string_view partnership_id) {
  return store_.ListOrganisations(partnership_id);
}

// --- people ---

Status DirectoryService::CheckPerson(std::string_view partnership_id, const PersonInput& input,
                                     std::string_view self_id, model::Person& person) {
  person.partnership_id = std::string(partnership_id);
  person.name = Trim(input.name);
  person.email = Trim(input.email);
  person.organisation_id = Trim(input.organisation_id);
  person.line_manager_id = Trim(input.line_manager_id);
  if (person.name.empty()) return Status::InvalidArgument(FieldError("name", "empty"));
  if (auto e = CheckEmail("email", person.email)) return Status::InvalidArgument(*e);
  if (auto e = CheckLevel(Trim(input.level), person.level)) return Status::InvalidArgument(*e);
  if (auto e = CheckFunction(Trim(input.function), person.function))
    return Status::InvalidArgument(*e);
  if (person.organisation_id.empty())
    return Status::InvalidArgument(FieldError("organisation", "empty"));
  Result<model::Organisation> org = store_.GetOrganisation(partnership_id, person.organisation_id);
  if (!org.ok() && org.status().code() == StatusCode::kNotFound)
    return Status::InvalidArgument(
        FieldError("organisation",
                   "no organisation " + Quoted(person.organisation_id) + " in this partnership"));
  if (!org.ok()) return org.status();
  if (!person.line_manager_id.empty()) {
    if (person.line_manager_id == self_id)
      return Status::InvalidArgument(
          FieldError("line_manager", "a person cannot be their own line manager"));
    // Walk up the chain: the manager must exist, and the chain must not come back to this
    // person (bounded, in case stored data already holds a cycle).
    std::string cursor = person.line_manager_id;
    for (int depth = 0; !cursor.empty() && depth < 10000; ++depth) {
      Result<storage::StoredPerson> up = store_.GetPerson(partnership_id, cursor);
      if (!up.ok() && up.status().code() == StatusCode::kNotFound)
        return Status::InvalidArgument(
            FieldError("line_manager", "no person " + Quoted(cursor) + " in this partnership"));
      if (!up.ok()) return up.status();
      if (depth == 0 && up->erased())
        return Status::InvalidArgument(
            FieldError("line_manager", "person " + Quoted(cursor) + " has been erased"));
      cursor = up->person.line_manager_id;
      if (!self_id.empty() && cursor == self_id)
        return Status::InvalidArgument(
            FieldError("line_manager", "line managers would form a cycle"));
    }
  }
  Result<storage::StoredPerson> holder = store_.FindPersonByEmail(partnership_id, person.email);
  if (holder.ok() && holder->person.id != self_id)
    return Status::AlreadyExists(
        FieldError("email", "another person already has the email " + Quoted(person.email)));
  if (!holder.ok() && holder.status().code() != StatusCode::kNotFound) return holder.status();
  return Status::Ok();
}

Result<storage::StoredPerson> DirectoryService::AddPerson(std::string_view partnership_id,
                                                          const PersonInput& input,
                                                          std::string_view actor) {
  TRELLIS_RETURN_IF_ERROR(store_.GetPartnership(partnership_id).status());
  model::Person person;
  person.id = NewId("per");
  TRELLIS_RETURN_IF_ERROR(CheckPerson(partnership_id, input, "", person));
  storage::PeopleChanges changes;
  changes.added.push_back(person);
  TRELLIS_RETURN_IF_ERROR(
      store_.SavePeople(partnership_id, changes,
                        {Audit(partnership_id, actor, "person.added", "person", person.id, "")}));
  return store_.GetPerson(partnership_id, person.id);
}

Result<storage::StoredPerson> DirectoryService::UpdatePerson(std::string_view partnership_id,
                                                             std::string_view id,
                                                             const PersonInput& input,
                                                             std::string_view actor) {
  Result<storage::StoredPerson> before = store_.GetPerson(partnership_id, id);
  if (!before.ok()) return before.status();
  if (before->erased()) return Status::NotFound("person " + Quoted(id) + " has been erased");
  model::Person person;
  person.id = std::string(id);
  TRELLIS_RETURN_IF_ERROR(CheckPerson(partnership_id, input, id, person));
  const std::string changed = ChangedFields(before->person, person, true);
  if (changed.empty()) return *before;
  storage::PeopleChanges changes;
  changes.updated.push_back(person);
  TRELLIS_RETURN_IF_ERROR(store_.SavePeople(
      partnership_id, changes,
      {Audit(partnership_id, actor, "person.updated", "person", person.id, changed)}));
  return store_.GetPerson(partnership_id, id);
}

Result<storage::StoredPerson> DirectoryService::GetPerson(std::string_view partnership_id,
                                                          std::string_view id) {
  return store_.GetPerson(partnership_id, id);
}

Result<std::vector<storage::StoredPerson>> DirectoryService::ListPeople(
    std::string_view partnership_id, const storage::PersonFilter& filter) {
  return store_.ListPeople(partnership_id, filter);
}

Status DirectoryService::ErasePerson(std::string_view partnership_id, std::string_view id,
                                     std::string_view actor) {
  TRELLIS_RETURN_IF_ERROR(store_.ErasePerson(
      partnership_id, id, Audit(partnership_id, actor, "person.erased", "person", id, "")));
  if (erasure_listener_) erasure_listener_(partnership_id);
  return Status::Ok();
}

Status DirectoryService::ErasePersonConfirmed(std::string_view partnership_id, std::string_view id,
                                              std::string_view typed_name, std::string_view actor) {
  Result<storage::StoredPerson> person = store_.GetPerson(partnership_id, id);
  if (!person.ok()) return person.status();
  if (!person->erased() && Trim(typed_name) != person->person.name) {
    return Status::InvalidArgument("field 'confirm_name': type the person's full name, '" +
                                   person->person.name + "', to confirm the erasure");
  }
  return ErasePerson(partnership_id, id, actor);
}

// --- people CSV import ---

Result<PeopleImportSummary> DirectoryService::ImportPeopleFile(std::string_view partnership_id,
                                                               const std::string& path,
                                                               std::string_view actor) {
  Result<std::string> text = formats::ReadFileToString(path);
  if (!text.ok()) return text.status();
  return ImportPeopleCsv(partnership_id, *text, path, actor);
}

Result<PeopleImportSummary> DirectoryService::ImportPeopleCsv(std::string_view partnership_id,
                                                              std::string_view text,
                                                              std::string_view file_name,
                                                              std::string_view actor) {
  TRELLIS_RETURN_IF_ERROR(store_.GetPartnership(partnership_id).status());
  Result<formats::CsvTable> table = formats::ParseCsv(text, file_name, {false});
  if (!table.ok()) return table.status();
  TRELLIS_RETURN_IF_ERROR(formats::RequireColumns(
      *table, file_name, {"name", "email", "organisation", "level", "function"}));
  const size_t c_name = *table->Column("name"), c_email = *table->Column("email"),
               c_org = *table->Column("organisation"), c_level = *table->Column("level"),
               c_function = *table->Column("function");
  const std::optional<size_t> c_manager = table->Column("line_manager_email");

  Result<std::vector<model::Organisation>> orgs = store_.ListOrganisations(partnership_id);
  if (!orgs.ok()) return orgs.status();
  std::map<std::string, std::string> org_by_name;  // lower-case name → id
  for (const model::Organisation& o : *orgs) org_by_name[Lower(o.name)] = o.id;
  Result<std::vector<storage::StoredPerson>> stored = store_.ListPeople(partnership_id, {});
  if (!stored.ok()) return stored.status();
  std::map<std::string, const storage::StoredPerson*> stored_by_email;  // email key → person
  for (const storage::StoredPerson& p : *stored) stored_by_email[Lower(p.person.email)] = &p;

  std::vector<std::string> errors;
  auto fail = [&](size_t line, std::string problem) {
    errors.push_back(std::string(file_name) + ":" + std::to_string(line) + ": " +
                     std::move(problem));
  };
  struct Row {
    size_t line = 0;
    model::Person person;
    std::string manager_email;
    bool valid = true;
  };
  std::vector<Row> rows;
  std::map<std::string, size_t> row_by_email;  // email key → index in rows
  for (const formats::CsvRow& csv : table->rows) {
    if (csv.fields.size() != table->header.size()) {
      fail(csv.line, "expected " + std::to_string(table->header.size()) +
                         " fields as in the header, found " + std::to_string(csv.fields.size()));
      continue;
    }
    Row row;
    row.line = csv.line;
    model::Person& p = row.person;
    p.partnership_id = std::string(partnership_id);
    p.name = Trim(csv.fields[c_name]);
    p.email = Trim(csv.fields[c_email]);
    const std::string org_name = Trim(csv.fields[c_org]);
    const size_t before = errors.size();
    if (p.name.empty()) fail(row.line, FieldError("name", "empty"));
    if (auto e = CheckEmail("email", p.email)) {
      fail(row.line, *e);
    } else {
      auto [it, inserted] = row_by_email.emplace(Lower(p.email), rows.size());
      if (!inserted)
        fail(row.line, FieldError("email", Quoted(p.email) + " is listed twice (first at line " +
                                               std::to_string(rows[it->second].line) + ")"));
    }
    if (org_name.empty()) {
      fail(row.line, FieldError("organisation", "empty"));
    } else if (auto it = org_by_name.find(Lower(org_name)); it == org_by_name.end()) {
      fail(row.line, FieldError("organisation", "no organisation named " + Quoted(org_name) +
                                                    " in this partnership"));
    } else {
      p.organisation_id = it->second;
    }
    if (auto e = CheckLevel(Trim(csv.fields[c_level]), p.level)) fail(row.line, *e);
    if (auto e = CheckFunction(Trim(csv.fields[c_function]), p.function)) fail(row.line, *e);
    if (c_manager) {
      row.manager_email = Trim(csv.fields[*c_manager]);
      if (!row.manager_email.empty()) {
        if (auto e = CheckEmail("line_manager_email", row.manager_email)) fail(row.line, *e);
      }
    }
    row.valid = errors.size() == before;
    // Ids: a stored person keeps theirs; a new one gets one now (line managers refer to it).
    auto match = stored_by_email.find(Lower(p.email));
    p.id = match != stored_by_email.end() ? match->second->person.id : NewId("per");
    if (!c_manager && match != stored_by_email.end())
      p.line_manager_id = match->second->person.line_manager_id;
    rows.push_back(std::move(row));
  }

  // Line managers: in the file, or stored; never oneself; no cycles.
  if (c_manager) {
    for (Row& row : rows) {
      if (row.manager_email.empty() || !IsEmailAddress(row.manager_email)) continue;
      const std::string key = Lower(row.manager_email);
      if (key == Lower(row.person.email)) {
        fail(row.line,
             FieldError("line_manager_email", "a person cannot be their own line manager"));
        row.valid = false;
      } else if (auto in_file = row_by_email.find(key); in_file != row_by_email.end()) {
        row.person.line_manager_id = rows[in_file->second].person.id;
      } else if (auto in_store = stored_by_email.find(key); in_store != stored_by_email.end()) {
        row.person.line_manager_id = in_store->second->person.id;
      } else {
        fail(row.line, FieldError("line_manager_email",
                                  Quoted(row.manager_email) +
                                      " is neither in this file nor a person of the partnership"));
        row.valid = false;
      }
    }
  }
  std::map<std::string, std::string> manager_of;  // person id → line manager id, after import
  for (const storage::StoredPerson& p : *stored) manager_of[p.person.id] = p.person.line_manager_id;
  for (const Row& row : rows) manager_of[row.person.id] = row.person.line_manager_id;
  for (const Row& row : rows) {
    if (!row.valid || row.person.line_manager_id.empty()) continue;
    std::string cursor = row.person.line_manager_id;
    for (size_t steps = 0; !cursor.empty() && steps <= manager_of.size(); ++steps) {
      if (cursor == row.person.id) {
        fail(row.line, FieldError("line_manager_email", "line managers would form a cycle"));
        break;
      }
      auto it = manager_of.find(cursor);
      cursor = it == manager_of.end() ? "" : it->second;
    }
  }

  if (!errors.empty()) {
    // Rows are checked in order, but the line-manager pass adds errors later: sort by line.
    std::stable_sort(errors.begin(), errors.end(), [&](const std::string& a, const std::string& b) {
      auto line_of = [&](const std::string& e) {
        return std::stoul(e.substr(file_name.size() + 1));
      };
      return line_of(a) < line_of(b);
    });
    std::string message;
    const size_t listed = std::min(errors.size(), kMaxListedImportErrors);
    for (size_t i = 0; i < listed; ++i) message += errors[i] + "\n";
    message +=
        std::string(file_name) + ": " + std::to_string(errors.size()) +
        (errors.size() == 1 ? " error" : " errors") +
        (listed < errors.size() ? " (the first " + std::to_string(listed) + " listed)" : "") +
        "; nothing was imported";
    return Status::InvalidArgument(message);
  }

  PeopleImportSummary summary;
  storage::PeopleChanges changes;
  std::vector<storage::AuditEntry> audit;
  const std::string source = "imported from " + std::string(file_name);
  for (const Row& row : rows) {
    auto match = stored_by_email.find(Lower(row.person.email));
    if (match == stored_by_email.end()) {
      changes.added.push_back(row.person);
      audit.push_back(
          Audit(partnership_id, actor, "person.added", "person", row.person.id, source));
      ++summary.added;
      continue;
    }
    const std::string changed = ChangedFields(match->second->person, row.person, true);
    if (changed.empty()) {
      ++summary.unchanged;
      continue;
    }
    changes.updated.push_back(row.person);
    audit.push_back(Audit(partnership_id, actor, "person.updated", "person", row.person.id,
                          changed + " (" + source + ")"));
    ++summary.updated;
  }
  if (changes.added.empty() && changes.updated.empty()) return summary;
  audit.push_back(Audit(partnership_id, actor, "people.imported", "people", std::string(file_name),
                        std::to_string(summary.added) + " added, " +
                            std::to_string(summary.updated) + " updated, " +
                            std::to_string(summary.unchanged) + " unchanged"));
  TRELLIS_RETURN_IF_ERROR(store_.SavePeople(partnership_id, changes, audit));
  return summary;
}

Result<std::vector<storage::AuditEntry>> DirectoryService::AuditLog(std::string_view partnership_id,
                                                                    size_t offset, size_t limit) {
  return store_.ListAudit(partnership_id, offset, limit);
}

Status DirectoryService::RecordEvent(std::string_view partnership_id, std::string_view actor,
                                     std::string_view action, std::string_view entity_type,
                                     std::string_view entity_id, std::string detail) {
  return store_.AppendAudit(
      Audit(partnership_id, actor, action, entity_type, entity_id, std::move(detail)));
}

}  // namespace trellis::service
