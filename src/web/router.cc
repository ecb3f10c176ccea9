// web/router.cc — pattern parsing and most-specific-route matching.
#include "web/router.h"

#include <algorithm>
#include <set>

#include "web/problem.h"

namespace trellis::web {
namespace {

// "/a/b" → {"a","b"}; "/" → {}; "/a/" → {"a",""} (a trailing slash is a distinct address).
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> segments;
  if (path.size() <= 1) return segments;
  path.remove_prefix(1);
  std::size_t start = 0;
  while (true) {
    std::size_t end = path.find('/', start);
    if (end == std::string_view::npos) {
      segments.push_back(path.substr(start));
      return segments;
    }
    segments.push_back(path.substr(start, end - start));
    start = end + 1;
  }
}

}  // namespace

Status Router::Add(std::string_view method, std::string_view pattern, Handler handler) {
  if (method.empty()) return Status::InvalidArgument("route method is empty");
  if (pattern.empty() || pattern.front() != '/') {
    return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                   "' must start with '/'");
  }
  Route route{std::string(method), std::string(pattern), {}, std::move(handler)};
  std::set<std::string, std::less<>> names;
  std::vector<std::string_view> raw = SplitPath(pattern);
  for (std::size_t i = 0; i < raw.size(); ++i) {
    std::string_view seg = raw[i];
    auto bad = [&](std::string_view why) {
      return Status::InvalidArgument("route pattern '" + std::string(pattern) +
                                     "': " + std::string(why));
    };
    if (seg.empty()) return bad("empty segment");
    bool opens = seg.front() == '{';
    bool closes = seg.back() == '}';
    if (!opens && !closes) {
      if (seg.find_first_of("{}") != std::string_view::npos) return bad("stray '{' or '}'");
      route.segments.push_back({SegmentKind::kLiteral, std::string(seg)});
      continue;
    }
    if (!opens || !closes || seg.size() < 3) return bad("parameters are written {name}");
    std::string_view name = seg.substr(1, seg.size() - 2);
    SegmentKind kind = SegmentKind::kParam;
    if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
      if (i + 1 != raw.size()) return bad("a {name...} parameter must be the last segment");
      name.remove_suffix(3);
      kind = SegmentKind::kRest;
    }
    if (name.empty() || name.find_first_of("{}./") != std::string_view::npos) {
      return bad("parameter names may not be empty or hold '{', '}', '.' or '/'");
    }
    if (!names.emplace(name).second) return bad("repeated parameter name");
    route.segments.push_back({kind, std::string(name)});
  }

  auto same_shape = [&route](const Route& other) {
    return other.method == route.method &&
           std::equal(other.segments.begin(), other.segments.end(), route.segments.begin(),
                      route.segments.end(), [](const Segment& a, const Segment& b) {
                        return a.kind == b.kind &&
                               (a.kind != SegmentKind::kLiteral || a.text == b.text);
                      });
  };
  if (std::any_of(routes_.begin(), routes_.end(), same_shape)) {
    return Status::AlreadyExists("a route for " + route.method + " " + route.pattern +
                                 " already exists");
  }
  routes_.push_back(std::move(route));
  return Status::Ok();
}

bool Router::Match(const Route& route, const std::vector<std::string_view>& path_segments,
                   PathParams* params) {
  const std::vector<Segment>& segs = route.segments;
  bool has_rest = !segs.empty() && segs.back().kind == SegmentKind::kRest;
  if (has_rest ? path_segments.size() < segs.size() : path_segments.size() != segs.size()) {
    return false;
  }
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Segment& seg = segs[i];
    switch (seg.kind) {
      case SegmentKind::kLiteral:
        if (path_segments[i] != seg.text) return false;
        break;
      case SegmentKind::kParam:
        if (path_segments[i].empty()) return false;
        if (params) (*params)[seg.text] = std::string(path_segments[i]);
        break;
      case SegmentKind::kRest: {
        std::string rest;
        for (std::size_t j = i; j < path_segments.size(); ++j) {
          if (j > i) rest.push_back('/');
          rest.append(path_segments[j]);
        }
        if (rest.empty()) return false;
        if (params) (*params)[seg.text] = std::move(rest);
        break;
      }
    }
  }
  return true;
}

Response Router::Dispatch(const Request& request) const {
  std::vector<std::string_view> path_segments = SplitPath(request.path);
  // Most specific wins: compare segment kinds left to right (literal < param < rest).
  auto more_specific = [](const Route& a, const Route& b) {
    return std::lexicographical_compare(
        a.segments.begin(), a.segments.end(), b.segments.begin(), b.segments.end(),
        [](const Segment& x, const Segment& y) { return x.kind < y.kind; });
  };
  std::set<std::string> allowed;
  auto find = [&](std::string_view method) {
    const Route* best = nullptr;
    for (const Route& route : routes_) {
      if (!Match(route, path_segments, nullptr)) continue;
      allowed.insert(route.method);
      if (route.method != method) continue;
      if (best == nullptr || more_specific(route, *best)) best = &route;
    }
    return best;
  };
  const Route* best = find(request.method);
  // HEAD falls back to the GET route (RFC 9110 §9.3.2); the server omits the body.
  if (best == nullptr && request.method == "HEAD") best = find("GET");

  if (best != nullptr) {
    PathParams params;
    Match(*best, path_segments, &params);
    return best->handler(request, params);
  }
  if (allowed.empty()) {
    return ErrorResponse(Status::NotFound("There is nothing at this address."));
  }
  if (allowed.count("GET")) allowed.insert("HEAD");
  std::string allow;
  for (const std::string& m : allowed) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  Response response = ProblemResponse(
      405, "This address does not accept " + request.method + "; use " + allow + ".");
  response.headers.Set("Allow", allow);
  return response;
}

}  // namespace trellis::web
