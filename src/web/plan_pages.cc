// web/plan_pages.cc — see plan_pages.h. A refused form on a plan re-renders the plan with the
// error summary (400/409); a plan the principal may not see is the 404 page; a change redirects
// (303) back to the plan at the part changed, so a reload does not repeat it.
#include "web/plan_pages.h"

#include <string>
#include <vector>

#include "service/plan_service.h"
#include "web/form_errors.h"
#include "web/plan_api.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

using service::PlanAccess;
using service::PlanService;
using storage::ActionStatus;

std::string PlanHref(const std::string& id) { return "/plans/" + PercentEncode(id); }

std::string StatusLabel(ActionStatus status) {
  switch (status) {
    case ActionStatus::kNotStarted:
      return "Not started";
    case ActionStatus::kInProgress:
      return "In progress";
    case ActionStatus::kDone:
      return "Done";
    case ActionStatus::kDropped:
      return "Dropped";
  }
  return "";
}

std::string AccessLabel(PlanAccess access) {
  switch (access) {
    case PlanAccess::kOwner:
      return "owner";
    case PlanAccess::kLineManager:
      return "line manager";
    case PlanAccess::kCoach:
      return "coach";
  }
  return "";
}

std::string RoleLabel(storage::ShareRole role) {
  return role == storage::ShareRole::kLineManager ? "line manager" : "coach";
}

// The service, or null when the server was started without plans (then every route is 503).
PlanService* Plans(const AppContext& ctx) { return ctx.services.plans; }

Response NoPlans(const AppContext& ctx, const WebRequest& r) {
  return ctx.pages.Error(r.principal,
                         Status::Unavailable("development plans are not enabled on this server"));
}

// A refused form's status: user-facing codes are shown with the form; others are error pages.
bool ShownWithForm(const Status& s) {
  return s.code() == StatusCode::kInvalidArgument || s.code() == StatusCode::kFailedPrecondition ||
         s.code() == StatusCode::kAlreadyExists;
}

// --- /plans ---

PageData SummaryRow(const service::PlanListItem& item) {
  PageData row;
  row.set("href", PlanHref(item.summary.id));
  row.set("owner", item.owner_name);
  row.set("campaign", item.campaign_name);
  row.set("created", item.summary.created_at.substr(0, 10));
  row.set("as", AccessLabel(item.access));
  row.set("priorities", std::to_string(item.summary.priority_codes.size()));
  return row;
}

Response ListPage(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Result<service::MyPlans> list = plans->List(*r.principal);
  if (!list.ok()) return ctx.pages.Error(r.principal, list.status());
  PageData data;
  PageList mine, shared, overdue;
  for (const service::PlanListItem& item : list->mine) mine.push_back(SummaryRow(item));
  for (const service::PlanListItem& item : list->shared_with_me) shared.push_back(SummaryRow(item));
  for (const service::OverdueItem& o : list->overdue) {
    PageData row;
    row.set("href", PlanHref(o.plan_id));
    row.set("description", o.description);
    row.set("due", o.due_on);
    overdue.push_back(row);
  }
  data.set("mine", mine);
  data.set("no_mine", mine.empty());
  data.set("shared", shared);
  data.set("has_shared", !shared.empty());
  data.set("overdue", overdue);
  data.set("has_overdue", !overdue.empty());
  data.set("has_person", !r.principal->person_id.empty());
  return ctx.pages.Render(r.principal, "plans", "Development plans", data, 200, "/plans");
}

// --- /plans/new ---

Response NewPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors, int status,
                 const std::vector<std::string>& chosen = {}) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  PageData data;
  const std::string* campaign = r.form.Get("campaign_id") != nullptr ? r.form.Get("campaign_id")
                                                                     : r.request.Query("campaign");
  if (campaign == nullptr || campaign->empty()) {
    Result<std::vector<model::Campaign>> campaigns = plans->CampaignsFor(*r.principal);
    if (!campaigns.ok()) {
      if (campaigns.status().code() != StatusCode::kFailedPrecondition) {
        return ctx.pages.Error(r.principal, campaigns.status());
      }
      data.set("unlinked", campaigns.status().message());
    } else {
      PageList rows;
      for (const model::Campaign& c : *campaigns) {
        PageData row;
        row.set("name", c.name);
        row.set("href", "/plans/new?campaign=" + PercentEncode(c.id));
        row.set("window", c.opens_on + " to " + c.closes_on);
        rows.push_back(row);
      }
      data.set("campaigns", rows);
      data.set("no_campaigns", rows.empty());
    }
    data.set("choose_campaign", true);
    return ctx.pages.Render(r.principal, "plan_new", "Start a development plan", data, status,
                            "/plans");
  }
  Result<service::PlanCampaignChoice> choice = plans->Choices(*r.principal, *campaign);
  if (!choice.ok()) return ctx.pages.Error(r.principal, choice.status());
  data.set("campaign_id", choice->campaign.id);
  data.set("campaign", choice->campaign.name);
  PageList domains;
  std::string current_domain;
  PageList competencies;
  int n = 0;
  auto flush = [&] {
    if (current_domain.empty()) return;
    PageData d;
    d.set("domain", current_domain);
    d.set("competencies", competencies);
    domains.push_back(d);
    competencies = PageList();
  };
  for (const service::CompetencyChoice& c : choice->competencies) {
    if (c.domain_title != current_domain) {
      flush();
      current_domain = c.domain_title;
    }
    PageData item;
    item.set("n", std::to_string(++n));
    item.set("code", c.code);
    item.set("title", c.title);
    bool checked = false;
    for (const std::string& code : chosen) checked = checked || code == c.code;
    item.set("checked", checked);
    competencies.push_back(item);
  }
  flush();
  data.set("domains", domains);
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "plan_new", "Start a development plan", data, status,
                          "/plans");
}

std::vector<std::string> Values(const FormData& form, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [field, value] : form.fields) {
    if (field == name && !value.empty()) out.push_back(value);
  }
  return out;
}

Response CreatePlan(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  const std::vector<std::string> codes = Values(r.form, "priority");
  Result<storage::DevelopmentPlan> plan =
      plans->Create(*r.principal, r.form.Value("campaign_id"), codes);
  if (plan.ok()) return RedirectResponse(PlanHref(plan->id) + "?created=1");
  if (!ShownWithForm(plan.status())) return ctx.pages.Error(r.principal, plan.status());
  FormErrors errors;
  errors.AddStatus(plan.status(), {{"priorities", "priorities"}});
  return NewPage(ctx, r, errors, HttpStatusFor(plan.status().code()), codes);
}

// --- /plans/{id} ---

Response PlanPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors,
                  int status) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Result<service::PlanView> view = plans->Get(*r.principal, r.params.at("id"));
  if (!view.ok()) return ctx.pages.Error(r.principal, view.status());
  const bool owner = view->access == PlanAccess::kOwner;
  const std::string href = PlanHref(view->plan.id);
  PageData data;
  data.set("href", href);
  data.set("is_owner", owner);
  data.set("owner", view->owner_name);
  data.set("as", AccessLabel(view->access));
  data.set("campaign", view->campaign_name);
  data.set("created", view->plan.created_at.substr(0, 10));
  data.set("framework",
           view->plan.framework_code + " version " + std::to_string(view->plan.framework_version));
  PageList notices;
  auto notice = [&notices](std::string text) {
    PageData n;
    n.set("text", std::move(text));
    notices.push_back(n);
  };
  if (r.request.Query("created"))
    notice("Plan started. Write a goal and an action for each priority.");
  if (r.request.Query("shared")) notice("Plan shared.");
  if (r.request.Query("saved")) notice("Saved.");
  data.set("notices", notices);

  // A refused form is shown again with what was typed and the message beside its field; the
  // form's hidden "n" says which priority's form it was.
  auto typed = [&r](std::string_view name, const std::string& fallback = "") {
    const std::string* v = r.form.Get(name);
    return v ? *v : fallback;
  };
  const std::string refused_n = errors.empty() ? std::string() : r.form.Value("n");
  PageList priorities;
  int n = 0;
  for (const service::PriorityView& p : view->priorities) {
    PageData pd;
    const std::string ns = std::to_string(++n);
    const bool refused_here = !refused_n.empty() && refused_n == ns;
    pd.set("n", ns);
    pd.set("code", p.competency_code);
    pd.set("title", p.title);
    pd.set("goal", p.goal);
    pd.set("has_goal", !p.goal.empty());
    pd.set("goal_input", refused_here ? typed("goal", p.goal) : p.goal);
    pd.set("description_input", refused_here ? typed("description") : "");
    pd.set("owner_input", refused_here ? typed("owner") : "");
    pd.set("due_on_input", refused_here ? typed("due_on") : "");
    pd.set("note_input", refused_here ? typed("note") : "");
    for (const char* field : {"goal", "description", "due_on", "note"}) {
      const std::string message = errors.MessageFor(std::string(field) + "-" + ns);
      if (!message.empty()) pd.set(std::string(field) + "_error", message);
    }
    pd.set("action_refused", refused_here && r.form.Get("description") != nullptr);
    PageList actions;
    for (const storage::PlanAction& a : p.actions) {
      PageData ad;
      ad.set("id", a.id);
      ad.set("description", a.description);
      ad.set("owner", a.owner);
      ad.set("due", a.due_on);
      ad.set("status", StatusLabel(a.status));
      ad.set("overdue", service::IsOverdue(a, view->today));
      ad.set("status_href", href + "/actions/" + PercentEncode(a.id) + "/status");
      PageList options;
      for (ActionStatus s : {ActionStatus::kNotStarted, ActionStatus::kInProgress,
                             ActionStatus::kDone, ActionStatus::kDropped}) {
        PageData o;
        o.set("value", std::string(storage::ActionStatusName(s)));
        o.set("label", StatusLabel(s));
        o.set("selected", s == a.status);
        options.push_back(o);
      }
      ad.set("options", options);
      actions.push_back(ad);
    }
    pd.set("actions", actions);
    pd.set("no_actions", actions.empty());
    PageList evidence;
    for (const storage::EvidenceNote& e : p.evidence) {
      PageData ed;
      ed.set("note", e.note);
      ed.set("at", e.created_at.substr(0, 10));
      evidence.push_back(ed);
    }
    pd.set("evidence", evidence);
    pd.set("no_evidence", evidence.empty());
    PageList resources;
    for (const storage::LearningResource& res : p.resources) {
      PageData rd;
      rd.set("title", res.title);
      rd.set("url", res.url);
      rd.set("has_url", !res.url.empty());
      rd.set("description", res.description);
      resources.push_back(rd);
    }
    pd.set("resources", resources);
    pd.set("has_resources", !resources.empty());
    priorities.push_back(pd);
  }
  data.set("priorities", priorities);

  PageList shares;
  for (const service::ShareView& s : view->shares) {
    PageData sd;
    sd.set("name", s.name);
    sd.set("role", RoleLabel(s.role));
    sd.set("since", s.shared_at.substr(0, 10));
    sd.set("revoke", href + "/shares/" + PercentEncode(s.account_id) + "/revoke");
    shares.push_back(sd);
  }
  data.set("shares", shares);
  data.set("no_shares", shares.empty());
  PageList comments;
  for (const service::CommentView& c : view->comments) {
    PageData cd;
    cd.set("author", c.author_name + (c.by_owner ? " (owner)" : ""));
    cd.set("body", c.body);
    cd.set("at", c.created_at.substr(0, 16));
    comments.push_back(cd);
  }
  data.set("comments", comments);
  data.set("no_comments", comments.empty());
  data.set("share_email_input", errors.empty() ? std::string() : typed("email"));
  // A refused share keeps the role chosen, so resubmitting cannot grant the other one unseen.
  data.set("share_role_coach", !errors.empty() && typed("role") == "coach");
  data.set("comment_input", errors.empty() ? std::string() : typed("body"));
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "plan", "Development plan: " + view->owner_name, data,
                          status, "/plans");
}

// After a change to a plan: back to it (at `anchor`), or the plan with the refusal shown.
Response AfterChange(const AppContext& ctx, const WebRequest& r, const Status& status,
                     const std::string& anchor,
                     const std::vector<std::pair<std::string, std::string>>& fields = {}) {
  if (status.ok()) return RedirectResponse(PlanHref(r.params.at("id")) + "?saved=1#" + anchor);
  if (!ShownWithForm(status)) return ctx.pages.Error(r.principal, status);
  FormErrors errors;
  errors.AddStatus(status, fields);
  return PlanPage(ctx, r, errors, HttpStatusFor(status.code()));
}

// The 1-based index of the priority `code` in the form's "n" field, for error links.
std::string N(const WebRequest& r) { return r.form.Value("n"); }

Response SetGoal(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  return AfterChange(ctx, r,
                     plans->SetGoal(*r.principal, r.params.at("id"),
                                    r.form.Value("competency_code"), r.form.Value("goal")),
                     "priority-" + N(r), {{"goal", "goal-" + N(r)}});
}

Response AddAction(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  service::ActionInput input{r.form.Value("competency_code"), r.form.Value("description"),
                             r.form.Value("owner"), r.form.Value("due_on"), ""};
  Result<storage::PlanAction> added = plans->AddAction(*r.principal, r.params.at("id"), input);
  return AfterChange(ctx, r, added.status(), "priority-" + N(r),
                     {{"description", "description-" + N(r)}, {"due_on", "due_on-" + N(r)}});
}

Response SetActionStatus(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  return AfterChange(ctx, r,
                     plans->SetActionStatus(*r.principal, r.params.at("id"), r.params.at("action"),
                                            r.form.Value("status")),
                     "action-" + r.params.at("action"));
}

Response AddEvidence(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  return AfterChange(ctx, r,
                     plans->AddEvidence(*r.principal, r.params.at("id"),
                                        r.form.Value("competency_code"), r.form.Value("note")),
                     "priority-" + N(r), {{"note", "note-" + N(r)}});
}

Response Share(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Status shared =
      plans->Share(*r.principal, r.params.at("id"), r.form.Value("email"), r.form.Value("role"));
  // An unknown email is the form's problem, not a missing page.
  if (shared.code() == StatusCode::kNotFound && shared.message().starts_with("field 'email'")) {
    FormErrors errors;
    errors.AddStatus(shared, {{"email", "share-email"}});
    return PlanPage(ctx, r, errors, 400);
  }
  if (shared.ok()) return RedirectResponse(PlanHref(r.params.at("id")) + "?shared=1#sharing");
  return AfterChange(ctx, r, shared, "sharing", {{"email", "share-email"}, {"role", "share-role"}});
}

Response Revoke(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  return AfterChange(ctx, r, plans->Revoke(*r.principal, r.params.at("id"), r.params.at("account")),
                     "sharing");
}

Response AddComment(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  return AfterChange(ctx, r, plans->Comment(*r.principal, r.params.at("id"), r.form.Value("body")),
                     "comments", {{"body", "comment-body"}});
}

// --- admins: overdue actions and the catalogue ---

Response OverduePage(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Result<std::vector<service::OverdueItem>> overdue = plans->Overdue(*r.principal);
  if (!overdue.ok()) return ctx.pages.Error(r.principal, overdue.status());
  PageList rows;
  for (const service::OverdueItem& o : *overdue) {
    PageData row;
    row.set("person", o.person_name);
    row.set("description", o.description);
    row.set("due", o.due_on);
    row.set("reminded",
            o.last_reminded_at.empty() ? std::string("never") : o.last_reminded_at.substr(0, 10));
    rows.push_back(row);
  }
  PageData data;
  data.set("overdue", rows);
  data.set("none", rows.empty());
  PageList notices;
  if (const std::string* sent = r.request.Query("reminded")) {
    PageData n;
    n.set("text", *sent + " reminder email" + (*sent == "1" ? "" : "s") + " sent.");
    notices.push_back(n);
  }
  if (const std::string* failed = r.request.Query("failed"); failed && *failed != "0") {
    PageData n;
    n.set("text", *failed + " could not be sent; the next run tries again.");
    notices.push_back(n);
  }
  data.set("notices", notices);
  return ctx.pages.Render(r.principal, "plan_overdue", "Overdue development actions", data, 200,
                          "/plans");
}

Response Remind(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Result<service::ReminderRun> run = plans->RemindOverdue(*r.principal);
  if (!run.ok()) return ctx.pages.Error(r.principal, run.status());
  return RedirectResponse("/plans/overdue?reminded=" + std::to_string(run->emails) +
                          "&failed=" + std::to_string(run->failed.size()));
}

service::ResourceInput ResourceFromForm(const FormData& form) {
  return {form.Value("title"), form.Value("url"), form.Value("description"), form.Value("tags")};
}

Response ResourcesPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors,
                       int status, const service::ResourceInput& input = {}) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Result<std::vector<storage::LearningResource>> resources = plans->Resources(*r.principal);
  if (!resources.ok()) return ctx.pages.Error(r.principal, resources.status());
  PageList rows;
  int n = 0;
  for (const storage::LearningResource& res : *resources) {
    PageData row;
    row.set("n", std::to_string(++n));
    row.set("title", res.title);
    row.set("url", res.url);
    row.set("has_url", !res.url.empty());
    row.set("description", res.description);
    std::string tags;
    for (const std::string& code : res.competency_codes) tags += (tags.empty() ? "" : ", ") + code;
    row.set("tags", tags);
    row.set("href", "/resources/" + PercentEncode(res.id));
    rows.push_back(row);
  }
  PageData data;
  data.set("resources", rows);
  data.set("none", rows.empty());
  data.set("new_title", input.title);
  data.set("new_url", input.url);
  data.set("new_description", input.description);
  data.set("new_tags", input.tags);
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "resources", "Learning resources", data, status,
                          "/resources");
}

Response ResourceRefused(const AppContext& ctx, const WebRequest& r, const Status& status,
                         const service::ResourceInput& input) {
  if (!ShownWithForm(status)) return ctx.pages.Error(r.principal, status);
  FormErrors errors;
  errors.AddStatus(status, {{"title", "title"}, {"url", "url"}, {"description", "description"}});
  return ResourcesPage(ctx, r, errors, HttpStatusFor(status.code()), input);
}

Response AddResource(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  service::ResourceInput input = ResourceFromForm(r.form);
  Result<storage::LearningResource> added = plans->AddResource(*r.principal, input);
  if (!added.ok()) return ResourceRefused(ctx, r, added.status(), input);
  return RedirectResponse("/resources");
}

Response UpdateResource(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  service::ResourceInput input = ResourceFromForm(r.form);
  Status updated = plans->UpdateResource(*r.principal, r.params.at("id"), input);
  if (!updated.ok()) return ResourceRefused(ctx, r, updated, {});
  return RedirectResponse("/resources");
}

Response DeleteResource(const AppContext& ctx, const WebRequest& r) {
  PlanService* plans = Plans(ctx);
  if (plans == nullptr) return NoPlans(ctx, r);
  Status deleted = plans->DeleteResource(*r.principal, r.params.at("id"));
  if (!deleted.ok()) return ctx.pages.Error(r.principal, deleted);
  return RedirectResponse("/resources");
}

}  // namespace

Status AddPlanPages(RouteTable& routes, const AppContext& ctx) {
  using Handler = Response (*)(const AppContext&, const WebRequest&);
  auto add = [&routes, &ctx](std::string_view method, std::string_view pattern, Access access,
                             Handler handler) {
    return routes.Add(method, pattern, access, Surface::kPage,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  TRELLIS_RETURN_IF_ERROR(add("GET", "/plans", Access::kStaff, ListPage));
  TRELLIS_RETURN_IF_ERROR(add(
      "GET", "/plans/new", Access::kStaff,
      [](const AppContext& c, const WebRequest& r) { return NewPage(c, r, FormErrors{}, 200); }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans", Access::kStaff, CreatePlan));
  TRELLIS_RETURN_IF_ERROR(add(
      "GET", "/plans/{id}", Access::kStaff,
      [](const AppContext& c, const WebRequest& r) { return PlanPage(c, r, FormErrors{}, 200); }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/{id}/goals", Access::kStaff, SetGoal));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/{id}/actions", Access::kStaff, AddAction));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/plans/{id}/actions/{action}/status", Access::kStaff, SetActionStatus));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/{id}/evidence", Access::kStaff, AddEvidence));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/{id}/shares", Access::kStaff, Share));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/plans/{id}/shares/{account}/revoke", Access::kStaff, Revoke));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/{id}/comments", Access::kStaff, AddComment));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/plans/overdue", Access::kAdmin, OverduePage));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/plans/overdue/reminders", Access::kAdmin, Remind));
  TRELLIS_RETURN_IF_ERROR(
      add("GET", "/resources", Access::kAdmin, [](const AppContext& c, const WebRequest& r) {
        return ResourcesPage(c, r, FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/resources", Access::kAdmin, AddResource));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/resources/{id}", Access::kAdmin, UpdateResource));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/resources/{id}/delete", Access::kAdmin, DeleteResource));
  return AddPlanApi(routes, ctx);
}

}  // namespace trellis::web
