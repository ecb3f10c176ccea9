// web/json_body.h — reading JSON request bodies in the /api/v1 handlers (campaign_api.cc,
// plan_api.cc): the body as an object, a member of the wanted type, and a macro that answers a
// failed Result as problem+json. Header-only; nlohmann-json stays inside src/web/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "web/http_types.h"
#include "web/problem.h"

namespace trellis::web {

// The JSON object in the body; an empty body is an empty object. kInvalidArgument otherwise.
inline Result<nlohmann::json> Body(const Request& request) {
  if (request.body.empty()) return nlohmann::json::object();
  nlohmann::json body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    return Status::InvalidArgument("the request body must be a JSON object");
  }
  return body;
}

// Member `name` as T, or `fallback` when absent or null. kInvalidArgument for another type.
template <typename T>
Result<T> Member(const nlohmann::json& body, const char* name, T fallback) {
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  try {
    return it->get<T>();
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument(std::string("field '") + name + "': wrong type");
  }
}

}  // namespace trellis::web

// Declares `lhs` as the value of the Result `expr`, or returns its error as problem+json.
#define TRELLIS_ASSIGN_OR_PROBLEM(lhs, expr)                           \
  auto lhs##_result = (expr);                                          \
  if (!lhs##_result.ok()) return ErrorResponse(lhs##_result.status()); \
  auto lhs = std::move(*lhs##_result)
