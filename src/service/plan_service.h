// service/plan_service.h — development plans (docs/plans.md): a person signed in with an account
// linked to them starts a plan from a campaign they were assessed in, choosing priority
// competencies of that framework version; writes goals, actions (owner, due date, status) and
// evidence; shares it with a line manager or coach (accounts of the partnership), who may read
// and comment. Nobody else sees a plan — not admins, not another partnership: to them it does
// not exist (kNotFound). Admins manage the learning-resource catalogue (suggested per priority
// by competency tag) and see the partnership's overdue actions (person, action, due date) and
// send their reminders by email, at most once per `reminder_quiet_days` per action.
// Plan creation, sharing and catalogue changes are written to the audit log (never content).
// Thread-safe when the stores and the mailer are: the service holds no mutable state.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "service/auth_service.h"
#include "service/mailer.h"
#include "service/utc_time.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/plan_store.h"
#include "storage/store.h"

namespace trellis::service {

// What the principal is to a plan.
enum class PlanAccess { kOwner, kLineManager, kCoach };

// True when `action` is past due on `today` (ISO date) and neither done nor dropped.
bool IsOverdue(const storage::PlanAction& action, std::string_view today);

struct CompetencyChoice {
  std::string code;
  std::string title;
  std::string domain_title;
};

// A campaign a plan can start from, with the competencies of its framework version.
struct PlanCampaignChoice {
  model::Campaign campaign;
  std::vector<CompetencyChoice> competencies;  // in framework order
};

struct PriorityView {
  std::string competency_code;
  std::string title;  // the competency's title in the plan's framework version
  std::string goal;
  std::vector<storage::PlanAction> actions;          // by due date
  std::vector<storage::EvidenceNote> evidence;       // oldest first
  std::vector<storage::LearningResource> resources;  // catalogue entries tagged with the code
};

struct ShareView {
  std::string account_id;
  std::string name;  // the account's display name
  storage::ShareRole role = storage::ShareRole::kCoach;
  std::string shared_at;
};

struct CommentView {
  std::string author_name;
  bool by_owner = false;
  std::string body;
  std::string created_at;
};

// A plan as its owner or a shared reader sees it.
struct PlanView {
  storage::DevelopmentPlan plan;
  PlanAccess access = PlanAccess::kOwner;
  std::string owner_name;
  std::string campaign_name;
  std::string today;                     // ISO date the view was made on, for overdue highlighting
  std::vector<PriorityView> priorities;  // in the owner's order
  std::vector<ShareView> shares;
  std::vector<CommentView> comments;
};

struct PlanListItem {
  storage::PlanSummary summary;
  std::string owner_name;
  std::string campaign_name;
  PlanAccess access = PlanAccess::kOwner;
};

// An overdue action as listed to its owner and to admins (no goals, evidence or comments).
struct OverdueItem {
  std::string plan_id;
  std::string person_id;
  std::string person_name;
  std::string action_id;
  std::string description;
  std::string due_on;
  std::string last_reminded_at;  // "" if never
};

struct MyPlans {
  std::vector<PlanListItem> mine;            // newest first
  std::vector<PlanListItem> shared_with_me;  // newest first
  std::vector<OverdueItem> overdue;          // the principal's own overdue actions
};

struct ActionInput {
  std::string competency_code;
  std::string description;
  std::string owner;   // "" → the plan owner's name
  std::string due_on;  // ISO date
  std::string status;  // wire name; "" → not_started
};

struct ResourceInput {
  std::string title;
  std::string url;  // http(s) URL or ""
  std::string description;
  std::string tags;  // competency codes separated by commas or spaces
};

// What a run of reminders did: one email per person, covering their due actions.
struct ReminderRun {
  int emails = 0;   // messages accepted by the mail server
  int actions = 0;  // actions those messages reminded about
  // People whose message failed, with the reason; their actions are not marked reminded, so
  // the next run tries again.
  std::vector<std::pair<std::string, Status>> failed;  // person id, error
};

class PlanService {
 public:
  struct Options {
    std::string base_url;         // prefix of links in reminders, without a trailing slash
    Clock clock;                  // nullptr → the system clock
    int reminder_quiet_days = 7;  // an action is reminded at most once in this many days
  };

  // The stores and the mailer (may be null: reminders are then refused) must outlive it.
  PlanService(storage::Store& frameworks, storage::CampaignStore& campaigns,
              storage::DirectoryStore& directory, storage::PlanStore& plans, Mailer* mailer,
              Options options);

  // --- the owner ---

  // The campaigns (not drafts) in which the principal's person is a subject, newest first.
  // kFailedPrecondition if the account is linked to no person.
  Result<std::vector<model::Campaign>> CampaignsFor(const Principal& who);
  // One of those campaigns with its competencies. kNotFound if it is not one of them.
  Result<PlanCampaignChoice> Choices(const Principal& who, std::string_view campaign_id);
  // Starts a plan from one of the principal's campaigns with the chosen priority competencies
  // (in the order given). kInvalidArgument "field 'priorities': …" for none, a repeat or a code
  // not in the campaign's framework version; kNotFound / kFailedPrecondition as Choices.
  Result<storage::DevelopmentPlan> Create(const Principal& who, std::string_view campaign_id,
                                          const std::vector<std::string>& competency_codes);
  // The principal's plans, those shared with them, and their own overdue actions.
  Result<MyPlans> List(const Principal& who);
  // A plan its owner or a shared reader may see. kNotFound for anyone else.
  Result<PlanView> Get(const Principal& who, std::string_view plan_id);

  // Owner only (a shared reader gets kPermissionDenied, anyone else kNotFound).
  // kInvalidArgument naming the field for empty text, a date not YYYY-MM-DD, an unknown status.
  Status SetGoal(const Principal& who, std::string_view plan_id, std::string_view competency_code,
                 std::string_view goal);
  Result<storage::PlanAction> AddAction(const Principal& who, std::string_view plan_id,
                                        const ActionInput& input);
  Status SetActionStatus(const Principal& who, std::string_view plan_id, std::string_view action_id,
                         std::string_view status);
  Status AddEvidence(const Principal& who, std::string_view plan_id,
                     std::string_view competency_code, std::string_view note);
  // Shares with the partnership's account of `email` as `role` ("line_manager" | "coach").
  // kNotFound "field 'email': …" if no account of the partnership has that email;
  // kInvalidArgument for the owner's own account or an unknown role.
  Status Share(const Principal& who, std::string_view plan_id, std::string_view email,
               std::string_view role);
  Status Revoke(const Principal& who, std::string_view plan_id, std::string_view account_id);
  // The owner or a shared reader. kInvalidArgument for an empty comment.
  Status Comment(const Principal& who, std::string_view plan_id, std::string_view body);

  // --- admins (kPermissionDenied for other roles) ---

  // The partnership's overdue actions: person, action, due date.
  Result<std::vector<OverdueItem>> Overdue(const Principal& admin);
  Result<ReminderRun> RemindOverdue(const Principal& admin);
  Result<std::vector<storage::LearningResource>> Resources(const Principal& admin);
  // kInvalidArgument "field 'title' / 'url': …" for no title, a url that is not http(s), or
  // neither url nor description.
  Result<storage::LearningResource> AddResource(const Principal& admin, const ResourceInput& in);
  Status UpdateResource(const Principal& admin, std::string_view id, const ResourceInput& in);
  Status DeleteResource(const Principal& admin, std::string_view id);

  // --- operators and other services ---

  // Reminds the owners of the partnership's overdue actions not reminded in the last
  // reminder_quiet_days days: one email per person, listing those actions with a link to each
  // plan. kFailedPrecondition when no mailer is configured.
  Result<ReminderRun> SendReminders(std::string_view partnership_id);
  // SendReminders for every partnership (`trellis plans remind`), summed.
  Result<ReminderRun> SendAllReminders();
  // The competency codes of the person's latest plan (empty if none), for the report's
  // highlighting of plan priorities.
  Result<std::vector<std::string>> PriorityCompetencies(std::string_view partnership_id,
                                                        std::string_view person_id);
  // The comments the account wrote on any plan of the partnership, oldest first
  // (PlanStore::ListCommentsBy). No access check: for a subject-access export, whose service
  // decides who may have them.
  Result<std::vector<storage::AuthoredComment>> CommentsWrittenBy(std::string_view partnership_id,
                                                                  std::string_view account_id);

 private:
  struct Loaded {
    storage::DevelopmentPlan plan;
    PlanAccess access;
  };
  // The plan if `who` may see it; kNotFound otherwise.
  Result<Loaded> Load(const Principal& who, std::string_view plan_id);
  // The plan if `who` owns it; kPermissionDenied for a shared reader, kNotFound otherwise.
  Result<Loaded> LoadOwned(const Principal& who, std::string_view plan_id);
  Status Audit(const Principal& who, std::string action, std::string entity_type,
               std::string entity_id, std::string detail);
  Result<storage::LearningResource> ResourceFrom(const ResourceInput& in) const;
  TimePoint NowPoint() const;
  std::string Now() const;
  std::string Today() const;

  storage::Store& frameworks_;
  storage::CampaignStore& campaigns_;
  storage::DirectoryStore& directory_;
  storage::PlanStore& plans_;
  Mailer* mailer_;
  Options options_;
};

}  // namespace trellis::service
