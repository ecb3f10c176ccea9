// web/campaign_pages.cc — see campaign_pages.h. Each handler parses the form or path, calls
// the campaign service and renders a page or redirects (303) back to the campaign, with what
// happened in the query ("?sent=3") so a reload does not repeat it.
#include "web/campaign_pages.h"

#include <map>
#include <optional>

#include "service/campaign_service.h"
#include "web/campaign_api.h"
#include "web/form_errors.h"
#include "web/problem.h"
#include "web/progress_rows.h"
#include "web/subject_pages.h"

namespace trellis::web {
namespace {

using service::CampaignService;
using service::Counts;

std::string CampaignHref(const std::string& id) { return "/campaigns/" + PercentEncode(id); }

// A positive integer query value, or nullopt.
std::optional<int> IntQuery(const Request& request, std::string_view name) {
  const std::string* v = request.Query(name);
  if (v == nullptr || v->empty() || v->size() > 6) return std::nullopt;
  int out = 0;
  for (char c : *v) {
    if (c < '0' || c > '9') return std::nullopt;
    out = out * 10 + (c - '0');
  }
  return out;
}

// --- list ---

Response ListPage(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  Result<std::vector<model::Campaign>> list = ctx.services.campaigns.List(pid);
  if (!list.ok()) return ctx.pages.Error(r.principal, list.status());
  PageList rows;
  for (const model::Campaign& c : *list) {
    PageData row;
    row.set("name", c.name);
    row.set("href", CampaignHref(c.id));
    row.set("state", std::string(model::CampaignStateName(c.state)));
    row.set("framework", c.framework_code + " v" + std::to_string(c.framework_version));
    row.set("window", c.opens_on + " to " + c.closes_on);
    row.set("subjects", std::to_string(c.subject_ids.size()));
    // The list shows each campaign's response rate, so it asks for each one's totals.
    Result<service::OrganisationProgressReport> progress =
        ctx.services.campaigns.ProgressByOrganisation(pid, c.id);
    if (!progress.ok()) return ctx.pages.Error(r.principal, progress.status());
    row.set("rate", Percent(progress->total.Rate()));
    row.set("submitted", std::to_string(progress->total.submitted));
    row.set("invited", std::to_string(progress->total.invited));
    rows.push_back(row);
  }
  PageData data;
  data.set("campaigns", rows);
  data.set("none", rows.empty());
  return ctx.pages.Render(r.principal, "campaigns", "Campaigns", data, 200, "/campaigns");
}

// --- new campaign ---

struct NewForm {
  std::string name, framework, opens_on, closes_on, min_group = "3";
  bool context_check = false;
};

Response NewPage(const AppContext& ctx, const WebRequest& r, const NewForm& form,
                 const FormErrors& errors, int status) {
  Result<std::vector<storage::FrameworkSummary>> frameworks = ctx.services.frameworks.List();
  if (!frameworks.ok()) return ctx.pages.Error(r.principal, frameworks.status());
  PageList options;
  for (const storage::FrameworkSummary& f : *frameworks) {
    if (f.code == "context-check") continue;  // asked for with the yes/no below
    for (int v = f.latest_version; v >= 1; --v) {
      PageData o;
      std::string value = f.code + "@" + std::to_string(v);
      o.set("value", value);
      o.set("label", f.title + " (" + f.code + ", version " + std::to_string(v) + ")");
      o.set("selected", value == form.framework);
      options.push_back(o);
    }
  }
  PageData data;
  data.set("frameworks", options);
  data.set("no_frameworks", options.empty());
  data.set("name", form.name);
  data.set("opens_on", form.opens_on);
  data.set("closes_on", form.closes_on);
  data.set("min_group", form.min_group);
  data.set("context_yes", form.context_check);
  data.set("context_no", !form.context_check);
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "campaign_form", "New campaign", data, status, "/campaigns");
}

Response CreateCampaign(const AppContext& ctx, const WebRequest& r) {
  NewForm form{r.form.Value("name"),      r.form.Value("framework"),
               r.form.Value("opens_on"),  r.form.Value("closes_on"),
               r.form.Value("min_group"), r.form.Value("context_check") == "yes"};
  FormErrors errors;
  service::CampaignSpec spec;
  spec.partnership_id = r.principal->partnership_id;
  spec.name = form.name;
  spec.opens_on = form.opens_on;
  spec.closes_on = form.closes_on;
  spec.context_check = form.context_check;
  // "code@version" from the select.
  std::size_t at = form.framework.rfind('@');
  if (form.framework.empty() || at == std::string::npos) {
    errors.Add("framework", "Framework: choose a framework version");
  } else {
    spec.framework_code = form.framework.substr(0, at);
    try {
      spec.framework_version = std::stoi(form.framework.substr(at + 1));
    } catch (const std::exception&) {
      errors.Add("framework", "Framework: choose a framework version");
    }
  }
  try {
    std::size_t used = 0;
    spec.min_group = std::stoi(form.min_group, &used);
    if (used != form.min_group.size()) throw std::invalid_argument(form.min_group);
  } catch (const std::exception&) {
    errors.Add("min_group", "Smallest group: a whole number, at least 2");
  }
  if (!errors.empty()) return NewPage(ctx, r, form, errors, 400);
  Result<model::Campaign> created = ctx.services.campaigns.Create(spec, r.principal->account_id);
  if (created.ok()) return RedirectResponse(CampaignHref(created->id) + "?created=1");
  StatusCode code = created.status().code();
  if (code == StatusCode::kInternal || code == StatusCode::kUnavailable) {
    return ctx.pages.Error(r.principal, created.status());
  }
  // A missing framework (version) or context check belongs to those fields.
  std::string field = code == StatusCode::kInvalidArgument ? "" : "framework";
  if (code == StatusCode::kFailedPrecondition) field = "context_check";
  if (field.empty()) {
    errors.AddStatus(created.status(),
                     {{"framework_code", "framework"}, {"framework_version", "framework"}});
  } else {
    errors.Add(field, created.status().message());
  }
  return NewPage(ctx, r, form, errors, HttpStatusFor(code));
}

// --- one campaign ---

// The overview; `errors` from a refused form on it, shown at the top and by `error_subject`'s
// add-rater form (or the subjects form when "subjects").
Response OverviewPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors,
                      int status, const std::string& error_subject = "") {
  const std::string& pid = r.principal->partnership_id;
  const std::string& id = r.params.at("id");
  Result<model::Campaign> campaign = ctx.services.campaigns.Get(pid, id);
  if (!campaign.ok()) return ctx.pages.Error(r.principal, campaign.status());
  Result<std::vector<model::Nomination>> nominations = ctx.services.campaigns.Nominations(pid, id);
  if (!nominations.ok()) return ctx.pages.Error(r.principal, nominations.status());
  Result<std::vector<storage::StoredPerson>> people =
      ctx.services.directory.ListPeople(pid, storage::PersonFilter{});
  if (!people.ok()) return ctx.pages.Error(r.principal, people.status());
  std::map<std::string, std::string> names;
  for (const storage::StoredPerson& p : *people) names[p.person.id] = p.person.name;

  const model::Campaign& c = *campaign;
  const std::string href = CampaignHref(c.id);
  PageData data;
  data.set("href", href);
  data.set("state", std::string(model::CampaignStateName(c.state)));
  data.set("framework", c.framework_code + " version " + std::to_string(c.framework_version));
  data.set("window", c.opens_on + " to " + c.closes_on);
  data.set("min_group", std::to_string(c.min_group));
  data.set("context_check", c.context_check ? std::string("yes") : std::string("no"));
  data.set("can_open", c.state == model::CampaignState::kDraft);
  data.set("can_close", c.state == model::CampaignState::kOpen);
  data.set("can_release", c.state == model::CampaignState::kClosed);
  data.set("is_released", c.state == model::CampaignState::kReleased);  // reports: report_pages.h
  data.set("is_open", c.state == model::CampaignState::kOpen);
  data.set("can_edit",
           c.state == model::CampaignState::kDraft || c.state == model::CampaignState::kOpen);

  // What the last action did (from the redirect's query).
  PageList notices;
  auto notice = [&notices](std::string text) {
    PageData n;
    n.set("text", std::move(text));
    notices.push_back(n);
  };
  if (r.request.Query("created")) notice("Campaign created. Add subjects and their raters.");
  if (std::optional<int> sent = IntQuery(r.request, "sent")) {
    notice(std::to_string(*sent) + " invitation" + (*sent == 1 ? "" : "s") + " sent by email.");
  }
  if (std::optional<int> failed = IntQuery(r.request, "failed"); failed && *failed > 0) {
    notice(std::to_string(*failed) +
           " could not be sent; they stay not invited and the next run tries them again.");
  }
  if (std::optional<int> reminded = IntQuery(r.request, "reminded")) {
    notice(std::to_string(*reminded) + " reminder" + (*reminded == 1 ? "" : "s") + " sent.");
  }
  if (r.request.Query("export_closed")) {
    notice("Invitations can be exported only while the campaign is open.");
  }
  data.set("notices", notices);

  // Subjects with their nominations.
  std::map<std::string, std::vector<const model::Nomination*>> by_subject;
  PageList proposals;
  for (const model::Nomination& n : *nominations) {
    if (n.status == model::NominationStatus::kProposed) {
      PageData p;
      p.set("rater", n.rater_name);
      p.set("email", n.rater_email);
      p.set("group", GroupLabel(n.group));
      p.set("subject", names.count(n.subject_id) ? names[n.subject_id] : n.subject_id);
      p.set("approve", href + "/nominations/" + PercentEncode(n.id) + "/approve");
      p.set("decline", href + "/nominations/" + PercentEncode(n.id) + "/decline");
      proposals.push_back(p);
    } else {
      by_subject[n.subject_id].push_back(&n);
    }
  }
  PageList subjects;
  int index = 0;
  for (const std::string& sid : c.subject_ids) {
    ++index;
    PageData s;
    s.set("n", std::to_string(index));
    s.set("id", sid);
    s.set("name", names.count(sid) ? names[sid] : sid);
    PageList raters;
    for (const model::Nomination* n : by_subject[sid]) {
      PageData rd;
      rd.set("name", n->rater_name);
      rd.set("group", GroupLabel(n->group));
      rd.set("status", std::string(model::NominationStatusName(n->status)));
      rd.set("invited", n->invited_at.empty() ? std::string("not yet") : n->invited_at);
      rd.set("submitted", n->submitted_at.empty() ? std::string("not yet") : n->submitted_at);
      raters.push_back(rd);
    }
    s.set("raters", raters);
    if (sid == error_subject && !errors.empty()) s.set("rater_error", true);
    PageList people_options;
    for (const storage::StoredPerson& p : *people) {
      if (p.person.id == sid) continue;
      PageData o;
      o.set("value", p.person.id);
      o.set("label", p.person.name + " (" + p.person.email + ")");
      people_options.push_back(o);
    }
    s.set("people", people_options);
    PageList groups;
    for (model::RaterGroup g :
         {model::RaterGroup::kManager, model::RaterGroup::kPeer, model::RaterGroup::kDirectReport,
          model::RaterGroup::kPartner, model::RaterGroup::kCommunity, model::RaterGroup::kOther}) {
      PageData o;
      o.set("value", std::string(model::RaterGroupName(g)));
      o.set("label", GroupLabel(g));
      groups.push_back(o);
    }
    s.set("groups", groups);
    subjects.push_back(s);
  }
  data.set("subjects", subjects);
  data.set("no_subjects", subjects.empty());
  data.set("proposals", proposals);
  data.set("has_proposals", !proposals.empty());
  PageList candidates;
  for (const storage::StoredPerson& p : *people) {
    bool already = false;
    for (const std::string& sid : c.subject_ids) already = already || sid == p.person.id;
    if (already) continue;
    PageData o;
    o.set("value", p.person.id);
    o.set("label", p.person.name + " (" + p.person.email + ")");
    candidates.push_back(o);
  }
  data.set("candidates", candidates);
  data.set("has_candidates", !candidates.empty());
  if (error_subject == "subjects" && !errors.empty()) data.set("subjects_error", true);
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "campaign", c.name, data, status, "/campaigns");
}

// A refused action on the overview: user-facing codes re-render it with the message;
// NotFound and server errors are error pages.
Response Refused(const AppContext& ctx, const WebRequest& r, const Status& status,
                 const std::string& error_subject = "") {
  StatusCode code = status.code();
  if (code == StatusCode::kInvalidArgument || code == StatusCode::kFailedPrecondition ||
      code == StatusCode::kAlreadyExists) {
    FormErrors errors;
    errors.AddLines(status, error_subject.empty() ? "" : "add-rater-" + error_subject);
    return OverviewPage(ctx, r, errors, HttpStatusFor(code), error_subject);
  }
  return ctx.pages.Error(r.principal, status);
}

Response AfterAction(const AppContext& ctx, const WebRequest& r, const Status& status,
                     std::string_view query = "") {
  if (!status.ok()) return Refused(ctx, r, status);
  return RedirectResponse(CampaignHref(r.params.at("id")) + std::string(query));
}

Response AddSubjects(const AppContext& ctx, const WebRequest& r) {
  std::vector<std::string> ids;
  for (const auto& [name, value] : r.form.fields) {
    if (name == "person_id" && !value.empty()) ids.push_back(value);
  }
  if (ids.empty()) {
    // Still asks the service about the campaign, so another partnership's is a 404.
    Result<model::Campaign> c =
        ctx.services.campaigns.Get(r.principal->partnership_id, r.params.at("id"));
    if (!c.ok()) return ctx.pages.Error(r.principal, c.status());
    FormErrors errors;
    errors.Add("subjects-add", "Choose at least one person to add as a subject");
    return OverviewPage(ctx, r, errors, 400, "subjects");
  }
  return AfterAction(
      ctx, r,
      ctx.services.campaigns.AddSubjects(r.principal->partnership_id, r.params.at("id"), ids,
                                         r.principal->account_id));
}

Response Nominate(const AppContext& ctx, const WebRequest& r) {
  service::RaterSpec spec;
  spec.subject_id = r.form.Value("subject_id");
  spec.rater_person_id = r.form.Value("rater_person_id");
  if (spec.rater_person_id.empty()) {
    spec.rater_name = r.form.Value("rater_name");
    spec.rater_email = r.form.Value("rater_email");
  }
  std::optional<model::RaterGroup> group = model::ParseRaterGroup(r.form.Value("group"));
  if (!group) {
    Result<model::Campaign> c =
        ctx.services.campaigns.Get(r.principal->partnership_id, r.params.at("id"));
    if (!c.ok()) return ctx.pages.Error(r.principal, c.status());
    return Refused(ctx, r, Status::InvalidArgument("Choose the rater's group"), spec.subject_id);
  }
  spec.group = *group;
  Result<std::vector<model::Nomination>> added = ctx.services.campaigns.Nominate(
      r.principal->partnership_id, r.params.at("id"), {spec}, r.principal->account_id);
  if (!added.ok()) return Refused(ctx, r, added.status(), spec.subject_id);
  return RedirectResponse(CampaignHref(r.params.at("id")) + "#subject-" +
                          PercentEncode(spec.subject_id));
}

Response SendInvitations(const AppContext& ctx, const WebRequest& r) {
  Result<service::MailRun> run = ctx.services.campaigns.SendInvitations(
      r.principal->partnership_id, r.params.at("id"), r.principal->account_id);
  if (!run.ok()) return Refused(ctx, r, run.status());
  return RedirectResponse(CampaignHref(r.params.at("id")) + "?sent=" + std::to_string(run->sent) +
                          "&failed=" + std::to_string(run->failed.size()));
}

Response SendReminders(const AppContext& ctx, const WebRequest& r) {
  int quiet_days = 3;
  if (std::string days = r.form.Value("quiet_days"); !days.empty()) {
    try {
      quiet_days = std::stoi(days);
    } catch (const std::exception&) {
      quiet_days = -1;  // refused by the service with its message
    }
  }
  Result<service::MailRun> run = ctx.services.campaigns.SendReminders(
      r.principal->partnership_id, r.params.at("id"), quiet_days, r.principal->account_id);
  if (!run.ok()) return Refused(ctx, r, run.status());
  return RedirectResponse(CampaignHref(r.params.at("id")) +
                          "?reminded=" + std::to_string(run->sent) +
                          "&failed=" + std::to_string(run->failed.size()));
}

Response ExportCsv(const AppContext& ctx, const WebRequest& r) {
  Result<std::vector<service::Invitation>> invitations = ctx.services.campaigns.ExportInvitations(
      r.principal->partnership_id, r.params.at("id"), r.principal->account_id);
  if (!invitations.ok()) {
    if (invitations.status().code() == StatusCode::kFailedPrecondition) {
      return RedirectResponse(CampaignHref(r.params.at("id")) + "?export_closed=1");
    }
    return ctx.pages.Error(r.principal, invitations.status());
  }
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = CampaignService::InvitationsCsv(*invitations);
  response.headers.Set("Content-Disposition", "attachment; filename=\"invitations.csv\"");
  // The links are shown this once; no cache may keep them.
  response.headers.Set("Cache-Control", "no-store");
  return response;
}

Response ProgressPage(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  const std::string& id = r.params.at("id");
  Result<model::Campaign> campaign = ctx.services.campaigns.Get(pid, id);
  if (!campaign.ok()) return ctx.pages.Error(r.principal, campaign.status());
  Result<service::ProgressReport> progress = ctx.services.campaigns.Progress(pid, id);
  if (!progress.ok()) return ctx.pages.Error(r.principal, progress.status());
  // Admins only (the route's access): the non-responders name raters.
  Result<std::vector<service::NonResponder>> missing =
      ctx.services.campaigns.NonResponders(pid, id);
  if (!missing.ok()) return ctx.pages.Error(r.principal, missing.status());
  Result<std::vector<model::Organisation>> orgs = ctx.services.directory.ListOrganisations(pid);
  if (!orgs.ok()) return ctx.pages.Error(r.principal, orgs.status());
  std::map<std::string, std::string> org_names;
  for (const model::Organisation& o : *orgs) org_names[o.id] = o.name;

  PageData data;
  data.set("href", CampaignHref(id));
  data.set("campaign", campaign->name);
  data.set("total", CountsRow("All raters", progress->total));
  PageList subjects, groups, organisations, non_responders;
  for (const service::SubjectRates& s : progress->by_subject) {
    subjects.push_back(CountsRow(s.subject_name, s.total));
  }
  for (const auto& [group, counts] : progress->by_group) {
    groups.push_back(CountsRow(GroupLabel(group), counts));
  }
  for (const auto& [org, counts] : progress->by_organisation) {
    organisations.push_back(CountsRow(org_names.count(org) ? org_names[org] : org, counts));
  }
  for (const service::NonResponder& n : *missing) {
    PageData row;
    row.set("name", n.rater_name);
    row.set("email", n.rater_email);
    row.set("subject", n.subject_name);
    row.set("group", GroupLabel(n.group));
    row.set("invited", n.invited_at);
    row.set("reminded", n.reminded_at.empty() ? std::string("never") : n.reminded_at);
    non_responders.push_back(row);
  }
  data.set("subjects", subjects);
  data.set("groups", groups);
  data.set("organisations", organisations);
  data.set("non_responders", non_responders);
  data.set("all_responded", non_responders.empty());
  return ctx.pages.Render(r.principal, "campaign_progress", "Progress: " + campaign->name, data,
                          200, "/campaigns");
}

}  // namespace

Status AddCampaignPages(RouteTable& routes, const AppContext& ctx) {
  auto add = [&routes, &ctx](std::string_view method, std::string_view pattern,
                             Response (*handler)(const AppContext&, const WebRequest&)) {
    return routes.Add(method, pattern, Access::kAdmin, Surface::kPage,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  TRELLIS_RETURN_IF_ERROR(add("GET", "/campaigns", ListPage));
  TRELLIS_RETURN_IF_ERROR(
      add("GET", "/campaigns/new", [](const AppContext& c, const WebRequest& r) {
        return NewPage(c, r, NewForm{}, FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns", CreateCampaign));
  TRELLIS_RETURN_IF_ERROR(
      add("GET", "/campaigns/{id}", [](const AppContext& c, const WebRequest& r) {
        return OverviewPage(c, r, FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/campaigns/{id}/open", [](const AppContext& c, const WebRequest& r) {
        return AfterAction(c, r,
                           c.services.campaigns.Open(r.principal->partnership_id, r.params.at("id"),
                                                     r.principal->account_id));
      }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/campaigns/{id}/close", [](const AppContext& c, const WebRequest& r) {
        return AfterAction(c, r,
                           c.services.campaigns.Close(r.principal->partnership_id,
                                                      r.params.at("id"), r.principal->account_id));
      }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/campaigns/{id}/release", [](const AppContext& c, const WebRequest& r) {
        // Every report is then rendered in the background (CampaignService::SetReleaseListener).
        return AfterAction(
            c, r,
            c.services.campaigns.Release(r.principal->partnership_id, r.params.at("id"),
                                         r.principal->account_id));
      }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns/{id}/subjects", AddSubjects));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns/{id}/nominations", Nominate));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/campaigns/{id}/nominations/{nomination}/approve",
          [](const AppContext& c, const WebRequest& r) {
            return AfterAction(
                c, r,
                c.services.campaigns.Approve(r.principal->partnership_id, r.params.at("id"),
                                             r.params.at("nomination"), r.principal->account_id));
          }));
  TRELLIS_RETURN_IF_ERROR(
      add("POST", "/campaigns/{id}/nominations/{nomination}/decline",
          [](const AppContext& c, const WebRequest& r) {
            return AfterAction(
                c, r,
                c.services.campaigns.Decline(r.principal->partnership_id, r.params.at("id"),
                                             r.params.at("nomination"), r.principal->account_id));
          }));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns/{id}/invitations", SendInvitations));
  // A POST (a form button), not a link: making the file issues links and marks raters invited.
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns/{id}/invitations.csv", ExportCsv));
  TRELLIS_RETURN_IF_ERROR(add("POST", "/campaigns/{id}/reminders", SendReminders));
  TRELLIS_RETURN_IF_ERROR(add("GET", "/campaigns/{id}/progress", ProgressPage));
  // The JSON API mirroring these pages (campaign_api.h), and the subject's own pages.
  TRELLIS_RETURN_IF_ERROR(AddCampaignApi(routes, ctx));
  return AddSubjectPages(routes, ctx);
}

}  // namespace trellis::web
