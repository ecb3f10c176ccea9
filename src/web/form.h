// web/form.h — the fields (and uploaded files) of an HTML form submission, parsed from a
// request body of type application/x-www-form-urlencoded or multipart/form-data (multipart.h).
// Used by the auth middleware (to find the `_csrf` field) and by page handlers. Plain values;
// safe to copy between threads.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "web/http_types.h"

namespace trellis::web {

// One uploaded file of a multipart form.
struct UploadedFile {
  std::string field;         // the form field's name ("file")
  std::string filename;      // as the browser sent it, without any directory part
  std::string content_type;  // the part's Content-Type, or "" when absent
  std::string data;          // the file's bytes
};

struct FormData {
  std::vector<std::pair<std::string, std::string>> fields;  // in order; names may repeat
  std::vector<UploadedFile> files;

  // The first value of `name`, or nullptr.
  const std::string* Get(std::string_view name) const;
  // The first value of `name`, or "" when absent.
  std::string Value(std::string_view name) const;
  // The first file sent under field `name` with a non-empty filename, or nullptr.
  const UploadedFile* File(std::string_view name) const;
};

// Parses "a=1&b=x+y%21" (names and values percent-decoded, '+' as space; empty pairs skipped).
// kInvalidArgument for a malformed %-escape.
Result<FormData> ParseUrlEncodedForm(std::string_view body);

// The form in `request`'s body by its Content-Type: url-encoded or multipart/form-data; an
// empty FormData for any other type (a JSON or CSV API body) or no body.
// kInvalidArgument for a malformed body of either form type.
Result<FormData> ParseFormBody(const Request& request);

// Percent-encodes everything but unreserved characters (A-Z a-z 0-9 - . _ ~), and '/' when
// `keep_slash`: for building query strings and links from values.
std::string PercentEncode(std::string_view text, bool keep_slash = false);

}  // namespace trellis::web
