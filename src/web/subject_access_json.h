// web/subject_access_json.h — a subject-access export (service/subject_access.h) as the JSON
// document a person downloads (docs/accounts.md "Subject-access requests"):
// {"format":"trellis-subject-access","version":1,"generated_at","requested_by","person",
//  "accounts","campaigns":[{…,"raters":{COUNTS},"report":REPORT|null}],"as_rater",
//  "development_plans","plans_shared_with_you","comments_written",
//  "report_shares":{"granted","received"},"audit_log","not_included"}. An audit entry about
//  someone else's record is {seq, at, actor, action} only (service/subject_access.h).
// Each report is web/report_json.h's object, so it matches the report API to the byte. An
// erased person's export holds only the tombstone. Pure function; thread-safe.
#pragma once

#include <string>

#include "service/subject_access.h"

namespace trellis::web {

// The document, pretty-printed (two-space indent) for a person to read.
std::string SubjectAccessJson(const service::SubjectAccessExport& data);

}  // namespace trellis::web
