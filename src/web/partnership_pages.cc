// web/partnership_pages.cc — see partnership_pages.h. Handlers parse the query, fetch the
// cached figures through ReportService::Figures, build the view (service/partnership_view.h)
// and render; a withheld cell is rendered from its reason alone, so no number can leak.
#include "web/partnership_pages.h"

#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analytics/context_reading.h"
#include "formats/csv.h"
#include "service/partnership_view.h"
#include "service/report_export.h"
#include "web/labels.h"
#include "web/problem.h"
#include "web/progress_rows.h"

namespace trellis::web {
namespace {

using analytics::CellWithheld;
using analytics::Heatmap;
using analytics::HeatmapCell;
using analytics::SetLevel;
using nlohmann::json;
using service::PartnershipView;

enum class Breakdown { kOrganisation, kSector, kRole, kLevel, kFunction };
constexpr std::pair<Breakdown, std::string_view> kBreakdowns[] = {
    {Breakdown::kOrganisation, "organisation"},
    {Breakdown::kSector, "sector"},
    {Breakdown::kRole, "role"},
    {Breakdown::kLevel, "level"},
    {Breakdown::kFunction, "function"}};

enum class Metric { kScore, kProfile };

struct ViewQuery {
  std::string campaign_id;  // "" = the newest closed or released campaign
  Breakdown by = Breakdown::kOrganisation;
  SetLevel level = SetLevel::kCompetency;
  Metric metric = Metric::kScore;
};

// kInvalidArgument naming the parameter and its allowed values.
Result<ViewQuery> ParseQuery(const Request& request) {
  ViewQuery q;
  if (const std::string* c = request.Query("campaign")) q.campaign_id = *c;
  if (const std::string* by = request.Query("by"); by != nullptr && !by->empty()) {
    bool found = false;
    for (const auto& [value, name] : kBreakdowns) {
      if (*by == name) q.by = value, found = true;
    }
    if (!found) {
      return Status::InvalidArgument(
          "by: must be one of organisation, sector, role, level, function (not '" + *by + "')");
    }
  }
  if (const std::string* level = request.Query("level"); level != nullptr && !level->empty()) {
    if (*level == "competency") {
      q.level = SetLevel::kCompetency;
    } else if (*level == "domain") {
      q.level = SetLevel::kDomain;
    } else {
      return Status::InvalidArgument("level: must be competency or domain (not '" + *level + "')");
    }
  }
  if (const std::string* m = request.Query("metric"); m != nullptr && !m->empty()) {
    if (*m == "score") {
      q.metric = Metric::kScore;
    } else if (*m == "profile") {
      q.metric = Metric::kProfile;
    } else {
      return Status::InvalidArgument("metric: must be score or profile (not '" + *m + "')");
    }
  }
  return q;
}

// The campaigns with figures (closed or released), newest first.
Result<std::vector<model::Campaign>> CampaignsWithFigures(const AppContext& ctx,
                                                          const std::string& pid) {
  Result<std::vector<model::Campaign>> all = ctx.services.campaigns.List(pid);
  if (!all.ok()) return all.status();
  std::vector<model::Campaign> out;
  for (model::Campaign& c : *all) {
    if (model::HasFigures(c.state)) out.push_back(std::move(c));
  }
  return out;
}

std::string Fixed(double x, const char* format = "%.2f") {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, format, x);
  return buffer;
}

// A row of the table being shown: its label and one cell per column.
struct ShownRow {
  std::string key;
  std::string label;
  std::vector<const HeatmapCell*> cells;
};

std::vector<ShownRow> RowsOf(const Heatmap& heatmap) {
  std::vector<ShownRow> rows;
  for (size_t r = 0; r < heatmap.rows.size(); ++r) {
    ShownRow row{heatmap.rows[r], heatmap.rows[r], {}};
    for (size_t c = 0; c < heatmap.columns.size(); ++c) row.cells.push_back(&heatmap.At(r, c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<ShownRow> ParentRowsOf(const Heatmap& heatmap, size_t dimension) {
  std::vector<ShownRow> rows;
  if (dimension >= heatmap.parents.size()) return rows;
  for (const auto& [key, cells] : heatmap.parents[dimension]) {
    ShownRow row{key, HumanLabel(key), {}};
    for (const HeatmapCell& cell : cells) row.cells.push_back(&cell);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The rows of `view` for `by`, labelled for people.
std::vector<ShownRow> RowsFor(const PartnershipView& view, Breakdown by,
                              const std::map<std::string, std::string>& org_names) {
  switch (by) {
    case Breakdown::kOrganisation: {
      std::vector<ShownRow> rows = RowsOf(view.organisations);
      for (ShownRow& row : rows) {
        auto it = org_names.find(row.key);
        if (it != org_names.end()) row.label = it->second;
      }
      return rows;
    }
    case Breakdown::kSector:
      return ParentRowsOf(view.organisations, 0);
    case Breakdown::kRole: {
      std::vector<ShownRow> rows = RowsOf(view.roles);
      for (ShownRow& row : rows) {
        const size_t slash = row.key.find('/');
        row.label =
            HumanLabel(row.key.substr(0, slash)) + " · " + HumanLabel(row.key.substr(slash + 1));
      }
      return rows;
    }
    case Breakdown::kLevel:
      return ParentRowsOf(view.roles, 0);
    case Breakdown::kFunction:
      return ParentRowsOf(view.roles, 1);
  }
  return {};
}

std::string WithheldReason(const HeatmapCell& cell, int min_cell) {
  if (cell.subjects == 0) return "no subject with a shown score";
  if (cell.withheld == CellWithheld::kComplementary) {
    return "withheld so that a smaller group cannot be worked out";
  }
  return "fewer than " + std::to_string(min_cell) + " subjects";
}

// 1..5: where `mean` lies on the scale, for the cell's colour (the number is always shown).
int Band(double mean, const model::Scale& scale) {
  const double span = scale.max - scale.min;
  if (span <= 0) return 3;
  const int band = 1 + static_cast<int>((mean - scale.min) / span * 5);
  return band < 1 ? 1 : band > 5 ? 5 : band;
}

PageData CellData(const HeatmapCell& cell, Metric metric, const PartnershipView& view) {
  PageData data;
  if (!cell.Shown()) {
    data.set("withheld", true);
    data.set("reason", WithheldReason(cell, view.options.min_cell));
    return data;
  }
  data.set("n", std::to_string(cell.subjects));
  if (metric == Metric::kScore) {
    data.set("value", Fixed(cell.mean));
    data.set("band", "heat-" + std::to_string(Band(cell.mean, view.figures->framework.scale)));
    return data;
  }
  if (cell.with_profile == 0) {
    data.set("value", std::string("no profile"));
    data.set("band", std::string("heat-none"));
    return data;
  }
  data.set("value", Fixed(cell.profile_gap, "%+.2f"));
  data.set("detail", std::to_string(cell.below_profile) + " of " +
                         std::to_string(cell.with_profile) + " below");
  data.set("band", std::string(cell.profile_gap < -0.5   ? "heat-1"
                               : cell.profile_gap < 0    ? "heat-2"
                               : cell.profile_gap < 0.25 ? "heat-3"
                                                         : "heat-4"));
  return data;
}

// Code → title of every domain and competency of the campaign's framework.
std::map<std::string, std::string> SetTitles(const model::Framework& framework) {
  std::map<std::string, std::string> titles;
  for (const model::Domain& d : framework.domains) {
    titles[d.code] = d.title;
    for (const model::Competency& c : d.competencies) titles[c.code] = c.title;
  }
  return titles;
}

Result<std::map<std::string, std::string>> OrganisationNames(const AppContext& ctx,
                                                             const std::string& pid) {
  Result<std::vector<model::Organisation>> orgs = ctx.services.directory.ListOrganisations(pid);
  if (!orgs.ok()) return orgs.status();
  std::map<std::string, std::string> names;
  for (const model::Organisation& o : *orgs) names[o.id] = o.name;
  return names;
}

Result<PartnershipView> ViewOf(const AppContext& ctx, const std::string& pid,
                               const std::string& campaign_id, SetLevel level) {
  if (ctx.services.reports == nullptr) {
    return Status::Unavailable("reports are not available on this server");
  }
  Result<std::shared_ptr<const service::CampaignFigures>> figures =
      ctx.services.reports->Figures(pid, campaign_id);
  if (!figures.ok()) return figures.status();
  service::PartnershipViewOptions options;
  options.level = level;
  return service::BuildPartnershipView(std::move(*figures), options);
}

std::string Heading(const PartnershipView& view, size_t column,
                    const std::map<std::string, std::string>& titles) {
  const std::string& code =
      view.figures->competencies.sets[view.organisations.columns[column]].code;
  auto it = titles.find(code);
  return it == titles.end() ? code : it->second;
}

PageList RankedList(const PartnershipView& view, const std::vector<size_t>& columns,
                    const std::map<std::string, std::string>& titles) {
  PageList list;
  for (size_t c : columns) {
    PageData item;
    item.set("title", Heading(view, c, titles));
    item.set("mean", Fixed(view.organisations.total[c].mean));
    item.set("n", std::to_string(view.organisations.total[c].subjects));
    list.push_back(item);
  }
  return list;
}

PageList ContextRows(const PartnershipView& view,
                     const std::map<std::string, std::string>& org_names) {
  PageList rows;
  const Heatmap& context = view.context;
  const Heatmap& overall = view.overall_by_organisation;
  if (context.columns.empty()) return rows;
  const model::Scale& scale = view.figures->framework.scale;
  const model::Scale& context_scale = view.figures->context_framework->scale;
  for (size_t r = 0; r < overall.rows.size(); ++r) {
    PageData row;
    auto it = org_names.find(overall.rows[r]);
    row.set("label", it == org_names.end() ? overall.rows[r] : it->second);
    row.set("overall", CellData(overall.At(r, 0), Metric::kScore, view));
    PageList cells;
    analytics::ContextInputs inputs;
    inputs.scale_min = scale.min;
    inputs.scale_max = scale.max;
    inputs.context_scale_min = context_scale.min;
    inputs.context_scale_max = context_scale.max;
    inputs.competency = overall.At(r, 0).mean;  // NaN when withheld
    for (size_t c = 0; c < context.columns.size(); ++c) {
      const HeatmapCell& cell = context.At(r, c);
      PageData d = CellData(cell, Metric::kScore, view);
      if (cell.Shown()) {
        d.set("band", "heat-" + std::to_string(Band(cell.mean, context_scale)));
      }
      cells.push_back(d);
      const std::string& code = view.figures->context.sets[context.columns[c]].code;
      // The context check's domains (frameworks/context-check.json), as report_service.cc reads
      // them.
      if (code == "CAP") inputs.capacity = cell.mean;
      if (code == "COM") inputs.commitment = cell.mean;
      if (code == "CTX") inputs.context = cell.mean;
    }
    row.set("cells", cells);
    const analytics::ContextReading reading = analytics::ReadContext(inputs);
    static const std::map<analytics::ContextVerdict, std::string> kWords = {
        {analytics::ContextVerdict::kUnknown, "not enough figures to say"},
        {analytics::ContextVerdict::kNoGap, "no overall gap"},
        {analytics::ContextVerdict::kSkill, "looks like skill: the context is adequate"},
        {analytics::ContextVerdict::kRoom, "looks like room to act: context scores are low"}};
    row.set("reading", kWords.at(reading.verdict));
    rows.push_back(row);
  }
  return rows;
}

Response ViewPage(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  Result<ViewQuery> query = ParseQuery(r.request);
  if (!query.ok()) return ctx.pages.Error(r.principal, query.status());
  Result<std::vector<model::Campaign>> campaigns = CampaignsWithFigures(ctx, pid);
  if (!campaigns.ok()) return ctx.pages.Error(r.principal, campaigns.status());
  PageData data;
  if (campaigns->empty()) {
    data.set("no_campaigns", true);
    return ctx.pages.Render(r.principal, "partnership", "Partnership view", data, 200,
                            "/partnership");
  }
  if (query->campaign_id.empty()) query->campaign_id = campaigns->front().id;
  PageList options;
  const model::Campaign* chosen = nullptr;
  for (const model::Campaign& c : *campaigns) {
    PageData o;
    o.set("id", c.id);
    o.set("name", c.name + " (" + std::string(model::CampaignStateName(c.state)) + ")");
    o.set("selected", c.id == query->campaign_id);
    if (c.id == query->campaign_id) chosen = &c;
    options.push_back(o);
  }
  if (chosen == nullptr) {
    return ctx.pages.Error(r.principal,
                           Status::NotFound("no closed or released campaign " + query->campaign_id +
                                            " in this partnership"));
  }
  Result<PartnershipView> view = ViewOf(ctx, pid, query->campaign_id, query->level);
  if (!view.ok()) return ctx.pages.Error(r.principal, view.status());
  Result<std::map<std::string, std::string>> org_names = OrganisationNames(ctx, pid);
  if (!org_names.ok()) return ctx.pages.Error(r.principal, org_names.status());
  const std::map<std::string, std::string> titles = SetTitles(view->figures->framework);

  data.set("campaigns", options);
  PageList bys;
  for (const auto& [value, name] : kBreakdowns) {
    PageData b;
    b.set("value", std::string(name));
    b.set("label", HumanLabel(name));
    b.set("selected", value == query->by);
    bys.push_back(b);
  }
  data.set("breakdowns", bys);
  data.set("level_competency", query->level == SetLevel::kCompetency);
  data.set("level_domain", query->level == SetLevel::kDomain);
  data.set("metric_score", query->metric == Metric::kScore);
  data.set("metric_profile", query->metric == Metric::kProfile);
  data.set("min_cell", std::to_string(view->options.min_cell));
  data.set("min_group", std::to_string(chosen->min_group));
  data.set("subjects", std::to_string(view->figures->subjects.size()));
  data.set("campaign_name", chosen->name);

  PageList headings;
  for (size_t c = 0; c < view->organisations.columns.size(); ++c) {
    PageData h;
    h.set("code", view->figures->competencies.sets[view->organisations.columns[c]].code);
    h.set("title", Heading(*view, c, titles));
    headings.push_back(h);
  }
  data.set("headings", headings);
  PageList rows;
  for (const ShownRow& row : RowsFor(*view, query->by, *org_names)) {
    PageData d;
    d.set("label", row.label);
    PageList cells;
    for (const HeatmapCell* cell : row.cells)
      cells.push_back(CellData(*cell, query->metric, *view));
    d.set("cells", cells);
    rows.push_back(d);
  }
  PageData total;
  total.set("label", std::string("Whole partnership"));
  PageList total_cells;
  for (const HeatmapCell& cell : view->organisations.total) {
    total_cells.push_back(CellData(cell, query->metric, *view));
  }
  total.set("cells", total_cells);
  rows.push_back(total);
  data.set("rows", rows);

  const std::vector<size_t>& order = view->strongest_first;
  const size_t top = std::min<size_t>(3, order.size() / 2);
  data.set("strongest",
           RankedList(*view, std::vector<size_t>(order.begin(), order.begin() + top), titles));
  data.set("weakest",
           RankedList(*view, std::vector<size_t>(order.end() - top, order.end()), titles));
  data.set("has_ranking", top > 0);

  PageList context_headings;
  for (size_t k : view->context.columns) {
    PageData h;
    const std::string& code = view->figures->context.sets[k].code;
    std::string title = code;
    for (const model::Domain& d : view->figures->context_framework->domains) {
      if (d.code == code) title = d.title;
    }
    h.set("title", title);
    context_headings.push_back(h);
  }
  data.set("context_headings", context_headings);
  data.set("context_rows", ContextRows(*view, *org_names));
  data.set("has_context", !view->context.columns.empty());

  Result<service::OrganisationProgressReport> progress =
      ctx.services.campaigns.ProgressByOrganisation(pid, chosen->id);
  if (!progress.ok()) return ctx.pages.Error(r.principal, progress.status());
  PageList rates;
  for (const auto& [org, counts] : progress->by_organisation) {
    PageData rate;
    auto it = org_names->find(org);
    rate.set("label", it == org_names->end() ? org : it->second);
    rate.set("submitted", std::to_string(counts.submitted));
    rate.set("invited", std::to_string(counts.invited));
    rate.set("rate", Percent(counts.Rate()));
    rates.push_back(rate);
  }
  data.set("rates", rates);
  data.set("total_rate", Percent(progress->total.Rate()));
  std::string csv = "/partnership/heatmap.csv?campaign=" + chosen->id +
                    "&by=" + std::string(kBreakdowns[static_cast<int>(query->by)].second) +
                    "&level=" + (query->level == SetLevel::kDomain ? "domain" : "competency") +
                    "&metric=" + (query->metric == Metric::kProfile ? "profile" : "score");
  data.set("csv_href", csv);
  data.set("xlsx_href", "/partnership/heatmap.xlsx" + csv.substr(csv.find('?')));
  return ctx.pages.Render(r.principal, "partnership", "Partnership view", data, 200,
                          "/partnership");
}

// One line of the export: breakdown, row, set, value, subjects, withheld. A withheld cell has
// no value and no count, only the reason; a shown one no reason.
std::vector<service::ExportCell> ExportLine(const std::string& by, const std::string& row,
                                            const std::string& set, const HeatmapCell& cell,
                                            Metric metric, int min_cell) {
  using service::ExportCell;
  std::vector<ExportCell> line = {{false, 0, by}, {false, 0, row}, {false, 0, set}};
  if (!cell.Shown()) {
    line.insert(line.end(),
                {ExportCell{}, ExportCell{}, {false, 0, WithheldReason(cell, min_cell)}});
  } else if (metric == Metric::kScore) {
    line.insert(line.end(), {{true, cell.mean, ""}, {true, double(cell.subjects), ""}, {}});
  } else if (cell.with_profile == 0) {
    line.insert(line.end(), {ExportCell{}, {true, 0, ""}, {false, 0, "no profile"}});
  } else {
    line.insert(line.end(),
                {{true, cell.profile_gap, ""}, {true, double(cell.with_profile), ""}, {}});
  }
  return line;
}

// The heatmap as CSV (`xlsx` false) or an xlsx workbook, in long format (one line per row ×
// column, so a spreadsheet can pivot it), with the page's withholding.
Response HeatmapExport(const AppContext& ctx, const WebRequest& r, bool xlsx) {
  const std::string& pid = r.principal->partnership_id;
  Result<ViewQuery> query = ParseQuery(r.request);
  if (!query.ok()) return ctx.pages.Error(r.principal, query.status());
  // Without a campaign, the page (which picks the newest closed one) offers the download.
  if (query->campaign_id.empty()) return RedirectResponse("/partnership");
  Result<PartnershipView> view = ViewOf(ctx, pid, query->campaign_id, query->level);
  if (!view.ok()) return ctx.pages.Error(r.principal, view.status());
  Result<std::map<std::string, std::string>> org_names = OrganisationNames(ctx, pid);
  if (!org_names.ok()) return ctx.pages.Error(r.principal, org_names.status());
  const std::string by(kBreakdowns[static_cast<int>(query->by)].second);
  std::vector<ShownRow> rows = RowsFor(*view, query->by, *org_names);
  ShownRow total{"", "Whole partnership", {}};
  for (const HeatmapCell& cell : view->organisations.total) total.cells.push_back(&cell);
  rows.push_back(total);
  std::vector<std::vector<service::ExportCell>> table = {{{false, 0, "breakdown"},
                                                          {false, 0, "row"},
                                                          {false, 0, "set"},
                                                          {false, 0, "value"},
                                                          {false, 0, "subjects"},
                                                          {false, 0, "withheld"}}};
  for (const ShownRow& row : rows) {
    for (size_t c = 0; c < row.cells.size(); ++c) {
      table.push_back(ExportLine(
          by, row.label, view->figures->competencies.sets[view->organisations.columns[c]].code,
          *row.cells[c], query->metric, view->options.min_cell));
    }
  }
  Response response;
  if (xlsx) {
    Result<std::string> bytes = service::XlsxWorkbook({{"Heatmap", std::move(table)}});
    if (!bytes.ok()) return ctx.pages.Error(r.principal, bytes.status());
    response.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    response.body = std::move(*bytes);
  } else {
    std::string out;
    for (const auto& line : table) {
      for (size_t c = 0; c < line.size(); ++c) {
        if (c > 0) out += ',';
        const service::ExportCell& cell = line[c];
        if (cell.is_number) {
          out +=
              c == 4 ? std::to_string(static_cast<long>(cell.number)) : Fixed(cell.number, "%.4f");
        } else {
          formats::AppendCsvField(cell.text, &out);
        }
      }
      out += "\n";
    }
    response.content_type = "text/csv; charset=utf-8";
    response.body = std::move(out);
  }
  response.headers.Set("Content-Disposition",
                       "attachment; filename=\"heatmap-" + by + (xlsx ? ".xlsx\"" : ".csv\""));
  return response;
}

json CellJson(const HeatmapCell& cell, int min_cell) {
  if (!cell.Shown()) {
    return {{"shown", false}, {"reason", WithheldReason(cell, min_cell)}};
  }
  return {{"shown", true},
          {"mean", cell.mean},
          {"subjects", cell.subjects},
          {"profile_gap", cell.with_profile > 0 ? json(cell.profile_gap) : json(nullptr)},
          {"with_profile", cell.with_profile},
          {"below_profile", cell.below_profile}};
}

Response HeatmapApi(const AppContext& ctx, const WebRequest& r) {
  const std::string& pid = r.principal->partnership_id;
  Result<ViewQuery> query = ParseQuery(r.request);
  if (!query.ok()) return ErrorResponse(query.status());
  Result<PartnershipView> view = ViewOf(ctx, pid, r.params.at("id"), query->level);
  if (!view.ok()) return ErrorResponse(view.status());
  Result<std::map<std::string, std::string>> org_names = OrganisationNames(ctx, pid);
  if (!org_names.ok()) return ErrorResponse(org_names.status());
  json columns = json::array();
  for (size_t k : view->organisations.columns) {
    columns.push_back(view->figures->competencies.sets[k].code);
  }
  json rows = json::array();
  for (const ShownRow& row : RowsFor(*view, query->by, *org_names)) {
    json cells = json::array();
    for (const HeatmapCell* cell : row.cells)
      cells.push_back(CellJson(*cell, view->options.min_cell));
    rows.push_back({{"key", row.key}, {"label", row.label}, {"cells", cells}});
  }
  json total = json::array();
  for (const HeatmapCell& cell : view->organisations.total) {
    total.push_back(CellJson(cell, view->options.min_cell));
  }
  json body = {{"campaign_id", r.params.at("id")},
               {"by", kBreakdowns[static_cast<int>(query->by)].second},
               {"level", query->level == SetLevel::kDomain ? "domain" : "competency"},
               {"min_cell", view->options.min_cell},
               {"columns", columns},
               {"rows", rows},
               {"total", total}};
  return JsonResponse(body.dump());
}

}  // namespace

Status AddPartnershipPages(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(routes.Add("GET", "/partnership", Access::kBoard, Surface::kPage,
                                     [&ctx](const WebRequest& r) { return ViewPage(ctx, r); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/partnership/heatmap.csv", Access::kBoard, Surface::kPage,
                 [&ctx](const WebRequest& r) { return HeatmapExport(ctx, r, false); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/partnership/heatmap.xlsx", Access::kBoard, Surface::kPage,
                 [&ctx](const WebRequest& r) { return HeatmapExport(ctx, r, true); }));
  return routes.Add("GET", "/api/v1/campaigns/{id}/heatmap", Access::kBoard, Surface::kApi,
                    [&ctx](const WebRequest& r) { return HeatmapApi(ctx, r); });
}

}  // namespace trellis::web
