// web/labels.h — wire names (DESIGN.md: "primary_care", "hr", "strategic") as people read them
// on pages: "Primary care", "HR", "Strategic". Used by the partnership view and the role-profile
// editor, so a function reads the same everywhere.
#pragma once

#include <string>
#include <string_view>

namespace trellis::web {

inline std::string HumanLabel(std::string_view wire) {
  if (wire == "hr") return "HR";
  if (wire == "it") return "IT";
  std::string out(wire);
  for (char& c : out) {
    if (c == '_') c = ' ';
  }
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

}  // namespace trellis::web
