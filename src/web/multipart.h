// web/multipart.h — a small multipart/form-data (RFC 7578) parser for file uploads (people CSV,
// framework files). Why our own: Boost 1.74 (Debian 12) has no multipart parser — Beast parses
// HTTP messages, not form bodies — and the other options (a CGI library, a web framework)
// would bring far more than this needs. Scope: the whole body is in memory (the server caps
// bodies at 1 MiB); parts are read by boundary; only Content-Disposition's name and filename
// and Content-Type are interpreted; no nested multipart/mixed (RFC 7578 §4.3 deprecates it).
// Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "web/form.h"

namespace trellis::web {

// The boundary parameter of a "multipart/form-data; boundary=…" Content-Type (quotes removed),
// or nullopt when the type is not multipart/form-data or has no (or an over-long) boundary.
std::optional<std::string> MultipartBoundary(std::string_view content_type);

// Parses `body` delimited by `boundary`. Parts with a filename parameter become files (with
// any directory in the filename dropped); the others become fields. kInvalidArgument
// "malformed multipart body: …" when the body does not start with the boundary, a part has no
// header/body separator or no Content-Disposition form-data name, or the closing boundary is
// missing.
Result<FormData> ParseMultipart(std::string_view body, std::string_view boundary);

}  // namespace trellis::web
