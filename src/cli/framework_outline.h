// cli/framework_outline.h — a stored framework as readable text for `trellis framework show`
// and `trellis demo`: a heading, the rating scale with its labels, the indented outline
// domains → competencies → items with their codes, and the role profiles as a compact table
// (one row per competency, one column per level × function). Pure; thread-safe.
#pragma once

#include <string>

#include "storage/store.h"

namespace trellis::cli {

std::string FrameworkOutline(const storage::StoredFramework& stored);

// "8 domains, 25 competencies, 75 items" ("1 domain, 1 competency, 1 item").
std::string DescribeSize(const model::Framework& framework);

}  // namespace trellis::cli
