// storage/campaign_store.h — the persisted side of 360 campaigns: campaigns, their subjects,
// nominations (with the hashes of rater link tokens), draft and submitted responses, the
// ratings of a campaign for analysis, and response progress. Separate from the framework Store;
// a backend shares that store's database (SqliteCampaignStore borrows SqliteStore's pool).
// Tenancy: every method but FindNominationByTokenHash takes the partnership the data belongs to
// and never reads or writes another partnership's rows (a wrong partnership is kNotFound). The
// token lookup is global because the token is the rater's only credential.
// Business rules (who may be nominated, which state transitions are allowed) live in
// service/campaign_service.h; the store keeps the invariants its keys and checks state.
// Safe for concurrent use from many threads and processes: each method is atomic.
// Every method returns kFailedPrecondition when migrations are pending, and kUnavailable on
// I/O errors or when the database stays locked; the other codes are listed per method.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/campaign.h"
#include "model/framework.h"
#include "model/partnership.h"
#include "model/ratings.h"
#include "storage/store.h"

namespace trellis::storage {

// Timestamps are UTC, RFC 3339 to the second: "2026-01-01T09:30:00Z"; the caller supplies them.

// A nomination with the campaign it belongs to (for a rater arriving with a link token).
struct NominationInCampaign {
  model::Nomination nomination;
  model::Campaign campaign;  // subject_ids left empty
};

// One rater's submission: the response (its nomination_id, answers and comments; `submitted`
// and `saved_at` are ignored) and the key the questionnaire form carried, so that a retried POST
// of the same form is recognised.
struct Submission {
  std::string partnership_id;
  model::Response response;
  std::string submission_key;  // non-empty
  std::string submitted_at;    // RFC 3339
};

enum class SubmitOutcome {
  kRecorded,         // stored by this call
  kAlreadyRecorded,  // stored earlier with the same submission key; nothing changed
};

// A free-text comment of one rater on one domain, for reports (shown only under a shown group,
// DESIGN.md "Security and confidentiality").
struct DomainComment {
  std::string subject_id;
  model::RaterGroup group = model::RaterGroup::kPeer;
  std::string domain_code;
  std::string text;
};

// The submitted responses of a campaign, ready for analytics/aggregate.h. Rater ids: the
// subject's own id for self, otherwise the nomination id (never a person id or an email).
struct CampaignRatings {
  model::RatingSet competencies;        // items of the campaign's framework version
  model::RatingSet context_check;       // items of the context-check framework; empty if none given
  std::vector<DomainComment> comments;  // ordered by subject, domain, nomination id
};

// Counts of the approved nominations of one subject in one group.
struct GroupProgress {
  std::string subject_id;
  model::RaterGroup group = model::RaterGroup::kPeer;
  int nominated = 0;  // approved nominations
  int invited = 0;    // of which invited (a link was sent or exported)
  int submitted = 0;  // of which submitted
};

// Counts of the approved nominations of the subjects of one organisation.
struct OrganisationProgress {
  std::string organisation_id;  // the subject's organisation
  int nominated = 0;
  int invited = 0;
  int submitted = 0;
};

struct CampaignProgress {
  std::vector<GroupProgress> by_subject_group;        // ordered by subject id, then group order
  std::vector<OrganisationProgress> by_organisation;  // ordered by organisation id
};

class CampaignStore {
 public:
  virtual ~CampaignStore() = default;

  // --- campaigns ---

  // Stores `campaign` (its id, partnership, framework version, pinned context-check version,
  // window, min_group, state and created_at as given; subject_ids ignored — see AddSubjects)
  // and marks its framework version (and the pinned context-check version) in use, in one
  // transaction. kNotFound if the partnership or a framework version does not exist;
  // kAlreadyExists if the id is taken.
  virtual Status CreateCampaign(const model::Campaign& campaign) = 0;

  // The campaign with its subject_ids (sorted). kNotFound if it does not exist in the partnership.
  virtual Result<model::Campaign> GetCampaign(std::string_view partnership_id,
                                              std::string_view campaign_id) = 0;

  // The partnership's campaigns (subject_ids filled), newest first (by created_at, then id).
  virtual Result<std::vector<model::Campaign>> ListCampaigns(std::string_view partnership_id) = 0;

  // Moves the campaign from state `from` to `to`, stamping opened_at / closed_at / released_at
  // with `at` when entering that state. A compare-and-set: kFailedPrecondition "… is STATE, not
  // FROM" if another caller moved it first. kNotFound if there is no such campaign.
  virtual Status UpdateCampaignState(std::string_view partnership_id, std::string_view campaign_id,
                                     model::CampaignState from, model::CampaignState to,
                                     std::string_view at) = 0;

  // --- subjects ---

  // Live (not erased) people of the partnership by id, in the order asked. kNotFound naming
  // the first id that is not a live person of this partnership. (A read of the directory, for the
  // campaign use-cases.)
  virtual Result<std::vector<model::Person>> GetPeople(std::string_view partnership_id,
                                                       const std::vector<std::string>& ids) = 0;

  // Adds people as subjects, all or none; ones already subjects are left as they are.
  // kNotFound if the campaign, or any person, is not in the partnership.
  virtual Status AddSubjects(std::string_view partnership_id, std::string_view campaign_id,
                             const std::vector<std::string>& person_ids) = 0;

  // Removes a subject with their nominations and any draft responses. kNotFound if not a subject;
  // kFailedPrecondition if any of their raters has submitted.
  virtual Status RemoveSubject(std::string_view partnership_id, std::string_view campaign_id,
                               std::string_view person_id) = 0;

  // The subjects as people (id, organisation, name, email), ordered by name then id.
  virtual Result<std::vector<model::Person>> ListSubjects(std::string_view partnership_id,
                                                          std::string_view campaign_id) = 0;

  // --- nominations ---

  // Stores nominations of one campaign, all or none. Each needs id, campaign_id, subject_id (a
  // subject of the campaign), rater_name, rater_email (stored lower-case), group and status;
  // rater_person_id, when set, a person of the partnership. invited_at etc. are ignored;
  // proposed_by_subject is stored as true exactly for nominations created with status proposed.
  // kNotFound if the campaign is not in the partnership, a subject is not in the campaign, or a
  // rater person is not in the partnership; kAlreadyExists if a subject already has a
  // nomination with that email or person (message names them) or an id is taken.
  virtual Status AddNominations(std::string_view partnership_id,
                                const std::vector<model::Nomination>& nominations) = 0;

  // One nomination. kNotFound if it is not in the partnership.
  virtual Result<model::Nomination> GetNomination(std::string_view partnership_id,
                                                  std::string_view nomination_id) = 0;

  // The campaign's nominations, ordered by subject id, group, rater name, id.
  virtual Result<std::vector<model::Nomination>> ListNominations(std::string_view partnership_id,
                                                                 std::string_view campaign_id) = 0;

  // The nominations of one subject, same order. Empty if none (or no such subject).
  virtual Result<std::vector<model::Nomination>> ListNominationsForSubject(
      std::string_view partnership_id, std::string_view campaign_id,
      std::string_view subject_id) = 0;

  // Sets the status (an admin approves or declines a proposal). kNotFound as GetNomination.
  virtual Status SetNominationStatus(std::string_view partnership_id,
                                     std::string_view nomination_id,
                                     model::NominationStatus status) = 0;

  // Issues (or re-issues, invalidating the previous one) the link of a nomination by storing the
  // hash of its token. kNotFound as GetNomination; kAlreadyExists if the hash is in use.
  virtual Status SetTokenHash(std::string_view partnership_id, std::string_view nomination_id,
                              std::string_view token_hash) = 0;

  // The nomination whose link token hashes to `token_hash`, with its campaign, in any
  // partnership. kNotFound if none.
  virtual Result<NominationInCampaign> FindNominationByTokenHash(std::string_view token_hash) = 0;

  // Records when the invitation, or the latest reminder, was sent. kNotFound as GetNomination.
  virtual Status MarkInvited(std::string_view partnership_id, std::string_view nomination_id,
                             std::string_view at) = 0;
  virtual Status MarkReminded(std::string_view partnership_id, std::string_view nomination_id,
                              std::string_view at) = 0;

  // --- responses ---

  // Saves (replaces) the draft of `response.nomination_id` with its answers and comments,
  // stamped `response.saved_at`. kNotFound as GetNomination; kFailedPrecondition if the
  // response was already submitted, the nomination is not approved, or the campaign is not open.
  virtual Status SaveDraft(std::string_view partnership_id, const model::Response& response) = 0;

  // The draft or submitted response of a nomination. kNotFound if none was saved.
  virtual Result<model::Response> GetResponse(std::string_view partnership_id,
                                              std::string_view nomination_id) = 0;

  // Stores a submission atomically and durably (when this returns, it survives a crash):
  // answers, comments, the submitted flag and the nomination's submitted_at, replacing any draft.
  // kAlreadyRecorded if the nomination was already submitted with the same key (a retried POST);
  // kAlreadyExists if it was submitted with a different key; kFailedPrecondition if the campaign
  // is not open or the nomination is not approved; kNotFound as GetNomination;
  // kInvalidArgument if the submission key is empty. Same as SubmitResponses({submission}).
  virtual Result<SubmitOutcome> SubmitResponse(const Submission& submission) = 0;

  // Stores many submissions in one durable transaction (group commit): one outcome per
  // submission, in order, each as SubmitResponse would return it; a refused submission does
  // not affect the others. A submission that appears twice in the batch is stored once (the
  // second is kAlreadyRecorded or kAlreadyExists). The outer Result fails only when the
  // transaction cannot be committed (then nothing was stored).
  virtual Result<std::vector<Result<SubmitOutcome>>> SubmitResponses(
      std::span<const Submission> submissions) = 0;

  // The submitted responses of the campaign's approved nominations as rating sets: answers whose
  // item is in `framework` go to `competencies`, those in `context_check` (may be null) to
  // `context_check`; answers to other items are ignored (none are accepted by the service).
  // kNotFound if the campaign is not in the partnership; kInternal if stored rows break a
  // RatingSet invariant.
  virtual Result<CampaignRatings> LoadRatings(std::string_view partnership_id,
                                              std::string_view campaign_id,
                                              const model::Framework& framework,
                                              const model::Framework* context_check) = 0;

  // Invited and submitted counts of approved nominations by subject × group and by the subjects'
  // organisation. kNotFound if the campaign is not in the partnership.
  virtual Result<CampaignProgress> Progress(std::string_view partnership_id,
                                            std::string_view campaign_id) = 0;

  // Only the by-organisation counts of Progress (the same values, in the same order), without
  // the per-subject work. Every approved nomination counts under its subject's organisation, so
  // their sum is the campaign's total. kNotFound if the campaign is not in the partnership.
  virtual Result<std::vector<OrganisationProgress>> ProgressByOrganisation(
      std::string_view partnership_id, std::string_view campaign_id) = 0;
};

// The CampaignStore on the same database (and connection pool) as `store`, which must outlive
// it. kFailedPrecondition if `store` is of no known backend (SQLite, PostgreSQL).
Result<std::unique_ptr<CampaignStore>> OpenCampaignStore(Store& store);

}  // namespace trellis::storage
