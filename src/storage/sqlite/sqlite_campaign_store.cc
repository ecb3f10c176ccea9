// storage/sqlite/sqlite_campaign_store.cc — SqliteCampaignStore: campaigns, subjects,
// nominations and responses on the tables of migrations/0003_campaigns.sql. Every query that
// starts from a campaign or nomination joins campaigns and filters on partnership_id, so a
// caller holding another partnership's id sees kNotFound, never the row.
#include "storage/sqlite/sqlite_campaign_store.h"

#include <sqlite3.h>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "storage/sqlite/sqlite_db.h"

namespace trellis::storage {

using sqlite::Connection;
using sqlite::Execute;
using sqlite::Query;
using sqlite::Statement;
using sqlite::Transaction;

namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Binds `s`, or NULL when it is empty (optional text columns).
void BindOptional(Statement& stmt, int index, std::string_view s) {
  if (s.empty()) {
    stmt.BindNull(index);
  } else {
    stmt.Bind(index, s);
  }
}

// True when the query returns at least one row.
template <typename BindFn>
Result<bool> Exists(Connection& conn, std::string_view sql, std::string_view what, BindFn bind) {
  Result<Statement> stmt = Statement::Prepare(conn, sql, what);
  if (!stmt.ok()) return stmt.status();
  bind(*stmt);
  return stmt->Step();
}

constexpr std::string_view kCampaignColumns =
    "c.id, c.partnership_id, c.name, c.framework_code, c.framework_version, c.opens_on, "
    "c.closes_on, c.min_group, c.context_check, c.state, c.created_at, c.opened_at, c.closed_at, "
    "c.released_at, c.context_check_version";
constexpr int kCampaignColumnCount = 15;

Result<model::Campaign> ReadCampaign(const Statement& s, int first) {
  model::Campaign c;
  c.id = s.Text(first + 0);
  c.partnership_id = s.Text(first + 1);
  c.name = s.Text(first + 2);
  c.framework_code = s.Text(first + 3);
  c.framework_version = static_cast<int>(s.Int(first + 4));
  c.opens_on = s.Text(first + 5);
  c.closes_on = s.Text(first + 6);
  c.min_group = static_cast<int>(s.Int(first + 7));
  c.context_check = s.Int(first + 8) != 0;
  std::optional<model::CampaignState> state = model::ParseCampaignState(s.Text(first + 9));
  if (!state)
    return Status::Internal("campaign " + Quoted(c.id) + ": unknown stored state " +
                            Quoted(s.Text(first + 9)));
  c.state = *state;
  c.created_at = s.Text(first + 10);
  c.opened_at = s.Text(first + 11);
  c.closed_at = s.Text(first + 12);
  c.released_at = s.Text(first + 13);
  if (!s.IsNull(first + 14)) c.context_check_version = static_cast<int>(s.Int(first + 14));
  return c;
}

constexpr std::string_view kNominationColumns =
    "n.id, n.campaign_id, n.subject_id, n.rater_person_id, n.rater_name, n.rater_email, n.grp, "
    "n.status, n.invited_at, n.reminded_at, n.submitted_at, n.proposed_by_subject";

Result<model::Nomination> ReadNomination(const Statement& s, int first) {
  model::Nomination n;
  n.id = s.Text(first + 0);
  n.campaign_id = s.Text(first + 1);
  n.subject_id = s.Text(first + 2);
  n.rater_person_id = s.Text(first + 3);
  n.rater_name = s.Text(first + 4);
  n.rater_email = s.Text(first + 5);
  std::optional<model::RaterGroup> group = model::ParseRaterGroup(s.Text(first + 6));
  std::optional<model::NominationStatus> status = model::ParseNominationStatus(s.Text(first + 7));
  if (!group || !status)
    return Status::Internal("nomination " + Quoted(n.id) + ": unknown stored group or status");
  n.group = *group;
  n.status = *status;
  n.invited_at = s.Text(first + 8);
  n.reminded_at = s.Text(first + 9);
  n.submitted_at = s.Text(first + 10);
  n.proposed_by_subject = !s.IsNull(first + 11) && s.Int(first + 11) != 0;
  return n;
}

// kNotFound unless the campaign exists in the partnership.
Status RequireCampaign(Connection& conn, std::string_view partnership_id,
                       std::string_view campaign_id, std::string_view what) {
  Result<bool> found =
      Exists(conn, "SELECT 1 FROM campaigns WHERE id = ? AND partnership_id = ?", what,
             [&](Statement& s) { s.Bind(1, campaign_id).Bind(2, partnership_id); });
  if (!found.ok()) return found.status();
  if (!*found)
    return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
  return Status::Ok();
}

Result<std::vector<std::string>> SubjectIds(Connection& conn, std::string_view campaign_id,
                                            std::string_view what) {
  std::vector<std::string> ids;
  TRELLIS_RETURN_IF_ERROR(Query(
      conn, "SELECT person_id FROM campaign_subjects WHERE campaign_id = ? ORDER BY person_id",
      what, [&](Statement& s) { s.Bind(1, campaign_id); },
      [&](Statement& s) {
        ids.push_back(s.Text(0));
        return Status::Ok();
      }));
  return ids;
}

Result<std::vector<model::Campaign>> QueryCampaigns(Connection& conn, std::string_view where,
                                                    std::string_view partnership_id,
                                                    std::string_view campaign_id,
                                                    std::string_view what) {
  std::vector<model::Campaign> out;
  const std::string sql = "SELECT " + std::string(kCampaignColumns) +
                          " FROM campaigns c WHERE c.partnership_id = ?1 " + std::string(where) +
                          " ORDER BY c.created_at DESC, c.id";
  TRELLIS_RETURN_IF_ERROR(Query(
      conn, sql, what,
      [&](Statement& s) {
        s.Bind(1, partnership_id);
        if (!campaign_id.empty()) s.Bind(2, campaign_id);
      },
      [&](Statement& s) {
        Result<model::Campaign> c = ReadCampaign(s, 0);
        if (!c.ok()) return c.status();
        out.push_back(std::move(*c));
        return Status::Ok();
      }));
  for (model::Campaign& c : out) {
    Result<std::vector<std::string>> ids = SubjectIds(conn, c.id, what);
    if (!ids.ok()) return ids.status();
    c.subject_ids = std::move(*ids);
  }
  return out;
}

Result<std::vector<model::Nomination>> QueryNominations(Connection& conn, std::string_view where,
                                                        std::string_view partnership_id,
                                                        std::string_view a, std::string_view b,
                                                        std::string_view what) {
  std::vector<model::Nomination> out;
  const std::string sql = "SELECT " + std::string(kNominationColumns) +
                          " FROM nominations n JOIN campaigns c ON c.id = n.campaign_id "
                          "WHERE c.partnership_id = ?1 " +
                          std::string(where);
  TRELLIS_RETURN_IF_ERROR(Query(
      conn, sql, what,
      [&](Statement& s) {
        s.Bind(1, partnership_id);
        if (!a.empty()) s.Bind(2, a);
        if (!b.empty()) s.Bind(3, b);
      },
      [&](Statement& s) {
        Result<model::Nomination> n = ReadNomination(s, 0);
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
      QueryNominations(conn, "AND n.id = ?2", partnership_id, nomination_id, "", what);
  if (!found.ok()) return found.status();
  if (found->empty())
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  return std::move(found->front());
}

// Answers are inserted this many rows per statement (multi-row VALUES), the rest one by one.
constexpr size_t kAnswerRowsPerInsert = 25;

// The statements that write a response's answers and comments, prepared once per call of
// SaveDraft or SubmitResponses (a batch) rather than once per row or per submission.
struct AnswerStatements {
  Statement delete_answers;
  Statement delete_comments;
  Statement insert_answers;  // kAnswerRowsPerInsert rows
  Statement insert_answer;   // one row
  Statement insert_comment;

  static Result<AnswerStatements> Prepare(Connection& conn, std::string_view what) {
    std::string many = "INSERT INTO response_answers (nomination_id, item_code, score) VALUES ";
    for (size_t i = 0; i < kAnswerRowsPerInsert; ++i) many += i == 0 ? "(?, ?, ?)" : ", (?, ?, ?)";
    Result<Statement> del_a =
        Statement::Prepare(conn, "DELETE FROM response_answers WHERE nomination_id = ?", what);
    if (!del_a.ok()) return del_a.status();
    Result<Statement> del_c =
        Statement::Prepare(conn, "DELETE FROM response_comments WHERE nomination_id = ?", what);
    if (!del_c.ok()) return del_c.status();
    Result<Statement> ins_many = Statement::Prepare(conn, many, what);
    if (!ins_many.ok()) return ins_many.status();
    Result<Statement> ins_one = Statement::Prepare(
        conn, "INSERT INTO response_answers (nomination_id, item_code, score) VALUES (?, ?, ?)",
        what);
    if (!ins_one.ok()) return ins_one.status();
    Result<Statement> ins_c = Statement::Prepare(
        conn,
        "INSERT INTO response_comments (nomination_id, domain_code, comment_text) VALUES (?, ?, ?)",
        what);
    if (!ins_c.ok()) return ins_c.status();
    return AnswerStatements{std::move(*del_a), std::move(*del_c), std::move(*ins_many),
                            std::move(*ins_one), std::move(*ins_c)};
  }
};

void BindAnswer(Statement& stmt, int first, std::string_view nomination_id,
                const model::Answer& a) {
  stmt.Bind(first, nomination_id).Bind(first + 1, a.item_code);
  if (a.score) {
    stmt.Bind(first + 2, *a.score);
  } else {
    stmt.BindNull(first + 2);
  }
}

// Writes the answers and comments of a response row that exists, first deleting the old ones
// when `replace` (a response row that existed before: a draft).
Status WriteAnswers(AnswerStatements& st, const model::Response& r, bool replace) {
  if (replace) {
    for (Statement* del : {&st.delete_answers, &st.delete_comments}) {
      del->Reset();
      del->Bind(1, r.nomination_id);
      TRELLIS_RETURN_IF_ERROR(del->Run());
    }
  }
  std::set<std::string_view> seen;
  for (const model::Answer& a : r.answers) {
    if (!seen.insert(a.item_code).second)
      return Status::InvalidArgument("item " + Quoted(a.item_code) + " is answered twice");
  }
  size_t i = 0;
  for (; i + kAnswerRowsPerInsert <= r.answers.size(); i += kAnswerRowsPerInsert) {
    st.insert_answers.Reset();
    for (size_t j = 0; j < kAnswerRowsPerInsert; ++j)
      BindAnswer(st.insert_answers, static_cast<int>(3 * j + 1), r.nomination_id, r.answers[i + j]);
    TRELLIS_RETURN_IF_ERROR(st.insert_answers.Run());
  }
  for (; i < r.answers.size(); ++i) {
    st.insert_answer.Reset();
    BindAnswer(st.insert_answer, 1, r.nomination_id, r.answers[i]);
    TRELLIS_RETURN_IF_ERROR(st.insert_answer.Run());
  }
  seen.clear();
  for (const auto& [domain, text] : r.comments) {
    if (text.empty()) continue;
    if (!seen.insert(domain).second)
      return Status::InvalidArgument("domain " + Quoted(domain) + " has two comments");
    st.insert_comment.Reset();
    st.insert_comment.Bind(1, r.nomination_id).Bind(2, domain).Bind(3, text);
    TRELLIS_RETURN_IF_ERROR(st.insert_comment.Run());
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

constexpr std::string_view kReadTargetSql =
    "SELECT n.status, c.state, c.name, r.submitted, r.submission_key FROM nominations n "
    "JOIN campaigns c ON c.id = n.campaign_id "
    "LEFT JOIN responses r ON r.nomination_id = n.id "
    "WHERE n.id = ? AND c.partnership_id = ?";

// Runs kReadTargetSql, prepared by the caller.
Result<ResponseTarget> ReadTarget(Statement& stmt, std::string_view partnership_id,
                                  std::string_view nomination_id) {
  stmt.Reset();
  stmt.Bind(1, nomination_id).Bind(2, partnership_id);
  Result<bool> row = stmt.Step();
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  ResponseTarget t;
  std::optional<model::NominationStatus> status = model::ParseNominationStatus(stmt.Text(0));
  std::optional<model::CampaignState> state = model::ParseCampaignState(stmt.Text(1));
  if (!status || !state) return Status::Internal("unknown stored nomination or state");
  t.status = *status;
  t.state = *state;
  t.campaign_name = stmt.Text(2);
  t.has_response = !stmt.IsNull(3);
  t.submitted = stmt.Int(3) != 0;
  t.submission_key = stmt.Text(4);
  stmt.Reset();  // no read left pending in the transaction
  return t;
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

// The statements of SubmitResponses, prepared once per batch.
struct SubmitStatements {
  Statement target;  // kReadTargetSql
  Statement upsert;
  Statement stamp;
  AnswerStatements answers;

  static Result<SubmitStatements> Prepare(Connection& conn, std::string_view what) {
    Result<Statement> target = Statement::Prepare(conn, kReadTargetSql, what);
    if (!target.ok()) return target.status();
    Result<Statement> upsert = Statement::Prepare(
        conn,
        "INSERT INTO responses (nomination_id, submitted, saved_at, submission_key) "
        "VALUES (?1, 1, ?2, ?3) ON CONFLICT (nomination_id) DO UPDATE SET submitted = 1, "
        "saved_at = ?2, submission_key = ?3",
        what);
    if (!upsert.ok()) return upsert.status();
    Result<Statement> stamp =
        Statement::Prepare(conn, "UPDATE nominations SET submitted_at = ? WHERE id = ?", what);
    if (!stamp.ok()) return stamp.status();
    Result<AnswerStatements> answers = AnswerStatements::Prepare(conn, what);
    if (!answers.ok()) return answers.status();
    return SubmitStatements{std::move(*target), std::move(*upsert), std::move(*stamp),
                            std::move(*answers)};
  }
};

// Writes one submission inside the caller's transaction. Expected refusals come back as a
// failed Result before anything is written.
Result<SubmitOutcome> SubmitOne(SubmitStatements& st, const Submission& sub) {
  const model::Response& r = sub.response;
  if (sub.submission_key.empty())
    return Status::InvalidArgument("a submission needs a submission key");
  Result<ResponseTarget> target = ReadTarget(st.target, sub.partnership_id, r.nomination_id);
  if (!target.ok()) return target.status();
  if (target->submitted) {
    // Checked before the campaign state: a retry that arrives after the close still learns
    // that its response was recorded.
    if (target->submission_key == sub.submission_key) return SubmitOutcome::kAlreadyRecorded;
    return Status::AlreadyExists("a response was already submitted from this link");
  }
  TRELLIS_RETURN_IF_ERROR(RequireWritable(*target));
  st.upsert.Reset();
  st.upsert.Bind(1, r.nomination_id).Bind(2, sub.submitted_at).Bind(3, sub.submission_key);
  TRELLIS_RETURN_IF_ERROR(st.upsert.Run());
  // Without a draft row there are no old answers to delete.
  TRELLIS_RETURN_IF_ERROR(WriteAnswers(st.answers, r, /*replace=*/target->has_response));
  st.stamp.Reset();
  st.stamp.Bind(1, sub.submitted_at).Bind(2, r.nomination_id);
  TRELLIS_RETURN_IF_ERROR(st.stamp.Run());
  return SubmitOutcome::kRecorded;
}

bool IsRefusal(StatusCode code) {
  return code == StatusCode::kNotFound || code == StatusCode::kAlreadyExists ||
         code == StatusCode::kFailedPrecondition || code == StatusCode::kInvalidArgument;
}

}  // namespace

// --- campaigns ---

Status SqliteCampaignStore::CreateCampaign(const model::Campaign& c) {
  const std::string what = "creating campaign " + Quoted(c.name);
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    Result<bool> partnership = Exists(conn, "SELECT 1 FROM partnerships WHERE id = ?", what,
                                      [&](Statement& s) { s.Bind(1, c.partnership_id); });
    if (!partnership.ok()) return partnership.status();
    if (!*partnership) return Status::NotFound("no partnership " + Quoted(c.partnership_id));
    Result<bool> version = Exists(
        conn, "SELECT 1 FROM framework_versions WHERE framework_code = ? AND version = ?", what,
        [&](Statement& s) { s.Bind(1, c.framework_code).Bind(2, c.framework_version); });
    if (!version.ok()) return version.status();
    if (!*version) {
      return Status::NotFound("no framework " + Quoted(c.framework_code) + " version " +
                              std::to_string(c.framework_version) + " is stored");
    }
    Result<bool> taken = Exists(conn, "SELECT 1 FROM campaigns WHERE id = ?", what,
                                [&](Statement& s) { s.Bind(1, c.id); });
    if (!taken.ok()) return taken.status();
    if (*taken) return Status::AlreadyExists("campaign id " + Quoted(c.id) + " is taken");
    Result<int> marked = Execute(conn,
                                 "INSERT INTO framework_versions_in_use (framework_code, version, "
                                 "marked_at) VALUES (?, ?, ?) "
                                 "ON CONFLICT (framework_code, version) DO NOTHING",
                                 what, [&](Statement& s) {
                                   s.Bind(1, c.framework_code).Bind(2, c.framework_version);
                                   s.Bind(3, c.created_at);
                                 });
    if (!marked.ok()) return marked.status();
    if (c.context_check_version) {
      // The pinned context-check version must exist and, like the framework, never changes.
      Result<bool> context = Exists(
          conn, "SELECT 1 FROM framework_versions WHERE framework_code = ? AND version = ?", what,
          [&](Statement& s) { s.Bind(1, "context-check").Bind(2, *c.context_check_version); });
      if (!context.ok()) return context.status();
      if (!*context) {
        return Status::NotFound("no framework 'context-check' version " +
                                std::to_string(*c.context_check_version) + " is stored");
      }
      Result<int> pinned = Execute(conn,
                                   "INSERT INTO framework_versions_in_use (framework_code, "
                                   "version, marked_at) VALUES (?, ?, ?) "
                                   "ON CONFLICT (framework_code, version) DO NOTHING",
                                   what, [&](Statement& s) {
                                     s.Bind(1, "context-check").Bind(2, *c.context_check_version);
                                     s.Bind(3, c.created_at);
                                   });
      if (!pinned.ok()) return pinned.status();
    }
    Result<int> inserted = Execute(
        conn,
        "INSERT INTO campaigns (id, partnership_id, name, framework_code, framework_version, "
        "opens_on, closes_on, min_group, context_check, state, created_at, opened_at, closed_at, "
        "released_at, context_check_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        what, [&](Statement& s) {
          s.Bind(1, c.id).Bind(2, c.partnership_id).Bind(3, c.name).Bind(4, c.framework_code);
          s.Bind(5, c.framework_version).Bind(6, c.opens_on).Bind(7, c.closes_on);
          s.Bind(8, c.min_group).Bind(9, c.context_check ? 1 : 0);
          s.Bind(10, model::CampaignStateName(c.state)).Bind(11, c.created_at);
          BindOptional(s, 12, c.opened_at);
          BindOptional(s, 13, c.closed_at);
          BindOptional(s, 14, c.released_at);
          if (c.context_check_version) {
            s.Bind(15, *c.context_check_version);
          } else {
            s.BindNull(15);
          }
        });
    if (!inserted.ok()) return inserted.status();
    return (*txn)->Commit();
  });
}

Result<model::Campaign> SqliteCampaignStore::GetCampaign(std::string_view partnership_id,
                                                         std::string_view campaign_id) {
  const std::string what = "reading campaign " + Quoted(campaign_id);
  std::optional<model::Campaign> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    Result<std::vector<model::Campaign>> found =
        QueryCampaigns(conn, "AND c.id = ?2", partnership_id, campaign_id, what);
    if (!found.ok()) return found.status();
    if (found->empty())
      return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
    out = std::move(found->front());
    return (*txn)->Commit();
  }));
  return std::move(*out);
}

Result<std::vector<model::Campaign>> SqliteCampaignStore::ListCampaigns(
    std::string_view partnership_id) {
  std::vector<model::Campaign> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, "listing campaigns");
    if (!txn.ok()) return txn.status();
    Result<std::vector<model::Campaign>> found =
        QueryCampaigns(conn, "", partnership_id, "", "listing campaigns");
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return (*txn)->Commit();
  }));
  return out;
}

Status SqliteCampaignStore::UpdateCampaignState(std::string_view partnership_id,
                                                std::string_view campaign_id,
                                                model::CampaignState from, model::CampaignState to,
                                                std::string_view at) {
  const std::string what = "changing the state of campaign " + Quoted(campaign_id);
  std::string stamp;
  switch (to) {
    case model::CampaignState::kOpen:
      stamp = ", opened_at = ?4";
      break;
    case model::CampaignState::kClosed:
      stamp = ", closed_at = ?4";
      break;
    case model::CampaignState::kReleased:
      stamp = ", released_at = ?4";
      break;
    case model::CampaignState::kDraft:
      break;
  }
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    std::optional<std::string> current;
    TRELLIS_RETURN_IF_ERROR(Query(
        conn, "SELECT state FROM campaigns WHERE id = ? AND partnership_id = ?", what,
        [&](Statement& s) { s.Bind(1, campaign_id).Bind(2, partnership_id); },
        [&](Statement& s) {
          current = s.Text(0);
          return Status::Ok();
        }));
    if (!current)
      return Status::NotFound("no campaign " + Quoted(campaign_id) + " in this partnership");
    if (*current != model::CampaignStateName(from)) {
      return Status::FailedPrecondition("the campaign is " + *current + ", not " +
                                        std::string(model::CampaignStateName(from)));
    }
    Result<int> n = Execute(
        conn, "UPDATE campaigns SET state = ?3" + stamp + " WHERE id = ?1 AND partnership_id = ?2",
        what, [&](Statement& s) {
          s.Bind(1, campaign_id).Bind(2, partnership_id);
          s.Bind(3, model::CampaignStateName(to));
          if (!stamp.empty()) s.Bind(4, at);
        });
    if (!n.ok()) return n.status();
    return (*txn)->Commit();
  });
}

// --- subjects ---

namespace {

Result<std::vector<model::Person>> ReadPeople(Connection& conn, std::string_view partnership_id,
                                              const std::vector<std::string>& ids,
                                              std::string_view what) {
  std::vector<model::Person> out;
  Result<Statement> stmt = Statement::Prepare(
      conn,
      "SELECT id, organisation_id, name, email FROM people WHERE id = ? AND partnership_id = ? "
      "AND erased_at IS NULL",
      what);
  if (!stmt.ok()) return stmt.status();
  for (const std::string& id : ids) {
    stmt->Reset();
    stmt->Bind(1, id).Bind(2, partnership_id);
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) return Status::NotFound("no person " + Quoted(id) + " in this partnership");
    model::Person p;
    p.id = stmt->Text(0);
    p.partnership_id = std::string(partnership_id);
    p.organisation_id = stmt->Text(1);
    p.name = stmt->Text(2);
    p.email = stmt->Text(3);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

Result<std::vector<model::Person>> SqliteCampaignStore::GetPeople(
    std::string_view partnership_id, const std::vector<std::string>& ids) {
  std::vector<model::Person> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::vector<model::Person>> people =
        ReadPeople(conn, partnership_id, ids, "reading people");
    if (!people.ok()) return people.status();
    out = std::move(*people);
    return Status::Ok();
  }));
  return out;
}

Status SqliteCampaignStore::AddSubjects(std::string_view partnership_id,
                                        std::string_view campaign_id,
                                        const std::vector<std::string>& person_ids) {
  const std::string what = "adding subjects to campaign " + Quoted(campaign_id);
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    Result<std::vector<model::Person>> people = ReadPeople(conn, partnership_id, person_ids, what);
    if (!people.ok()) return people.status();
    Result<Statement> insert =
        Statement::Prepare(conn,
                           "INSERT INTO campaign_subjects (campaign_id, person_id) VALUES (?, ?) "
                           "ON CONFLICT (campaign_id, person_id) DO NOTHING",
                           what);
    if (!insert.ok()) return insert.status();
    for (const std::string& id : person_ids) {
      insert->Reset();
      insert->Bind(1, campaign_id).Bind(2, id);
      TRELLIS_RETURN_IF_ERROR(insert->Run());
    }
    return (*txn)->Commit();
  });
}

Status SqliteCampaignStore::RemoveSubject(std::string_view partnership_id,
                                          std::string_view campaign_id,
                                          std::string_view person_id) {
  const std::string what =
      "removing subject " + Quoted(person_id) + " from campaign " + Quoted(campaign_id);
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    auto bind = [&](Statement& s) { s.Bind(1, campaign_id).Bind(2, person_id); };
    Result<bool> subject =
        Exists(conn, "SELECT 1 FROM campaign_subjects WHERE campaign_id = ? AND person_id = ?",
               what, bind);
    if (!subject.ok()) return subject.status();
    if (!*subject)
      return Status::NotFound(Quoted(person_id) + " is not a subject of this campaign");
    Result<bool> submitted = Exists(conn,
                                    "SELECT 1 FROM nominations n JOIN responses r ON "
                                    "r.nomination_id = n.id WHERE n.campaign_id = ? AND "
                                    "n.subject_id = ? AND r.submitted = 1",
                                    what, bind);
    if (!submitted.ok()) return submitted.status();
    if (*submitted) {
      return Status::FailedPrecondition(
          "raters have already submitted responses about this subject; they cannot be removed");
    }
    constexpr std::string_view kOfSubject =
        "(SELECT id FROM nominations WHERE campaign_id = ?1 AND subject_id = ?2)";
    for (const std::string& sql :
         {"DELETE FROM response_answers WHERE nomination_id IN " + std::string(kOfSubject),
          "DELETE FROM response_comments WHERE nomination_id IN " + std::string(kOfSubject),
          "DELETE FROM responses WHERE nomination_id IN " + std::string(kOfSubject),
          std::string("DELETE FROM nominations WHERE campaign_id = ?1 AND subject_id = ?2"),
          std::string("DELETE FROM campaign_subjects WHERE campaign_id = ?1 AND person_id = ?2")}) {
      Result<int> n = Execute(conn, sql, what, bind);
      if (!n.ok()) return n.status();
    }
    return (*txn)->Commit();
  });
}

Result<std::vector<model::Person>> SqliteCampaignStore::ListSubjects(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "listing the subjects of campaign " + Quoted(campaign_id);
  std::vector<model::Person> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT p.id, p.organisation_id, p.name, p.email FROM campaign_subjects s "
        "JOIN people p ON p.id = s.person_id WHERE s.campaign_id = ? AND p.partnership_id = ? "
        "ORDER BY p.name, p.id",
        what, [&](Statement& s) { s.Bind(1, campaign_id).Bind(2, partnership_id); },
        [&](Statement& s) {
          model::Person p;
          p.id = s.Text(0);
          p.partnership_id = std::string(partnership_id);
          p.organisation_id = s.Text(1);
          p.name = s.Text(2);
          p.email = s.Text(3);
          out.push_back(std::move(p));
          return Status::Ok();
        }));
    return (*txn)->Commit();
  }));
  return out;
}

// --- nominations ---

Status SqliteCampaignStore::AddNominations(std::string_view partnership_id,
                                           const std::vector<model::Nomination>& nominations) {
  const std::string what = "adding nominations";
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    std::set<std::string> campaigns_checked;
    Result<Statement> insert = Statement::Prepare(
        conn,
        "INSERT INTO nominations (id, campaign_id, subject_id, rater_person_id, rater_name, "
        "rater_email, grp, status, proposed_by_subject) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        what);
    if (!insert.ok()) return insert.status();
    for (const model::Nomination& n : nominations) {
      if (campaigns_checked.insert(n.campaign_id).second)
        TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, n.campaign_id, what));
      Result<bool> subject =
          Exists(conn, "SELECT 1 FROM campaign_subjects WHERE campaign_id = ? AND person_id = ?",
                 what, [&](Statement& s) { s.Bind(1, n.campaign_id).Bind(2, n.subject_id); });
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
                 "SELECT 1 FROM nominations WHERE campaign_id = ?1 AND subject_id = ?2 AND "
                 "(rater_email = ?3 OR rater_person_id = ?4)",
                 what, [&](Statement& s) {
                   s.Bind(1, n.campaign_id).Bind(2, n.subject_id).Bind(3, email);
                   BindOptional(s, 4, n.rater_person_id);
                 });
      if (!duplicate.ok()) return duplicate.status();
      if (*duplicate) {
        return Status::AlreadyExists(n.rater_name + " <" + email +
                                     "> is already nominated for this subject");
      }
      insert->Reset();
      insert->Bind(1, n.id).Bind(2, n.campaign_id).Bind(3, n.subject_id);
      BindOptional(*insert, 4, n.rater_person_id);
      insert->Bind(5, n.rater_name).Bind(6, email).Bind(7, model::RaterGroupName(n.group));
      insert->Bind(8, model::NominationStatusName(n.status));
      insert->Bind(9, n.status == model::NominationStatus::kProposed ? 1 : 0);
      TRELLIS_RETURN_IF_ERROR(insert->Run());
    }
    return (*txn)->Commit();
  });
}

Result<model::Nomination> SqliteCampaignStore::GetNomination(std::string_view partnership_id,
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

Result<std::vector<model::Nomination>> SqliteCampaignStore::ListNominations(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "listing the nominations of campaign " + Quoted(campaign_id);
  std::vector<model::Nomination> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    Result<std::vector<model::Nomination>> found =
        QueryNominations(conn, "AND n.campaign_id = ?2", partnership_id, campaign_id, "", what);
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return (*txn)->Commit();
  }));
  return out;
}

Result<std::vector<model::Nomination>> SqliteCampaignStore::ListNominationsForSubject(
    std::string_view partnership_id, std::string_view campaign_id, std::string_view subject_id) {
  const std::string what = "listing the nominations of a subject";
  std::vector<model::Nomination> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::vector<model::Nomination>> found =
        QueryNominations(conn, "AND n.campaign_id = ?2 AND n.subject_id = ?3", partnership_id,
                         campaign_id, subject_id, what);
    if (!found.ok()) return found.status();
    out = std::move(*found);
    return Status::Ok();
  }));
  return out;
}

namespace {

// Updates `set_sql` ("status = ?1") of a nomination of the partnership (?2 = id, ?3 = partnership).
template <typename BindFn>
Status UpdateNomination(Connection& conn, std::string_view partnership_id,
                        std::string_view nomination_id, std::string_view set_sql,
                        std::string_view what, BindFn bind_first) {
  Result<int> n = Execute(conn,
                          "UPDATE nominations SET " + std::string(set_sql) +
                              " WHERE id = ?2 AND campaign_id IN (SELECT id FROM campaigns WHERE "
                              "partnership_id = ?3)",
                          what, [&](Statement& s) {
                            bind_first(s);
                            s.Bind(2, nomination_id).Bind(3, partnership_id);
                          });
  if (!n.ok()) return n.status();
  if (*n == 0)
    return Status::NotFound("no nomination " + Quoted(nomination_id) + " in this partnership");
  return Status::Ok();
}

}  // namespace

Status SqliteCampaignStore::SetNominationStatus(std::string_view partnership_id,
                                                std::string_view nomination_id,
                                                model::NominationStatus status) {
  return store_.WithConnection([&](Connection& conn) -> Status {
    return UpdateNomination(conn, partnership_id, nomination_id, "status = ?1",
                            "changing a nomination's status",
                            [&](Statement& s) { s.Bind(1, model::NominationStatusName(status)); });
  });
}

Status SqliteCampaignStore::SetTokenHash(std::string_view partnership_id,
                                         std::string_view nomination_id,
                                         std::string_view token_hash) {
  const std::string what = "issuing a rater link";
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    Result<bool> taken =
        Exists(conn, "SELECT 1 FROM nominations WHERE token_hash = ? AND id <> ?", what,
               [&](Statement& s) { s.Bind(1, token_hash).Bind(2, nomination_id); });
    if (!taken.ok()) return taken.status();
    if (*taken) return Status::AlreadyExists("that link token is already in use");
    TRELLIS_RETURN_IF_ERROR(UpdateNomination(conn, partnership_id, nomination_id, "token_hash = ?1",
                                             what, [&](Statement& s) { s.Bind(1, token_hash); }));
    return (*txn)->Commit();
  });
}

Result<NominationInCampaign> SqliteCampaignStore::FindNominationByTokenHash(
    std::string_view token_hash) {
  std::optional<NominationInCampaign> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    return Query(
        conn,
        "SELECT " + std::string(kCampaignColumns) + ", " + std::string(kNominationColumns) +
            " FROM nominations n JOIN campaigns c ON c.id = n.campaign_id WHERE n.token_hash = ?",
        "looking up a rater link", [&](Statement& s) { s.Bind(1, token_hash); },
        [&](Statement& s) {
          Result<model::Campaign> c = ReadCampaign(s, 0);
          if (!c.ok()) return c.status();
          Result<model::Nomination> n = ReadNomination(s, kCampaignColumnCount);
          if (!n.ok()) return n.status();
          out = NominationInCampaign{std::move(*n), std::move(*c)};
          return Status::Ok();
        });
  }));
  if (!out) return Status::NotFound("no nomination has this link");
  return std::move(*out);
}

Status SqliteCampaignStore::MarkTime(std::string_view partnership_id,
                                     std::string_view nomination_id, std::string_view column,
                                     std::string_view at, std::string_view what) {
  return store_.WithConnection([&](Connection& conn) -> Status {
    return UpdateNomination(conn, partnership_id, nomination_id, std::string(column) + " = ?1",
                            what, [&](Statement& s) { s.Bind(1, at); });
  });
}

Status SqliteCampaignStore::MarkInvited(std::string_view partnership_id,
                                        std::string_view nomination_id, std::string_view at) {
  return MarkTime(partnership_id, nomination_id, "invited_at", at, "recording an invitation");
}

Status SqliteCampaignStore::MarkReminded(std::string_view partnership_id,
                                         std::string_view nomination_id, std::string_view at) {
  return MarkTime(partnership_id, nomination_id, "reminded_at", at, "recording a reminder");
}

// --- responses ---

Status SqliteCampaignStore::SaveDraft(std::string_view partnership_id,
                                      const model::Response& response) {
  const std::string what = "saving a draft response";
  return store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    Result<Statement> read_target = Statement::Prepare(conn, kReadTargetSql, what);
    if (!read_target.ok()) return read_target.status();
    Result<ResponseTarget> target =
        ReadTarget(*read_target, partnership_id, response.nomination_id);
    if (!target.ok()) return target.status();
    if (target->submitted) {
      return Status::FailedPrecondition(
          "this response was already submitted; it can no longer be changed");
    }
    TRELLIS_RETURN_IF_ERROR(RequireWritable(*target));
    Result<int> upsert = Execute(
        conn,
        "INSERT INTO responses (nomination_id, submitted, saved_at) "
        "VALUES (?1, 0, ?2) ON CONFLICT (nomination_id) DO UPDATE SET "
        "saved_at = ?2",
        what, [&](Statement& s) { s.Bind(1, response.nomination_id).Bind(2, response.saved_at); });
    if (!upsert.ok()) return upsert.status();
    Result<AnswerStatements> statements = AnswerStatements::Prepare(conn, what);
    if (!statements.ok()) return statements.status();
    TRELLIS_RETURN_IF_ERROR(WriteAnswers(*statements, response, /*replace=*/true));
    return (*txn)->Commit();
  });
}

Result<model::Response> SqliteCampaignStore::GetResponse(std::string_view partnership_id,
                                                         std::string_view nomination_id) {
  const std::string what = "reading a response";
  std::optional<model::Response> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT r.submitted, r.saved_at FROM responses r JOIN nominations n ON n.id = "
        "r.nomination_id JOIN campaigns c ON c.id = n.campaign_id WHERE r.nomination_id = ? AND "
        "c.partnership_id = ?",
        what, [&](Statement& s) { s.Bind(1, nomination_id).Bind(2, partnership_id); },
        [&](Statement& s) {
          model::Response r;
          r.nomination_id = std::string(nomination_id);
          r.submitted = s.Int(0) != 0;
          r.saved_at = s.Text(1);
          out = std::move(r);
          return Status::Ok();
        }));
    if (!out) return Status::NotFound("no response has been saved from this link");
    auto bind = [&](Statement& s) { s.Bind(1, nomination_id); };
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT item_code, score FROM response_answers WHERE nomination_id = ? ORDER BY item_code",
        what, bind, [&](Statement& s) {
          model::Answer a{s.Text(0), std::nullopt};
          if (!s.IsNull(1)) a.score = static_cast<int>(s.Int(1));
          out->answers.push_back(std::move(a));
          return Status::Ok();
        }));
    TRELLIS_RETURN_IF_ERROR(Query(conn,
                                  "SELECT domain_code, comment_text FROM response_comments WHERE "
                                  "nomination_id = ? ORDER BY domain_code",
                                  what, bind, [&](Statement& s) {
                                    out->comments.emplace_back(s.Text(0), s.Text(1));
                                    return Status::Ok();
                                  }));
    return (*txn)->Commit();
  }));
  return std::move(*out);
}

Result<SubmitOutcome> SqliteCampaignStore::SubmitResponse(const Submission& submission) {
  Result<std::vector<Result<SubmitOutcome>>> outcomes =
      SubmitResponses(std::span<const Submission>(&submission, 1));
  if (!outcomes.ok()) return outcomes.status();
  return std::move(outcomes->front());
}

// The WAL size (pages) at which the background thread checkpoints, as SQLite's automatic
// checkpoint would; and the size at which the writer checkpoints itself, because the
// background checkpoints cannot restart the WAL while batches keep coming.
constexpr int kBackgroundCheckpointPages = 1000;
constexpr int kWriterCheckpointPages = 4000;

SqliteCampaignStore::~SqliteCampaignStore() {
  {
    std::lock_guard<std::mutex> lock(checkpoint_mu_);
    stopping_ = true;
  }
  checkpoint_cv_.notify_all();
  if (checkpointer_.joinable()) checkpointer_.join();
}

int SqliteCampaignStore::OnWalCommit(void* self, sqlite3* db, const char* name, int pages) {
  auto* store = static_cast<SqliteCampaignStore*>(self);
  if (pages >= kWriterCheckpointPages) {
    // What SQLite's automatic checkpoint does, rarely and mostly already backfilled by the
    // background checkpoints; it lets the next batch restart the WAL from its beginning.
    sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
  } else if (pages >= kBackgroundCheckpointPages) {
    {
      std::lock_guard<std::mutex> lock(store->checkpoint_mu_);
      store->checkpoint_wanted_ = true;
    }
    store->checkpoint_cv_.notify_one();
  }
  return SQLITE_OK;
}

void SqliteCampaignStore::RunCheckpoints() {
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(checkpoint_mu_);
      checkpoint_cv_.wait(lock, [this] { return checkpoint_wanted_ || stopping_; });
      if (stopping_) return;
      checkpoint_wanted_ = false;
    }
    // PASSIVE: copies what it can without waiting for (or blocking) the writer or readers. A
    // failure (busy) is left to the next one.
    sqlite3_wal_checkpoint_v2(checkpoint_conn_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                              nullptr, nullptr);
  }
}

Result<std::vector<Result<SubmitOutcome>>> SqliteCampaignStore::SubmitResponses(
    std::span<const Submission> submissions) {
  const std::string what = "submitting responses";
  std::vector<Result<SubmitOutcome>> outcomes;
  outcomes.reserve(submissions.size());
  if (submissions.empty()) return outcomes;
  std::lock_guard<std::mutex> lock(submit_mu_);
  if (submit_conn_ == nullptr) {
    // Opened like the pool's (WAL, synchronous=FULL, foreign keys), once the schema is known
    // to be current, with a 32 MiB page cache for the indexes a batch touches. Checkpoints
    // run in the background from 1,000 WAL pages (SQLite's automatic checkpoint would stall
    // the batch that commits past them: bench/submit's p99); a rare one on the writer itself
    // from 4,000 (kWriterCheckpointPages). Simply checkpointing at 4,000 instead of 1,000
    // doubled the p99: fewer but longer stalls.
    TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& pooled) -> Status {
      Result<std::unique_ptr<Connection>> own =
          Connection::Open(pooled.path(), pooled.busy_timeout_ms());
      if (!own.ok()) return own.status();
      TRELLIS_RETURN_IF_ERROR(
          (*own)->Exec("PRAGMA cache_size = -32768", "configuring the submission writer"));
      Result<std::unique_ptr<Connection>> checkpoints =
          Connection::Open(pooled.path(), pooled.busy_timeout_ms());
      if (!checkpoints.ok()) return checkpoints.status();
      // Replaces SQLite's automatic checkpoint on this connection.
      sqlite3_wal_hook((*own)->handle(), &SqliteCampaignStore::OnWalCommit, this);
      checkpoint_conn_ = std::move(*checkpoints);
      checkpointer_ = std::thread([this] { RunCheckpoints(); });
      submit_conn_ = std::move(*own);
      return Status::Ok();
    }));
  }
  TRELLIS_RETURN_IF_ERROR([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kWrite, what);
    if (!txn.ok()) return txn.status();
    // Prepared once for the batch (destroyed before the transaction ends).
    Result<SubmitStatements> statements = SubmitStatements::Prepare(conn, what);
    if (!statements.ok()) return statements.status();
    Result<Statement> savepoint = Statement::Prepare(conn, "SAVEPOINT submission", what);
    if (!savepoint.ok()) return savepoint.status();
    Result<Statement> release = Statement::Prepare(conn, "RELEASE SAVEPOINT submission", what);
    if (!release.ok()) return release.status();
    for (const Submission& sub : submissions) {
      // A savepoint per submission: a refused one is undone without touching the others.
      savepoint->Reset();
      TRELLIS_RETURN_IF_ERROR(savepoint->Run());
      Result<SubmitOutcome> outcome = SubmitOne(*statements, sub);
      if (!outcome.ok() && !IsRefusal(outcome.status().code())) return outcome.status();
      if (!outcome.ok())
        TRELLIS_RETURN_IF_ERROR(conn.Exec("ROLLBACK TO SAVEPOINT submission", what));
      release->Reset();
      TRELLIS_RETURN_IF_ERROR(release->Run());
      outcomes.push_back(std::move(outcome));
    }
    // One commit, one fsync (synchronous=FULL) for the whole batch.
    return (*txn)->Commit();
  }(*submit_conn_));
  return outcomes;
}

Result<CampaignRatings> SqliteCampaignStore::LoadRatings(std::string_view partnership_id,
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
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    auto bind = [&](Statement& s) { s.Bind(1, campaign_id); };
    constexpr std::string_view kSubmitted =
        " FROM nominations n JOIN responses r ON r.nomination_id = n.id AND r.submitted = 1 ";
    TRELLIS_RETURN_IF_ERROR(
        Query(conn,
              "SELECT n.id, n.subject_id, n.grp, a.item_code, a.score" + std::string(kSubmitted) +
                  "JOIN response_answers a ON a.nomination_id = n.id "
                  "WHERE n.campaign_id = ? AND n.status = 'approved'",
              what, bind, [&](Statement& s) {
                auto it = items.find(s.Text(3));
                if (it == items.end()) return Status::Ok();
                std::optional<model::RaterGroup> group = model::ParseRaterGroup(s.Text(2));
                if (!group)
                  return Status::Internal("unknown stored rater group " + Quoted(s.Text(2)));
                model::RatingRow row;
                row.subject = s.Text(1);
                row.rater = *group == model::RaterGroup::kSelf ? row.subject : s.Text(0);
                row.group = *group;
                row.item = it->second.second;
                row.score = s.IsNull(4) ? model::kNotObserved : static_cast<int8_t>(s.Int(4));
                rows[it->second.first].push_back(std::move(row));
                return Status::Ok();
              }));
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT n.subject_id, n.grp, m.domain_code, m.comment_text" + std::string(kSubmitted) +
            "JOIN response_comments m ON m.nomination_id = n.id "
            "WHERE n.campaign_id = ? AND n.status = 'approved' "
            "ORDER BY n.subject_id, m.domain_code, n.id",
        what, bind, [&](Statement& s) {
          std::optional<model::RaterGroup> group = model::ParseRaterGroup(s.Text(1));
          if (!group) return Status::Internal("unknown stored rater group " + Quoted(s.Text(1)));
          out.comments.push_back({s.Text(0), *group, s.Text(2), s.Text(3)});
          return Status::Ok();
        }));
    return (*txn)->Commit();
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
  return Query(
      conn,
      "SELECT p.organisation_id, " + std::string(kProgressCounts) +
          "FROM nominations n JOIN people p ON p.id = n.subject_id "
          "WHERE n.campaign_id = ? AND n.status = 'approved' "
          "GROUP BY p.organisation_id ORDER BY p.organisation_id",
      what, [&](Statement& s) { s.Bind(1, campaign_id); },
      [&](Statement& s) {
        out.push_back({s.Text(0), static_cast<int>(s.Int(1)), static_cast<int>(s.Int(2)),
                       static_cast<int>(s.Int(3))});
        return Status::Ok();
      });
}

}  // namespace

Result<CampaignProgress> SqliteCampaignStore::Progress(std::string_view partnership_id,
                                                       std::string_view campaign_id) {
  const std::string what = "counting the responses of campaign " + Quoted(campaign_id);
  CampaignProgress out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    TRELLIS_RETURN_IF_ERROR(Query(
        conn,
        "SELECT n.subject_id, n.grp, " + std::string(kProgressCounts) +
            "FROM nominations n WHERE n.campaign_id = ? AND n.status = 'approved' "
            "GROUP BY n.subject_id, n.grp",
        what, [&](Statement& s) { s.Bind(1, campaign_id); },
        [&](Statement& s) {
          std::optional<model::RaterGroup> group = model::ParseRaterGroup(s.Text(1));
          if (!group) return Status::Internal("unknown stored rater group " + Quoted(s.Text(1)));
          out.by_subject_group.push_back({s.Text(0), *group, static_cast<int>(s.Int(2)),
                                          static_cast<int>(s.Int(3)), static_cast<int>(s.Int(4))});
          return Status::Ok();
        }));
    TRELLIS_RETURN_IF_ERROR(
        QueryOrganisationProgress(conn, campaign_id, what, out.by_organisation));
    return (*txn)->Commit();
  }));
  std::sort(out.by_subject_group.begin(), out.by_subject_group.end(),
            [](const GroupProgress& a, const GroupProgress& b) {
              return std::tie(a.subject_id, a.group) < std::tie(b.subject_id, b.group);
            });
  return out;
}

Result<std::vector<OrganisationProgress>> SqliteCampaignStore::ProgressByOrganisation(
    std::string_view partnership_id, std::string_view campaign_id) {
  const std::string what = "counting the responses of campaign " + Quoted(campaign_id);
  std::vector<OrganisationProgress> out;
  TRELLIS_RETURN_IF_ERROR(store_.WithConnection([&](Connection& conn) -> Status {
    Result<std::unique_ptr<Transaction>> txn =
        Transaction::Begin(conn, Transaction::Kind::kRead, what);
    if (!txn.ok()) return txn.status();
    TRELLIS_RETURN_IF_ERROR(RequireCampaign(conn, partnership_id, campaign_id, what));
    TRELLIS_RETURN_IF_ERROR(QueryOrganisationProgress(conn, campaign_id, what, out));
    return (*txn)->Commit();
  }));
  return out;
}

}  // namespace trellis::storage
