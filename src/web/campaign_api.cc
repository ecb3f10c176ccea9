// web/campaign_api.cc — see campaign_api.h. A failed Status becomes problem+json through
// ErrorResponse; a member of the body of the wrong type is kInvalidArgument naming it.
#include "web/campaign_api.h"

#include <nlohmann/json.hpp>

#include "service/campaign_service.h"
#include "web/json_body.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

using nlohmann::json;

json CampaignJson(const model::Campaign& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"framework_code", c.framework_code},
          {"framework_version", c.framework_version},
          {"opens_on", c.opens_on},
          {"closes_on", c.closes_on},
          {"min_group", c.min_group},
          {"context_check", c.context_check},
          {"context_check_version",
           c.context_check_version ? json(*c.context_check_version) : json(nullptr)},
          {"state", model::CampaignStateName(c.state)},
          {"subject_ids", c.subject_ids},
          {"created_at", c.created_at},
          {"opened_at", c.opened_at},
          {"closed_at", c.closed_at},
          {"released_at", c.released_at}};
}

json NominationJson(const model::Nomination& n) {
  return {{"id", n.id},
          {"subject_id", n.subject_id},
          {"rater_person_id", n.rater_person_id.empty() ? json(nullptr) : json(n.rater_person_id)},
          {"rater_name", n.rater_name},
          {"rater_email", n.rater_email},
          {"group", model::RaterGroupName(n.group)},
          {"status", model::NominationStatusName(n.status)},
          {"invited_at", n.invited_at},
          {"reminded_at", n.reminded_at},
          {"submitted_at", n.submitted_at}};
}

json CountsJson(const service::Counts& c) {
  return {{"nominated", c.nominated},
          {"invited", c.invited},
          {"submitted", c.submitted},
          {"rate", c.Rate()}};
}

json MailRunJson(const service::MailRun& run) {
  json failed = json::array();
  for (const auto& [id, status] : run.failed) {
    failed.push_back({{"nomination_id", id}, {"error", status.message()}});
  }
  return {{"sent", run.sent}, {"failed", failed}};
}

Response Create(const AppContext& ctx, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  service::CampaignSpec spec;
  spec.partnership_id = r.principal->partnership_id;
  TRELLIS_ASSIGN_OR_PROBLEM(name, Member<std::string>(body, "name", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(code, Member<std::string>(body, "framework_code", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(version, Member<int>(body, "framework_version", 0));
  TRELLIS_ASSIGN_OR_PROBLEM(opens, Member<std::string>(body, "opens_on", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(closes, Member<std::string>(body, "closes_on", ""));
  TRELLIS_ASSIGN_OR_PROBLEM(min_group, Member<int>(body, "min_group", 3));
  TRELLIS_ASSIGN_OR_PROBLEM(context, Member<bool>(body, "context_check", true));
  TRELLIS_ASSIGN_OR_PROBLEM(subjects, Member<std::vector<std::string>>(body, "subject_ids", {}));
  spec.name = name;
  spec.framework_code = code;
  if (version > 0) spec.framework_version = version;
  spec.opens_on = opens;
  spec.closes_on = closes;
  spec.min_group = min_group;
  spec.context_check = context;
  spec.subject_ids = subjects;
  TRELLIS_ASSIGN_OR_PROBLEM(created, ctx.services.campaigns.Create(spec, r.principal->account_id));
  Response response = JsonResponse(CampaignJson(created).dump(), 201);
  response.headers.Set("Location", "/api/v1/campaigns/" + PercentEncode(created.id));
  return response;
}

Response Show(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  TRELLIS_ASSIGN_OR_PROBLEM(campaign, ctx.services.campaigns.Get(pid, r.params.at("id")));
  TRELLIS_ASSIGN_OR_PROBLEM(nominations,
                            ctx.services.campaigns.Nominations(pid, r.params.at("id")));
  json out = CampaignJson(campaign);
  out["nominations"] = json::array();
  for (const model::Nomination& n : nominations) out["nominations"].push_back(NominationJson(n));
  return JsonResponse(out.dump());
}

Response AddSubjects(const AppContext& ctx, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(ids, Member<std::vector<std::string>>(body, "person_ids", {}));
  Status added = ctx.services.campaigns.AddSubjects(r.principal->partnership_id, r.params.at("id"),
                                                    ids, r.principal->account_id);
  if (!added.ok()) return ErrorResponse(added);
  return Show(ctx, r);
}

Response Nominate(const AppContext& ctx, const WebRequest& r) {
  TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
  TRELLIS_ASSIGN_OR_PROBLEM(raters, Member<json>(body, "raters", json::array()));
  if (!raters.is_array())
    return ErrorResponse(Status::InvalidArgument("field 'raters': not a list"));
  std::vector<service::RaterSpec> specs;
  for (const json& rater : raters) {
    if (!rater.is_object()) {
      return ErrorResponse(Status::InvalidArgument("field 'raters': each must be an object"));
    }
    service::RaterSpec spec;
    TRELLIS_ASSIGN_OR_PROBLEM(subject, Member<std::string>(rater, "subject_id", ""));
    TRELLIS_ASSIGN_OR_PROBLEM(person, Member<std::string>(rater, "rater_person_id", ""));
    TRELLIS_ASSIGN_OR_PROBLEM(name, Member<std::string>(rater, "rater_name", ""));
    TRELLIS_ASSIGN_OR_PROBLEM(email, Member<std::string>(rater, "rater_email", ""));
    TRELLIS_ASSIGN_OR_PROBLEM(group, Member<std::string>(rater, "group", ""));
    std::optional<model::RaterGroup> parsed = model::ParseRaterGroup(group);
    if (!parsed) {
      return ErrorResponse(Status::InvalidArgument("field 'group': unknown group '" + group + "'"));
    }
    spec.subject_id = subject;
    spec.rater_person_id = person;
    spec.rater_name = name;
    spec.rater_email = email;
    spec.group = *parsed;
    specs.push_back(std::move(spec));
  }
  TRELLIS_ASSIGN_OR_PROBLEM(
      added, ctx.services.campaigns.Nominate(r.principal->partnership_id, r.params.at("id"), specs,
                                             r.principal->account_id));
  json list = json::array();
  for (const model::Nomination& n : added) list.push_back(NominationJson(n));
  return JsonResponse(json{{"nominations", list}}.dump(), 201);
}

Response Progress(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  TRELLIS_ASSIGN_OR_PROBLEM(progress, ctx.services.campaigns.Progress(pid, r.params.at("id")));
  // Admins only (the route's access): non-responders name raters.
  TRELLIS_ASSIGN_OR_PROBLEM(missing, ctx.services.campaigns.NonResponders(pid, r.params.at("id")));
  json subjects = json::array(), groups = json::object(), orgs = json::object();
  for (const service::SubjectRates& s : progress.by_subject) {
    json by_group = json::object();
    for (const auto& [g, c] : s.by_group)
      by_group[std::string(model::RaterGroupName(g))] = CountsJson(c);
    subjects.push_back({{"subject_id", s.subject_id},
                        {"subject_name", s.subject_name},
                        {"organisation_id", s.organisation_id},
                        {"total", CountsJson(s.total)},
                        {"by_group", by_group}});
  }
  for (const auto& [g, c] : progress.by_group)
    groups[std::string(model::RaterGroupName(g))] = CountsJson(c);
  for (const auto& [o, c] : progress.by_organisation) orgs[o] = CountsJson(c);
  json non_responders = json::array();
  for (const service::NonResponder& n : missing) {
    non_responders.push_back({{"nomination_id", n.nomination_id},
                              {"rater_name", n.rater_name},
                              {"rater_email", n.rater_email},
                              {"subject_name", n.subject_name},
                              {"group", model::RaterGroupName(n.group)},
                              {"invited_at", n.invited_at},
                              {"reminded_at", n.reminded_at}});
  }
  return JsonResponse(json{
      {"total", CountsJson(progress.total)},
      {"by_subject", subjects},
      {"by_group", groups},
      {"by_organisation", orgs},
      {"non_responders",
       non_responders}}.dump());
}

}  // namespace

Status AddCampaignApi(RouteTable& routes, const AppContext& ctx) {
  auto add = [&routes, &ctx](std::string_view method, std::string_view pattern,
                             Response (*handler)(const AppContext&, const WebRequest&)) {
    return routes.Add(method, pattern, Access::kAdmin, Surface::kApi,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  TRELLIS_RETURN_IF_ERROR(
      add("GET", "/api/v1/campaigns", [](const AppContext& c, const WebRequest& r) {
        TRELLIS_ASSIGN_OR_PROBLEM(list, c.services.campaigns.List(r.principal->partnership_id));
        json out = json::array();
        for (const model::Campaign& campaign : list) out.push_back(CampaignJson(campaign));
        return JsonResponse(json{{"campaigns", out}}.dump());
      }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/campaigns", Create));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/campaigns/{id}", Show));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/campaigns/{id}/subjects", AddSubjects));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/campaigns/{id}/nominations", Nominate));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/campaigns/{id}/nominations/{nomination}/approve",
                              [](const AppContext& c, const WebRequest& r) {
                                Status s = c.services.campaigns.Approve(
                                    r.principal->partnership_id, r.params.at("id"),
                                    r.params.at("nomination"), r.principal->account_id);
                                return s.ok() ? Show(c, r) : ErrorResponse(s);
                              }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/api/v1/campaigns/{id}/nominations/{nomination}/decline",
                              [](const AppContext& c, const WebRequest& r) {
                                Status s = c.services.campaigns.Decline(
                                    r.principal->partnership_id, r.params.at("id"),
                                    r.params.at("nomination"), r.principal->account_id);
                                return s.ok() ? Show(c, r) : ErrorResponse(s);
                              }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/campaigns/{id}/open", [](const AppContext& c, const WebRequest& r) {
        Status s = c.services.campaigns.Open(r.principal->partnership_id, r.params.at("id"),
                                             r.principal->account_id);
        return s.ok() ? Show(c, r) : ErrorResponse(s);
      }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/campaigns/{id}/close", [](const AppContext& c, const WebRequest& r) {
        Status s = c.services.campaigns.Close(r.principal->partnership_id, r.params.at("id"),
                                              r.principal->account_id);
        return s.ok() ? Show(c, r) : ErrorResponse(s);
      }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/campaigns/{id}/release", [](const AppContext& c, const WebRequest& r) {
        // Every report is then rendered in the background (CampaignService::SetReleaseListener).
        Status s = c.services.campaigns.Release(r.principal->partnership_id, r.params.at("id"),
                                                r.principal->account_id);
        return s.ok() ? Show(c, r) : ErrorResponse(s);
      }));
  TRELLIS_RETURN_IF_ERROR(add(
      "POST", "/api/v1/campaigns/{id}/invitations", [](const AppContext& c, const WebRequest& r) {
        TRELLIS_ASSIGN_OR_PROBLEM(
            run, c.services.campaigns.SendInvitations(r.principal->partnership_id,
                                                      r.params.at("id"), r.principal->account_id));
        return JsonResponse(MailRunJson(run).dump());
      }));
  // The mail-merge export: issues links (so a POST), shown this once in the answer.
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/campaigns/{id}/invitations/export",
          [](const AppContext& c, const WebRequest& r) {
            TRELLIS_ASSIGN_OR_PROBLEM(invitations, c.services.campaigns.ExportInvitations(
                                                       r.principal->partnership_id,
                                                       r.params.at("id"), r.principal->account_id));
            json list = json::array();
            for (const service::Invitation& inv : invitations) {
              list.push_back({{"nomination_id", inv.nomination_id},
                              {"rater_name", inv.rater_name},
                              {"rater_email", inv.rater_email},
                              {"subject_name", inv.subject_name},
                              {"group", model::RaterGroupName(inv.group)},
                              {"link", inv.link}});
            }
            Response response = JsonResponse(json{{"invitations", list}}.dump());
            response.headers.Set("Cache-Control", "no-store");  // the links are shown this once
            return response;
          }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/campaigns/{id}/reminders", [](const AppContext& c, const WebRequest& r) {
        TRELLIS_ASSIGN_OR_PROBLEM(body, Body(r.request));
        TRELLIS_ASSIGN_OR_PROBLEM(days, Member<int>(body, "quiet_days", 3));
        TRELLIS_ASSIGN_OR_PROBLEM(
            run, c.services.campaigns.SendReminders(r.principal->partnership_id, r.params.at("id"),
                                                    days, r.principal->account_id));
        return JsonResponse(MailRunJson(run).dump());
      }));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/campaigns/{id}/progress", Progress));
  // A subject's own progress: counts by group, never names (DESIGN.md). Any signed-in role, but
  // only for the person the account is linked to (admins: anyone); for anybody else it is 404,
  // as for a campaign of another partnership, so the answer does not tell who is a subject.
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/campaigns/{id}/subjects/{person}/progress", Access::kStaff, Surface::kApi,
      [&ctx](const WebRequest& r) {
        const std::string& person = r.params.at("person");
        if (r.principal->role != model::Role::kAdmin && r.principal->person_id != person) {
          return ErrorResponse(Status::NotFound("no subject '" + person + "' in this campaign"));
        }
        TRELLIS_ASSIGN_OR_PROBLEM(
            view, ctx.services.campaigns.SubjectProgress(r.principal->partnership_id,
                                                         r.params.at("id"), person));
        json groups = json::object();
        for (const auto& [g, c] : view.by_group) {
          groups[std::string(model::RaterGroupName(g))] = CountsJson(c);
        }
        return JsonResponse(json{{"total", CountsJson(view.total)}, {"by_group", groups}}.dump());
      }));
  return Status::Ok();
}

}  // namespace trellis::web
