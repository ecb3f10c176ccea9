// service/framework_service.cc — validate → store for framework imports; store → writer for
// exports.
#include "service/framework_service.h"

#include <utility>

namespace trellis::service {
namespace {

// Attempts to save the next version when concurrent importers keep taking the number. Each
// retry re-reads the latest version, so an identical concurrent import is seen as unchanged.
constexpr int kMaxSaveAttempts = 5;

}  // namespace

FrameworkSize SizeOf(const model::Framework& framework) {
  FrameworkSize size;
  size.domains = framework.domains.size();
  for (const model::Domain& d : framework.domains) size.competencies += d.competencies.size();
  size.items = framework.ItemCount();
  return size;
}

Result<model::Framework> FrameworkService::Validate(const std::string& path) {
  // The readers validate (formats/framework_io.h); nothing more is needed to store it.
  return formats::LoadFrameworkFile(path);
}

Result<ImportOutcome> FrameworkService::Import(const std::string& path) {
  Result<model::Framework> framework = formats::LoadFrameworkFile(path);
  if (!framework.ok()) return framework.status();
  return ImportFramework(std::move(*framework), path);
}

Result<ImportOutcome> FrameworkService::ImportText(std::string_view text,
                                                   std::string_view file_name) {
  Result<formats::FrameworkFormat> format = formats::DetectFrameworkFormat(file_name, text);
  if (!format.ok()) return format.status();
  Result<model::Framework> framework = Status::Internal("unhandled framework format");
  switch (*format) {
    case formats::FrameworkFormat::kCsv:
      framework = formats::ReadFrameworkCsv(text, file_name);
      break;
    case formats::FrameworkFormat::kJson:
      framework = formats::ReadFrameworkJson(text, file_name);
      break;
    case formats::FrameworkFormat::kCase:
      framework = formats::ReadFrameworkCase(text, file_name);
      break;
  }
  if (!framework.ok()) return framework.status();
  return ImportFramework(std::move(*framework), file_name);
}

Result<ImportOutcome> FrameworkService::ImportFramework(model::Framework framework,
                                                        std::string_view source_name) {
  TRELLIS_RETURN_IF_ERROR(formats::ValidateFramework(framework, source_name));
  for (int attempt = 0; attempt < kMaxSaveAttempts; ++attempt) {
    Result<storage::StoredFramework> latest = store_.GetFramework(framework.code, std::nullopt);
    if (!latest.ok() && latest.status().code() != StatusCode::kNotFound) return latest.status();
    if (latest.ok() && model::SameContent(latest->framework, framework)) {
      return ImportOutcome{std::move(*latest), /*unchanged=*/true};
    }
    framework.version = latest.ok() ? latest->framework.version + 1 : 1;
    Result<storage::FrameworkVersionInfo> saved = store_.SaveFrameworkVersion(framework);
    if (saved.ok()) {
      storage::StoredFramework stored{std::move(framework), saved->created_at, saved->in_use};
      return ImportOutcome{std::move(stored), /*unchanged=*/false};
    }
    // Another importer stored this number first: look again.
    if (saved.status().code() != StatusCode::kAlreadyExists) return saved.status();
  }
  return Status::Unavailable("framework '" + framework.code +
                             "' is being imported by others at the same time; retry");
}

Result<std::string> FrameworkService::Export(std::string_view code, std::optional<int> version,
                                             formats::FrameworkFormat format) {
  Result<storage::StoredFramework> stored = store_.GetFramework(code, version);
  if (!stored.ok()) return stored.status();
  switch (format) {
    case formats::FrameworkFormat::kCsv:
      return formats::WriteFrameworkCsv(stored->framework);
    case formats::FrameworkFormat::kJson:
      return formats::WriteFrameworkJson(stored->framework);
    case formats::FrameworkFormat::kCase:
      return formats::WriteFrameworkCase(stored->framework, stored->created_at);
  }
  return Status::Internal("unhandled framework format");
}

Result<storage::StoredFramework> FrameworkService::Show(std::string_view code,
                                                        std::optional<int> version) {
  return store_.GetFramework(code, version);
}

Result<std::vector<storage::FrameworkSummary>> FrameworkService::List() {
  return store_.ListFrameworks();
}

Result<std::vector<storage::FrameworkVersionInfo>> FrameworkService::Versions(
    std::string_view code) {
  return store_.ListFrameworkVersions(code);
}

}  // namespace trellis::service
