// web/router.h — maps (method, path) to a handler, with named path parameters.
// Patterns are "/"-separated segments, each a literal ("campaigns"), a parameter ("{id}",
// one non-empty segment) or, last only, a rest parameter ("{path...}", one or more segments
// joined by '/'). Routes are added at start-up; after that Dispatch is const and may run on
// many threads at once, so handlers must be safe to call concurrently.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "web/http_types.h"

namespace trellis::web {

// Decoded values of a route's parameters by name: {"id": "7"}.
using PathParams = std::map<std::string, std::string, std::less<>>;

// Parses the request (and PathParams), calls one service method, renders the result. May throw
// only as a last resort: HandleRequest (server.h) turns an exception into a logged 500.
using Handler = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  // Registers `handler` for `method` ("GET", "POST" …, upper case) and `pattern`
  // ("/api/v1/campaigns/{id}"). A GET route also answers HEAD (the server drops the body)
  // unless a HEAD route matches.
  // kInvalidArgument for a malformed pattern (not starting with '/', an empty or unclosed
  // "{...}", a rest parameter that is not last, a repeated parameter name) or an empty method;
  // kAlreadyExists when a route with the same method and the same shape (parameter names aside)
  // exists.
  Status Add(std::string_view method, std::string_view pattern, Handler handler);

  // Runs the handler of the best route for the request: among routes for its method whose
  // pattern matches its path, literal segments win over "{name}", which wins over "{name...}",
  // leftmost first. No pattern matches: a 404 problem. Patterns match but none for this method:
  // a 405 problem with an Allow header listing the methods that would work. Exceptions from the
  // handler propagate.
  Response Dispatch(const Request& request) const;

  std::size_t size() const { return routes_.size(); }

 private:
  enum class SegmentKind { kLiteral = 0, kParam = 1, kRest = 2 };
  struct Segment {
    SegmentKind kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };

  // True when `route` matches `path_segments`; fills `params` when non-null.
  static bool Match(const Route& route, const std::vector<std::string_view>& path_segments,
                    PathParams* params);

  std::vector<Route> routes_;
};

}  // namespace trellis::web
