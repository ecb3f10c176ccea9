// web/security_headers.cc — see security_headers.h.
#include "web/security_headers.h"

#include <string>

namespace trellis::web {

void ApplySecurityHeaders(Response& response) {
  Headers& h = response.headers;
  h.Set("Content-Security-Policy", std::string(kContentSecurityPolicy));
  h.Set("X-Content-Type-Options", "nosniff");
  h.Set("Referrer-Policy", "no-referrer");
  h.Set("X-Frame-Options", "DENY");
  h.Set("Cross-Origin-Opener-Policy", "same-origin");
  if (!h.Has("Cache-Control")) h.Set("Cache-Control", "no-store");
}

}  // namespace trellis::web
