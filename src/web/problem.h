// web/problem.h — building Responses: errors as application/problem+json (RFC 7807), JSON,
// HTML and redirects. HttpStatusFor is THE one place a StatusCode becomes an HTTP status; every
// handler turns a failed Status into a response with ErrorResponse and nothing else.
// Pure functions; safe from any thread.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "web/http_types.h"

namespace trellis::web {

// The one mapping from StatusCode to HTTP status:
//   InvalidArgument → 400, NotFound → 404, AlreadyExists → 409, PermissionDenied → 403,
//   FailedPrecondition → 409 (the request is well formed but conflicts with the resource's
//   current state, e.g. a closed campaign; 422 is kept for field-level validation, which is
//   InvalidArgument here), Unavailable → 503, Internal → 500.
// kOk maps to 200; asking for the status of an error with it is a programming error.
int HttpStatusFor(StatusCode code);

// A problem+json response for a non-OK `status`:
// {"type":"urn:trellis:problem:not_found","title":"Not found","status":404,"detail":MESSAGE}.
// The detail is the Status message (written for users), except for Internal and Unavailable,
// whose message may name internals: the client gets a generic detail and the message goes to
// Response::log_note for the access log. An OK status is a programming error and yields 500.
Response ErrorResponse(const Status& status);

// A problem+json response for an HTTP-level problem with no Status behind it (405, 408, 413,
// 431 …): {"type":"about:blank","title":REASON PHRASE,"status":http_status,"detail":detail}.
Response ProblemResponse(int http_status, std::string_view detail);

// `json` (already serialised) as application/json with `http_status`.
Response JsonResponse(std::string json, int http_status = 200);

// `html` (a whole document) as text/html; charset=utf-8 with `http_status`.
Response HtmlResponse(std::string html, int http_status = 200);

// A redirect (303 See Other by default: after a POST, the browser GETs `location`).
// `location` must be a path on this site ("/campaigns/7"); anything else — an absolute URL, a
// scheme-relative "//host", a backslash or a control character — is replaced by "/", so no
// redirect can send a user to another site.
Response RedirectResponse(std::string_view location, int http_status = 303);

// The standard reason phrase for an HTTP status ("Not Found"); "Unknown" for others.
std::string_view ReasonPhrase(int http_status);

}  // namespace trellis::web
