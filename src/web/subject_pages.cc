// web/subject_pages.cc — see subject_pages.h. Every handler first resolves the campaign as the
// signed-in person's own (SubjectProgress: kNotFound unless they are a subject of it), so no
// route says anything about a campaign that is not theirs; the one exception is an admin's GET,
// redirected to the admin view of a campaign of their own partnership.
#include "web/subject_pages.h"

#include <nlohmann/json.hpp>
#include <optional>

#include "service/campaign_service.h"
#include "web/form_errors.h"
#include "web/problem.h"
#include "web/progress_rows.h"

namespace trellis::web {
namespace {

using nlohmann::json;

constexpr model::RaterGroup kProposableGroups[] = {
    model::RaterGroup::kManager, model::RaterGroup::kPeer,      model::RaterGroup::kDirectReport,
    model::RaterGroup::kPartner, model::RaterGroup::kCommunity, model::RaterGroup::kOther};

std::string MyHref(const std::string& id) { return "/my/campaigns/" + PercentEncode(id); }

bool CanPropose(const model::Campaign& c) {
  return c.state == model::CampaignState::kDraft || c.state == model::CampaignState::kOpen;
}

// What a subject may see of one of their campaigns.
struct SubjectView {
  model::Campaign campaign;
  service::SubjectProgressView progress;
  std::vector<model::Nomination> pending;
};

// The campaign as the principal's own, or kNotFound (also for an account without a person, or
// a campaign of another partnership) with one message for all of these.
Result<SubjectView> LoadView(const AppContext& ctx, const service::Principal& p,
                             const std::string& campaign_id) {
  const Status not_found = Status::NotFound("no campaign '" + campaign_id + "' of yours");
  if (p.person_id.empty()) return not_found;
  Result<service::SubjectProgressView> progress =
      ctx.services.campaigns.SubjectProgress(p.partnership_id, campaign_id, p.person_id);
  if (!progress.ok()) {
    return progress.status().code() == StatusCode::kNotFound ? not_found : progress.status();
  }
  Result<model::Campaign> campaign = ctx.services.campaigns.Get(p.partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  Result<std::vector<model::Nomination>> pending =
      ctx.services.campaigns.SubjectProposals(p.partnership_id, campaign_id, p.person_id);
  if (!pending.ok()) return pending.status();
  return SubjectView{std::move(*campaign), std::move(*progress), std::move(*pending)};
}

// An admin who is not a subject of a campaign of their partnership is sent to the admin view
// of it (`admin_href` + id); nullopt for everyone else (who then gets the 404).
std::optional<Response> AdminRedirect(const AppContext& ctx, const WebRequest& r,
                                      const std::string& admin_href) {
  if (r.principal->role != model::Role::kAdmin) return std::nullopt;
  const std::string& id = r.params.at("id");
  if (!ctx.services.campaigns.Get(r.principal->partnership_id, id).ok()) return std::nullopt;
  return RedirectResponse(admin_href + PercentEncode(id));
}

// --- pages ---

struct ProposalForm {
  std::string rater_person_id, rater_name, rater_email, group = "peer";
};

Response CampaignPage(const AppContext& ctx, const WebRequest& r, const ProposalForm& form,
                      const FormErrors& errors, int status) {
  const service::Principal& p = *r.principal;
  Result<SubjectView> view = LoadView(ctx, p, r.params.at("id"));
  if (!view.ok()) {
    if (view.status().code() == StatusCode::kNotFound && r.request.method == "GET") {
      if (std::optional<Response> to = AdminRedirect(ctx, r, "/campaigns/")) return *to;
    }
    return ctx.pages.Error(r.principal, view.status());
  }
  const model::Campaign& c = view->campaign;
  PageData data;
  data.set("href", MyHref(c.id));
  data.set("state", std::string(model::CampaignStateName(c.state)));
  data.set("window", c.opens_on + " to " + c.closes_on);
  data.set("min_group", std::to_string(c.min_group));
  data.set("total", CountsRow("All your raters", view->progress.total));
  PageList groups;
  for (const auto& [group, counts] : view->progress.by_group)
    groups.push_back(CountsRow(GroupLabel(group), counts));
  data.set("groups", groups);
  data.set("no_raters", groups.empty());
  PageList pending;
  for (const model::Nomination& n : view->pending) {
    PageData row;
    row.set("name", n.rater_name);
    row.set("email", n.rater_email);
    row.set("group", GroupLabel(n.group));
    row.set("status", n.status == model::NominationStatus::kDeclined
                          ? std::string("declined")
                          : std::string("awaiting approval"));
    pending.push_back(row);
  }
  data.set("pending", pending);
  data.set("has_pending", !pending.empty());
  data.set("can_propose", CanPropose(c));
  if (r.request.Query("proposed")) data.set("proposed", true);
  if (CanPropose(c)) {
    // People of the partnership by name only: a subject needs no one's email to propose them.
    Result<std::vector<storage::StoredPerson>> people =
        ctx.services.directory.ListPeople(p.partnership_id, storage::PersonFilter{});
    if (!people.ok()) return ctx.pages.Error(r.principal, people.status());
    PageList options;
    for (const storage::StoredPerson& person : *people) {
      if (person.person.id == p.person_id) continue;
      PageData o;
      o.set("value", person.person.id);
      o.set("label", person.person.name);
      o.set("selected", person.person.id == form.rater_person_id);
      options.push_back(o);
    }
    data.set("people", options);
    PageList group_options;
    for (model::RaterGroup g : kProposableGroups) {
      PageData o;
      o.set("value", std::string(model::RaterGroupName(g)));
      o.set("label", GroupLabel(g));
      o.set("selected", form.group == model::RaterGroupName(g));
      group_options.push_back(o);
    }
    data.set("groups_options", group_options);
    data.set("rater_name", form.rater_name);
    data.set("rater_email", form.rater_email);
  }
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "my_campaign", c.name, data, status, "/dashboard");
}

// The subject's proposal as a RaterSpec, or kInvalidArgument naming the field.
Result<service::RaterSpec> ParseProposal(const std::string& subject_id,
                                         const std::string& person_id, const std::string& name,
                                         const std::string& email, const std::string& group) {
  service::RaterSpec spec;
  spec.subject_id = subject_id;
  spec.rater_person_id = person_id;
  if (person_id.empty()) {
    spec.rater_name = name;
    spec.rater_email = email;
  }
  std::optional<model::RaterGroup> parsed = model::ParseRaterGroup(group);
  if (!parsed || *parsed == model::RaterGroup::kSelf) {
    return Status::InvalidArgument("field 'group': choose the rater's group");
  }
  spec.group = *parsed;
  return spec;
}

// A refused proposal in words for the subject; the store's duplicate message is replaced, as
// it describes the nomination the subject cannot see.
Status ProposalRefusal(const Status& refused) {
  switch (refused.code()) {
    case StatusCode::kAlreadyExists:
      return Status::AlreadyExists("that rater is already nominated or proposed for you");
    case StatusCode::kNotFound:  // the campaign and subject were checked: the person is unknown
      return Status::InvalidArgument("field 'rater_person_id': choose a person from the list");
    default:
      return refused;
  }
}

Response Propose(const AppContext& ctx, const WebRequest& r) {
  const service::Principal& p = *r.principal;
  const std::string& id = r.params.at("id");
  // 404 first, before anything is parsed, for a campaign that is not the person's own.
  Result<SubjectView> view = LoadView(ctx, p, id);
  if (!view.ok()) return ctx.pages.Error(r.principal, view.status());
  ProposalForm form{r.form.Value("rater_person_id"), r.form.Value("rater_name"),
                    r.form.Value("rater_email"), r.form.Value("group")};
  Result<service::RaterSpec> spec = ParseProposal(p.person_id, form.rater_person_id,
                                                  form.rater_name, form.rater_email, form.group);
  Status status = spec.status();
  if (spec.ok()) {
    Result<std::vector<model::Nomination>> proposed =
        ctx.services.campaigns.Propose(p.partnership_id, id, p.person_id, {*spec}, p.account_id);
    if (proposed.ok()) return RedirectResponse(MyHref(id) + "?proposed=1");
    status = ProposalRefusal(proposed.status());
  }
  const StatusCode code = status.code();
  if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists &&
      code != StatusCode::kFailedPrecondition) {
    return ctx.pages.Error(r.principal, status);
  }
  FormErrors errors;
  errors.AddStatus(status, {{"name", "rater_name"}, {"email", "rater_email"}});
  return CampaignPage(ctx, r, form, errors, HttpStatusFor(code));
}

// --- API ---

json CountsJson(const service::Counts& c) {
  return {{"nominated", c.nominated},
          {"invited", c.invited},
          {"submitted", c.submitted},
          {"rate", c.Rate()}};
}

json ProposalJson(const model::Nomination& n) {
  return {{"id", n.id},
          {"rater_person_id", n.rater_person_id.empty() ? json(nullptr) : json(n.rater_person_id)},
          {"rater_name", n.rater_name},
          {"rater_email", n.rater_email},
          {"group", model::RaterGroupName(n.group)},
          {"status", model::NominationStatusName(n.status)}};
}

json CampaignSummaryJson(const model::Campaign& c) {
  return {{"id", c.id},
          {"name", c.name},
          {"state", model::CampaignStateName(c.state)},
          {"opens_on", c.opens_on},
          {"closes_on", c.closes_on},
          {"min_group", c.min_group}};
}

Response ApiList(const AppContext& ctx, const WebRequest& r) {
  json out = json::array();
  if (!r.principal->person_id.empty()) {
    Result<std::vector<model::Campaign>> list =
        ctx.services.campaigns.ListForSubject(r.principal->partnership_id, r.principal->person_id);
    if (!list.ok()) return ErrorResponse(list.status());
    for (const model::Campaign& c : *list) out.push_back(CampaignSummaryJson(c));
  }
  return JsonResponse(json{{"campaigns", out}}.dump());
}

Response ApiShow(const AppContext& ctx, const WebRequest& r) {
  Result<SubjectView> view = LoadView(ctx, *r.principal, r.params.at("id"));
  if (!view.ok()) {
    if (view.status().code() == StatusCode::kNotFound) {
      if (std::optional<Response> to = AdminRedirect(ctx, r, "/api/v1/campaigns/")) return *to;
    }
    return ErrorResponse(view.status());
  }
  json groups = json::object();
  for (const auto& [g, c] : view->progress.by_group)
    groups[std::string(model::RaterGroupName(g))] = CountsJson(c);
  json pending = json::array();
  for (const model::Nomination& n : view->pending) pending.push_back(ProposalJson(n));
  json out = CampaignSummaryJson(view->campaign);
  out["progress"] = {{"total", CountsJson(view->progress.total)}, {"by_group", groups}};
  out["proposals"] = pending;
  return JsonResponse(out.dump());
}

Response ApiPropose(const AppContext& ctx, const WebRequest& r) {
  const service::Principal& p = *r.principal;
  const std::string& id = r.params.at("id");
  Result<SubjectView> view = LoadView(ctx, p, id);
  if (!view.ok()) return ErrorResponse(view.status());
  json body = r.request.body.empty() ? json::object() : json::parse(r.request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object() || !body.contains("raters") ||
      !body["raters"].is_array()) {
    return ErrorResponse(Status::InvalidArgument("field 'raters': a list of raters is required"));
  }
  std::vector<service::RaterSpec> specs;
  for (const json& rater : body["raters"]) {
    auto text = [&rater](const char* name) -> std::optional<std::string> {
      auto it = rater.find(name);
      if (it == rater.end() || it->is_null()) return std::string();
      if (!it->is_string()) return std::nullopt;
      return it->get<std::string>();
    };
    if (!rater.is_object()) {
      return ErrorResponse(Status::InvalidArgument("field 'raters': each must be an object"));
    }
    std::optional<std::string> person = text("rater_person_id"), name = text("rater_name"),
                               email = text("rater_email"), group = text("group");
    for (const auto& [field, value] :
         {std::pair{"rater_person_id", &person}, std::pair{"rater_name", &name},
          std::pair{"rater_email", &email}, std::pair{"group", &group}}) {
      if (!*value) {
        return ErrorResponse(
            Status::InvalidArgument(std::string("field '") + field + "': wrong type"));
      }
    }
    Result<service::RaterSpec> spec = ParseProposal(p.person_id, *person, *name, *email, *group);
    if (!spec.ok()) return ErrorResponse(spec.status());
    specs.push_back(std::move(*spec));
  }
  Result<std::vector<model::Nomination>> proposed =
      ctx.services.campaigns.Propose(p.partnership_id, id, p.person_id, specs, p.account_id);
  if (!proposed.ok()) return ErrorResponse(ProposalRefusal(proposed.status()));
  json list = json::array();
  for (const model::Nomination& n : *proposed) list.push_back(ProposalJson(n));
  return JsonResponse(json{{"proposals", list}}.dump(), 201);
}

}  // namespace

Result<PageList> SubjectCampaignRows(const AppContext& ctx, const service::Principal& principal) {
  PageList rows;
  if (principal.person_id.empty()) return rows;
  Result<std::vector<model::Campaign>> list =
      ctx.services.campaigns.ListForSubject(principal.partnership_id, principal.person_id);
  if (!list.ok()) return list.status();
  for (const model::Campaign& c : *list) {
    PageData row;
    row.set("name", c.name);
    row.set("href", MyHref(c.id));
    row.set("state", std::string(model::CampaignStateName(c.state)));
    row.set("window", c.opens_on + " to " + c.closes_on);
    rows.push_back(row);
  }
  return rows;
}

Status AddSubjectPages(RouteTable& routes, const AppContext& ctx) {
  auto add = [&routes, &ctx](std::string_view method, std::string_view pattern, Surface surface,
                             Response (*handler)(const AppContext&, const WebRequest&)) {
    return routes.Add(method, pattern, Access::kStaff, surface,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  TRELLIS_RETURN_IF_ERROR(add("GET", "/my/campaigns/{id}", Surface::kPage,
                              [](const AppContext& c, const WebRequest& r) {
                                return CampaignPage(c, r, ProposalForm{}, FormErrors{}, 200);
                              }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/my/campaigns/{id}/proposals", Surface::kPage, Propose));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/my/campaigns", Surface::kApi, ApiList));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/api/v1/my/campaigns/{id}", Surface::kApi, ApiShow));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/api/v1/my/campaigns/{id}/proposals", Surface::kApi, ApiPropose));
  return Status::Ok();
}

}  // namespace trellis::web
