// web/static_files.cc — see static_files.h.
#include "web/static_files.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <system_error>

#include "web/problem.h"

#ifndef TRELLIS_DEFAULT_STATIC_DIR
#define TRELLIS_DEFAULT_STATIC_DIR "web/static"
#endif

namespace trellis::web {
namespace {

namespace fs = std::filesystem;

Response NotFound() { return ErrorResponse(Status::NotFound("There is no such file.")); }

// Names are restricted to a conservative set, so nothing odd reaches the file system.
bool IsSafeName(std::string_view name) {
  return !name.empty() && name.front() != '.' && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

// True when `path` is `root` or lies below it; both canonical.
bool IsWithin(const fs::path& root, const fs::path& path) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

// A strong validator from the content (FNV-1a, 64 bits): cheap, and changes when the file does.
std::string ETagFor(std::string_view content) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : content) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// If-None-Match holds "*" or a list of entity tags, compared weakly (W/"x" matches "x").
bool MatchesETag(const std::string& if_none_match, std::string_view etag) {
  return if_none_match.find('*') != std::string::npos ||
         if_none_match.find(etag) != std::string::npos;
}

}  // namespace

StaticFiles::StaticFiles(fs::path root) : root_(std::move(root)) {}

Response StaticFiles::Serve(const Request& request, const PathParams& params) const {
  auto it = params.find("path");
  if (it == params.end()) return NotFound();

  fs::path relative;
  std::string_view rest = it->second;
  while (!rest.empty()) {
    std::size_t slash = rest.find('/');
    std::string_view name = rest.substr(0, slash);
    if (!IsSafeName(name)) return NotFound();
    relative /= std::string(name);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
    if (rest.empty()) return NotFound();  // a trailing slash names a directory
  }
  if (relative.empty()) return NotFound();

  // Resolve symlinks on both sides, then insist the file is still inside the root.
  std::error_code ec;
  fs::path root = fs::canonical(root_, ec);
  if (ec) return NotFound();
  fs::path file = fs::canonical(root / relative, ec);
  if (ec || !IsWithin(root, file) || !fs::is_regular_file(file, ec)) return NotFound();

  std::ifstream in(file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in) {
    return ErrorResponse(Status::Internal("cannot read static file " + file.string()));
  }

  Response response;
  std::string etag = ETagFor(content.view());
  response.headers.Set("ETag", etag);
  response.headers.Set("Cache-Control", "public, max-age=3600");
  if (const std::string* inm = request.Header("If-None-Match"); inm && MatchesETag(*inm, etag)) {
    response.status = 304;
    return response;
  }
  response.content_type = std::string(ContentTypeFor(file.filename().string()));
  response.body = std::move(content).str();
  return response;
}

Status AddStaticRoutes(Router& router, fs::path root) {
  auto files = std::make_shared<StaticFiles>(std::move(root));
  return router.Add("GET", "/static/{path...}",
                    [files](const Request& request, const PathParams& params) {
                      return files->Serve(request, params);
                    });
}

std::string_view ContentTypeFor(std::string_view filename) {
  std::size_t dot = filename.rfind('.');
  std::string ext(dot == std::string_view::npos ? std::string_view() : filename.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; });
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "txt") return "text/plain; charset=utf-8";
  if (ext == "json" || ext == "map") return "application/json";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "jpg" || ext == "jpeg") return "image/jpeg";
  if (ext == "gif") return "image/gif";
  if (ext == "webp") return "image/webp";
  if (ext == "ico") return "image/vnd.microsoft.icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "woff") return "font/woff";
  if (ext == "pdf") return "application/pdf";
  return "application/octet-stream";
}

fs::path DefaultStaticDir() {
  if (const char* env = std::getenv("TRELLIS_STATIC_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return TRELLIS_DEFAULT_STATIC_DIR;
}

}  // namespace trellis::web
