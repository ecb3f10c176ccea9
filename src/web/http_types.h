// web/http_types.h — the plain HTTP request and response that every handler sees.
// Independent of Beast: the session in server.cc translates to and from the wire, so handlers
// and tests build these values directly and never touch Beast. A Request's path is already
// percent-decoded and free of "." and ".." segments (ParseTarget refuses them), so no later code
// can be tricked into climbing out of a directory. Plain values; safe to copy between threads.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"

namespace trellis::web {

// Header fields in arrival order. Names compare case-insensitively ("content-type" finds
// "Content-Type"); a name may occur more than once (Add), Set replaces every occurrence.
class Headers {
 public:
  using Field = std::pair<std::string, std::string>;  // name as given, value

  // The value of the first field called `name` (any case), or nullptr.
  const std::string* Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name) != nullptr; }
  // Removes every field called `name`, then appends one.
  void Set(std::string name, std::string value);
  // Appends a field, keeping any of the same name.
  void Add(std::string name, std::string value);
  // Removes every field called `name`.
  void Remove(std::string_view name);

  const std::vector<Field>& fields() const { return fields_; }
  std::vector<Field>::const_iterator begin() const { return fields_.begin(); }
  std::vector<Field>::const_iterator end() const { return fields_.end(); }
  std::size_t size() const { return fields_.size(); }

 private:
  std::vector<Field> fields_;
};

// Query parameters in the order they appear; names and values percent-decoded, '+' read as a
// space. A name may repeat ("?group=peer&group=manager").
class QueryParams {
 public:
  using Param = std::pair<std::string, std::string>;

  // The first value of `name` (exact, case-sensitive), or nullptr.
  const std::string* Get(std::string_view name) const;
  // Every value of `name`, in order.
  std::vector<std::string> GetAll(std::string_view name) const;
  void Add(std::string name, std::string value);

  const std::vector<Param>& params() const { return params_; }
  std::vector<Param>::const_iterator begin() const { return params_.begin(); }
  std::vector<Param>::const_iterator end() const { return params_.end(); }
  std::size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }

 private:
  std::vector<Param> params_;
};

// One HTTP request as a handler sees it.
struct Request {
  std::string method;          // as on the wire, upper case: "GET", "POST"
  std::string path;            // percent-decoded, without the query: "/api/v1/campaigns/7"
  QueryParams query;           // decoded; may hold secrets (link tokens): never log it
  Headers headers;             // request header fields
  std::string body;            // raw body bytes; empty when none
  std::string remote_address;  // peer IP address ("127.0.0.1"); empty in tests

  // Shorthands for query.Get / headers.Get: the first value, or nullptr.
  const std::string* Query(std::string_view name) const { return query.Get(name); }
  const std::string* Header(std::string_view name) const { return headers.Get(name); }
};

// One HTTP response as a handler returns it. The server adds Content-Length, Connection and the
// security headers (security_headers.h); everything else is the handler's to set. Content-Type
// goes in `content_type`: Content-Type, Content-Length, Transfer-Encoding and Connection in
// `headers` are ignored, and a field holding CR, LF or NUL is dropped (and logged).
struct Response {
  int status = 200;          // HTTP status code, 100..599
  std::string content_type;  // e.g. "text/html; charset=utf-8"; empty: no Content-Type sent
  Headers headers;           // further fields (Location, ETag, Cache-Control, Allow …)
  std::string body;          // body bytes; must be empty for 1xx, 204 and 304
  std::string log_note;      // written to the access log only, never sent ("exception: …")
};

// Percent-decodes `text` ("a%20b" → "a b"); with `plus_is_space` a '+' becomes a space (query
// components). nullopt when a '%' is not followed by two hex digits.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Splits an origin-form request target ("/people/a%20b?x=1&y") into a decoded path
// ("/people/a b") and decoded query parameters. kInvalidArgument, with a message fit for a
// 400 page, when the target does not start with '/', has a malformed %-escape, has a "." or
// ".." path segment (plain or %-encoded), or a path segment that decodes to '/', '\', NUL or
// another control character. On failure *path and *query are unspecified.
Status ParseTarget(std::string_view target, std::string* path, QueryParams* query);

// A Request for `method` and `target` (parsed by ParseTarget) with `body`; for tests and for
// code that builds requests. Fails exactly as ParseTarget does.
Result<Request> MakeRequest(std::string method, std::string_view target, std::string body = "");

// ASCII case-insensitive equality, as header names compare.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace trellis::web
