// web/home_page.h — the server-rendered home page at "/".
// A placeholder front door until accounts and campaigns arrive: it says what Trellis is for and
// proves the page skeleton (HTML5, lang, viewport, /static/trellis.css, no inline script or
// style, so the CSP holds). Pure; safe from any thread.
#pragma once

#include "web/http_types.h"
#include "web/router.h"

namespace trellis::web {

// GET / → 200 text/html.
Response HandleHomePage(const Request& request, const PathParams& params);

// Registers GET / on `router`. Fails as Router::Add does.
Status AddHomePageRoute(Router& router);

}  // namespace trellis::web
