// service/report_service.h — the figures and individual reports of closed and released 360
// campaigns (docs/reports.md). Figures() computes, once per campaign, every figure with
// analytics::Analyse (the one implementation of DESIGN.md "Analysis semantics") on the
// competency items and on the context-check items, and keeps the result in memory until the
// campaign's state changes; reports, exports and the partnership views read those figures
// and never aggregate in the database. Report() applies who may see a report (admin: every
// report of a released campaign; the subject: their own, once released; anyone else: only with
// the subject's consent, ReportShare) and writes every view, share and revoke to the audit log.
// Thread-safe: the cache is guarded, figures are immutable once built (shared_ptr<const …>).
// Rendered report bodies (the web layer's HTML of a report's figures) are kept with the figures
// they were rendered from and dropped with them; Prerender() renders every subject's body on a
// background thread when a campaign is released (docs/reports.md "Prerendering").
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "analytics/aggregate.h"
#include "analytics/context_reading.h"
#include "core/status.h"
#include "model/campaign.h"
#include "model/framework.h"
#include "model/partnership.h"
#include "model/ratings.h"
#include "service/audit_batcher.h"
#include "service/auth_service.h"
#include "service/utc_time.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/report_share_store.h"
#include "storage/store.h"

namespace trellis::service {

// The attributes of one subject that partnership views break figures down by.
struct SubjectAttributes {
  std::string person_id;
  std::string name;  // "" once the person was erased
  std::string organisation_id;
  model::Sector sector = model::Sector::kOther;  // of the subject's organisation
  model::Level level = model::Level::kOperational;
  model::Function function = model::Function::kGeneralist;
};

// Every figure of one closed or released campaign. Subject index s means the same subject in
// `subjects`, `ratings.subject_ids`, `competencies` and `context`: every subject of the campaign,
// sorted by person id in byte order (a subject nobody rated has all figures null).
struct CampaignFigures {
  model::Campaign campaign;    // as read when the figures were built (subject_ids sorted)
  model::Framework framework;  // the campaign's framework version
  // The context-check framework used (the latest stored "context-check"), or nullopt when the
  // campaign has no context check (then `context` has no item sets and all-null figures).
  std::optional<model::Framework> context_framework;
  std::vector<SubjectAttributes> subjects;
  // The subject's effective role profile (Framework::EffectiveProfile of level × function), or
  // nullopt when the framework has none for the level.
  std::vector<std::optional<model::RoleProfile>> profiles;
  model::RatingSet ratings;                  // competency ratings (subject order as above)
  analytics::CampaignAnalysis competencies;  // Analyse(framework, ratings, profiles)
  // Analyse(context framework, the context-check ratings in the same subject order, {}); the
  // ratings themselves are not kept.
  analytics::CampaignAnalysis context;
  // Domain comments ordered by subject, domain, then text. Shown only through
  // VisibleComments (rule 4); never expose this list directly.
  std::vector<storage::DomainComment> comments;

  // The index of `person_id` among the subjects, or nullopt.
  std::optional<size_t> SubjectIndex(std::string_view person_id) const;
  // The index of the item set `code` at `level` in `competencies.sets` (or in `context.sets`
  // when `context_sets`), or nullopt.
  std::optional<size_t> SetIndex(analytics::SetLevel level, std::string_view code,
                                 bool context_sets = false) const;
};

// Where a comment is shown: under a shown group, or under `combined`.
struct VisibleComment {
  std::string domain_code;
  analytics::ReportGroup group = analytics::ReportGroup::kCombined;
  bool self = false;  // the subject's own comment (group then meaningless)
  std::string text;
};

// The comments of subject `s` that rule 4 lets a report show, grouped by domain (framework
// order), then shown group (report order, self first), then sorted by text, so their order
// reveals nothing of who wrote them or when. A comment whose group is not shown on its domain
// goes under `combined` when `combined` is shown there, otherwise it is withheld (counted in
// `withheld`).
std::vector<VisibleComment> VisibleComments(const CampaignFigures& figures, size_t s,
                                            size_t* withheld);

// Why a figure of a report is withheld, in words ("fewer than 3 peers answered"), for subject
// s on item set k of `figures.competencies`; "" when nothing is withheld. `group` names the
// slot asked about; kCombined also covers others.mean.
std::string WithheldReason(const CampaignFigures& figures, size_t s, size_t k,
                           analytics::ReportGroup group);
// Why others.mean of subject s on set k is null ("fewer than 3 anonymous raters answered"), or
// "" when it is shown. `context` selects the context-check analysis.
std::string OthersWithheldReason(const CampaignFigures& figures, size_t s, size_t k,
                                 bool context = false);

// Change of one competency since the subject's previous released campaign on the same
// framework code.
struct CompetencyChange {
  std::string code;
  double previous = analytics::kNull;  // others.mean then (null when withheld then)
  double change = analytics::kNull;    // others.mean now − then; null if either is null
};

// One individual report: the figures of one subject, with who may see it already checked.
struct SubjectReport {
  std::shared_ptr<const CampaignFigures> figures;
  size_t subject = 0;  // index into figures->subjects
  // The competence-vs-context reading per competency (framework order), from
  // analytics/context_reading.h; empty when the campaign has no context check.
  std::vector<analytics::ContextReading> context_readings;
  // Per competency (framework order): the subject's role-profile expectation, if any.
  std::vector<std::optional<model::Expectation>> expectations;
  // Per competency: importance × profile_gap (docs/reports.md "Role profile"), or null.
  std::vector<double> weighted_gaps;
  // Importance-weighted profile gap over the competencies with a profile gap
  // (Σ importance·profile_gap / Σ importance; docs/reports.md), or null.
  double weighted_profile_gap = analytics::kNull;
  // The previous released campaign on the same framework code with this subject, if any.
  std::string previous_campaign_id;
  std::string previous_campaign_name;
  std::vector<CompetencyChange> changes;  // per competency, framework order; empty if none
  std::vector<VisibleComment> comments;
  size_t withheld_comments = 0;
  bool viewer_is_subject = false;
};

// A campaign's report as the viewer may see it in a list.
struct ReportListing {
  std::string campaign_id;
  std::string campaign_name;
  std::string subject_id;
  std::string subject_name;
  std::string released_at;
  bool shared = false;  // seen through the subject's consent, not as subject or admin
};

// A subject's consent for another account of the partnership to see one report.
struct ReportShareView {
  std::string account_id;
  std::string email;
  std::string display_name;
  std::string shared_at;
};

class ReportService {
 public:
  struct Options {
    Clock clock;  // null: the system clock
    // When set, audit entries (views, exports, shares) are group-committed through it: many
    // concurrent views share one durable transaction. Null: one AppendAudit per entry. Either
    // way a call returns only once its entry is durably in the log. Must outlive the service.
    AuditBatcher* audit_batcher = nullptr;
  };

  // Every store must outlive the service.
  ReportService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                storage::DirectoryStore& directory, storage::ReportShareStore& shares,
                Options options);
  // Stops the background thread (after the body it is rendering, if any).
  ~ReportService();
  ReportService(const ReportService&) = delete;
  ReportService& operator=(const ReportService&) = delete;

  // The figures of a closed or released campaign, computed on first use and cached until the
  // campaign's state changes (a later call re-reads the campaign row only). Concurrent first
  // calls compute once. kNotFound if the campaign is not in the partnership;
  // kFailedPrecondition "… is open: figures exist once it is closed" for draft or open ones;
  // kFailedPrecondition when the context-check framework is needed and not stored.
  Result<std::shared_ptr<const CampaignFigures>> Figures(std::string_view partnership_id,
                                                         std::string_view campaign_id);

  // Subject `subject_id`'s report in campaign `campaign_id` for `viewer`, and an audit entry
  // "report.viewed" (detail names the format: "page", "json", "csv", "xlsx"). Access: an admin
  // sees every report of a released campaign; the subject their own once released; another
  // account only when the subject shared this report with it. kPermissionDenied otherwise, and
  // for everyone (admins too) while the campaign is not released; kNotFound if the campaign is
  // not in the viewer's partnership or the person is not one of its subjects.
  Result<SubjectReport> Report(const Principal& viewer, std::string_view campaign_id,
                               std::string_view subject_id, std::string_view format = "page");

  // The whole campaign's JSON Lines report (formats/report_jsonl.h), one line per subject, for
  // an admin (audit "report.exported"); for a subject, their own line only.
  // kPermissionDenied for other accounts or an unreleased campaign.
  Result<std::string> ReportJsonl(const Principal& viewer, std::string_view campaign_id);

  // The reports `viewer` may open: their own in released campaigns, and those shared with them.
  Result<std::vector<ReportListing>> MyReports(const Principal& viewer);
  // Every subject's report of a released campaign, for an admin (kPermissionDenied otherwise;
  // kFailedPrecondition unless the campaign is released).
  Result<std::vector<ReportListing>> CampaignReports(const Principal& viewer,
                                                     std::string_view campaign_id);

  // The subject shares their report in `campaign_id` with the partnership's account of
  // `email` (a line manager or coach). Only the subject may share (kPermissionDenied);
  // kNotFound "no account with email …" when the partnership has no such account;
  // kInvalidArgument when sharing with oneself; sharing again is OK (no change).
  // Audit "report.shared".
  Status Share(const Principal& viewer, std::string_view campaign_id, std::string_view email);
  // Withdraws a share (audit "report.share_revoked"). kNotFound if there is none.
  Status Revoke(const Principal& viewer, std::string_view campaign_id, std::string_view account_id);
  // The accounts the subject shared this report with (the subject only).
  Result<std::vector<ReportShareView>> Shares(const Principal& viewer,
                                              std::string_view campaign_id);

  // Drops every cached figure and the bodies rendered from them (tests; an operator's reload).
  void ClearCache();
  // The same for one partnership's campaigns (after an erasure there: the figures hold names).
  void ClearCache(std::string_view partnership_id);

  // --- rendered report bodies (docs/reports.md "Prerendering") ---

  // Renders the body of one report page for `report` (its figures, as `report.viewer_is_subject`
  // says who reads it) and keeps it with KeepBody. Set by the web layer (the latest one set is
  // used); returns an id for RemoveBodyRenderer, which waits for a render in progress, so the
  // caller may then destroy what the renderer refers to.
  using BodyRenderer = std::function<Status(const SubjectReport& report)>;
  uint64_t SetBodyRenderer(BodyRenderer renderer);
  // Withdraws renderer `id` if it is still the one set (no-op otherwise).
  void RemoveBodyRenderer(uint64_t id);
  // The body kept for `report`'s subject under `variant` (the web layer's name for who reads it),
  // or null. A body belongs to the build of the figures it was rendered from: when the
  // campaign's state changes (or ClearCache) the figures are rebuilt and their bodies dropped.
  std::shared_ptr<const std::string> Body(const SubjectReport& report, std::string_view variant);
  // Keeps `html` as the body of `report`'s subject under `variant`; ignored when `report` was
  // built from figures that are no longer the campaign's current ones.
  void KeepBody(const SubjectReport& report, std::string_view variant,
                std::shared_ptr<const std::string> html);
  // Queues, for the background thread, the figures of the campaign and the rendering of every
  // subject's body (for an admin or shared viewer, and for the subject when their report holds
  // their own comments); returns at once. Campaigns not released are skipped. No-op without a
  // renderer. Called when a campaign is released (CampaignService::SetReleaseListener) and by
  // PrerenderReleased.
  void Prerender(std::string_view partnership_id, std::string_view campaign_id);
  // Queues Prerender for each partnership's latest released campaign (by released_at; a
  // server's start). Older released campaigns are rendered when first viewed.
  Status PrerenderReleased();
  // How many subjects of the campaign's current figures the background thread has rendered
  // (0 before its figures are built or once they are dropped).
  size_t Prerendered(std::string_view partnership_id, std::string_view campaign_id);
  // Blocks until the background queue is empty and nothing is being rendered (tests, bench).
  void WaitForPrerendering();

 private:
  struct CacheEntry;
  struct Bodies;
  // The report of subject `s` of `figures` for a viewer allowed to see it (no access check, no
  // audit): Report() after its checks, and the prerendering.
  Result<SubjectReport> Assemble(std::shared_ptr<const CampaignFigures> figures, size_t s,
                                 bool viewer_is_subject);
  // The bodies of `figures` when they are their campaign's current figures, else null.
  std::shared_ptr<Bodies> BodiesOf(const std::shared_ptr<const CampaignFigures>& figures);
  void PrerenderNow(const std::string& partnership_id, const std::string& campaign_id);
  void Work();
  Result<std::shared_ptr<const CampaignFigures>> Build(const model::Campaign& campaign);
  Status Audit(const Principal& viewer, std::string action, std::string entity_id,
               std::string detail);
  // The previous released campaign (id, name) on the same framework code with this subject,
  // released before `figures`' campaign; nullopt if none. Computed once per released campaign.
  Result<std::optional<std::pair<std::string, std::string>>> PreviousCampaign(
      const CampaignFigures& figures, std::string_view subject_id);
  // OK when `viewer` is a subject of the released campaign; kPermissionDenied or
  // kFailedPrecondition otherwise.
  Status RequireOwnReleased(const Principal& viewer, std::string_view campaign_id);
  std::string Now() const;

  storage::Store& frameworks_;
  storage::CampaignStore& campaigns_;
  storage::DirectoryStore& directory_;
  storage::ReportShareStore& shares_;
  Options options_;
  std::mutex mu_;  // guards cache_ and each entry's `bodies`
  std::map<std::pair<std::string, std::string>, std::shared_ptr<CacheEntry>> cache_;

  // Bytes of every kept body (Bodies::kMaxBodyBytes bounds it); shared with each Bodies.
  std::shared_ptr<std::atomic<size_t>> body_bytes_ = std::make_shared<std::atomic<size_t>>(0);
  std::mutex renderer_mu_;  // held while rendering, so RemoveBodyRenderer waits for a render
  BodyRenderer renderer_;
  uint64_t renderer_id_ = 0;  // of renderer_; ids count up from 1
  // The background thread (started by the first Prerender) and its queue of campaigns.
  std::mutex work_mu_;
  std::condition_variable work_cv_;
  std::deque<std::pair<std::string, std::string>> queue_;  // (partnership, campaign)
  bool working_ = false;
  bool stopping_ = false;
  std::thread worker_;
};

}  // namespace trellis::service
