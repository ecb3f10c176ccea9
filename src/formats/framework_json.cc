// formats/framework_json.cc — the native "trellis-framework" JSON format (DESIGN.md), version 1.
// The model mirrors this layout one to one, so after the structural read the invariants are
// checked by ValidateFramework, whose JSON paths then point into this very file.
#include <charconv>

#include "formats/framework_io.h"
#include "formats/json_fields.h"

namespace trellis::formats {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr std::string_view kFormatName = "trellis-framework";
constexpr int kFormatVersion = 1;

// Parses a label key ("3", "-1") as a whole integer.
std::optional<int> ParseScore(std::string_view key) {
  int value = 0;
  auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), value);
  if (ec != std::errc() || end != key.data() + key.size() || key.empty()) return std::nullopt;
  return value;
}

Result<model::Scale> ReadScale(const JsonObject& obj) {
  model::Scale scale;
  Result<int> min = obj.Int("min");
  if (!min.ok()) return min.status();
  Result<int> max = obj.Int("max");
  if (!max.ok()) return max.status();
  scale.min = *min;
  scale.max = *max;
  Result<std::optional<JsonObject>> labels = obj.OptionalObject("labels");
  if (!labels.ok()) return labels.status();
  if (*labels) {
    for (const auto& [key, value] : (*labels)->value().items()) {
      std::optional<int> score = ParseScore(key);
      if (!score) return (*labels)->Error(key, "a label's key must be a whole score, like \"1\"");
      if (!value.is_string())
        return (*labels)->Error(key, "expected a string, found " + JsonTypeName(value));
      scale.labels[*score] = value.get<std::string>();
    }
  }
  return scale;
}

Result<model::Item> ReadItem(const json& value, std::string_view file, std::string path) {
  Result<JsonObject> obj = JsonObject::Make(value, file, std::move(path));
  if (!obj.ok()) return obj.status();
  model::Item item;
  Result<std::string> code = obj->String("code");
  if (!code.ok()) return code.status();
  Result<std::string> text = obj->String("text");
  if (!text.ok()) return text.status();
  item.code = std::move(*code);
  item.text = std::move(*text);
  return item;
}

Result<model::Competency> ReadCompetency(const json& value, std::string_view file,
                                         std::string path) {
  Result<JsonObject> obj = JsonObject::Make(value, file, std::move(path));
  if (!obj.ok()) return obj.status();
  model::Competency comp;
  Result<std::string> code = obj->String("code");
  if (!code.ok()) return code.status();
  Result<std::string> title = obj->String("title");
  if (!title.ok()) return title.status();
  Result<std::string> description = obj->OptionalString("description");
  if (!description.ok()) return description.status();
  comp.code = std::move(*code);
  comp.title = std::move(*title);
  comp.description = std::move(*description);
  Result<const json*> items = obj->Array("items", /*required=*/true);
  if (!items.ok()) return items.status();
  for (size_t i = 0; i < (*items)->size(); ++i) {
    Result<model::Item> item =
        ReadItem((**items)[i], file, obj->PathOf("items") + "[" + std::to_string(i) + "]");
    if (!item.ok()) return item.status();
    comp.items.push_back(std::move(*item));
  }
  return comp;
}

Result<model::Domain> ReadDomain(const json& value, std::string_view file, std::string path) {
  Result<JsonObject> obj = JsonObject::Make(value, file, std::move(path));
  if (!obj.ok()) return obj.status();
  model::Domain domain;
  Result<std::string> code = obj->String("code");
  if (!code.ok()) return code.status();
  Result<std::string> title = obj->String("title");
  if (!title.ok()) return title.status();
  Result<std::string> description = obj->OptionalString("description");
  if (!description.ok()) return description.status();
  domain.code = std::move(*code);
  domain.title = std::move(*title);
  domain.description = std::move(*description);
  Result<const json*> comps = obj->Array("competencies", /*required=*/true);
  if (!comps.ok()) return comps.status();
  for (size_t c = 0; c < (*comps)->size(); ++c) {
    Result<model::Competency> comp = ReadCompetency(
        (**comps)[c], file, obj->PathOf("competencies") + "[" + std::to_string(c) + "]");
    if (!comp.ok()) return comp.status();
    domain.competencies.push_back(std::move(*comp));
  }
  return domain;
}

Result<std::vector<model::CrosswalkLink>> ReadCrosswalk(const json& array, std::string_view file) {
  std::vector<model::CrosswalkLink> links;
  for (size_t k = 0; k < array.size(); ++k) {
    Result<JsonObject> obj =
        JsonObject::Make(array[k], file, "$.crosswalk[" + std::to_string(k) + "]");
    if (!obj.ok()) return obj.status();
    model::CrosswalkLink link;
    Result<std::string> origin = obj->String("origin");
    if (!origin.ok()) return origin.status();
    Result<std::string> type = obj->String("type");
    if (!type.ok()) return type.status();
    Result<std::string> destination = obj->String("destination");
    if (!destination.ok()) return destination.status();
    link.origin_code = std::move(*origin);
    link.association_type = std::move(*type);
    link.destination = std::move(*destination);
    links.push_back(std::move(link));
  }
  return links;
}

}  // namespace

Result<model::Framework> ReadFrameworkJson(std::string_view text, std::string_view file_name) {
  Result<json> doc = ParseJsonDocument(text, file_name);
  if (!doc.ok()) return doc.status();
  Result<JsonObject> root = JsonObject::Make(*doc, file_name, "$");
  if (!root.ok()) return root.status();

  Result<std::string> format = root->String("format");
  if (!format.ok()) return format.status();
  if (*format != kFormatName)
    return root->Error("format", "expected \"trellis-framework\", found \"" + *format + "\"");
  Result<int> version = root->Int("version");
  if (!version.ok()) return version.status();
  if (*version != kFormatVersion)
    return root->Error("version", "format version " + std::to_string(*version) +
                                      " is not supported (this Trellis reads version 1)");

  model::Framework f;
  Result<std::string> code = root->String("code");
  if (!code.ok()) return code.status();
  Result<std::string> title = root->String("title");
  if (!title.ok()) return title.status();
  Result<std::string> description = root->OptionalString("description");
  if (!description.ok()) return description.status();
  Result<std::optional<int>> framework_version = root->OptionalInt("framework_version");
  if (!framework_version.ok()) return framework_version.status();
  f.code = std::move(*code);
  f.title = std::move(*title);
  f.description = std::move(*description);
  f.version = framework_version->value_or(1);

  Result<std::optional<JsonObject>> scale = root->OptionalObject("scale");
  if (!scale.ok()) return scale.status();
  if (*scale) {  // absent: the default 1..5 scale without labels
    Result<model::Scale> s = ReadScale(**scale);
    if (!s.ok()) return s.status();
    f.scale = std::move(*s);
  }

  Result<const json*> domains = root->Array("domains", /*required=*/true);
  if (!domains.ok()) return domains.status();
  for (size_t d = 0; d < (*domains)->size(); ++d) {
    Result<model::Domain> domain =
        ReadDomain((**domains)[d], file_name, "$.domains[" + std::to_string(d) + "]");
    if (!domain.ok()) return domain.status();
    f.domains.push_back(std::move(*domain));
  }

  Result<const json*> profiles = root->Array("role_profiles", /*required=*/false);
  if (!profiles.ok()) return profiles.status();
  Result<std::vector<model::RoleProfile>> p =
      ReadRoleProfiles(**profiles, file_name, "$.role_profiles");
  if (!p.ok()) return p.status();
  f.role_profiles = std::move(*p);

  Result<const json*> crosswalk = root->Array("crosswalk", /*required=*/false);
  if (!crosswalk.ok()) return crosswalk.status();
  Result<std::vector<model::CrosswalkLink>> links = ReadCrosswalk(**crosswalk, file_name);
  if (!links.ok()) return links.status();
  f.crosswalk = std::move(*links);

  TRELLIS_RETURN_IF_ERROR(ValidateFramework(f, file_name));
  return f;
}

std::string WriteFrameworkJson(const model::Framework& f) {
  ordered_json labels = ordered_json::object();
  for (const auto& [score, label] : f.scale.labels) labels[std::to_string(score)] = label;
  ordered_json domains = ordered_json::array();
  for (const model::Domain& d : f.domains) {
    ordered_json comps = ordered_json::array();
    for (const model::Competency& c : d.competencies) {
      ordered_json items = ordered_json::array();
      for (const model::Item& i : c.items) items.push_back({{"code", i.code}, {"text", i.text}});
      comps.push_back({{"code", c.code},
                       {"title", c.title},
                       {"description", c.description},
                       {"items", std::move(items)}});
    }
    domains.push_back({{"code", d.code},
                       {"title", d.title},
                       {"description", d.description},
                       {"competencies", std::move(comps)}});
  }
  ordered_json out = ordered_json::object();
  out["format"] = kFormatName;
  out["version"] = kFormatVersion;
  out["code"] = f.code;
  out["title"] = f.title;
  out["description"] = f.description;
  out["framework_version"] = f.version;
  out["scale"] = {{"min", f.scale.min}, {"max", f.scale.max}, {"labels", std::move(labels)}};
  out["domains"] = std::move(domains);
  out["role_profiles"] = WriteRoleProfiles(f.role_profiles);
  ordered_json crosswalk = ordered_json::array();
  for (const model::CrosswalkLink& l : f.crosswalk)
    crosswalk.push_back(
        {{"origin", l.origin_code}, {"type", l.association_type}, {"destination", l.destination}});
  out["crosswalk"] = std::move(crosswalk);
  return DumpJson(out);
}

}  // namespace trellis::formats
