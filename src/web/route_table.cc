// web/route_table.cc — see route_table.h.
#include "web/route_table.h"

#include "web/auth_middleware.h"

namespace trellis::web {

std::string_view AccessName(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kStaff:
      return "staff";
    case Access::kBoard:
      return "board";
    case Access::kAdmin:
      return "admin";
    case Access::kRaterLink:
      return "rater-link";
  }
  return "admin";
}

Status RouteTable::Add(std::string_view method, std::string_view pattern, Access access,
                       Surface surface, WebHandler handler) {
  TRELLIS_RETURN_IF_ERROR(
      router_.Add(method, pattern, auth_.Guard(access, surface, std::move(handler))));
  specs_.push_back({std::string(method), std::string(pattern), access, surface});
  return Status::Ok();
}

}  // namespace trellis::web
