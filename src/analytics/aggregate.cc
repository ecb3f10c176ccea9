// analytics/aggregate.cc — rules 1–9 of DESIGN.md "Analysis semantics" (see aggregate.h).
// Per subject the ratings become a small dense matrix raters × items; since every item set is a
// contiguous item range, per-rater prefix sums give each rater's score on any set in O(1).
// Subjects are independent, so blocks of subjects are computed in parallel; percentiles (rule 7)
// and the summary need every subject and run afterwards.
#include "analytics/aggregate.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <thread>
#include <unordered_map>
#include <utility>

#include "analytics/reliability.h"
#include "core/parallel.h"

namespace trellis::analytics {
namespace {

using model::RaterGroup;

constexpr size_t kSubjectsPerBlock = 64;

struct CompetencyRange {
  uint32_t first = 0, end = 0;
  const std::string* code = nullptr;
};

// Per-thread scratch space, reused across subjects to avoid allocation in the loop.
struct Workspace {
  std::vector<int32_t> local_of;        // global rater → local index, −1 when absent
  std::vector<uint32_t> raters;         // local → global rater, sorted by global id
  std::vector<RaterGroup> group;        // local → group
  std::vector<int8_t> matrix;           // local rater × item; kNotObserved = no score
  std::vector<int32_t> prefix_sum;      // local rater × (item + 1)
  std::vector<int32_t> prefix_count;    // local rater × (item + 1)
  std::vector<double> item_variance;    // per item: non-self sample variance, NaN if < 2 scores
  std::vector<AlphaAccumulator> alpha;  // per competency
  size_t responses = 0, not_observed = 0;
  // The first subject (of this worker) whose rows break the invariants of model::RatingSet
  // (a rater in two groups, or two ratings of one item by one rater), and how.
  size_t broken_subject = SIZE_MAX;
  bool broken_by_group = false;
};

// The expected level of a profile on each set (rule 8; docs/analysis.md for domain/overall):
// competency sets the profile's level; domain and overall sets the importance-weighted mean of
// the levels of their competencies, only when the profile sets every one of them; items null.
std::vector<double> ExpectedLevels(const model::RoleProfile& profile,
                                   const std::vector<ItemSet>& sets,
                                   const std::vector<CompetencyRange>& competencies) {
  std::vector<double> expected(sets.size(), kNull);
  for (size_t k = 0; k < sets.size(); ++k) {
    const ItemSet& set = sets[k];
    if (set.level == SetLevel::kItem) continue;
    double weighted = 0, weights = 0;
    bool complete = true;
    for (const CompetencyRange& c : competencies) {
      if (c.first < set.first_item || c.end > set.end_item) continue;
      auto it = profile.expectations.find(*c.code);
      if (it == profile.expectations.end()) {
        complete = false;
        break;
      }
      weighted += static_cast<double>(it->second.importance) * it->second.level;
      weights += it->second.importance;
    }
    if (complete && weights > 0) expected[k] = weighted / weights;
  }
  return expected;
}

// A score that is neither on `scale` nor model::kNotObserved (a scale has at most 101 points).
int8_t UnsetScore(const model::Scale& scale) {
  for (int v = std::numeric_limits<int8_t>::max(); v > std::numeric_limits<int8_t>::min(); --v)
    if (v < scale.min || v > scale.max) return static_cast<int8_t>(v);
  return model::kNotObserved;  // unreachable for a valid scale
}

class SubjectComputer {
 public:
  SubjectComputer(const model::Framework& framework, const model::RatingSet& ratings,
                  const std::vector<ItemSet>& sets,
                  const std::vector<CompetencyRange>& competencies, const AnalysisOptions& options)
      : ratings_(ratings),
        sets_(sets),
        competencies_(competencies),
        items_(ratings.item_count),
        scale_points_(framework.scale.Points()),
        unset_(UnsetScore(framework.scale)),
        options_(options) {}

  void InitWorkspace(Workspace& ws) const {
    ws.local_of.assign(ratings_.rater_ids.size(), -1);
    for (const CompetencyRange& c : competencies_)
      ws.alpha.emplace_back(static_cast<int>(c.end - c.first));
    ws.item_variance.resize(items_);
  }

  // Fills out[0 .. sets.size()) for subject s, and its others_mean on set k into
  // means[k * means_stride].
  void Compute(size_t s, const std::vector<double>* expected, Workspace& ws, Aggregate* out,
               double* means, size_t means_stride) const {
    const uint32_t begin = ratings_.subject_begin[s], end = ratings_.subject_begin[s + 1];
    // The columns through local pointers: the matrix holds int8_t, whose stores may alias
    // anything, so the compiler would reload every vector's data pointer after each one.
    const uint32_t* const rater = ratings_.rater.data();
    const RaterGroup* const group = ratings_.group.data();
    const uint16_t* const item = ratings_.item.data();
    const int8_t* const score = ratings_.score.data();
    int32_t* const local_of = ws.local_of.data();
    // Local raters, ordered by global id (= id string order) so sums run in the same order
    // whatever the order of rows in the file. Rows come in runs of one rater (their items in
    // turn), so the rater table (megabytes, missing the cache) is looked up once per run.
    ws.raters.clear();
    uint32_t last = UINT32_MAX;
    for (uint32_t row = begin; row < end; ++row) {
      const uint32_t g = rater[row];
      if (g == last) continue;
      last = g;
      if (local_of[g] < 0) {
        local_of[g] = static_cast<int32_t>(row);  // the rater's first row, for its group
        ws.raters.push_back(g);
      }
    }
    std::sort(ws.raters.begin(), ws.raters.end());
    const size_t r_count = ws.raters.size();
    ws.group.resize(r_count);
    for (size_t r = 0; r < r_count; ++r) {
      ws.group[r] = group[static_cast<uint32_t>(local_of[ws.raters[r]])];
      local_of[ws.raters[r]] = static_cast<int32_t>(r);
    }
    // The invariants of model::RatingSet are checked on the way (the reader may leave them to
    // this pass, formats::RatingsReadOptions::check_pairs): every row of a rater has its first
    // row's group, and no cell is filled twice, which holds exactly when the cells still unset
    // afterwards number cells − rows.
    ws.matrix.assign(r_count * items_, unset_);
    int8_t* const matrix = ws.matrix.data();
    bool group_conflict = false;
    size_t not_observed = 0;
    last = UINT32_MAX;
    int8_t* cells = nullptr;  // the current rater's row of the matrix
    RaterGroup rater_group = RaterGroup::kSelf;
    for (uint32_t row = begin; row < end; ++row) {
      const uint32_t g = rater[row];
      if (g != last) {
        last = g;
        const int32_t r = local_of[g];
        cells = matrix + static_cast<size_t>(r) * items_;
        rater_group = ws.group[static_cast<size_t>(r)];
      }
      group_conflict |= rater_group != group[row];
      cells[item[row]] = score[row];
      not_observed += score[row] == model::kNotObserved;
    }
    ws.not_observed += not_observed;
    for (uint32_t g : ws.raters) local_of[g] = -1;
    size_t unset = 0;
    for (int8_t& x : ws.matrix) {
      const bool is_unset = x == unset_;
      unset += is_unset;
      x = is_unset ? model::kNotObserved : x;
    }
    if ((group_conflict || ws.matrix.size() - unset != end - begin) && s < ws.broken_subject) {
      ws.broken_subject = s;
      ws.broken_by_group = group_conflict;
    }
    ws.responses += r_count;

    // Prefix sums per rater (rule 1 on any contiguous range).
    const size_t stride = items_ + 1;
    ws.prefix_sum.assign(r_count * stride, 0);
    ws.prefix_count.assign(r_count * stride, 0);
    for (size_t r = 0; r < r_count; ++r) {
      const int8_t* row = &ws.matrix[r * items_];
      int32_t* ps = &ws.prefix_sum[r * stride];
      int32_t* pc = &ws.prefix_count[r * stride];
      for (size_t i = 0; i < items_; ++i) {
        const bool scored = row[i] != model::kNotObserved;
        ps[i + 1] = ps[i] + (scored ? row[i] : 0);
        pc[i + 1] = pc[i] + (scored ? 1 : 0);
      }
    }
    // Per-item variance over non-self raters (rule 6).
    for (size_t i = 0; i < items_; ++i) {
      int64_t n = 0, sum = 0, sum_sq = 0;
      for (size_t r = 0; r < r_count; ++r) {
        if (ws.group[r] == RaterGroup::kSelf) continue;
        const int8_t x = ws.matrix[r * items_ + i];
        if (x == model::kNotObserved) continue;
        ++n;
        sum += x;
        sum_sq += static_cast<int64_t>(x) * x;
      }
      ws.item_variance[i] = n >= 2 ? SampleVariance(n, sum, sum_sq) : kNull;
    }
    // Alpha (rule 9): non-self responses complete on the competency.
    for (size_t c = 0; c < competencies_.size(); ++c) {
      const CompetencyRange& cr = competencies_[c];
      const int32_t k = static_cast<int32_t>(cr.end - cr.first);
      for (size_t r = 0; r < r_count; ++r) {
        if (ws.group[r] == RaterGroup::kSelf) continue;
        const int32_t* pc = &ws.prefix_count[r * stride];
        if (pc[cr.end] - pc[cr.first] == k) ws.alpha[c].Add(&ws.matrix[r * items_ + cr.first]);
      }
    }
    for (size_t k = 0; k < sets_.size(); ++k) {
      ComputeSet(sets_[k], r_count, ws, expected ? (*expected)[k] : kNull, out[k]);
      means[k * means_stride] = out[k].others_mean;
    }
  }

 private:
  void ComputeSet(const ItemSet& set, size_t r_count, const Workspace& ws, double expected,
                  Aggregate& agg) const {
    const size_t stride = items_ + 1;
    const int min_group = options_.min_group;
    std::array<double, model::kRaterGroupCount> sum{};
    std::array<int, model::kRaterGroupCount> n{};
    double others_sum = 0;
    int others_n = 0;
    agg = Aggregate{};
    for (size_t r = 0; r < r_count; ++r) {
      const int32_t count =
          ws.prefix_count[r * stride + set.end_item] - ws.prefix_count[r * stride + set.first_item];
      if (count == 0) continue;  // rule 1: no score on S, does not count
      const double score = static_cast<double>(ws.prefix_sum[r * stride + set.end_item] -
                                               ws.prefix_sum[r * stride + set.first_item]) /
                           count;
      const int g = static_cast<int>(ws.group[r]);
      sum[g] += score;
      ++n[g];
      if (ws.group[r] == RaterGroup::kSelf) {
        agg.self = score;  // rule 2 (one self rater: rater id = subject id)
      } else {
        others_sum += score;
        ++others_n;
      }
    }
    // Rule 3.
    int anonymous = 0;
    for (int g = static_cast<int>(RaterGroup::kPeer); g < model::kRaterGroupCount; ++g)
      anonymous += n[g];
    agg.others_n = static_cast<uint32_t>(others_n);
    if (anonymous >= min_group) agg.others_mean = others_sum / others_n;

    // Rule 4. The manager is never anonymous, so it is shown whenever present.
    auto show = [&agg](ReportGroup slot, double s, int count) {
      agg.group_mean[static_cast<int>(slot)] = s / count;
      agg.group_n[static_cast<int>(slot)] = static_cast<uint16_t>(count);
    };
    const int manager = static_cast<int>(RaterGroup::kManager);
    if (n[manager] > 0) show(ReportGroup::kManager, sum[manager], n[manager]);
    std::array<bool, model::kRaterGroupCount> shown{};
    double combined_sum = 0;
    int combined_n = 0;
    for (int g = static_cast<int>(RaterGroup::kPeer); g < model::kRaterGroupCount; ++g) {
      if (n[g] >= min_group) {
        shown[g] = true;
      } else {
        combined_sum += sum[g];
        combined_n += n[g];
      }
    }
    while (combined_n > 0 && combined_n < min_group) {
      int smallest = -1;
      for (int g = static_cast<int>(RaterGroup::kPeer); g < model::kRaterGroupCount; ++g)
        if (shown[g] && (smallest < 0 || n[g] <= n[smallest])) smallest = g;  // ≤: later wins
      if (smallest < 0) break;
      shown[smallest] = false;
      combined_sum += sum[smallest];
      combined_n += n[smallest];
    }
    for (int g = static_cast<int>(RaterGroup::kPeer); g < model::kRaterGroupCount; ++g)
      if (shown[g]) show(static_cast<ReportGroup>(g - 1), sum[g], n[g]);
    if (combined_n >= min_group) show(ReportGroup::kCombined, combined_sum, combined_n);

    // Rule 5.
    if (!IsNull(agg.others_mean) && !IsNull(agg.self)) {
      agg.gap = agg.others_mean - agg.self;
      if (agg.self - agg.others_mean >= options_.flag_threshold - kTolerance)
        agg.flag = Flag::kBlindSpot;
      else if (agg.others_mean - agg.self >= options_.flag_threshold - kTolerance)
        agg.flag = Flag::kHiddenStrength;
    }
    if (IsNull(agg.others_mean)) return;
    // Rule 6.
    int j = 0;
    double sum_variance = 0;
    for (uint32_t i = set.first_item; i < set.end_item; ++i) {
      if (IsNull(ws.item_variance[i])) continue;
      ++j;
      sum_variance += ws.item_variance[i];
    }
    if (std::optional<double> rwg = RwgJ(j, sum_variance, scale_points_)) agg.rwg = *rwg;
    // Rule 8.
    if (!IsNull(expected)) agg.profile_gap = agg.others_mean - expected;
  }

  const model::RatingSet& ratings_;
  const std::vector<ItemSet>& sets_;
  const std::vector<CompetencyRange>& competencies_;
  const size_t items_;
  const int scale_points_;
  const int8_t unset_;  // a value no score takes: a matrix cell not (yet) filled
  const AnalysisOptions& options_;
};

// A double's bits as an unsigned key in the same order as the doubles (NaN excluded): negative
// numbers have all their bits flipped, the others only the sign bit.
inline uint64_t OrderedKey(double x) {
  uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits ^ ((bits >> 63) ? ~uint64_t{0} : uint64_t{1} << 63);
}

struct KeyedSubject {
  uint64_t key;  // OrderedKey of the mean
  uint32_t subject;
};

// Per-thread buffers of Percentiles.
struct PercentileScratch {
  std::vector<KeyedSubject> keyed, spare;
};

// Sorts `a` by key (LSD radix sort, 11 bits per pass: six passes over 64 bits; `spare` is
// scratch of the same size). std::sort of (mean, subject) pairs was ~5 % of the CPU time of a
// national `analyse`: 55 sorts of 25,000 means, compared with branches that the mix of ties
// mispredicts. The counting passes here do not branch on the data. A digit every key shares
// costs no pass (rare for means: on a 1–5 scale the top digit changes at 2.0). Six passes of
// 11 bits instead of eight of a byte took ~13 ms off the CPU time of a national `analyse`
// (A/B, 10 alternating runs); their six 2,048-entry counts still stay in the CPU caches.
void SortByKey(std::vector<KeyedSubject>& a, std::vector<KeyedSubject>& spare) {
  constexpr int kBits = 11, kPasses = (64 + kBits - 1) / kBits;
  constexpr uint64_t kMask = (uint64_t{1} << kBits) - 1;
  const size_t n = a.size();
  std::vector<std::array<uint32_t, size_t{1} << kBits>> counts(kPasses);
  for (const KeyedSubject& x : a)
    for (int p = 0; p < kPasses; ++p) ++counts[p][(x.key >> (kBits * p)) & kMask];
  spare.resize(n);
  for (int p = 0; p < kPasses; ++p) {
    auto& count = counts[p];
    if (count[(a[0].key >> (kBits * p)) & kMask] == n) continue;  // one value: order unchanged
    uint32_t at = 0;
    for (uint32_t& c : count) at += std::exchange(c, at);
    for (const KeyedSubject& x : a) spare[count[(x.key >> (kBits * p)) & kMask]++] = x;
    a.swap(spare);
  }
}

// Rule 7 for one set: `means` holds every subject's others.mean on the set (NaN = hidden);
// writes each subject's percentile (or NaN) to `percentiles`. The shown means are sorted with
// their subjects once; then, walking them in ascending order, "below x − tolerance" and "up to
// x + tolerance" only ever move forward, so two cursors replace two binary searches per subject
// (which, over 55 sets × 25,000 subjects, missed the cache and the branch predictor constantly).
// The counts — and so every percentile — are exactly those of lower_bound/upper_bound.
void Percentiles(const double* means, size_t subjects, PercentileScratch& scratch,
                 double* percentiles) {
  std::vector<KeyedSubject>& sorted = scratch.keyed;
  sorted.clear();
  for (size_t s = 0; s < subjects; ++s) {
    if (IsNull(means[s]))
      percentiles[s] = kNull;
    else
      sorted.push_back({OrderedKey(means[s]), static_cast<uint32_t>(s)});
  }
  const size_t n = sorted.size();
  if (n == 0) return;
  SortByKey(sorted, scratch.spare);
  const double total = static_cast<double>(n);
  size_t below = 0, up_to = 0;
  for (size_t i = 0; i < n; ++i) {
    const double x = means[sorted[i].subject];
    const double low = x - kTolerance, high = x + kTolerance;
    while (below < n && means[sorted[below].subject] < low) ++below;      // lower_bound(low)
    while (up_to < n && !(high < means[sorted[up_to].subject])) ++up_to;  // upper_bound(high)
    percentiles[sorted[i].subject] =
        100.0 * (static_cast<double>(below) + 0.5 * (up_to - below)) / total;
  }
}

}  // namespace

std::string_view ReportGroupName(ReportGroup group) {
  static constexpr std::string_view kNames[] = {"manager",   "peer",  "direct_report", "partner",
                                                "community", "other", "combined"};
  return kNames[static_cast<int>(group)];
}

std::string_view FlagName(Flag flag) {
  switch (flag) {
    case Flag::kBlindSpot:
      return "blind_spot";
    case Flag::kHiddenStrength:
      return "hidden_strength";
    case Flag::kNone:
      break;
  }
  return "";
}

std::vector<ItemSet> ItemSetsOf(const model::Framework& framework) {
  std::vector<ItemSet> overall(1), domains, competencies, items;
  overall[0].level = SetLevel::kOverall;
  uint32_t next = 0;
  for (const model::Domain& d : framework.domains) {
    ItemSet domain{SetLevel::kDomain, d.code, next, next};
    for (const model::Competency& c : d.competencies) {
      ItemSet competency{SetLevel::kCompetency, c.code, next, next};
      for (const model::Item& i : c.items) {
        items.push_back({SetLevel::kItem, i.code, next, next + 1});
        ++next;
      }
      competency.end_item = next;
      competencies.push_back(std::move(competency));
    }
    domain.end_item = next;
    domains.push_back(std::move(domain));
  }
  overall[0].end_item = next;
  std::vector<ItemSet> sets = std::move(overall);
  for (auto* part : {&domains, &competencies, &items})
    sets.insert(sets.end(), std::make_move_iterator(part->begin()),
                std::make_move_iterator(part->end()));
  return sets;
}

Result<CampaignAnalysis> Analyse(const model::Framework& framework, const model::RatingSet& ratings,
                                 const std::vector<const model::RoleProfile*>& profiles,
                                 const AnalysisOptions& options) {
  if (options.min_group < 1)
    return Status::InvalidArgument("min_group must be at least 1, got " +
                                   std::to_string(options.min_group));
  if (!(options.flag_threshold > 0))
    return Status::InvalidArgument("the flag threshold must be greater than 0");
  const size_t item_count = framework.ItemCount();
  if (ratings.item_count != item_count || item_count > 65535)
    return Status::InvalidArgument("the ratings were read against a different framework (" +
                                   std::to_string(ratings.item_count) + " items, framework has " +
                                   std::to_string(item_count) + ")");
  if (!profiles.empty() && profiles.size() != ratings.SubjectCount())
    return Status::InvalidArgument("one role profile per subject expected");
  if (ratings.RowCount() > static_cast<size_t>(std::numeric_limits<int32_t>::max()))
    return Status::InvalidArgument("more than 2,147,483,647 ratings are not supported");

  CampaignAnalysis analysis;
  analysis.min_group = options.min_group;
  analysis.flag_threshold = options.flag_threshold;
  analysis.sets = ItemSetsOf(framework);
  analysis.subject_count = ratings.SubjectCount();
  const size_t set_count = analysis.sets.size();

  std::vector<CompetencyRange> competencies;
  for (const ItemSet& set : analysis.sets)
    if (set.level == SetLevel::kCompetency)
      competencies.push_back({set.first_item, set.end_item, &set.code});

  // Expected levels per distinct profile (there are at most levels × functions of them).
  std::map<const model::RoleProfile*, std::vector<double>> expected_by_profile;
  std::vector<const std::vector<double>*> expected_of(profiles.size(), nullptr);
  for (size_t s = 0; s < profiles.size(); ++s) {
    if (!profiles[s]) continue;
    auto it = expected_by_profile.find(profiles[s]);
    if (it == expected_by_profile.end())
      it = expected_by_profile
               .emplace(profiles[s], ExpectedLevels(*profiles[s], analysis.sets, competencies))
               .first;
    expected_of[s] = &it->second;
  }

  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  const size_t blocks = (analysis.subject_count + kSubjectsPerBlock - 1) / kSubjectsPerBlock;
  threads = std::max(1, std::min<int>(threads, static_cast<int>(std::max<size_t>(blocks, 1))));
  // Every aggregate is written by Compute, so the array is not
  // initialised first; its pages are faulted in by the workers' first writes (LargeArray).
  analysis.aggregates = LargeArray<Aggregate>::ForOverwrite(analysis.subject_count * set_count);
  // Rule 7 works on set-major copies of the means: reading one field of every subject's
  // aggregate set by set would miss the cache on every read. The copy is taken while each
  // subject's aggregates are still in cache. The percentiles stay set-major
  // (CampaignAnalysis::Percentile): putting them back into the aggregates touched every cache
  // line of the ~165 MB array again (~3 % of the CPU time of a national `analyse`). Both are
  // written whole: means by the workers, percentiles by Percentiles().
  const size_t subjects = analysis.subject_count;
  LargeArray<double> means = LargeArray<double>::ForOverwrite(set_count * subjects);
  analysis.percentiles = LargeArray<double>::ForOverwrite(set_count * subjects);
  SubjectComputer computer(framework, ratings, analysis.sets, competencies, options);
  std::vector<Workspace> workspaces(threads);
  for (Workspace& ws : workspaces) computer.InitWorkspace(ws);
  ParallelFor(blocks, threads, [&](size_t block, int worker) {
    const size_t first = block * kSubjectsPerBlock;
    const size_t last = std::min(analysis.subject_count, first + kSubjectsPerBlock);
    for (size_t s = first; s < last; ++s) {
      Aggregate* out = &analysis.aggregates[s * set_count];
      computer.Compute(s, expected_of.empty() ? nullptr : expected_of[s], workspaces[worker], out,
                       &means[s], subjects);
    }
    if (options.subjects_done) options.subjects_done->fetch_add(last - first);
  });
  const Workspace* broken = nullptr;
  for (const Workspace& ws : workspaces)
    if (ws.broken_subject != SIZE_MAX && (!broken || ws.broken_subject < broken->broken_subject))
      broken = &ws;
  if (broken)
    return Status::InvalidArgument("subject '" + ratings.subject_ids[broken->broken_subject] +
                                   "': " +
                                   (broken->broken_by_group ? "a rater is in two groups"
                                                            : "a rater rates the same item twice") +
                                   " (the ratings break the invariants of model::RatingSet)");

  // Rule 7, one set per task.
  std::vector<PercentileScratch> scratch(threads);
  ParallelFor(set_count, threads, [&](size_t k, int worker) {
    Percentiles(&means[k * subjects], subjects, scratch[worker],
                &analysis.percentiles[k * subjects]);
  });

  // Summary (rule 9 and descriptive figures), in a fixed order so the result is deterministic.
  for (size_t w = 1; w < workspaces.size(); ++w)
    for (size_t c = 0; c < competencies.size(); ++c)
      workspaces[0].alpha[c].Merge(workspaces[w].alpha[c]);
  for (size_t k = 0, c = 0; k < set_count; ++k) {
    if (analysis.sets[k].level != SetLevel::kCompetency) continue;
    CompetencySummary summary;
    summary.code = analysis.sets[k].code;
    if (std::optional<double> alpha = workspaces[0].alpha[c].Alpha()) summary.alpha = *alpha;
    summary.alpha_responses = workspaces[0].alpha[c].responses();
    const double* x = &means[k * subjects];
    double sum = 0;
    for (size_t s = 0; s < subjects; ++s) {
      if (IsNull(x[s])) continue;
      sum += x[s];
      ++summary.subjects;
    }
    if (summary.subjects > 0) {
      summary.mean = sum / summary.subjects;
      if (summary.subjects >= 2) {
        double squares = 0;
        for (size_t s = 0; s < subjects; ++s)
          if (!IsNull(x[s])) squares += (x[s] - summary.mean) * (x[s] - summary.mean);
        summary.sd = std::sqrt(squares / (summary.subjects - 1));
      }
    }
    analysis.competencies.push_back(std::move(summary));
    ++c;
  }
  AnalysisTotals& totals = analysis.totals;
  totals.subjects = analysis.subject_count;
  totals.raters = ratings.rater_ids.size();
  totals.ratings = ratings.RowCount();
  for (const Workspace& ws : workspaces) {
    totals.responses += ws.responses;
    totals.not_observed += ws.not_observed;
  }
  for (size_t s = 0; s < analysis.subject_count; ++s)
    if (!IsNull(analysis.At(s, 0).others_mean)) ++totals.subjects_with_others;
  return analysis;
}

}  // namespace trellis::analytics
