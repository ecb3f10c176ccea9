// web/report_charts.cc — see report_charts.h. Geometry: a 360×300 view box (room for labels),
// centre (180, 150), radius 100 for the top of the scale; the scale's minimum sits at radius 0.
#include "web/report_charts.h"

#include <cmath>
#include <cstdio>
#include <numbers>

namespace trellis::web {
namespace {

constexpr double kCx = 180, kCy = 150, kRadius = 100;

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string Num(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", x);
  return buf;
}

std::string Score(double x) {
  if (std::isnan(x)) return "not shown";
  char buf[32];
  // Half away from zero, as the report's tables (report_pages.cc).
  std::snprintf(buf, sizeof buf, "%.2f", std::round(x * 100) / 100);
  return buf;
}

struct Point {
  double x, y;
};

Point At(const RadarChart& c, size_t i, double value) {
  const double angle = -std::numbers::pi / 2 + 2 * std::numbers::pi * i / c.axes.size();
  const double span = c.scale_max - c.scale_min;
  const double r = span > 0 ? kRadius * (value - c.scale_min) / span : 0;
  return {kCx + r * std::cos(angle), kCy + r * std::sin(angle)};
}

// The shape through the known points of one series.
std::string Series(const RadarChart& c, bool self, const char* css_class) {
  std::string points;
  int known = 0;
  for (size_t i = 0; i < c.axes.size(); ++i) {
    const double v = self ? c.axes[i].self : c.axes[i].others;
    if (std::isnan(v)) continue;
    const Point p = At(c, i, v);
    points += Num(p.x) + "," + Num(p.y) + " ";
    ++known;
  }
  if (known == 0) return "";
  std::string out = "<polygon class=\"" + std::string(css_class) + "\" points=\"" + points + "\"/>";
  for (size_t i = 0; i < c.axes.size(); ++i) {
    const double v = self ? c.axes[i].self : c.axes[i].others;
    if (std::isnan(v)) continue;
    const Point p = At(c, i, v);
    out += "<circle class=\"" + std::string(css_class) + "-point\" cx=\"" + Num(p.x) + "\" cy=\"" +
           Num(p.y) + "\" r=\"3\"/>";
  }
  return out;
}

}  // namespace

std::string RadarSvg(const RadarChart& c) {
  std::string desc;
  for (const RadarAxis& a : c.axes)
    desc += a.label + ": self " + Score(a.self) + ", others " + Score(a.others) + ". ";
  std::string svg = "<svg class=\"radar\" viewBox=\"0 0 360 300\" role=\"img\" aria-labelledby=\"" +
                    c.id + "-title " + c.id + "-desc\" xmlns=\"http://www.w3.org/2000/svg\">";
  svg += "<title id=\"" + c.id + "-title\">" + Escape(c.title) + "</title>";
  svg += "<desc id=\"" + c.id + "-desc\">" + Escape(desc) + "</desc>";
  // Rings at each scale point.
  for (int level = c.scale_min + 1; level <= c.scale_max; ++level) {
    std::string points;
    for (size_t i = 0; i < c.axes.size(); ++i) {
      const Point p = At(c, i, level);
      points += Num(p.x) + "," + Num(p.y) + " ";
    }
    svg += "<polygon class=\"radar-ring\" points=\"" + points + "\"/>";
  }
  for (size_t i = 0; i < c.axes.size(); ++i) {
    const Point end = At(c, i, c.scale_max);
    svg += "<line class=\"radar-axis\" x1=\"" + Num(kCx) + "\" y1=\"" + Num(kCy) + "\" x2=\"" +
           Num(end.x) + "\" y2=\"" + Num(end.y) + "\"/>";
    const Point label = At(c, i, c.scale_max + (c.scale_max - c.scale_min) * 0.18);
    const char* anchor = label.x < kCx - 5 ? "end" : label.x > kCx + 5 ? "start" : "middle";
    svg += "<text class=\"radar-label\" x=\"" + Num(label.x) + "\" y=\"" + Num(label.y + 4) +
           "\" text-anchor=\"" + anchor + "\">" + Escape(c.axes[i].label) + "</text>";
  }
  svg += Series(c, false, "radar-others");
  svg += Series(c, true, "radar-self");
  svg += "</svg>";
  return svg;
}

}  // namespace trellis::web
