// web/directory_pages.cc — see directory_pages.h. Each handler parses the request, calls one
// DirectoryService method (plus the organisation list that the forms' menus need), renders.
#include "web/directory_pages.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "web/form_errors.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

constexpr model::Sector kSectors[] = {
    model::Sector::kAcute,        model::Sector::kPrimaryCare, model::Sector::kCommunityHealth,
    model::Sector::kMentalHealth, model::Sector::kSocialCare,  model::Sector::kLocalAuthority,
    model::Sector::kVoluntary,    model::Sector::kHousing,     model::Sector::kOther};
constexpr model::Level kLevels[] = {model::Level::kStrategic, model::Level::kOperational};
constexpr model::Function kFunctions[] = {model::Function::kGeneralist, model::Function::kClinical,
                                          model::Function::kHr,         model::Function::kFinance,
                                          model::Function::kIt,         model::Function::kData,
                                          model::Function::kOther};
constexpr std::size_t kAuditPageSize = 50;

std::string Capitalised(std::string_view wire) {
  std::string out(wire);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

std::string FunctionLabel(model::Function f) {
  switch (f) {
    case model::Function::kHr:
      return "HR";
    case model::Function::kIt:
      return "IT";
    default:
      return Capitalised(model::FunctionName(f));
  }
}

PageList SectorOptions(std::string_view selected) {
  PageList list;
  for (model::Sector s : kSectors) {
    PageData o;
    o.set("value", std::string(model::SectorName(s)));
    o.set("label", std::string(SectorLabel(s)));
    o.set("selected", model::SectorName(s) == selected);
    list.push_back(o);
  }
  return list;
}

PageList LevelOptions(std::string_view selected) {
  PageList list;
  for (model::Level l : kLevels) {
    PageData o;
    o.set("value", std::string(model::LevelName(l)));
    o.set("label", Capitalised(model::LevelName(l)));
    o.set("selected", model::LevelName(l) == selected);
    list.push_back(o);
  }
  return list;
}

PageList FunctionOptions(std::string_view selected) {
  PageList list;
  for (model::Function f : kFunctions) {
    PageData o;
    o.set("value", std::string(model::FunctionName(f)));
    o.set("label", FunctionLabel(f));
    o.set("selected", model::FunctionName(f) == selected);
    list.push_back(o);
  }
  return list;
}

PageList OrganisationOptions(const std::vector<model::Organisation>& orgs,
                             std::string_view selected) {
  PageList list;
  for (const model::Organisation& org : orgs) {
    PageData o;
    o.set("value", org.id);
    o.set("label", org.name);
    o.set("selected", org.id == selected);
    list.push_back(o);
  }
  return list;
}

PageList PersonOptions(const std::vector<storage::StoredPerson>& people, std::string_view selected,
                       std::string_view self_id) {
  PageList list;
  for (const storage::StoredPerson& p : people) {
    if (p.erased() || p.person.id == self_id) continue;
    PageData o;
    o.set("value", p.person.id);
    o.set("label", p.person.name + " (" + p.person.email + ")");
    o.set("selected", p.person.id == selected);
    list.push_back(o);
  }
  return list;
}

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The service names person fields as in PersonInput; the form's inputs have these ids.
const std::vector<std::pair<std::string, std::string>> kPersonFieldIds = {
    {"organisation", "organisation_id"}, {"line_manager", "line_manager_id"}};

service::PersonInput PersonFromForm(const FormData& form) {
  service::PersonInput input;
  input.name = form.Value("name");
  input.email = form.Value("email");
  input.organisation_id = form.Value("organisation_id");
  input.level = form.Value("level");
  input.function = form.Value("function");
  input.line_manager_id = form.Value("line_manager_id");
  return input;
}

// The add/edit person form. `person_id` empty: adding.
Response PersonForm(const AppContext& ctx, const WebRequest& r, const std::string& person_id,
                    const service::PersonInput& input, const FormErrors& errors, int status) {
  const std::string& partnership = r.principal->partnership_id;
  Result<std::vector<model::Organisation>> orgs =
      ctx.services.directory.ListOrganisations(partnership);
  if (!orgs.ok()) return ctx.pages.Error(r.principal, orgs.status());
  Result<std::vector<storage::StoredPerson>> people =
      ctx.services.directory.ListPeople(partnership, {});
  if (!people.ok()) return ctx.pages.Error(r.principal, people.status());
  PageData data;
  data.set("editing", !person_id.empty());
  data.set("action",
           person_id.empty() ? std::string("/people") : "/people/" + PercentEncode(person_id));
  data.set("name", input.name);
  data.set("email", input.email);
  data.set("organisations", OrganisationOptions(*orgs, input.organisation_id));
  data.set("no_organisations", orgs->empty());
  data.set("levels", LevelOptions(input.level));
  data.set("functions", FunctionOptions(input.function));
  data.set("managers", PersonOptions(*people, input.line_manager_id, person_id));
  if (!person_id.empty()) {
    data.set("export_href", "/people/" + PercentEncode(person_id) + "/data.json");
    data.set("erase_action", "/people/" + PercentEncode(person_id) + "/erase");
  }
  errors.Fill(data);
  std::string title = person_id.empty() ? "Add a person" : "Edit " + input.name;
  return ctx.pages.Render(r.principal, "person_form", title, data, status, "/people");
}

Response OrganisationsPage(const AppContext& ctx, const WebRequest& r, const std::string& name,
                           const std::string& sector, const FormErrors& errors, int status) {
  Result<std::vector<model::Organisation>> orgs =
      ctx.services.directory.ListOrganisations(r.principal->partnership_id);
  if (!orgs.ok()) return ctx.pages.Error(r.principal, orgs.status());
  PageData data;
  PageList rows;
  for (const model::Organisation& org : *orgs) {
    PageData row;
    row.set("id", org.id);
    row.set("href", "/organisations/" + PercentEncode(org.id));
    row.set("name", org.name);
    row.set("sector", std::string(SectorLabel(org.sector)));
    rows.push_back(row);
  }
  data.set("organisations", rows);
  data.set("none", orgs->empty());
  data.set("name", name);
  data.set("sectors", SectorOptions(sector));
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "organisations", "Organisations", data, status,
                          "/organisations");
}

// The organisation `id` of the principal's partnership (the service has no single-organisation
// lookup yet, so the partnership's list is searched). kNotFound when it is not there.
Result<model::Organisation> FindOrganisation(const AppContext& ctx, const std::string& partnership,
                                             const std::string& id) {
  Result<std::vector<model::Organisation>> orgs =
      ctx.services.directory.ListOrganisations(partnership);
  if (!orgs.ok()) return orgs.status();
  for (const model::Organisation& org : *orgs) {
    if (org.id == id) return org;
  }
  return Status::NotFound("There is no organisation '" + id + "' in your partnership.");
}

Response OrganisationForm(const AppContext& ctx, const WebRequest& r, const std::string& id,
                          const std::string& name, const std::string& sector,
                          const FormErrors& errors, int status) {
  PageData data;
  data.set("action", "/organisations/" + PercentEncode(id));
  data.set("name", name);
  data.set("sectors", SectorOptions(sector));
  errors.Fill(data);
  return ctx.pages.Render(r.principal, "organisation_form", "Edit " + name, data, status,
                          "/organisations");
}

Response ImportPage(const AppContext& ctx, const WebRequest& r, const FormErrors& errors,
                    const service::PeopleImportSummary* summary, const std::string& file_name,
                    int status) {
  PageData data;
  errors.Fill(data);
  // Set only when present: an empty string would count as true in a {{#section}}.
  if (!file_name.empty()) data.set("file_name", file_name);
  if (summary != nullptr) {
    data.set("imported", true);
    data.set("added", std::to_string(summary->added));
    data.set("updated", std::to_string(summary->updated));
    data.set("unchanged", std::to_string(summary->unchanged));
  }
  return ctx.pages.Render(r.principal, "people_import", "Import people", data, status, "/people");
}

}  // namespace

std::string_view SectorLabel(model::Sector sector) {
  switch (sector) {
    case model::Sector::kAcute:
      return "Acute (hospital)";
    case model::Sector::kPrimaryCare:
      return "Primary care";
    case model::Sector::kCommunityHealth:
      return "Community health";
    case model::Sector::kMentalHealth:
      return "Mental health";
    case model::Sector::kSocialCare:
      return "Social care";
    case model::Sector::kLocalAuthority:
      return "Local authority";
    case model::Sector::kVoluntary:
      return "Voluntary and community";
    case model::Sector::kHousing:
      return "Housing";
    case model::Sector::kOther:
      return "Other";
  }
  return "Other";
}

Status AddDirectoryPages(RouteTable& routes, const AppContext& ctx) {
  // --- organisations ---
  TRELLIS_RETURN_IF_ERROR(routes.Add("GET", "/organisations", Access::kAdmin, Surface::kPage,
                                     [&ctx](const WebRequest& r) {
                                       return OrganisationsPage(ctx, r, "", "", FormErrors{}, 200);
                                     }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/organisations", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        std::string name = r.form.Value("name");
        std::string sector = r.form.Value("sector");
        Result<model::Organisation> added = ctx.services.directory.AddOrganisation(
            r.principal->partnership_id, name, sector, r.principal->account_id);
        if (added.ok()) return RedirectResponse("/organisations");
        if (added.status().code() == StatusCode::kInternal ||
            added.status().code() == StatusCode::kUnavailable) {
          return ctx.pages.Error(r.principal, added.status());
        }
        FormErrors errors;
        errors.AddStatus(added.status());
        if (added.status().code() == StatusCode::kAlreadyExists && errors.size() == 1) {
          errors = FormErrors{};
          errors.Add("name", added.status().message());
        }
        return OrganisationsPage(ctx, r, name, sector, errors,
                                 HttpStatusFor(added.status().code()));
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/organisations/{id}", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        Result<model::Organisation> org =
            FindOrganisation(ctx, r.principal->partnership_id, r.params.at("id"));
        if (!org.ok()) return ctx.pages.Error(r.principal, org.status());
        return OrganisationForm(ctx, r, org->id, org->name,
                                std::string(model::SectorName(org->sector)), FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/organisations/{id}", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const std::string& id = r.params.at("id");
        std::string name = r.form.Value("name");
        std::string sector = r.form.Value("sector");
        Result<model::Organisation> updated = ctx.services.directory.UpdateOrganisation(
            r.principal->partnership_id, id, name, sector, r.principal->account_id);
        if (updated.ok()) return RedirectResponse("/organisations");
        StatusCode code = updated.status().code();
        if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists) {
          return ctx.pages.Error(r.principal, updated.status());
        }
        FormErrors errors;
        errors.AddStatus(updated.status());
        return OrganisationForm(ctx, r, id, name, sector, errors, HttpStatusFor(code));
      }));

  // --- people ---
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/people", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const std::string& partnership = r.principal->partnership_id;
        auto param = [&r](std::string_view name) {
          const std::string* v = r.request.Query(name);
          return v == nullptr ? std::string() : *v;
        };
        std::string org_filter = param("organisation");
        std::string level = param("level");
        std::string function = param("function");
        std::string q = param("q");
        Result<std::vector<model::Organisation>> orgs =
            ctx.services.directory.ListOrganisations(partnership);
        if (!orgs.ok()) return ctx.pages.Error(r.principal, orgs.status());
        storage::PersonFilter filter;
        filter.organisation_id = org_filter;
        Result<std::vector<storage::StoredPerson>> people =
            ctx.services.directory.ListPeople(partnership, filter);
        if (!people.ok()) return ctx.pages.Error(r.principal, people.status());

        std::map<std::string, std::string> org_names;
        for (const model::Organisation& o : *orgs) org_names[o.id] = o.name;
        // Level, function and text search narrow the service's list for display; the
        // service filters by organisation (PersonFilter has no other fields yet).
        std::string needle = Lower(q);
        PageList rows;
        for (const storage::StoredPerson& sp : *people) {
          const model::Person& p = sp.person;
          if (!level.empty() && model::LevelName(p.level) != level) continue;
          if (!function.empty() && model::FunctionName(p.function) != function) continue;
          if (!needle.empty() && Lower(p.name).find(needle) == std::string::npos &&
              Lower(p.email).find(needle) == std::string::npos) {
            continue;
          }
          PageData row;
          row.set("href", "/people/" + PercentEncode(p.id));
          row.set("name", p.name);
          row.set("email", p.email);
          row.set("organisation", org_names.count(p.organisation_id) ? org_names[p.organisation_id]
                                                                     : std::string());
          row.set("level", Capitalised(model::LevelName(p.level)));
          row.set("function", FunctionLabel(p.function));
          rows.push_back(row);
        }
        PageData data;
        data.set("people", rows);
        data.set("count", std::to_string(rows.size()));
        data.set("none", rows.empty());
        data.set("q", q);
        data.set("organisations", OrganisationOptions(*orgs, org_filter));
        data.set("levels", LevelOptions(level));
        data.set("functions", FunctionOptions(function));
        return ctx.pages.Render(r.principal, "people", "People", data, 200, "/people");
      }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/people/new", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        service::PersonInput input;
        input.level = "operational";
        input.function = "generalist";
        return PersonForm(ctx, r, "", input, FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("POST", "/people", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        service::PersonInput input = PersonFromForm(r.form);
        Result<storage::StoredPerson> added = ctx.services.directory.AddPerson(
            r.principal->partnership_id, input, r.principal->account_id);
        if (added.ok()) return RedirectResponse("/people");
        StatusCode code = added.status().code();
        if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists) {
          return ctx.pages.Error(r.principal, added.status());
        }
        FormErrors errors;
        errors.AddStatus(added.status(), kPersonFieldIds);
        return PersonForm(ctx, r, "", input, errors, HttpStatusFor(code));
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/people/import", Access::kAdmin, Surface::kPage,
      [&ctx](const WebRequest& r) { return ImportPage(ctx, r, FormErrors{}, nullptr, "", 200); }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/people/import", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const UploadedFile* file = r.form.File("file");
        FormErrors errors;
        if (file == nullptr) {
          errors.Add("file", "Choose a CSV file to import");
          return ImportPage(ctx, r, errors, nullptr, "", 400);
        }
        Result<service::PeopleImportSummary> summary = ctx.services.directory.ImportPeopleCsv(
            r.principal->partnership_id, file->data, file->filename, r.principal->account_id);
        if (summary.ok()) return ImportPage(ctx, r, errors, &*summary, file->filename, 200);
        if (summary.status().code() != StatusCode::kInvalidArgument) {
          return ctx.pages.Error(r.principal, summary.status());
        }
        // One entry per line of the service's message: each bad row, then the total.
        errors.AddLines(summary.status(), "file");
        return ImportPage(ctx, r, errors, nullptr, file->filename, 400);
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/people/{id}", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        Result<storage::StoredPerson> person =
            ctx.services.directory.GetPerson(r.principal->partnership_id, r.params.at("id"));
        if (!person.ok()) return ctx.pages.Error(r.principal, person.status());
        if (person->erased()) {
          return ctx.pages.Error(r.principal,
                                 Status::NotFound("This person's data has been erased."));
        }
        const model::Person& p = person->person;
        service::PersonInput input{p.name,
                                   p.email,
                                   p.organisation_id,
                                   std::string(model::LevelName(p.level)),
                                   std::string(model::FunctionName(p.function)),
                                   p.line_manager_id};
        return PersonForm(ctx, r, p.id, input, FormErrors{}, 200);
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/people/{id}", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const std::string& id = r.params.at("id");
        service::PersonInput input = PersonFromForm(r.form);
        Result<storage::StoredPerson> updated = ctx.services.directory.UpdatePerson(
            r.principal->partnership_id, id, input, r.principal->account_id);
        if (updated.ok()) return RedirectResponse("/people");
        StatusCode code = updated.status().code();
        if (code != StatusCode::kInvalidArgument && code != StatusCode::kAlreadyExists) {
          return ctx.pages.Error(r.principal, updated.status());
        }
        FormErrors errors;
        errors.AddStatus(updated.status(), kPersonFieldIds);
        return PersonForm(ctx, r, id, input, errors, HttpStatusFor(code));
      }));
  // Erasure request: the admin types the person's full name to confirm (docs/accounts.md).
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/people/{id}/erase", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        const std::string& id = r.params.at("id");
        Status erased = ctx.services.directory.ErasePersonConfirmed(
            r.principal->partnership_id, id, r.form.Value("confirm_name"), r.principal->account_id);
        if (erased.ok()) return RedirectResponse("/people");
        if (erased.code() != StatusCode::kInvalidArgument)
          return ctx.pages.Error(r.principal, erased);
        Result<storage::StoredPerson> person =
            ctx.services.directory.GetPerson(r.principal->partnership_id, id);
        if (!person.ok()) return ctx.pages.Error(r.principal, person.status());
        const model::Person& p = person->person;
        FormErrors errors;
        errors.AddStatus(erased, {});
        return PersonForm(
            ctx, r, p.id,
            {p.name, p.email, p.organisation_id, std::string(model::LevelName(p.level)),
             std::string(model::FunctionName(p.function)), p.line_manager_id},
            errors, 400);
      }));

  // --- audit log ---
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/audit", Access::kAdmin, Surface::kPage, [&ctx](const WebRequest& r) {
        std::size_t page = 1;
        if (const std::string* p = r.request.Query("page")) {
          try {
            page = std::max<std::size_t>(1, std::stoul(*p));
          } catch (const std::exception&) {
            return ctx.pages.Error(r.principal,
                                   Status::InvalidArgument("'page' must be a positive number"));
          }
        }
        // One more than a page, to know whether there is a next page.
        Result<std::vector<storage::AuditEntry>> entries = ctx.services.directory.AuditLog(
            r.principal->partnership_id, (page - 1) * kAuditPageSize, kAuditPageSize + 1);
        if (!entries.ok()) return ctx.pages.Error(r.principal, entries.status());
        bool more = entries->size() > kAuditPageSize;
        if (more) entries->pop_back();
        PageList rows;
        for (const storage::AuditEntry& e : *entries) {
          PageData row;
          row.set("seq", std::to_string(e.seq));
          row.set("at", e.at);
          row.set("actor", e.actor);
          row.set("action", e.action);
          row.set("entity", e.entity_type + " " + e.entity_id);
          row.set("detail", e.detail);
          rows.push_back(row);
        }
        PageData data;
        data.set("entries", rows);
        data.set("none", rows.empty());
        if (page > 1) data.set("prev", "/audit?page=" + std::to_string(page - 1));
        if (more) data.set("next", "/audit?page=" + std::to_string(page + 1));
        return ctx.pages.Render(r.principal, "audit", "Audit log", data, 200, "/audit");
      }));
  return Status::Ok();
}

}  // namespace trellis::web
