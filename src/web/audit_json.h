// web/audit_json.h — one audit-log entry as JSON, the same fields wherever the log is given
// out: the API's `GET /api/v1/audit` and the subject-access export. `Json` is nlohmann::json or
// nlohmann::ordered_json, whichever the caller's document is.
#pragma once

#include "storage/directory_store.h"

namespace trellis::web {

template <typename Json>
Json AuditEntryJson(const storage::AuditEntry& e) {
  return Json{{"seq", e.seq},
              {"at", e.at},
              {"actor", e.actor},
              {"action", e.action},
              {"entity_type", e.entity_type},
              {"entity_id", e.entity_id},
              {"detail", e.detail}};
}

}  // namespace trellis::web
