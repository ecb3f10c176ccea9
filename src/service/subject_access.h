// service/subject_access.h — subject-access requests (UK GDPR Article 15; docs/accounts.md
// "Subject-access requests"): everything Trellis holds about one person of a partnership,
// gathered for the person themself or for an admin answering their request. It reads through the
// other services so that nothing is computed a second way: reports come from
// ReportService::Report (the figures, suppression and comments of the report page), rater counts
// from CampaignService::SubjectProgress, plans from PlanService::Get (comment authors named as
// the plans page names them). As a rater the person gets only the campaigns and statuses of their
// nominations, never their answers: submissions are anonymous and nothing here links a rater to
// a response. Audit entries are given in full only when they are about the person's own records;
// what they did to anyone else's (an admin's nominations, say) is listed by action and time only,
// so that an export never says who rates whom (DESIGN.md anonymity rule). Each export writes an
// audit entry before it is returned (and so before it is sent).
// The web layer renders the result as JSON (web/subject_access_json.h).
// Thread-safe when the services and stores are: the service holds no mutable state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "model/partnership.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/plan_service.h"
#include "service/report_service.h"
#include "service/utc_time.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/report_share_store.h"

namespace trellis::service {

// A campaign in which the person is a subject: its raters counted per group (never named) and,
// once released, their report exactly as the report page shows it.
struct SubjectAccessCampaign {
  model::Campaign campaign;  // subject_ids cleared: the other subjects are not the person's data
  SubjectProgressView raters;
  std::optional<SubjectReport> report;  // nullopt until the reports are released
};

// A nomination of the person as a rater of someone else: the campaign and status only.
struct RaterNominationEntry {
  std::string campaign_id;
  std::string campaign_name;
  model::NominationStatus status = model::NominationStatus::kApproved;
  bool submitted = false;
};

// A plan of someone else's shared with one of the person's accounts.
struct PlanSharedWithEntry {
  std::string plan_id;
  std::string owner_name;
  PlanAccess role = PlanAccess::kCoach;  // kLineManager or kCoach
  std::string campaign_name;             // the plan's title: the campaign it was made from
};

// A comment the person wrote on someone else's plan.
struct CommentWrittenEntry {
  std::string owner_name;  // the plan's owner
  std::string body;
  std::string created_at;
};

// An audit entry as exported. `full` when its entity is the person's own (the person, one of
// their accounts, plans or reports, which includes shares of their reports); otherwise the
// person was only its actor and entity_type, entity_id and detail are cleared.
struct SubjectAccessAuditEntry {
  storage::AuditEntry entry;
  bool full = false;  // safe by default: set only for the person's own records
};

// A report share the person granted (their report, another account) or received (another
// subject's report, one of the person's accounts).
struct ReportShareEntry {
  std::string campaign_id;
  std::string campaign_name;
  std::string name;  // granted: the reader's account display name; received: the subject's name
  std::string shared_at;
};

struct SubjectAccessExport {
  std::string generated_at;  // UTC text
  std::string requested_by;  // the requesting account id
  bool by_admin = false;     // an admin answered the request for the person
  // The person, or nullopt for an account linked to no person (then only the account and its
  // audit entries are exported).
  std::optional<storage::StoredPerson> person;
  // When the person was erased only the tombstone is exported: every list below is empty.
  std::optional<model::Organisation> organisation;
  std::string line_manager_name;                 // "" when none (or erased)
  std::vector<storage::StoredAccount> accounts;  // the person's accounts (no secrets)
  std::vector<SubjectAccessCampaign> campaigns;  // newest first
  std::vector<RaterNominationEntry> rated;       // by campaign name
  std::vector<PlanView> plans;                   // newest first
  // These two concern others' private plans: filled in the person's own export only (empty
  // when by_admin).
  std::vector<PlanSharedWithEntry> plans_shared_with_you;  // newest first
  std::vector<CommentWrittenEntry> comments_written;       // on others' plans, oldest first
  std::vector<ReportShareEntry> shares_granted;
  std::vector<ReportShareEntry> shares_received;
  // Entries about the person's own records in full, and entries they acted in on anyone
  // else's by action and time only (SubjectAccessAuditEntry); newest first.
  std::vector<SubjectAccessAuditEntry> audit;
};

class SubjectAccessService {
 public:
  struct Options {
    Clock clock;  // nullptr → the system clock
  };

  // Every service and store must outlive this one.
  SubjectAccessService(storage::DirectoryStore& directory, storage::CampaignStore& campaigns,
                       storage::ReportShareStore& shares, CampaignService& campaign_service,
                       ReportService& reports, PlanService& plans, Options options);

  // The requester's own data: their person (if the account is linked to one) and account.
  // Audit "person.subject_access_exported" (detail "subject access export by the person").
  Result<SubjectAccessExport> ExportOwn(const Principal& requester);
  // Person `person_id`'s data, for an admin of their partnership (kPermissionDenied for other
  // roles, unless it is the requester's own person; kNotFound if the partnership has no such
  // person). Audit "person.subject_access_exported" (detail "… by an admin").
  Result<SubjectAccessExport> ExportPerson(const Principal& requester, std::string_view person_id);

 private:
  // What Build reads once and several parts use (defined in the .cc).
  struct Reads;
  Result<SubjectAccessExport> Build(const Principal& requester, std::string_view person_id,
                                    bool by_admin);
  Status AddCampaigns(const Principal& requester, SubjectAccessExport& out);
  Status AddRated(const Principal& requester, const Reads& reads, SubjectAccessExport& out);
  Status AddPlans(const Principal& requester, const Reads& reads, SubjectAccessExport& out);
  Status AddShares(const Principal& requester, const Reads& reads, SubjectAccessExport& out);
  Status AddAudit(const Principal& requester, const Reads& reads, SubjectAccessExport& out);

  storage::DirectoryStore& directory_;
  storage::CampaignStore& campaigns_;
  storage::ReportShareStore& shares_;
  CampaignService& campaign_service_;
  ReportService& reports_;
  PlanService& plans_;
  Options options_;
};

}  // namespace trellis::service
