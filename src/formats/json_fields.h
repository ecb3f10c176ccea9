// formats/json_fields.h — internal to formats/: typed, path-aware access to JSON fields for the
// native and CASE framework readers, so every error reads
// "FILE: $.domains[1]: field 'code': expected a string, found a number". Also the JSON
// encoding of role profiles, which both formats carry. Includes nlohmann/json, which STYLE.md
// keeps inside formats/ (linked PRIVATE): never include this from a public header.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/framework.h"

namespace trellis::formats {

// Parses a whole JSON document. kInvalidArgument "FILE:LINE:COLUMN: JSON syntax error: …" where
// LINE and COLUMN (1-based, column in characters) locate the offending character.
Result<nlohmann::json> ParseJsonDocument(std::string_view text, std::string_view file_name);

// A JSON object being read, with its path for messages. Reading is lenient about fields it does
// not ask for (unknown fields are ignored) and treats a null value as an absent one.
class JsonObject {
 public:
  // kInvalidArgument "FILE: PATH: expected an object, found …" unless `value` is an object.
  static Result<JsonObject> Make(const nlohmann::json& value, std::string_view file,
                                 std::string path);

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  std::string_view file() const { return file_; }
  // The member, or nullptr when absent or null.
  const nlohmann::json* Find(std::string_view key) const;
  // "FILE: PATH: field 'KEY': MESSAGE", as kInvalidArgument.
  Status Error(std::string_view key, std::string_view message) const;
  // Path of a member: "$.a" + "b" → "$.a.b".
  std::string PathOf(std::string_view key) const;

  // A string member. Required: absent → "field 'k': missing (a string is required)".
  Result<std::string> String(std::string_view key) const;
  // Absent → `fallback`.
  Result<std::string> OptionalString(std::string_view key, std::string fallback = "") const;
  // An integer member; a float with an integral value (3.0) is accepted, anything else is not.
  Result<int> Int(std::string_view key) const;
  Result<std::optional<int>> OptionalInt(std::string_view key) const;
  // An array member (absent → empty when optional).
  Result<const nlohmann::json*> Array(std::string_view key, bool required) const;
  // An object member.
  Result<JsonObject> Object(std::string_view key) const;
  Result<std::optional<JsonObject>> OptionalObject(std::string_view key) const;

 private:
  JsonObject(const nlohmann::json* value, std::string_view file, std::string path)
      : value_(value), file_(file), path_(std::move(path)) {}
  const nlohmann::json* value_;
  std::string_view file_;
  std::string path_;
};

// "a string", "a number", "an array" … for "found …" in messages.
std::string JsonTypeName(const nlohmann::json& value);
// The integer value of `v` if it is an integer that fits an int (or an integral float).
std::optional<int> JsonToInt(const nlohmann::json& v);

// Role profiles as in DESIGN.md: [{"level","function","expectations":{CODE:{level,importance}}}].
// `path` names the array ("$.role_profiles"). Unknown level/function → error naming the value
// and the allowed values. Range checks are left to ValidateFramework.
Result<std::vector<model::RoleProfile>> ReadRoleProfiles(const nlohmann::json& array,
                                                         std::string_view file,
                                                         const std::string& path);
nlohmann::ordered_json WriteRoleProfiles(const std::vector<model::RoleProfile>& profiles);

// Serialises with two-space indents and UTF-8 text (not \u escapes), ending in a newline.
// Never throws: invalid UTF-8 (impossible from the readers) is replaced with U+FFFD.
std::string DumpJson(const nlohmann::ordered_json& value);

}  // namespace trellis::formats
