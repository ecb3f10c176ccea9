// web/plan_api.cc — see plan_api.h. Bodies are JSON objects; a member of the wrong type is
// kInvalidArgument naming it; a plan the caller may not see is 404 like an unknown one.
#include "web/plan_api.h"

#include <nlohmann/json.hpp>

#include "service/plan_service.h"
#include "web/json_body.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

using nlohmann::json;
using service::PlanService;

std::string_view AccessName(service::PlanAccess access) {
  switch (access) {
    case service::PlanAccess::kOwner:
      return "owner";
    case service::PlanAccess::kLineManager:
      return "line_manager";
    case service::PlanAccess::kCoach:
      return "coach";
  }
  return "";
}

json ResourceJson(const storage::LearningResource& r) {
  return {{"id", r.id},
          {"title", r.title},
          {"url", r.url},
          {"description", r.description},
          {"competency_codes", r.competency_codes},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

json ActionJson(const storage::PlanAction& a, const std::string& today) {
  return {
      {"id", a.id},
      {"competency_code", a.competency_code},
      {"description", a.description},
      {"owner", a.owner},
      {"due_on", a.due_on},
      {"status", storage::ActionStatusName(a.status)},
      {"overdue", service::IsOverdue(a, today)},
      {"last_reminded_at", a.last_reminded_at.empty() ? json(nullptr) : json(a.last_reminded_at)}};
}

json SummaryJson(const service::PlanListItem& item) {
  return {{"id", item.summary.id},
          {"owner_name", item.owner_name},
          {"campaign_id", item.summary.campaign_id},
          {"campaign_name", item.campaign_name},
          {"priorities", item.summary.priority_codes},
          {"access", AccessName(item.access)},
          {"created_at", item.summary.created_at}};
}

json OverdueJson(const service::OverdueItem& o) {
  return {
      {"plan_id", o.plan_id},
      {"person_id", o.person_id},
      {"person_name", o.person_name},
      {"action_id", o.action_id},
      {"description", o.description},
      {"due_on", o.due_on},
      {"last_reminded_at", o.last_reminded_at.empty() ? json(nullptr) : json(o.last_reminded_at)}};
}

json PlanJson(const service::PlanView& v) {
  json priorities = json::array();
  for (const service::PriorityView& p : v.priorities) {
    json actions = json::array(), evidence = json::array(), resources = json::array();
    for (const storage::PlanAction& a : p.actions) actions.push_back(ActionJson(a, v.today));
    for (const storage::EvidenceNote& e : p.evidence) {
      evidence.push_back({{"id", e.id}, {"note", e.note}, {"created_at", e.created_at}});
    }
    for (const storage::LearningResource& r : p.resources) resources.push_back(ResourceJson(r));
    priorities.push_back({{"competency_code", p.competency_code},
                          {"title", p.title},
                          {"goal", p.goal},
                          {"actions", actions},
                          {"evidence", evidence},
                          {"resources", resources}});
  }
  json shares = json::array(), comments = json::array();
  for (const service::ShareView& s : v.shares) {
    shares.push_back({{"account_id", s.account_id},
                      {"name", s.name},
                      {"role", storage::ShareRoleName(s.role)},
                      {"shared_at", s.shared_at}});
  }
  for (const service::CommentView& c : v.comments) {
    comments.push_back({{"author_name", c.author_name},
                        {"by_owner", c.by_owner},
                        {"body", c.body},
                        {"created_at", c.created_at}});
  }
  return {{"id", v.plan.id},
          {"owner_name", v.owner_name},
          {"access", AccessName(v.access)},
          {"campaign_id", v.plan.campaign_id},
          {"campaign_name", v.campaign_name},
          {"framework_code", v.plan.framework_code},
          {"framework_version", v.plan.framework_version},
          {"created_at", v.plan.created_at},
          {"updated_at", v.plan.updated_at},
          {"priorities", priorities},
          {"shares", shares},
          {"comments", comments}};
}

// The plan as the caller now sees it (the answer to every change of a plan).
Response ShowPlan(PlanService& plans, const WebRequest& r, int status = 200) {
  TRELLIS_ASSIGN_OR_PROBLEM(view, plans.Get(*r.principal, r.params.at("id")));
  return JsonResponse(PlanJson(view).dump(), status);
}

Response List(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(list, plans.List(*r.principal));
  json mine = json::array(), shared = json::array(), overdue = json::array();
  for (const service::PlanListItem& i : list.mine) mine.push_back(SummaryJson(i));
  for (const service::PlanListItem& i : list.shared_with_me) shared.push_back(SummaryJson(i));
  for (const service::OverdueItem& o : list.overdue) overdue.push_back(OverdueJson(o));
  return JsonResponse(
      json{{"mine", mine}, {"shared_with_me", shared}, {"overdue", overdue}}.dump());
}

Response Create(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(campaign, Member<std::string>(body, "campaign_id", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(codes, Member<std::vector<std::string>>(body, "priorities", {}));
  TRELLIS_ASSIGN_OR_PROBLEM(plan, plans.Create(*r.principal, campaign, codes));
  TRELLIS_ASSIGN_OR_PROBLEM(view, plans.Get(*r.principal, plan.id));
  Response response = JsonResponse(PlanJson(view).dump(), 201);
  response.headers.Set("Location", "/api/v1/plans/" + PercentEncode(plan.id));
  return response;
}

Response SetGoal(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(code, Member<std::string>(body, "competency_code", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(goal, Member<std::string>(body, "goal", ""));
  Status s = plans.SetGoal(*r.principal, r.params.at("id"), code, goal);
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r);
}

Response AddAction(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  service::ActionInput input;
  TRELLIS_ASSIGN_OR_PROBLEM(code, Member<std::string>(body, "competency_code", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(description, Member<std::string>(body, "description", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(owner, Member<std::string>(body, "owner", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(due, Member<std::string>(body, "due_on", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(status, Member<std::string>(body, "status", ""));
  input = {code, description, owner, due, status};
  TRELLIS_ASSIGN_OR_PROBLEM(action, plans.AddAction(*r.principal, r.params.at("id"), input));
  return ShowPlan(plans, r, 201);
}

Response SetActionStatus(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(status, Member<std::string>(body, "status", ""));
  Status s = plans.SetActionStatus(*r.principal, r.params.at("id"), r.params.at("action"), status);
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r);
}

Response AddEvidence(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(code, Member<std::string>(body, "competency_code", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(note, Member<std::string>(body, "note", ""));
  Status s = plans.AddEvidence(*r.principal, r.params.at("id"), code, note);
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r, 201);
}

Response Share(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(email, Member<std::string>(body, "email", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(role, Member<std::string>(body, "role", ""));
  Status s = plans.Share(*r.principal, r.params.at("id"), email, role);
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r);
}

Response Revoke(PlanService& plans, const WebRequest& r) {
  Status s = plans.Revoke(*r.principal, r.params.at("id"), r.params.at("account"));
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r);
}

Response Comment(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(text, Member<std::string>(body, "body", ""));
  Status s = plans.Comment(*r.principal, r.params.at("id"), text);
  if (!s.ok()) return ErrorResponse(s);
  return ShowPlan(plans, r, 201);
}

Response Overdue(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(overdue, plans.Overdue(*r.principal));
  json list = json::array();
  for (const service::OverdueItem& o : overdue) list.push_back(OverdueJson(o));
  return JsonResponse(json{{"overdue", list}}.dump());
}

Response Remind(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(run, plans.RemindOverdue(*r.principal));
  json failed = json::array();
  for (const auto& [person, status] : run.failed) {
    failed.push_back({{"person_id", person}, {"error", status.message()}});
  }
  return JsonResponse(
      json{{"emails", run.emails}, {"actions", run.actions}, {"failed", failed}}.dump());
}

Response Resources(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(resources, plans.Resources(*r.principal));
  json list = json::array();
  for (const storage::LearningResource& res : resources) list.push_back(ResourceJson(res));
  return JsonResponse(json{{"resources", list}}.dump());
}

Result<service::ResourceInput> ResourceBody(const Request& request) {
  Result<json> body = Body(request);
  if (!body.ok()) return body.status();
  service::ResourceInput in;
  for (auto [name, field] : {std::pair{"title", &in.title}, std::pair{"url", &in.url},
                             std::pair{"description", &in.description}}) {
    Result<std::string> v = Member<std::string>(*body, name, "");
    if (!v.ok()) return v.status();
    *field = *v;
  }
  Result<std::vector<std::string>> codes =
      Member<std::vector<std::string>>(*body, "competency_codes", {});
  if (!codes.ok()) return codes.status();
  for (const std::string& c : *codes) in.tags += c + ",";
  return in;
}

Response AddResource(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(input, ResourceBody(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(added, plans.AddResource(*r.principal, input));
  Response response = JsonResponse(ResourceJson(added).dump(), 201);
  response.headers.Set("Location", "/api/v1/resources/" + PercentEncode(added.id));
  return response;
}

Response UpdateResource(PlanService& plans, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(input, ResourceBody(r.request));
  Status s = plans.UpdateResource(*r.principal, r.params.at("id"), input);
  if (!s.ok()) return ErrorResponse(s);
  return Resources(plans, r);
}

Response DeleteResource(PlanService& plans, const WebRequest& r) {
  Status s = plans.DeleteResource(*r.principal, r.params.at("id"));
  if (!s.ok()) return ErrorResponse(s);
  return Resources(plans, r);
}

}  // namespace

Status AddPlanApi(RouteTable& routes, const AppContext& ctx) {
  using Handler = Response (*)(PlanService&, const WebRequest&);
  auto add = [&routes, &ctx](std::string_view method, std::string_view pattern, Access access,
                             Handler handler) {
    return routes.Add(method, pattern, access, Surface::kApi, [&ctx, handler](const WebRequest& r) {
      if (ctx.services.plans == nullptr) {
        return ErrorResponse(
            Status::Unavailable("development plans are not enabled on this server"));
      }
      return handler(*ctx.services.plans, r);
    });
  };
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/plans", Access::kStaff, List));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans", Access::kStaff, Create));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/plans/{id}", Access::kStaff,
                              [](PlanService& p, const WebRequest& r) { return ShowPlan(p, r); }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans/{id}/goals", Access::kStaff, SetGoal));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans/{id}/actions", Access::kStaff, AddAction));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/plans/{id}/actions/{action}/status", Access::kStaff, SetActionStatus));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans/{id}/evidence", Access::kStaff, AddEvidence));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans/{id}/shares", Access::kStaff, Share));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/plans/{id}/shares/{account}/revoke", Access::kStaff, Revoke));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/plans/{id}/comments", Access::kStaff, Comment));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/overdue-actions", Access::kAdmin, Overdue));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/overdue-actions/reminders", Access::kAdmin, Remind));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/resources", Access::kAdmin, Resources));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/resources", Access::kAdmin, AddResource));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/resources/{id}", Access::kAdmin, UpdateResource));
  return add("POST", "/api/v1/resources/{id}/delete", Access::kAdmin, DeleteResource);
}

}  // namespace trellis::web
