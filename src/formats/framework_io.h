// formats/framework_io.h — reading and writing frameworks in the three file formats of
// DESIGN.md: framework CSV, native JSON ("trellis-framework" v1) and CASE 1.1 CFPackage JSON.
// Used by the CLI (`trellis framework …`), the service layer (import) and tests.
// Pure functions over strings; thread-safe. Readers return a framework that has passed
// ValidateFramework; every error message names file, line (CSV) or JSON path, and field.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/framework.h"

namespace trellis::formats {

enum class FrameworkFormat { kCsv, kJson, kCase };

// "csv", "json", "case".
std::string_view FrameworkFormatName(FrameworkFormat format);
// kInvalidArgument for any other name.
Result<FrameworkFormat> ParseFrameworkFormat(std::string_view name);

// Native JSON. kInvalidArgument "FILE: $.domains[2].competencies[0].items[1]: field 'text': …".
Result<model::Framework> ReadFrameworkJson(std::string_view text, std::string_view file_name);
std::string WriteFrameworkJson(const model::Framework& framework);

// Framework CSV (`domain_code,domain,competency_code,competency,item_code,item[,description]`).
// CSV carries no framework code, title or scale: the code and title come from the file name's
// stem ("my-framework.csv" → code "my-framework"), the scale is the default 1..5.
// `description` describes the row's competency (given on any of its rows; rows must agree).
// kInvalidArgument "FILE:LINE: field 'item_code': …". The writer drops what CSV cannot hold
// (scale, domain descriptions, role profiles, crosswalk). See docs/formats.md.
Result<model::Framework> ReadFrameworkCsv(std::string_view text, std::string_view file_name);
std::string WriteFrameworkCsv(const model::Framework& framework);

// CASE 1.1 CFPackage. Writer: deterministic UUIDs (framework code, version, node code),
// RFC 3339 timestamps from `last_change_date_time` (e.g. "2026-01-01T00:00:00Z"), role profiles
// and the framework code in CFDocument "extensions":{"trellis":…}. Reader: also packages from
// other tools (hierarchy inferred from isChildOf depth when CFItemType is missing; other
// association types kept as crosswalk links); kInvalidArgument "FILE: $.CFItems[3]: field …".
Result<model::Framework> ReadFrameworkCase(std::string_view text, std::string_view file_name);
std::string WriteFrameworkCase(const model::Framework& framework,
                               std::string_view last_change_date_time);

// Checks the invariants listed in model/framework.h. `file_name` prefixes messages.
Status ValidateFramework(const model::Framework& framework, std::string_view file_name);

// Guesses the format from the extension (.csv) and content (a JSON object with
// "CFDocument" is CASE; "format":"trellis-framework" is native).
Result<FrameworkFormat> DetectFrameworkFormat(std::string_view file_name, std::string_view text);

// Reads `path`, detects its format and parses it. kNotFound if unreadable.
Result<model::Framework> LoadFrameworkFile(const std::string& path);

}  // namespace trellis::formats
