// web/api_v1.cc — see api_v1.h. Each handler parses (JSON body, path, query), calls one
// service method and renders JSON; a failed Status becomes a problem through ErrorResponse.
#include "web/api_v1.h"

#include <nlohmann/json.hpp>

#include "formats/framework_io.h"
#include "web/audit_json.h"
#include "web/framework_pages.h"
#include "web/problem.h"

namespace trellis::web {
namespace {

using nlohmann::json;

json OrganisationJson(const model::Organisation& org) {
  return {{"id", org.id}, {"name", org.name}, {"sector", model::SectorName(org.sector)}};
}

json PersonJson(const storage::StoredPerson& sp) {
  const model::Person& p = sp.person;
  json out = {{"id", p.id},
              {"organisation_id", p.organisation_id},
              {"name", p.name},
              {"email", p.email},
              {"level", model::LevelName(p.level)},
              {"function", model::FunctionName(p.function)},
              {"line_manager_id", nullptr},
              {"created_at", sp.created_at},
              {"updated_at", sp.updated_at},
              {"erased", sp.erased()}};
  if (!p.line_manager_id.empty()) out["line_manager_id"] = p.line_manager_id;
  return out;
}

// The JSON object in the body. kInvalidArgument naming the problem.
Result<json> BodyObject(const Request& request) {
  json body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::InvalidArgument("the request body must be a JSON object");
  }
  return body;
}

// A string member, "" when absent or null. kInvalidArgument when of another type.
Result<std::string> StringField(const json& body, const char* name) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return Status::InvalidArgument(std::string("field '") + name + "': must be a string");
  }
  return it->get<std::string>();
}

Result<service::PersonInput> PersonInputFrom(const Request& request) {
  Result<json> body = BodyObject(request);
  if (!body.ok()) return body.status();
  service::PersonInput in;
  std::pair<const char*, std::string*> fields[] = {
      {"name", &in.name},   {"email", &in.email},       {"organisation_id", &in.organisation_id},
      {"level", &in.level}, {"function", &in.function}, {"line_manager_id", &in.line_manager_id}};
  for (auto& [name, target] : fields) {
    Result<std::string> value = StringField(*body, name);
    if (!value.ok()) return value.status();
    *target = std::move(*value);
  }
  return in;
}

// A problem for an import that failed, with each line of the message in "errors".
Response ImportProblem(const Status& status) {
  Response response = ErrorResponse(status);
  if (status.code() != StatusCode::kInvalidArgument) return response;
  json problem = json::parse(response.body, nullptr, false);
  if (problem.is_discarded()) return response;
  json lines = json::array();
  std::string_view rest = status.message();
  while (!rest.empty()) {
    std::size_t eol = rest.find('\n');
    if (std::string_view line = rest.substr(0, eol); !line.empty()) lines.push_back(line);
    rest = eol == std::string_view::npos ? std::string_view() : rest.substr(eol + 1);
  }
  problem["errors"] = lines;
  response.body = problem.dump();
  return response;
}

std::string QueryOr(const Request& request, std::string_view name, std::string fallback) {
  const std::string* v = request.Query(name);
  return v == nullptr || v->empty() ? fallback : *v;
}

// A non-negative integer query parameter, or `fallback`. kInvalidArgument when malformed.
Result<std::size_t> SizeParam(const Request& request, std::string_view name, std::size_t fallback) {
  const std::string* v = request.Query(name);
  if (v == nullptr || v->empty()) return fallback;
  std::size_t out = 0;
  for (char c : *v) {
    if (c < '0' || c > '9' || out > 1000000) {
      return Status::InvalidArgument("query parameter '" + std::string(name) +
                                     "' must be a non-negative integer");
    }
    out = out * 10 + static_cast<std::size_t>(c - '0');
  }
  return out;
}

json VersionInfoJson(const storage::FrameworkVersionInfo& v) {
  return {{"code", v.code},
          {"version", v.version},
          {"title", v.title},
          {"created_at", v.created_at},
          {"in_use", v.in_use}};
}

}  // namespace

Status AddApiRoutes(RouteTable& routes, const AppContext& ctx) {
  // --- session ---
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/api/v1/session", Access::kStaff, Surface::kApi, [](const WebRequest& r) {
        const service::Principal& p = *r.principal;
        return JsonResponse(json{
            {"account_id", p.account_id},
            {"partnership_id", p.partnership_id},
            {"role", model::RoleName(p.role)},
            {"email", p.email},
            {"display_name", p.display_name},
            {"csrf_token",
             p.csrf_token}}.dump());
      }));

  // --- organisations ---
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/organisations", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<std::vector<model::Organisation>> orgs =
            ctx.services.directory.ListOrganisations(r.principal->partnership_id);
        if (!orgs.ok()) return ErrorResponse(orgs.status());
        json list = json::array();
        for (const model::Organisation& org : *orgs) list.push_back(OrganisationJson(org));
        return JsonResponse(json{{"organisations", list}}.dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/api/v1/organisations", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<json> body = BodyObject(r.request);
        if (!body.ok()) return ErrorResponse(body.status());
        Result<std::string> name = StringField(*body, "name");
        if (!name.ok()) return ErrorResponse(name.status());
        Result<std::string> sector = StringField(*body, "sector");
        if (!sector.ok()) return ErrorResponse(sector.status());
        Result<model::Organisation> org = ctx.services.directory.AddOrganisation(
            r.principal->partnership_id, *name, *sector, r.principal->account_id);
        if (!org.ok()) return ErrorResponse(org.status());
        Response response = JsonResponse(OrganisationJson(*org).dump(), 201);
        response.headers.Set("Location", "/api/v1/organisations/" + PercentEncode(org->id));
        return response;
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/organisations/{id}", Access::kAdmin, Surface::kApi,
      [&ctx](const WebRequest& r) {
        Result<std::vector<model::Organisation>> orgs =
            ctx.services.directory.ListOrganisations(r.principal->partnership_id);
        if (!orgs.ok()) return ErrorResponse(orgs.status());
        // The service has no single-organisation lookup; the partnership's list is searched.
        for (const model::Organisation& org : *orgs) {
          if (org.id == r.params.at("id")) return JsonResponse(OrganisationJson(org).dump());
        }
        return ErrorResponse(Status::NotFound("no organisation '" + r.params.at("id") + "'"));
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add("PUT", "/api/v1/organisations/{id}", Access::kAdmin,
                                     Surface::kApi, [&ctx](const WebRequest& r) {
                                       Result<json> body = BodyObject(r.request);
                                       if (!body.ok()) return ErrorResponse(body.status());
                                       Result<std::string> name = StringField(*body, "name");
                                       if (!name.ok()) return ErrorResponse(name.status());
                                       Result<std::string> sector = StringField(*body, "sector");
                                       if (!sector.ok()) return ErrorResponse(sector.status());
                                       Result<model::Organisation> org =
                                           ctx.services.directory.UpdateOrganisation(
                                               r.principal->partnership_id, r.params.at("id"),
                                               *name, *sector, r.principal->account_id);
                                       if (!org.ok()) return ErrorResponse(org.status());
                                       return JsonResponse(OrganisationJson(*org).dump());
                                     }));

  // --- people ---
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/people", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        storage::PersonFilter filter;
        filter.organisation_id = QueryOr(r.request, "organisation_id", "");
        Result<std::vector<storage::StoredPerson>> people =
            ctx.services.directory.ListPeople(r.principal->partnership_id, filter);
        if (!people.ok()) return ErrorResponse(people.status());
        json list = json::array();
        for (const storage::StoredPerson& p : *people) list.push_back(PersonJson(p));
        return JsonResponse(json{{"people", list}}.dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/api/v1/people", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<service::PersonInput> input = PersonInputFrom(r.request);
        if (!input.ok()) return ErrorResponse(input.status());
        Result<storage::StoredPerson> person = ctx.services.directory.AddPerson(
            r.principal->partnership_id, *input, r.principal->account_id);
        if (!person.ok()) return ErrorResponse(person.status());
        Response response = JsonResponse(PersonJson(*person).dump(), 201);
        response.headers.Set("Location", "/api/v1/people/" + PercentEncode(person->person.id));
        return response;
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/api/v1/people/import", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        std::string file_name = QueryOr(r.request, "file_name", "people.csv");
        Result<service::PeopleImportSummary> summary = ctx.services.directory.ImportPeopleCsv(
            r.principal->partnership_id, r.request.body, file_name, r.principal->account_id);
        if (!summary.ok()) return ImportProblem(summary.status());
        return JsonResponse(json{{"added", summary->added},
                                 {"updated", summary->updated},
                                 {"unchanged", summary->unchanged}}
                                .dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/people/{id}", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<storage::StoredPerson> person =
            ctx.services.directory.GetPerson(r.principal->partnership_id, r.params.at("id"));
        if (!person.ok()) return ErrorResponse(person.status());
        return JsonResponse(PersonJson(*person).dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "PUT", "/api/v1/people/{id}", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<service::PersonInput> input = PersonInputFrom(r.request);
        if (!input.ok()) return ErrorResponse(input.status());
        Result<storage::StoredPerson> person = ctx.services.directory.UpdatePerson(
            r.principal->partnership_id, r.params.at("id"), *input, r.principal->account_id);
        if (!person.ok()) return ErrorResponse(person.status());
        return JsonResponse(PersonJson(*person).dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "DELETE", "/api/v1/people/{id}", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        // An erasure request (docs/accounts.md): the tombstone stays, so GET still answers.
        Status erased = ctx.services.directory.ErasePerson(
            r.principal->partnership_id, r.params.at("id"), r.principal->account_id);
        if (!erased.ok()) return ErrorResponse(erased);
        return Response{204, "", {}, "", ""};
      }));

  // --- frameworks (a library shared by every partnership) ---
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/frameworks", Access::kStaff, Surface::kApi, [&ctx](const WebRequest&) {
        Result<std::vector<storage::FrameworkSummary>> list = ctx.services.frameworks.List();
        if (!list.ok()) return ErrorResponse(list.status());
        json out = json::array();
        for (const storage::FrameworkSummary& f : *list) {
          out.push_back({{"code", f.code},
                         {"title", f.title},
                         {"latest_version", f.latest_version},
                         {"version_count", f.version_count},
                         {"created_at", f.created_at},
                         {"latest_created_at", f.latest_created_at}});
        }
        return JsonResponse(json{{"frameworks", out}}.dump());
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "POST", "/api/v1/frameworks/import", Access::kAdmin, Surface::kApi,
      [&ctx](const WebRequest& r) {
        std::string file_name = QueryOr(r.request, "file_name", "framework.json");
        Result<service::ImportOutcome> outcome =
            ctx.services.frameworks.ImportText(r.request.body, file_name);
        if (!outcome.ok()) return ImportProblem(outcome.status());
        if (Status audited = AuditFrameworkImport(ctx, *r.principal, *outcome, file_name);
            !audited.ok()) {
          return ErrorResponse(audited);
        }
        const model::Framework& f = outcome->stored.framework;
        json out = {{"code", f.code},
                    {"version", f.version},
                    {"title", f.title},
                    {"created_at", outcome->stored.created_at},
                    {"unchanged", outcome->unchanged}};
        Response response = JsonResponse(out.dump(), outcome->unchanged ? 200 : 201);
        response.headers.Set("Location", "/api/v1/frameworks/" + PercentEncode(f.code) +
                                             "/versions/" + std::to_string(f.version));
        return response;
      }));
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/frameworks/{code}", Access::kStaff, Surface::kApi,
      [&ctx](const WebRequest& r) {
        Result<std::vector<storage::FrameworkVersionInfo>> versions =
            ctx.services.frameworks.Versions(r.params.at("code"));
        if (!versions.ok()) return ErrorResponse(versions.status());
        json list = json::array();
        for (const storage::FrameworkVersionInfo& v : *versions) list.push_back(VersionInfoJson(v));
        return JsonResponse(json{{"code", r.params.at("code")}, {"versions", list}}.dump());
      }));
  TRELLIS_RETURN_IF_ERROR(
      routes.Add("GET", "/api/v1/frameworks/{code}/versions/{version}", Access::kStaff,
                 Surface::kApi, [&ctx](const WebRequest& r) {
                   const std::string& text = r.params.at("version");
                   std::optional<int> version;
                   if (text != "latest") {
                     int v = 0;
                     for (char c : text) {
                       if (c < '0' || c > '9' || v > 100000) {
                         return ErrorResponse(Status::NotFound("no version '" + text + "'"));
                       }
                       v = v * 10 + (c - '0');
                     }
                     if (text.empty() || v < 1) {
                       return ErrorResponse(Status::NotFound("no version '" + text + "'"));
                     }
                     version = v;
                   }
                   Result<std::string> exported = ctx.services.frameworks.Export(
                       r.params.at("code"), version, formats::FrameworkFormat::kJson);
                   if (!exported.ok()) return ErrorResponse(exported.status());
                   return JsonResponse(std::move(*exported));
                 }));

  // --- audit log ---
  TRELLIS_RETURN_IF_ERROR(routes.Add(
      "GET", "/api/v1/audit", Access::kAdmin, Surface::kApi, [&ctx](const WebRequest& r) {
        Result<std::size_t> offset = SizeParam(r.request, "offset", 0);
        if (!offset.ok()) return ErrorResponse(offset.status());
        Result<std::size_t> limit = SizeParam(r.request, "limit", 100);
        if (!limit.ok()) return ErrorResponse(limit.status());
        Result<std::vector<storage::AuditEntry>> entries = ctx.services.directory.AuditLog(
            r.principal->partnership_id, *offset, std::min<std::size_t>(*limit, 1000));
        if (!entries.ok()) return ErrorResponse(entries.status());
        json list = json::array();
        for (const storage::AuditEntry& e : *entries) list.push_back(AuditEntryJson<json>(e));
        return JsonResponse(json{{"entries", list}}.dump());
      }));
  return Status::Ok();
}

}  // namespace trellis::web
