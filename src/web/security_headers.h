// web/security_headers.h — the HTTP security headers every Trellis response carries.
// HandleRequest (server.h) applies them to every response, including 404s, 500s and the
// protocol errors the session itself produces (400, 408, 413, 431), so a page can never be
// framed, sniffed or made to run inline script. Pure; safe from any thread.
#pragma once

#include <string_view>

#include "web/http_types.h"

namespace trellis::web {

// No inline script or style anywhere: every script and stylesheet is a file under /static/.
inline constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

// Sets Content-Security-Policy, X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer
// (rater links carry tokens that must not leak to other sites), X-Frame-Options: DENY and
// Cross-Origin-Opener-Policy: same-origin, replacing any a handler set. Adds Cache-Control:
// no-store unless the handler chose a Cache-Control itself (static files do), so personal pages
// and reports never sit in a shared or browser cache.
void ApplySecurityHeaders(Response& response);

}  // namespace trellis::web
