// storage/sqlite/sqlite_directory_store.cc — SqliteDirectoryStore: the directory, accounts,
// sessions and audit log on the tables of migrations/0002_directory.sql. Every query on
// partnership data has `partnership_id = ?` in its WHERE clause; writes check what they can
// name (a missing partnership, a taken email) inside the write transaction, so the checks
// cannot race, and leave the schema's composite foreign keys as the last line.
#include "storage/sqlite/sqlite_directory_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <utility>

#include "core/ids.h"
#include "storage/sqlite/sqlite_db.h"

namespace trellis::storage {

using sqlite::Connection;
using sqlite::Execute;
using sqlite::Query;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// Runs `fn(conn)` in one transaction of `kind` on a pooled connection of `db`.
template <typename Fn>
Status InTransaction(SqliteStore& db, Transaction::Kind kind, std::string_view what, Fn fn) {
  return db.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(fn(conn));
    return (*txn)->Commit();
  });
}

template <typename Fn>
Status InWrite(SqliteStore& db, std::string_view what, Fn fn) {
  return InTransaction(db, Transaction::Kind::kWrite, what, std::move(fn));
}

template <typename Fn>
Status InRead(SqliteStore& db, std::string_view what, Fn fn) {
  return InTransaction(db, Transaction::Kind::kRead, what, std::move(fn));
}

// True when `sql` (bound by `bind`) returns at least one row.
template <typename BindFn>
Result<bool> Exists(Connection& conn, std::string_view sql, std::string_view what, BindFn bind) {
  bool found = false;
  TRELLIS_RETURN_IF_ERROR(Query(conn, sql, what, bind, [&](Statement&) {
    found = true;
    return Status::Ok();
  }));
  return found;
}

Status RequirePartnership(Connection& conn, std::string_view partnership_id,
                          std::string_view what) {
  Result<bool> found = Exists(conn, "SELECT 1 FROM partnerships WHERE id = ?", what,
                              [&](Statement& s) { s.Bind(1, partnership_id); });
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no partnership " + Quoted(partnership_id));
  return Status::Ok();
}

// Appends `entry` with the partnership's next sequence number (the caller holds the write
// lock, so MAX(seq) + 1 cannot race).
Status InsertAudit(Connection& conn, const AuditEntry& entry) {
  const std::string id = entry.id.empty() ? NewId("aud") : entry.id;
  Result<int> n =
      Execute(conn,
              "INSERT INTO audit_log (id, partnership_id, seq, at, actor, action, entity_type, "
              "entity_id, detail) SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6, ?7, ?8 "
              "FROM audit_log WHERE partnership_id = ?2",
              "appending to the audit log", [&](Statement& s) {
                s.Bind(1, id).Bind(2, entry.partnership_id).Bind(3, entry.at).Bind(4, entry.actor);
                s.Bind(5, entry.action).Bind(6, entry.entity_type).Bind(7, entry.entity_id);
                s.Bind(8, entry.detail);
              });
  return n.status();
}

// A change's audit entry must belong to the partnership changed.
Status CheckAudit(const AuditEntry& audit, std::string_view partnership_id) {
  if (audit.partnership_id != partnership_id)
    return Status::Internal("audit entry for partnership " + Quoted(audit.partnership_id) +
                            " written with a change of partnership " + Quoted(partnership_id));
  if (audit.action.empty() || audit.at.empty())
    return Status::Internal("audit entry without action or time");
  return Status::Ok();
}

// --- row mapping ---

constexpr char kPartnershipColumns[] = "id, name, created_at";
model::Partnership PartnershipFrom(const Statement& s) { return {s.Text(0), s.Text(1), s.Text(2)}; }

constexpr char kOrganisationColumns[] = "id, partnership_id, name, sector";
Result<model::Organisation> OrganisationFrom(const Statement& s) {
  std::optional<model::Sector> sector = model::ParseSector(s.Text(3));
  if (!sector) return Status::Internal("stored organisation has unknown sector " + s.Text(3));
  return model::Organisation{s.Text(0), s.Text(1), s.Text(2), *sector};
}

constexpr char kPersonColumns[] =
    "id, partnership_id, organisation_id, name, email, level, function, line_manager_id, "
    "created_at, updated_at, erased_at";
Result<StoredPerson> PersonFrom(const Statement& s) {
  StoredPerson p;
  p.person.id = s.Text(0);
  p.person.partnership_id = s.Text(1);
  p.person.organisation_id = s.Text(2);
  p.person.name = s.Text(3);
  p.person.email = s.Text(4);
  std::optional<model::Level> level = model::ParseLevel(s.Text(5));
  std::optional<model::Function> function = model::ParseFunction(s.Text(6));
  if (!level || !function)
    return Status::Internal("stored person " + p.person.id + " has an unknown level or function");
  p.person.level = *level;
  p.person.function = *function;
  p.person.line_manager_id = s.Text(7);
  p.created_at = s.Text(8);
  p.updated_at = s.Text(9);
  p.erased_at = s.Text(10);
  return p;
}

constexpr char kAccountColumns[] =
    "id, partnership_id, email, display_name, role, person_id, created_at";
Result<StoredAccount> AccountFrom(const Statement& s, int first = 0) {
  StoredAccount a;
  a.account.id = s.Text(first + 0);
  a.account.partnership_id = s.Text(first + 1);
  a.account.email = s.Text(first + 2);
  a.account.display_name = s.Text(first + 3);
  std::optional<model::Role> role = model::ParseRole(s.Text(first + 4));
  if (!role) return Status::Internal("stored account " + a.account.id + " has an unknown role");
  a.account.role = *role;
  a.account.person_id = s.Text(first + 5);
  a.created_at = s.Text(first + 6);
  return a;
}

// Binds `text` to `index`, or NULL when it is empty (optional references).
void BindOptional(Statement& s, int index, std::string_view text) {
  if (text.empty()) {
    s.BindNull(index);
  } else {
    s.Bind(index, text);
  }
}

}  // namespace

// --- partnerships ---

Status SqliteDirectoryStore::CreatePartnership(const model::Partnership& partnership,
                                               const AuditEntry& audit) {
  if (partnership.id.empty() || partnership.name.empty())
    return Status::InvalidArgument("a partnership needs an id and a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership.id));
  const std::string what = "creating partnership " + Quoted(partnership.name);
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<bool> taken =
        Exists(conn, "SELECT 1 FROM partnerships WHERE id = ? OR name = ?", what,
               [&](Statement& s) { s.Bind(1, partnership.id).Bind(2, partnership.name); });
    if (!taken.ok()) return taken.status();
    if (*taken)
      return Status::AlreadyExists("a partnership named " + Quoted(partnership.name) +
                                   " already exists");
    Result<int> n =
        Execute(conn, "INSERT INTO partnerships (id, name, created_at) VALUES (?, ?, ?)", what,
                [&](Statement& s) {
                  s.Bind(1, partnership.id).Bind(2, partnership.name);
                  s.Bind(3, audit.at);
                });
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Result<model::Partnership> SqliteDirectoryStore::GetPartnership(std::string_view id) {
  std::optional<model::Partnership> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading a partnership", [&](Connection& conn) {
    return Query(
        conn, std::string("SELECT ") + kPartnershipColumns + " FROM partnerships WHERE id = ?",
        "reading a partnership", [&](Statement& s) { s.Bind(1, id); },
        [&](Statement& s) {
          out = PartnershipFrom(s);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no partnership " + Quoted(id));
  return *out;
}

Result<model::Partnership> SqliteDirectoryStore::FindPartnershipByName(std::string_view name) {
  std::optional<model::Partnership> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "finding a partnership", [&](Connection& conn) {
    return Query(
        conn, std::string("SELECT ") + kPartnershipColumns + " FROM partnerships WHERE name = ?",
        "finding a partnership", [&](Statement& s) { s.Bind(1, name); },
        [&](Statement& s) {
          out = PartnershipFrom(s);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no partnership named " + Quoted(name));
  return *out;
}

Result<std::vector<model::Partnership>> SqliteDirectoryStore::ListPartnerships() {
  std::vector<model::Partnership> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "listing partnerships", [&](Connection& conn) {
    return Query(
        conn, std::string("SELECT ") + kPartnershipColumns + " FROM partnerships ORDER BY name",
        "listing partnerships", [](Statement&) {},
        [&](Statement& s) {
          out.push_back(PartnershipFrom(s));
          return Status::Ok();
        });
  }));
  return out;
}

// --- organisations ---

Status SqliteDirectoryStore::AddOrganisation(const model::Organisation& org,
                                             const AuditEntry& audit) {
  if (org.id.empty() || org.name.empty())
    return Status::InvalidArgument("an organisation needs an id and a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, org.partnership_id));
  const std::string what = "adding organisation " + Quoted(org.name);
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, org.partnership_id, what));
    Result<bool> taken = Exists(
        conn, "SELECT 1 FROM organisations WHERE id = ? OR (partnership_id = ? AND name = ?)", what,
        [&](Statement& s) { s.Bind(1, org.id).Bind(2, org.partnership_id).Bind(3, org.name); });
    if (!taken.ok()) return taken.status();
    if (*taken)
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(org.name));
    Result<int> n = Execute(conn,
                            "INSERT INTO organisations (id, partnership_id, name, sector, "
                            "created_at) VALUES (?, ?, ?, ?, ?)",
                            what, [&](Statement& s) {
                              s.Bind(1, org.id).Bind(2, org.partnership_id).Bind(3, org.name);
                              s.Bind(4, model::SectorName(org.sector)).Bind(5, audit.at);
                            });
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Status SqliteDirectoryStore::UpdateOrganisation(const model::Organisation& org,
                                                const AuditEntry& audit) {
  if (org.name.empty()) return Status::InvalidArgument("an organisation needs a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, org.partnership_id));
  const std::string what = "updating organisation " + Quoted(org.name);
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<bool> taken = Exists(
        conn, "SELECT 1 FROM organisations WHERE partnership_id = ? AND name = ? AND id <> ?", what,
        [&](Statement& s) { s.Bind(1, org.partnership_id).Bind(2, org.name).Bind(3, org.id); });
    if (!taken.ok()) return taken.status();
    if (*taken)
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(org.name));
    Result<int> n = Execute(
        conn, "UPDATE organisations SET name = ?, sector = ? WHERE partnership_id = ? AND id = ?",
        what, [&](Statement& s) {
          s.Bind(1, org.name).Bind(2, model::SectorName(org.sector));
          s.Bind(3, org.partnership_id).Bind(4, org.id);
        });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no organisation " + Quoted(org.id));
    return InsertAudit(conn, audit);
  });
}

Result<model::Organisation> SqliteDirectoryStore::GetOrganisation(std::string_view partnership_id,
                                                                  std::string_view id) {
  std::optional<model::Organisation> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading an organisation", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kOrganisationColumns +
            " FROM organisations WHERE partnership_id = ? AND id = ?",
        "reading an organisation", [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, id); },
        [&](Statement& s) -> Status {
          Result<model::Organisation> org = OrganisationFrom(s);
          if (!org.ok()) return org.status();
          out = std::move(*org);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no organisation " + Quoted(id));
  return *out;
}

Result<std::vector<model::Organisation>> SqliteDirectoryStore::ListOrganisations(
    std::string_view partnership_id) {
  std::vector<model::Organisation> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "listing organisations", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kOrganisationColumns +
            " FROM organisations WHERE partnership_id = ? ORDER BY name",
        "listing organisations", [&](Statement& s) { s.Bind(1, partnership_id); },
        [&](Statement& s) -> Status {
          Result<model::Organisation> org = OrganisationFrom(s);
          if (!org.ok()) return org.status();
          out.push_back(std::move(*org));
          return Status::Ok();
        });
  }));
  return out;
}

// --- people ---

Status SqliteDirectoryStore::SavePeople(std::string_view partnership_id,
                                        const PeopleChanges& changes,
                                        const std::vector<AuditEntry>& audit) {
  if (audit.empty()) return Status::Internal("a change to people without an audit entry");
  for (const AuditEntry& entry : audit) TRELLIS_RETURN_IF_ERROR(CheckAudit(entry, partnership_id));
  const std::string& at = audit.front().at;
  std::set<std::string> emails;
  for (const auto* list : {&changes.added, &changes.updated}) {
    for (const model::Person& p : *list) {
      if (p.partnership_id != partnership_id)
        return Status::InvalidArgument("person " + Quoted(p.id) + " belongs to partnership " +
                                       Quoted(p.partnership_id) + ", not " +
                                       Quoted(partnership_id));
      if (p.id.empty() || p.name.empty() || p.email.empty())
        return Status::InvalidArgument("a person needs an id, a name and an email");
      if (!emails.insert(EmailKey(p.email)).second)
        return Status::AlreadyExists("the email " + Quoted(p.email) + " is given twice");
    }
  }
  const std::string what = "saving people";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, partnership_id, what));
    // An email may move between people of the batch, but not onto someone else's.
    std::set<std::string> batch_ids;
    for (const auto* list : {&changes.added, &changes.updated})
      for (const model::Person& p : *list) batch_ids.insert(p.id);
    for (const auto* list : {&changes.added, &changes.updated}) {
      for (const model::Person& p : *list) {
        std::string holder;
        TRELLIS_RETURN_IF_ERROR(Query(
            conn, "SELECT id FROM people WHERE partnership_id = ? AND email_lower = ?", what,
            [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, EmailKey(p.email)); },
            [&](Statement& s) {
              holder = s.Text(0);
              return Status::Ok();
            }));
        if (!holder.empty() && holder != p.id && !batch_ids.contains(holder))
          return Status::AlreadyExists("another person already has the email " + Quoted(p.email));
      }
    }
    // Emails that move inside the batch would clash row by row: clear them first.
    for (const model::Person& p : changes.updated) {
      Result<int> n = Execute(conn,
                              "UPDATE people SET email = NULL, email_lower = NULL WHERE "
                              "partnership_id = ? AND id = ? AND erased_at IS NULL",
                              what, [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, p.id); });
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::NotFound("no person " + Quoted(p.id) + " to update");
    }
    // New people first without line managers, which may be people added in this batch.
    Result<Statement> insert = Statement::Prepare(
        conn,
        "INSERT INTO people (id, partnership_id, organisation_id, name, email, email_lower, "
        "level, function, line_manager_id, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)",
        what);
    if (!insert.ok()) return insert.status();
    for (const model::Person& p : changes.added) {
      insert->Reset();
      insert->Bind(1, p.id).Bind(2, partnership_id).Bind(3, p.organisation_id).Bind(4, p.name);
      insert->Bind(5, p.email).Bind(6, EmailKey(p.email)).Bind(7, model::LevelName(p.level));
      insert->Bind(8, model::FunctionName(p.function)).Bind(9, at).Bind(10, at);
      Status s = insert->Run();
      if (!s.ok() && s.code() == StatusCode::kInvalidArgument)
        return Status::InvalidArgument("person " + Quoted(p.email) + ": organisation " +
                                       Quoted(p.organisation_id) +
                                       " is not an organisation of the partnership");
      TRELLIS_RETURN_IF_ERROR(s);
    }
    Result<Statement> update = Statement::Prepare(
        conn,
        "UPDATE people SET organisation_id = ?, name = ?, email = ?, email_lower = ?, level = ?, "
        "function = ?, line_manager_id = ?, updated_at = ? WHERE partnership_id = ? AND id = ?",
        what);
    if (!update.ok()) return update.status();
    auto apply = [&](const model::Person& p) -> Status {
      update->Reset();
      update->Bind(1, p.organisation_id).Bind(2, p.name).Bind(3, p.email);
      update->Bind(4, EmailKey(p.email)).Bind(5, model::LevelName(p.level));
      update->Bind(6, model::FunctionName(p.function));
      BindOptional(*update, 7, p.line_manager_id);
      update->Bind(8, at).Bind(9, partnership_id).Bind(10, p.id);
      Status s = update->Run();
      if (!s.ok() && s.code() == StatusCode::kInvalidArgument)
        return Status::InvalidArgument("person " + Quoted(p.email) +
                                       ": the organisation or line manager is not one of the "
                                       "partnership's");
      return s;
    };
    for (const model::Person& p : changes.updated) TRELLIS_RETURN_IF_ERROR(apply(p));
    for (const model::Person& p : changes.added)
      if (!p.line_manager_id.empty()) TRELLIS_RETURN_IF_ERROR(apply(p));
    for (const AuditEntry& entry : audit) TRELLIS_RETURN_IF_ERROR(InsertAudit(conn, entry));
    return Status::Ok();
  });
}

Result<StoredPerson> SqliteDirectoryStore::GetPerson(std::string_view partnership_id,
                                                     std::string_view id) {
  std::optional<StoredPerson> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading a person", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kPersonColumns +
            " FROM people WHERE partnership_id = ? AND id = ?",
        "reading a person", [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, id); },
        [&](Statement& s) -> Status {
          Result<StoredPerson> p = PersonFrom(s);
          if (!p.ok()) return p.status();
          out = std::move(*p);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no person " + Quoted(id));
  return *out;
}

Result<StoredPerson> SqliteDirectoryStore::FindPersonByEmail(std::string_view partnership_id,
                                                             std::string_view email) {
  std::optional<StoredPerson> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "finding a person", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kPersonColumns +
            " FROM people WHERE partnership_id = ? AND email_lower = ? AND erased_at IS NULL",
        "finding a person",
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, EmailKey(email)); },
        [&](Statement& s) -> Status {
          Result<StoredPerson> p = PersonFrom(s);
          if (!p.ok()) return p.status();
          out = std::move(*p);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no person with email " + Quoted(email));
  return *out;
}

Result<std::vector<StoredPerson>> SqliteDirectoryStore::ListPeople(std::string_view partnership_id,
                                                                   const PersonFilter& filter) {
  std::vector<StoredPerson> out;
  std::string sql = std::string("SELECT ") + kPersonColumns +
                    " FROM people WHERE partnership_id = ?1 AND (?2 = '' OR organisation_id = ?2)";
  if (!filter.include_erased) sql += " AND erased_at IS NULL";
  sql += " ORDER BY name, id";
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "listing people", [&](Connection& conn) {
    return Query(
        conn, sql, "listing people",
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, filter.organisation_id); },
        [&](Statement& s) -> Status {
          Result<StoredPerson> p = PersonFrom(s);
          if (!p.ok()) return p.status();
          out.push_back(std::move(*p));
          return Status::Ok();
        });
  }));
  return out;
}

Status SqliteDirectoryStore::ErasePerson(std::string_view partnership_id, std::string_view id,
                                         const AuditEntry& audit) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "erasing a person";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    std::optional<bool> erased;
    TRELLIS_RETURN_IF_ERROR(Query(
        conn, "SELECT erased_at IS NOT NULL FROM people WHERE partnership_id = ? AND id = ?", what,
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, id); },
        [&](Statement& s) {
          erased = s.Int(0) != 0;
          return Status::Ok();
        }));
    if (!erased) return Status::NotFound("no person " + Quoted(id));
    const bool again = *erased;  // then only the cleanup runs: no update, no second entry
    if (!again) {
      Result<int> n = Execute(conn,
                              "UPDATE people SET name = '', email = NULL, email_lower = NULL, "
                              "line_manager_id = NULL, erased_at = ?, updated_at = ? "
                              "WHERE partnership_id = ? AND id = ?",
                              what, [&](Statement& s) {
                                s.Bind(1, audit.at).Bind(2, audit.at);
                                s.Bind(3, partnership_id).Bind(4, id);
                              });
      if (!n.ok()) return n.status();
    }
    for (std::string_view statement : ErasureCleanupSql()) {
      Result<int> removed = Execute(conn, sqlite::NumberedParams(statement), what,
                                    [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, id); });
      if (!removed.ok()) return removed.status();
    }
    return again ? Status::Ok() : InsertAudit(conn, audit);
  });
}

// --- accounts ---

Status SqliteDirectoryStore::CreateAccount(const model::Account& account,
                                           std::string_view password_hash,
                                           const AuditEntry& audit) {
  if (account.id.empty() || account.email.empty() || password_hash.empty())
    return Status::InvalidArgument("an account needs an id, an email and a password hash");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, account.partnership_id));
  const std::string what = "creating an account";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, account.partnership_id, what));
    Result<bool> taken =
        Exists(conn, "SELECT 1 FROM accounts WHERE id = ? OR email_lower = ?", what,
               [&](Statement& s) { s.Bind(1, account.id).Bind(2, EmailKey(account.email)); });
    if (!taken.ok()) return taken.status();
    // Not saying which partnership holds it: that would leak across tenants.
    if (*taken)
      return Status::AlreadyExists("an account with the email " + Quoted(account.email) +
                                   " already exists (an email signs in to one partnership)");
    if (!account.person_id.empty()) {
      Result<bool> person = Exists(
          conn, "SELECT 1 FROM people WHERE partnership_id = ? AND id = ? AND erased_at IS NULL",
          what,
          [&](Statement& s) { s.Bind(1, account.partnership_id).Bind(2, account.person_id); });
      if (!person.ok()) return person.status();
      if (!*person)
        return Status::InvalidArgument("no person " + Quoted(account.person_id) +
                                       " in the partnership to link the account to");
    }
    Result<int> n =
        Execute(conn,
                "INSERT INTO accounts (id, partnership_id, email, email_lower, display_name, role, "
                "person_id, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                what, [&](Statement& s) {
                  s.Bind(1, account.id).Bind(2, account.partnership_id).Bind(3, account.email);
                  s.Bind(4, EmailKey(account.email)).Bind(5, account.display_name);
                  s.Bind(6, model::RoleName(account.role));
                  BindOptional(s, 7, account.person_id);
                  s.Bind(8, password_hash).Bind(9, audit.at);
                });
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Result<AccountCredentials> SqliteDirectoryStore::FindAccountForSignIn(std::string_view email) {
  std::optional<AccountCredentials> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "finding an account", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kAccountColumns +
            ", password_hash FROM accounts WHERE email_lower = ?",
        "finding an account", [&](Statement& s) { s.Bind(1, EmailKey(email)); },
        [&](Statement& s) -> Status {
          Result<StoredAccount> a = AccountFrom(s);
          if (!a.ok()) return a.status();
          out = AccountCredentials{std::move(a->account), s.Text(7)};
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no account with that email");
  return *out;
}

Result<StoredAccount> SqliteDirectoryStore::GetAccount(std::string_view partnership_id,
                                                       std::string_view id) {
  std::optional<StoredAccount> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading an account", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kAccountColumns +
            " FROM accounts WHERE partnership_id = ? AND id = ?",
        "reading an account", [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, id); },
        [&](Statement& s) -> Status {
          Result<StoredAccount> a = AccountFrom(s);
          if (!a.ok()) return a.status();
          out = std::move(*a);
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no account " + Quoted(id));
  return *out;
}

Result<std::vector<StoredAccount>> SqliteDirectoryStore::ListAccounts(
    std::string_view partnership_id) {
  std::vector<StoredAccount> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "listing accounts", [&](Connection& conn) {
    return Query(
        conn,
        std::string("SELECT ") + kAccountColumns +
            " FROM accounts WHERE partnership_id = ? ORDER BY email_lower",
        "listing accounts", [&](Statement& s) { s.Bind(1, partnership_id); },
        [&](Statement& s) -> Status {
          Result<StoredAccount> a = AccountFrom(s);
          if (!a.ok()) return a.status();
          out.push_back(std::move(*a));
          return Status::Ok();
        });
  }));
  return out;
}

Status SqliteDirectoryStore::SetAccountRole(std::string_view partnership_id, std::string_view id,
                                            model::Role role, const AuditEntry& audit) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "changing an account's role";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n =
        Execute(conn, "UPDATE accounts SET role = ? WHERE partnership_id = ? AND id = ?", what,
                [&](Statement& s) {
                  s.Bind(1, model::RoleName(role)).Bind(2, partnership_id).Bind(3, id);
                });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(id));
    return InsertAudit(conn, audit);
  });
}

Status SqliteDirectoryStore::SetAccountPasswordHash(std::string_view partnership_id,
                                                    std::string_view id,
                                                    std::string_view password_hash,
                                                    const AuditEntry& audit) {
  if (password_hash.empty()) return Status::InvalidArgument("empty password hash");
  if (!audit.action.empty()) TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "changing an account's password";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n = Execute(
        conn, "UPDATE accounts SET password_hash = ? WHERE partnership_id = ? AND id = ?", what,
        [&](Statement& s) { s.Bind(1, password_hash).Bind(2, partnership_id).Bind(3, id); });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(id));
    return audit.action.empty() ? Status::Ok() : InsertAudit(conn, audit);
  });
}

// --- sessions ---

Status SqliteDirectoryStore::CreateSession(const SessionRecord& session) {
  const std::string what = "starting a session";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<bool> account = Exists(conn, "SELECT 1 FROM accounts WHERE id = ?", what,
                                  [&](Statement& s) { s.Bind(1, session.account_id); });
    if (!account.ok()) return account.status();
    if (!*account) return Status::NotFound("no account " + Quoted(session.account_id));
    Result<bool> taken = Exists(conn, "SELECT 1 FROM sessions WHERE id_hash = ?", what,
                                [&](Statement& s) { s.Bind(1, session.id_hash); });
    if (!taken.ok()) return taken.status();
    if (*taken) return Status::AlreadyExists("session id collision");
    Result<int> n = Execute(conn,
                            "INSERT INTO sessions (id_hash, account_id, csrf_token, "
                            "created_at, last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                            what, [&](Statement& s) {
                              s.Bind(1, session.id_hash).Bind(2, session.account_id);
                              s.Bind(3, session.csrf_token).Bind(4, session.created_at);
                              s.Bind(5, session.last_seen_at).Bind(6, session.expires_at);
                            });
    return n.status();
  });
}

Result<SessionWithAccount> SqliteDirectoryStore::GetSession(std::string_view id_hash) {
  std::optional<SessionWithAccount> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading a session", [&](Connection& conn) {
    return Query(
        conn,
        "SELECT s.id_hash, s.account_id, s.csrf_token, s.created_at, s.last_seen_at, "
        "s.expires_at, a.id, a.partnership_id, a.email, a.display_name, a.role, a.person_id, "
        "a.created_at FROM sessions s JOIN accounts a ON a.id = s.account_id "
        "WHERE s.id_hash = ?",
        "reading a session", [&](Statement& s) { s.Bind(1, id_hash); },
        [&](Statement& s) -> Status {
          Result<StoredAccount> a = AccountFrom(s, 6);
          if (!a.ok()) return a.status();
          out =
              SessionWithAccount{{s.Text(0), s.Text(1), s.Text(2), s.Text(3), s.Text(4), s.Text(5)},
                                 std::move(a->account)};
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no such session");
  return *out;
}

Status SqliteDirectoryStore::TouchSession(std::string_view id_hash, std::string_view last_seen_at) {
  const std::string what = "recording session activity";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n = Execute(conn, "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", what,
                            [&](Statement& s) { s.Bind(1, last_seen_at).Bind(2, id_hash); });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no such session");
    return Status::Ok();
  });
}

Status SqliteDirectoryStore::DeleteSession(std::string_view id_hash) {
  const std::string what = "ending a session";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    return Execute(conn, "DELETE FROM sessions WHERE id_hash = ?", what,
                   [&](Statement& s) { s.Bind(1, id_hash); })
        .status();
  });
}

Result<size_t> SqliteDirectoryStore::DeleteAccountSessions(std::string_view partnership_id,
                                                           std::string_view account_id) {
  const std::string what = "ending an account's sessions";
  size_t deleted = 0;
  TRELLIS_RETURN_IF_ERROR(InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n =
        Execute(conn,
                "DELETE FROM sessions WHERE account_id = ? AND account_id IN "
                "(SELECT id FROM accounts WHERE partnership_id = ?)",
                what, [&](Statement& s) { s.Bind(1, account_id).Bind(2, partnership_id); });
    if (!n.ok()) return n.status();
    deleted = *n;
    return Status::Ok();
  }));
  return deleted;
}

Result<size_t> SqliteDirectoryStore::DeleteExpiredSessions(std::string_view now,
                                                           std::string_view idle_before) {
  const std::string what = "removing expired sessions";
  size_t deleted = 0;
  TRELLIS_RETURN_IF_ERROR(InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n = Execute(conn, "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
                            what, [&](Statement& s) { s.Bind(1, now).Bind(2, idle_before); });
    if (!n.ok()) return n.status();
    deleted = *n;
    return Status::Ok();
  }));
  return deleted;
}

// --- failed sign-ins ---

Status SqliteDirectoryStore::RecordLoginFailure(std::string_view partnership_id,
                                                std::string_view account_id, std::string_view at) {
  const std::string what = "recording a failed sign-in";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    Result<int> n = Execute(
        conn,
        "INSERT INTO login_failures (account_id, at) SELECT id, ? FROM "
        "accounts WHERE partnership_id = ? AND id = ?",
        what, [&](Statement& s) { s.Bind(1, at).Bind(2, partnership_id).Bind(3, account_id); });
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(account_id));
    return Status::Ok();
  });
}

Result<int> SqliteDirectoryStore::CountLoginFailuresSince(std::string_view partnership_id,
                                                          std::string_view account_id,
                                                          std::string_view since) {
  int count = 0;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "counting failed sign-ins", [&](Connection& conn) {
    return Query(
        conn,
        "SELECT COUNT(*) FROM login_failures f JOIN accounts a ON a.id = f.account_id "
        "WHERE a.partnership_id = ? AND f.account_id = ? AND f.at >= ?",
        "counting failed sign-ins",
        [&](Statement& s) { s.Bind(1, partnership_id).Bind(2, account_id).Bind(3, since); },
        [&](Statement& s) {
          count = static_cast<int>(s.Int(0));
          return Status::Ok();
        });
  }));
  return count;
}

Status SqliteDirectoryStore::ClearLoginFailures(std::string_view partnership_id,
                                                std::string_view account_id) {
  const std::string what = "clearing failed sign-ins";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    return Execute(conn,
                   "DELETE FROM login_failures WHERE account_id = ? AND account_id IN "
                   "(SELECT id FROM accounts WHERE partnership_id = ?)",
                   what, [&](Statement& s) { s.Bind(1, account_id).Bind(2, partnership_id); })
        .status();
  });
}

// --- audit log ---

Status SqliteDirectoryStore::AppendAudit(const AuditEntry& entry) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(entry, entry.partnership_id));
  const std::string what = "appending to the audit log";
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, entry.partnership_id, what));
    return InsertAudit(conn, entry);
  });
}

Status SqliteDirectoryStore::AppendAudits(std::span<const AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  Result<std::vector<std::string_view>> partnerships = AuditBatchPartnerships(entries);
  if (!partnerships.ok()) return partnerships.status();
  const std::string what = "appending to the audit log";
  // One transaction, one fsync (synchronous=FULL) for the whole batch.
  return InWrite(db_, what, [&](Connection& conn) -> Status {
    for (std::string_view p : *partnerships)
      TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, p, what));
    for (const AuditEntry& entry : entries) TRELLIS_RETURN_IF_ERROR(InsertAudit(conn, entry));
    return Status::Ok();
  });
}

namespace {

// The audit log's columns, in AuditEntry's order, for ListAudit and ListAuditBefore.
constexpr const char* kAuditSelect =
    "SELECT id, partnership_id, seq, at, actor, action, entity_type, entity_id, detail "
    "FROM audit_log ";

AuditEntry AuditRow(Statement& s) {
  return {s.Text(0), s.Text(1), s.Int(2),  s.Text(3), s.Text(4),
          s.Text(5), s.Text(6), s.Text(7), s.Text(8)};
}

}  // namespace

Result<std::vector<AuditEntry>> SqliteDirectoryStore::ListAudit(std::string_view partnership_id,
                                                                size_t offset, size_t limit) {
  if (limit > 1000) limit = 1000;
  std::vector<AuditEntry> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading the audit log", [&](Connection& conn) {
    return Query(
        conn,
        std::string(kAuditSelect) + "WHERE partnership_id = ? ORDER BY seq DESC LIMIT ? OFFSET ?",
        "reading the audit log",
        [&](Statement& s) {
          s.Bind(1, partnership_id).Bind(2, static_cast<int64_t>(limit));
          s.Bind(3, static_cast<int64_t>(offset));
        },
        [&](Statement& s) {
          out.push_back(AuditRow(s));
          return Status::Ok();
        });
  }));
  return out;
}

Result<std::vector<AuditEntry>> SqliteDirectoryStore::ListAuditBefore(
    std::string_view partnership_id, int64_t before_seq, size_t limit) {
  if (before_seq <= 0) return ListAudit(partnership_id, 0, limit);
  if (limit > 1000) limit = 1000;
  std::vector<AuditEntry> out;
  TRELLIS_RETURN_IF_ERROR(InRead(db_, "reading the audit log", [&](Connection& conn) {
    return Query(
        conn,
        std::string(kAuditSelect) +
            "WHERE partnership_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
        "reading the audit log",
        [&](Statement& s) {
          s.Bind(1, partnership_id).Bind(2, before_seq);
          s.Bind(3, static_cast<int64_t>(limit));
        },
        [&](Statement& s) {
          out.push_back(AuditRow(s));
          return Status::Ok();
        });
  }));
  return out;
}

}  // namespace trellis::storage
