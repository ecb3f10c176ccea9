// service/directory_service.h — the partnership directory use-cases: partnerships, their
// organisations and people (validated: email shape, sector/level/function names, organisation
// and line manager of the same partnership), the people CSV import, and erasure requests.
// Used by `trellis people …`, `trellis org …`, `trellis user add` and the admin pages. Role
// checks are the caller's (AuthService::Require); every change is written to the partnership's
// audit log together with the change, naming `actor` (an account id, or "cli").
// Thread-safe when the DirectoryStore is: the service holds no mutable state.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "model/partnership.h"
#include "service/utc_time.h"
#include "storage/directory_store.h"

namespace trellis::service {

// True when `text` has the shape of one email address: local@domain.tld, ≤ 254 bytes, no
// spaces, control characters or ",;:<>()[]\"" , a domain of dot-separated labels.
bool IsEmailAddress(std::string_view text);

// A person's fields as a form or file gives them (wire names for level and function).
struct PersonInput {
  std::string name;
  std::string email;
  std::string organisation_id;
  std::string level;            // "strategic" | "operational"
  std::string function;         // "generalist", "clinical", "hr", "finance", "it", "data", "other"
  std::string line_manager_id;  // a person id of the same partnership, or ""
};

struct EnsuredPartnership {
  model::Partnership partnership;
  bool created = false;  // false: it existed already
};

struct PeopleImportSummary {
  size_t added = 0;
  size_t updated = 0;
  size_t unchanged = 0;
};

class DirectoryService {
 public:
  // Errors in an import listed before the rest are only counted.
  static constexpr size_t kMaxListedImportErrors = 100;

  struct Options {
    Clock clock;  // nullptr → the system clock; stamps changes and audit entries
  };

  // `store` must outlive the service.
  explicit DirectoryService(storage::DirectoryStore& store, Options options = {});

  // --- partnerships ---

  // Creates a partnership named `name` (trimmed, non-empty). kInvalidArgument for an empty
  // name; kAlreadyExists if the name is taken.
  Result<model::Partnership> CreatePartnership(std::string_view name, std::string_view actor);
  // The partnership named `name`, created first if there is none.
  Result<EnsuredPartnership> EnsurePartnership(std::string_view name, std::string_view actor);
  // kNotFound "no partnership named 'X'" if there is none.
  Result<model::Partnership> FindPartnership(std::string_view name);

  // --- organisations ---

  // kInvalidArgument for an empty name or an unknown sector (the message lists the sectors);
  // kNotFound for an unknown partnership; kAlreadyExists if the partnership has an
  // organisation of that name (ignoring case).
  Result<model::Organisation> AddOrganisation(std::string_view partnership_id,
                                              std::string_view name, std::string_view sector,
                                              std::string_view actor);
  // Renames and/or re-sectors organisation `id`. Errors as AddOrganisation, and kNotFound if
  // the partnership has no organisation `id`.
  Result<model::Organisation> UpdateOrganisation(std::string_view partnership_id,
                                                 std::string_view id, std::string_view name,
                                                 std::string_view sector, std::string_view actor);
  Result<std::vector<model::Organisation>> ListOrganisations(std::string_view partnership_id);

  // --- people ---

  // Adds a person. kInvalidArgument "field 'email': …" (likewise name, level, function,
  // organisation, line_manager) when a field is missing or malformed, or the organisation or
  // line manager is not one of the partnership's; kAlreadyExists if a person of the
  // partnership has that email (ignoring case).
  Result<storage::StoredPerson> AddPerson(std::string_view partnership_id, const PersonInput& input,
                                          std::string_view actor);
  // Replaces every field of person `id`. Errors as AddPerson, plus kNotFound if the
  // partnership has no live person `id`, and kInvalidArgument when the person would be their
  // own line manager or the line managers would form a cycle.
  Result<storage::StoredPerson> UpdatePerson(std::string_view partnership_id, std::string_view id,
                                             const PersonInput& input, std::string_view actor);
  // kNotFound if the partnership has no person `id`.
  Result<storage::StoredPerson> GetPerson(std::string_view partnership_id, std::string_view id);
  Result<std::vector<storage::StoredPerson>> ListPeople(std::string_view partnership_id,
                                                        const storage::PersonFilter& filter);
  // Erasure request: keeps an anonymised tombstone (see DirectoryStore::ErasePerson), then
  // calls the erasure listener. kNotFound if the partnership has no person `id`.
  Status ErasePerson(std::string_view partnership_id, std::string_view id, std::string_view actor);
  // The same, for the person page's form: only when `typed_name` (trimmed) is the person's
  // full name, kInvalidArgument "field 'confirm_name': …" otherwise (nothing is erased).
  Status ErasePersonConfirmed(std::string_view partnership_id, std::string_view id,
                              std::string_view typed_name, std::string_view actor);
  // Called with the partnership after every successful erasure, for state held elsewhere that
  // names people (serve sets it to drop that partnership's cached report figures,
  // ReportService::ClearCache). Set before serving.
  void SetErasureListener(std::function<void(std::string_view partnership_id)> listener) {
    erasure_listener_ = std::move(listener);
  }

  // --- people CSV import ---

  // Imports `name,email,organisation,level,function[,line_manager_email]` (organisation by
  // name, ignoring case; line manager by email, in the file or already stored). People are
  // matched to stored ones by email (ignoring case): a match is updated when a field differs,
  // otherwise counted unchanged. Without a line_manager_email column, stored line managers
  // are kept. All or nothing: when any row is bad nothing is stored and the result is
  // kInvalidArgument whose message lists every error, one per line, as
  // "FILE:LINE: field 'NAME': problem" (at most kMaxListedImportErrors, then a count), ending
  // with "FILE: N errors; nothing was imported". kNotFound for an unknown partnership;
  // kInvalidArgument "FILE:LINE: …" for malformed CSV or a missing column.
  Result<PeopleImportSummary> ImportPeopleCsv(std::string_view partnership_id,
                                              std::string_view text, std::string_view file_name,
                                              std::string_view actor);
  // Reads `path` and imports it. kNotFound if unreadable; otherwise as ImportPeopleCsv.
  Result<PeopleImportSummary> ImportPeopleFile(std::string_view partnership_id,
                                               const std::string& path, std::string_view actor);

  // --- audit log ---

  // Appends an entry for an event that changes nothing in the directory (an admin's framework
  // import, say). kNotFound for an unknown partnership.
  Status RecordEvent(std::string_view partnership_id, std::string_view actor,
                     std::string_view action, std::string_view entity_type,
                     std::string_view entity_id, std::string detail);
  // The partnership's audit entries, newest first (see DirectoryStore::ListAudit).
  Result<std::vector<storage::AuditEntry>> AuditLog(std::string_view partnership_id, size_t offset,
                                                    size_t limit);

 private:
  std::string Now() const;
  storage::AuditEntry Audit(std::string_view partnership_id, std::string_view actor,
                            std::string_view action, std::string_view entity_type,
                            std::string_view entity_id, std::string detail) const;
  // Validates `input` into `person` (id and partnership set by the caller).
  Status CheckPerson(std::string_view partnership_id, const PersonInput& input,
                     std::string_view self_id, model::Person& person);

  storage::DirectoryStore& store_;
  const Options options_;
  std::function<void(std::string_view)> erasure_listener_;
};

}  // namespace trellis::service
