// web/report_json.h — one individual report as a JSON object, the body of
// GET /api/v1/campaigns/{campaign}/reports/{subject} and the "report" of each campaign in a
// subject-access export (subject_access_json.h), so both carry exactly the same figures. Read
// off a service::SubjectReport, whose figures and comments already obey the anonymity rule: the
// DESIGN.md report line (formats::AppendReportLine) plus campaign, min_group, why each withheld
// others.mean is withheld, the shown comments in the page's order, the competence-vs-context
// reading and the change since the previous campaign. Pure function; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include "service/report_service.h"

namespace trellis::web {

nlohmann::ordered_json ReportJson(const service::SubjectReport& report);

}  // namespace trellis::web
