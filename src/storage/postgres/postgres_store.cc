// storage/postgres/postgres_store.cc — PostgresStore: the connection pool, migrations under an
// advisory lock, and the framework library mapped onto the tables of the shared migrations
// (the same rows SqliteStore writes, so both pass one contract suite).
#include "storage/postgres/postgres_store.h"

#include <ctime>
#include <map>
#include <set>
#include <utility>

#include "storage/framework_checks.h"
#include "storage/postgres/postgres_db.h"

namespace trellis::storage {

using postgres::Connection;
using postgres::Param;
using postgres::QueryResult;
using postgres::Transaction;

namespace {

using internal::CheckStorable;
using internal::FrameworkName;
using internal::NoSuchVersion;
using internal::Quoted;

// Advisory lock keys, (class, object) pairs that other applications sharing the database are
// unlikely to use: class 'trel' + 1 guards migrations, 'trel' + 2 a framework code (object =
// a 32-bit hash of the code; a collision only makes two codes' saves wait for each other).
// Locks are per database, so stores in different schemas of one database share them — harmless.
constexpr int32_t kMigrationLockClass = 0x7472656C + 1;
constexpr int32_t kFrameworkLockClass = 0x7472656C + 2;

// FNV-1a, so the key does not depend on a server function's hashing.
int32_t LockKey(std::string_view code) {
  uint32_t h = 2166136261u;
  for (unsigned char c : code) h = (h ^ c) * 16777619u;
  return static_cast<int32_t>(h);
}

// Runs a statement whose rows are not needed.
Status Run(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
           std::string_view what) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  return res.ok() ? Status::Ok() : res.status();
}

}  // namespace

// A connection borrowed from the pool; returned on destruction.
class PostgresStore::PooledConnection {
 public:
  PooledConnection(PostgresStore* store, std::unique_ptr<Connection> conn)
      : store_(store), conn_(std::move(conn)) {}
  PooledConnection(PooledConnection&& other) noexcept = default;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection() {
    if (conn_) store_->Release(std::move(conn_));
  }
  Connection& operator*() { return *conn_; }
  Connection* operator->() { return conn_.get(); }

 private:
  PostgresStore* store_;
  std::unique_ptr<Connection> conn_;
};

PostgresStore::PostgresStore(std::string url, std::unique_ptr<postgres::ServerAddress> address,
                             Options options)
    : url_(std::move(url)),
      address_(std::move(address)),
      options_(std::move(options)),
      migrations_(options_.migrations ? *options_.migrations : EmbeddedMigrations()) {}

PostgresStore::~PostgresStore() = default;

const std::string& PostgresStore::server() const { return address_->display; }

Status PostgresStore::WithConnection(const std::function<Status(Connection&)>& fn) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return fn(**conn);
}

Result<std::unique_ptr<PostgresStore>> PostgresStore::Open(const std::string& url,
                                                           Options options) {
  Result<postgres::ServerAddress> address = postgres::ParseServerAddress(url);
  if (!address.ok()) return address.status();
  if (options.max_connections < 1) options.max_connections = 1;
  std::unique_ptr<PostgresStore> store(new PostgresStore(
      url, std::make_unique<postgres::ServerAddress>(std::move(*address)), std::move(options)));
  {
    // The first connection reports an unreachable server or a refused login right away.
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

Result<PostgresStore::PooledConnection> PostgresStore::Acquire() {
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool ready =
        returned_.wait_for(lock, std::chrono::milliseconds(options_.pool_wait_ms),
                           [&] { return !idle_.empty() || open_ < options_.max_connections; });
    if (!ready) {
      return Status::Unavailable(server() + ": all " + std::to_string(options_.max_connections) +
                                 " connections stayed busy for " +
                                 std::to_string(options_.pool_wait_ms) + " ms; retry");
    }
    if (!idle_.empty()) {
      std::unique_ptr<Connection> conn = std::move(idle_.back());
      idle_.pop_back();
      return PooledConnection(this, std::move(conn));
    }
    ++open_;  // reserved before connecting, so the limit holds while the lock is released
  }
  // Connected outside the lock: it is a network round trip or several.
  Result<std::unique_ptr<Connection>> conn =
      Connection::Open(url_, *address_, options_.lock_timeout_ms);
  if (!conn.ok()) {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
    returned_.notify_one();
    return conn.status();
  }
  return PooledConnection(this, std::move(*conn));
}

void PostgresStore::Release(std::unique_ptr<Connection> conn) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    // A broken connection (server restart, network) or one stuck in a transaction is dropped;
    // the next caller opens a fresh one.
    if (conn->Reusable()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  returned_.notify_one();
  // A dropped `conn` is closed here, outside the lock.
}

std::string PostgresStore::Now() const {
  const std::chrono::system_clock::time_point now =
      options_.now ? options_.now() : std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// --- schema ---

namespace {

// The applied migrations recorded in the schema `conn` uses (empty before the first migration).
Result<std::vector<AppliedMigration>> ReadApplied(Connection& conn) {
  const char* kWhat = "reading the schema version";
  // to_regclass resolves through the search_path, like the unqualified names in migrations.
  Result<QueryResult> exists =
      conn.Exec("SELECT to_regclass('schema_migrations') IS NOT NULL", {}, kWhat);
  if (!exists.ok()) return exists.status();
  std::vector<AppliedMigration> applied;
  if (exists->Text(0, 0) != "t") return applied;
  Result<QueryResult> rows = conn.Exec(
      "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {}, kWhat);
  if (!rows.ok()) return rows.status();
  for (int r = 0; r < rows->rows(); ++r)
    applied.push_back({static_cast<int>(rows->Int(r, 0)), rows->Text(r, 1), rows->Text(r, 2)});
  return applied;
}

}  // namespace

Status PostgresStore::CheckSchema(Connection& conn) {
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
          server() + ": the database schema is at version " + std::to_string(db_version) +
          ", newer than this trellis knows (up to " + std::to_string(known_max) +
          "): it was migrated by a newer trellis; use that version or upgrade");
    }
    if (it->second->name != a.name) {
      return Status::FailedPrecondition(
          server() + ": schema migration " + std::to_string(a.version) + " was applied as " +
          Quoted(a.name) + " but this trellis calls it " + Quoted(it->second->name) +
          "; the database comes from a different build");
    }
    done.insert(a.version);
  }
  schema_current_ = done.size() == known.size();
  return Status::Ok();
}

Status PostgresStore::RequireCurrentSchema() const {
  if (schema_current_) return Status::Ok();
  return Status::FailedPrecondition(server() +
                                    ": the database schema is not up to date; run `trellis db "
                                    "migrate --db " +
                                    server() + "`");
}

Result<std::vector<AppliedMigration>> PostgresStore::Migrate() {
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  TRELLIS_RETURN_IF_ERROR(CheckSchema(**conn));
  std::vector<AppliedMigration> applied_now;
  for (const Migration& m : migrations_) {
    const std::string what = "applying schema migration " + m.name;
    // One transaction per migration. PostgreSQL's DDL is transactional, so a failing migration
    // leaves nothing behind. The advisory lock serialises migrators (even CREATE TABLE IF NOT
    // EXISTS races on the catalog); whoever waited re-checks under the lock and skips what the
    // other applied.
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(
        Run(**conn, "SELECT pg_advisory_xact_lock($1::integer, 0)", {kMigrationLockClass}, what));
    TRELLIS_RETURN_IF_ERROR((*conn)->ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        what));
    Result<QueryResult> check =
        (*conn)->Exec("SELECT 1 FROM schema_migrations WHERE version = $1", {m.version}, what);
    if (!check.ok()) return check.status();
    if (check->rows() > 0) continue;  // the transaction rolls back; nothing was written
    Status s = (*conn)->ExecScript(m.sql, what);
    if (!s.ok()) {
      // A migration that does not apply is a bug in this build (or SQL PostgreSQL does not
      // accept), unless the server is unreachable or busy, which the user can fix.
      if (s.code() == StatusCode::kUnavailable) return s;
      return Status::Internal(s.message());
    }
    AppliedMigration record{m.version, m.name, Now()};
    TRELLIS_RETURN_IF_ERROR(
        Run(**conn, "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            {record.version, record.name, record.applied_at}, what));
    TRELLIS_RETURN_IF_ERROR((*txn)->Commit());
    applied_now.push_back(std::move(record));
  }
  TRELLIS_RETURN_IF_ERROR(CheckSchema(**conn));
  return applied_now;
}

Result<int> PostgresStore::SchemaVersion() {
  Result<std::vector<AppliedMigration>> applied = ListAppliedMigrations();
  if (!applied.ok()) return applied.status();
  return applied->empty() ? 0 : applied->back().version;
}

Result<std::vector<AppliedMigration>> PostgresStore::ListAppliedMigrations() {
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  return ReadApplied(**conn);
}

// --- framework library ---

namespace {

// Latest stored version of `code`, 0 when none.
Result<int> LatestVersion(Connection& conn, std::string_view code, std::string_view what) {
  Result<QueryResult> res = conn.Exec(
      "SELECT MAX(version) FROM framework_versions WHERE framework_code = $1", {code}, what);
  if (!res.ok()) return res.status();
  if (res->rows() == 0 || res->IsNull(0, 0)) return 0;
  return static_cast<int>(res->Int(0, 0));
}

Status InsertFrameworkRows(Connection& conn, const model::Framework& f,
                           const std::string& created_at, std::string_view what) {
  const std::string& code = f.code;
  const int v = f.version;
  TRELLIS_RETURN_IF_ERROR(
      Run(conn,
          "INSERT INTO framework_versions (framework_code, version, title, description, "
          "scale_min, scale_max, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
          {code, v, f.title, f.description, f.scale.min, f.scale.max, created_at}, what));
  for (const auto& [score, text] : f.scale.labels) {
    TRELLIS_RETURN_IF_ERROR(Run(conn,
                                "INSERT INTO framework_scale_labels (framework_code, version, "
                                "score, label) VALUES ($1, $2, $3, $4)",
                                {code, v, score, text}, what));
  }
  for (size_t di = 0; di < f.domains.size(); ++di) {
    const model::Domain& d = f.domains[di];
    TRELLIS_RETURN_IF_ERROR(
        Run(conn,
            "INSERT INTO framework_domains (framework_code, version, domain_code, ordinal, title, "
            "description) VALUES ($1, $2, $3, $4, $5, $6)",
            {code, v, d.code, di, d.title, d.description}, what));
    for (size_t ci = 0; ci < d.competencies.size(); ++ci) {
      const model::Competency& c = d.competencies[ci];
      TRELLIS_RETURN_IF_ERROR(
          Run(conn,
              "INSERT INTO framework_competencies (framework_code, version, competency_code, "
              "domain_code, ordinal, title, description) VALUES ($1, $2, $3, $4, $5, $6, $7)",
              {code, v, c.code, d.code, ci, c.title, c.description}, what));
      for (size_t ii = 0; ii < c.items.size(); ++ii) {
        TRELLIS_RETURN_IF_ERROR(
            Run(conn,
                "INSERT INTO framework_items (framework_code, version, item_code, "
                "competency_code, ordinal, item_text) VALUES ($1, $2, $3, $4, $5, $6)",
                {code, v, c.items[ii].code, c.code, ii, c.items[ii].text}, what));
      }
    }
  }
  for (size_t pi = 0; pi < f.role_profiles.size(); ++pi) {
    const model::RoleProfile& p = f.role_profiles[pi];
    TRELLIS_RETURN_IF_ERROR(
        Run(conn,
            "INSERT INTO framework_role_profiles (framework_code, version, ordinal, role_level, "
            "role_function) VALUES ($1, $2, $3, $4, $5)",
            {code, v, pi, model::LevelName(p.level), model::FunctionName(p.function)}, what));
    for (const auto& [competency_code, e] : p.expectations) {
      TRELLIS_RETURN_IF_ERROR(
          Run(conn,
              "INSERT INTO framework_role_expectations (framework_code, version, "
              "profile_ordinal, competency_code, expected_level, importance) "
              "VALUES ($1, $2, $3, $4, $5, $6)",
              {code, v, pi, competency_code, e.level, e.importance}, what));
    }
  }
  for (size_t li = 0; li < f.crosswalk.size(); ++li) {
    const model::CrosswalkLink& l = f.crosswalk[li];
    TRELLIS_RETURN_IF_ERROR(
        Run(conn,
            "INSERT INTO framework_crosswalk (framework_code, version, ordinal, origin_code, "
            "association_type, destination) VALUES ($1, $2, $3, $4, $5, $6)",
            {code, v, li, l.origin_code, l.association_type, l.destination}, what));
  }
  return Status::Ok();
}

// Runs `sql` with `code` as $1 and `version` as $2, and calls `on_row(result, row)` for each
// row, stopping at the first error.
template <typename RowFn>
Status ForEachRow(Connection& conn, std::string_view sql, std::string_view code, int version,
                  std::string_view what, RowFn on_row) {
  Result<QueryResult> res = conn.Exec(sql, {code, version}, what);
  if (!res.ok()) return res.status();
  for (int r = 0; r < res->rows(); ++r) TRELLIS_RETURN_IF_ERROR(on_row(*res, r));
  return Status::Ok();
}

Result<StoredFramework> ReadFrameworkVersion(Connection& conn, std::string_view code, int version,
                                             std::string_view what) {
  StoredFramework out;
  model::Framework& f = out.framework;
  bool found = false;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT title, description, scale_min, scale_max, created_at, "
      "CASE WHEN EXISTS (SELECT 1 FROM framework_versions_in_use u WHERE u.framework_code = $1 "
      "AND u.version = $2) THEN 1 ELSE 0 END "
      "FROM framework_versions WHERE framework_code = $1 AND version = $2",
      code, version, what, [&](const QueryResult& r, int i) {
        found = true;
        f.code = std::string(code);
        f.version = version;
        f.title = r.Text(i, 0);
        f.description = r.Text(i, 1);
        f.scale.min = static_cast<int>(r.Int(i, 2));
        f.scale.max = static_cast<int>(r.Int(i, 3));
        out.created_at = r.Text(i, 4);
        out.in_use = r.Int(i, 5) != 0;
        return Status::Ok();
      }));
  if (!found) return Status::NotFound("");  // the caller words the message
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT score, label FROM framework_scale_labels WHERE framework_code = $1 AND "
                 "version = $2 ORDER BY score",
                 code, version, what, [&](const QueryResult& r, int i) {
                   f.scale.labels[static_cast<int>(r.Int(i, 0))] = r.Text(i, 1);
                   return Status::Ok();
                 }));
  std::map<std::string, size_t> domain_index;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT domain_code, title, description FROM framework_domains WHERE framework_code = $1 "
      "AND version = $2 ORDER BY ordinal",
      code, version, what, [&](const QueryResult& r, int i) {
        domain_index[r.Text(i, 0)] = f.domains.size();
        f.domains.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2), {}});
        return Status::Ok();
      }));
  // Ordinals count within the parent, so appending rows in ordinal order keeps every parent's
  // children in order. Indexes (domain, competency) locate a competency for its items.
  // COLLATE "C": byte order, as SQLite sorts, whatever the database's locale.
  std::map<std::string, std::pair<size_t, size_t>> competency_index;
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT competency_code, domain_code, title, description FROM framework_competencies "
      "WHERE framework_code = $1 AND version = $2 ORDER BY ordinal, competency_code COLLATE \"C\"",
      code, version, what, [&](const QueryResult& r, int i) {
        const size_t di = domain_index.at(r.Text(i, 1));  // the foreign key guarantees it
        competency_index[r.Text(i, 0)] = {di, f.domains[di].competencies.size()};
        f.domains[di].competencies.push_back({r.Text(i, 0), r.Text(i, 2), r.Text(i, 3), {}});
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT item_code, competency_code, item_text FROM framework_items WHERE "
                 "framework_code = $1 AND version = $2 ORDER BY ordinal, item_code COLLATE \"C\"",
                 code, version, what, [&](const QueryResult& r, int i) {
                   const auto [di, ci] = competency_index.at(r.Text(i, 1));
                   f.domains[di].competencies[ci].items.push_back({r.Text(i, 0), r.Text(i, 2)});
                   return Status::Ok();
                 }));
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT role_level, role_function FROM framework_role_profiles WHERE framework_code = $1 "
      "AND version = $2 ORDER BY ordinal",
      code, version, what, [&](const QueryResult& r, int i) {
        std::optional<model::Level> level = model::ParseLevel(r.Text(i, 0));
        std::optional<model::Function> function = model::ParseFunction(r.Text(i, 1));
        if (!level || !function) {
          return Status::Internal(FrameworkName(code, version) + ": stored role profile " +
                                  r.Text(i, 0) + " × " + r.Text(i, 1) +
                                  " is not a known level × function");
        }
        f.role_profiles.push_back({*level, *function, {}});
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(ForEachRow(
      conn,
      "SELECT profile_ordinal, competency_code, expected_level, importance FROM "
      "framework_role_expectations WHERE framework_code = $1 AND version = $2",
      code, version, what, [&](const QueryResult& r, int i) {
        const size_t pi = static_cast<size_t>(r.Int(i, 0));
        if (pi >= f.role_profiles.size())
          return Status::Internal(FrameworkName(code, version) + ": dangling role expectation");
        f.role_profiles[pi].expectations[r.Text(i, 1)] = {static_cast<int>(r.Int(i, 2)),
                                                          static_cast<int>(r.Int(i, 3))};
        return Status::Ok();
      }));
  TRELLIS_RETURN_IF_ERROR(
      ForEachRow(conn,
                 "SELECT origin_code, association_type, destination FROM framework_crosswalk WHERE "
                 "framework_code = $1 AND version = $2 ORDER BY ordinal",
                 code, version, what, [&](const QueryResult& r, int i) {
                   f.crosswalk.push_back({r.Text(i, 0), r.Text(i, 1), r.Text(i, 2)});
                   return Status::Ok();
                 }));
  return out;
}

}  // namespace

Result<FrameworkVersionInfo> PostgresStore::SaveFrameworkVersion(
    const model::Framework& framework) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  TRELLIS_RETURN_IF_ERROR(CheckStorable(framework));
  const std::string name = FrameworkName(framework.code, framework.version);
  const std::string what = "saving " + name;
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<std::unique_ptr<Transaction>> txn =
      Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
  if (!txn.ok()) return txn.status();
  // Writers of one code take turns, as SQLite's BEGIN IMMEDIATE makes them: the second waits
  // here, then (READ COMMITTED: each statement sees the latest commits) reads the version the
  // first stored and reports kAlreadyExists instead of failing on a key half-way through.
  TRELLIS_RETURN_IF_ERROR(Run(**conn, "SELECT pg_advisory_xact_lock($1::integer, $2::integer)",
                              {kFrameworkLockClass, LockKey(framework.code)}, what));
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
    TRELLIS_RETURN_IF_ERROR(Run(**conn, "INSERT INTO frameworks (code, created_at) VALUES ($1, $2)",
                                {framework.code, now}, what));
  }
  TRELLIS_RETURN_IF_ERROR(InsertFrameworkRows(**conn, framework, now, what));
  TRELLIS_RETURN_IF_ERROR((*txn)->Commit());
  return FrameworkVersionInfo{framework.code, framework.version, framework.title, now, false};
}

Result<StoredFramework> PostgresStore::GetFramework(std::string_view code,
                                                    std::optional<int> version) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "reading framework " + Quoted(code);
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // One snapshot: the version and its rows come from the same moment.
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

Result<std::vector<FrameworkSummary>> PostgresStore::ListFrameworks() {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<QueryResult> res = (*conn)->Exec(
      "SELECT f.code, v.title, agg.latest, agg.n, f.created_at, v.created_at "
      "FROM frameworks f "
      "JOIN (SELECT framework_code, MAX(version) AS latest, COUNT(*) AS n "
      "      FROM framework_versions GROUP BY framework_code) agg "
      "  ON agg.framework_code = f.code "
      "JOIN framework_versions v ON v.framework_code = f.code AND v.version = agg.latest "
      "ORDER BY f.code COLLATE \"C\"",
      {}, "listing frameworks");
  if (!res.ok()) return res.status();
  std::vector<FrameworkSummary> out;
  for (int r = 0; r < res->rows(); ++r) {
    out.push_back({res->Text(r, 0), res->Text(r, 1), static_cast<int>(res->Int(r, 2)),
                   static_cast<int>(res->Int(r, 3)), res->Text(r, 4), res->Text(r, 5)});
  }
  return out;
}

Result<std::vector<FrameworkVersionInfo>> PostgresStore::ListFrameworkVersions(
    std::string_view code) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "listing versions of framework " + Quoted(code);
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  Result<QueryResult> res = (*conn)->Exec(
      "SELECT v.version, v.title, v.created_at, "
      "CASE WHEN u.version IS NULL THEN 0 ELSE 1 END "
      "FROM framework_versions v LEFT JOIN framework_versions_in_use u "
      "  ON u.framework_code = v.framework_code AND u.version = v.version "
      "WHERE v.framework_code = $1 ORDER BY v.version",
      {code}, what);
  if (!res.ok()) return res.status();
  std::vector<FrameworkVersionInfo> out;
  for (int r = 0; r < res->rows(); ++r) {
    out.push_back({std::string(code), static_cast<int>(res->Int(r, 0)), res->Text(r, 1),
                   res->Text(r, 2), res->Int(r, 3) != 0});
  }
  if (out.empty()) return Status::NotFound("no framework " + Quoted(code) + " is stored");
  return out;
}

Status PostgresStore::MarkFrameworkVersionInUse(std::string_view code, int version) {
  TRELLIS_RETURN_IF_ERROR(RequireCurrentSchema());
  const std::string what = "marking " + FrameworkName(code, version) + " in use";
  Result<PooledConnection> conn = Acquire();
  if (!conn.ok()) return conn.status();
  // Stored versions are never deleted, so a version seen here is still there at the INSERT;
  // ON CONFLICT makes concurrent marks of one version idempotent.
  Result<std::unique_ptr<Transaction>> txn =
      Transaction::Begin(**conn, Transaction::Kind::kWrite, what);
  if (!txn.ok()) return txn.status();
  Result<int> latest = LatestVersion(**conn, code, what);
  if (!latest.ok()) return latest.status();
  if (*latest == 0) return Status::NotFound("no framework " + Quoted(code) + " is stored");
  if (version < 1 || version > *latest) return NoSuchVersion(code, version, *latest);
  TRELLIS_RETURN_IF_ERROR(
      Run(**conn,
          "INSERT INTO framework_versions_in_use (framework_code, version, marked_at) "
          "VALUES ($1, $2, $3) ON CONFLICT (framework_code, version) DO NOTHING",
          {code, version, Now()}, what));
  return (*txn)->Commit();
}

}  // namespace trellis::storage
