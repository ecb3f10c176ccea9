// storage/framework_checks.h — the checks and messages every Store backend shares when it saves
// or reads framework versions, so users read the same words whichever backend they run (the
// contract suite asserts them). Internal to storage/; pure functions, thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/framework.h"

namespace trellis::storage::internal {

// "'text'".
std::string Quoted(std::string_view s);

// "framework 'CODE' version N".
std::string FrameworkName(std::string_view code, int version);

// kNotFound "framework 'CODE' has no version N (versions 1..L are stored)".
Status NoSuchVersion(std::string_view code, int version, int latest);

// Checks the invariants the schema's keys rely on (code non-empty, version ≥ 1, unique domain,
// competency and item codes, role profiles naming known competencies), so a violation is
// reported by name rather than as a database constraint error. kInvalidArgument otherwise.
Status CheckStorable(const model::Framework& f);

}  // namespace trellis::storage::internal
