// web/static_files.h — serves the files of one directory (web/static/) under /static/.
// Only plain files with safe names are served: no directory listings, no hidden files, nothing
// outside the root — not through "..", not through a symlink. Files are read on each request
// (they are small: CSS, JS, icons), so edits show without a restart. Thread-safe.
#pragma once

#include <filesystem>
#include <string_view>

#include "core/status.h"
#include "web/http_types.h"
#include "web/router.h"

namespace trellis::web {

class StaticFiles {
 public:
  // `root` is the directory to serve; it need not exist yet (every request is then a 404).
  explicit StaticFiles(std::filesystem::path root);

  // The handler for GET /static/{path...} (the "path" parameter). 200 with the file, a
  // Content-Type by extension, a strong ETag and Cache-Control: public, max-age=3600;
  // 304 when If-None-Match matches the ETag. A 404 problem for a missing file, a directory,
  // a segment starting with '.', a name with characters outside [A-Za-z0-9._-], or a path that
  // resolves outside the root; a 500 problem if an existing file cannot be read.
  Response Serve(const Request& request, const PathParams& params) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;
};

// Registers GET /static/{path...} on `router`, serving `root`. Fails as Router::Add does.
Status AddStaticRoutes(Router& router, std::filesystem::path root);

// The Content-Type for a file name by its extension ("trellis.css" → "text/css; charset=utf-8");
// "application/octet-stream" for unknown extensions (with nosniff, never run as script).
std::string_view ContentTypeFor(std::string_view filename);

// Where `trellis serve` looks for static files when not told: $TRELLIS_STATIC_DIR if set,
// else the web/static/ of the source tree this binary was built from.
std::filesystem::path DefaultStaticDir();

}  // namespace trellis::web
