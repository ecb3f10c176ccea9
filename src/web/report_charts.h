// web/report_charts.h — the radar charts of the individual report, drawn on the server as SVG
// (no script, no chart library): one axis per domain or competency, the subject's self score and
// the others' mean as two closed shapes. Accessible: role="img" with a <title> and <desc>; the
// page shows the same numbers in a table next to each chart. A null figure (withheld or not
// answered) leaves a gap: its axis gets no point and the shape is drawn through the known points
// only, with a note in <desc>. Pure function; thread-safe.
#pragma once

#include <string>
#include <vector>

namespace trellis::web {

struct RadarAxis {
  std::string label;  // shown at the end of the axis
  double self = 0;    // NaN when null
  double others = 0;  // NaN when null
};

struct RadarChart {
  std::string id;     // unique in the page (for aria-labelledby)
  std::string title;  // "Self and others by domain"
  int scale_min = 1;
  int scale_max = 5;
  std::vector<RadarAxis> axes;  // ≥ 1
};

// The <svg> element (escaped text; no inline style). Fewer than 3 axes are drawn as a
// compact chart still (2 axes: a line; 1 axis: points).
std::string RadarSvg(const RadarChart& chart);

}  // namespace trellis::web
