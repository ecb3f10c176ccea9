// web/profile_pages.cc — see profile_pages.h.
#include "web/profile_pages.h"

#include <optional>
#include <string>
#include <vector>

#include "web/form_errors.h"
#include "web/framework_pages.h"
#include "web/labels.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

constexpr model::Level kLevels[] = {model::Level::kStrategic, model::Level::kOperational};
constexpr model::Function kFunctions[] = {model::Function::kGeneralist, model::Function::kClinical,
                                          model::Function::kHr,         model::Function::kFinance,
                                          model::Function::kIt,         model::Function::kData,
                                          model::Function::kOther};

struct Selection {
  model::Level level = model::Level::kStrategic;
  model::Function function = model::Function::kGeneralist;
};

// Reads level and function from `lookup` (query or form). kInvalidArgument naming the field.
template <typename Lookup>
Result<Selection> SelectionOf(Lookup lookup) {
  Selection s;
  if (const std::string* level = lookup("level"); level != nullptr && !level->empty()) {
    std::optional<model::Level> parsed = model::ParseLevel(*level);
    if (!parsed) return Status::InvalidArgument("field 'level': must be strategic or operational");
    s.level = *parsed;
  }
  if (const std::string* function = lookup("function"); function != nullptr && !function->empty()) {
    std::optional<model::Function> parsed = model::ParseFunction(*function);
    if (!parsed) {
      return Status::InvalidArgument(
          "field 'function': must be one of generalist, clinical, hr, finance, it, data, other");
    }
    s.function = *parsed;
  }
  return s;
}

std::string Href(const std::string& code, const Selection& s) {
  return "/frameworks/" + code + "/profiles?level=" + std::string(model::LevelName(s.level)) +
         "&function=" + std::string(model::FunctionName(s.function));
}

// What the form holds for one competency: "" or a number, as typed.
struct CellInput {
  std::string expected;
  std::string importance;
};

Response ProfilePage(const AppContext& ctx, const WebRequest& r, const Selection& selection,
                     const std::map<std::string, CellInput>* typed, const FormErrors& errors,
                     int status) {
  const std::string& code = r.params.at("code");
  Result<storage::StoredFramework> stored = ctx.services.frameworks.Show(code, std::nullopt);
  if (!stored.ok()) return ctx.pages.Error(r.principal, stored.status());
  const model::Framework& f = stored->framework;
  const model::RoleProfile* own = nullptr;
  for (const model::RoleProfile& p : f.role_profiles) {
    if (p.level == selection.level && p.function == selection.function) own = &p;
  }
  const model::RoleProfile* fallback =
      selection.function == model::Function::kGeneralist
          ? nullptr
          : f.ProfileFor(selection.level, model::Function::kGeneralist);
  const bool admin = r.principal->role == model::Role::kAdmin;

  PageData data;
  data.set("code", code);
  data.set("framework_title", f.title);
  data.set("version", std::to_string(f.version));
  data.set("editable", admin);
  data.set("level_label", HumanLabel(model::LevelName(selection.level)));
  data.set("function_label", HumanLabel(model::FunctionName(selection.function)));
  data.set("level", std::string(model::LevelName(selection.level)));
  data.set("function", std::string(model::FunctionName(selection.function)));
  data.set("generalist", selection.function == model::Function::kGeneralist);
  PageList levels, functions;
  for (model::Level l : kLevels) {
    PageData o;
    o.set("value", std::string(model::LevelName(l)));
    o.set("label", HumanLabel(model::LevelName(l)));
    o.set("selected", l == selection.level);
    levels.push_back(o);
  }
  for (model::Function fn : kFunctions) {
    PageData o;
    o.set("value", std::string(model::FunctionName(fn)));
    o.set("label", HumanLabel(model::FunctionName(fn)));
    o.set("selected", fn == selection.function);
    functions.push_back(o);
  }
  data.set("levels", levels);
  data.set("functions", functions);
  if (const std::string* saved = r.request.Query("saved")) {
    data.set("saved_new", *saved == "new");
    data.set("saved_unchanged", *saved == "unchanged");
  }

  PageList domains;
  for (const model::Domain& d : f.domains) {
    PageData domain;
    domain.set("title", d.title);
    PageList rows;
    for (const model::Competency& c : d.competencies) {
      PageData row;
      row.set("code", c.code);
      row.set("title", c.title);
      std::string expected, importance;
      if (own != nullptr) {
        if (auto it = own->expectations.find(c.code); it != own->expectations.end()) {
          expected = std::to_string(it->second.level);
          importance = std::to_string(it->second.importance);
        }
      }
      if (typed != nullptr) {
        if (auto it = typed->find(c.code); it != typed->end()) {
          expected = it->second.expected;
          importance = it->second.importance;
        }
      }
      row.set("expected_field", "expected_" + c.code);
      row.set("importance_field", "importance_" + c.code);
      if (!expected.empty()) row.set("expected", expected);
      if (!importance.empty()) row.set("importance", importance);
      PageList expected_options, importance_options;
      for (int v = f.scale.min; v <= f.scale.max; ++v) {
        PageData o;
        o.set("value", std::to_string(v));
        o.set("selected", expected == std::to_string(v));
        expected_options.push_back(o);
      }
      for (int v = 1; v <= 3; ++v) {
        PageData o;
        o.set("value", std::to_string(v));
        o.set("selected", importance == std::to_string(v) || (importance.empty() && v == 2));
        importance_options.push_back(o);
      }
      row.set("expected_options", expected_options);
      row.set("importance_options", importance_options);
      if (fallback != nullptr && expected.empty()) {
        if (auto it = fallback->expectations.find(c.code); it != fallback->expectations.end()) {
          row.set("fallback", std::to_string(it->second.level) + " (importance " +
                                  std::to_string(it->second.importance) + ")");
        }
      }
      rows.push_back(row);
    }
    domain.set("competencies", rows);
    domains.push_back(domain);
  }
  data.set("domains", domains);
  errors.Fill(data);
  return ctx.pages.Render(
      r.principal, "role_profiles",
      "Role profiles: " + f.title + " (version " + std::to_string(f.version) + ")", data, status,
      "/frameworks");
}

Response ShowProfiles(const AppContext& ctx, const WebRequest& r) {
  Result<Selection> selection =
      SelectionOf([&r](std::string_view name) { return r.request.Query(name); });
  if (!selection.ok()) return ctx.pages.Error(r.principal, selection.status());
  return ProfilePage(ctx, r, *selection, nullptr, FormErrors{}, 200);
}

Response SaveProfiles(const AppContext& ctx, const WebRequest& r) {
  Result<Selection> selection =
      SelectionOf([&r](std::string_view name) { return r.form.Get(name); });
  if (!selection.ok()) return ctx.pages.Error(r.principal, selection.status());
  const std::string& code = r.params.at("code");
  Result<storage::StoredFramework> stored = ctx.services.frameworks.Show(code, std::nullopt);
  if (!stored.ok()) return ctx.pages.Error(r.principal, stored.status());
  model::Framework f = stored->framework;

  // Read every competency's cells; a blank expected level leaves the cell empty (it then falls
  // back to level × generalist).
  FormErrors errors;
  std::map<std::string, CellInput> typed;
  model::RoleProfile profile;
  profile.level = selection->level;
  profile.function = selection->function;
  for (const model::Domain& d : f.domains) {
    for (const model::Competency& c : d.competencies) {
      CellInput in{r.form.Value("expected_" + c.code), r.form.Value("importance_" + c.code)};
      typed[c.code] = in;
      if (in.expected.empty()) continue;
      int expected = 0, importance = 0;
      try {
        size_t used = 0;
        expected = std::stoi(in.expected, &used);
        if (used != in.expected.size()) throw std::invalid_argument("trailing");
      } catch (const std::exception&) {
        expected = f.scale.min - 1;
      }
      if (expected < f.scale.min || expected > f.scale.max) {
        errors.Add("expected_" + c.code,
                   c.title + ": the expected level must be a whole number from " +
                       std::to_string(f.scale.min) + " to " + std::to_string(f.scale.max));
        continue;
      }
      if (in.importance == "1" || in.importance == "2" || in.importance == "3") {
        importance = in.importance[0] - '0';
      } else {
        errors.Add("importance_" + c.code, c.title + ": the importance must be 1, 2 or 3");
        continue;
      }
      profile.expectations[c.code] = {expected, importance};
    }
  }
  if (!errors.empty()) return ProfilePage(ctx, r, *selection, &typed, errors, 422);

  std::erase_if(f.role_profiles, [&](const model::RoleProfile& p) {
    return p.level == profile.level && p.function == profile.function;
  });
  if (!profile.expectations.empty()) f.role_profiles.push_back(profile);
  Result<service::ImportOutcome> outcome =
      ctx.services.frameworks.ImportFramework(std::move(f), "role profile editor");
  if (!outcome.ok()) {
    errors.AddStatus(outcome.status());
    return ProfilePage(ctx, r, *selection, &typed, errors, HttpStatusFor(outcome.status().code()));
  }
  if (Status audited = AuditFrameworkImport(
          ctx, *r.principal, *outcome,
          "the role profile editor (" + std::string(model::LevelName(profile.level)) + " × " +
              std::string(model::FunctionName(profile.function)) + ")");
      !audited.ok()) {
    return ctx.pages.Error(r.principal, audited);
  }
  return RedirectResponse(Href(code, *selection) +
                          "&saved=" + (outcome->unchanged ? "unchanged" : "new"));
}

}  // namespace

Status AddProfilePages(RouteTable& routes, const AppContext& ctx) {
  TRELLIS_RETURN_IF_ERROR(routes.Add("GET", "/frameworks/{code}/profiles", Access::kStaff,
                                     Surface::kPage,
                                     [&ctx](const WebRequest& r) { return ShowProfiles(ctx, r); }));
  return routes.Add("POST", "/frameworks/{code}/profiles", Access::kAdmin, Surface::kPage,
                    [&ctx](const WebRequest& r) { return SaveProfiles(ctx, r); });
}

}  // namespace trellis::web
