// service/report_service.cc — see report_service.h. Figures are built from LoadRatings with
// analytics::Analyse and kept per campaign; everything a report adds (reasons, comments, the
// context reading, changes) is read off those figures.
#include "service/report_service.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <exception>
#include <iostream>
#include <set>
#include <unordered_map>
#include <utility>

#include "core/ids.h"
#include "formats/report_jsonl.h"

namespace trellis::service {
namespace {

using analytics::Aggregate;
using analytics::CampaignAnalysis;
using analytics::IsNull;
using analytics::kNull;
using analytics::ReportGroup;
using analytics::SetLevel;
using model::CampaignState;

constexpr const char* kContextCheckCode = "context-check";

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// `in` with every subject of `subjects` (sorted, a superset of in.subject_ids): a subject
// without rows gets an empty row range.
model::RatingSet Pad(const model::RatingSet& in, const std::vector<std::string>& subjects,
                     size_t item_count) {
  model::RatingSet out;
  out.subject_ids = subjects;
  out.rater_ids = in.rater_ids;
  out.item_count = item_count;
  out.rater.reserve(in.RowCount());
  out.item.reserve(in.RowCount());
  out.group.reserve(in.RowCount());
  out.score.reserve(in.RowCount());
  out.subject_begin.push_back(0);
  std::vector<uint32_t> new_index(in.subject_ids.size(), 0);
  size_t j = 0;
  for (size_t s = 0; s < subjects.size(); ++s) {
    if (j < in.subject_ids.size() && in.subject_ids[j] == subjects[s]) {
      new_index[j] = static_cast<uint32_t>(s);
      for (uint32_t r = in.subject_begin[j]; r < in.subject_begin[j + 1]; ++r) {
        out.rater.push_back(in.rater[r]);
        out.item.push_back(in.item[r]);
        out.group.push_back(in.group[r]);
        out.score.push_back(in.score[r]);
      }
      ++j;
    }
    out.subject_begin.push_back(static_cast<uint32_t>(out.score.size()));
  }
  for (model::RatingComment c : in.comments) {
    c.subject = new_index[c.subject];
    out.comments.push_back(std::move(c));
  }
  return out;
}

// How many raters of each group scored at least one item of [first, end) for subject s
// (rule 1: a rater with no score on the set does not count for it).
std::array<int, model::kRaterGroupCount> GroupCounts(const model::RatingSet& ratings, size_t s,
                                                     uint32_t first, uint32_t end) {
  std::array<std::set<uint32_t>, model::kRaterGroupCount> raters;
  for (uint32_t r = ratings.subject_begin[s]; r < ratings.subject_begin[s + 1]; ++r) {
    if (ratings.item[r] < first || ratings.item[r] >= end) continue;
    if (ratings.score[r] == model::kNotObserved) continue;
    raters[static_cast<int>(ratings.group[r])].insert(ratings.rater[r]);
  }
  std::array<int, model::kRaterGroupCount> out{};
  for (int g = 0; g < model::kRaterGroupCount; ++g) out[g] = static_cast<int>(raters[g].size());
  return out;
}

// The report slot of a rater group (self has none).
ReportGroup SlotOf(model::RaterGroup g) {
  return static_cast<ReportGroup>(static_cast<int>(g) - 1);
}

std::string GroupPlural(ReportGroup g) {
  switch (g) {
    case ReportGroup::kManager:
      return "line managers";
    case ReportGroup::kPeer:
      return "peers";
    case ReportGroup::kDirectReport:
      return "direct reports";
    case ReportGroup::kPartner:
      return "partner colleagues";
    case ReportGroup::kCommunity:
      return "community members";
    case ReportGroup::kOther:
      return "other raters";
    case ReportGroup::kCombined:
      return "raters outside the groups shown";
  }
  return "raters";
}

// Competency set indices of `analysis`, in framework order.
std::vector<size_t> CompetencySets(const CampaignAnalysis& analysis) {
  std::vector<size_t> out;
  for (size_t k = 0; k < analysis.sets.size(); ++k)
    if (analysis.sets[k].level == SetLevel::kCompetency) out.push_back(k);
  return out;
}

// A context-check domain score for the reading: others.mean, else the subject's own answer.
double ContextScore(const CampaignFigures& f, size_t s, std::string_view domain) {
  std::optional<size_t> k = f.SetIndex(SetLevel::kDomain, domain, true);
  if (!k) return kNull;
  const Aggregate& a = f.context.At(s, *k);
  return IsNull(a.others_mean) ? a.self : a.others_mean;
}

}  // namespace

// --- CampaignFigures ---

std::optional<size_t> CampaignFigures::SubjectIndex(std::string_view person_id) const {
  auto it = std::lower_bound(ratings.subject_ids.begin(), ratings.subject_ids.end(), person_id);
  if (it == ratings.subject_ids.end() || *it != person_id) return std::nullopt;
  return static_cast<size_t>(it - ratings.subject_ids.begin());
}

std::optional<size_t> CampaignFigures::SetIndex(SetLevel level, std::string_view code,
                                                bool context_sets) const {
  const CampaignAnalysis& a = context_sets ? context : competencies;
  for (size_t k = 0; k < a.sets.size(); ++k)
    if (a.sets[k].level == level && a.sets[k].code == code) return k;
  return std::nullopt;
}

// --- reasons and comments ---

std::string WithheldReason(const CampaignFigures& f, size_t s, size_t k, ReportGroup group) {
  const Aggregate& a = f.competencies.At(s, k);
  if (a.GroupShown(group)) return "";
  const analytics::ItemSet& set = f.competencies.sets[k];
  const auto counts = GroupCounts(f.ratings, s, set.first_item, set.end_item);
  const int m = f.campaign.min_group;
  const std::string fewer = "fewer than " + std::to_string(m) + " ";
  if (group == ReportGroup::kManager) {
    return counts[static_cast<int>(model::RaterGroup::kManager)] == 0 ? "no line manager answered"
                                                                      : "";
  }
  if (group == ReportGroup::kCombined) {
    int rest = 0;
    for (int g = static_cast<int>(model::RaterGroup::kPeer); g < model::kRaterGroupCount; ++g)
      if (!a.GroupShown(SlotOf(static_cast<model::RaterGroup>(g)))) rest += counts[g];
    if (rest == 0) return "";
    return fewer + GroupPlural(ReportGroup::kCombined) + " answered";
  }
  const int n = counts[static_cast<int>(group) + 1];
  if (n == 0) return "no " + GroupPlural(group) + " answered";
  if (n < m) {
    return fewer + GroupPlural(group) + " answered" +
           (a.GroupShown(ReportGroup::kCombined) ? "; their answers count in combined" : "");
  }
  return "merged into combined so that no figure rests on fewer than " + std::to_string(m) +
         " raters";
}

std::string OthersWithheldReason(const CampaignFigures& f, size_t s, size_t k, bool context) {
  const CampaignAnalysis& analysis = context ? f.context : f.competencies;
  const Aggregate& a = analysis.At(s, k);
  if (!IsNull(a.others_mean)) return "";
  if (a.others_n == 0) return "no raters answered";
  return "fewer than " + std::to_string(f.campaign.min_group) +
         " raters other than the line manager answered";
}

std::vector<VisibleComment> VisibleComments(const CampaignFigures& f, size_t s, size_t* withheld) {
  std::vector<VisibleComment> out;
  size_t hidden = 0;
  const std::string& subject_id = f.ratings.subject_ids[s];
  auto range = std::equal_range(
      f.comments.begin(), f.comments.end(), subject_id, [](const auto& x, const auto& y) {
        if constexpr (std::is_same_v<std::decay_t<decltype(x)>, std::string>) {
          return x < y.subject_id;
        } else {
          return x.subject_id < y;
        }
      });
  for (auto it = range.first; it != range.second; ++it) {
    std::optional<size_t> k = f.SetIndex(SetLevel::kDomain, it->domain_code);
    if (!k) {
      ++hidden;
      continue;
    }
    VisibleComment c;
    c.domain_code = it->domain_code;
    c.text = it->text;
    if (it->group == model::RaterGroup::kSelf) {
      c.self = true;
      out.push_back(std::move(c));
      continue;
    }
    const Aggregate& a = f.competencies.At(s, *k);
    const ReportGroup slot = SlotOf(it->group);
    if (a.GroupShown(slot)) {
      c.group = slot;
    } else if (model::IsAnonymous(it->group) && a.GroupShown(ReportGroup::kCombined)) {
      c.group = ReportGroup::kCombined;
    } else {
      ++hidden;
      continue;
    }
    out.push_back(std::move(c));
  }
  // Domain in framework order, then self first and groups in report order, then text: nothing
  // of the submission order survives.
  auto domain_rank = [&](const std::string& code) {
    return f.SetIndex(SetLevel::kDomain, code).value_or(0);
  };
  std::sort(out.begin(), out.end(), [&](const VisibleComment& x, const VisibleComment& y) {
    const size_t dx = domain_rank(x.domain_code), dy = domain_rank(y.domain_code);
    if (dx != dy) return dx < dy;
    const int gx = x.self ? -1 : static_cast<int>(x.group);
    const int gy = y.self ? -1 : static_cast<int>(y.group);
    if (gx != gy) return gx < gy;
    return x.text < y.text;
  });
  if (withheld) *withheld = hidden;
  return out;
}

// --- ReportService ---

// The rendered bodies of one build of a campaign's figures: subject id '\n' variant → HTML.
// Bounded for the whole service: past kMaxBodyBytes no more are kept (views then render as
// before); a body of the bench's 75-item framework is ~115 KB, so 5,000 subjects take ~560 MB.
struct ReportService::Bodies {
  static constexpr size_t kMaxBodyBytes = size_t{1} << 30;
  explicit Bodies(std::shared_ptr<std::atomic<size_t>> total) : total_bytes(std::move(total)) {}
  ~Bodies() { total_bytes->fetch_sub(bytes); }
  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> html;
  size_t bytes = 0;                                  // of `html`, counted in *total_bytes too
  size_t prerendered = 0;                            // subjects rendered by the background thread
  std::shared_ptr<std::atomic<size_t>> total_bytes;  // of every Bodies of the service
};

struct ReportService::CacheEntry {
  std::mutex mu;  // held while building, so concurrent first calls build once
  std::shared_ptr<const CampaignFigures> figures;
  // subject id → the previous released campaign on the same framework code (id, name); filled
  // on the first report view of a released campaign (the set of earlier releases is then fixed).
  std::optional<std::map<std::string, std::pair<std::string, std::string>>> previous;
  // Guarded by ReportService::mu_: the figures the bodies were rendered from (the entry's
  // current ones) and the bodies; both replaced whenever the figures are.
  std::shared_ptr<const CampaignFigures> bodies_of;
  std::shared_ptr<Bodies> bodies;
};

ReportService::ReportService(storage::Store& frameworks, storage::CampaignStore& campaigns,
                             storage::DirectoryStore& directory, storage::ReportShareStore& shares,
                             Options options)
    : frameworks_(frameworks),
      campaigns_(campaigns),
      directory_(directory),
      shares_(shares),
      options_(std::move(options)) {}

ReportService::~ReportService() {
  {
    std::lock_guard<std::mutex> lock(work_mu_);
    stopping_ = true;
    queue_.clear();
  }
  work_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

std::string ReportService::Now() const {
  return UtcText(options_.clock ? options_.clock() : SystemNow());
}

void ReportService::ClearCache() {
  std::lock_guard<std::mutex> lock(mu_);
  cache_.clear();
}

void ReportService::ClearCache(std::string_view partnership_id) {
  std::lock_guard<std::mutex> lock(mu_);
  const std::string pid(partnership_id);
  auto it = cache_.lower_bound({pid, std::string()});
  while (it != cache_.end() && it->first.first == pid) it = cache_.erase(it);
}

Result<std::shared_ptr<const CampaignFigures>> ReportService::Figures(
    std::string_view partnership_id, std::string_view campaign_id) {
  std::shared_ptr<CacheEntry> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto key = std::make_pair(std::string(partnership_id), std::string(campaign_id));
    auto it = cache_.find(key);
    if (it == cache_.end()) it = cache_.emplace(key, std::make_shared<CacheEntry>()).first;
    entry = it->second;
  }
  {
    // Released is the last state: figures built then never go stale, so no database read.
    std::lock_guard<std::mutex> lock(entry->mu);
    if (entry->figures && entry->figures->campaign.state == CampaignState::kReleased)
      return entry->figures;
  }
  Result<model::Campaign> campaign = campaigns_.GetCampaign(partnership_id, campaign_id);
  if (!campaign.ok()) return campaign.status();
  if (!model::HasFigures(campaign->state)) {
    return Status::FailedPrecondition("campaign " + Quoted(campaign->name) + " is " +
                                      std::string(model::CampaignStateName(campaign->state)) +
                                      ": figures exist once it is closed");
  }
  std::lock_guard<std::mutex> lock(entry->mu);
  if (entry->figures && entry->figures->campaign.state == campaign->state) return entry->figures;
  Result<std::shared_ptr<const CampaignFigures>> built = Build(*campaign);
  if (!built.ok()) return built.status();
  entry->figures = *built;
  entry->previous.reset();
  {
    // New figures, new bodies: nothing rendered from the old ones is served again.
    std::lock_guard<std::mutex> guard(mu_);
    entry->bodies_of = entry->figures;
    entry->bodies = std::make_shared<Bodies>(body_bytes_);
  }
  return entry->figures;
}

Result<std::shared_ptr<const CampaignFigures>> ReportService::Build(
    const model::Campaign& campaign) {
  auto f = std::make_shared<CampaignFigures>();
  f->campaign = campaign;
  Result<storage::StoredFramework> framework =
      frameworks_.GetFramework(campaign.framework_code, campaign.framework_version);
  if (!framework.ok()) return framework.status();
  f->framework = std::move(framework->framework);
  if (campaign.context_check) {
    Result<storage::StoredFramework> context =
        frameworks_.GetFramework(kContextCheckCode, campaign.context_check_version);
    if (!context.ok()) {
      if (context.status().code() != StatusCode::kNotFound) return context.status();
      return Status::FailedPrecondition(
          "the context-check framework is not stored: import frameworks/context-check.json");
    }
    f->context_framework = std::move(context->framework);
  }
  const model::Framework* context_framework =
      f->context_framework ? &*f->context_framework : nullptr;
  Result<storage::CampaignRatings> loaded =
      campaigns_.LoadRatings(campaign.partnership_id, campaign.id, f->framework, context_framework);
  if (!loaded.ok()) return loaded.status();

  // Every subject of the campaign, in byte order, so index s is one subject everywhere.
  std::set<std::string> ids(campaign.subject_ids.begin(), campaign.subject_ids.end());
  ids.insert(loaded->competencies.subject_ids.begin(), loaded->competencies.subject_ids.end());
  ids.insert(loaded->context_check.subject_ids.begin(), loaded->context_check.subject_ids.end());
  const std::vector<std::string> subjects(ids.begin(), ids.end());
  f->ratings = Pad(loaded->competencies, subjects, f->framework.ItemCount());
  const model::RatingSet context_ratings =
      Pad(loaded->context_check, subjects, context_framework ? context_framework->ItemCount() : 0);

  storage::PersonFilter filter;
  filter.include_erased = true;
  Result<std::vector<storage::StoredPerson>> people =
      directory_.ListPeople(campaign.partnership_id, filter);
  if (!people.ok()) return people.status();
  Result<std::vector<model::Organisation>> orgs =
      directory_.ListOrganisations(campaign.partnership_id);
  if (!orgs.ok()) return orgs.status();
  std::map<std::string, const model::Person*, std::less<>> person_by_id;
  for (const storage::StoredPerson& p : *people) person_by_id[p.person.id] = &p.person;
  std::map<std::string, model::Sector, std::less<>> sector_by_org;
  for (const model::Organisation& o : *orgs) sector_by_org[o.id] = o.sector;

  std::vector<const model::RoleProfile*> profile_ptrs;
  f->subjects.reserve(subjects.size());
  f->profiles.reserve(subjects.size());
  for (const std::string& id : subjects) {
    SubjectAttributes a;
    a.person_id = id;
    auto p = person_by_id.find(id);
    if (p != person_by_id.end()) {
      a.name = p->second->name;
      a.organisation_id = p->second->organisation_id;
      a.level = p->second->level;
      a.function = p->second->function;
      auto o = sector_by_org.find(a.organisation_id);
      if (o != sector_by_org.end()) a.sector = o->second;
      f->profiles.push_back(f->framework.EffectiveProfile(a.level, a.function));
    } else {
      f->profiles.push_back(std::nullopt);
    }
    f->subjects.push_back(std::move(a));
  }
  for (const auto& p : f->profiles) profile_ptrs.push_back(p ? &*p : nullptr);

  analytics::AnalysisOptions options;
  options.min_group = campaign.min_group;
  Result<CampaignAnalysis> analysis =
      analytics::Analyse(f->framework, f->ratings, profile_ptrs, options);
  if (!analysis.ok()) return analysis.status();
  f->competencies = std::move(*analysis);
  if (context_framework) {
    Result<CampaignAnalysis> context =
        analytics::Analyse(*context_framework, context_ratings, {}, options);
    if (!context.ok()) return context.status();
    f->context = std::move(*context);
  }
  f->comments = std::move(loaded->comments);
  std::stable_sort(f->comments.begin(), f->comments.end(),
                   [](const storage::DomainComment& x, const storage::DomainComment& y) {
                     return std::tie(x.subject_id, x.domain_code, x.text) <
                            std::tie(y.subject_id, y.domain_code, y.text);
                   });
  return std::shared_ptr<const CampaignFigures>(std::move(f));
}

Status ReportService::Audit(const Principal& viewer, std::string action, std::string entity_id,
                            std::string detail) {
  storage::AuditEntry e;
  e.partnership_id = viewer.partnership_id;
  e.at = Now();
  e.actor = viewer.account_id;
  e.action = std::move(action);
  e.entity_type = "report";
  e.entity_id = std::move(entity_id);
  e.detail = std::move(detail);
  if (options_.audit_batcher != nullptr) return options_.audit_batcher->Append(std::move(e));
  return directory_.AppendAudit(e);
}

Result<SubjectReport> ReportService::Report(const Principal& viewer, std::string_view campaign_id,
                                            std::string_view subject_id, std::string_view format) {
  Result<std::shared_ptr<const CampaignFigures>> figures =
      Figures(viewer.partnership_id, campaign_id);
  if (!figures.ok()) {
    // A campaign without figures has no reports to see: refuse as for an unreleased one.
    if (figures.status().code() == StatusCode::kFailedPrecondition)
      return Status::PermissionDenied("the reports of this campaign are not released");
    return figures.status();
  }
  const CampaignFigures& f = **figures;
  if (f.campaign.state != CampaignState::kReleased)
    return Status::PermissionDenied("the reports of this campaign are not released");
  // Access first, then whether `subject_id` was assessed: a viewer who may not see the report
  // cannot learn from the answer who was a subject of the campaign.
  const bool is_subject = !viewer.person_id.empty() && viewer.person_id == subject_id;
  bool allowed = viewer.role == model::Role::kAdmin || is_subject;
  if (!allowed) {
    Result<std::vector<storage::ReportShare>> shares =
        shares_.SharesOfReport(viewer.partnership_id, campaign_id, subject_id);
    if (!shares.ok()) return shares.status();
    for (const storage::ReportShare& sh : *shares)
      if (sh.account_id == viewer.account_id) allowed = true;
  }
  if (!allowed) return Status::PermissionDenied("this report has not been shared with you");
  std::optional<size_t> s = f.SubjectIndex(subject_id);
  if (!s) {
    return Status::NotFound("no subject " + Quoted(subject_id) + " in campaign " +
                            Quoted(f.campaign.name));
  }
  TRELLIS_RETURN_IF_ERROR(Audit(viewer, "report.viewed",
                                std::string(campaign_id) + "/" + std::string(subject_id),
                                "format=" + std::string(format)));
  return Assemble(*figures, *s, is_subject);
}

Result<SubjectReport> ReportService::Assemble(std::shared_ptr<const CampaignFigures> figures,
                                              size_t subject, bool viewer_is_subject) {
  const CampaignFigures& f = *figures;
  const std::string& subject_id = f.subjects[subject].person_id;
  SubjectReport r;
  r.figures = figures;
  r.subject = subject;
  r.viewer_is_subject = viewer_is_subject;
  r.comments = VisibleComments(f, subject, &r.withheld_comments);

  // Role profile and the importance weighting.
  const std::vector<size_t> comp_sets = CompetencySets(f.competencies);
  const std::optional<model::RoleProfile>& profile = f.profiles[subject];
  double weighted_sum = 0, weight = 0;
  for (size_t k : comp_sets) {
    std::optional<model::Expectation> e;
    if (profile) {
      auto it = profile->expectations.find(f.competencies.sets[k].code);
      if (it != profile->expectations.end()) e = it->second;
    }
    const double gap = f.competencies.At(subject, k).profile_gap;
    double weighted = kNull;
    if (e && !IsNull(gap)) {
      weighted = e->importance * gap;
      weighted_sum += weighted;
      weight += e->importance;
    }
    r.expectations.push_back(e);
    r.weighted_gaps.push_back(weighted);
  }
  if (weight > 0) r.weighted_profile_gap = weighted_sum / weight;

  // Competence vs context.
  if (f.context_framework) {
    const double capacity = ContextScore(f, subject, "CAP");
    const double commitment = ContextScore(f, subject, "COM");
    const double context = ContextScore(f, subject, "CTX");
    for (size_t i = 0; i < comp_sets.size(); ++i) {
      analytics::ContextInputs in;
      in.competency = f.competencies.At(subject, comp_sets[i]).others_mean;
      if (r.expectations[i]) in.expected = r.expectations[i]->level;
      in.capacity = capacity;
      in.commitment = commitment;
      in.context = context;
      in.scale_min = f.framework.scale.min;
      in.scale_max = f.framework.scale.max;
      in.context_scale_min = f.context_framework->scale.min;
      in.context_scale_max = f.context_framework->scale.max;
      r.context_readings.push_back(analytics::ReadContext(in));
    }
  }

  // Change since the previous released campaign on the same framework code.
  Result<std::optional<std::pair<std::string, std::string>>> previous =
      PreviousCampaign(f, subject_id);
  if (!previous.ok()) return previous.status();
  if (*previous) {
    Result<std::shared_ptr<const CampaignFigures>> before =
        Figures(f.campaign.partnership_id, (*previous)->first);
    if (!before.ok()) return before.status();
    std::optional<size_t> bs = (*before)->SubjectIndex(subject_id);
    if (bs) {
      r.previous_campaign_id = (*previous)->first;
      r.previous_campaign_name = (*previous)->second;
      for (size_t k : comp_sets) {
        CompetencyChange c;
        c.code = f.competencies.sets[k].code;
        std::optional<size_t> bk = (*before)->SetIndex(SetLevel::kCompetency, c.code);
        if (bk) c.previous = (*before)->competencies.At(*bs, *bk).others_mean;
        const double now = f.competencies.At(subject, k).others_mean;
        if (!IsNull(now) && !IsNull(c.previous)) c.change = now - c.previous;
        r.changes.push_back(std::move(c));
      }
    }
  }
  return r;
}

Result<std::optional<std::pair<std::string, std::string>>> ReportService::PreviousCampaign(
    const CampaignFigures& f, std::string_view subject_id) {
  std::shared_ptr<CacheEntry> entry;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(std::make_pair(f.campaign.partnership_id, f.campaign.id));
    if (it == cache_.end()) return std::optional<std::pair<std::string, std::string>>();
    entry = it->second;
  }
  std::lock_guard<std::mutex> lock(entry->mu);
  if (!entry->previous) {
    Result<std::vector<model::Campaign>> all = campaigns_.ListCampaigns(f.campaign.partnership_id);
    if (!all.ok()) return all.status();
    std::map<std::string, std::pair<std::string, std::string>> previous;
    std::map<std::string, std::string> released_at;
    for (const model::Campaign& c : *all) {
      if (c.id == f.campaign.id || c.state != CampaignState::kReleased ||
          c.framework_code != f.campaign.framework_code ||
          !(c.released_at < f.campaign.released_at))
        continue;
      for (const std::string& subject : c.subject_ids) {
        auto it = released_at.find(subject);
        if (it != released_at.end() && it->second >= c.released_at) continue;
        released_at[subject] = c.released_at;
        previous[subject] = {c.id, c.name};
      }
    }
    entry->previous = std::move(previous);
  }
  auto it = entry->previous->find(std::string(subject_id));
  if (it == entry->previous->end()) return std::optional<std::pair<std::string, std::string>>();
  return std::optional<std::pair<std::string, std::string>>(it->second);
}

Result<std::string> ReportService::ReportJsonl(const Principal& viewer,
                                               std::string_view campaign_id) {
  const bool admin = viewer.role == model::Role::kAdmin;
  if (!admin && viewer.person_id.empty())
    return Status::PermissionDenied("only admins and subjects may export reports");
  Result<std::shared_ptr<const CampaignFigures>> figures =
      Figures(viewer.partnership_id, campaign_id);
  if (!figures.ok()) {
    if (figures.status().code() == StatusCode::kFailedPrecondition)
      return Status::PermissionDenied("the reports of this campaign are not released");
    return figures.status();
  }
  const CampaignFigures& f = **figures;
  if (f.campaign.state != CampaignState::kReleased)
    return Status::PermissionDenied("the reports of this campaign are not released");
  std::string out;
  if (admin) {
    for (size_t s = 0; s < f.ratings.subject_ids.size(); ++s)
      formats::AppendReportLine(f.competencies, s, f.ratings.subject_ids[s], &out);
    TRELLIS_RETURN_IF_ERROR(
        Audit(viewer, "report.exported", std::string(campaign_id), "format=jsonl; all subjects"));
    return out;
  }
  std::optional<size_t> s = f.SubjectIndex(viewer.person_id);
  if (!s) return Status::PermissionDenied("you are not a subject of this campaign");
  formats::AppendReportLine(f.competencies, *s, f.ratings.subject_ids[*s], &out);
  TRELLIS_RETURN_IF_ERROR(Audit(viewer, "report.viewed",
                                std::string(campaign_id) + "/" + viewer.person_id, "format=jsonl"));
  return out;
}

Result<std::vector<ReportListing>> ReportService::MyReports(const Principal& viewer) {
  std::vector<ReportListing> out;
  Result<std::vector<model::Campaign>> all = campaigns_.ListCampaigns(viewer.partnership_id);
  if (!all.ok()) return all.status();
  std::map<std::string, const model::Campaign*> by_id;
  for (const model::Campaign& c : *all) by_id[c.id] = &c;
  if (!viewer.person_id.empty()) {
    Result<storage::StoredPerson> me =
        directory_.GetPerson(viewer.partnership_id, viewer.person_id);
    const std::string my_name = me.ok() ? me->person.name : viewer.display_name;
    for (const model::Campaign& c : *all) {
      if (c.state != CampaignState::kReleased) continue;
      if (!std::binary_search(c.subject_ids.begin(), c.subject_ids.end(), viewer.person_id))
        continue;
      out.push_back({c.id, c.name, viewer.person_id, my_name, c.released_at, false});
    }
  }
  Result<std::vector<storage::ReportShare>> shared =
      shares_.SharesWithAccount(viewer.partnership_id, viewer.account_id);
  if (!shared.ok()) return shared.status();
  for (const storage::ReportShare& sh : *shared) {
    auto it = by_id.find(sh.campaign_id);
    if (it == by_id.end() || it->second->state != CampaignState::kReleased) continue;
    Result<storage::StoredPerson> p = directory_.GetPerson(viewer.partnership_id, sh.subject_id);
    out.push_back({sh.campaign_id, it->second->name, sh.subject_id, p.ok() ? p->person.name : "",
                   it->second->released_at, true});
  }
  return out;
}

Result<std::vector<ReportListing>> ReportService::CampaignReports(const Principal& viewer,
                                                                  std::string_view campaign_id) {
  if (viewer.role != model::Role::kAdmin)
    return Status::PermissionDenied("only admins see every report of a campaign");
  Result<std::shared_ptr<const CampaignFigures>> figures =
      Figures(viewer.partnership_id, campaign_id);
  if (!figures.ok()) return figures.status();
  const CampaignFigures& f = **figures;
  if (f.campaign.state != CampaignState::kReleased) {
    return Status::FailedPrecondition("campaign " + Quoted(f.campaign.name) +
                                      " is closed: release it to open its reports");
  }
  std::vector<ReportListing> out;
  for (const SubjectAttributes& a : f.subjects)
    out.push_back(
        {f.campaign.id, f.campaign.name, a.person_id, a.name, f.campaign.released_at, false});
  std::stable_sort(out.begin(), out.end(), [](const ReportListing& x, const ReportListing& y) {
    return x.subject_name < y.subject_name;
  });
  return out;
}

Status ReportService::RequireOwnReleased(const Principal& viewer, std::string_view campaign_id) {
  if (viewer.person_id.empty())
    return Status::PermissionDenied("only the subject of a report may share it");
  Result<model::Campaign> c = campaigns_.GetCampaign(viewer.partnership_id, campaign_id);
  if (!c.ok()) return c.status();
  if (!std::binary_search(c->subject_ids.begin(), c->subject_ids.end(), viewer.person_id))
    return Status::PermissionDenied("only the subject of a report may share it");
  if (c->state != CampaignState::kReleased)
    return Status::FailedPrecondition("the reports of this campaign are not released yet");
  return Status::Ok();
}

Status ReportService::Share(const Principal& viewer, std::string_view campaign_id,
                            std::string_view email) {
  TRELLIS_RETURN_IF_ERROR(RequireOwnReleased(viewer, campaign_id));
  Result<std::optional<storage::StoredAccount>> found =
      storage::FindPartnershipAccountByEmail(directory_, viewer.partnership_id, email);
  if (!found.ok()) return found.status();
  if (!*found) {
    return Status::NotFound("no account with email " + Quoted(email) +
                            " in this partnership; ask an admin to create one");
  }
  const model::Account& to = (*found)->account;
  if (to.id == viewer.account_id)
    return Status::InvalidArgument("field 'email': you can already see your own report");
  Status added = shares_.AddShare(
      {viewer.partnership_id, std::string(campaign_id), viewer.person_id, to.id, Now()});
  if (added.code() == StatusCode::kAlreadyExists) return Status::Ok();
  TRELLIS_RETURN_IF_ERROR(added);
  return Audit(viewer, "report.shared", std::string(campaign_id) + "/" + viewer.person_id,
               "account=" + to.id);
}

Status ReportService::Revoke(const Principal& viewer, std::string_view campaign_id,
                             std::string_view account_id) {
  if (viewer.person_id.empty())
    return Status::PermissionDenied("only the subject of a report may revoke a share");
  TRELLIS_RETURN_IF_ERROR(
      shares_.RemoveShare(viewer.partnership_id, campaign_id, viewer.person_id, account_id));
  return Audit(viewer, "report.share_revoked", std::string(campaign_id) + "/" + viewer.person_id,
               "account=" + std::string(account_id));
}

Result<std::vector<ReportShareView>> ReportService::Shares(const Principal& viewer,
                                                           std::string_view campaign_id) {
  if (viewer.person_id.empty())
    return Status::PermissionDenied("only the subject of a report sees whom it is shared with");
  Result<std::vector<storage::ReportShare>> shares =
      shares_.SharesOfReport(viewer.partnership_id, campaign_id, viewer.person_id);
  if (!shares.ok()) return shares.status();
  std::vector<ReportShareView> out;
  for (const storage::ReportShare& sh : *shares) {
    Result<storage::StoredAccount> a = directory_.GetAccount(viewer.partnership_id, sh.account_id);
    if (!a.ok()) return a.status();
    out.push_back({sh.account_id, a->account.email, a->account.display_name, sh.shared_at});
  }
  return out;
}

// --- rendered bodies and the background thread ---

uint64_t ReportService::SetBodyRenderer(BodyRenderer renderer) {
  static std::atomic<uint64_t> next_id{1};
  std::lock_guard<std::mutex> lock(renderer_mu_);
  renderer_ = std::move(renderer);
  renderer_id_ = next_id.fetch_add(1);
  return renderer_id_;
}

void ReportService::RemoveBodyRenderer(uint64_t id) {
  std::lock_guard<std::mutex> lock(renderer_mu_);
  if (id != renderer_id_) return;
  renderer_ = nullptr;
  renderer_id_ = 0;
}

std::shared_ptr<ReportService::Bodies> ReportService::BodiesOf(
    const std::shared_ptr<const CampaignFigures>& figures) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = cache_.find(std::make_pair(figures->campaign.partnership_id, figures->campaign.id));
  if (it == cache_.end() || it->second->bodies_of != figures) return nullptr;
  return it->second->bodies;
}

std::shared_ptr<const std::string> ReportService::Body(const SubjectReport& report,
                                                       std::string_view variant) {
  std::shared_ptr<Bodies> bodies = BodiesOf(report.figures);
  if (bodies == nullptr) return nullptr;
  std::string key = report.figures->subjects[report.subject].person_id;
  key += '\n';
  key += variant;
  std::lock_guard<std::mutex> lock(bodies->mu);
  auto it = bodies->html.find(key);
  return it == bodies->html.end() ? nullptr : it->second;
}

void ReportService::KeepBody(const SubjectReport& report, std::string_view variant,
                             std::shared_ptr<const std::string> html) {
  std::shared_ptr<Bodies> bodies = BodiesOf(report.figures);
  if (bodies == nullptr || html == nullptr) return;
  std::string key = report.figures->subjects[report.subject].person_id;
  key += '\n';
  key += variant;
  std::lock_guard<std::mutex> lock(bodies->mu);
  if (bodies->html.count(key) > 0) return;
  if (bodies->total_bytes->fetch_add(html->size()) + html->size() > Bodies::kMaxBodyBytes) {
    bodies->total_bytes->fetch_sub(html->size());
    return;
  }
  bodies->bytes += html->size();
  bodies->html.emplace(std::move(key), std::move(html));
}

size_t ReportService::Prerendered(std::string_view partnership_id, std::string_view campaign_id) {
  std::shared_ptr<Bodies> bodies;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = cache_.find(std::make_pair(std::string(partnership_id), std::string(campaign_id)));
    if (it == cache_.end() || it->second->bodies == nullptr) return 0;
    bodies = it->second->bodies;
  }
  std::lock_guard<std::mutex> lock(bodies->mu);
  return bodies->prerendered;
}

void ReportService::Prerender(std::string_view partnership_id, std::string_view campaign_id) {
  {
    std::lock_guard<std::mutex> lock(renderer_mu_);
    if (!renderer_) return;
  }
  std::lock_guard<std::mutex> lock(work_mu_);
  if (stopping_) return;
  queue_.emplace_back(std::string(partnership_id), std::string(campaign_id));
  if (!worker_.joinable()) worker_ = std::thread([this] { Work(); });
  work_cv_.notify_all();
}

Status ReportService::PrerenderReleased() {
  Result<std::vector<model::Partnership>> partnerships = directory_.ListPartnerships();
  if (!partnerships.ok()) return partnerships.status();
  for (const model::Partnership& p : *partnerships) {
    Result<std::vector<model::Campaign>> campaigns = campaigns_.ListCampaigns(p.id);
    if (!campaigns.ok()) return campaigns.status();
    // Only the latest release (of two released in the same second, the newer campaign: the
    // list is newest first): older campaigns are rendered when first viewed, so a start holds
    // one campaign's figures per partnership, not every campaign's.
    const model::Campaign* latest = nullptr;
    for (const model::Campaign& c : *campaigns) {
      if (c.state != CampaignState::kReleased) continue;
      if (latest == nullptr || c.released_at > latest->released_at) latest = &c;
    }
    if (latest != nullptr) Prerender(p.id, latest->id);
  }
  return Status::Ok();
}

void ReportService::WaitForPrerendering() {
  std::unique_lock<std::mutex> lock(work_mu_);
  work_cv_.wait(lock, [this] { return (queue_.empty() && !working_) || stopping_; });
}

void ReportService::Work() {
  // Below the request threads: prerendering uses the cores the views leave idle.
  setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), 10);
  for (;;) {
    std::pair<std::string, std::string> job;
    {
      std::unique_lock<std::mutex> lock(work_mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
      working_ = true;
    }
    try {
      PrerenderNow(job.first, job.second);
    } catch (const std::exception& e) {
      // Building the figures threw: the campaign's views build them again when asked.
      std::cerr << "trellis: prerendering the reports of " << job.second
                << ": exception: " << e.what() << "\n";
    }
    {
      std::lock_guard<std::mutex> lock(work_mu_);
      working_ = false;
    }
    work_cv_.notify_all();
  }
}

void ReportService::PrerenderNow(const std::string& partnership_id,
                                 const std::string& campaign_id) {
  Result<std::shared_ptr<const CampaignFigures>> figures = Figures(partnership_id, campaign_id);
  if (!figures.ok()) {
    if (figures.status().code() != StatusCode::kFailedPrecondition) {
      std::cerr << "trellis: prerendering the reports of " << campaign_id << ": "
                << figures.status().ToString() << "\n";
    }
    return;
  }
  if ((*figures)->campaign.state != CampaignState::kReleased) return;
  std::shared_ptr<Bodies> bodies = BodiesOf(*figures);
  if (bodies == nullptr) return;  // the figures were replaced meanwhile
  for (size_t s = 0; s < (*figures)->subjects.size(); ++s) {
    {
      std::lock_guard<std::mutex> lock(work_mu_);
      if (stopping_) return;
    }
    if (BodiesOf(*figures) != bodies) return;  // dropped meanwhile (ClearCache): views render
    // For an admin or a shared viewer; and for the subject, whose page differs when their own
    // comments are shown (the web layer keeps one body when both read the same).
    try {
      for (const bool subject_view : {false, true}) {
        Result<SubjectReport> report = Assemble(*figures, s, subject_view);
        if (!report.ok()) {
          std::cerr << "trellis: prerendering a report of " << campaign_id << ": "
                    << report.status().ToString() << "\n";
          return;
        }
        std::lock_guard<std::mutex> lock(renderer_mu_);
        if (!renderer_) return;
        Status rendered = renderer_(*report);
        if (!rendered.ok()) {
          std::cerr << "trellis: prerendering a report of " << campaign_id << ": "
                    << rendered.ToString() << "\n";
          return;
        }
      }
    } catch (const std::exception& e) {
      // One report that cannot be rendered: its view renders it when asked (and says why);
      // the other subjects are still prerendered.
      std::cerr << "trellis: prerendering the report of subject "
                << (*figures)->subjects[s].person_id << " in " << campaign_id
                << ": exception: " << e.what() << "\n";
      continue;
    }
    std::lock_guard<std::mutex> lock(bodies->mu);
    ++bodies->prerendered;
  }
}

}  // namespace trellis::service
