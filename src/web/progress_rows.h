// web/progress_rows.h — response progress as page rows, the same on the admin's campaign pages
// (web/campaign_pages) and on a subject's own campaign page (web/subject_pages): a rater group
// as people read it ("direct report"), a rate as a whole percentage, and a counts row
// (nominated, invited, submitted, rate) for the progress tables.
#pragma once

#include <cstdio>
#include <string>
#include <utility>

#include "model/ratings.h"
#include "service/campaign_service.h"
#include "web/pages.h"

namespace trellis::web {

inline std::string GroupLabel(model::RaterGroup group) {
  std::string name(model::RaterGroupName(group));
  for (char& c : name) c = c == '_' ? ' ' : c;
  return name;
}

inline std::string Percent(double rate) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f%%", rate * 100.0);
  return buf;
}

inline PageData CountsRow(std::string label, const service::Counts& c) {
  PageData row;
  row.set("label", std::move(label));
  row.set("nominated", std::to_string(c.nominated));
  row.set("invited", std::to_string(c.invited));
  row.set("submitted", std::to_string(c.submitted));
  row.set("rate", Percent(c.Rate()));
  return row;
}

}  // namespace trellis::web
