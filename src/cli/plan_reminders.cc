// cli/plan_reminders.cc — see plan_reminders.h.
#include "cli/plan_reminders.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <iostream>

namespace trellis::cli {

using service::TimePoint;

TimePoint NextReminderRun(TimePoint after, int hour) {
  const auto day = std::chrono::floor<std::chrono::days>(after);
  TimePoint next = day + std::chrono::hours(hour);
  if (next <= after) next += std::chrono::days(1);
  return next;
}

std::string DescribeReminderHour(int hour) {
  return std::string("daily at ") + (hour < 10 ? "0" : "") + std::to_string(hour) + ":00 UTC";
}

PlanReminderScheduler::PlanReminderScheduler(web::Server& server, service::PlanService& plans,
                                             int hour, service::Clock clock)
    : server_(server), plans_(plans), hour_(hour), clock_(std::move(clock)) {}

TimePoint PlanReminderScheduler::Now() const { return clock_ ? clock_() : service::SystemNow(); }

TimePoint PlanReminderScheduler::Start(bool run_now) {
  if (run_now) server_.RunAfter(std::chrono::steady_clock::duration::zero(), [this] { RunPass(); });
  const TimePoint now = Now();
  Arm(now);
  return NextReminderRun(now, hour_);
}

void PlanReminderScheduler::Arm(TimePoint after) {
  const TimePoint next = NextReminderRun(after, hour_);
  const auto delay = std::max(TimePoint::duration::zero(), next - Now());
  server_.RunAfter(std::chrono::duration_cast<std::chrono::steady_clock::duration>(delay),
                   [this, next] {
                     RunPass();
                     // From the planned instant, so a timer that fires a little early does
                     // not run the same day's pass twice.
                     Arm(std::max(Now(), next));
                   });
}

void PlanReminderScheduler::RunPass() {
  std::lock_guard<std::mutex> lock(pass_mu_);
  std::string log;
  try {
    Result<service::ReminderRun> run = plans_.SendAllReminders();
    if (!run.ok()) {
      log = "trellis: plan reminders failed: " + run.status().message() +
            " (the next pass tries again)\n";
    } else {
      log = "trellis: plan reminders: sent " + std::to_string(run->emails) + " reminder email" +
            (run->emails == 1 ? "" : "s") + " about " + std::to_string(run->actions) +
            " overdue action" + (run->actions == 1 ? "" : "s") + "\n";
      for (const auto& [person, status] : run->failed) {
        log += "trellis: plan reminders: not sent to person " + person + ": " + status.message() +
               " (the next pass tries again)\n";
      }
    }
  } catch (const std::exception& e) {
    log = std::string("trellis: plan reminders failed: ") + e.what() + "\n";
  }
  std::cerr << log << std::flush;  // one write, so lines of other threads do not cut in
}

}  // namespace trellis::cli
