// storage/postgres/postgres_campaign_store.cc — PostgresCampaignStore: campaigns, subjects,
// nominations and responses on the tables of migrations/0003_campaigns.sql. A port of
// SqliteCampaignStore: every query that starts from a campaign or nomination joins campaigns
// and filters on partnership_id, so a caller holding another partnership's id sees kNotFound,
// never the row. Writes hold their partnership's write lock (partnership_lock.h) for the
// read-then-write checks; text is ordered with COLLATE "C" (bytes, as SQLite orders).
#include "storage/postgres/postgres_campaign_store.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "storage/postgres/partnership_lock.h"
#include "storage/postgres/postgres_db.h"

namespace trellis::storage {

using postgres::Connection;
using postgres::Param;
using postgres::QueryResult;
using postgres::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// `s`, or SQL NULL when it is empty (optional text columns).
Param Optional(std::string_view s) { return s.empty() ? Param::Null() : Param(s); }

// Runs `sql` and calls `on_row(result, row)` for each row (stopping at the first error).
template <typename RowFn>
Status Query(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
             std::string_view what, RowFn on_row) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  if (!res.ok()) return res.status();
  for (int r = 0; r < res->rows(); ++r) TRELLIS_RETURN_IF_ERROR(on_row(*res, r));
  return Status::Ok();
}

// Runs a statement; returns the number of rows it changed.
Result<int> Run(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
                std::string_view what) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  if (!res.ok()) return res.status();
  return static_cast<int>(res->AffectedRows());
}

// True when the query returns at least one row.
Result<bool> Exists(Connection& conn, std::string_view sql, std::initializer_list<Param> params,
                    std::string_view what) {
  Result<QueryResult> res = conn.Exec(sql, params, what);
  if (!res.ok()) return res.status();
  return res->rows() > 0;
}

// Runs `fn(conn)` in a transaction of `kind` on a pooled connection of `store`; a write first
// takes the write lock of `partnership_id`.
template <typename Fn>
Status InTransaction(PostgresStore& store, Transaction::Kind kind, std::string_view partnership_id,
                     std::string_view what, Fn fn) {
  return store.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn = Transaction::Begin(conn, kind, what);
    if (!txn.ok()) return txn.status();
    if (kind == Transaction::Kind::kWrite)
      TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, partnership_id, what));
    TRELLIS_RETURN_IF_ERROR(fn(conn));
    return (*txn)->Commit();
  });
}

template <typename Fn>
Status InWrite(PostgresStore& store, std::string_view partnership_id, std::string_view what,
               Fn fn) {
  return InTransaction(store, Transaction::Kind::kWrite, partnership_id, what, std::move(fn));
}

template <typename Fn>
Status InRead(PostgresStore& store, std::string_view what, Fn fn) {
  return InTransaction(store, Transaction::Kind::kRead, "", what, std::move(fn));
}

constexpr std::string_view kCampaignColumns =
    "c.id, c.partnership_id, c.name, c.framework_code, c.framework_version, c.opens_on, "
    "c.closes_on, c.min_group, c.context_check, c.state, c.created_at, c.opened_at, c.closed_at, "
    "c.released_at, c.context_check_version";
constexpr int kCampaignColumnCount = 15;

Result<model::Campaign> ReadCampaign(const QueryResult& r, int i, int first) {
  model::Campaign c;
  c.id = r.Text(i, first + 0);
  c.partnership_id = r.Text(i, first + 1);
  c.name = r.Text(i, first + 2);
  c.framework_code = r.Text(i, first + 3);
  c.framework_version = static_cast<int>(r.Int(i, first + 4));
  c.opens_on = r.Text(i, first + 5);
  c.closes_on = r.Text(i, first + 6);
  c.min_group = static_cast<int>(r.Int(i, first + 7));
  c.context_check = r.Int(i, first + 8) != 0;
  std::optional<model::CampaignState> state = model::ParseCampaignState(r.Text(i, first + 9));
  if (!state)
    return Status::Internal("campaign " + Quoted(c.id) + ": unknown stored state " +
                            Quoted(r.Text(i, first + 9)));
  c.state = *state;
  c.created_at = r.Text(i, first + 10);
  c.opened_at = r.Text(i, first + 11);
  c.closed_at = r.Text(i, first + 12);
  c.released_at = r.Text(i, first + 13);
  if (!r.IsNull(i, first + 14)) c.context_check_version = static_cast<int>(r.Int(i, first + 14));
  return c;
}

constexpr std::string_view kNominationColumns =
    "n.id, n.campaign_id, n.subject_id, n.rater_person_id, n.rater_name, n.rater_email, n.grp, "
    "n.status, n.invited_at, n.reminded_at, n.submitted_at, n.proposed_by_subject";

Result<model::Nomination> ReadNomination(const QueryResult& r, int i, int first) {
  model::Nomination n;
  n.id = r.Text(i, first + 0);
  n.campaign_id = r.Text(i, first + 1);
  n.subject_id = r.Text(i, first + 2);
  n.rater_person_id = r.Text(i, first + 3);
  n.rater_name = r.Text(i, first + 4);
  n.rater_email = r.Text(i, first + 5);
  std::optional<model::RaterGroup> group = model::ParseRaterGroup(r.Text(i, first + 6));
  std::optional<model::NominationStatus> status =
      model::ParseNominationStatus(r.Text(i, first + 7));
  if (!group || !status)
    return Status::Internal("nomination " + Quoted(n.id) + ": unknown stored group or status");
  n.group = *group;
  n.status = *status;
  n.invited_at = r.Text(i, first + 8);
  n.reminded_at = r.Text(i, first + 9);
  n.submitted_at = r.Text(i, first + 10);
  n.proposed_by_subject = !r.IsNull(i, first + 11) && r.Int(i, first + 11) != 0;
  return n;
}

// kNotFound unless the campaign exists in the partnership.
Status RequireCampaign(Connection& conn, std::string_view partnership_id,
                       std::string_view campaign_id, std::string_view what) {
  Result<bool> found = Exists(conn, "SELECT 1 FROM campaigns WHERE id = $1 AND partnership_id = $2",
                              {campaign_id, partnership_id}, what);
  if (!found.ok()) return found.status();
  if (!*found)
    return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
  return Status::Ok();
}

Result<std::vector<std::string>> SubjectIds(Connection& conn, std::string_view campaign_id,
                                            std::string_view what) {
  std::vector<std::string> ids;
  TRELLIS_RETURN_IF_ERROR(Query(conn,
                                "SELECT person_id FROM campaign_subjects WHERE campaign_id = $1 "
                                "ORDER BY person_id COLLATE \"C\"",
                                {campaign_id}, what, [&](const QueryResult& r, int i) {
                                  ids.push_back(r.Text(i, 0));
                                  return Status::Ok();
                                }));
  return ids;
}

// The partnership's campaigns, or only `campaign_id` when it is not empty, with subject_ids.
Result<std::vector<model::Campaign>> QueryCampaigns(Connection& conn,
                                                    std::string_view partnership_id,
                                                    std::string_view campaign_id,
                                                    std::string_view what) {
  std::vector<model::Campaign> out;
  auto on_row = [&](const QueryResult& r, int i) {
    Result<model::Campaign> c = ReadCampaign(r, i, 0);
    if (!c.ok()) return c.status();
    out.push_back(std::move(*c));
    return Status::Ok();
  };
  const std::string select =
      "SELECT " + std::string(kCampaignColumns) + " FROM campaigns c WHERE c.partnership_id = $1";
  // Every $n sent must appear in the statement (PostgreSQL must infer its type), so the one-
  // and all-campaign forms are separate statements.
  if (campaign_id.empty()) {
    TRELLIS_RETURN_IF_ERROR(
        Query(conn, select + " ORDER BY c.created_at COLLATE \"C\" DESC, c.id COLLATE \"C\"",
              {partnership_id}, what, on_row));
  } else {
    TRELLIS_RETURN_IF_ERROR(
        Query(conn, select + " AND c.id = $2", {partnership_id, campaign_id}, what, on_row));
  }
  for (model::Campaign& c : out) {
    Result<std::vector<std::string>> ids = SubjectIds(conn, c.id, what);
    if (!ids.ok()) return ids.status();
    c.subject_ids = std::move(*ids);
  }
  return out;
}

// Nominations of the partnership matching `where` ("AND n.id = $2"), whose parameters after
// the partnership ($1) are `params`; in report order.
Result<std::vector<model::Nomination>> QueryNominations(Connection& conn, std::string_view where,
                                                        std::initializer_list<Param> params,
                                                        std::string_view what) {
  std::vector<model::Nomination> out;
  const std::string sql = "SELECT " + std::string(kNominationColumns) +
                          " FROM nominations n JOIN campaigns c ON c.id = n.campaign_id "
                          "WHERE c.partnership_id = $1 " +
                          std::string(where);
  TRELLIS_RETURN_IF_ERROR(Query(conn, sql, params, what, [&](const QueryResult& r, int i) {
    Result<model::Nomination> n = ReadNomination(r, i, 0);
    if (!n.ok()) return n.status();
    out.push_back(std::move(*n));
    return Status::Ok();
  }));
  // Report order (group order of model::RaterGroup), which SQL on the wire name cannot give.
  std::stable_sort(out.begin(), out.end(),
                   [](const model::Nomination& x, const model::Nomination& y) {
                     return std::tie(x.subject_id, x.group, x.rater_name, x.id) <
                            std::tie(y.subject_id, y.group, y.rater_name, y.id);
                   });
  return out;
}

Result<model::Nomination> FindNomination(Connection& conn, std::string_view partnership_id,
                                         std::string_view nomination_id, std::string_view what) {
  Result<std::vector<model::Nomination>> found =
      QueryNominations(conn, "AND n.id = $2", {partnership_id, nomination_id}, what);
  if (!found.ok()) return found.status();
  if (found->empty())
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  return std::move(found->front());
}

// Replaces the answers and comments of a response row that exists.
Status WriteAnswers(Connection& conn, const model::Response& r, std::string_view what) {
  for (std::string_view sql : {"DELETE FROM response_answers WHERE nomination_id = $1",
                               "DELETE FROM response_comments WHERE nomination_id = $1"}) {
    Result<int> n = Run(conn, sql, {r.nomination_id}, what);
    if (!n.ok()) return n.status();
  }
  std::set<std::string_view> seen;
  for (const model::Answer& a : r.answers) {
    if (!seen.insert(a.item_code).second)
      return Status::InvalidArgument("item " + Quoted(a.item_code) + " is answered twice");
    Result<int> n =
        Run(conn,
            "INSERT INTO response_answers (nomination_id, item_code, score) "
            "VALUES ($1, $2, $3)",
            {r.nomination_id, a.item_code, a.score ? Param(*a.score) : Param::Null()}, what);
    if (!n.ok()) return n.status();
  }
  seen.clear();
  for (const auto& [domain, text] : r.comments) {
    if (text.empty()) continue;
    if (!seen.insert(domain).second)
      return Status::InvalidArgument("domain " + Quoted(domain) + " has two comments");
    Result<int> n = Run(conn,
                        "INSERT INTO response_comments (nomination_id, domain_code, comment_text) "
                        "VALUES ($1, $2, $3)",
                        {r.nomination_id, domain, text}, what);
    if (!n.ok()) return n.status();
  }
  return Status::Ok();
}

// What a write to a response needs to know about its nomination.
struct ResponseTarget {
  model::NominationStatus status = model::NominationStatus::kProposed;
  model::CampaignState state = model::CampaignState::kDraft;
  std::string campaign_name;
  bool has_response = false;
  bool submitted = false;
  std::string submission_key;
};

Result<ResponseTarget> ReadTarget(Connection& conn, std::string_view partnership_id,
                                  std::string_view nomination_id, std::string_view what) {
  std::optional<ResponseTarget> target;
  TRELLIS_RETURN_IF_ERROR(Query(
      conn,
      "SELECT n.status, c.state, c.name, r.submitted, r.submission_key FROM nominations n "
      "JOIN campaigns c ON c.id = n.campaign_id "
      "LEFT JOIN responses r ON r.nomination_id = n.id "
      "WHERE n.id = $1 AND c.partnership_id = $2",
      {nomination_id, partnership_id}, what, [&](const QueryResult& r, int i) {
        ResponseTarget t;
        std::optional<model::NominationStatus> status = model::ParseNominationStatus(r.Text(i, 0));
        std::optional<model::CampaignState> state = model::ParseCampaignState(r.Text(i, 1));
        if (!status || !state) return Status::Internal("unknown stored nomination or state");
        t.status = *status;
        t.state = *state;
        t.campaign_name = r.Text(i, 2);
        t.has_response = !r.IsNull(i, 3);
        t.submitted = r.Int(i, 3) != 0;
        t.submission_key = r.Text(i, 4);
        target = std::move(t);
        return Status::Ok();
      }));
  if (!target)
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  return std::move(*target);
}

// kFailedPrecondition unless answers may be written to the nomination's response now.
Status RequireWritable(const ResponseTarget& t) {
  if (t.state != model::CampaignState::kOpen) {
    return Status::FailedPrecondition("campaign " + Quoted(t.campaign_name) + " is " +
                                      std::string(model::CampaignStateName(t.state)) +
                                      ", not open: responses are not accepted");
  }
  if (t.status != model::NominationStatus::kApproved) {
    return Status::FailedPrecondition("this nomination is " +
                                      std::string(model::NominationStatusName(t.status)) +
                                      ", not approved: responses are not accepted");
  }
  return Status::Ok();
}

// Writes one submission inside the caller's transaction. Expected refusals come back as a
// failed Result before anything is written.
Result<SubmitOutcome> SubmitOne(Connection& conn, const Submission& sub, std::string_view what) {
  const model::Response& r = sub.response;
  if (sub.submission_key.empty())
    return Status::InvalidArgument("a submission needs a submission key");
  Result<ResponseTarget> target = ReadTarget(conn, sub.partnership_id, r.nomination_id, what);
  if (!target.ok()) return target.status();
  if (target->submitted) {
    // Checked before the campaign state: a retry that arrives after the close still learns
    // that its response was recorded.
    if (target->submission_key == sub.submission_key) return SubmitOutcome::kAlreadyRecorded;
    return Status::AlreadyExists("a response was already submitted from this link");
  }
  TRELLIS_RETURN_IF_ERROR(RequireWritable(*target));
  Result<int> upsert =
      Run(conn,
          "INSERT INTO responses (nomination_id, submitted, saved_at, submission_key) "
          "VALUES ($1, 1, $2, $3) ON CONFLICT (nomination_id) DO UPDATE SET submitted = 1, "
          "saved_at = EXCLUDED.saved_at, submission_key = EXCLUDED.submission_key",
          {r.nomination_id, sub.submitted_at, sub.submission_key}, what);
  if (!upsert.ok()) return upsert.status();
  TRELLIS_RETURN_IF_ERROR(WriteAnswers(conn, r, what));
  Result<int> stamped = Run(conn, "UPDATE nominations SET submitted_at = $1 WHERE id = $2",
                            {sub.submitted_at, r.nomination_id}, what);
  if (!stamped.ok()) return stamped.status();
  return SubmitOutcome::kRecorded;
}

bool IsRefusal(StatusCode code) {
  return code == StatusCode::kNotFound || code == StatusCode::kAlreadyExists ||
         code == StatusCode::kFailedPrecondition || code == StatusCode::kInvalidArgument;
}

}  // namespace

// --- campaigns ---

Status PostgresCampaignStore::CreateCampaign(const model::Campaign& c) {
  const std::string what = "creating campaign " + Quoted(c.name);
  const Status taken_status = Status::AlreadyExists("campaign id " + Quoted(c.id) + " is taken");
  return InWrite(store_, c.partnership_id, what, [&](Connection& conn) -> Status {
    Result<bool> partnership =
        Exists(conn, "SELECT 1 FROM partnerships WHERE id = $1", {c.partnership_id}, what);
    if (!partnership.ok()) return partnership.status();
    if (!*partnership) return Status::NotFound("no partnership " + Quoted(c.partnership_id));
    Result<bool> version =
        Exists(conn, "SELECT 1 FROM framework_versions WHERE framework_code = $1 AND version = $2",
               {c.framework_code, c.framework_version}, what);
    if (!version.ok()) return version.status();
    if (!*version) {
      return Status::NotFound("no framework " + Quoted(c.framework_code) + " version " +
                              std::to_string(c.framework_version) + " is stored");
    }
    Result<bool> taken = Exists(conn, "SELECT 1 FROM campaigns WHERE id = $1", {c.id}, what);
    if (!taken.ok()) return taken.status();
    if (*taken) return taken_status;
    // Stored framework versions are never deleted, and ON CONFLICT makes concurrent marks of
    // one version idempotent.
    Result<int> marked = Run(conn,
                             "INSERT INTO framework_versions_in_use (framework_code, version, "
                             "marked_at) VALUES ($1, $2, $3) "
                             "ON CONFLICT (framework_code, version) DO NOTHING",
                             {c.framework_code, c.framework_version, c.created_at}, what);
    if (!marked.ok()) return marked.status();
    if (c.context_check_version) {
      // The pinned context-check version must exist and, like the framework, never changes.
      Result<bool> context = Exists(
          conn, "SELECT 1 FROM framework_versions WHERE framework_code = $1 AND version = $2",
          {"context-check", *c.context_check_version}, what);
      if (!context.ok()) return context.status();
      if (!*context) {
        return Status::NotFound("no framework 'context-check' version " +
                                std::to_string(*c.context_check_version) + " is stored");
      }
      Result<int> pinned = Run(conn,
                               "INSERT INTO framework_versions_in_use (framework_code, version, "
                               "marked_at) VALUES ($1, $2, $3) "
                               "ON CONFLICT (framework_code, version) DO NOTHING",
                               {"context-check", *c.context_check_version, c.created_at}, what);
      if (!pinned.ok()) return pinned.status();
    }
    // Campaign ids are global: one taken concurrently by another partnership fails on the key.
    Result<int> inserted = Run(
        conn,
        "INSERT INTO campaigns (id, partnership_id, name, framework_code, framework_version, "
        "opens_on, closes_on, min_group, context_check, state, created_at, opened_at, closed_at, "
        "released_at, context_check_version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
        "$12, $13, $14, $15)",
        {c.id, c.partnership_id, c.name, c.framework_code, c.framework_version, c.opens_on,
         c.closes_on, c.min_group, c.context_check ? 1 : 0, model::CampaignStateName(c.state),
         c.created_at, Optional(c.opened_at), Optional(c.closed_at), Optional(c.released_at),
         c.context_check_version ? Param(*c.context_check_version) : Param::Null()},
        what);
    if (!inserted.ok() && inserted.status().code() == StatusCode::kAlreadyExists)
      return taken_status;
    return inserted.status();
  });
}

Result<model::Campaign> PostgresCampaignStore::GetCampaign(std::string_view partnership_id,
                                                           std::string_view campaign_id) {
  const std::string what = "reading campaign " + Quoted(campaign_id);
  std::optional<model::Campaign> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    Result<std::vector<model::Campaign>> found =
        QueryCampaigns(conn, partnership_id, campaign_id, what);
    if (!found.ok()) return found.status();
    if (found->empty())
      return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
    out = std::move(found->front());
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<std::vector<model::Campaign>> PostgresCampaignStore::ListCampaigns(
    std::string_view partnership_id) {
  std::vector<model::Campaign> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, "listing campaigns", [&](Connection& conn) -> Status {
    Result<std::vector<model::Campaign>> found =
        QueryCampaigns(conn, partnership_id, "", "listing campaigns");
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return Status::Ok();
  }));
  return out;
}

Status PostgresCampaignStore::UpdateCampaignState(std::string_view partnership_id,
                                                  std::string_view campaign_id,
                                                  model::CampaignState from,
                                                  model::CampaignState to, std::string_view at) {
  const std::string what = "changing the state of campaign " + Quoted(campaign_id);
  std::string stamp;
  switch (to) {
    case model::CampaignState::kOpen:
      stamp = ", opened_at = $4";
      break;
    case model::CampaignState::kClosed:
      stamp = ", closed_at = $4";
      break;
    case model::CampaignState::kReleased:
      stamp = ", released_at = $4";
      break;
    case model::CampaignState::kDraft:
      break;
  }
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    std::optional<std::string> current;
    TRELLIS_RETURN_IF_ERROR(
        Query(conn, "SELECT state FROM campaigns WHERE id = $1 AND partnership_id = $2",
              {campaign_id, partnership_id}, what, [&](const QueryResult& r, int i) {
                current = r.Text(i, 0);
                return Status::Ok();
              }));
    if (!current)
      return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
    if (*current != model::CampaignStateName(from)) {
      return Status::FailedPrecondition("the campaign is " + *current + ", not " +
                                        std::string(model::CampaignStateName(from)));
    }
    const std::string sql =
        "UPDATE campaigns SET state = $3" + stamp + " WHERE id = $1 AND partnership_id = $2";
    Result<int> n =
        stamp.empty()
            ? Run(conn, sql, {campaign_id, partnership_id, model::CampaignStateName(to)}, what)
            : Run(conn, sql, {campaign_id, partnership_id, model::CampaignStateName(to), at}, what);
    return n.status();
  });
}

// --- subjects ---

namespace {

Result<std::vector<model::Person>> ReadPeople(Connection& conn, std::string_view partnership_id,
                                              const std::vector<std::string>& ids,
                                              std::string_view what) {
  std::vector<model::Person> out;
  for (const std::string& id : ids) {
    Result<QueryResult> res = conn.Exec(
        "SELECT id, organisation_id, name, email FROM people WHERE id = $1 AND "
        "partnership_id = $2 AND erased_at IS NULL",
        {id, partnership_id}, what);
    if (!res.ok()) return res.status();
    if (res->rows() == 0)
      return Status::NotFound("no person " + Quoted(id) + " in this partnership");
    model::Person p;
    p.id = res->Text(0, 0);
    p.partnership_id = std::string(partnership_id);
    p.organisation_id = res->Text(0, 1);
    p.name = res->Text(0, 2);
    p.email = res->Text(0, 3);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<model::Person>> PostgresCampaignStore::GetPeople(
    std::string_view partnership_id, const std::vector<std::string>& ids) {
  std::vector<model::Person> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, "reading people", [&](Connection& conn) -> Status {
    Result<std::vector<model::Person>> people =
        ReadPeople(conn, partnership_id, ids, "reading people");
    if (!people.ok()) return people.status();
    out = std::move(*people);
    return Status::Ok();
  }));
  return out;
}

Status PostgresCampaignStore::AddSubjects(std::string_view partnership_id,
                                          std::string_view campaign_id,
                                          const std::vector<std::string>& person_ids) {
  const std::string what = "adding subjects to campaign " + Quoted(campaign_id);
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    Result<std::vector<model::Person>> people = ReadPeople(conn, partnership_id, person_ids, what);
    if (!people.ok()) return people.status();
    for (const std::string& id : person_ids) {
      Result<int> n = Run(conn,
                          "INSERT INTO campaign_subjects (campaign_id, person_id) VALUES ($1, $2) "
                          "ON CONFLICT (campaign_id, person_id) DO NOTHING",
                          {campaign_id, id}, what);
      if (!n.ok()) return n.status();
    }
    return Status::Ok();
  });
}

Status PostgresCampaignStore::RemoveSubject(std::string_view partnership_id,
                                            std::string_view campaign_id,
                                            std::string_view person_id) {
  const std::string what =
      "removing subject " + Quoted(person_id) + " from campaign " + Quoted(campaign_id);
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    Result<bool> subject =
        Exists(conn, "SELECT 1 FROM campaign_subjects WHERE campaign_id = $1 AND person_id = $2",
               {campaign_id, person_id}, what);
    if (!subject.ok()) return subject.status();
    if (!*subject)
      return Status::NotFound(Quoted(person_id) + " is not a subject of this campaign");
    Result<bool> submitted = Exists(conn,
                                    "SELECT 1 FROM nominations n JOIN responses r ON "
                                    "r.nomination_id = n.id WHERE n.campaign_id = $1 AND "
                                    "n.subject_id = $2 AND r.submitted = 1",
                                    {campaign_id, person_id}, what);
    if (!submitted.ok()) return submitted.status();
    if (*submitted) {
      return Status::FailedPrecondition(
          "raters have already submitted responses about this subject; they cannot be removed");
    }
    constexpr std::string_view kOfSubject =
        "(SELECT id FROM nominations WHERE campaign_id = $1 AND subject_id = $2)";
    for (const std::string& sql :
         {"DELETE FROM response_answers WHERE nomination_id IN " + std::string(kOfSubject),
          "DELETE FROM response_comments WHERE nomination_id IN " + std::string(kOfSubject),
          "DELETE FROM responses WHERE nomination_id IN " + std::string(kOfSubject),
          std::string("DELETE FROM nominations WHERE campaign_id = $1 AND subject_id = $2"),
          std::string("DELETE FROM campaign_subjects WHERE campaign_id = $1 AND person_id = $2")}) {
      Result<int> n = Run(conn, sql, {campaign_id, person_id}, what);
      if (!n.ok()) return n.status();
    }
    return Status::Ok();
  });
}

Result<std::vector<model::Person>> PostgresCampaignStore::ListSubjects(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "listing the subjects of campaign " + Quoted(campaign_id);
  std::vector<model::Person> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    return Query(conn,
                 "SELECT p.id, p.organisation_id, p.name, p.email FROM campaign_subjects s "
                 "JOIN people p ON p.id = s.person_id WHERE s.campaign_id = $1 AND "
                 "p.partnership_id = $2 ORDER BY p.name COLLATE \"C\", p.id COLLATE \"C\"",
                 {campaign_id, partnership_id}, what, [&](const QueryResult& r, int i) {
                   model::Person p;
                   p.id = r.Text(i, 0);
                   p.partnership_id = std::string(partnership_id);
                   p.organisation_id = r.Text(i, 1);
                   p.name = r.Text(i, 2);
                   p.email = r.Text(i, 3);
                   out.push_back(std::move(p));
                   return Status::Ok();
                 });
  }));
  return out;
}

// --- nominations ---

Status PostgresCampaignStore::AddNominations(std::string_view partnership_id,
                                             const std::vector<model::Nomination>& nominations) {
  const std::string what = "adding nominations";
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    std::set<std::string> campaigns_checked;
    for (const model::Nomination& n : nominations) {
      if (campaigns_checked.insert(n.campaign_id).second)
        TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, n.campaign_id, what));
      Result<bool> subject =
          Exists(conn, "SELECT 1 FROM campaign_subjects WHERE campaign_id = $1 AND person_id = $2",
                 {n.campaign_id, n.subject_id}, what);
      if (!subject.ok()) return subject.status();
      if (!*subject)
        return Status::NotFound(Quoted(n.subject_id) + " is not a subject of this campaign");
      if (!n.rater_person_id.empty()) {
        Result<std::vector<model::Person>> rater =
            ReadPeople(conn, partnership_id, {n.rater_person_id}, what);
        if (!rater.ok()) return rater.status();
      }
      const std::string email = Lower(n.rater_email);
      Result<bool> duplicate =
          Exists(conn,
                 "SELECT 1 FROM nominations WHERE campaign_id = $1 AND subject_id = $2 AND "
                 "(rater_email = $3 OR rater_person_id = $4)",
                 {n.campaign_id, n.subject_id, email, Optional(n.rater_person_id)}, what);
      if (!duplicate.ok()) return duplicate.status();
      if (*duplicate) {
        return Status::AlreadyExists(n.rater_name + " <" + email +
                                     "> is already nominated for this subject");
      }
      Result<int> inserted =
          Run(conn,
              "INSERT INTO nominations (id, campaign_id, subject_id, rater_person_id, rater_name, "
              "rater_email, grp, status, proposed_by_subject) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
              {n.id, n.campaign_id, n.subject_id, Optional(n.rater_person_id), n.rater_name, email,
               model::RaterGroupName(n.group), model::NominationStatusName(n.status),
               n.status == model::NominationStatus::kProposed ? 1 : 0},
              what);
      if (!inserted.ok()) return inserted.status();
    }
    return Status::Ok();
  });
}

Result<model::Nomination> PostgresCampaignStore::GetNomination(std::string_view partnership_id,
                                                               std::string_view nomination_id) {
  std::optional<model::Nomination> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<model::Nomination> n =
        FindNomination(conn, partnership_id, nomination_id, "reading a nomination");
    if (!n.ok()) return n.status();
    out = std::move(*n);
    return Status::Ok();
  }));
  return std::move(*out);
}

Result<std::vector<model::Nomination>> PostgresCampaignStore::ListNominations(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "listing the nominations of campaign " + Quoted(campaign_id);
  std::vector<model::Nomination> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    Result<std::vector<model::Nomination>> found =
        QueryNominations(conn, "AND n.campaign_id = $2", {partnership_id, campaign_id}, what);
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return Status::Ok();
  }));
  return out;
}

Result<std::vector<model::Nomination>> PostgresCampaignStore::ListNominationsForSubject(
    std::string_view partnership_id, std::string_view campaign_id, std::string_view subject_id) {
  const std::string what = "listing the nominations of a subject";
  std::vector<model::Nomination> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::vector<model::Nomination>> found =
        QueryNominations(conn, "AND n.campaign_id = $2 AND n.subject_id = $3",
                         {partnership_id, campaign_id, subject_id}, what);
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return Status::Ok();
  }));
  return out;
}

namespace {

// Sets `column` (a fixed column name, never user input) of a nomination of the partnership.
Status UpdateNomination(Connection& conn, std::string_view partnership_id,
                        std::string_view nomination_id, std::string_view column, const Param& value,
                        std::string_view what) {
  Result<int> n = Run(conn,
                      "UPDATE nominations SET " + std::string(column) +
                          " = $1 WHERE id = $2 AND campaign_id IN (SELECT id FROM campaigns "
                          "WHERE partnership_id = $3)",
                      {value, nomination_id, partnership_id}, what);
  if (!n.ok()) return n.status();
  if (*n == 0)
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  return Status::Ok();
}

}  // namespace

Status PostgresCampaignStore::SetNominationStatus(std::string_view partnership_id,
                                                  std::string_view nomination_id,
                                                  model::NominationStatus status) {
  const std::string what = "changing a nomination's status";
  // Under the lock: a submission checks the status (approved) before it writes.
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    return UpdateNomination(conn, partnership_id, nomination_id, "status",
                            model::NominationStatusName(status), what);
  });
}

Status PostgresCampaignStore::SetTokenHash(std::string_view partnership_id,
                                           std::string_view nomination_id,
                                           std::string_view token_hash) {
  const std::string what = "issuing a rater link";
  const Status taken_status = Status::AlreadyExists("that link token is already in use");
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    Result<bool> taken =
        Exists(conn, "SELECT 1 FROM nominations WHERE token_hash = $1 AND id <> $2",
               {token_hash, nomination_id}, what);
    if (!taken.ok()) return taken.status();
    if (*taken) return taken_status;
    // Hashes are unique across partnerships: a concurrent issuer elsewhere fails on the key.
    Status s =
        UpdateNomination(conn, partnership_id, nomination_id, "token_hash", token_hash, what);
    if (s.code() == StatusCode::kAlreadyExists) return taken_status;
    return s;
  });
}

Result<NominationInCampaign> PostgresCampaignStore::FindNominationByTokenHash(
    std::string_view token_hash) {
  std::optional<NominationInCampaign> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    return Query(
        conn,
        "SELECT " + std::string(kCampaignColumns) + ", " + std::string(kNominationColumns) +
            " FROM nominations n JOIN campaigns c ON c.id = n.campaign_id WHERE n.token_hash = $1",
        {token_hash}, "looking up a rater link", [&](const QueryResult& r, int i) {
          Result<model::Campaign> c = ReadCampaign(r, i, 0);
          if (!c.ok()) return c.status();
          Result<model::Nomination> n = ReadNomination(r, i, kCampaignColumnCount);
          if (!n.ok()) return n.status();
          out = NominationInCampaign{std::move(*n), std::move(*c)};
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no nomination has this link");
  return std::move(*out);
}

Status PostgresCampaignStore::MarkTime(std::string_view partnership_id,
                                       std::string_view nomination_id, std::string_view column,
                                       std::string_view at, std::string_view what) {
  // One statement, atomic on its own; nothing reads these stamps before writing.
  return store_.WithConnection([&](Connection& conn) -> Status {
    return UpdateNomination(conn, partnership_id, nomination_id, column, at, what);
  });
}

Status PostgresCampaignStore::MarkInvited(std::string_view partnership_id,
                                          std::string_view nomination_id, std::string_view at) {
  return MarkTime(partnership_id, nomination_id, "invited_at", at, "recording an invitation");
}

Status PostgresCampaignStore::MarkReminded(std::string_view partnership_id,
                                           std::string_view nomination_id, std::string_view at) {
  return MarkTime(partnership_id, nomination_id, "reminded_at", at, "recording a reminder");
}

// --- responses ---

Status PostgresCampaignStore::SaveDraft(std::string_view partnership_id,
                                        const model::Response& response) {
  const std::string what = "saving a draft response";
  return InWrite(store_, partnership_id, what, [&](Connection& conn) -> Status {
    Result<ResponseTarget> target = ReadTarget(conn, partnership_id, response.nomination_id, what);
    if (!target.ok()) return target.status();
    if (target->submitted) {
      return Status::FailedPrecondition(
          "this response was already submitted; it can no longer be changed");
    }
    TRELLIS_RETURN_IF_ERROR(RequireWritable(*target));
    Result<int> upsert = Run(conn,
                             "INSERT INTO responses (nomination_id, submitted, saved_at) "
                             "VALUES ($1, 0, $2) ON CONFLICT (nomination_id) DO UPDATE SET "
                             "saved_at = EXCLUDED.saved_at",
                             {response.nomination_id, response.saved_at}, what);
    if (!upsert.ok()) return upsert.status();
    return WriteAnswers(conn, response, what);
  });
}

Result<model::Response> PostgresCampaignStore::GetResponse(std::string_view partnership_id,
                                                           std::string_view nomination_id) {
  const std::string what = "reading a response";
  std::optional<model::Response> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT r.submitted, r.saved_at FROM responses r JOIN nominations n ON n.id = "
        "r.nomination_id JOIN campaigns c ON c.id = n.campaign_id WHERE r.nomination_id = $1 AND "
        "c.partnership_id = $2",
        {nomination_id, partnership_id}, what, [&](const QueryResult& r, int i) {
          model::Response response;
          response.nomination_id = std::string(nomination_id);
          response.submitted = r.Int(i, 0) != 0;
          response.saved_at = r.Text(i, 1);
          out = std::move(response);
          return Status::Ok();
        }));
    if (!out) return Status::NotFound("no response has been saved from this link");
    TRELLIS_RETURN_IF_ERROR(Query(conn,
                                  "SELECT item_code, score FROM response_answers WHERE "
                                  "nomination_id = $1 ORDER BY item_code COLLATE \"C\"",
                                  {nomination_id}, what, [&](const QueryResult& r, int i) {
                                    model::Answer a{r.Text(i, 0), std::nullopt};
                                    if (!r.IsNull(i, 1)) a.score = static_cast<int>(r.Int(i, 1));
                                    out->answers.push_back(std::move(a));
                                    return Status::Ok();
                                  }));
    return Query(conn,
                 "SELECT domain_code, comment_text FROM response_comments WHERE "
                 "nomination_id = $1 ORDER BY domain_code COLLATE \"C\"",
                 {nomination_id}, what, [&](const QueryResult& r, int i) {
                   out->comments.emplace_back(r.Text(i, 0), r.Text(i, 1));
                   return Status::Ok();
                 });
  }));
  return std::move(*out);
}

Result<SubmitOutcome> PostgresCampaignStore::SubmitResponse(const Submission& submission) {
  Result<std::vector<Result<SubmitOutcome>>> outcomes =
      SubmitResponses(std::span<const Submission>(&submission, 1));
  if (!outcomes.ok()) return outcomes.status();
  return std::move(outcomes->front());
}

Result<std::vector<Result<SubmitOutcome>>> PostgresCampaignStore::SubmitResponses(
    std::span<const Submission> submissions) {
  const std::string what = "submitting responses";
  std::vector<Result<SubmitOutcome>> outcomes;
  outcomes.reserve(submissions.size());
  if (submissions.empty()) return outcomes;
  // The write locks of every partnership in the batch, taken in one (sorted) order so that two
  // batches cannot deadlock on them.
  std::set<std::string_view> partnerships;
  for (const Submission& sub : submissions) partnerships.insert(sub.partnership_id);
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    // "Survives a crash when this returns" must not depend on the server's default.
    TRELLIS_RETURN_IF_ERROR(conn.ExecScript("SET LOCAL synchronous_commit = on", what));
    for (std::string_view p : partnerships)
      TRELLIS_RETURN_IF_ERROR(postgres::LockPartnership(conn, p, what));
    for (const Submission& sub : submissions) {
      // A savepoint per submission: a refused one is undone without touching the others (and
      // a failed statement does not abort the whole transaction).
      TRELLIS_RETURN_IF_ERROR(conn.ExecScript("SAVEPOINT submission", what));
      Result<SubmitOutcome> outcome = SubmitOne(conn, sub, what);
      if (!outcome.ok() && !IsRefusal(outcome.status().code())) return outcome.status();
      if (!outcome.ok())
        TRELLIS_RETURN_IF_ERROR(conn.ExecScript("ROLLBACK TO SAVEPOINT submission", what));
      TRELLIS_RETURN_IF_ERROR(conn.ExecScript("RELEASE SAVEPOINT submission", what));
      outcomes.push_back(std::move(outcome));
    }
    // One commit, one WAL flush for the whole batch.
    return (*txn)->Commit();
  }));
  return outcomes;
}

Result<CampaignRatings> PostgresCampaignStore::LoadRatings(std::string_view partnership_id,
                                                           std::string_view campaign_id,
                                                           const model::Framework& framework,
                                                           const model::Framework* context_check) {
  const std::string what = "loading the responses of campaign " + Quoted(campaign_id);
  // item code → (0 competencies | 1 context check, item index)
  std::map<std::string, std::pair<int, uint16_t>, std::less<>> items;
  const std::vector<const model::Item*> framework_items = model::ItemsInOrder(framework);
  for (size_t i = 0; i < framework_items.size(); ++i)
    items.emplace(framework_items[i]->code, std::make_pair(0, static_cast<uint16_t>(i)));
  std::vector<const model::Item*> context_items;
  if (context_check != nullptr) context_items = model::ItemsInOrder(*context_check);
  for (size_t i = 0; i < context_items.size(); ++i)
    items.emplace(context_items[i]->code, std::make_pair(1, static_cast<uint16_t>(i)));

  std::vector<model::RatingRow> rows[2];
  CampaignRatings out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    constexpr std::string_view kSubmitted =
        " FROM nominations n JOIN responses r ON r.nomination_id = n.id AND r.submitted = 1 ";
    TRELLIS_RETURN_IF_ERROR(
        Query(conn,
              "SELECT n.id, n.subject_id, n.grp, a.item_code, a.score" + std::string(kSubmitted) +
                  "JOIN response_answers a ON a.nomination_id = n.id "
                  "WHERE n.campaign_id = $1 AND n.status = 'approved'",
              {campaign_id}, what, [&](const QueryResult& r, int i) {
                auto it = items.find(r.Text(i, 3));
                if (it == items.end()) return Status::Ok();
                std::optional<model::RaterGroup> group = model::ParseRaterGroup(r.Text(i, 2));
                if (!group)
                  return Status::Internal("unknown stored rater group " + Quoted(r.Text(i, 2)));
                model::RatingRow row;
                row.subject = r.Text(i, 1);
                row.rater = *group == model::RaterGroup::kSelf ? row.subject : r.Text(i, 0);
                row.group = *group;
                row.item = it->second.second;
                row.score = r.IsNull(i, 4) ? model::kNotObserved : static_cast<int8_t>(r.Int(i, 4));
                rows[it->second.first].push_back(std::move(row));
                return Status::Ok();
              }));
    return Query(conn,
                 "SELECT n.subject_id, n.grp, m.domain_code, m.comment_text" +
                     std::string(kSubmitted) +
                     "JOIN response_comments m ON m.nomination_id = n.id "
                     "WHERE n.campaign_id = $1 AND n.status = 'approved' "
                     "ORDER BY n.subject_id COLLATE \"C\", m.domain_code COLLATE \"C\", "
                     "n.id COLLATE \"C\"",
                 {campaign_id}, what, [&](const QueryResult& r, int i) {
                   std::optional<model::RaterGroup> group = model::ParseRaterGroup(r.Text(i, 1));
                   if (!group)
                     return Status::Internal("unknown stored rater group " + Quoted(r.Text(i, 1)));
                   out.comments.push_back({r.Text(i, 0), *group, r.Text(i, 2), r.Text(i, 3)});
                   return Status::Ok();
                 });
  }));
  Result<model::RatingSet> competencies = model::BuildRatingSet(rows[0], framework_items.size());
  if (!competencies.ok())
    return Status::Internal("stored responses: " + competencies.status().message());
  out.competencies = std::move(*competencies);
  Result<model::RatingSet> context = model::BuildRatingSet(rows[1], context_items.size());
  if (!context.ok()) return Status::Internal("stored responses: " + context.status().message());
  out.context_check = std::move(*context);
  return out;
}

namespace {

constexpr std::string_view kProgressCounts =
    "COUNT(*), SUM(CASE WHEN n.invited_at IS NULL THEN 0 ELSE 1 END), "
    "SUM(CASE WHEN n.submitted_at IS NULL THEN 0 ELSE 1 END) ";

// Appends the counts of the campaign's approved nominations by the subject's organisation,
// ordered by organisation id. Every nomination's subject is a campaign subject and so a person
// with an organisation (foreign keys), so these counts cover every approved nomination.
Status QueryOrganisationProgress(Connection& conn, std::string_view campaign_id,
                                 const std::string& what, std::vector<OrganisationProgress>& out) {
  return Query(conn,
               "SELECT p.organisation_id, " + std::string(kProgressCounts) +
                   "FROM nominations n JOIN people p ON p.id = n.subject_id "
                   "WHERE n.campaign_id = $1 AND n.status = 'approved' "
                   "GROUP BY p.organisation_id ORDER BY p.organisation_id COLLATE \"C\"",
               {campaign_id}, what, [&](const QueryResult& r, int i) {
                 out.push_back({r.Text(i, 0), static_cast<int>(r.Int(i, 1)),
                                static_cast<int>(r.Int(i, 2)), static_cast<int>(r.Int(i, 3))});
                 return Status::Ok();
               });
}

}  // namespace

Result<CampaignProgress> PostgresCampaignStore::Progress(std::string_view partnership_id,
                                                         std::string_view campaign_id) {
  const std::string what = "counting the responses of campaign " + Quoted(campaign_id);
  CampaignProgress out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    TRELLIS_RETURN_IF_ERROR(
        Query(conn,
              "SELECT n.subject_id, n.grp, " + std::string(kProgressCounts) +
                  "FROM nominations n WHERE n.campaign_id = $1 AND n.status = 'approved' "
                  "GROUP BY n.subject_id, n.grp",
              {campaign_id}, what, [&](const QueryResult& r, int i) {
                std::optional<model::RaterGroup> group = model::ParseRaterGroup(r.Text(i, 1));
                if (!group)
                  return Status::Internal("unknown stored rater group " + Quoted(r.Text(i, 1)));
                out.by_subject_group.push_back({r.Text(i, 0), *group, static_cast<int>(r.Int(i, 2)),
                                                static_cast<int>(r.Int(i, 3)),
                                                static_cast<int>(r.Int(i, 4))});
                return Status::Ok();
              }));
    return QueryOrganisationProgress(conn, campaign_id, what, out.by_organisation);
  }));
  std::sort(out.by_subject_group.begin(), out.by_subject_group.end(),
            [](const GroupProgress& a, const GroupProgress& b) {
              return std::tie(a.subject_id, a.group) < std::tie(b.subject_id, b.group);
            });
  return out;
}

Result<std::vector<OrganisationProgress>> PostgresCampaignStore::ProgressByOrganisation(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "counting the responses of campaign " + Quoted(campaign_id);
  std::vector<OrganisationProgress> out;
  TRELLIS_RETURN_IF_ERROR(InRead(store_, what, [&](Connection& conn) -> Status {
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    return QueryOrganisationProgress(conn, campaign_id, what, out);
  }));
  return out;
}

}  // namespace trellis::storage
