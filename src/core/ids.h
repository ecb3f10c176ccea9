// core/ids.h — opaque identifiers for stored records ("org_3f9a…"): a short prefix naming the
// kind, then 20 hex digits (80 random bits). Text ids keep SQL portable between SQLite and
// PostgreSQL (no backend-specific auto-increment) and never reveal creation order or counts.
// Not for secrets: rater link tokens and session ids use libsodium's CSPRNG (web/auth code).
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace trellis {

// "PREFIX_" + 20 lower-case hex digits, e.g. NewId("org") → "org_5e0c2a9b41f7d3e8a6b2".
std::string NewId(std::string_view prefix);

}  // namespace trellis
