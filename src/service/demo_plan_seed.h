// service/demo_plan_seed.h — the development-plan part of the demo partnership (demo_seed.h):
// a learning-resource catalogue of the partnership, and one plan of the demo member (a manager
// assessed in the demo campaign) with two priorities, goals, an overdue action, an action in
// progress, a later one and an evidence note, so /plans, /plans/overdue and /resources have
// something to show. Made through PlanService, like the rest of the demo. Not thread-safe with
// a concurrent seed of the same store.
#pragma once

#include <string>

#include "core/status.h"
#include "service/auth_service.h"
#include "service/plan_service.h"
#include "service/utc_time.h"

namespace trellis::service {

// Seeds the catalogue as `admin` and a plan of `owner` started from the newest released campaign
// the owner was assessed in (the report they read), else from `campaign_id`, on ACC3 and DAT2
// when the framework has them, else on its first two competencies. The overdue action was due 10
// days before `now` (`plans` must use a clock at `now`). Errors: the service's.
Status SeedDemoPlan(PlanService& plans, const Principal& admin, const Principal& owner,
                    const std::string& campaign_id, TimePoint now);

}  // namespace trellis::service
