// web/report_pages.cc — see report_pages.h. Every figure shown comes from the SubjectReport
// (analytics::Analyse's aggregates, already suppressed by rule 4); this file only formats them:
// two decimals for scores, whole numbers for percentiles, words for flags and agreement.
#include "web/report_pages.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "service/report_export.h"
#include "web/form.h"
#include "web/problem.h"
#include "web/report_charts.h"
#include "web/report_json.h"

namespace trellis::web {
namespace {

using analytics::Aggregate;
using analytics::IsNull;
using analytics::ReportGroup;
using analytics::SetLevel;
using service::CampaignFigures;
using service::SubjectReport;

// `x` rounded half away from zero to `decimals` places ("%.2f" alone would round 3.625 to
// "3.62", half to even), with a sign when `sign`; "" for null.
std::string Fixed(double x, int decimals = 2, bool sign = false) {
  if (IsNull(x)) return "";
  const double scale = decimals == 0 ? 1 : decimals == 1 ? 10 : 100;
  const double rounded = std::round(x * scale) / scale;
  char buf[32];
  std::snprintf(buf, sizeof buf, sign ? "%+.*f" : "%.*f", decimals, rounded == 0 ? 0.0 : rounded);
  return buf;
}

std::string ReportHref(std::string_view campaign, std::string_view subject) {
  return "/reports/" + PercentEncode(campaign) + "/" + PercentEncode(subject);
}

std::string GroupLabel(ReportGroup g) {
  switch (g) {
    case ReportGroup::kManager:
      return "Line manager";
    case ReportGroup::kPeer:
      return "Peers";
    case ReportGroup::kDirectReport:
      return "Direct reports";
    case ReportGroup::kPartner:
      return "Partner colleagues";
    case ReportGroup::kCommunity:
      return "Community members";
    case ReportGroup::kOther:
      return "Others";
    case ReportGroup::kCombined:
      return "Combined";
  }
  return "";
}

// rwg in words: the bands of LeBreton & Senter (2008), docs/reports.md "Agreement".
std::string AgreementWords(double rwg) {
  if (IsNull(rwg)) return "not enough scores to judge";
  if (rwg > 0.90) return "very strong agreement";
  if (rwg > 0.70) return "strong agreement";
  if (rwg > 0.50) return "moderate agreement";
  if (rwg > 0.30) return "weak agreement";
  return "raters disagree";
}

std::string FlagWords(analytics::Flag flag) {
  switch (flag) {
    case analytics::Flag::kBlindSpot:
      return "Blind spot: you rate yourself higher than others do";
    case analytics::Flag::kHiddenStrength:
      return "Hidden strength: others rate you higher than you do";
    case analytics::Flag::kNone:
      return "";
  }
  return "";
}

std::string ImportanceWords(int importance) {
  switch (importance) {
    case 1:
      return "useful";
    case 2:
      return "important";
    default:
      return "essential";
  }
}

std::string ReadingWords(const analytics::ContextReading& r) {
  std::string low;
  auto add = [&low](bool is_low, const char* name) {
    if (!is_low) return;
    if (!low.empty()) low += ", ";
    low += name;
  };
  add(r.capacity_low, "capacity");
  add(r.commitment_low, "commitment");
  add(r.context_low, "context");
  switch (r.verdict) {
    case analytics::ContextVerdict::kUnknown:
      return "Not enough answers to say";
    case analytics::ContextVerdict::kNoGap:
      return "At or near the target";
    case analytics::ContextVerdict::kSkill:
      return "Looks like skill: below target while capacity, commitment and context are adequate";
    case analytics::ContextVerdict::kRoom:
      return "Looks like room to use it: below target and " + low + " scored low";
  }
  return "";
}

// Shown groups as "label: mean (n)" and withheld ones as "label: reason".
PageList GroupsData(const CampaignFigures& f, size_t s, size_t k) {
  PageList out;
  const Aggregate& a = f.competencies.At(s, k);
  for (int g = 0; g < analytics::kReportGroupCount; ++g) {
    const auto group = static_cast<ReportGroup>(g);
    PageData d;
    d.set("label", GroupLabel(group));
    if (a.GroupShown(group)) {
      d.set("value", Fixed(a.group_mean[g]) + " (n = " + std::to_string(a.group_n[g]) + ")");
      d.set("shown", true);
    } else {
      const std::string why = service::WithheldReason(f, s, k, group);
      // "No peers answered" is not a withheld figure; leave such groups out.
      if (why.empty() || why.rfind("no ", 0) == 0) continue;
      d.set("value", "withheld: " + why);
      d.set("shown", false);
    }
    out.push_back(d);
  }
  return out;
}

// The common figures of one item set.
PageData SetData(const SubjectReport& r, size_t k) {
  const CampaignFigures& f = *r.figures;
  const Aggregate& a = f.competencies.At(r.subject, k);
  const analytics::ItemSet& set = f.competencies.sets[k];
  PageData d;
  d.set("code", set.code);
  d.set("title", service::SetTitle(f.framework, set));
  d.set("self", IsNull(a.self) ? std::string("not answered") : Fixed(a.self));
  const std::string reason = service::OthersWithheldReason(f, r.subject, k);
  d.set("others", reason.empty() ? Fixed(a.others_mean) : "withheld");
  d.set("others_reason", reason);
  d.set("has_others_reason", !reason.empty());
  d.set("others_n", std::to_string(a.others_n));
  d.set("gap", Fixed(a.gap, 2, true));
  d.set("flag", FlagWords(a.flag));
  d.set("has_flag", a.flag != analytics::Flag::kNone);
  d.set("agreement", IsNull(a.others_mean) ? std::string("") : AgreementWords(a.rwg));
  d.set("rwg", Fixed(a.rwg));
  d.set("has_rwg", !IsNull(a.rwg));
  d.set("percentile", Fixed(f.competencies.Percentile(r.subject, k), 0));
  d.set("profile_gap", Fixed(a.profile_gap, 2, true));
  d.set("groups", GroupsData(f, r.subject, k));
  return d;
}

std::string RadarFor(const SubjectReport& r, const std::string& id, const std::string& title,
                     const std::vector<size_t>& sets) {
  const CampaignFigures& f = *r.figures;
  RadarChart chart;
  chart.id = id;
  chart.title = title;
  chart.scale_min = f.framework.scale.min;
  chart.scale_max = f.framework.scale.max;
  for (size_t k : sets) {
    const Aggregate& a = f.competencies.At(r.subject, k);
    chart.axes.push_back({f.competencies.sets[k].code, a.self, a.others_mean});
  }
  return RadarSvg(chart);
}

// `priorities`: the competency codes of the subject's latest development plan, highlighted
// (given only when the viewer is the subject: a plan is private to its owner).
// The page's header: what report.mustache shows around the figures (cheap; built per view).
PageData HeaderData(const SubjectReport& r) {
  const CampaignFigures& f = *r.figures;
  const service::SubjectAttributes& subject = f.subjects[r.subject];
  const std::string href = ReportHref(f.campaign.id, subject.person_id);
  PageData data;
  data.set("subject_name", subject.name);
  data.set("campaign_name", f.campaign.name);
  data.set("released_at", f.campaign.released_at.substr(0, 10));
  data.set("min_group", std::to_string(f.campaign.min_group));
  data.set("scale",
           std::to_string(f.framework.scale.min) + " to " + std::to_string(f.framework.scale.max));
  data.set("csv_href", href + "/report.csv");
  data.set("xlsx_href", href + "/report.xlsx");
  data.set("is_subject", r.viewer_is_subject);
  data.set("plan_href", "/plans/new?campaign=" + PercentEncode(f.campaign.id));
  return data;
}

PageData ReportData(const SubjectReport& r, const std::set<std::string>& priorities) {
  const CampaignFigures& f = *r.figures;
  PageData data = HeaderData(r);

  // Overall and domains.
  std::vector<size_t> domain_sets;
  std::map<std::string, std::vector<size_t>> comp_sets_of_domain;
  std::map<std::string, std::vector<size_t>> item_sets_of_comp;
  std::vector<size_t> comp_sets;
  for (size_t k = 0; k < f.competencies.sets.size(); ++k) {
    const analytics::ItemSet& set = f.competencies.sets[k];
    if (set.level == SetLevel::kDomain) domain_sets.push_back(k);
    if (set.level == SetLevel::kCompetency) comp_sets.push_back(k);
  }
  // Competencies and items belong to the domain / competency whose item range holds them.
  for (size_t k = 0; k < f.competencies.sets.size(); ++k) {
    const analytics::ItemSet& set = f.competencies.sets[k];
    if (set.level != SetLevel::kCompetency && set.level != SetLevel::kItem) continue;
    const std::vector<size_t>& parents =
        set.level == SetLevel::kCompetency ? domain_sets : comp_sets;
    for (size_t p : parents) {
      const analytics::ItemSet& ps = f.competencies.sets[p];
      if (set.first_item >= ps.first_item && set.end_item <= ps.end_item) {
        (set.level == SetLevel::kCompetency ? comp_sets_of_domain : item_sets_of_comp)[ps.code]
            .push_back(k);
        break;
      }
    }
  }
  data.set("overall", SetData(r, 0));
  data.set("overview_chart",
           RadarFor(r, "radar-overall", "Self and others by domain", domain_sets));
  PageList overview;
  for (size_t k : domain_sets) overview.push_back(SetData(r, k));
  data.set("overview", overview);

  std::map<std::string, size_t> comp_position;  // code → index in comp_sets
  for (size_t i = 0; i < comp_sets.size(); ++i)
    comp_position[f.competencies.sets[comp_sets[i]].code] = i;
  const bool has_previous = !r.previous_campaign_id.empty();
  data.set("has_previous", has_previous);
  data.set("previous_campaign", r.previous_campaign_name);

  PageList domains;
  for (size_t dk : domain_sets) {
    const std::string& dcode = f.competencies.sets[dk].code;
    PageData d = SetData(r, dk);
    d.set("chart", RadarFor(r, "radar-" + dcode,
                            "Self and others by competency in " +
                                service::SetTitle(f.framework, f.competencies.sets[dk]),
                            comp_sets_of_domain[dcode]));
    PageList comps;
    for (size_t ck : comp_sets_of_domain[dcode]) {
      const std::string& ccode = f.competencies.sets[ck].code;
      PageData c = SetData(r, ck);
      const size_t i = comp_position[ccode];
      c.set("has_expected", i < r.expectations.size() && r.expectations[i].has_value());
      if (i < r.expectations.size() && r.expectations[i]) {
        c.set("expected", std::to_string(r.expectations[i]->level));
        c.set("importance", ImportanceWords(r.expectations[i]->importance) + " (" +
                                std::to_string(r.expectations[i]->importance) + ")");
        c.set("weighted_gap", Fixed(r.weighted_gaps[i], 2, true));
      }
      c.set("priority", priorities.count(ccode) > 0);
      c.set("has_previous", has_previous);
      if (has_previous && i < r.changes.size()) {
        const service::CompetencyChange& ch = r.changes[i];
        c.set("change",
              IsNull(ch.change) ? std::string("not comparable") : Fixed(ch.change, 2, true));
        c.set("previous", Fixed(ch.previous));
      }
      PageList items;
      for (size_t ik : item_sets_of_comp[ccode]) items.push_back(SetData(r, ik));
      c.set("items", items);
      comps.push_back(c);
    }
    d.set("competencies", comps);
    domains.push_back(d);
  }
  data.set("domains", domains);
  data.set("weighted_profile_gap", Fixed(r.weighted_profile_gap, 2, true));
  data.set("has_weighted_profile_gap", !IsNull(r.weighted_profile_gap));

  // Competence vs context.
  data.set("has_context", f.context_framework.has_value());
  if (f.context_framework) {
    PageList context_scores;
    for (size_t k = 0; k < f.context.sets.size(); ++k) {
      if (f.context.sets[k].level != SetLevel::kDomain) continue;
      const Aggregate& a = f.context.At(r.subject, k);
      PageData cs;
      cs.set("title", service::SetTitle(*f.context_framework, f.context.sets[k]));
      cs.set("self", IsNull(a.self) ? std::string("not answered") : Fixed(a.self));
      const std::string reason = service::OthersWithheldReason(f, r.subject, k, true);
      cs.set("others", reason.empty() ? Fixed(a.others_mean) : "withheld");
      cs.set("others_reason", reason);
      cs.set("has_others_reason", !reason.empty());
      context_scores.push_back(cs);
    }
    data.set("context_scores", context_scores);
    PageList readings;
    for (size_t i = 0; i < comp_sets.size() && i < r.context_readings.size(); ++i) {
      const analytics::ContextReading& reading = r.context_readings[i];
      const Aggregate& a = f.competencies.At(r.subject, comp_sets[i]);
      PageData row;
      row.set("code", f.competencies.sets[comp_sets[i]].code);
      row.set("title", service::SetTitle(f.framework, f.competencies.sets[comp_sets[i]]));
      row.set("score", IsNull(a.others_mean) ? std::string("withheld") : Fixed(a.others_mean));
      row.set("target", Fixed(reading.target));
      row.set("reading", ReadingWords(reading));
      readings.push_back(row);
    }
    data.set("readings", readings);
  }

  // Comments, by domain then group. The subject's own comments are labelled for the reader.
  const std::string& subject_name = f.subjects[r.subject].name;
  const std::string own_label = r.viewer_is_subject    ? std::string("Your own comments")
                                : subject_name.empty() ? std::string("Self")
                                                       : subject_name + "'s own comments";
  PageList comment_domains;
  std::string current_domain;
  PageData domain_block;
  PageList groups;
  PageList texts;
  std::string current_group;
  PageData group_block;
  auto flush_group = [&]() {
    if (current_group.empty()) return;
    group_block.set("comments", texts);
    groups.push_back(group_block);
    texts = PageList{};
    current_group.clear();
  };
  auto flush_domain = [&]() {
    flush_group();
    if (current_domain.empty()) return;
    domain_block.set("groups", groups);
    comment_domains.push_back(domain_block);
    groups = PageList{};
    current_domain.clear();
  };
  for (const service::VisibleComment& c : r.comments) {
    if (c.domain_code != current_domain) {
      flush_domain();
      current_domain = c.domain_code;
      domain_block = PageData{};
      std::optional<size_t> k = f.SetIndex(SetLevel::kDomain, c.domain_code);
      domain_block.set("title",
                       k ? service::SetTitle(f.framework, f.competencies.sets[*k]) : c.domain_code);
    }
    const std::string label = c.self ? own_label : GroupLabel(c.group);
    if (label != current_group) {
      flush_group();
      current_group = label;
      group_block = PageData{};
      group_block.set("label", label);
    }
    PageData t;
    t.set("text", c.text);
    texts.push_back(t);
  }
  flush_domain();
  data.set("comment_domains", comment_domains);
  data.set("has_comments", !r.comments.empty());
  data.set("withheld_comments", std::to_string(r.withheld_comments));
  data.set("has_withheld_comments", r.withheld_comments > 0);
  return data;
}

// Where a report page's body goes (ReportPage).
constexpr std::string_view kBodyMarker = "<!--trellis:report-body-->";

Status NoReports() { return Status::Unavailable("reports are not available on this server"); }

// Who a report's body (_report_body.mustache) is rendered for. The figures are the same for
// every viewer; the subject's own page differs from an admin's or a shared viewer's only in the
// label of the subject's own comments and in the plan priorities it highlights (the subject's
// alone). So one body serves every viewer unless the report has such comments or priorities.
std::string BodyVariant(const SubjectReport& r, const std::set<std::string>& priorities) {
  const bool own_comments = std::any_of(r.comments.begin(), r.comments.end(),
                                        [](const service::VisibleComment& c) { return c.self; });
  if (!r.viewer_is_subject || (!own_comments && priorities.empty())) return "all";
  std::string variant = "subject";
  for (const std::string& code : priorities) variant += "\n" + code;
  return variant;
}

// The body of `r`'s page: kept by ReportService with the figures it shows (prerendered when the
// campaign was released, docs/reports.md "Prerendering"), else rendered now and kept. A view
// then costs the access check, its audit entry and the page's small header, not the building
// of some ten thousand template values (bench/report).
Result<std::shared_ptr<const std::string>> ReportBody(const AppContext& ctx, const SubjectReport& r,
                                                      const std::set<std::string>& priorities) {
  const std::string variant = BodyVariant(r, priorities);
  if (std::shared_ptr<const std::string> kept = ctx.services.reports->Body(r, variant)) return kept;
  PageData figures = ReportData(r, priorities);
  figures.set("has_priorities", !priorities.empty());
  Result<std::string> html = ctx.pages.templates().Render("_report_body", figures);
  if (!html.ok()) return html.status();
  auto body = std::make_shared<const std::string>(std::move(*html));
  ctx.services.reports->KeepBody(r, variant, body);
  return std::shared_ptr<const std::string>(std::move(body));
}

Response ReportPage(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  const std::string& campaign = r.params.at("campaign");
  const std::string& subject = r.params.at("subject");
  Result<SubjectReport> report =
      ctx.services.reports->Report(*r.principal, campaign, subject, "page");
  if (!report.ok()) return ctx.pages.Error(r.principal, report.status());
  std::set<std::string> priorities;
  if (report->viewer_is_subject && ctx.services.plans != nullptr) {
    Result<std::vector<std::string>> codes =
        ctx.services.plans->PriorityCompetencies(r.principal->partnership_id, subject);
    if (!codes.ok()) return ctx.pages.Error(r.principal, codes.status());
    priorities.insert(codes->begin(), codes->end());
  }
  Result<std::shared_ptr<const std::string>> figures_html = ReportBody(ctx, *report, priorities);
  if (!figures_html.ok()) return ctx.pages.Error(r.principal, figures_html.status());
  PageData data = HeaderData(*report);
  // The page is rendered around a marker that the body then replaces: the body (some 100 KB)
  // is copied once, not through two templates. Text from users is escaped, so the marker's '<'
  // cannot come from them; only the template's {{{figures_html}}} produces it.
  data.set("figures_html", std::string(kBodyMarker));
  if (report->viewer_is_subject) {
    Result<std::vector<service::ReportShareView>> shares =
        ctx.services.reports->Shares(*r.principal, campaign);
    if (!shares.ok()) return ctx.pages.Error(r.principal, shares.status());
    PageList rows;
    for (const service::ReportShareView& s : *shares) {
      PageData row;
      row.set("name", s.display_name);
      row.set("email", s.email);
      row.set("since", s.shared_at.substr(0, 10));
      row.set("revoke", "/reports/" + PercentEncode(campaign) + "/shares/" +
                            PercentEncode(s.account_id) + "/revoke");
      rows.push_back(row);
    }
    data.set("shares", rows);
    data.set("has_shares", !rows.empty());
    data.set("share_action", "/reports/" + PercentEncode(campaign) + "/shares");
    if (const std::string* e = r.request.Query("share_error")) data.set("share_error", *e);
    if (r.request.Query("shared")) data.set("notice", std::string("Report shared."));
    if (r.request.Query("revoked")) data.set("notice", std::string("Sharing withdrawn."));
  }
  const std::string title = "360 report: " + report->figures->subjects[report->subject].name;
  Response page = ctx.pages.Render(r.principal, "report", title, data, 200, "/reports");
  const size_t at = page.body.find(kBodyMarker);
  if (page.status != 200 || at == std::string::npos) return page;
  const std::string& body = **figures_html;
  std::string html;
  html.reserve(page.body.size() - kBodyMarker.size() + body.size());
  html.append(page.body, 0, at);
  html.append(body);
  html.append(page.body, at + kBodyMarker.size());
  page.body = std::move(html);
  return page;
}

// Registers the body renderer with the report service, and withdraws it (waiting for a render
// in progress) before the templates it uses go away.
class BodyRendererRegistration {
 public:
  BodyRendererRegistration(service::ReportService& reports,
                           service::ReportService::BodyRenderer renderer)
      : reports_(reports), id_(reports.SetBodyRenderer(std::move(renderer))) {}
  ~BodyRendererRegistration() { reports_.RemoveBodyRenderer(id_); }
  BodyRendererRegistration(const BodyRendererRegistration&) = delete;
  BodyRendererRegistration& operator=(const BodyRendererRegistration&) = delete;

 private:
  service::ReportService& reports_;
  uint64_t id_;
};

Response ExportFile(const AppContext& ctx, const WebRequest& r, bool xlsx) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  Result<SubjectReport> report = ctx.services.reports->Report(
      *r.principal, r.params.at("campaign"), r.params.at("subject"), xlsx ? "xlsx" : "csv");
  if (!report.ok()) return ctx.pages.Error(r.principal, report.status());
  Response response;
  const std::string name = "report-" + r.params.at("campaign") + "-" + r.params.at("subject");
  if (xlsx) {
    Result<std::string> bytes = service::ReportXlsx(*report);
    if (!bytes.ok()) return ctx.pages.Error(r.principal, bytes.status());
    response.body = std::move(*bytes);
    response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  } else {
    response.body = service::ReportCsv(*report);
    response.content_type = "text/csv; charset=utf-8";
  }
  // Ids are [a-z0-9_] (core/ids.h); anything else is dropped from the file name.
  std::string safe;
  for (char c : name)
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') safe.push_back(c);
  response.headers.Add("Content-Disposition",
                       "attachment; filename=\"" + safe + (xlsx ? ".xlsx\"" : ".csv\""));
  return response;
}

Response MyReportsPage(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  Result<std::vector<service::ReportListing>> mine = ctx.services.reports->MyReports(*r.principal);
  if (!mine.ok()) return ctx.pages.Error(r.principal, mine.status());
  PageList own, shared;
  for (const service::ReportListing& l : *mine) {
    PageData row;
    row.set("campaign", l.campaign_name);
    row.set("subject", l.subject_name);
    row.set("released", l.released_at.substr(0, 10));
    row.set("href", ReportHref(l.campaign_id, l.subject_id));
    (l.shared ? shared : own).push_back(row);
  }
  PageData data;
  data.set("own", own);
  data.set("has_own", !own.empty());
  data.set("shared", shared);
  data.set("has_shared", !shared.empty());
  return ctx.pages.Render(r.principal, "reports", "My reports", data, 200, "/reports");
}

Response CampaignReportsPage(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  const std::string& campaign = r.params.at("id");
  Result<std::vector<service::ReportListing>> list =
      ctx.services.reports->CampaignReports(*r.principal, campaign);
  PageData data;
  Result<model::Campaign> c = ctx.services.campaigns.Get(r.principal->partnership_id, campaign);
  if (!c.ok()) return ctx.pages.Error(r.principal, c.status());
  const std::string name = c->name;
  if (!list.ok() && list.status().code() == StatusCode::kFailedPrecondition) {
    // Draft, open or closed: no reports yet; say when they come rather than fail.
    data.set("not_released", true);
    data.set("reason", list.status().message());
    list = std::vector<service::ReportListing>{};
  }
  if (!list.ok()) return ctx.pages.Error(r.principal, list.status());
  PageList rows;
  for (const service::ReportListing& l : *list) {
    PageData row;
    row.set("subject", l.subject_name.empty() ? l.subject_id : l.subject_name);
    row.set("href", ReportHref(l.campaign_id, l.subject_id));
    rows.push_back(row);
  }
  data.set("reports", rows);
  data.set("campaign_href", "/campaigns/" + PercentEncode(campaign));
  data.set("api_href", "/api/v1/campaigns/" + PercentEncode(campaign) + "/reports");
  return ctx.pages.Render(r.principal, "report_list", "Reports: " + name, data, 200, "/campaigns");
}

Response ShareAction(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  const std::string& campaign = r.params.at("campaign");
  const std::string back = ReportHref(campaign, r.principal->person_id);
  Status shared = ctx.services.reports->Share(*r.principal, campaign, r.form.Value("email"));
  if (shared.code() == StatusCode::kNotFound || shared.code() == StatusCode::kInvalidArgument) {
    std::string message = shared.message();
    if (message.rfind("field 'email': ", 0) == 0) message = message.substr(15);
    return RedirectResponse(back + "?share_error=" + PercentEncode(message) + "#sharing");
  }
  if (!shared.ok()) return ctx.pages.Error(r.principal, shared);
  return RedirectResponse(back + "?shared=1#sharing");
}

Response RevokeAction(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ctx.pages.Error(r.principal, NoReports());
  const std::string& campaign = r.params.at("campaign");
  Status revoked = ctx.services.reports->Revoke(*r.principal, campaign, r.params.at("account"));
  if (!revoked.ok()) return ctx.pages.Error(r.principal, revoked);
  return RedirectResponse(ReportHref(campaign, r.principal->person_id) + "?revoked=1#sharing");
}

// --- API ---

Response ApiJsonl(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ErrorResponse(NoReports());
  Result<std::string> lines = ctx.services.reports->ReportJsonl(*r.principal, r.params.at("id"));
  if (!lines.ok()) return ErrorResponse(lines.status());
  Response response;
  response.content_type = "application/jsonl; charset=utf-8";
  response.body = std::move(*lines);
  return response;
}

Response ApiReport(const AppContext& ctx, const WebRequest& r) {
  if (ctx.services.reports == nullptr) return ErrorResponse(NoReports());
  Result<SubjectReport> report =
      ctx.services.reports->Report(*r.principal, r.params.at("id"), r.params.at("subject"), "json");
  if (!report.ok()) return ErrorResponse(report.status());
  return JsonResponse(ReportJson(*report).dump());
}

}  // namespace

Status AddReportPages(RouteTable& routes, const AppContext& ctx) {
  auto page = [&routes, &ctx](std::string_view method, std::string_view pattern, Access access,
                              Response (*handler)(const AppContext&, const WebRequest&)) {
    return routes.Add(method, pattern, access, Surface::kPage,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  auto api = [&routes, &ctx](std::string_view pattern,
                             Response (*handler)(const AppContext&, const WebRequest&)) {
    return routes.Add("GET", pattern, Access::kStaff, Surface::kApi,
                      [&ctx, handler](const WebRequest& r) { return handler(ctx, r); });
  };
  TRELLIS_RETURN_IF_ERROR(page("GET", "/reports", Access::kStaff, MyReportsPage));
  // The service prerenders report bodies through this application's templates for as long as
  // its routes live (the registration is kept alive by the report page's handler).
  std::shared_ptr<BodyRendererRegistration> registration;
  if (ctx.services.reports != nullptr) {
    registration = std::make_shared<BodyRendererRegistration>(
        *ctx.services.reports,
        [&ctx](const SubjectReport& report) { return ReportBody(ctx, report, {}).status(); });
  }
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/reports/{campaign}/{subject}", Access::kStaff, Surface::kPage,
                 [&ctx, registration](const WebRequest& r) { return ReportPage(ctx, r); }));
  TRELLIS_RETURN_IF_ERROR(
      page("GET", "/reports/{campaign}/{subject}/report.csv", Access::kStaff,
           [](const AppContext& c, const WebRequest& r) { return ExportFile(c, r, false); }));
  TRELLIS_RETURN_IF_ERROR(
      page("GET", "/reports/{campaign}/{subject}/report.xlsx", Access::kStaff,
           [](const AppContext& c, const WebRequest& r) { return ExportFile(c, r, true); }));
  TRELLIS_RETURN_IF_ERROR(page("POST", "/reports/{campaign}/shares", Access::kStaff, ShareAction));
  TRELLIS_RETURN_IF_ERROR(
      page("POST", "/reports/{campaign}/shares/{account}/revoke", Access::kStaff, RevokeAction));
  TRELLIS_RETURN_IF_ERROR(
      page("GET", "/campaigns/{id}/reports", Access::kAdmin, CampaignReportsPage));
  TRELLIS_RETURN_IF_ERROR(api("/api/v1/campaigns/{id}/reports", ApiJsonl));
  TRELLIS_RETURN_IF_ERROR(api("/api/v1/campaigns/{id}/reports/{subject}", ApiReport));
  return Status::Ok();
}

}  // namespace trellis::web
