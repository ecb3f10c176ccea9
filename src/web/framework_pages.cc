// web/framework_pages.cc — see framework_pages.h.
#include "web/framework_pages.h"

#include "service/framework_service.h"
#include "web/form_errors.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

std::string VersionHref(const std::string& code, int version) {
  return "/frameworks/" + PercentEncode(code) + "/versions/" + std::to_string(version);
}

Response ListPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors,
                  int status) {
  Result<std::vector<storage::FrameworkSummary>> list = ctx.services.frameworks.List();
  if (!list.ok()) return ctx.pages.Error(r.principal, list.status());
  PageList rows;
  for (const storage::FrameworkSummary& f : *list) {
    PageData row;
    row.set("code", f.code);
    row.set("title", f.title);
    row.set("href", VersionHref(f.code, f.latest_version));
    row.set("latest_version", std::to_string(f.latest_version));
    row.set("version_count", std::to_string(f.version_count));
    row.set("updated", f.latest_created_at);
    rows.push_back(row);
  }
  PageData data;
  data.set("frameworks", rows);
  data.set("none", rows.empty());
  data.set("can_import", r.principal->role == model::Role::kAdmin);
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "frameworks", "Frameworks", data, status, "/frameworks");
}

Response OutlinePage(const AppContext& ctx, const WebRequest& r, std::optional<int> version) {
  const std::string& code = r.params.at("code");
  Result<storage::StoredFramework> stored = ctx.services.frameworks.Show(code, version);
  if (!stored.ok()) return ctx.pages.Error(r.principal, stored.status());
  PageData data = FrameworkOutlineData(stored->framework);
  data.set("stored_at", stored->created_at);
  data.set("in_use", stored->in_use);
  if (const std::string* imported = r.request.Query("imported")) {
    data.set("imported_new", *imported == "new");
    data.set("imported_unchanged", *imported == "unchanged");
  }
  std::string title =
      stored->framework.title + " (version " + std::to_string(stored->framework.version) + ")";
  return ctx.pages.Render(r.principal, "framework_outline", title, data, 200, "/frameworks");
}

}  // namespace

Status AuditFrameworkImport(const AppContext& ctx, const service::Principal& admin,
                            const service::ImportOutcome& outcome, const std::string& file_name) {
  const model::Framework& f = outcome.stored.framework;
  const std::string what = "framework '" + f.code + "' version " + std::to_string(f.version);
  return ctx.services.directory.RecordEvent(
      admin.partnership_id, admin.account_id, "framework.imported", "framework",
      f.code + "@" + std::to_string(f.version),
      outcome.unchanged ? "'" + file_name + "' matched the stored " + what + "; nothing changed"
                        : what + " imported from '" + file_name + "'");
}

// Empty strings are truthy in kainjow mustache, so optional text is set only when present.
PageData FrameworkOutlineData(const model::Framework& f) {
  PageData data;
  data.set("code", f.code);
  data.set("framework_title", f.title);
  if (!f.description.empty()) data.set("description", f.description);
  data.set("version", std::to_string(f.version));
  data.set("scale_min", std::to_string(f.scale.min));
  data.set("scale_max", std::to_string(f.scale.max));
  PageList labels;
  for (const auto& [score, label] : f.scale.labels) {
    PageData l;
    l.set("score", std::to_string(score));
    l.set("label", label);
    labels.push_back(l);
  }
  data.set("scale_labels", labels);
  data.set("has_scale_labels", !f.scale.labels.empty());
  PageList domains;
  std::size_t competencies = 0, items = 0;
  for (const model::Domain& d : f.domains) {
    PageData dd;
    dd.set("code", d.code);
    dd.set("title", d.title);
    if (!d.description.empty()) dd.set("description", d.description);
    PageList comps;
    for (const model::Competency& c : d.competencies) {
      ++competencies;
      PageData cd;
      cd.set("code", c.code);
      cd.set("title", c.title);
      if (!c.description.empty()) cd.set("description", c.description);
      PageList its;
      for (const model::Item& i : c.items) {
        ++items;
        PageData id;
        id.set("code", i.code);
        id.set("text", i.text);
        its.push_back(id);
      }
      cd.set("items", its);
      comps.push_back(cd);
    }
    dd.set("competencies", comps);
    domains.push_back(dd);
  }
  data.set("domains", domains);
  data.set("size", std::to_string(f.domains.size()) + " domains, " + std::to_string(competencies) +
                       " competencies, " + std::to_string(items) + " items");
  PageList profiles;
  for (const model::RoleProfile& p : f.role_profiles) {
    PageData pd;
    pd.set("level", std::string(model::LevelName(p.level)));
    pd.set("function", std::string(model::FunctionName(p.function)));
    PageList expectations;
    for (const auto& [code, e] : p.expectations) {
      PageData ed;
      ed.set("competency", code);
      ed.set("level", std::to_string(e.level));
      ed.set("importance", std::to_string(e.importance));
      expectations.push_back(ed);
    }
    pd.set("expectations", expectations);
    profiles.push_back(pd);
  }
  data.set("role_profiles", profiles);
  data.set("has_role_profiles", !f.role_profiles.empty());
  return data;
}

Status AddFrameworkPages(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/frameworks", Access::kStaff, Surface::kPage,
                 [&ctx](const WebRequest& r) { return ListPage(ctx, r, FormErrors{}, 200); }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/frameworks/import", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const UploadedFile* file = r.form.File("file");
        FormErrors errors;
        if (file == nullptr) {
          errors.Add("file", "Choose a framework file (CSV, JSON or CASE JSON) to import");
          return ListPage(ctx, r, errors, 400);
        }
        Result<service::ImportOutcome> outcome =
            ctx.services.frameworks.ImportText(file->data, file->filename);
        if (outcome.ok()) {
          const model::Framework& f = outcome->stored.framework;
          if (Status audited = AuditFrameworkImport(ctx, *r.principal, *outcome, file->filename);
              !audited.ok()) {
            return ctx.pages.Error(r.principal, audited);
          }
          return RedirectResponse(VersionHref(f.code, f.version) +
                                  "?imported=" + (outcome->unchanged ? "unchanged" : "new"));
        }
        StatusCode code = outcome.status().code();
        if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists) {
          return ctx.pages.Error(r.principal, outcome.status());
        }
        // Messages name the file and line ("x.csv:4: field 'item': …"); every line belongs
        // to the file input, not to a form field of that name.
        errors.AddLines(outcome.status(), "file");
        return ListPage(ctx, r, errors, HttpStatusFor(code));
      }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/frameworks/{code}", Access::kStaff, Surface::kPage,
                 [&ctx](const WebRequest& r) { return OutlinePage(ctx, r, std::nullopt); }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/frameworks/{code}/versions/{version}", Access::kStaff, Surface::kPage,
                 [&ctx](const WebRequest& r) {
                   const std::string& text = r.params.at("version");
                   int version = 0;
                   try {
                     std::size_t used = 0;
                     version = std::stoi(text, &used);
                     if (used != text.size() || version < 1) throw std::invalid_argument(text);
                   } catch (const std::exception&) {
                     return ctx.pages.Error(
                         r.principal, Status::NotFound("There is no version '" + text + "'."));
                   }
                   return OutlinePage(ctx, r, version);
                 }));
  return Status::Ok();
}

}  // namespace trellis::web
