// formats/framework_case_ids.cc — deterministic CASE identifiers over libuuid.
#include "formats/framework_case_ids.h"

#include <uuid/uuid.h>

#include <cctype>

namespace trellis::formats {

std::string TrellisUuid(std::string_view name) {
  uuid_t ns;
  uuid_parse(kTrellisNamespaceUuid, ns);
  uuid_t out;
  uuid_generate_sha1(out, ns, name.data(), name.size());
  char text[37];
  uuid_unparse_lower(out, text);
  return text;
}

std::string TrellisNodeId(std::string_view framework_code, int version, std::string_view node) {
  std::string name(framework_code);
  name += "|" + std::to_string(version) + "|";
  name += node;
  return TrellisUuid(name);
}

std::string UrnFor(std::string_view identifier) { return "urn:uuid:" + std::string(identifier); }

bool LooksLikeUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? text[i] != '-' : !std::isxdigit(static_cast<unsigned char>(text[i]))) return false;
  }
  return true;
}

std::string ShortCodeFor(std::string_view identifier) {
  std::string uuid = LooksLikeUuid(identifier) ? std::string(identifier)
                                               : TrellisUuid("code/" + std::string(identifier));
  std::string code = uuid.substr(0, 8);
  for (char& c : code) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return code;
}

}  // namespace trellis::formats
