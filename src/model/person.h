// model/person.h — the attributes of a manager or leader that select a role profile.
// Level follows Mintzberg: strategic managers set direction and frameworks across the system;
// operational managers turn them into delivery. Plain values, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace trellis::model {

enum class Level { kStrategic, kOperational };
enum class Function { kGeneralist, kClinical, kHr, kFinance, kIt, kData, kOther };

// Wire names as in DESIGN.md: "strategic", "operational"; "generalist", "clinical", "hr",
// "finance", "it", "data", "other".
std::string_view LevelName(Level level);
std::string_view FunctionName(Function function);
// nullopt when the text is not one of the wire names (exact, lower case).
std::optional<Level> ParseLevel(std::string_view text);
std::optional<Function> ParseFunction(std::string_view text);

}  // namespace trellis::model
