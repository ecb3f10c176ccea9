// storage/plan_store.h — the persisted side of development plans (docs/plans.md): a
// partnership's catalogue of learning resources tagged by competency code, and people's plans
// with their priorities (goals), actions, evidence notes, shares and comments. Tables of
// migrations/0006_development_plans.sql, on the same database as the Store; a backend borrows
// that store's connection pool (as the directory and campaign stores do).
// Tenancy: every method takes the partnership the data belongs to and never reads or writes
// another partnership's rows (a record of partnership A is kNotFound through partnership B).
// Who may read or change a plan (its owner, a shared reader) is decided by
// service/plan_service.h; the store keeps the invariants its keys and checks hold.
// Ids are made by the caller (core/ids.h); timestamps are UTC text "2026-01-01T09:30:00Z" and
// dates "2026-01-31", supplied by the caller. Safe for concurrent use from many threads: each
// method is atomic. Every method returns kFailedPrecondition when migrations are pending and
// kUnavailable on I/O errors or a lock held too long; other codes are listed per method.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/store.h"

namespace trellis::storage {

// An entry of the partnership's learning-resource catalogue.
struct LearningResource {
  std::string id;
  std::string partnership_id;
  std::string title;                          // non-empty
  std::string url;                            // "" when described rather than linked
  std::string description;                    // "" when none; url or description is non-empty
  std::vector<std::string> competency_codes;  // tags, sorted, unique
  std::string created_at;
  std::string updated_at;
};

enum class ActionStatus { kNotStarted, kInProgress, kDone, kDropped };
// Wire names: "not_started", "in_progress", "done", "dropped".
std::string_view ActionStatusName(ActionStatus status);
std::optional<ActionStatus> ParseActionStatus(std::string_view text);

enum class ShareRole { kLineManager, kCoach };
// Wire names: "line_manager", "coach".
std::string_view ShareRoleName(ShareRole role);
std::optional<ShareRole> ParseShareRole(std::string_view text);

struct PlanPriority {
  std::string competency_code;
  std::string goal;  // "" until the owner writes one
};

struct PlanAction {
  std::string id;
  std::string competency_code;  // one of the plan's priorities
  std::string description;
  std::string owner;   // who does it, in words
  std::string due_on;  // ISO date
  ActionStatus status = ActionStatus::kNotStarted;
  std::string last_reminded_at;  // "" if never reminded
  std::string created_at;
  std::string updated_at;
};

struct EvidenceNote {
  std::string id;
  std::string competency_code;
  std::string note;
  std::string created_at;
};

struct PlanShare {
  std::string account_id;
  ShareRole role = ShareRole::kCoach;
  std::string shared_at;
};

struct PlanComment {
  std::string id;
  std::string author_account_id;
  std::string body;
  std::string created_at;
};

// A plan with all its parts. For CreatePlan only the header fields and priorities are read.
struct DevelopmentPlan {
  std::string id;
  std::string partnership_id;
  std::string person_id;  // the owner
  std::string campaign_id;
  std::string framework_code;
  int framework_version = 0;
  std::string created_at;
  std::string updated_at;
  std::vector<PlanPriority> priorities;  // in the owner's order
  std::vector<PlanAction> actions;       // by due date, then id
  std::vector<EvidenceNote> evidence;    // oldest first
  std::vector<PlanShare> shares;         // by shared_at, then account id
  std::vector<PlanComment> comments;     // oldest first
};

// A comment with the plan it is on, for listing what one account wrote.
struct AuthoredComment {
  std::string plan_id;
  std::string plan_person_id;  // the plan's owner
  PlanComment comment;
};

// A plan without its parts, for lists.
struct PlanSummary {
  std::string id;
  std::string person_id;
  std::string campaign_id;
  std::string framework_code;
  int framework_version = 0;
  std::string created_at;
  std::vector<std::string> priority_codes;  // in the owner's order
};

// An action past its due date that is neither done nor dropped, with whose plan it is in.
struct OverdueAction {
  std::string plan_id;
  std::string person_id;  // the plan's owner
  PlanAction action;
};

class PlanStore {
 public:
  virtual ~PlanStore() = default;

  // --- learning-resource catalogue ---

  // Adds `resource` (id, title and url or description non-empty; tags as given). kNotFound if
  // the partnership does not exist; kAlreadyExists if the id is taken; kInvalidArgument for an
  // empty id or title, or neither url nor description.
  virtual Status AddResource(const LearningResource& resource) = 0;
  // Replaces title, url, description, tags and updated_at of `resource.id`. kNotFound if the
  // partnership has no such resource; kInvalidArgument as AddResource.
  virtual Status UpdateResource(const LearningResource& resource) = 0;
  // Removes a resource and its tags. kNotFound if the partnership has no such resource.
  virtual Status DeleteResource(std::string_view partnership_id, std::string_view id) = 0;
  // kNotFound if the partnership has no resource `id`.
  virtual Result<LearningResource> GetResource(std::string_view partnership_id,
                                               std::string_view id) = 0;
  // The partnership's resources by title, then id.
  virtual Result<std::vector<LearningResource>> ListResources(std::string_view partnership_id) = 0;

  // --- plans ---

  // Stores a new plan with its priorities (at least one, codes unique; goals as given).
  // kNotFound if the person or campaign is not in the partnership; kAlreadyExists if the id is
  // taken; kInvalidArgument for an empty id, no priorities or a repeated code.
  virtual Status CreatePlan(const DevelopmentPlan& plan) = 0;
  // The plan with all its parts. kNotFound if it is not in the partnership.
  virtual Result<DevelopmentPlan> GetPlan(std::string_view partnership_id,
                                          std::string_view plan_id) = 0;
  // The plans of `person_id`, newest first (created_at, then id).
  virtual Result<std::vector<PlanSummary>> ListPlansOf(std::string_view partnership_id,
                                                       std::string_view person_id) = 0;
  // The plans shared with `account_id`, newest first.
  virtual Result<std::vector<PlanSummary>> ListPlansSharedWith(std::string_view partnership_id,
                                                               std::string_view account_id) = 0;
  // The comments `account_id` wrote on the partnership's plans, whoever owns them and whether
  // or not the plan is still shared with it, oldest first (created_at, then id).
  virtual Result<std::vector<AuthoredComment>> ListCommentsBy(std::string_view partnership_id,
                                                              std::string_view account_id) = 0;

  // Sets the goal of one priority and the plan's updated_at. kNotFound if the plan is not in the
  // partnership or has no such priority.
  virtual Status SetGoal(std::string_view partnership_id, std::string_view plan_id,
                         std::string_view competency_code, std::string_view goal,
                         std::string_view at) = 0;
  // Adds an action (id, competency_code, description, owner, due_on, status, created_at).
  // kNotFound if the plan is not in the partnership or has no such priority; kAlreadyExists if
  // the id is taken.
  virtual Status AddAction(std::string_view partnership_id, std::string_view plan_id,
                           const PlanAction& action) = 0;
  // Replaces description, owner, due_on and status of `action.id` (updated_at = action's).
  // kNotFound if the plan is not in the partnership or has no such action.
  virtual Status UpdateAction(std::string_view partnership_id, std::string_view plan_id,
                              const PlanAction& action) = 0;
  // Adds an evidence note. kNotFound as AddAction.
  virtual Status AddEvidence(std::string_view partnership_id, std::string_view plan_id,
                             const EvidenceNote& note) = 0;
  // Shares the plan with an account of the partnership, or changes the role of an existing
  // share. kNotFound if the plan or the account is not in the partnership.
  virtual Status Share(std::string_view partnership_id, std::string_view plan_id,
                       const PlanShare& share) = 0;
  // Ends a share. kNotFound if the plan is not in the partnership or not shared with the account.
  virtual Status Unshare(std::string_view partnership_id, std::string_view plan_id,
                         std::string_view account_id) = 0;
  // Adds a comment. kNotFound if the plan or the author's account is not in the partnership.
  virtual Status AddComment(std::string_view partnership_id, std::string_view plan_id,
                            const PlanComment& comment) = 0;

  // --- overdue actions ---

  // The partnership's actions due before `today` (ISO date) and neither done nor dropped, by
  // due date, then person, then action id.
  virtual Result<std::vector<OverdueAction>> ListOverdue(std::string_view partnership_id,
                                                         std::string_view today) = 0;
  // Claims the next reminder about a person's actions before the one email about them is sent:
  // in one write transaction, sets each action's last_reminded_at to `at` where it is NULL or not
  // after `quiet_since` (a conditional UPDATE per action, in id order), so that of several
  // reminder runs at once (servers sharing a database, a cron job) the first to claim one of a
  // person's actions claims all it can and the others find them taken: no person's actions are
  // split between two emails. Returns the ids this call claimed, in id order (none when another
  // run reminded them after `quiet_since`). kNotFound, claiming nothing, if any id is not an
  // action of the partnership.
  virtual Result<std::vector<std::string>> ClaimReminders(
      std::string_view partnership_id, const std::vector<std::string>& action_ids,
      std::string_view quiet_since, std::string_view at) = 0;
  // Gives a claim back when its email could not be sent: last_reminded_at returns to
  // `previous` ("" → NULL) if it is still `claimed_at`, so the next run tries again.
  virtual Status ReleaseReminder(std::string_view partnership_id, std::string_view action_id,
                                 std::string_view claimed_at, std::string_view previous) = 0;
};

// The PlanStore on the same database (and connection pool) as `store`, which must outlive it.
// kFailedPrecondition if `store` is of no known backend (SQLite, PostgreSQL).
Result<std::unique_ptr<PlanStore>> OpenPlanStore(Store& store);

}  // namespace trellis::storage
