// service/campaign_service.h — the admin side of 360 campaigns (docs/campaigns.md): create a
// campaign on a stored framework version, add subjects (each gets a self nomination), nominate
// raters or take a subject's proposals for approval, open / close / release, send rater
// invitations and reminders by email (or export them for a mail merge), and follow progress.
// Rater link tokens: 128 random bits (libsodium), shown once in the link, stored only as their
// SHA-256 hash; issuing a new link invalidates the old one.
// Who may call what (admins vs subjects) is checked by the web layer; every method is scoped by
// the partnership it is given. Audit: every change (create, subjects, nominations, proposals,
// approve/decline, lifecycle, invitations, reminders, re-issued links) appends an entry naming
// `actor` (an account id, or "cli") to the partnership's log (DirectoryStore::AppendAudit)
// after the change is stored, with a readable summary that never holds a token or a link.
// Thread-safe when the stores and mailer are.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "service/mailer.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/store.h"

namespace trellis::service {

// A new rater link token: 128 random bits as base64url without padding (22 characters).
std::string NewRaterToken();
// What is stored for a token: lower-case hex SHA-256 of its characters (64 characters).
std::string HashRaterToken(std::string_view token);
// The plain statement shown to a rater in `group` (invitation email and questionnaire) of who
// will see their answers: anonymous for all but self and manager (DESIGN.md rule 3/4).
std::string PrivacyStatement(model::RaterGroup group, std::string_view subject_name, int min_group);

struct CampaignSpec {
  std::string partnership_id;
  std::string name;  // non-empty
  std::string framework_code;
  std::optional<int> framework_version;  // nullopt: the latest stored version
  std::string opens_on;                  // ISO date "2026-03-01"
  std::string closes_on;                 // ISO date, ≥ opens_on
  int min_group = 3;                     // ≥ 2
  bool context_check = true;
  std::vector<std::string> subject_ids;  // people of the partnership (may be empty)
};

// A rater nominated for a subject. An internal rater names a person of the partnership (name
// and email are then taken from the directory); an external rater needs only name and email.
struct RaterSpec {
  std::string subject_id;
  std::string rater_person_id;  // or empty for an external rater
  std::string rater_name;       // external raters: required
  std::string rater_email;      // external raters: required
  model::RaterGroup group = model::RaterGroup::kPeer;
};

// One rater's invitation, with the link holding the token (shown this once).
struct Invitation {
  std::string nomination_id;
  std::string rater_name;
  std::string rater_email;
  std::string subject_name;
  model::RaterGroup group = model::RaterGroup::kPeer;
  std::string link;  // {base_url}/r/{token}
};

// What a run of invitations or reminders did.
struct MailRun {
  int sent = 0;
  // Raters whose message was not accepted by the mail server, with the reason; their links
  // are not recorded as sent, so the next run tries them again.
  std::vector<std::pair<std::string, Status>> failed;  // nomination id, error
};

// Response counts: approved nominations, how many were invited, how many submitted.
struct Counts {
  int nominated = 0;
  int invited = 0;
  int submitted = 0;
  // submitted / invited, or 0 when nobody was invited.
  double Rate() const { return invited == 0 ? 0.0 : static_cast<double>(submitted) / invited; }
};

struct SubjectRates {
  std::string subject_id;
  std::string subject_name;
  std::string organisation_id;
  Counts total;
  std::vector<std::pair<model::RaterGroup, Counts>> by_group;  // groups with nominations, in order
};

struct ProgressReport {
  Counts total;
  std::vector<SubjectRates> by_subject;                         // ordered by subject name
  std::vector<std::pair<model::RaterGroup, Counts>> by_group;   // in group order
  std::vector<std::pair<std::string, Counts>> by_organisation;  // organisation id → counts
};

// The organisation part of ProgressReport: the same by_organisation and total.
struct OrganisationProgressReport {
  Counts total;                                                 // the sum over organisations
  std::vector<std::pair<std::string, Counts>> by_organisation;  // organisation id → counts
};

// A rater who was invited and has not submitted. Names raters: for admins only.
struct NonResponder {
  std::string nomination_id;
  std::string rater_name;
  std::string rater_email;
  std::string subject_name;
  model::RaterGroup group = model::RaterGroup::kPeer;
  std::string invited_at;
  std::string reminded_at;  // or empty
};

// What a subject may see of their own campaign: counts, never names.
struct SubjectProgressView {
  Counts total;
  std::vector<std::pair<model::RaterGroup, Counts>> by_group;  // in group order
};

class CampaignService {
 public:
  struct Options {
    // Prefix of rater links, without a trailing slash: "https://trellis.example.org".
    std::string base_url;
    // Current time; nullopt means the system clock.
    std::function<std::chrono::system_clock::time_point()> now;
  };

  // The stores and the mailer (may be null: then only ExportInvitations delivers links) must
  // outlive the service; `audit` receives the audit log entries.
  CampaignService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                  storage::DirectoryStore& audit, Mailer* mailer, Options options);

  // --- setting up ---

  // Creates a draft campaign on a stored framework version (marked in use) with its subjects,
  // each with a self nomination. kInvalidArgument naming the field: empty name, a date not
  // YYYY-MM-DD, closes_on before opens_on, min_group < 2; kNotFound if the framework (version)
  // or a subject is not stored in the partnership. With the context check, the latest stored
  // context-check version is pinned to the campaign (Campaign::context_check_version).
  Result<model::Campaign> Create(const CampaignSpec& spec, std::string_view actor);

  // kNotFound if the campaign is not in the partnership.
  Result<model::Campaign> Get(std::string_view partnership_id, std::string_view campaign_id);
  // The partnership's campaigns, newest first.
  Result<std::vector<model::Campaign>> List(std::string_view partnership_id);
  // The partnership's campaigns in which `person_id` is a subject, newest first.
  Result<std::vector<model::Campaign>> ListForSubject(std::string_view partnership_id,
                                                      std::string_view person_id);

  // Adds people of the partnership as subjects, each with an approved self nomination (already
  // subjects are left as they are). kFailedPrecondition once the campaign is closed;
  // kNotFound for a campaign or person not in the partnership.
  Status AddSubjects(std::string_view partnership_id, std::string_view campaign_id,
                     const std::vector<std::string>& person_ids, std::string_view actor);
  // Removes a subject and their nominations. kFailedPrecondition once closed, or when raters
  // have submitted about them; kNotFound if not a subject.
  Status RemoveSubject(std::string_view partnership_id, std::string_view campaign_id,
                       std::string_view person_id, std::string_view actor);

  // --- nominations ---

  // Nominates raters (by an admin: approved), all or none. Rules: group `self` is not
  // nominated (it is created with the subject); a subject's own person is not a rater in
  // another group; at most one `manager` per subject; a rater has one group per subject (the
  // same email or person twice is kAlreadyExists); an external rater needs a name and an email
  // with an '@'. kInvalidArgument naming the rater for a broken rule; kFailedPrecondition once
  // the campaign is closed; kNotFound for an unknown subject or rater person.
  Result<std::vector<model::Nomination>> Nominate(std::string_view partnership_id,
                                                  std::string_view campaign_id,
                                                  const std::vector<RaterSpec>& raters,
                                                  std::string_view actor);
  // A subject proposes their raters: as Nominate, with status `proposed`, awaiting an admin;
  // every spec must name `subject_id` (kInvalidArgument otherwise). Only while the campaign
  // is draft or open (kFailedPrecondition otherwise).
  Result<std::vector<model::Nomination>> Propose(std::string_view partnership_id,
                                                 std::string_view campaign_id,
                                                 std::string_view subject_id,
                                                 const std::vector<RaterSpec>& raters,
                                                 std::string_view actor);
  // What a subject may see of their own nominations: the ones they proposed
  // (Nomination::proposed_by_subject) that await an admin or were declined. Raters an admin
  // nominated are never listed to the subject, only counted (SubjectProgress).
  // kNotFound if `subject_id` is not a subject of the campaign.
  Result<std::vector<model::Nomination>> SubjectProposals(std::string_view partnership_id,
                                                          std::string_view campaign_id,
                                                          std::string_view subject_id);
  // An admin approves or declines a nomination of `campaign_id`. kFailedPrecondition for a self
  // nomination (Decline), or one whose rater has already submitted; kNotFound if the
  // nomination is not in that campaign of the partnership.
  Status Approve(std::string_view partnership_id, std::string_view campaign_id,
                 std::string_view nomination_id, std::string_view actor);
  Status Decline(std::string_view partnership_id, std::string_view campaign_id,
                 std::string_view nomination_id, std::string_view actor);
  // The campaign's nominations (admins), ordered by subject, group, rater name.
  Result<std::vector<model::Nomination>> Nominations(std::string_view partnership_id,
                                                     std::string_view campaign_id);

  // --- lifecycle: draft → open → closed → released ---

  // kFailedPrecondition "… is STATE, not draft" (etc.) from any other state; Open also needs
  // at least one subject. kNotFound if the campaign is not in the partnership.
  Status Open(std::string_view partnership_id, std::string_view campaign_id,
              std::string_view actor);
  Status Close(std::string_view partnership_id, std::string_view campaign_id,
               std::string_view actor);
  Status Release(std::string_view partnership_id, std::string_view campaign_id,
                 std::string_view actor);
  // Called with (partnership, campaign) after every successful Release, by any caller (serve
  // sets it to ReportService::Prerender, docs/reports.md "Prerendering"). Set before serving.
  using ReleaseListener = std::function<void(std::string_view, std::string_view)>;
  void SetReleaseListener(ReleaseListener listener) { release_listener_ = std::move(listener); }

  // --- invitations and reminders (campaign open) ---

  // For each approved nomination not yet invited: issues a link and emails it through the
  // mailer. A rater whose message fails keeps "not invited" (retry later). kFailedPrecondition
  // unless the campaign is open, or when no mailer is configured.
  Result<MailRun> SendInvitations(std::string_view partnership_id, std::string_view campaign_id,
                                  std::string_view actor);
  // As SendInvitations, but returns the invitations (with links, shown this once) for a mail
  // merge instead of emailing them; they are recorded as invited.
  Result<std::vector<Invitation>> ExportInvitations(std::string_view partnership_id,
                                                    std::string_view campaign_id,
                                                    std::string_view actor);
  // The invitations as CSV: header `name,email,subject name,group,link`, RFC 4180 quoting.
  static std::string InvitationsCsv(const std::vector<Invitation>& invitations);
  // Reminds approved, invited raters who have not submitted and were not invited or reminded
  // in the last `quiet_days` days. Links are stored hashed, so a reminder carries a fresh link
  // and the previous one stops working (a saved draft is kept). kFailedPrecondition as
  // SendInvitations; kInvalidArgument if quiet_days < 0.
  Result<MailRun> SendReminders(std::string_view partnership_id, std::string_view campaign_id,
                                int quiet_days, std::string_view actor);
  // Issues a new link for one nomination (the old one stops working) and returns it, shown this
  // once. kFailedPrecondition unless the campaign is open and the nomination approved.
  Result<Invitation> ReissueLink(std::string_view partnership_id, std::string_view nomination_id,
                                 std::string_view actor);

  // --- progress ---

  // Response rates by subject, group and organisation (admins; counts only).
  Result<ProgressReport> Progress(std::string_view partnership_id, std::string_view campaign_id);
  // Progress's by-organisation rates and total (the same values), without the per-subject
  // work: for pages that show no subject.
  Result<OrganisationProgressReport> ProgressByOrganisation(std::string_view partnership_id,
                                                            std::string_view campaign_id);
  // Invited raters who have not submitted, with names and emails: FOR ADMINS ONLY (the web
  // layer must check the role; a subject must never see this).
  Result<std::vector<NonResponder>> NonResponders(std::string_view partnership_id,
                                                  std::string_view campaign_id);
  // A subject's own progress: counts by group, never names. kNotFound if not a subject.
  Result<SubjectProgressView> SubjectProgress(std::string_view partnership_id,
                                              std::string_view campaign_id,
                                              std::string_view subject_id);

 private:
  // The nomination `nomination_id` of `campaign_id`; kNotFound if it belongs to another
  // campaign (or partnership), with the message of an unknown id.
  Result<model::Nomination> NominationIn(std::string_view partnership_id,
                                         std::string_view campaign_id,
                                         std::string_view nomination_id);
  std::string Now() const;
  // Appends an audit entry to the partnership's log.
  Status Record(std::string_view partnership_id, std::string_view actor, std::string_view action,
                std::string_view entity_type, std::string_view entity_id, std::string detail);
  Result<std::vector<model::Nomination>> AddRaters(std::string_view partnership_id,
                                                   std::string_view campaign_id,
                                                   const std::vector<RaterSpec>& raters,
                                                   model::NominationStatus status,
                                                   std::string_view actor);
  Status Transition(std::string_view partnership_id, std::string_view campaign_id,
                    model::CampaignState from, model::CampaignState to, std::string_view actor);
  // Issues a fresh link for `n`, returning the invitation.
  Result<Invitation> IssueLink(std::string_view partnership_id, const model::Nomination& n,
                               const std::string& subject_name);
  // kFailedPrecondition unless the campaign is open.
  Status RequireOpen(const model::Campaign& campaign) const;

  storage::Store& frameworks_;
  storage::CampaignStore& campaigns_;
  storage::DirectoryStore& audit_;
  Mailer* mailer_;
  Options options_;
  ReleaseListener release_listener_;
};

}  // namespace trellis::service
