// web/multipart.cc — see multipart.h. RFC 7578 (multipart/form-data) on RFC 2046 §5.1.1
// (boundaries): each part follows "CRLF--boundary", the last delimiter is "--boundary--".
#include "web/multipart.h"

#include <cctype>
#include <vector>

#include "web/http_types.h"

namespace trellis::web {
namespace {

// RFC 2046: a boundary is 1..70 characters.
constexpr std::size_t kMaxBoundary = 70;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Status Malformed(std::string_view why) {
  return Status::InvalidArgument("malformed multipart body: " + std::string(why));
}

// Splits header parameters ("form-data; name=\"a\"; filename=\"b;c\"") into lower-cased
// names and unquoted values; the first element (the disposition type) has an empty name.
std::vector<std::pair<std::string, std::string>> SplitParams(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t i = 0;
  bool first = true;
  while (i <= text.size()) {
    // Read a name up to '=' or ';'.
    std::size_t start = i;
    while (i < text.size() && text[i] != '=' && text[i] != ';') ++i;
    std::string name(Trim(text.substr(start, i - start)));
    std::string value;
    if (i < text.size() && text[i] == '=') {
      ++i;
      while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (i < text.size() && text[i] != '"') {
          if (text[i] == '\\' && i + 1 < text.size()) ++i;
          value.push_back(text[i++]);
        }
        ++i;  // the closing quote
        while (i < text.size() && text[i] != ';') ++i;
      } else {
        std::size_t vstart = i;
        while (i < text.size() && text[i] != ';') ++i;
        value = std::string(Trim(text.substr(vstart, i - vstart)));
      }
    }
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (first) {
      out.emplace_back("", name);  // the disposition type itself
      first = false;
    } else if (!name.empty()) {
      out.emplace_back(std::move(name), std::move(value));
    }
    ++i;  // past ';'
  }
  return out;
}

}  // namespace

std::optional<std::string> MultipartBoundary(std::string_view content_type) {
  auto params = SplitParams(content_type);
  if (params.empty() || params[0].second != "multipart/form-data") return std::nullopt;
  for (std::size_t i = 1; i < params.size(); ++i) {
    if (params[i].first == "boundary") {
      const std::string& b = params[i].second;
      if (b.empty() || b.size() > kMaxBoundary) return std::nullopt;
      return b;
    }
  }
  return std::nullopt;
}

Result<FormData> ParseMultipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty() || boundary.size() > kMaxBoundary) return Malformed("bad boundary");
  const std::string dash_boundary = "--" + std::string(boundary);
  const std::string delimiter = "\r\n" + dash_boundary;

  // The first boundary opens the body, or follows a preamble ending in CRLF.
  std::size_t pos;
  if (body.substr(0, dash_boundary.size()) == dash_boundary) {
    pos = dash_boundary.size();
  } else {
    std::size_t found = body.find(delimiter);
    if (found == std::string_view::npos) return Malformed("the boundary does not occur");
    pos = found + delimiter.size();
  }

  FormData form;
  for (;;) {
    if (body.substr(pos, 2) == "--") return form;  // the closing delimiter
    // Transport padding (spaces, tabs) may follow a boundary before its CRLF.
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) != "\r\n") return Malformed("a boundary is not followed by CRLF");
    pos += 2;

    std::size_t headers_end = body.find("\r\n\r\n", pos);
    // A part with no header fields at all starts with the blank line directly.
    std::string_view headers;
    std::size_t content_start;
    if (body.substr(pos, 2) == "\r\n") {
      content_start = pos + 2;
    } else if (headers_end == std::string_view::npos) {
      return Malformed("a part has no blank line after its headers");
    } else {
      headers = body.substr(pos, headers_end - pos);
      content_start = headers_end + 4;
    }
    // The part ends at the first delimiter that is followed by "--" or (padding and) CRLF;
    // "CRLF--boundary" followed by anything else is content (RFC 2046 forbids it, but a
    // robust reader does not cut a file short).
    std::size_t content_end = content_start;
    for (;;) {
      content_end = body.find(delimiter, content_end);
      if (content_end == std::string_view::npos) {
        return Malformed("the closing boundary is missing");
      }
      std::size_t after = content_end + delimiter.size();
      while (after < body.size() && (body[after] == ' ' || body[after] == '\t')) ++after;
      std::string_view next = body.substr(after, 2);
      if (body.substr(content_end + delimiter.size(), 2) == "--" || next == "\r\n" ||
          after == body.size()) {
        break;
      }
      ++content_end;
    }

    std::string name, filename, content_type;
    bool has_name = false, has_filename = false, is_form_data = false;
    while (!headers.empty()) {
      std::size_t eol = headers.find("\r\n");
      std::string_view line = headers.substr(0, eol);
      headers = eol == std::string_view::npos ? std::string_view() : headers.substr(eol + 2);
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos) return Malformed("a part header has no ':'");
      std::string_view field = Trim(line.substr(0, colon));
      std::string_view value = Trim(line.substr(colon + 1));
      if (EqualsIgnoreCase(field, "Content-Disposition")) {
        auto params = SplitParams(value);
        is_form_data = !params.empty() && params[0].second == "form-data";
        for (std::size_t i = 1; i < params.size(); ++i) {
          if (params[i].first == "name") {
            name = params[i].second;
            has_name = true;
          } else if (params[i].first == "filename") {
            filename = params[i].second;
            has_filename = true;
          }
        }
      } else if (EqualsIgnoreCase(field, "Content-Type")) {
        content_type = std::string(value);
      }
    }
    if (!is_form_data || !has_name) {
      return Malformed("a part has no Content-Disposition: form-data with a name");
    }
    std::string content(body.substr(content_start, content_end - content_start));
    if (has_filename) {
      // Browsers send the bare name; old ones sent a full path. Keep only the last component.
      std::size_t slash = filename.find_last_of("/\\");
      if (slash != std::string::npos) filename = filename.substr(slash + 1);
      form.files.push_back(
          {std::move(name), std::move(filename), std::move(content_type), std::move(content)});
    } else {
      form.fields.emplace_back(std::move(name), std::move(content));
    }
    pos = content_end + delimiter.size();
  }
}

}  // namespace trellis::web
