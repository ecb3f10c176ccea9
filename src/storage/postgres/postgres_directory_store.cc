// storage/postgres/postgres_directory_store.cc — PostgresDirectoryStore: the directory,
// accounts, sessions and audit log on the tables of migrations/0002_directory.sql. A port of
// SqliteDirectoryStore, statement for statement where the dialects agree: every query on
// partnership data has `partnership_id = $n` in its WHERE clause; writes check what they can
// name (a missing partnership, a taken email) inside their transaction under the partnership's
// write lock, so the checks cannot race, and leave the schema's composite foreign keys as the
// last line. Text is ordered and compared with COLLATE "C" (bytes, as SQLite does), whatever
// the database's locale.
#include "storage/postgres/postgres_directory_store.h"

#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>

#include "core/ids.h"
#include "storage/postgres/partnership_lock.h"
#include "storage/postgres/postgres_db.h"

namespace trellis::storage {

using postgres::Connection;
using postgres::Param;
using postgres::QueryResult;
using postgres::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// `text`, or SQL NULL when it is empty (optional references).
Param Optional(std::string_view text) { return text.empty() ? Param::Null() : Param(text); }

// Runs `fn(conn)` in one transaction of `kind` on a pooled connection of `db`.
template <typename Fn>
Status InTransaction(PostgresStore& db, Transaction::Kind kind, std::string_view what, Fn fn) {
  return db.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(fn(conn));
    return (*txn)->Commit();
  });
}

// A write to the data of `partnership_id`: one transaction holding the partnership's write lock.
template <typename Fn>
Status InWrite(PostgresStore& db, std::string_view partnership_id, std::string_view what, Fn fn) {
  return InTransaction(db, Transaction::Kind::kWrite, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, partnership_id, what));
    return fn(conn);
  });
}

// A write that needs no partnership lock (sessions: one row each, keyed by its hash).
template <typename Fn>
Status InUnlockedWrite(PostgresStore& db, std::string_view what, Fn fn) {
  return InTransaction(db, Transaction::Kind::kWrite, what, std::move(fn));
}

// Runs one statement outside any explicit transaction (it is atomic on its own) and calls
// `on_row(result, row)` for each row.
template <typename RowFn>
Status QueryOnce(PostgresStore& db, std::string_view sql, std::initializer_list<Param> params,
                 std::string_view what, RowFn on_row) {
  return db.WithConnection([&](Connection& conn) -> Status {
    Result<QueryResult> res = conn.Exec(sql, params, what);
    if (!res.ok()) return res.status();
    for (int r = 0; r < res->rows(); ++r) TRELLIS_RETURN_IF_ERROR(on_row(*res, r));
    return Status::Ok();
  });
}

// Runs a statement; returns the number of rows it changed.
Result<size_t> Execute(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
                       std::string_view what) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  if (!res.ok()) return res.status();
  return static_cast<size_t>(res->AffectedRows());
}

// True when `sql` returns at least one row.
Result<bool> Exists(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
                    std::string_view what) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  if (!res.ok()) return res.status();
  return res->rows() > 0;
}

Status RequirePartnership(Connection& conn, std::string_view partnership_id,
                          std::string_view what) {
  Result<bool> found =
      Exists(conn, "SELECT 1 FROM partnerships WHERE id = $1", {partnership_id}, what);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no partnership " + Quoted(partnership_id));
  return Status::Ok();
}

// Appends `entry` with the partnership's next sequence number (the caller holds the
// partnership's write lock, so MAX(seq) + 1 cannot race).
Status InsertAudit(Connection& conn, const AuditEntry& entry) {
  const std::string id = entry.id.empty() ? NewId("aud") : entry.id;
  return Execute(conn,
                 "INSERT INTO audit_log (id, partnership_id, seq, at, actor, action, entity_type, "
                 "entity_id, detail) SELECT $1::text, $2::text, COALESCE(MAX(seq), 0) + 1, "
                 "$3::text, $4::text, $5::text, $6::text, $7::text, $8::text "
                 "FROM audit_log WHERE partnership_id = $2",
                 {id, entry.partnership_id, entry.at, entry.actor, entry.action, entry.entity_type,
                  entry.entity_id, entry.detail},
                 "appending to the audit log")
      .status();
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
model::Partnership PartnershipFrom(const QueryResult& r, int i) {
  return {r.Text(i, 0), r.Text(i, 1), r.Text(i, 2)};
}

constexpr char kOrganisationColumns[] = "id, partnership_id, name, sector";
Result<model::Organisation> OrganisationFrom(const QueryResult& r, int i) {
  std::optional<model::Sector> sector = model::ParseSector(r.Text(i, 3));
  if (!sector) return Status::Internal("stored organisation has unknown sector " + r.Text(i, 3));
  return model::Organisation{r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), *sector};
}

constexpr char kPersonColumns[] =
    "id, partnership_id, organisation_id, name, email, level, function, line_manager_id, "
    "created_at, updated_at, erased_at";
Result<StoredPerson> PersonFrom(const QueryResult& r, int i) {
  StoredPerson p;
  p.person.id = r.Text(i, 0);
  p.person.partnership_id = r.Text(i, 1);
  p.person.organisation_id = r.Text(i, 2);
  p.person.name = r.Text(i, 3);
  p.person.email = r.Text(i, 4);
  std::optional<model::Level> level = model::ParseLevel(r.Text(i, 5));
  std::optional<model::Function> function = model::ParseFunction(r.Text(i, 6));
  if (!level || !function)
    return Status::Internal("stored person " + p.person.id + " has an unknown level or function");
  p.person.level = *level;
  p.person.function = *function;
  p.person.line_manager_id = r.Text(i, 7);
  p.created_at = r.Text(i, 8);
  p.updated_at = r.Text(i, 9);
  p.erased_at = r.Text(i, 10);
  return p;
}

constexpr char kAccountColumns[] =
    "id, partnership_id, email, display_name, role, person_id, created_at";
Result<StoredAccount> AccountFrom(const QueryResult& r, int i, int first = 0) {
  StoredAccount a;
  a.account.id = r.Text(i, first + 0);
  a.account.partnership_id = r.Text(i, first + 1);
  a.account.email = r.Text(i, first + 2);
  a.account.display_name = r.Text(i, first + 3);
  std::optional<model::Role> role = model::ParseRole(r.Text(i, first + 4));
  if (!role) return Status::Internal("stored account " + a.account.id + " has an unknown role");
  a.account.role = *role;
  a.account.person_id = r.Text(i, first + 5);
  a.created_at = r.Text(i, first + 6);
  return a;
}

// Reads every row of `sql` through `from` into `out`.
template <typename T, typename FromFn>
Status ReadAll(PostgresStore& db, std::string_view sql, std::initializer_list<Param> params,
               std::string_view what, FromFn from, std::vector<T>& out) {
  return QueryOnce(db, sql, params, what, [&](const QueryResult& r, int i) -> Status {
    auto row = from(r, i);
    if constexpr (std::is_same_v<decltype(row), T>) {
      out.push_back(std::move(row));
    } else {
      if (!row.ok()) return row.status();
      out.push_back(std::move(*row));
    }
    return Status::Ok();
  });
}

// Reads the row of `sql` (at most one) through `from`; nullopt when there is none.
template <typename T, typename FromFn>
Result<std::optional<T>> ReadOne(PostgresStore& db, std::string_view sql,
                                 std::initializer_list<Param> params, std::string_view what,
                                 FromFn from) {
  std::vector<T> rows;
  TRELLIS_RETURN_IF_ERROR(ReadAll<T>(db, sql, params, what, from, rows));
  if (rows.empty()) return std::optional<T>();
  return std::optional<T>(std::move(rows.front()));
}

}  // namespace

// --- partnerships ---

Status PostgresDirectoryStore::CreatePartnership(const model::Partnership& partnership,
                                                 const AuditEntry& audit) {
  if (partnership.id.empty() || partnership.name.empty())
    return Status::InvalidArgument("a partnership needs an id and a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership.id));
  const std::string what = "creating partnership " + Quoted(partnership.name);
  const Status taken_status =
      Status::AlreadyExists("a partnership named " + Quoted(partnership.name) + " already exists");
  return InWrite(db_, partnership.id, what, [&](Connection& conn) -> Status {
    Result<bool> taken = Exists(conn, "SELECT 1 FROM partnerships WHERE id = $1 OR name = $2",
                                {partnership.id, partnership.name}, what);
    if (!taken.ok()) return taken.status();
    if (*taken) return taken_status;
    // Names are unique across partnerships, which the lock above does not cover: a concurrent
    // creator of the same name is stopped by the UNIQUE constraint.
    Result<size_t> n =
        Execute(conn, "INSERT INTO partnerships (id, name, created_at) VALUES ($1, $2, $3)",
                {partnership.id, partnership.name, audit.at}, what);
    if (!n.ok() && n.status().code() == StatusCode::kAlreadyExists) return taken_status;
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Result<model::Partnership> PostgresDirectoryStore::GetPartnership(std::string_view id) {
  Result<std::optional<model::Partnership>> out = ReadOne<model::Partnership>(
      db_, std::string("SELECT ") + kPartnershipColumns + " FROM partnerships WHERE id = $1", {id},
      "reading a partnership", PartnershipFrom);
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no partnership " + Quoted(id));
  return std::move(**out);
}

Result<model::Partnership> PostgresDirectoryStore::FindPartnershipByName(std::string_view name) {
  Result<std::optional<model::Partnership>> out = ReadOne<model::Partnership>(
      db_, std::string("SELECT ") + kPartnershipColumns + " FROM partnerships WHERE name = $1",
      {name}, "finding a partnership", PartnershipFrom);
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no partnership named " + Quoted(name));
  return std::move(**out);
}

Result<std::vector<model::Partnership>> PostgresDirectoryStore::ListPartnerships() {
  std::vector<model::Partnership> out;
  TRELLIS_RETURN_IF_ERROR(ReadAll(db_,
                                  std::string("SELECT ") + kPartnershipColumns +
                                      " FROM partnerships ORDER BY name COLLATE \"C\"",
                                  {}, "listing partnerships", PartnershipFrom, out));
  return out;
}

// --- organisations ---

Status PostgresDirectoryStore::AddOrganisation(const model::Organisation& org,
                                               const AuditEntry& audit) {
  if (org.id.empty() || org.name.empty())
    return Status::InvalidArgument("an organisation needs an id and a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, org.partnership_id));
  const std::string what = "adding organisation " + Quoted(org.name);
  return InWrite(db_, org.partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, org.partnership_id, what));
    Result<bool> taken = Exists(
        conn, "SELECT 1 FROM organisations WHERE id = $1 OR (partnership_id = $2 AND name = $3)",
        {org.id, org.partnership_id, org.name}, what);
    if (!taken.ok()) return taken.status();
    if (*taken)
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(org.name));
    Result<size_t> n = Execute(
        conn,
        "INSERT INTO organisations (id, partnership_id, name, sector, "
        "created_at) VALUES ($1, $2, $3, $4, $5)",
        {org.id, org.partnership_id, org.name, model::SectorName(org.sector), audit.at}, what);
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Status PostgresDirectoryStore::UpdateOrganisation(const model::Organisation& org,
                                                  const AuditEntry& audit) {
  if (org.name.empty()) return Status::InvalidArgument("an organisation needs a name");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, org.partnership_id));
  const std::string what = "updating organisation " + Quoted(org.name);
  return InWrite(db_, org.partnership_id, what, [&](Connection& conn) -> Status {
    Result<bool> taken = Exists(
        conn, "SELECT 1 FROM organisations WHERE partnership_id = $1 AND name = $2 AND id <> $3",
        {org.partnership_id, org.name, org.id}, what);
    if (!taken.ok()) return taken.status();
    if (*taken)
      return Status::AlreadyExists("the partnership already has an organisation named " +
                                   Quoted(org.name));
    Result<size_t> n = Execute(
        conn,
        "UPDATE organisations SET name = $1, sector = $2 WHERE partnership_id = $3 AND id = $4",
        {org.name, model::SectorName(org.sector), org.partnership_id, org.id}, what);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no organisation " + Quoted(org.id));
    return InsertAudit(conn, audit);
  });
}

Result<model::Organisation> PostgresDirectoryStore::GetOrganisation(std::string_view partnership_id,
                                                                    std::string_view id) {
  Result<std::optional<model::Organisation>> out = ReadOne<model::Organisation>(
      db_,
      std::string("SELECT ") + kOrganisationColumns +
          " FROM organisations WHERE partnership_id = $1 AND id = $2",
      {partnership_id, id}, "reading an organisation", OrganisationFrom);
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no organisation " + Quoted(id));
  return std::move(**out);
}

Result<std::vector<model::Organisation>> PostgresDirectoryStore::ListOrganisations(
    std::string_view partnership_id) {
  std::vector<model::Organisation> out;
  TRELLIS_RETURN_IF_ERROR(ReadAll(db_,
                                  std::string("SELECT ") + kOrganisationColumns +
                                      " FROM organisations WHERE partnership_id = $1 "
                                      "ORDER BY name COLLATE \"C\"",
                                  {partnership_id}, "listing organisations", OrganisationFrom,
                                  out));
  return out;
}

// --- people ---

Status PostgresDirectoryStore::SavePeople(std::string_view partnership_id,
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
  return InWrite(db_, partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, partnership_id, what));
    // An email may move between people of the batch, but not onto someone else's.
    std::set<std::string> batch_ids;
    for (const auto* list : {&changes.added, &changes.updated})
      for (const model::Person& p : *list) batch_ids.insert(p.id);
    for (const auto* list : {&changes.added, &changes.updated}) {
      for (const model::Person& p : *list) {
        Result<QueryResult> holder =
            conn.Exec("SELECT id FROM people WHERE partnership_id = $1 AND email_lower = $2",
                      {partnership_id, EmailKey(p.email)}, what);
        if (!holder.ok()) return holder.status();
        const std::string id = holder->rows() > 0 ? holder->Text(0, 0) : std::string();
        if (!id.empty() && id != p.id && !batch_ids.contains(id))
          return Status::AlreadyExists("another person already has the email " + Quoted(p.email));
      }
    }
    // Emails that move inside the batch would clash row by row: clear them first.
    for (const model::Person& p : changes.updated) {
      Result<size_t> n = Execute(conn,
                                 "UPDATE people SET email = NULL, email_lower = NULL WHERE "
                                 "partnership_id = $1 AND id = $2 AND erased_at IS NULL",
                                 {partnership_id, p.id}, what);
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::NotFound("no person " + Quoted(p.id) + " to update");
    }
    // New people first without line managers, which may be people added in this batch
    // (PostgreSQL checks foreign keys statement by statement).
    for (const model::Person& p : changes.added) {
      Result<size_t> n =
          Execute(conn,
                  "INSERT INTO people (id, partnership_id, organisation_id, name, email, "
                  "email_lower, level, function, line_manager_id, created_at, updated_at) "
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $9)",
                  {p.id, partnership_id, p.organisation_id, p.name, p.email, EmailKey(p.email),
                   model::LevelName(p.level), model::FunctionName(p.function), at},
                  what);
      if (!n.ok() && n.status().code() == StatusCode::kInvalidArgument)
        return Status::InvalidArgument("person " + Quoted(p.email) + ": organisation " +
                                       Quoted(p.organisation_id) +
                                       " is not an organisation of the partnership");
      if (!n.ok()) return n.status();
    }
    auto apply = [&](const model::Person& p) -> Status {
      Result<size_t> n = Execute(
          conn,
          "UPDATE people SET organisation_id = $1, name = $2, email = $3, "
          "email_lower = $4, level = $5, function = $6, line_manager_id = $7, "
          "updated_at = $8 WHERE partnership_id = $9 AND id = $10",
          {p.organisation_id, p.name, p.email, EmailKey(p.email), model::LevelName(p.level),
           model::FunctionName(p.function), Optional(p.line_manager_id), at, partnership_id, p.id},
          what);
      if (!n.ok() && n.status().code() == StatusCode::kInvalidArgument)
        return Status::InvalidArgument("person " + Quoted(p.email) +
                                       ": the organisation or line manager is not one of the "
                                       "partnership's");
      return n.status();
    };
    for (const model::Person& p : changes.updated) TRELLIS_RETURN_IF_ERROR(apply(p));
    for (const model::Person& p : changes.added)
      if (!p.line_manager_id.empty()) TRELLIS_RETURN_IF_ERROR(apply(p));
    for (const AuditEntry& entry : audit) TRELLIS_RETURN_IF_ERROR(InsertAudit(conn, entry));
    return Status::Ok();
  });
}

Result<StoredPerson> PostgresDirectoryStore::GetPerson(std::string_view partnership_id,
                                                       std::string_view id) {
  Result<std::optional<StoredPerson>> out =
      ReadOne<StoredPerson>(db_,
                            std::string("SELECT ") + kPersonColumns +
                                " FROM people WHERE partnership_id = $1 AND id = $2",
                            {partnership_id, id}, "reading a person", PersonFrom);
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no person " + Quoted(id));
  return std::move(**out);
}

Result<StoredPerson> PostgresDirectoryStore::FindPersonByEmail(std::string_view partnership_id,
                                                               std::string_view email) {
  Result<std::optional<StoredPerson>> out = ReadOne<StoredPerson>(
      db_,
      std::string("SELECT ") + kPersonColumns +
          " FROM people WHERE partnership_id = $1 AND email_lower = $2 AND erased_at IS NULL",
      {partnership_id, EmailKey(email)}, "finding a person", PersonFrom);
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no person with email " + Quoted(email));
  return std::move(**out);
}

Result<std::vector<StoredPerson>> PostgresDirectoryStore::ListPeople(
    std::string_view partnership_id, const PersonFilter& filter) {
  std::string sql = std::string("SELECT ") + kPersonColumns +
                    " FROM people WHERE partnership_id = $1 AND ($2 = '' OR organisation_id = $2)";
  if (!filter.include_erased) sql += " AND erased_at IS NULL";
  sql += " ORDER BY name COLLATE \"C\", id COLLATE \"C\"";
  std::vector<StoredPerson> out;
  TRELLIS_RETURN_IF_ERROR(ReadAll(db_, sql, {partnership_id, filter.organisation_id},
                                  "listing people", PersonFrom, out));
  return out;
}

Status PostgresDirectoryStore::ErasePerson(std::string_view partnership_id, std::string_view id,
                                           const AuditEntry& audit) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "erasing a person";
  return InWrite(db_, partnership_id, what, [&](Connection& conn) -> Status {
    Result<QueryResult> state = conn.Exec(
        "SELECT CASE WHEN erased_at IS NULL THEN 0 ELSE 1 END FROM people "
        "WHERE partnership_id = $1 AND id = $2",
        {partnership_id, id}, what);
    if (!state.ok()) return state.status();
    if (state->rows() == 0) return Status::NotFound("no person " + Quoted(id));
    const bool again = state->Int(0, 0) != 0;  // then only the cleanup: no update, no entry
    if (!again) {
      Result<size_t> n = Execute(conn,
                                 "UPDATE people SET name = '', email = NULL, email_lower = NULL, "
                                 "line_manager_id = NULL, erased_at = $1, updated_at = $1 "
                                 "WHERE partnership_id = $2 AND id = $3",
                                 {audit.at, partnership_id, id}, what);
      if (!n.ok()) return n.status();
    }
    for (std::string_view statement : ErasureCleanupSql()) {
      Result<size_t> removed = Execute(conn, statement, {partnership_id, id}, what);
      if (!removed.ok()) return removed.status();
    }
    return again ? Status::Ok() : InsertAudit(conn, audit);
  });
}

// --- accounts ---

Status PostgresDirectoryStore::CreateAccount(const model::Account& account,
                                             std::string_view password_hash,
                                             const AuditEntry& audit) {
  if (account.id.empty() || account.email.empty() || password_hash.empty())
    return Status::InvalidArgument("an account needs an id, an email and a password hash");
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, account.partnership_id));
  const std::string what = "creating an account";
  // Not saying which partnership holds it: that would leak across tenants.
  const Status taken_status =
      Status::AlreadyExists("an account with the email " + Quoted(account.email) +
                            " already exists (an email signs in to one partnership)");
  return InWrite(db_, account.partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, account.partnership_id, what));
    Result<bool> taken = Exists(conn, "SELECT 1 FROM accounts WHERE id = $1 OR email_lower = $2",
                                {account.id, EmailKey(account.email)}, what);
    if (!taken.ok()) return taken.status();
    if (*taken) return taken_status;
    if (!account.person_id.empty()) {
      Result<bool> person = Exists(
          conn, "SELECT 1 FROM people WHERE partnership_id = $1 AND id = $2 AND erased_at IS NULL",
          {account.partnership_id, account.person_id}, what);
      if (!person.ok()) return person.status();
      if (!*person)
        return Status::InvalidArgument("no person " + Quoted(account.person_id) +
                                       " in the partnership to link the account to");
    }
    // Emails are unique across partnerships, beyond this partnership's lock: a concurrent
    // creator in another partnership is stopped by the UNIQUE constraint.
    Result<size_t> n =
        Execute(conn,
                "INSERT INTO accounts (id, partnership_id, email, email_lower, display_name, "
                "role, person_id, password_hash, created_at) "
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                {account.id, account.partnership_id, account.email, EmailKey(account.email),
                 account.display_name, model::RoleName(account.role), Optional(account.person_id),
                 password_hash, audit.at},
                what);
    if (!n.ok() && n.status().code() == StatusCode::kAlreadyExists) return taken_status;
    if (!n.ok()) return n.status();
    return InsertAudit(conn, audit);
  });
}

Result<AccountCredentials> PostgresDirectoryStore::FindAccountForSignIn(std::string_view email) {
  Result<std::optional<AccountCredentials>> out =
      ReadOne<AccountCredentials>(db_,
                                  std::string("SELECT ") + kAccountColumns +
                                      ", password_hash FROM accounts WHERE email_lower = $1",
                                  {EmailKey(email)}, "finding an account",
                                  [](const QueryResult& r, int i) -> Result<AccountCredentials> {
                                    Result<StoredAccount> a = AccountFrom(r, i);
                                    if (!a.ok()) return a.status();
                                    return AccountCredentials{std::move(a->account), r.Text(i, 7)};
                                  });
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no account with that email");
  return std::move(**out);
}

Result<StoredAccount> PostgresDirectoryStore::GetAccount(std::string_view partnership_id,
                                                         std::string_view id) {
  Result<std::optional<StoredAccount>> out =
      ReadOne<StoredAccount>(db_,
                             std::string("SELECT ") + kAccountColumns +
                                 " FROM accounts WHERE partnership_id = $1 AND id = $2",
                             {partnership_id, id}, "reading an account",
                             [](const QueryResult& r, int i) { return AccountFrom(r, i); });
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no account " + Quoted(id));
  return std::move(**out);
}

Result<std::vector<StoredAccount>> PostgresDirectoryStore::ListAccounts(
    std::string_view partnership_id) {
  std::vector<StoredAccount> out;
  TRELLIS_RETURN_IF_ERROR(ReadAll(
      db_,
      std::string("SELECT ") + kAccountColumns +
          " FROM accounts WHERE partnership_id = $1 ORDER BY email_lower COLLATE \"C\"",
      {partnership_id}, "listing accounts",
      [](const QueryResult& r, int i) { return AccountFrom(r, i); }, out));
  return out;
}

Status PostgresDirectoryStore::SetAccountRole(std::string_view partnership_id, std::string_view id,
                                              model::Role role, const AuditEntry& audit) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "changing an account's role";
  return InWrite(db_, partnership_id, what, [&](Connection& conn) -> Status {
    Result<size_t> n =
        Execute(conn, "UPDATE accounts SET role = $1 WHERE partnership_id = $2 AND id = $3",
                {model::RoleName(role), partnership_id, id}, what);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(id));
    return InsertAudit(conn, audit);
  });
}

Status PostgresDirectoryStore::SetAccountPasswordHash(std::string_view partnership_id,
                                                      std::string_view id,
                                                      std::string_view password_hash,
                                                      const AuditEntry& audit) {
  if (password_hash.empty()) return Status::InvalidArgument("empty password hash");
  if (!audit.action.empty()) TRELLIS_RETURN_IF_ERROR(CheckAudit(audit, partnership_id));
  const std::string what = "changing an account's password";
  return InWrite(db_, partnership_id, what, [&](Connection& conn) -> Status {
    Result<size_t> n = Execute(
        conn, "UPDATE accounts SET password_hash = $1 WHERE partnership_id = $2 AND id = $3",
        {password_hash, partnership_id, id}, what);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(id));
    return audit.action.empty() ? Status::Ok() : InsertAudit(conn, audit);
  });
}

// --- sessions ---

Status PostgresDirectoryStore::CreateSession(const SessionRecord& session) {
  const std::string what = "starting a session";
  return InUnlockedWrite(db_, what, [&](Connection& conn) -> Status {
    Result<bool> account =
        Exists(conn, "SELECT 1 FROM accounts WHERE id = $1", {session.account_id}, what);
    if (!account.ok()) return account.status();
    if (!*account) return Status::NotFound("no account " + Quoted(session.account_id));
    Result<bool> taken =
        Exists(conn, "SELECT 1 FROM sessions WHERE id_hash = $1", {session.id_hash}, what);
    if (!taken.ok()) return taken.status();
    if (*taken) return Status::AlreadyExists("session id collision");
    // A concurrent insert of the same hash fails on the primary key: kAlreadyExists as well.
    Result<size_t> n = Execute(conn,
                               "INSERT INTO sessions (id_hash, account_id, csrf_token, "
                               "created_at, last_seen_at, expires_at) "
                               "VALUES ($1, $2, $3, $4, $5, $6)",
                               {session.id_hash, session.account_id, session.csrf_token,
                                session.created_at, session.last_seen_at, session.expires_at},
                               what);
    return n.status();
  });
}

Result<SessionWithAccount> PostgresDirectoryStore::GetSession(std::string_view id_hash) {
  Result<std::optional<SessionWithAccount>> out = ReadOne<SessionWithAccount>(
      db_,
      "SELECT s.id_hash, s.account_id, s.csrf_token, s.created_at, s.last_seen_at, "
      "s.expires_at, a.id, a.partnership_id, a.email, a.display_name, a.role, a.person_id, "
      "a.created_at FROM sessions s JOIN accounts a ON a.id = s.account_id "
      "WHERE s.id_hash = $1",
      {id_hash}, "reading a session",
      [](const QueryResult& r, int i) -> Result<SessionWithAccount> {
        Result<StoredAccount> a = AccountFrom(r, i, 6);
        if (!a.ok()) return a.status();
        return SessionWithAccount{
            {r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), r.Text(i, 3), r.Text(i, 4), r.Text(i, 5)},
            std::move(a->account)};
      });
  if (!out.ok()) return out.status();
  if (!*out) return Status::NotFound("no such session");
  return std::move(**out);
}

Status PostgresDirectoryStore::TouchSession(std::string_view id_hash,
                                            std::string_view last_seen_at) {
  const std::string what = "recording session activity";
  return db_.WithConnection([&](Connection& conn) -> Status {
    Result<size_t> n = Execute(conn, "UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2",
                               {last_seen_at, id_hash}, what);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no such session");
    return Status::Ok();
  });
}

Status PostgresDirectoryStore::DeleteSession(std::string_view id_hash) {
  const std::string what = "ending a session";
  return db_.WithConnection([&](Connection& conn) -> Status {
    return Execute(conn, "DELETE FROM sessions WHERE id_hash = $1", {id_hash}, what).status();
  });
}

Result<size_t> PostgresDirectoryStore::DeleteAccountSessions(std::string_view partnership_id,
                                                             std::string_view account_id) {
  const std::string what = "ending an account's sessions";
  size_t deleted = 0;
  TRELLIS_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> Status {
    Result<size_t> n = Execute(conn,
                               "DELETE FROM sessions WHERE account_id = $1 AND account_id IN "
                               "(SELECT id FROM accounts WHERE partnership_id = $2)",
                               {account_id, partnership_id}, what);
    if (!n.ok()) return n.status();
    deleted = *n;
    return Status::Ok();
  }));
  return deleted;
}

Result<size_t> PostgresDirectoryStore::DeleteExpiredSessions(std::string_view now,
                                                             std::string_view idle_before) {
  const std::string what = "removing expired sessions";
  size_t deleted = 0;
  TRELLIS_RETURN_IF_ERROR(db_.WithConnection([&](Connection& conn) -> Status {
    // Timestamps are compared as text, which orders them only in byte order.
    Result<size_t> n = Execute(conn,
                               "DELETE FROM sessions WHERE expires_at <= $1 COLLATE \"C\" OR "
                               "last_seen_at <= $2 COLLATE \"C\"",
                               {now, idle_before}, what);
    if (!n.ok()) return n.status();
    deleted = *n;
    return Status::Ok();
  }));
  return deleted;
}

// --- failed sign-ins ---

Status PostgresDirectoryStore::RecordLoginFailure(std::string_view partnership_id,
                                                  std::string_view account_id,
                                                  std::string_view at) {
  const std::string what = "recording a failed sign-in";
  return db_.WithConnection([&](Connection& conn) -> Status {
    Result<size_t> n = Execute(conn,
                               "INSERT INTO login_failures (account_id, at) SELECT id, $1::text "
                               "FROM accounts WHERE partnership_id = $2 AND id = $3",
                               {at, partnership_id, account_id}, what);
    if (!n.ok()) return n.status();
    if (*n == 0) return Status::NotFound("no account " + Quoted(account_id));
    return Status::Ok();
  });
}

Result<int> PostgresDirectoryStore::CountLoginFailuresSince(std::string_view partnership_id,
                                                            std::string_view account_id,
                                                            std::string_view since) {
  int count = 0;
  TRELLIS_RETURN_IF_ERROR(
      QueryOnce(db_,
                "SELECT COUNT(*) FROM login_failures f JOIN accounts a ON a.id = f.account_id "
                "WHERE a.partnership_id = $1 AND f.account_id = $2 AND f.at >= $3 COLLATE \"C\"",
                {partnership_id, account_id, since}, "counting failed sign-ins",
                [&](const QueryResult& r, int i) {
                  count = static_cast<int>(r.Int(i, 0));
                  return Status::Ok();
                }));
  return count;
}

Status PostgresDirectoryStore::ClearLoginFailures(std::string_view partnership_id,
                                                  std::string_view account_id) {
  const std::string what = "clearing failed sign-ins";
  return db_.WithConnection([&](Connection& conn) -> Status {
    return Execute(conn,
                   "DELETE FROM login_failures WHERE account_id = $1 AND account_id IN "
                   "(SELECT id FROM accounts WHERE partnership_id = $2)",
                   {account_id, partnership_id}, what)
        .status();
  });
}

// --- audit log ---

Status PostgresDirectoryStore::AppendAudit(const AuditEntry& entry) {
  TRELLIS_RETURN_IF_ERROR(CheckAudit(entry, entry.partnership_id));
  const std::string what = "appending to the audit log";
  return InWrite(db_, entry.partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, entry.partnership_id, what));
    return InsertAudit(conn, entry);
  });
}

Status PostgresDirectoryStore::AppendAudits(std::span<const AuditEntry> entries) {
  if (entries.empty()) return Status::Ok();
  Result<std::vector<std::string_view>> partnerships = AuditBatchPartnerships(entries);
  if (!partnerships.ok()) return partnerships.status();
  const std::string what = "appending to the audit log";
  return InTransaction(db_, Transaction::Kind::kWrite, what, [&](Connection& conn) -> Status {
    // "Durable when this returns" must not depend on the server's default.
    TRELLIS_RETURN_IF_ERROR(conn.ExecScript("SET LOCAL synchronous_commit = on", what));
    // The write locks of every partnership in the batch (MAX(seq) + 1 cannot race), taken in
    // one (sorted) order so that two batches cannot deadlock on them.
    for (std::string_view p : *partnerships) {
      TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, p, what));
      TRELLIS_RETURN_IF_ERROR(RequirePartnership(conn, p, what));
    }
    // One commit, one WAL flush for the whole batch.
    for (const AuditEntry& entry : entries) TRELLIS_RETURN_IF_ERROR(InsertAudit(conn, entry));
    return Status::Ok();
  });
}

namespace {

// The audit log's columns, in AuditEntry's order, for ListAudit and ListAuditBefore.
constexpr const char* kAuditSelect =
    "SELECT id, partnership_id, seq, at, actor, action, entity_type, entity_id, detail "
    "FROM audit_log ";

AuditEntry AuditRow(const QueryResult& r, int i) {
  return AuditEntry{r.Text(i, 0), r.Text(i, 1), r.Int(i, 2),  r.Text(i, 3), r.Text(i, 4),
                    r.Text(i, 5), r.Text(i, 6), r.Text(i, 7), r.Text(i, 8)};
}

}  // namespace

Result<std::vector<AuditEntry>> PostgresDirectoryStore::ListAudit(std::string_view partnership_id,
                                                                  size_t offset, size_t limit) {
  if (limit > 1000) limit = 1000;
  std::vector<AuditEntry> out;
  TRELLIS_RETURN_IF_ERROR(ReadAll(
      db_,
      std::string(kAuditSelect) + "WHERE partnership_id = $1 ORDER BY seq DESC LIMIT $2 OFFSET $3",
      {partnership_id, limit, offset}, "reading the audit log", AuditRow, out));
  return out;
}

Result<std::vector<AuditEntry>> PostgresDirectoryStore::ListAuditBefore(
    std::string_view partnership_id, int64_t before_seq, size_t limit) {
  // seq is an INTEGER column: every seq is below a key past its range.
  if (before_seq <= 0 || before_seq > std::numeric_limits<int32_t>::max())
    return ListAudit(partnership_id, 0, limit);
  if (limit > 1000) limit = 1000;
  std::vector<AuditEntry> out;
  TRELLIS_RETURN_IF_ERROR(
      ReadAll(db_,
              std::string(kAuditSelect) +
                  "WHERE partnership_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3",
              {partnership_id, before_seq, limit}, "reading the audit log", AuditRow, out));
  return out;
}

}  // namespace trellis::storage
