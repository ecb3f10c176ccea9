// formats/json_fields.cc — nlohmann/json behind path-aware accessors. nlohmann reports parse
// errors as exceptions; they are caught here and never leave formats/.
#include "formats/json_fields.h"

#include <cmath>
#include <limits>

#include "formats/framework_validate.h"

namespace trellis::formats {
namespace {

using nlohmann::json;

std::string Prefix(std::string_view file, const std::string& path) {
  return std::string(file) + ": " + path;
}

// nlohmann's message is "[json.exception.parse_error.101] parse error at line 1, column 2:
// syntax error while parsing …"; keep what comes after the location, since we compute our own
// (nlohmann counts columns in bytes, users count characters).
std::string ParseErrorReason(const std::string& what) {
  size_t start = what.find("parse error");
  if (start == std::string::npos) return what;
  size_t colon = what.find(": ", start);
  if (colon == std::string::npos) return what;
  return what.substr(colon + 2);
}

std::string AllowedList(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

std::string JsonTypeName(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::object:
      return "an object";
    case json::value_t::array:
      return "an array";
    case json::value_t::string:
      return "a string";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_float:
      return "the number " + v.dump();
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "the number " + v.dump();
    default:
      return "an unsupported value";
  }
}

std::optional<int> JsonToInt(const json& v) {
  if (v.is_number_integer() && !v.is_number_unsigned()) {
    auto i = v.get<json::number_integer_t>();
    if (i < std::numeric_limits<int>::min() || i > std::numeric_limits<int>::max())
      return std::nullopt;
    return static_cast<int>(i);
  }
  if (v.is_number_unsigned()) {
    auto u = v.get<json::number_unsigned_t>();
    if (u > static_cast<json::number_unsigned_t>(std::numeric_limits<int>::max()))
      return std::nullopt;
    return static_cast<int>(u);
  }
  if (v.is_number_float()) {
    // Other tools write CASE scores as floats ("score": 3.0); accept integral ones.
    double d = v.get<double>();
    if (std::isfinite(d) && d == std::floor(d) && d >= std::numeric_limits<int>::min() &&
        d <= std::numeric_limits<int>::max())
      return static_cast<int>(d);
  }
  return std::nullopt;
}

Result<json> ParseJsonDocument(std::string_view text, std::string_view file_name) {
  try {
    return json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based count of bytes read when the error was found, so the character
    // where the parser stopped is at index byte - 1 (for a bad token: its last character).
    size_t at = e.byte == 0 ? 0 : std::min(e.byte - 1, text.size());
    size_t line = 1, column = 1;
    for (size_t i = 0; i < at; ++i) {
      unsigned char c = static_cast<unsigned char>(text[i]);
      if (c == '\n') {
        ++line;
        column = 1;
      } else if ((c & 0xC0) != 0x80) {  // count characters, not UTF-8 continuation bytes
        ++column;
      }
    }
    return Status::InvalidArgument(std::string(file_name) + ":" + std::to_string(line) + ":" +
                                   std::to_string(column) +
                                   ": JSON syntax error: " + ParseErrorReason(e.what()));
  } catch (const json::exception& e) {
    return Status::InvalidArgument(std::string(file_name) + ": JSON error: " + e.what());
  }
}

Result<JsonObject> JsonObject::Make(const json& value, std::string_view file, std::string path) {
  if (!value.is_object())
    return Status::InvalidArgument(Prefix(file, path) + ": expected an object, found " +
                                   JsonTypeName(value));
  return JsonObject(&value, file, std::move(path));
}

const json* JsonObject::Find(std::string_view key) const {
  auto it = value_->find(key);
  if (it == value_->end() || it->is_null()) return nullptr;
  return &*it;
}

Status JsonObject::Error(std::string_view key, std::string_view message) const {
  return Status::InvalidArgument(Prefix(file_, path_) + ": field '" + std::string(key) +
                                 "': " + std::string(message));
}

std::string JsonObject::PathOf(std::string_view key) const { return AppendJsonKey(path_, key); }

Result<std::string> JsonObject::String(std::string_view key) const {
  const json* v = Find(key);
  if (v == nullptr) return Error(key, "missing (a string is required)");
  if (!v->is_string()) return Error(key, "expected a string, found " + JsonTypeName(*v));
  return v->get<std::string>();
}

Result<std::string> JsonObject::OptionalString(std::string_view key, std::string fallback) const {
  if (Find(key) == nullptr) return fallback;
  return String(key);
}

Result<int> JsonObject::Int(std::string_view key) const {
  const json* v = Find(key);
  if (v == nullptr) return Error(key, "missing (an integer is required)");
  std::optional<int> i = JsonToInt(*v);
  if (!i) return Error(key, "expected an integer, found " + JsonTypeName(*v));
  return *i;
}

Result<std::optional<int>> JsonObject::OptionalInt(std::string_view key) const {
  if (Find(key) == nullptr) return std::optional<int>();
  Result<int> i = Int(key);
  if (!i.ok()) return i.status();
  return std::optional<int>(*i);
}

Result<const json*> JsonObject::Array(std::string_view key, bool required) const {
  static const json kEmpty = json::array();
  const json* v = Find(key);
  if (v == nullptr) {
    if (required) return Error(key, "missing (an array is required)");
    return &kEmpty;
  }
  if (!v->is_array()) return Error(key, "expected an array, found " + JsonTypeName(*v));
  return v;
}

Result<JsonObject> JsonObject::Object(std::string_view key) const {
  const json* v = Find(key);
  if (v == nullptr) return Error(key, "missing (an object is required)");
  if (!v->is_object()) return Error(key, "expected an object, found " + JsonTypeName(*v));
  return JsonObject(v, file_, PathOf(key));
}

Result<std::optional<JsonObject>> JsonObject::OptionalObject(std::string_view key) const {
  if (Find(key) == nullptr) return std::optional<JsonObject>();
  Result<JsonObject> o = Object(key);
  if (!o.ok()) return o.status();
  return std::optional<JsonObject>(*o);
}

Result<std::vector<model::RoleProfile>> ReadRoleProfiles(const json& array, std::string_view file,
                                                         const std::string& path) {
  static const std::vector<std::string_view> kLevelNames = {"strategic", "operational"};
  static const std::vector<std::string_view> kFunctionNames = {
      "generalist", "clinical", "hr", "finance", "it", "data", "other"};
  std::vector<model::RoleProfile> profiles;
  for (size_t p = 0; p < array.size(); ++p) {
    Result<JsonObject> obj = JsonObject::Make(array[p], file, path + "[" + std::to_string(p) + "]");
    if (!obj.ok()) return obj.status();
    model::RoleProfile profile;
    Result<std::string> level = obj->String("level");
    if (!level.ok()) return level.status();
    std::optional<model::Level> l = model::ParseLevel(*level);
    if (!l)
      return obj->Error(
          "level", "unknown level '" + *level + "' (allowed: " + AllowedList(kLevelNames) + ")");
    profile.level = *l;
    Result<std::string> function = obj->String("function");
    if (!function.ok()) return function.status();
    std::optional<model::Function> fn = model::ParseFunction(*function);
    if (!fn)
      return obj->Error("function", "unknown function '" + *function +
                                        "' (allowed: " + AllowedList(kFunctionNames) + ")");
    profile.function = *fn;
    Result<std::optional<JsonObject>> expectations = obj->OptionalObject("expectations");
    if (!expectations.ok()) return expectations.status();
    if (*expectations) {
      const JsonObject& ex = **expectations;
      for (const auto& [code, value] : ex.value().items()) {
        Result<JsonObject> e = JsonObject::Make(value, file, ex.PathOf(code));
        if (!e.ok()) return e.status();
        model::Expectation expectation;
        Result<int> lv = e->Int("level");
        if (!lv.ok()) return lv.status();
        Result<int> importance = e->Int("importance");
        if (!importance.ok()) return importance.status();
        expectation.level = *lv;
        expectation.importance = *importance;
        profile.expectations[code] = expectation;
      }
    }
    profiles.push_back(std::move(profile));
  }
  return profiles;
}

nlohmann::ordered_json WriteRoleProfiles(const std::vector<model::RoleProfile>& profiles) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const model::RoleProfile& p : profiles) {
    nlohmann::ordered_json expectations = nlohmann::ordered_json::object();
    for (const auto& [code, e] : p.expectations)
      expectations[code] = {{"level", e.level}, {"importance", e.importance}};
    out.push_back({{"level", std::string(model::LevelName(p.level))},
                   {"function", std::string(model::FunctionName(p.function))},
                   {"expectations", std::move(expectations)}});
  }
  return out;
}

std::string DumpJson(const nlohmann::ordered_json& value) {
  return value.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace trellis::formats
