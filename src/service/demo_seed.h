// service/demo_seed.h — the demo partnership behind `trellis demo`: an invented integrated care
// partnership ("Riverside Integrated Care Partnership") with six organisations across sectors,
// 40 managers at both levels, staff accounts with a known demo password, one open 360
// campaign on the built-in framework in which about 80% of raters have answered, and a released
// pilot campaign seven months earlier with the same subjects, so reports can be read. Everything is
// made through the services (never SQL), so the demo data obeys every rule real data does.
// Synthetic answers: each subject has a true level per competency; raters score it with noise,
// some subjects rate themselves well above (blind spot) or below (hidden strength) what others
// see, some have low capacity in the context check, and two have too few peers, so reports show
// every kind of figure, including suppressed groups. Deterministic for a seed and `now`: the
// random draws are std::mt19937 with portable distributions (ids, link tokens and stored
// timestamps come from the services). Not thread-safe with a concurrent seed of the same store.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "model/partnership.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/plan_service.h"
#include "service/questionnaire_service.h"
#include "service/utc_time.h"

namespace trellis::service {

inline constexpr char kDemoPartnershipName[] = "Riverside Integrated Care Partnership";
// The password of every demo account (printed by `trellis demo`; meets the password policy).
inline constexpr char kDemoPassword[] = "trellis-demo-2026";
inline constexpr uint32_t kDefaultDemoSeed = 20260302;

// The services the demo is made with; they must share one database.
struct DemoServices {
  FrameworkService& frameworks;
  DirectoryService& directory;
  AuthService& auth;
  CampaignService& campaigns;
  QuestionnaireService& questionnaires;
  // When set (with a clock at DemoSeedOptions::now), the demo also gets a learning-resource
  // catalogue and a development plan of the demo member with an overdue action
  // (demo_plan_seed.h).
  PlanService* plans = nullptr;
};

struct DemoSeedOptions {
  std::string integrated_care_path;  // frameworks/integrated-care.json
  std::string context_check_path;    // frameworks/context-check.json
  uint32_t seed = kDefaultDemoSeed;
  // When the demo is made. The campaign opens on the date 21 days before and closes on the date
  // 28 days after, and is named after the season it opened in ("… — spring 2026"). Responses
  // are dated between the campaign's opened_at (stamped by the CampaignService's clock; give it
  // a clock at the opening for realistic dates) and `now`, or at `now` if it opened later.
  TimePoint now;
};

// A demo staff account (all use kDemoPassword).
struct DemoLogin {
  std::string email;
  model::Role role = model::Role::kMember;
  std::string display_name;
  std::string about;  // who this is in the demo: "partnership OD lead (admin)"
};

struct DemoSummary {
  bool created = false;  // false: the demo partnership existed and was left as it was
  model::Partnership partnership;
  std::vector<model::Organisation> organisations;  // by name
  size_t people = 0;
  size_t strategic = 0;
  size_t operational = 0;
  std::vector<DemoLogin> logins;
  std::string password;      // kDemoPassword
  model::Campaign campaign;  // with subject_ids
  Counts responses;          // approved nominations, invited, submitted
  // Only when created: a few raters who have not answered, with their links (shown this once),
  // so a demo user can try the questionnaire.
  std::vector<Invitation> unanswered;
};

// Campaign name for a campaign opening on ISO date `opens_on`: "Integrated leadership 360 —
// spring 2026" (meteorological seasons: spring Mar–May, summer Jun–Aug, autumn Sep–Nov,
// winter Dec–Feb).
std::string DemoCampaignName(const std::string& opens_on);

// Makes the demo partnership, or, when a partnership named kDemoPartnershipName exists, changes
// nothing and returns the summary of what is stored. Imports both framework files first (a file
// matching the stored latest version is recognised as unchanged). Errors: the services' (e.g.
// kNotFound for an unreadable framework file, kInvalidArgument for an invalid one, kUnavailable
// for a busy database or argon2 hashing without memory); kAlreadyExists if a demo account email
// is taken by another partnership; kFailedPrecondition "… is incomplete …" when the partnership
// exists but its campaign does not (a seed that was interrupted: delete the database and rerun).
Result<DemoSummary> SeedDemoPartnership(const DemoServices& services,
                                        const DemoSeedOptions& options);

}  // namespace trellis::service
