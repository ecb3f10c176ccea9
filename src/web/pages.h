// web/pages.h — server-rendered HTML: mustache templates (kainjow, header-only) loaded once at
// start-up from a directory (web/templates/*.mustache), rendered into the site layout. Every
// {{value}} is HTML-escaped (& < > " '); templates use {{{…}}} only for HTML we produced. A
// template named "_x" is also available to the others as the partial {{> _x}}.
// Templates and Pages are immutable after Load, so rendering is safe from many threads.
#pragma once

#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "service/auth_service.h"
#include "web/http_types.h"

namespace trellis::web {

// The values a template sees: kainjow's object/list/string/bool tree.
using PageData = kainjow::mustache::data;
using PageList = kainjow::mustache::list;

class Templates {
 public:
  // Loads every "*.mustache" file of `dir` (not its subdirectories) and checks it parses.
  // kInvalidArgument "DIR is not a directory" or "FILE: template error: …" (with the
  // parser's message); kNotFound "… no layout.mustache" when the layout is missing.
  static Result<Templates> Load(const std::filesystem::path& dir);

  // Renders template `name` (its file name without ".mustache") with `data`.
  // kNotFound for an unknown name; kInternal when rendering fails (an unknown partial).
  Result<std::string> Render(std::string_view name, const PageData& data) const;

  bool Has(std::string_view name) const { return sources_.count(std::string(name)) != 0; }

 private:
  std::map<std::string, std::string, std::less<>> sources_;  // name → template text
};

// Where `trellis serve` looks for templates when not told: $TRELLIS_TEMPLATE_DIR if set, else
// the web/templates/ of the source tree this binary was built from.
std::filesystem::path DefaultTemplateDir();

// One entry of the site navigation.
struct NavLink {
  std::string href;
  std::string label;
};

// A whole page: a body template rendered inside layout.mustache, with the header, the
// navigation for the signed-in principal's role, a sign-out form carrying the CSRF token, and
// the footer.
class Pages {
 public:
  explicit Pages(Templates templates) : templates_(std::move(templates)) {}

  // Renders `body_template` with `data`, then the layout around it, as a text/html Response
  // with `status`. `principal` may be null (signed-out pages); `title` goes in <title> and is
  // the caller's <h1>; `current` is the nav href to mark aria-current. A rendering failure is
  // a 500 problem (logged), never a half page.
  Response Render(const service::Principal* principal, std::string_view body_template,
                  std::string_view title, PageData data, int status = 200,
                  std::string_view current = "") const;

  // An error page for a failed `status` (its HTTP status through HttpStatusFor), showing the
  // message for user-facing codes and a generic one for Internal/Unavailable.
  Response Error(const service::Principal* principal, const Status& status) const;

  const Templates& templates() const { return templates_; }

 private:
  Templates templates_;
};

// The navigation for `principal`'s role (empty for null).
std::vector<NavLink> NavigationFor(const service::Principal* principal);

}  // namespace trellis::web
