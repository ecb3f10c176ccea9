// storage/plan_sql.cc — the PlanStore's queries (see plan_sql.h). Every query on plan data is
// scoped by the partnership: plans and resources by their partnership_id column, a plan's parts
// through `plan_id IN (SELECT id FROM development_plans WHERE partnership_id = …)`. Writes check
// what they can name (a missing plan, priority or account) inside the write transaction, so the
// checks cannot race, and leave the schema's foreign keys as the last line.
#include "storage/plan_sql.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace trellis::storage {

std::string_view ActionStatusName(ActionStatus status) {
  switch (status) {
    case ActionStatus::kNotStarted:
      return "not_started";
    case ActionStatus::kInProgress:
      return "in_progress";
    case ActionStatus::kDone:
      return "done";
    case ActionStatus::kDropped:
      return "dropped";
  }
  return "not_started";
}

std::optional<ActionStatus> ParseActionStatus(std::string_view text) {
  for (ActionStatus s : {ActionStatus::kNotStarted, ActionStatus::kInProgress, ActionStatus::kDone,
                         ActionStatus::kDropped}) {
    if (ActionStatusName(s) == text) return s;
  }
  return std::nullopt;
}

std::string_view ShareRoleName(ShareRole role) {
  return role == ShareRole::kLineManager ? "line_manager" : "coach";
}

std::optional<ShareRole> ParseShareRole(std::string_view text) {
  if (text == "line_manager") return ShareRole::kLineManager;
  if (text == "coach") return ShareRole::kCoach;
  return std::nullopt;
}

namespace plan_sql {
namespace {

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

SqlValue V(std::string_view s) { return std::string(s); }
SqlValue Optional(std::string_view s) { return s.empty() ? SqlValue() : SqlValue(std::string(s)); }

// The sub-select of a partnership's plan ids ($1 is the partnership).
constexpr char kPlansOf1[] = "(SELECT id FROM development_plans WHERE partnership_id = $1)";

Status CheckResource(const LearningResource& r) {
  if (r.id.empty()) return Status::InvalidArgument("a learning resource needs an id");
  if (r.title.empty()) return Status::InvalidArgument("field 'title': a resource needs a title");
  if (r.url.empty() && r.description.empty()) {
    return Status::InvalidArgument("field 'url': give a link or a description");
  }
  return Status::Ok();
}

Result<bool> Exists(Session& s, std::string_view sql, const std::vector<SqlValue>& params,
                    std::string_view what) {
  Result<std::vector<SqlRow>> rows = s.Query(sql, params, 1, what);
  if (!rows.ok()) return rows.status();
  return !rows->empty();
}

Status RequirePlan(Session& s, std::string_view pid, std::string_view plan_id,
                   std::string_view what) {
  Result<bool> found =
      Exists(s, "SELECT 1 FROM development_plans WHERE partnership_id = $1 AND id = $2",
             {V(pid), V(plan_id)}, what);
  if (!found.ok()) return found.status();
  if (!*found) return Status::NotFound("no development plan " + Quoted(plan_id));
  return Status::Ok();
}

Status RequirePriority(Session& s, std::string_view pid, std::string_view plan_id,
                       std::string_view code, std::string_view what) {
  TRELLIS_RETURN_IF_ERROR(RequirePlan(s, pid, plan_id, what));
  Result<bool> found =
      Exists(s, "SELECT 1 FROM plan_priorities WHERE plan_id = $1 AND competency_code = $2",
             {V(plan_id), V(code)}, what);
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("competency " + Quoted(code) + " is not a priority of this plan");
  }
  return Status::Ok();
}

Status TouchPlan(Session& s, std::string_view plan_id, std::string_view at, std::string_view what) {
  return s
      .Exec("UPDATE development_plans SET updated_at = $1 WHERE id = $2", {V(at), V(plan_id)}, what)
      .status();
}

Status InsertTags(Session& s, const LearningResource& r, std::string_view what) {
  std::set<std::string> codes(r.competency_codes.begin(), r.competency_codes.end());
  for (const std::string& code : codes) {
    if (code.empty()) continue;
    TRELLIS_RETURN_IF_ERROR(
        s.Exec("INSERT INTO learning_resource_tags (resource_id, competency_code) VALUES ($1, $2)",
               {V(r.id), V(code)}, what)
            .status());
  }
  return Status::Ok();
}

int ToInt(const std::string& text) {
  try {
    return std::stoi(text);
  } catch (const std::exception&) {
    return 0;
  }
}

constexpr char kActionColumns[] =
    "id, competency_code, description, owner, due_on, status, last_reminded_at, created_at, "
    "updated_at";
Result<PlanAction> ActionFrom(const SqlRow& r, size_t first = 0) {
  PlanAction a;
  a.id = r[first + 0];
  a.competency_code = r[first + 1];
  a.description = r[first + 2];
  a.owner = r[first + 3];
  a.due_on = r[first + 4];
  std::optional<ActionStatus> status = ParseActionStatus(r[first + 5]);
  if (!status) return Status::Internal("stored action " + a.id + " has an unknown status");
  a.status = *status;
  a.last_reminded_at = r[first + 6];
  a.created_at = r[first + 7];
  a.updated_at = r[first + 8];
  return a;
}

bool ByDue(const PlanAction& a, const PlanAction& b) {
  return std::tie(a.due_on, a.id) < std::tie(b.due_on, b.id);
}

class SqlPlanStore final : public PlanStore {
 public:
  explicit SqlPlanStore(std::unique_ptr<Backend> backend) : db_(std::move(backend)) {}

  // --- catalogue ---

  Status AddResource(const LearningResource& r) override {
    TRELLIS_RETURN_IF_ERROR(CheckResource(r));
    const std::string what = "adding learning resource " + Quoted(r.title);
    return db_->Write(r.partnership_id, what, [&](Session& s) -> Status {
      Result<bool> partnership =
          Exists(s, "SELECT 1 FROM partnerships WHERE id = $1", {V(r.partnership_id)}, what);
      if (!partnership.ok()) return partnership.status();
      if (!*partnership) return Status::NotFound("no partnership " + Quoted(r.partnership_id));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("INSERT INTO learning_resources (id, partnership_id, title, url, description, "
                 "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                 {V(r.id), V(r.partnership_id), V(r.title), V(r.url), V(r.description),
                  V(r.created_at), V(r.updated_at)},
                 what)
              .status());
      return InsertTags(s, r, what);
    });
  }

  Status UpdateResource(const LearningResource& r) override {
    TRELLIS_RETURN_IF_ERROR(CheckResource(r));
    const std::string what = "changing learning resource " + Quoted(r.title);
    return db_->Write(r.partnership_id, what, [&](Session& s) -> Status {
      Result<int64_t> n = s.Exec(
          "UPDATE learning_resources SET title = $3, url = $4, description = $5, updated_at = $6 "
          "WHERE partnership_id = $1 AND id = $2",
          {V(r.partnership_id), V(r.id), V(r.title), V(r.url), V(r.description), V(r.updated_at)},
          what);
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::NotFound("no learning resource " + Quoted(r.id));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("DELETE FROM learning_resource_tags WHERE resource_id = $1", {V(r.id)}, what)
              .status());
      return InsertTags(s, r, what);
    });
  }

  Status DeleteResource(std::string_view pid, std::string_view id) override {
    const std::string what = "removing learning resource " + Quoted(id);
    return db_->Write(pid, what, [&](Session& s) -> Status {
      Result<bool> found =
          Exists(s, "SELECT 1 FROM learning_resources WHERE partnership_id = $1 AND id = $2",
                 {V(pid), V(id)}, what);
      if (!found.ok()) return found.status();
      if (!*found) return Status::NotFound("no learning resource " + Quoted(id));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("DELETE FROM learning_resource_tags WHERE resource_id = $1", {V(id)}, what)
              .status());
      return s
          .Exec("DELETE FROM learning_resources WHERE partnership_id = $1 AND id = $2",
                {V(pid), V(id)}, what)
          .status();
    });
  }

  Result<LearningResource> GetResource(std::string_view pid, std::string_view id) override {
    std::vector<LearningResource> out;
    TRELLIS_RETURN_IF_ERROR(ReadResources(pid, id, out));
    if (out.empty()) return Status::NotFound("no learning resource " + Quoted(id));
    return std::move(out.front());
  }

  Result<std::vector<LearningResource>> ListResources(std::string_view pid) override {
    std::vector<LearningResource> out;
    TRELLIS_RETURN_IF_ERROR(ReadResources(pid, "", out));
    std::sort(out.begin(), out.end(), [](const LearningResource& a, const LearningResource& b) {
      return std::tie(a.title, a.id) < std::tie(b.title, b.id);
    });
    return out;
  }

  // --- plans ---

  Status CreatePlan(const DevelopmentPlan& plan) override {
    if (plan.id.empty()) return Status::InvalidArgument("a development plan needs an id");
    if (plan.priorities.empty()) {
      return Status::InvalidArgument("field 'priorities': choose at least one competency");
    }
    std::set<std::string> codes;
    for (const PlanPriority& p : plan.priorities) {
      if (p.competency_code.empty() || !codes.insert(p.competency_code).second) {
        return Status::InvalidArgument("field 'priorities': competency " +
                                       Quoted(p.competency_code) + " is given twice or empty");
      }
    }
    const std::string what = "creating a development plan";
    const std::string& pid = plan.partnership_id;
    return db_->Write(pid, what, [&](Session& s) -> Status {
      Result<bool> person = Exists(
          s, "SELECT 1 FROM people WHERE partnership_id = $1 AND id = $2 AND erased_at IS NULL",
          {V(pid), V(plan.person_id)}, what);
      if (!person.ok()) return person.status();
      if (!*person) return Status::NotFound("no person " + Quoted(plan.person_id));
      Result<bool> campaign =
          Exists(s, "SELECT 1 FROM campaigns WHERE partnership_id = $1 AND id = $2",
                 {V(pid), V(plan.campaign_id)}, what);
      if (!campaign.ok()) return campaign.status();
      if (!*campaign) return Status::NotFound("no campaign " + Quoted(plan.campaign_id));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec(
               "INSERT INTO development_plans (id, partnership_id, person_id, campaign_id, "
               "framework_code, framework_version, created_at, updated_at) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
               {V(plan.id), V(pid), V(plan.person_id), V(plan.campaign_id), V(plan.framework_code),
                V(std::to_string(plan.framework_version)), V(plan.created_at), V(plan.updated_at)},
               what)
              .status());
      for (size_t i = 0; i < plan.priorities.size(); ++i) {
        const PlanPriority& p = plan.priorities[i];
        TRELLIS_RETURN_IF_ERROR(
            s.Exec("INSERT INTO plan_priorities (plan_id, competency_code, ordinal, goal) "
                   "VALUES ($1, $2, $3, $4)",
                   {V(plan.id), V(p.competency_code), V(std::to_string(i)), V(p.goal)}, what)
                .status());
      }
      return Status::Ok();
    });
  }

  Result<DevelopmentPlan> GetPlan(std::string_view pid, std::string_view plan_id) override {
    std::optional<DevelopmentPlan> out;
    const std::string what = "reading a development plan";
    TRELLIS_RETURN_IF_ERROR(db_->Read(what, [&](Session& s) -> Status {
      Result<std::vector<SqlRow>> head = s.Query(
          "SELECT id, partnership_id, person_id, campaign_id, framework_code, "
          "framework_version, created_at, updated_at FROM development_plans "
          "WHERE partnership_id = $1 AND id = $2",
          {V(pid), V(plan_id)}, 8, what);
      if (!head.ok()) return head.status();
      if (head->empty()) return Status::Ok();
      const SqlRow& h = head->front();
      DevelopmentPlan p;
      p.id = h[0];
      p.partnership_id = h[1];
      p.person_id = h[2];
      p.campaign_id = h[3];
      p.framework_code = h[4];
      p.framework_version = ToInt(h[5]);
      p.created_at = h[6];
      p.updated_at = h[7];
      const std::vector<SqlValue> id{V(p.id)};

      Result<std::vector<SqlRow>> rows =
          s.Query("SELECT competency_code, goal, ordinal FROM plan_priorities WHERE plan_id = $1",
                  id, 3, what);
      if (!rows.ok()) return rows.status();
      std::vector<std::pair<int, PlanPriority>> ordered;
      for (const SqlRow& r : *rows) ordered.push_back({ToInt(r[2]), {r[0], r[1]}});
      std::sort(ordered.begin(), ordered.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      for (auto& [pos, priority] : ordered) p.priorities.push_back(std::move(priority));

      rows =
          s.Query(std::string("SELECT ") + kActionColumns + " FROM plan_actions WHERE plan_id = $1",
                  id, 9, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        Result<PlanAction> a = ActionFrom(r);
        if (!a.ok()) return a.status();
        p.actions.push_back(std::move(*a));
      }
      std::sort(p.actions.begin(), p.actions.end(), ByDue);

      rows = s.Query(
          "SELECT id, competency_code, note, created_at FROM plan_evidence WHERE plan_id = $1", id,
          4, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) p.evidence.push_back({r[0], r[1], r[2], r[3]});
      std::sort(p.evidence.begin(), p.evidence.end(), [](const auto& a, const auto& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
      });

      rows = s.Query("SELECT account_id, role, shared_at FROM plan_shares WHERE plan_id = $1", id,
                     3, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        std::optional<ShareRole> role = ParseShareRole(r[1]);
        if (!role) return Status::Internal("stored share has an unknown role " + r[1]);
        p.shares.push_back({r[0], *role, r[2]});
      }
      std::sort(p.shares.begin(), p.shares.end(), [](const auto& a, const auto& b) {
        return std::tie(a.shared_at, a.account_id) < std::tie(b.shared_at, b.account_id);
      });

      rows = s.Query(
          "SELECT id, author_account_id, body, created_at FROM plan_comments WHERE plan_id = $1",
          id, 4, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) p.comments.push_back({r[0], r[1], r[2], r[3]});
      std::sort(p.comments.begin(), p.comments.end(), [](const auto& a, const auto& b) {
        return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
      });
      out = std::move(p);
      return Status::Ok();
    }));
    if (!out) return Status::NotFound("no development plan " + Quoted(plan_id));
    return std::move(*out);
  }

  Result<std::vector<PlanSummary>> ListPlansOf(std::string_view pid,
                                               std::string_view person_id) override {
    return ReadSummaries(
        "SELECT p.id, p.person_id, p.campaign_id, p.framework_code, p.framework_version, "
        "p.created_at FROM development_plans p WHERE p.partnership_id = $1 AND p.person_id = $2",
        pid, person_id);
  }

  Result<std::vector<PlanSummary>> ListPlansSharedWith(std::string_view pid,
                                                       std::string_view account_id) override {
    return ReadSummaries(
        "SELECT p.id, p.person_id, p.campaign_id, p.framework_code, p.framework_version, "
        "p.created_at FROM development_plans p JOIN plan_shares s ON s.plan_id = p.id "
        "WHERE p.partnership_id = $1 AND s.partnership_id = $1 AND s.account_id = $2",
        pid, account_id);
  }

  Result<std::vector<AuthoredComment>> ListCommentsBy(std::string_view pid,
                                                      std::string_view account_id) override {
    std::vector<AuthoredComment> out;
    const std::string what = "listing comments";
    TRELLIS_RETURN_IF_ERROR(db_->Read(what, [&](Session& s) -> Status {
      out.clear();
      Result<std::vector<SqlRow>> rows = s.Query(
          "SELECT p.id, p.person_id, c.id, c.author_account_id, c.body, c.created_at "
          "FROM plan_comments c JOIN development_plans p ON p.id = c.plan_id "
          "WHERE p.partnership_id = $1 AND c.author_account_id = $2",
          {V(pid), V(account_id)}, 6, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) out.push_back({r[0], r[1], {r[2], r[3], r[4], r[5]}});
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), [](const AuthoredComment& a, const AuthoredComment& b) {
      return std::tie(a.comment.created_at, a.comment.id) <
             std::tie(b.comment.created_at, b.comment.id);
    });
    return out;
  }

  Status SetGoal(std::string_view pid, std::string_view plan_id, std::string_view code,
                 std::string_view goal, std::string_view at) override {
    const std::string what = "setting a goal";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePriority(s, pid, plan_id, code, what));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("UPDATE plan_priorities SET goal = $1 WHERE plan_id = $2 AND competency_code = $3",
                 {V(goal), V(plan_id), V(code)}, what)
              .status());
      return TouchPlan(s, plan_id, at, what);
    });
  }

  Status AddAction(std::string_view pid, std::string_view plan_id, const PlanAction& a) override {
    if (a.id.empty()) return Status::InvalidArgument("an action needs an id");
    const std::string what = "adding an action";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePriority(s, pid, plan_id, a.competency_code, what));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("INSERT INTO plan_actions (id, plan_id, competency_code, description, owner, "
                 "due_on, status, last_reminded_at, created_at, updated_at) "
                 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                 {V(a.id), V(plan_id), V(a.competency_code), V(a.description), V(a.owner),
                  V(a.due_on), V(ActionStatusName(a.status)), Optional(a.last_reminded_at),
                  V(a.created_at), V(a.created_at)},
                 what)
              .status());
      return TouchPlan(s, plan_id, a.created_at, what);
    });
  }

  Status UpdateAction(std::string_view pid, std::string_view plan_id,
                      const PlanAction& a) override {
    const std::string what = "changing an action";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePlan(s, pid, plan_id, what));
      Result<int64_t> n = s.Exec(
          "UPDATE plan_actions SET description = $1, owner = $2, due_on = $3, status = $4, "
          "updated_at = $5 WHERE plan_id = $6 AND id = $7",
          {V(a.description), V(a.owner), V(a.due_on), V(ActionStatusName(a.status)),
           V(a.updated_at), V(plan_id), V(a.id)},
          what);
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::NotFound("no action " + Quoted(a.id) + " in this plan");
      return TouchPlan(s, plan_id, a.updated_at, what);
    });
  }

  Status AddEvidence(std::string_view pid, std::string_view plan_id,
                     const EvidenceNote& e) override {
    if (e.id.empty()) return Status::InvalidArgument("an evidence note needs an id");
    const std::string what = "adding evidence";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePriority(s, pid, plan_id, e.competency_code, what));
      TRELLIS_RETURN_IF_ERROR(
          s.Exec("INSERT INTO plan_evidence (id, plan_id, competency_code, note, created_at) "
                 "VALUES ($1, $2, $3, $4, $5)",
                 {V(e.id), V(plan_id), V(e.competency_code), V(e.note), V(e.created_at)}, what)
              .status());
      return TouchPlan(s, plan_id, e.created_at, what);
    });
  }

  Status Share(std::string_view pid, std::string_view plan_id, const PlanShare& share) override {
    const std::string what = "sharing a development plan";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePlan(s, pid, plan_id, what));
      Result<bool> account =
          Exists(s, "SELECT 1 FROM accounts WHERE partnership_id = $1 AND id = $2",
                 {V(pid), V(share.account_id)}, what);
      if (!account.ok()) return account.status();
      if (!*account) return Status::NotFound("no account " + Quoted(share.account_id));
      Result<int64_t> n =
          s.Exec("UPDATE plan_shares SET role = $1 WHERE plan_id = $2 AND account_id = $3",
                 {V(ShareRoleName(share.role)), V(plan_id), V(share.account_id)}, what);
      if (!n.ok()) return n.status();
      if (*n > 0) return Status::Ok();
      return s
          .Exec(
              "INSERT INTO plan_shares (plan_id, partnership_id, account_id, role, shared_at) "
              "VALUES ($1, $2, $3, $4, $5)",
              {V(plan_id), V(pid), V(share.account_id), V(ShareRoleName(share.role)),
               V(share.shared_at)},
              what)
          .status();
    });
  }

  Status Unshare(std::string_view pid, std::string_view plan_id,
                 std::string_view account_id) override {
    const std::string what = "ending a share of a development plan";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePlan(s, pid, plan_id, what));
      Result<int64_t> n = s.Exec(
          "DELETE FROM plan_shares WHERE partnership_id = $1 AND plan_id = $2 AND account_id = $3",
          {V(pid), V(plan_id), V(account_id)}, what);
      if (!n.ok()) return n.status();
      if (*n == 0) return Status::NotFound("the plan is not shared with " + Quoted(account_id));
      return Status::Ok();
    });
  }

  Status AddComment(std::string_view pid, std::string_view plan_id, const PlanComment& c) override {
    if (c.id.empty()) return Status::InvalidArgument("a comment needs an id");
    const std::string what = "adding a comment";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      TRELLIS_RETURN_IF_ERROR(RequirePlan(s, pid, plan_id, what));
      Result<bool> account =
          Exists(s, "SELECT 1 FROM accounts WHERE partnership_id = $1 AND id = $2",
                 {V(pid), V(c.author_account_id)}, what);
      if (!account.ok()) return account.status();
      if (!*account) return Status::NotFound("no account " + Quoted(c.author_account_id));
      return s
          .Exec(
              "INSERT INTO plan_comments (id, plan_id, author_account_id, body, created_at) "
              "VALUES ($1, $2, $3, $4, $5)",
              {V(c.id), V(plan_id), V(c.author_account_id), V(c.body), V(c.created_at)}, what)
          .status();
    });
  }

  // --- overdue ---

  Result<std::vector<OverdueAction>> ListOverdue(std::string_view pid,
                                                 std::string_view today) override {
    std::vector<OverdueAction> out;
    const std::string what = "listing overdue actions";
    TRELLIS_RETURN_IF_ERROR(db_->Read(what, [&](Session& s) -> Status {
      Result<std::vector<SqlRow>> rows = s.Query(
          "SELECT p.id, p.person_id, a.id, a.competency_code, a.description, a.owner, a.due_on, "
          "a.status, a.last_reminded_at, a.created_at, a.updated_at "
          "FROM plan_actions a JOIN development_plans p ON p.id = a.plan_id "
          "WHERE p.partnership_id = $1 AND a.due_on < $2 AND a.status IN ('not_started', "
          "'in_progress')",
          {V(pid), V(today)}, 11, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        Result<PlanAction> a = ActionFrom(r, 2);
        if (!a.ok()) return a.status();
        out.push_back({r[0], r[1], std::move(*a)});
      }
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), [](const OverdueAction& a, const OverdueAction& b) {
      return std::tie(a.action.due_on, a.person_id, a.action.id) <
             std::tie(b.action.due_on, b.person_id, b.action.id);
    });
    return out;
  }

  Result<std::vector<std::string>> ClaimReminders(std::string_view pid,
                                                  const std::vector<std::string>& action_ids,
                                                  std::string_view quiet_since,
                                                  std::string_view at) override {
    const std::string what = "claiming reminders";
    std::vector<std::string> ids = action_ids;
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<std::string> claimed;
    TRELLIS_RETURN_IF_ERROR(db_->Write(pid, what, [&](Session& s) -> Status {
      claimed.clear();
      for (const std::string& id : ids) {
        // One statement each: under PostgreSQL's READ COMMITTED a concurrent claim of the same
        // row waits for the first transaction, then re-checks the condition against its value.
        Result<int64_t> n = s.Exec(
            std::string("UPDATE plan_actions SET last_reminded_at = $2 WHERE id = $3 AND "
                        "(last_reminded_at IS NULL OR last_reminded_at <= $4) AND plan_id IN ") +
                kPlansOf1,
            {V(pid), V(at), V(id), V(quiet_since)}, what);
        if (!n.ok()) return n.status();
        if (*n > 0) {
          claimed.push_back(id);
          continue;
        }
        Result<bool> found = Exists(
            s, std::string("SELECT 1 FROM plan_actions WHERE id = $2 AND plan_id IN ") + kPlansOf1,
            {V(pid), V(id)}, what);
        if (!found.ok()) return found.status();
        if (!*found) return Status::NotFound("no action " + Quoted(id));
      }
      return Status::Ok();
    }));
    return claimed;
  }

  Status ReleaseReminder(std::string_view pid, std::string_view action_id,
                         std::string_view claimed_at, std::string_view previous) override {
    const std::string what = "releasing a reminder";
    return db_->Write(pid, what, [&](Session& s) -> Status {
      return s
          .Exec(std::string("UPDATE plan_actions SET last_reminded_at = $2 WHERE id = $3 AND "
                            "last_reminded_at = $4 AND plan_id IN ") +
                    kPlansOf1,
                {V(pid), Optional(previous), V(action_id), V(claimed_at)}, what)
          .status();
    });
  }

 private:
  // Resources of the partnership (one when `id` is non-empty), with their tags.
  Status ReadResources(std::string_view pid, std::string_view id,
                       std::vector<LearningResource>& out) {
    const std::string what = "reading learning resources";
    return db_->Read(what, [&](Session& s) -> Status {
      std::string sql =
          "SELECT id, partnership_id, title, url, description, created_at, updated_at "
          "FROM learning_resources WHERE partnership_id = $1";
      std::vector<SqlValue> params{V(pid)};
      if (!id.empty()) {
        sql += " AND id = $2";
        params.push_back(V(id));
      }
      Result<std::vector<SqlRow>> rows = s.Query(sql, params, 7, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        out.push_back({r[0], r[1], r[2], r[3], r[4], {}, r[5], r[6]});
      }
      std::string tag_sql =
          "SELECT t.resource_id, t.competency_code FROM learning_resource_tags t "
          "JOIN learning_resources r ON r.id = t.resource_id WHERE r.partnership_id = $1";
      if (!id.empty()) tag_sql += " AND r.id = $2";
      Result<std::vector<SqlRow>> tags = s.Query(tag_sql, params, 2, what);
      if (!tags.ok()) return tags.status();
      for (LearningResource& r : out) {
        for (const SqlRow& t : *tags) {
          if (t[0] == r.id) r.competency_codes.push_back(t[1]);
        }
        std::sort(r.competency_codes.begin(), r.competency_codes.end());
      }
      return Status::Ok();
    });
  }

  // Plan summaries from `sql` ($1 partnership, $2 person or account), newest first.
  Result<std::vector<PlanSummary>> ReadSummaries(const std::string& sql, std::string_view pid,
                                                 std::string_view key) {
    std::vector<PlanSummary> out;
    const std::string what = "listing development plans";
    TRELLIS_RETURN_IF_ERROR(db_->Read(what, [&](Session& s) -> Status {
      Result<std::vector<SqlRow>> rows = s.Query(sql, {V(pid), V(key)}, 6, what);
      if (!rows.ok()) return rows.status();
      for (const SqlRow& r : *rows) {
        PlanSummary p{r[0], r[1], r[2], r[3], ToInt(r[4]), r[5], {}};
        Result<std::vector<SqlRow>> codes =
            s.Query("SELECT competency_code, ordinal FROM plan_priorities WHERE plan_id = $1",
                    {V(p.id)}, 2, what);
        if (!codes.ok()) return codes.status();
        std::vector<std::pair<int, std::string>> ordered;
        for (const SqlRow& c : *codes) ordered.push_back({ToInt(c[1]), c[0]});
        std::sort(ordered.begin(), ordered.end());
        for (auto& [pos, code] : ordered) p.priority_codes.push_back(std::move(code));
        out.push_back(std::move(p));
      }
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), [](const PlanSummary& a, const PlanSummary& b) {
      return std::tie(b.created_at, b.id) < std::tie(a.created_at, a.id);
    });
    return out;
  }

  std::unique_ptr<Backend> db_;
};

}  // namespace

std::unique_ptr<PlanStore> MakeSqlPlanStore(std::unique_ptr<Backend> backend) {
  return std::make_unique<SqlPlanStore>(std::move(backend));
}

}  // namespace plan_sql
}  // namespace trellis::storage
