// model/person.cc — wire names of levels and functions.
#include "model/person.h"

#include <array>
#include <utility>

namespace trellis::model {
namespace {

constexpr std::array<std::pair<Level, std::string_view>, 2> kLevels{{
    {Level::kStrategic, "strategic"},
    {Level::kOperational, "operational"},
}};
constexpr std::array<std::pair<Function, std::string_view>, 7> kFunctions{{
    {Function::kGeneralist, "generalist"},
    {Function::kClinical, "clinical"},
    {Function::kHr, "hr"},
    {Function::kFinance, "finance"},
    {Function::kIt, "it"},
    {Function::kData, "data"},
    {Function::kOther, "other"},
}};

}  // namespace

std::string_view LevelName(Level level) {
  for (const auto& [l, name] : kLevels)
    if (l == level) return name;
  return "";
}

std::string_view FunctionName(Function function) {
  for (const auto& [f, name] : kFunctions)
    if (f == function) return name;
  return "";
}

std::optional<Level> ParseLevel(std::string_view text) {
  for (const auto& [l, name] : kLevels)
    if (name == text) return l;
  return std::nullopt;
}

std::optional<Function> ParseFunction(std::string_view text) {
  for (const auto& [f, name] : kFunctions)
    if (name == text) return f;
  return std::nullopt;
}

}  // namespace trellis::model
