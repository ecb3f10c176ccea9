// storage/sqlite/sqlite_store.cc — SqliteStore: the connection pool, migrations, and the
// framework library mapped onto the normalised tables of migrations/0001_frameworks.sql.
#include "storage/sqlite/sqlite_store.h"

#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "storage/framework_checks.h"
#include "storage/sqlite/sqlite_db.h"

namespace trellis::storage {

using sqlite::Connection;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

using internal::CheckStorable;
using internal::FrameworkName;
using internal::NoSuchVersion;
using internal::Quoted;

// Idle connections kept open for reuse; more concurrent callers open (and later close) extras.
// `trellis serve` runs up to 64 request threads: a connection opened per request beyond this
// costs an open and a parse of the whole schema, so keep as many as may be busy at once.
constexpr size_t kMaxIdleConnections = 64;

// Prepares, binds through `bind`, and runs an INSERT.
template <typename BindFn>
Status Insert(Connection& conn, std::string_view sql, std::string_view what, BindFn bind) {
  Result<Statement> stmt = Statement::Prepare(conn, sql, what);
  if (!stmt.ok()) return stmt.status();
  bind(*stmt);
  return stmt->Run();
}

}  // namespace

// A connection borrowed from the pool; returned on destruction.
class SqliteStore::PooledConnection {
 public:
  PooledConnection(SqliteStore* store, std::unique_ptr<Connection> conn)
      : store_(store), conn_(std::move(conn)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection() {
    if (conn_) store_->Release(std::move(conn_));
  }
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  SqliteStore* store_;
  std::unique_ptr<Connection> conn_;
};

SqliteStore::SqliteStore(std::string path, Options options)
    : path_(std::move(path)),
      options_(std::move(options)),
      migrations_(options_.migrations ? *options_.migrations : EmbeddedMigrations()) {}

SqliteStore::~SqliteStore() = default;

Result<std::unique_ptr<SqliteStore>> SqliteStore::Open(const std::string& path, Options options) {
  std::unique_ptr<SqliteStore> store(new SqliteStore(path, std::move(options)));
  {
    // The first connection reports an unopenable path and a foreign file right away.
    Result<PooledConnection> conn = store->Acquire();
    if (!conn.ok()) return conn.status();
    TRELLIS_RETURN_IF_ERROR(store->CheckSchema(**conn));
  }
  if (store->options_.apply_migrations && !store->schema_current_) {
    Result<std::vector<AppliedMigration>> applied = store->Migrate();
    if (!applied.ok()) return applied.status();
  }
  return store;
}

Result<SqliteStore::PooledConnection> SqliteStore::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(conn));
    }
  }
  // Opened outside the lock: opening touches the file and may wait for the busy timeout.
  Result<std::unique_ptr<Connection>> conn = Connection::Open(path_, options_.busy_timeout_ms);
  if (!conn.ok()) return conn.status();
  return PooledConnection(this, std::move(*conn));
}

void SqliteStore::Release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(conn));
}

std::string SqliteStore::Now() const {
  const std::chrono::system_clock::time_point now =
      options_.now ? options_.now() : std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status SqliteStore::WithConnection(const std::function<Status(Connection&)>& fn) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return fn(**conn);
}

// --- schema ---

namespace {

// The applied migrations recorded in `conn`'s database (empty before the first migration).
Result<std::vector<AppliedMigration>> ReadApplied(Connection& conn) {
  Result<Statement> exists = Statement::Prepare(
      conn, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
      "reading the schema version");
  if (!exists.ok()) return exists.status();
  Result<bool> has_table = exists->Step();
  if (!has_table.ok()) return has_table.status();
  std::vector<AppliedMigration> applied;
  if (!*has_table) return applied;
  Result<Statement> stmt = Statement::Prepare(
      conn, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version",
      "reading the schema version");
  if (!stmt.ok()) return stmt.status();
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    applied.push_back({static_cast<int>(stmt->Int(0)), stmt->Text(1), stmt->Text(2)});
  }
  return applied;
}

}  // namespace

Status SqliteStore::CheckSchema(Connection& conn) {
  Result<std::vector<AppliedMigration>> applied = ReadApplied(conn);
  if (!applied.ok()) return applied.status();
  std::map<int, const Migration*> known;
  for (const Migration& m : migrations_) known[m.version] = &m;
  const int known_max = migrations_.empty() ? 0 : migrations_.back().version;
  std::set<int> done;
  for (const AppliedMigration& a : *applied) {
    auto it = known.find(a.version);
    if (it == known.end()) {
      const int db_version = applied->back().version;
      return Status::FailedPrecondition(
          path_ + ": the database schema is at version " + std::to_string(db_version) +
          ", newer than this trellis knows (up to " + std::to_string(known_max) +
          "): it was migrated by a newer trellis; use that version or upgrade");
    }
    if (it->second->name != a.name) {
      return Status::FailedPrecondition(path_ + ": schema migration " + std::to_string(a.version) +
                                        " was applied as " + Quoted(a.name) +
                                        " but this trellis calls it " + Quoted(it->second->name) +
                                        "; the database comes from a different build");
    }
    done.insert(a.version);
  }
  schema_current_ = done.size() == known.size();
  return Status::Ok();
}

Status SqliteStore::RequireCurrentSchema() const {
  if (schema_current_) return Status::Ok();
  return Status::FailedPrecondition(path_ +
                                    ": the database schema is not up to date; run `trellis db "
                                    "migrate --db " +
                                    path_ + "`");
}

Result<std::vector<AppliedMigration>> SqliteStore::Migrate() {
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  TRELLIS_RETURN_IF_ERROR(CheckSchema(**conn));
  std::vector<AppliedMigration> applied_now;
  for (const Migration& m : migrations_) {
    const std::string what = "applying schema migration " + m.name;
    // One write transaction per migration, re-checking inside it: another process may have
    // applied it while this one waited for the lock.
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR((*conn)->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        what));
    Result<Statement> check =
        Statement::Prepare(**conn, "SELECT 1 FROM schema_migrations WHERE version = ?", what);
    if (!check.ok()) return check.status();
    check->Bind(1, m.version);
    Result<bool> already = check->Step();
    if (!already.ok()) return already.status();
    if (*already) continue;  // the transaction rolls back; nothing was written
    Status s = (*conn)->Exec(m.sql, what);
    if (!s.ok()) {
      // A migration that does not apply is a bug in this build, unless the database is busy
      // or the disk failed, which the user can fix.
      if (s.code() == StatusCode::kUnavailable) return s;
      return Status::Internal(s.message());
    }
    AppliedMigration record{m.version, m.name, Now()};
    TRELLIS_RETURN_IF_ERROR(
        Insert(**conn, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
               what, [&](Statement& st) {
                 st.Bind(1, record.version).Bind(2, record.name).Bind(3, record.applied_at);
               }));
    TRELLIS_RETURN_IF_ERROR((*txn)->Commit());
    applied_now.push_back(std::move(record));
  }
  TRELLIS_RETURN_IF_ERROR(CheckSchema(**conn));
  return applied_now;
}

Result<int> SqliteStore::SchemaVersion() {
  Result<std::vector<AppliedMigration>> applied = ListAppliedMigrations();
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->back().version;
}

Result<std::vector<AppliedMigration>> SqliteStore::ListAppliedMigrations() {
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return ReadApplied(**conn);
}

Result<SqliteSettings> SqliteStore::Settings() {
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  SqliteSettings settings;
  const char* kWhat = "reading the connection settings";
  for (const char* pragma : {"PRAGMA journal_mode", "PRAGMA synchronous", "PRAGMA foreign_keys",
                             "PRAGMA busy_timeout"}) {
    Result<Statement> stmt = Statement::Prepare(**conn, pragma, kWhat);
    if (!stmt.ok()) return stmt.status();
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Internal(std::string(pragma) + " returned no row");
    const std::string_view name(pragma);
    if (name.ends_with("journal_mode")) settings.journal_mode = stmt->Text(0);
    if (name.ends_with("synchronous")) settings.synchronous = static_cast<int>(stmt->Int(0));
    if (name.ends_with("foreign_keys")) settings.foreign_keys = stmt->Int(0) != 0;
    if (name.ends_with("busy_timeout")) settings.busy_timeout_ms = static_cast<int>(stmt->Int(0));
  }
  return settings;
}

// --- framework library ---

namespace {

// Latest stored version of `code`, 0 when none.
Result<int> LatestVersion(Connection& conn, std::string_view code, std::string_view what) {
  Result<Statement> stmt = Statement::Prepare(
      conn, "SELECT MAX(version) FROM framework_versions WHERE framework_code = ?", what);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, code);
  Result<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row || stmt->IsNull(0)) return 0;
  return static_cast<int>(stmt->Int(0));
}

Status InsertFrameworkRows(Connection& conn, const model::Framework& f,
                           const std::string& created_at, std::string_view what) {
  const std::string& code = f.code;
  const int64_t v = f.version;
  TRELLIS_RETURN_IF_ERROR(
      Insert(conn,
             "INSERT INTO framework_versions (framework_code, version, title, description, "
             "scale_min, scale_max, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
             what, [&](Statement& s) {
               s.Bind(1, code).Bind(2, v).Bind(3, f.title).Bind(4, f.description);
               s.Bind(5, f.scale.min).Bind(6, f.scale.max).Bind(7, created_at);
             }));
  Result<Statement> label = Statement::Prepare(
      conn,
      "INSERT INTO framework_scale_labels (framework_code, version, score, label) "
      "VALUES (?, ?, ?, ?)",
      what);
  if (!label.ok()) return label.status();
  for (const auto& [score, text] : f.scale.labels) {
    label->Reset();
    label->Bind(1, code).Bind(2, v).Bind(3, score).Bind(4, text);
    TRELLIS_RETURN_IF_ERROR(label->Run());
  }
  Result<Statement> domain = Statement::Prepare(
      conn,
      "INSERT INTO framework_domains (framework_code, version, domain_code, ordinal, title, "
      "description) VALUES (?, ?, ?, ?, ?, ?)",
      what);
  Result<Statement> competency = Statement::Prepare(
      conn,
      "INSERT INTO framework_competencies (framework_code, version, competency_code, "
      "domain_code, ordinal, title, description) VALUES (?, ?, ?, ?, ?, ?, ?)",
      what);
  Result<Statement> item = Statement::Prepare(
      conn,
      "INSERT INTO framework_items (framework_code, version, item_code, competency_code, "
      "ordinal, item_text) VALUES (?, ?, ?, ?, ?, ?)",
      what);
  if (!domain.ok()) return domain.status();
  if (!competency.ok()) return competency.status();
  if (!item.ok()) return item.status();
  for (size_t di = 0; di < f.domains.size(); ++di) {
    const model::Domain& d = f.domains[di];
    domain->Reset();
    domain->Bind(1, code).Bind(2, v).Bind(3, d.code).Bind(4, static_cast<int64_t>(di));
    domain->Bind(5, d.title).Bind(6, d.description);
    TRELLIS_RETURN_IF_ERROR(domain->Run());
    for (size_t ci = 0; ci < d.competencies.size(); ++ci) {
      const model::Competency& c = d.competencies[ci];
      competency->Reset();
      competency->Bind(1, code).Bind(2, v).Bind(3, c.code).Bind(4, d.code);
      competency->Bind(5, static_cast<int64_t>(ci)).Bind(6, c.title).Bind(7, c.description);
      TRELLIS_RETURN_IF_ERROR(competency->Run());
      for (size_t ii = 0; ii < c.items.size(); ++ii) {
        item->Reset();
        item->Bind(1, code).Bind(2, v).Bind(3, c.items[ii].code).Bind(4, c.code);
        item->Bind(5, static_cast<int64_t>(ii)).Bind(6, c.items[ii].text);
        TRELLIS_RETURN_IF_ERROR(item->Run());
      }
    }
  }
  Result<Statement> profile = Statement::Prepare(
      conn,
      "INSERT INTO framework_role_profiles (framework_code, version, ordinal, role_level, "
      "role_function) VALUES (?, ?, ?, ?, ?)",
      what);
  Result<Statement> expectation = Statement::Prepare(
      conn,
      "INSERT INTO framework_role_expectations (framework_code, version, profile_ordinal, "
      "competency_code, expected_level, importance) VALUES (?, ?, ?, ?, ?, ?)",
      what);
  if (!profile.ok()) return profile.status();
  if (!expectation.ok()) return expectation.status();
  for (size_t pi = 0; pi < f.role_profiles.size(); ++pi) {
    const model::RoleProfile& p = f.role_profiles[pi];
    profile->Reset();
    profile->Bind(1, code).Bind(2, v).Bind(3, static_cast<int64_t>(pi));
    profile->Bind(4, model::LevelName(p.level)).Bind(5, model::FunctionName(p.function));
    TRELLIS_RETURN_IF_ERROR(profile->Run());
    for (const auto& [competency_code, e] : p.expectations) {
      expectation->Reset();
      expectation->Bind(1, code).Bind(2, v).Bind(3, static_cast<int64_t>(pi));
      expectation->Bind(4, competency_code).Bind(5, e.level).Bind(6, e.importance);
      TRELLIS_RETURN_IF_ERROR(expectation->Run());
    }
  }
  Result<Statement> link = Statement::Prepare(
      conn,
      "INSERT INTO framework_crosswalk (framework_code, version, ordinal, origin_code, "
      "association_type, destination) VALUES (?, ?, ?, ?, ?, ?)",
      what);
  if (!link.ok()) return link.status();
  for (size_t li = 0; li < f.crosswalk.size(); ++li) {
    const model::CrosswalkLink& l = f.crosswalk[li];
    link->Reset();
    link->Bind(1, code).Bind(2, v).Bind(3, static_cast<int64_t>(li));
    link->Bind(4, l.origin_code).Bind(5, l.association_type).Bind(6, l.destination);
    TRELLIS_RETURN_IF_ERROR(link->Run());
  }
  return Status::Ok();
}

// Runs `sql` with `code` bound to ?1 (and `version`, when given, to ?2) and calls `on_row` for
// each row, stopping at the first error.
template <typename RowFn>
Status ForEachRow(Connection& conn, std::string_view sql, std::string_view code,
                  std::optional<int> version, std::string_view what, RowFn on_row) {
  Result<Statement> stmt = Statement::Prepare(conn, sql, what);
  if (!stmt.ok()) return stmt.status();
  stmt->Bind(1, code);
  if (version) stmt->Bind(2, *version);
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::Ok();
    TRELLIS_RETURN_IF_ERROR(on_row(*stmt));
  }
}

Result<StoredFramework> ReadFrameworkVersion(Connection& conn, std::string_view code, int version,
                                             std::string_view what) {
  StoredFramework out;
  model::Framework& f = out.framework;
  bool found = false;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT title, description, scale_min, scale_max, created_at, "
      "EXISTS (SELECT 1 FROM framework_versions_in_use u WHERE u.framework_code = ?1 AND "
      "u.version = ?2) FROM framework_versions WHERE framework_code = ?1 AND version = ?2",
      code, version, what, [&](Statement& s) {
        found = true;
        f.code = std::string(code);
        f.version = version;
        f.title = s.Text(0);
        f.description = s.Text(1);
        f.scale.min = static_cast<int>(s.Int(2));
        f.scale.max = static_cast<int>(s.Int(3));
        out.created_at = s.Text(4);
        out.in_use = s.Int(5) != 0;
        return Status::Ok();
      }));
  if (!found) return Status::NotFound("");  // the caller words the message
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT score, label FROM framework_scale_labels WHERE framework_code = ?1 AND "
                 "version = ?2 ORDER BY score",
                 code, version, what, [&](Statement& s) {
                   f.scale.labels[static_cast<int>(s.Int(0))] = s.Text(1);
                   return Status::Ok();
                 }));
  std::map<std::string, size_t> domain_index;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT domain_code, title, description FROM framework_domains WHERE framework_code = ?1 "
      "AND version = ?2 ORDER BY ordinal",
      code, version, what, [&](Statement& s) {
        domain_index[s.Text(0)] = f.domains.size();
        f.domains.push_back({s.Text(0), s.Text(1), s.Text(2), {}});
        return Status::Ok();
      }));
  // Ordinals count within the parent, so appending rows in ordinal order keeps every parent's
  // children in order. Indexes (domain, competency) locate a competency for its items.
  std::map<std::string, std::pair<size_t, size_t>> competency_index;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT competency_code, domain_code, title, description FROM framework_competencies "
      "WHERE framework_code = ?1 AND version = ?2 ORDER BY ordinal, competency_code",
      code, version, what, [&](Statement& s) {
        const size_t di = domain_index.at(s.Text(1));  // the foreign key guarantees it
        competency_index[s.Text(0)] = {di, f.domains[di].competencies.size()};
        f.domains[di].competencies.push_back({s.Text(0), s.Text(2), s.Text(3), {}});
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT item_code, competency_code, item_text FROM framework_items WHERE "
                 "framework_code = ?1 AND version = ?2 ORDER BY ordinal, item_code",
                 code, version, what, [&](Statement& s) {
                   const auto [di, ci] = competency_index.at(s.Text(1));
                   f.domains[di].competencies[ci].items.push_back({s.Text(0), s.Text(2)});
                   return Status::Ok();
                 }));
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT role_level, role_function FROM framework_role_profiles WHERE framework_code = ?1 "
      "AND version = ?2 ORDER BY ordinal",
      code, version, what, [&](Statement& s) {
        std::optional<model::Level> level = model::ParseLevel(s.Text(0));
        std::optional<model::Function> function = model::ParseFunction(s.Text(1));
        if (!level || !function) {
          return Status::Internal(FrameworkName(code, version) + ": stored role profile " +
                                  s.Text(0) + " × " + s.Text(1) +
                                  " is not a known level × function");
        }
        f.role_profiles.push_back({*level, *function, {}});
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT profile_ordinal, competency_code, expected_level, importance FROM "
      "framework_role_expectations WHERE framework_code = ?1 AND version = ?2",
      code, version, what, [&](Statement& s) {
        const size_t pi = static_cast<size_t>(s.Int(0));
        if (pi >= f.role_profiles.size())
          return Status::Internal(FrameworkName(code, version) + ": dangling role expectation");
        f.role_profiles[pi].expectations[s.Text(1)] = {static_cast<int>(s.Int(2)),
                                                       static_cast<int>(s.Int(3))};
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT origin_code, association_type, destination FROM framework_crosswalk WHERE "
                 "framework_code = ?1 AND version = ?2 ORDER BY ordinal",
                 code, version, what, [&](Statement& s) {
                   f.crosswalk.push_back({s.Text(0), s.Text(1), s.Text(2)});
                   return Status::Ok();
                 }));
  return out;
}

}  // namespace

Result<FrameworkVersionInfo> SqliteStore::SaveFrameworkVersion(const model::Framework& framework) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  TRELLIS_RETURN_IF_ERROR(CheckStorable(framework));
  const std::string name = FrameworkName(framework.code, framework.version);
  const std::string what = "saving " + name;
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<std::unique_ptr<Transaction>> txn =
      Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
  if (!txn.ok()) return txn.status();
  Result<int> latest = LatestVersion(**conn, framework.code, what);
  if (!latest.ok()) return latest.status();
  if (framework.version <= *latest) {
    return Status::AlreadyExists(name + " is already stored (latest is " + std::to_string(*latest) +
                                 "); stored versions are never changed — save version " +
                                 std::to_string(*latest + 1));
  }
  if (framework.version != *latest + 1) {
    return Status::InvalidArgument(name + " would skip versions: the next version is " +
                                   std::to_string(*latest + 1));
  }
  const std::string now = Now();
  if (*latest == 0) {
    TRELLIS_RETURN_IF_ERROR(Insert(**conn,
                                   "INSERT INTO frameworks (code, created_at) VALUES (?, ?)", what,
                                   [&](Statement& s) { s.Bind(1, framework.code).Bind(2, now); }));
  }
  TRELLIS_RETURN_IF_ERROR(InsertFrameworkRows(**conn, framework, now, what));
  TRELLIS_RETURN_IF_ERROR((*txn)->Commit());
  return FrameworkVersionInfo{framework.code, framework.version, framework.title, now, false};
}

Result<StoredFramework> SqliteStore::GetFramework(std::string_view code,
                                                  std::optional<int> version) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "reading framework " + Quoted(code);
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // One read transaction: the version and its rows come from the same snapshot.
  Result<std::unique_ptr<Transaction>> txn =
      Transaction::Begin(**conn, Transaction::Kind::kRead, what);
  if (!txn.ok()) return txn.status();
  Result<int> latest = LatestVersion(**conn, code, what);
  if (!latest.ok()) return latest.status();
  if (*latest == 0) return Status::NotFound("no framework " + Quoted(code) + " is stored");
  const int wanted = version.value_or(*latest);
  Result<StoredFramework> stored = ReadFrameworkVersion(**conn, code, wanted, what);
  if (!stored.ok() && stored.status().code() == StatusCode::kNotFound) {
    return NoSuchVersion(code, wanted, *latest);
  }
  if (!stored.ok()) return stored.status();
  TRELLIS_RETURN_IF_ERROR((*txn)->Commit());
  return stored;
}

Result<std::vector<FrameworkSummary>> SqliteStore::ListFrameworks() {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const char* kWhat = "listing frameworks";
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<Statement> stmt = Statement::Prepare(
      **conn,
      "SELECT f.code, v.title, agg.latest, agg.n, f.created_at, v.created_at "
      "FROM frameworks f "
      "JOIN (SELECT framework_code, MAX(version) AS latest, COUNT(*) AS n "
      "      FROM framework_versions GROUP BY framework_code) agg "
      "  ON agg.framework_code = f.code "
      "JOIN framework_versions v ON v.framework_code = f.code AND v.version = agg.latest "
      "ORDER BY f.code",
      kWhat);
  if (!stmt.ok()) return stmt.status();
  std::vector<FrameworkSummary> out;
  while (true) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back({stmt->Text(0), stmt->Text(1), static_cast<int>(stmt->Int(2)),
                   static_cast<int>(stmt->Int(3)), stmt->Text(4), stmt->Text(5)});
  }
  return out;
}

Result<std::vector<FrameworkVersionInfo>> SqliteStore::ListFrameworkVersions(
    std::string_view code) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "listing versions of framework " + Quoted(code);
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  std::vector<FrameworkVersionInfo> out;
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(**conn,
                 "SELECT v.version, v.title, v.created_at, "
                 "CASE WHEN u.version IS NULL THEN 0 ELSE 1 END "
                 "FROM framework_versions v LEFT JOIN framework_versions_in_use u "
                 "  ON u.framework_code = v.framework_code AND u.version = v.version "
                 "WHERE v.framework_code = ?1 ORDER BY v.version",
                 code, std::nullopt, what, [&](Statement& s) {
                   out.push_back({std::string(code), static_cast<int>(s.Int(0)), s.Text(1),
                                  s.Text(2), s.Int(3) != 0});
                   return Status::Ok();
                 }));
  if (out.empty()) return Status::NotFound("no framework " + Quoted(code) + " is stored");
  return out;
}

Status SqliteStore::MarkFrameworkVersionInUse(std::string_view code, int version) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "marking " + FrameworkName(code, version) + " in use";
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<std::unique_ptr<Transaction>> txn =
      Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
  if (!txn.ok()) return txn.status();
  Result<int> latest = LatestVersion(**conn, code, what);
  if (!latest.ok()) return latest.status();
  if (*latest == 0) return Status::NotFound("no framework " + Quoted(code) + " is stored");
  if (version < 1 || version > *latest) {
    return NoSuchVersion(code, version, *latest);
  }
  TRELLIS_RETURN_IF_ERROR(
      Insert(**conn,
             "INSERT INTO framework_versions_in_use (framework_code, version, marked_at) "
             "VALUES (?, ?, ?) ON CONFLICT (framework_code, version) DO NOTHING",
             what, [&](Statement& s) { s.Bind(1, code).Bind(2, version).Bind(3, Now()); }));
  return (*txn)->Commit();
}

}  // namespace trellis::storage
