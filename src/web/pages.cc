// web/pages.cc — see pages.h.
#include "web/pages.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "web/problem.h"

#ifndef TRELLIS_DEFAULT_TEMPLATE_DIR
#define TRELLIS_DEFAULT_TEMPLATE_DIR "web/templates"
#endif

namespace trellis::web {
namespace {

namespace fs = std::filesystem;
namespace mstch = kainjow::mustache;

constexpr std::string_view kExtension = ".mustache";

// Adds every "_name" template as a partial to `data`, so {{> _name}} finds it anywhere.
void AddPartials(const std::map<std::string, std::string, std::less<>>& sources, PageData& data) {
  for (const auto& [name, text] : sources) {
    if (name.empty() || name[0] != '_') continue;
    std::string copy = text;
    data.set(name, mstch::partial([copy] { return copy; }));
  }
}

}  // namespace

Result<Templates> Templates::Load(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Status::InvalidArgument("template directory '" + dir.string() + "' is not a directory");
  }
  Templates out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, ec)) {
    const fs::path& path = entry.path();
    std::string file = path.filename().string();
    if (!entry.is_regular_file() || file.size() <= kExtension.size() ||
        file.substr(file.size() - kExtension.size()) != kExtension) {
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) return Status::InvalidArgument(path.string() + ": cannot read");
    mstch::mustache parsed(text.str());
    if (!parsed.is_valid()) {
      return Status::InvalidArgument(path.string() + ": template error: " + parsed.error_message());
    }
    out.sources_[file.substr(0, file.size() - kExtension.size())] = text.str();
  }
  if (ec) return Status::InvalidArgument("cannot list '" + dir.string() + "': " + ec.message());
  if (!out.Has("layout")) {
    return Status::NotFound("template directory '" + dir.string() + "' has no layout.mustache");
  }
  return out;
}

Result<std::string> Templates::Render(std::string_view name, const PageData& data) const {
  auto it = sources_.find(name);
  if (it == sources_.end()) return Status::NotFound("no template '" + std::string(name) + "'");
  // kainjow's renderer keeps state (its error) in the mustache object, so one shared object
  // could not render on two threads at once; each thread keeps its own parse of each template
  // instead of parsing on every render (~8 % of a report view's CPU, bench/report). A parse is
  // reused only for the very same text, so another Templates' template of that name is parsed
  // anew; one that failed to render is dropped.
  struct Parsed {
    std::string source;
    std::unique_ptr<mstch::mustache> tmpl;
  };
  thread_local std::map<std::string, Parsed, std::less<>> parsed;
  auto p = parsed.find(name);
  if (p == parsed.end()) p = parsed.emplace(std::string(name), Parsed{}).first;
  if (p->second.tmpl == nullptr || p->second.source != it->second) {
    p->second.source = it->second;
    p->second.tmpl = std::make_unique<mstch::mustache>(it->second);
  }
  mstch::mustache& tmpl = *p->second.tmpl;
  PageData with_partials = data;
  AddPartials(sources_, with_partials);
  std::string out = tmpl.render(with_partials);
  if (!tmpl.is_valid()) {
    Status failed =
        Status::Internal("template '" + std::string(name) + "': " + tmpl.error_message());
    parsed.erase(p);
    return failed;
  }
  return out;
}

fs::path DefaultTemplateDir() {
  if (const char* env = std::getenv("TRELLIS_TEMPLATE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return TRELLIS_DEFAULT_TEMPLATE_DIR;
}

std::vector<NavLink> NavigationFor(const service::Principal* principal) {
  if (principal == nullptr) return {};
  std::vector<NavLink> nav = {{"/dashboard", "Dashboard"}};
  if (principal->role == model::Role::kAdmin) {
    nav.push_back({"/organisations", "Organisations"});
    nav.push_back({"/people", "People"});
    nav.push_back({"/campaigns", "Campaigns"});
  }
  nav.push_back({"/frameworks", "Frameworks"});
  nav.push_back({"/plans", "Development plans"});
  if (principal->role == model::Role::kAdmin) nav.push_back({"/resources", "Learning resources"});
  if (principal->role == model::Role::kAdmin || principal->role == model::Role::kBoard) {
    nav.push_back({"/partnership", "Partnership view"});
  }
  if (principal->role == model::Role::kAdmin) nav.push_back({"/audit", "Audit log"});
  return nav;
}

Response Pages::Render(const service::Principal* principal, std::string_view body_template,
                       std::string_view title, PageData data, int status,
                       std::string_view current) const {
  data.set("title", std::string(title));
  if (principal != nullptr) {
    data.set("csrf", principal->csrf_token);
    data.set("is_admin", principal->role == model::Role::kAdmin);
  }
  Result<std::string> body = templates_.Render(body_template, data);
  if (!body.ok()) return ErrorResponse(Status::Internal(body.status().message()));

  PageData layout;
  layout.set("title", std::string(title));
  layout.set("body", *body);
  if (principal != nullptr) {
    layout.set("signed_in", true);
    layout.set("user_name", principal->display_name);
    layout.set("role", std::string(model::RoleName(principal->role)));
    layout.set("csrf", principal->csrf_token);
    PageList nav;
    for (const NavLink& link : NavigationFor(principal)) {
      PageData item;
      item.set("href", link.href);
      item.set("label", link.label);
      // A section's pages ("/people/new") mark their section ("/people") as current.
      bool is_current = !current.empty() && link.href == current;
      item.set("current", is_current);
      nav.push_back(item);
    }
    layout.set("nav", nav);
  }
  Result<std::string> page = templates_.Render("layout", layout);
  if (!page.ok()) return ErrorResponse(Status::Internal(page.status().message()));
  return HtmlResponse(std::move(*page), status);
}

Response Pages::Error(const service::Principal* principal, const Status& status) const {
  int http_status = HttpStatusFor(status.code());
  bool internal =
      status.code() == StatusCode::kInternal || status.code() == StatusCode::kUnavailable;
  PageData data;
  data.set("message", internal ? std::string("Something went wrong on our side. Please try "
                                             "again in a moment.")
                               : status.message());
  Response response =
      Render(principal, "error", std::string(ReasonPhrase(http_status)), data, http_status);
  if (internal) response.log_note = status.ToString();
  return response;
}

}  // namespace trellis::web
