// service/plan_service.cc — development plans: access (owner, shared reader, nobody else),
// validation, suggestions from the catalogue, overdue actions and their reminders.
#include "service/plan_service.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

#include "analytics/spc_date.h"
#include "core/ids.h"

namespace trellis::service {
namespace {

using storage::ActionStatus;
using storage::DevelopmentPlan;
using storage::LearningResource;
using storage::PlanAction;

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

std::string Trimmed(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const size_t last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// Longest text a field of a plan takes, in bytes: enough for a paragraph, bounded for storage.
constexpr size_t kMaxText = 4000;

Status CheckText(std::string_view text, std::string_view field, std::string_view label) {
  if (text.empty()) {
    return Status::InvalidArgument("field '" + std::string(field) + "': " + std::string(label) +
                                   " cannot be empty");
  }
  if (text.size() > kMaxText) {
    return Status::InvalidArgument("field '" + std::string(field) + "': " + std::string(label) +
                                   " is longer than " + std::to_string(kMaxText) + " characters");
  }
  return Status::Ok();
}

Status RequireAdmin(const Principal& who) {
  if (who.role != model::Role::kAdmin) {
    return Status::PermissionDenied("only the partnership's admins can do this");
  }
  return Status::Ok();
}

// Every competency of `f` in framework order.
std::vector<CompetencyChoice> CompetenciesOf(const model::Framework& f) {
  std::vector<CompetencyChoice> out;
  for (const model::Domain& d : f.domains)
    for (const model::Competency& c : d.competencies) out.push_back({c.code, c.title, d.title});
  return out;
}

// Codes separated by commas, semicolons or white space; unique, sorted.
std::vector<std::string> SplitTags(std::string_view text) {
  std::set<std::string> codes;
  std::string current;
  for (char c : std::string(text) + ",") {
    if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!current.empty()) codes.insert(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return {codes.begin(), codes.end()};
}

}  // namespace

bool IsOverdue(const PlanAction& action, std::string_view today) {
  return action.due_on < today &&
         (action.status == ActionStatus::kNotStarted || action.status == ActionStatus::kInProgress);
}

PlanService::PlanService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                         storage::DirectoryStore& directory, storage::PlanStore& plans,
                         Mailer* mailer, Options options)
    : frameworks_(frameworks),
      campaigns_(campaigns),
      directory_(directory),
      plans_(plans),
      mailer_(mailer),
      options_(std::move(options)) {}

TimePoint PlanService::NowPoint() const { return options_.clock ? options_.clock() : SystemNow(); }
std::string PlanService::Now() const { return UtcText(NowPoint()); }
std::string PlanService::Today() const { return Now().substr(0, 10); }

Status PlanService::Audit(const Principal& who, std::string action, std::string entity_type,
                          std::string entity_id, std::string detail) {
  storage::AuditEntry entry;
  entry.partnership_id = who.partnership_id;
  entry.at = Now();
  entry.actor = who.account_id;
  entry.action = std::move(action);
  entry.entity_type = std::move(entity_type);
  entry.entity_id = std::move(entity_id);
  entry.detail = std::move(detail);
  return directory_.AppendAudit(entry);
}

// --- access ---

Result<PlanService::Loaded> PlanService::Load(const Principal& who, std::string_view plan_id) {
  Result<DevelopmentPlan> plan = plans_.GetPlan(who.partnership_id, plan_id);
  if (!plan.ok()) return plan.status();
  if (!who.person_id.empty() && plan->person_id == who.person_id) {
    return Loaded{std::move(*plan), PlanAccess::kOwner};
  }
  for (const storage::PlanShare& s : plan->shares) {
    if (s.account_id == who.account_id) {
      PlanAccess access = s.role == storage::ShareRole::kLineManager ? PlanAccess::kLineManager
                                                                     : PlanAccess::kCoach;
      return Loaded{std::move(*plan), access};
    }
  }
  // Not theirs and not shared with them: the plan does not exist for them (the store's words).
  return Status::NotFound("no development plan " + Quoted(plan_id));
}

Result<PlanService::Loaded> PlanService::LoadOwned(const Principal& who, std::string_view plan_id) {
  Result<Loaded> loaded = Load(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  if (loaded->access != PlanAccess::kOwner) {
    return Status::PermissionDenied("only the plan's owner can change it; you may comment");
  }
  return loaded;
}

// --- the owner ---

Result<std::vector<model::Campaign>> PlanService::CampaignsFor(const Principal& who) {
  if (who.person_id.empty()) {
    return Status::FailedPrecondition(
        "your account is not linked to a person of the partnership, so it has no assessments "
        "to plan from; ask an admin to link it");
  }
  Result<std::vector<model::Campaign>> all = campaigns_.ListCampaigns(who.partnership_id);
  if (!all.ok()) return all.status();
  std::vector<model::Campaign> out;
  for (model::Campaign& c : *all) {
    if (c.state == model::CampaignState::kDraft) continue;
    if (std::find(c.subject_ids.begin(), c.subject_ids.end(), who.person_id) == c.subject_ids.end())
      continue;
    out.push_back(std::move(c));
  }
  return out;
}

Result<PlanCampaignChoice> PlanService::Choices(const Principal& who,
                                                std::string_view campaign_id) {
  Result<std::vector<model::Campaign>> mine = CampaignsFor(who);
  if (!mine.ok()) return mine.status();
  for (model::Campaign& c : *mine) {
    if (c.id != campaign_id) continue;
    Result<storage::StoredFramework> f =
        frameworks_.GetFramework(c.framework_code, c.framework_version);
    if (!f.ok()) return f.status();
    return PlanCampaignChoice{std::move(c), CompetenciesOf(f->framework)};
  }
  return Status::NotFound("no campaign " + Quoted(campaign_id) + " in which you were assessed");
}

Result<DevelopmentPlan> PlanService::Create(const Principal& who, std::string_view campaign_id,
                                            const std::vector<std::string>& competency_codes) {
  Result<PlanCampaignChoice> choice = Choices(who, campaign_id);
  if (!choice.ok()) return choice.status();
  if (competency_codes.empty()) {
    return Status::InvalidArgument("field 'priorities': choose at least one competency");
  }
  std::set<std::string> known, seen;
  for (const CompetencyChoice& c : choice->competencies) known.insert(c.code);
  DevelopmentPlan plan;
  for (const std::string& code : competency_codes) {
    if (!known.count(code)) {
      return Status::InvalidArgument("field 'priorities': " + Quoted(code) +
                                     " is not a competency of " + choice->campaign.framework_code +
                                     " version " +
                                     std::to_string(choice->campaign.framework_version));
    }
    if (!seen.insert(code).second) {
      return Status::InvalidArgument("field 'priorities': " + Quoted(code) + " is chosen twice");
    }
    plan.priorities.push_back({code, ""});
  }
  plan.id = NewId("pln");
  plan.partnership_id = who.partnership_id;
  plan.person_id = who.person_id;
  plan.campaign_id = choice->campaign.id;
  plan.framework_code = choice->campaign.framework_code;
  plan.framework_version = choice->campaign.framework_version;
  plan.created_at = Now();
  plan.updated_at = plan.created_at;
  TRELLIS_RETURN_IF_ERROR(plans_.CreatePlan(plan));
  TRELLIS_RETURN_IF_ERROR(Audit(
      who, "plan.created", "plan", plan.id,
      std::to_string(plan.priorities.size()) + " priorities, from campaign " + plan.campaign_id));
  return plan;
}

Result<MyPlans> PlanService::List(const Principal& who) {
  MyPlans out;
  std::map<std::string, std::string> names, campaign_names;
  auto person_name = [&](const std::string& id) -> std::string {
    auto it = names.find(id);
    if (it != names.end()) return it->second;
    Result<storage::StoredPerson> p = directory_.GetPerson(who.partnership_id, id);
    return names[id] = p.ok() ? p->person.name : "";
  };
  auto campaign_name = [&](const std::string& id) -> std::string {
    auto it = campaign_names.find(id);
    if (it != campaign_names.end()) return it->second;
    Result<model::Campaign> c = campaigns_.GetCampaign(who.partnership_id, id);
    return campaign_names[id] = c.ok() ? c->name : "";
  };
  if (!who.person_id.empty()) {
    Result<std::vector<storage::PlanSummary>> mine =
        plans_.ListPlansOf(who.partnership_id, who.person_id);
    if (!mine.ok()) return mine.status();
    for (storage::PlanSummary& s : *mine) {
      PlanListItem item{std::move(s), person_name(who.person_id), "", PlanAccess::kOwner};
      item.campaign_name = campaign_name(item.summary.campaign_id);
      out.mine.push_back(std::move(item));
    }
    Result<std::vector<storage::OverdueAction>> overdue =
        plans_.ListOverdue(who.partnership_id, Today());
    if (!overdue.ok()) return overdue.status();
    for (const storage::OverdueAction& o : *overdue) {
      if (o.person_id != who.person_id) continue;
      out.overdue.push_back({o.plan_id, o.person_id, person_name(o.person_id), o.action.id,
                             o.action.description, o.action.due_on, o.action.last_reminded_at});
    }
  }
  Result<std::vector<storage::PlanSummary>> shared =
      plans_.ListPlansSharedWith(who.partnership_id, who.account_id);
  if (!shared.ok()) return shared.status();
  for (storage::PlanSummary& s : *shared) {
    Result<Loaded> loaded = Load(who, s.id);  // for the role the plan was shared with
    if (!loaded.ok()) return loaded.status();
    PlanListItem item{std::move(s), "", "", loaded->access};
    item.owner_name = person_name(item.summary.person_id);
    item.campaign_name = campaign_name(item.summary.campaign_id);
    out.shared_with_me.push_back(std::move(item));
  }
  return out;
}

Result<PlanView> PlanService::Get(const Principal& who, std::string_view plan_id) {
  Result<Loaded> loaded = Load(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  PlanView view;
  view.access = loaded->access;
  view.plan = std::move(loaded->plan);
  view.today = Today();
  const DevelopmentPlan& plan = view.plan;
  Result<storage::StoredPerson> owner = directory_.GetPerson(who.partnership_id, plan.person_id);
  if (!owner.ok()) return owner.status();
  view.owner_name = owner->person.name;
  Result<model::Campaign> campaign = campaigns_.GetCampaign(who.partnership_id, plan.campaign_id);
  if (!campaign.ok()) return campaign.status();
  view.campaign_name = campaign->name;

  std::map<std::string, std::string> titles;
  Result<storage::StoredFramework> f =
      frameworks_.GetFramework(plan.framework_code, plan.framework_version);
  if (!f.ok()) return f.status();
  for (const CompetencyChoice& c : CompetenciesOf(f->framework)) titles[c.code] = c.title;
  Result<std::vector<LearningResource>> catalogue = plans_.ListResources(who.partnership_id);
  if (!catalogue.ok()) return catalogue.status();
  for (const storage::PlanPriority& p : plan.priorities) {
    PriorityView pv;
    pv.competency_code = p.competency_code;
    pv.title = titles.count(p.competency_code) ? titles[p.competency_code] : p.competency_code;
    pv.goal = p.goal;
    for (const PlanAction& a : plan.actions)
      if (a.competency_code == p.competency_code) pv.actions.push_back(a);
    for (const storage::EvidenceNote& e : plan.evidence)
      if (e.competency_code == p.competency_code) pv.evidence.push_back(e);
    for (const LearningResource& r : *catalogue) {
      if (std::find(r.competency_codes.begin(), r.competency_codes.end(), p.competency_code) !=
          r.competency_codes.end())
        pv.resources.push_back(r);
    }
    view.priorities.push_back(std::move(pv));
  }

  Result<std::vector<storage::StoredAccount>> accounts =
      directory_.ListAccounts(who.partnership_id);
  if (!accounts.ok()) return accounts.status();
  std::map<std::string, const model::Account*> by_id;
  for (const storage::StoredAccount& a : *accounts) by_id[a.account.id] = &a.account;
  for (const storage::PlanShare& s : plan.shares) {
    auto it = by_id.find(s.account_id);
    view.shares.push_back(
        {s.account_id, it != by_id.end() ? it->second->display_name : "", s.role, s.shared_at});
  }
  for (const storage::PlanComment& c : plan.comments) {
    auto it = by_id.find(c.author_account_id);
    const bool by_owner = it != by_id.end() && it->second->person_id == plan.person_id;
    view.comments.push_back(
        {it != by_id.end() ? it->second->display_name : "", by_owner, c.body, c.created_at});
  }
  return view;
}

Status PlanService::SetGoal(const Principal& who, std::string_view plan_id,
                            std::string_view competency_code, std::string_view goal) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  const std::string text = Trimmed(goal);
  if (text.size() > kMaxText) return CheckText(text, "goal", "The goal");
  return plans_.SetGoal(who.partnership_id, plan_id, competency_code, text, Now());
}

Result<PlanAction> PlanService::AddAction(const Principal& who, std::string_view plan_id,
                                          const ActionInput& input) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  PlanAction a;
  a.id = NewId("act");
  a.competency_code = input.competency_code;
  a.description = Trimmed(input.description);
  a.owner = Trimmed(input.owner);
  a.due_on = Trimmed(input.due_on);
  TRELLIS_RETURN_IF_ERROR(CheckText(a.description, "description", "The action"));
  if (!analytics::ParseIsoDate(a.due_on)) {
    return Status::InvalidArgument("field 'due_on': the due date must be a date (YYYY-MM-DD)");
  }
  if (!input.status.empty()) {
    std::optional<ActionStatus> status = storage::ParseActionStatus(input.status);
    if (!status)
      return Status::InvalidArgument("field 'status': unknown status " + Quoted(input.status));
    a.status = *status;
  }
  if (a.owner.empty()) {
    Result<storage::StoredPerson> owner =
        directory_.GetPerson(who.partnership_id, loaded->plan.person_id);
    if (!owner.ok()) return owner.status();
    a.owner = owner->person.name;
  }
  a.created_at = Now();
  a.updated_at = a.created_at;
  TRELLIS_RETURN_IF_ERROR(plans_.AddAction(who.partnership_id, plan_id, a));
  return a;
}

Status PlanService::SetActionStatus(const Principal& who, std::string_view plan_id,
                                    std::string_view action_id, std::string_view status) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  std::optional<ActionStatus> parsed = storage::ParseActionStatus(status);
  if (!parsed) return Status::InvalidArgument("field 'status': unknown status " + Quoted(status));
  for (PlanAction a : loaded->plan.actions) {
    if (a.id != action_id) continue;
    a.status = *parsed;
    a.updated_at = Now();
    return plans_.UpdateAction(who.partnership_id, plan_id, a);
  }
  return Status::NotFound("no action " + Quoted(action_id) + " in this plan");
}

Status PlanService::AddEvidence(const Principal& who, std::string_view plan_id,
                                std::string_view competency_code, std::string_view note) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  const std::string text = Trimmed(note);
  TRELLIS_RETURN_IF_ERROR(CheckText(text, "note", "The evidence note"));
  return plans_.AddEvidence(who.partnership_id, plan_id,
                            {NewId("evd"), std::string(competency_code), text, Now()});
}

Status PlanService::Share(const Principal& who, std::string_view plan_id, std::string_view email,
                          std::string_view role) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  std::optional<storage::ShareRole> parsed = storage::ParseShareRole(role);
  if (!parsed) {
    return Status::InvalidArgument("field 'role': share as line_manager or coach, not " +
                                   Quoted(role));
  }
  Result<std::optional<storage::StoredAccount>> found =
      storage::FindPartnershipAccountByEmail(directory_, who.partnership_id, Trimmed(email));
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("field 'email': no account of your partnership signs in as " +
                            Quoted(Trimmed(email)));
  }
  const model::Account& to = (*found)->account;
  if (to.id == who.account_id || to.person_id == loaded->plan.person_id)
    return Status::InvalidArgument("field 'email': that is your own account");
  TRELLIS_RETURN_IF_ERROR(plans_.Share(who.partnership_id, plan_id, {to.id, *parsed, Now()}));
  return Audit(who, "plan.shared", "plan", std::string(plan_id),
               "with account " + to.id + " as " + std::string(role));
}

Status PlanService::Revoke(const Principal& who, std::string_view plan_id,
                           std::string_view account_id) {
  Result<Loaded> loaded = LoadOwned(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  TRELLIS_RETURN_IF_ERROR(plans_.Unshare(who.partnership_id, plan_id, account_id));
  return Audit(who, "plan.unshared", "plan", std::string(plan_id),
               "account " + std::string(account_id));
}

Status PlanService::Comment(const Principal& who, std::string_view plan_id, std::string_view body) {
  Result<Loaded> loaded = Load(who, plan_id);
  if (!loaded.ok()) return loaded.status();
  const std::string text = Trimmed(body);
  TRELLIS_RETURN_IF_ERROR(CheckText(text, "body", "The comment"));
  return plans_.AddComment(who.partnership_id, plan_id,
                           {NewId("cmt"), who.account_id, text, Now()});
}

// --- admins ---

Result<std::vector<OverdueItem>> PlanService::Overdue(const Principal& admin) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  Result<std::vector<storage::OverdueAction>> overdue =
      plans_.ListOverdue(admin.partnership_id, Today());
  if (!overdue.ok()) return overdue.status();
  std::map<std::string, std::string> names;
  std::vector<OverdueItem> out;
  for (const storage::OverdueAction& o : *overdue) {
    if (!names.count(o.person_id)) {
      Result<storage::StoredPerson> p = directory_.GetPerson(admin.partnership_id, o.person_id);
      names[o.person_id] = p.ok() ? p->person.name : "";
    }
    out.push_back({o.plan_id, o.person_id, names[o.person_id], o.action.id, o.action.description,
                   o.action.due_on, o.action.last_reminded_at});
  }
  return out;
}

Result<ReminderRun> PlanService::RemindOverdue(const Principal& admin) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  Result<ReminderRun> run = SendReminders(admin.partnership_id);
  if (!run.ok()) return run;
  TRELLIS_RETURN_IF_ERROR(Audit(admin, "plan.reminders_sent", "plans", admin.partnership_id,
                                std::to_string(run->emails) + " emails about " +
                                    std::to_string(run->actions) + " overdue actions"));
  return run;
}

Result<std::vector<LearningResource>> PlanService::Resources(const Principal& admin) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  return plans_.ListResources(admin.partnership_id);
}

Result<LearningResource> PlanService::ResourceFrom(const ResourceInput& in) const {
  LearningResource r;
  r.title = Trimmed(in.title);
  r.url = Trimmed(in.url);
  r.description = Trimmed(in.description);
  r.competency_codes = SplitTags(in.tags);
  TRELLIS_RETURN_IF_ERROR(CheckText(r.title, "title", "The title"));
  if (!r.url.empty() && !r.url.starts_with("https://") && !r.url.starts_with("http://")) {
    return Status::InvalidArgument("field 'url': a link starts with https:// or http://");
  }
  if (r.url.empty() && r.description.empty()) {
    return Status::InvalidArgument("field 'url': give a link or a description");
  }
  if (r.description.size() > kMaxText) return CheckText(r.description, "description", "It");
  return r;
}

Result<LearningResource> PlanService::AddResource(const Principal& admin, const ResourceInput& in) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  Result<LearningResource> r = ResourceFrom(in);
  if (!r.ok()) return r.status();
  r->id = NewId("res");
  r->partnership_id = admin.partnership_id;
  r->created_at = Now();
  r->updated_at = r->created_at;
  TRELLIS_RETURN_IF_ERROR(plans_.AddResource(*r));
  TRELLIS_RETURN_IF_ERROR(Audit(admin, "resource.added", "learning_resource", r->id,
                                std::to_string(r->competency_codes.size()) + " tags"));
  return r;
}

Status PlanService::UpdateResource(const Principal& admin, std::string_view id,
                                   const ResourceInput& in) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  Result<LearningResource> old = plans_.GetResource(admin.partnership_id, id);
  if (!old.ok()) return old.status();
  Result<LearningResource> r = ResourceFrom(in);
  if (!r.ok()) return r.status();
  r->id = old->id;
  r->partnership_id = admin.partnership_id;
  r->created_at = old->created_at;
  r->updated_at = Now();
  TRELLIS_RETURN_IF_ERROR(plans_.UpdateResource(*r));
  return Audit(admin, "resource.changed", "learning_resource", r->id,
               "title, link, description, " + std::to_string(r->competency_codes.size()) + " tags");
}

Status PlanService::DeleteResource(const Principal& admin, std::string_view id) {
  TRELLIS_RETURN_IF_ERROR(RequireAdmin(admin));
  TRELLIS_RETURN_IF_ERROR(plans_.DeleteResource(admin.partnership_id, id));
  return Audit(admin, "resource.removed", "learning_resource", std::string(id), "removed");
}

// --- operators ---

Result<ReminderRun> PlanService::SendReminders(std::string_view partnership_id) {
  if (mailer_ == nullptr) {
    return Status::FailedPrecondition(
        "no mail server is configured, so reminders cannot be sent (see docs/operations.md, "
        "\"Email\")");
  }
  Result<std::vector<storage::OverdueAction>> overdue = plans_.ListOverdue(partnership_id, Today());
  if (!overdue.ok()) return overdue.status();
  const std::string quiet_since =
      UtcText(NowPoint() - std::chrono::days(std::max(0, options_.reminder_quiet_days)));
  // Due reminders grouped by person, in due-date order.
  std::map<std::string, std::vector<const storage::OverdueAction*>> by_person;
  for (const storage::OverdueAction& o : *overdue) {
    if (!o.action.last_reminded_at.empty() && o.action.last_reminded_at > quiet_since) continue;
    by_person[o.person_id].push_back(&o);
  }
  ReminderRun run;
  const std::string at = Now();
  for (auto& [person_id, due] : by_person) {
    Result<storage::StoredPerson> person = directory_.GetPerson(partnership_id, person_id);
    if (!person.ok()) return person.status();
    if (person->erased() || person->person.email.empty()) continue;
    // The person's actions are claimed together before the email goes: of several runs at once
    // (servers sharing the database, a cron job) only the one that claims an action reminds
    // about it, and one person's actions go in one email.
    std::vector<std::string> ids;
    for (const storage::OverdueAction* o : due) ids.push_back(o->action.id);
    Result<std::vector<std::string>> claimed =
        plans_.ClaimReminders(partnership_id, ids, quiet_since, at);
    // Gone since the list was read (the person erased between the check above and the claim):
    // the others' reminders are still due, so the run goes on.
    if (claimed.status().code() == StatusCode::kNotFound) continue;
    if (!claimed.ok()) return claimed.status();
    const std::set<std::string> mine(claimed->begin(), claimed->end());
    std::vector<const storage::OverdueAction*> actions;
    for (const storage::OverdueAction* o : due) {
      if (mine.count(o->action.id) > 0) actions.push_back(o);
    }
    if (actions.empty()) continue;
    std::string text = "Hello " + person->person.name + ",\n\n" +
                       (actions.size() == 1
                            ? std::string("An action in your development plan is past its due date")
                            : std::to_string(actions.size()) +
                                  " actions in your development plan are past their due dates") +
                       ":\n\n";
    for (const storage::OverdueAction* o : actions) {
      text += "- " + o->action.description + " (due " + o->action.due_on + ")\n  " +
              options_.base_url + "/plans/" + o->plan_id + "\n";
    }
    text +=
        "\nMark each done, move its date or drop it in your plan; this reminder comes again in " +
        std::to_string(options_.reminder_quiet_days) + " days while it stays overdue.\n";
    const std::string subject = "Development plan: " + std::to_string(actions.size()) +
                                " overdue action" + (actions.size() == 1 ? "" : "s");
    Status sent = mailer_->Send(person->person.email, subject, text);
    if (!sent.ok()) {
      // Not sent: every claim goes back, so the next run tries again. A release that fails
      // does not stop the others; its error ends the run after them.
      Status released = Status::Ok();
      for (const storage::OverdueAction* o : actions) {
        Status r =
            plans_.ReleaseReminder(partnership_id, o->action.id, at, o->action.last_reminded_at);
        if (!r.ok() && released.ok()) released = r;
      }
      TRELLIS_RETURN_IF_ERROR(released);
      run.failed.push_back({person_id, sent});
      continue;
    }
    ++run.emails;
    run.actions += static_cast<int>(actions.size());
  }
  return run;
}

Result<ReminderRun> PlanService::SendAllReminders() {
  Result<std::vector<model::Partnership>> partnerships = directory_.ListPartnerships();
  if (!partnerships.ok()) return partnerships.status();
  ReminderRun total;
  for (const model::Partnership& p : *partnerships) {
    Result<ReminderRun> run = SendReminders(p.id);
    if (!run.ok()) return run.status();
    total.emails += run->emails;
    total.actions += run->actions;
    for (auto& f : run->failed) total.failed.push_back(std::move(f));
  }
  return total;
}

Result<std::vector<std::string>> PlanService::PriorityCompetencies(std::string_view partnership_id,
                                                                   std::string_view person_id) {
  Result<std::vector<storage::PlanSummary>> plans = plans_.ListPlansOf(partnership_id, person_id);
  if (!plans.ok()) return plans.status();
  if (plans->empty()) return std::vector<std::string>{};
  return plans->front().priority_codes;  // newest first
}

Result<std::vector<storage::AuthoredComment>> PlanService::CommentsWrittenBy(
    std::string_view partnership_id, std::string_view account_id) {
  return plans_.ListCommentsBy(partnership_id, account_id);
}

}  // namespace trellis::service
