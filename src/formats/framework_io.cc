// formats/framework_io.cc — format names, format detection and loading a framework file.
#include "formats/framework_io.h"

#include <nlohmann/json.hpp>

#include "formats/csv.h"

namespace trellis::formats {
namespace {

std::string LowerExtension(std::string_view file_name) {
  size_t slash = file_name.find_last_of("/\\");
  size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return "";
  std::string ext(file_name.substr(dot + 1));
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

}  // namespace

std::string_view FrameworkFormatName(FrameworkFormat format) {
  switch (format) {
    case FrameworkFormat::kCsv:
      return "csv";
    case FrameworkFormat::kJson:
      return "json";
    case FrameworkFormat::kCase:
      return "case";
  }
  return "";
}

Result<FrameworkFormat> ParseFrameworkFormat(std::string_view name) {
  for (FrameworkFormat f : {FrameworkFormat::kCsv, FrameworkFormat::kJson, FrameworkFormat::kCase})
    if (FrameworkFormatName(f) == name) return f;
  return Status::InvalidArgument("unknown framework format '" + std::string(name) +
                                 "' (allowed: csv, json, case)");
}

Result<FrameworkFormat> DetectFrameworkFormat(std::string_view file_name, std::string_view text) {
  if (LowerExtension(file_name) == "csv") return FrameworkFormat::kCsv;
  std::string_view body = text;
  if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && body[first] == '{') {
    nlohmann::json doc = nlohmann::json::parse(body.begin(), body.end(), nullptr,
                                               /*allow_exceptions=*/false);
    if (doc.is_object()) {
      if (doc.contains("CFDocument")) return FrameworkFormat::kCase;
      auto format = doc.find("format");
      if (format != doc.end() && *format == "trellis-framework") return FrameworkFormat::kJson;
      return Status::InvalidArgument(
          std::string(file_name) +
          ": not a framework: a JSON framework has \"format\": \"trellis-framework\" (native) or "
          "a \"CFDocument\" (CASE 1.1)");
    }
    // Not valid JSON: guess, so that the reader reports the syntax error with its position.
    if (body.find("\"CFDocument\"") != std::string_view::npos) return FrameworkFormat::kCase;
    return FrameworkFormat::kJson;
  }
  // A CSV without the .csv extension still starts with the framework header.
  if (body.substr(first == std::string_view::npos ? 0 : first).find("domain_code") !=
      std::string_view::npos)
    return FrameworkFormat::kCsv;
  return Status::InvalidArgument(std::string(file_name) +
                                 ": cannot tell the framework format (expected a .csv file, "
                                 "native JSON or a CASE 1.1 package)");
}

Result<model::Framework> LoadFrameworkFile(const std::string& path) {
  Result<std::string> text = ReadFileToString(path);
  if (!text.ok()) return text.status();
  Result<FrameworkFormat> format = DetectFrameworkFormat(path, *text);
  if (!format.ok()) return format.status();
  switch (*format) {
    case FrameworkFormat::kCsv:
      return ReadFrameworkCsv(*text, path);
    case FrameworkFormat::kJson:
      return ReadFrameworkJson(*text, path);
    case FrameworkFormat::kCase:
      return ReadFrameworkCase(*text, path);
  }
  return Status::Internal(path + ": unhandled framework format");
}

}  // namespace trellis::formats
