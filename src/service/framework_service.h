// service/framework_service.h — the framework use-cases behind `trellis framework …` (and,
// later, the admin pages and /api/v1/frameworks): validate a file; import it as the next
// version, or recognise that it matches the latest stored version; export a stored version in
// any file format; show; list. A framework is validated before it is stored, and stored only
// through storage::Store, whose versions are immutable.
// Thread-safe when the Store is: the service holds no mutable state.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "formats/framework_io.h"
#include "model/framework.h"
#include "storage/store.h"

namespace trellis::service {

struct ImportOutcome {
  // The version that is now the latest: the new one, or the stored one the input matched.
  storage::StoredFramework stored;
  // True when the input had the same content as the latest stored version (nothing written).
  bool unchanged = false;
};

// How big a framework is, for messages ("8 domains, 26 competencies, 75 items").
struct FrameworkSize {
  size_t domains = 0;
  size_t competencies = 0;
  size_t items = 0;
};
FrameworkSize SizeOf(const model::Framework& framework);

class FrameworkService {
 public:
  // `store` must outlive the service.
  explicit FrameworkService(storage::Store& store) : store_(store) {}

  // Reads, validates and checks the framework file at `path` (CSV, native JSON or CASE, by
  // extension and content) without storing it. kNotFound if unreadable; kInvalidArgument
  // "FILE:LINE: field 'x': …" (or a JSON path) when malformed or invalid.
  static Result<model::Framework> Validate(const std::string& path);

  // Imports the framework file at `path`: validated, then stored as version 1 of a new code,
  // recognised as unchanged when it has the same content as the latest stored version
  // (model::SameContent: the version number in the file is ignored), or stored as latest + 1.
  // Errors as Validate, plus the Store's (kUnavailable when the database is busy or failing).
  Result<ImportOutcome> Import(const std::string& path);

  // As Import, for file contents already in memory; `file_name` chooses the format (with the
  // content) and names the source in messages.
  Result<ImportOutcome> ImportText(std::string_view text, std::string_view file_name);

  // As Import, for a framework already parsed; it is validated first (`source_name` prefixes
  // validation messages).
  Result<ImportOutcome> ImportFramework(model::Framework framework, std::string_view source_name);

  // The stored `code` at `version` (latest when nullopt), written in `format`. CASE packages
  // are stamped with the version's stored time, so exporting a version twice gives the same
  // bytes. kNotFound if there is no such code or version.
  Result<std::string> Export(std::string_view code, std::optional<int> version,
                             formats::FrameworkFormat format);

  // The stored `code` at `version` (latest when nullopt). kNotFound as Export.
  Result<storage::StoredFramework> Show(std::string_view code, std::optional<int> version);

  // Every stored framework, by code.
  Result<std::vector<storage::FrameworkSummary>> List();

  // Every version of `code`, oldest first. kNotFound if there is no such code.
  Result<std::vector<storage::FrameworkVersionInfo>> Versions(std::string_view code);

 private:
  storage::Store& store_;
};

}  // namespace trellis::service
