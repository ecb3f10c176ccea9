// service/utc_time.h — the services' clock and the text form of instants they store:
// "2026-01-01T09:30:00Z" (UTC, whole seconds; text compares in time order). A Clock is
// injected into services so tests can move time. Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace trellis::service {

using TimePoint = std::chrono::system_clock::time_point;
using Clock = std::function<TimePoint()>;

// The system clock.
TimePoint SystemNow();

// "YYYY-MM-DDTHH:MM:SSZ", truncated to the second.
std::string UtcText(TimePoint t);

// The instant written by UtcText; nullopt if `text` is not in that form.
std::optional<TimePoint> ParseUtcText(std::string_view text);

}  // namespace trellis::service
