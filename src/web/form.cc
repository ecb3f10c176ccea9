// web/form.cc — see form.h.
#include "web/form.h"

#include <cctype>

#include "web/multipart.h"

namespace trellis::web {
namespace {

// The media type of a Content-Type value, lower-cased, without parameters.
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

}  // namespace

const std::string* FormData::Get(std::string_view name) const {
  for (const auto& [key, value] : fields) {
    if (key == name) return &value;
  }
  return nullptr;
}

std::string FormData::Value(std::string_view name) const {
  const std::string* value = Get(name);
  return value == nullptr ? std::string() : *value;
}

const UploadedFile* FormData::File(std::string_view name) const {
  for (const UploadedFile& file : files) {
    if (file.field == name && !file.filename.empty()) return &file;
  }
  return nullptr;
}

std::string PercentEncode(std::string_view text, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' ||
        (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

Result<FormData> ParseUrlEncodedForm(std::string_view body) {
  FormData form;
  while (!body.empty()) {
    std::size_t amp = body.find('&');
    std::string_view pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view() : body.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t eq = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, eq), true);
    std::optional<std::string> value = PercentDecode(
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1), true);
    if (!name || !value) {
      return Status::InvalidArgument("malformed form body: a bad %-escape");
    }
    form.fields.emplace_back(std::move(*name), std::move(*value));
  }
  return form;
}

Result<FormData> ParseFormBody(const Request& request) {
  const std::string* content_type = request.Header("Content-Type");
  if (content_type == nullptr) return FormData{};
  std::string type = MediaType(*content_type);
  if (type == "application/x-www-form-urlencoded") return ParseUrlEncodedForm(request.body);
  if (type == "multipart/form-data") {
    std::optional<std::string> boundary = MultipartBoundary(*content_type);
    if (!boundary) {
      return Status::InvalidArgument("malformed multipart body: no boundary in Content-Type");
    }
    return ParseMultipart(request.body, *boundary);
  }
  return FormData{};
}

}  // namespace trellis::web
