// web/problem.cc — StatusCode → HTTP status (the only such mapping) and response builders.
#include "web/problem.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace trellis::web {
namespace {

// Short, user-facing titles per code; the message carries the specifics.
std::string_view TitleFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "OK";
    case StatusCode::kInvalidArgument:
      return "Invalid request";
    case StatusCode::kNotFound:
      return "Not found";
    case StatusCode::kAlreadyExists:
      return "Already exists";
    case StatusCode::kPermissionDenied:
      return "Permission denied";
    case StatusCode::kFailedPrecondition:
      return "Conflicts with the current state";
    case StatusCode::kUnavailable:
      return "Service unavailable";
    case StatusCode::kInternal:
      return "Internal error";
  }
  return "Internal error";
}

Response Problem(int http_status, std::string type, std::string_view title,
                 std::string_view detail) {
  nlohmann::json body = {{"type", std::move(type)},
                         {"title", std::string(title)},
                         {"status", http_status},
                         {"detail", std::string(detail)}};
  Response response;
  response.status = http_status;
  response.content_type = "application/problem+json";
  // A detail may quote user input that is not valid UTF-8; replace rather than throw.
  response.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return response;
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response ErrorResponse(const Status& status) {
  if (status.ok()) return ErrorResponse(Status::Internal("ErrorResponse called with an OK status"));
  StatusCode code = status.code();
  std::string type = std::string("urn:trellis:problem:") + StatusCodeName(code);
  switch (code) {
    case StatusCode::kInternal: {
      Response response = Problem(HttpStatusFor(code), std::move(type), TitleFor(code),
                                  "Something went wrong on the server; it has been logged.");
      response.log_note = status.ToString();
      return response;
    }
    case StatusCode::kUnavailable: {
      Response response = Problem(HttpStatusFor(code), std::move(type), TitleFor(code),
                                  "The service is temporarily unavailable; please try again.");
      response.log_note = status.ToString();
      return response;
    }
    default:
      return Problem(HttpStatusFor(code), std::move(type), TitleFor(code), status.message());
  }
}

Response ProblemResponse(int http_status, std::string_view detail) {
  return Problem(http_status, "about:blank", ReasonPhrase(http_status), detail);
}

Response JsonResponse(std::string json, int http_status) {
  Response response;
  response.status = http_status;
  response.content_type = "application/json";
  response.body = std::move(json);
  return response;
}

Response HtmlResponse(std::string html, int http_status) {
  Response response;
  response.status = http_status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(html);
  return response;
}

Response RedirectResponse(std::string_view location, int http_status) {
  bool local = !location.empty() && location.front() == '/' &&
               !(location.size() > 1 && (location[1] == '/' || location[1] == '\\')) &&
               std::none_of(location.begin(), location.end(), [](char c) {
                 auto u = static_cast<unsigned char>(c);
                 return c == '\\' || u < 0x20 || u == 0x7f;
               });
  Response response;
  response.status = http_status;
  response.headers.Set("Location", local ? std::string(location) : std::string("/"));
  return response;
}

std::string_view ReasonPhrase(int http_status) {
  switch (http_status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 202:
      return "Accepted";
    case 204:
      return "No Content";
    case 301:
      return "Moved Permanently";
    case 302:
      return "Found";
    case 303:
      return "See Other";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 308:
      return "Permanent Redirect";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 411:
      return "Length Required";
    case 413:
      return "Content Too Large";
    case 414:
      return "URI Too Long";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 501:
      return "Not Implemented";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace trellis::web
