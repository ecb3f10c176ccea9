// web/http_types.cc — Headers, QueryParams and request-target parsing.
#include "web/http_types.h"

#include <algorithm>

namespace trellis::web {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

// Splits `text` on `sep`, keeping empty pieces ("a//b" → "a", "", "b").
std::vector<std::string_view> Split(std::string_view text, char sep) {
  std::vector<std::string_view> pieces;
  std::size_t start = 0;
  while (true) {
    std::size_t end = text.find(sep, start);
    if (end == std::string_view::npos) {
      pieces.push_back(text.substr(start));
      return pieces;
    }
    pieces.push_back(text.substr(start, end - start));
    start = end + 1;
  }
}

// A decoded path segment must not smuggle in a separator or a control character: after
// decoding, "%2F" would split one segment into two and "%00" truncates C strings.
bool IsSafeSegment(std::string_view segment) {
  return std::none_of(segment.begin(), segment.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return c == '/' || c == '\\' || u < 0x20 || u == 0x7f;
  });
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return ToLowerAscii(x) == ToLowerAscii(y);
         });
}

const std::string* Headers::Get(std::string_view name) const {
  for (const Field& f : fields_) {
    if (EqualsIgnoreCase(f.first, name)) return &f.second;
  }
  return nullptr;
}

void Headers::Set(std::string name, std::string value) {
  Remove(name);
  Add(std::move(name), std::move(value));
}

void Headers::Add(std::string name, std::string value) {
  fields_.emplace_back(std::move(name), std::move(value));
}

void Headers::Remove(std::string_view name) {
  std::erase_if(fields_, [name](const Field& f) { return EqualsIgnoreCase(f.first, name); });
}

const std::string* QueryParams::Get(std::string_view name) const {
  for (const Param& p : params_) {
    if (p.first == name) return &p.second;
  }
  return nullptr;
}

std::vector<std::string> QueryParams::GetAll(std::string_view name) const {
  std::vector<std::string> values;
  for (const Param& p : params_) {
    if (p.first == name) values.push_back(p.second);
  }
  return values;
}

void QueryParams::Add(std::string name, std::string value) {
  params_.emplace_back(std::move(name), std::move(value));
}

std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;  // needs two hex digits
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

Status ParseTarget(std::string_view target, std::string* path, QueryParams* query) {
  if (target.empty() || target.front() != '/') {
    return Status::InvalidArgument("the request target must be a path starting with '/'");
  }
  std::string_view raw_path = target;
  std::string_view raw_query;
  if (std::size_t q = target.find('?'); q != std::string_view::npos) {
    raw_path = target.substr(0, q);
    raw_query = target.substr(q + 1);
  }

  path->clear();
  std::vector<std::string_view> segments = Split(raw_path.substr(1), '/');
  for (std::string_view raw : segments) {
    std::optional<std::string> segment = PercentDecode(raw, /*plus_is_space=*/false);
    if (!segment) return Status::InvalidArgument("the request path has a malformed %-escape");
    if (*segment == "." || *segment == "..") {
      return Status::InvalidArgument("the request path may not contain '.' or '..' segments");
    }
    if (!IsSafeSegment(*segment)) {
      return Status::InvalidArgument(
          "the request path may not contain an encoded '/', a '\\' or a control character");
    }
    path->push_back('/');
    path->append(*segment);
  }

  *query = QueryParams();
  if (raw_query.empty()) return Status::Ok();
  for (std::string_view pair : Split(raw_query, '&')) {
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, eq), /*plus_is_space=*/true);
    std::optional<std::string> value =
        eq == std::string_view::npos ? std::string()
                                     : PercentDecode(pair.substr(eq + 1), /*plus_is_space=*/true);
    if (!name || !value)
      return Status::InvalidArgument("the query string has a malformed %-escape");
    query->Add(std::move(*name), std::move(*value));
  }
  return Status::Ok();
}

Result<Request> MakeRequest(std::string method, std::string_view target, std::string body) {
  Request request;
  request.method = std::move(method);
  request.body = std::move(body);
  Status parsed = ParseTarget(target, &request.path, &request.query);
  if (!parsed.ok()) return parsed;
  return request;
}

}  // namespace trellis::web
