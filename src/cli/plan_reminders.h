// cli/plan_reminders.h — the overdue-action reminders of development plans (docs/plans.md) run
// by `trellis serve` itself: once a day at HOUR:00 UTC a steady timer on the server's
// io_context (web::Server::RunAfter) starts PlanService::SendAllReminders on one of the
// server's threads, off every request. Each action is claimed in the database before its email
// goes, so several servers on one database, or a cron `trellis plans remind` as well, never
// remind an action twice within the quiet days. A failed pass is logged on stderr and the next
// day's is armed all the same. Thread-safe once started: passes never overlap.
#pragma once

#include <mutex>
#include <string>

#include "service/plan_service.h"
#include "service/utc_time.h"
#include "web/server.h"

namespace trellis::cli {

// The first instant at `hour`:00:00 UTC (0–23) strictly after `after`.
service::TimePoint NextReminderRun(service::TimePoint after, int hour);

// "daily at 07:00 UTC".
std::string DescribeReminderHour(int hour);

class PlanReminderScheduler {
 public:
  // `server`, `plans` (with a mailer) must outlive it; the server must be listening before
  // Start. `clock` nullptr: the system clock.
  PlanReminderScheduler(web::Server& server, service::PlanService& plans, int hour,
                        service::Clock clock = nullptr);

  // Arms the daily pass; with `run_now`, one pass also starts at once (on a server thread).
  // Returns when the next daily pass is due.
  service::TimePoint Start(bool run_now);

  // One pass: every partnership's due reminders, the outcome logged on stderr. Never throws.
  void RunPass();

 private:
  void Arm(service::TimePoint after);
  service::TimePoint Now() const;

  web::Server& server_;
  service::PlanService& plans_;
  const int hour_;
  service::Clock clock_;
  std::mutex pass_mu_;  // one pass at a time
};

}  // namespace trellis::cli
