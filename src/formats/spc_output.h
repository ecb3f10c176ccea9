// formats/spc_output.h — writes computed SPC charts (analytics/spc.h) as the JSON and CSV
// output of `trellis spc`. Pure functions over values; thread-safe. Uses only the plain types
// and inline names of analytics/spc.h, so formats does not link analytics.
//
// JSON (keys in this order; undefined numbers and unknown flags are null):
//   {"indicators":[{"indicator", "points":[{"date","value","rebase_group",
//     "short_group_warning","mean","lpl","upl","outside_limits","relative_to_mean",
//     "close_to_limits","special_cause_type","special_cause_flag","point_type","target"}],
//     "groups":[{"start_date","n","mean","lpl","upl","amr"}],
//     "variation_icon","assurance_icon"}],
//    "options":["run_length=6", …], "warnings":["…", …]}
// CSV: a header, then one row per point: `indicator` followed by the point fields above;
// null is an empty field; booleans are true/false.
#pragma once

#include <string>
#include <vector>

#include "analytics/spc.h"

namespace trellis::formats {

struct SpcReport {
  std::vector<analytics::SpcChart> charts;
  int run_length = 7;  // labels say "6 Point Trend …" when 6
  // analytics::SpcNonDefaultOptions: every option that differs from the reference defaults.
  std::vector<std::string> options;
  // analytics::SpcDeviationWarnings, then every chart's data warnings.
  std::vector<std::string> warnings;
};

// The JSON document above, compact, ending in a newline.
std::string WriteSpcJson(const SpcReport& report);

// The CSV above (LF line ends; fields quoted only when they need it). Options and warnings
// are not part of the CSV (the CLI prints warnings to stderr).
std::string WriteSpcCsv(const SpcReport& report);

}  // namespace trellis::formats
