// analytics/heatmap.cc — see heatmap.h. Cells are sums over subjects, so a heatmap of 5,000
// subjects × 25 competencies is one pass over 125,000 aggregates; complementary withholding then
// runs per column over the groups of rows that add up to a published figure.
#include "analytics/heatmap.h"

#include <algorithm>

namespace trellis::analytics {
namespace {

constexpr double kEpsilon = 1e-9;  // DESIGN.md rule 5: comparisons allow 1e-9

// Running sums of one cell before it is decided.
struct CellSums {
  uint32_t subjects = 0;
  double sum = 0;
  uint32_t with_profile = 0;
  double profile_sum = 0;
  uint32_t below_profile = 0;

  void Add(const Aggregate& a) {
    if (IsNull(a.others_mean)) return;
    ++subjects;
    sum += a.others_mean;
    if (!IsNull(a.profile_gap)) {
      ++with_profile;
      profile_sum += a.profile_gap;
      if (a.profile_gap < -kEpsilon) ++below_profile;
    }
  }

  HeatmapCell Decide(int min_cell) const {
    HeatmapCell cell;
    cell.subjects = subjects;
    if (subjects < static_cast<uint32_t>(min_cell)) return cell;
    cell.withheld = CellWithheld::kShown;
    cell.mean = sum / subjects;
    cell.with_profile = with_profile;
    cell.below_profile = below_profile;
    if (with_profile > 0) cell.profile_gap = profile_sum / with_profile;
    return cell;
  }
};

void Withhold(HeatmapCell& cell, CellWithheld why) {
  HeatmapCell blank;
  blank.subjects = cell.subjects;
  blank.withheld = why;
  cell = blank;
}

// Cells that add up to a published figure: `head` (the total, or a parent row) is the sum of
// `members` (its rows).
struct CellGroup {
  HeatmapCell* head;
  std::vector<HeatmapCell*> members;
};

// While `group.head` is shown, if exactly one member with subjects is withheld, withholds the
// smallest shown member too (ties: the later), so withheld members can only be worked out
// together, resting on ≥ min_cell subjects; with no shown member left to withhold, withholds the
// head instead (it would equal the one withheld member). Returns true if it withheld a cell.
bool ProtectGroup(CellGroup& group) {
  if (!group.head->Shown()) return false;
  size_t withheld = 0;
  HeatmapCell* smallest = nullptr;
  for (HeatmapCell* cell : group.members) {
    if (!cell->Shown()) {
      if (cell->subjects > 0) ++withheld;
    } else if (smallest == nullptr || cell->subjects <= smallest->subjects) {
      smallest = cell;
    }
  }
  if (withheld != 1) return false;
  Withhold(smallest != nullptr ? *smallest : *group.head, CellWithheld::kComplementary);
  return true;
}

}  // namespace

Result<Heatmap> BuildHeatmap(const CampaignAnalysis& analysis,
                             std::span<const std::string> subject_keys, SetLevel level,
                             const HeatmapOptions& options) {
  if (subject_keys.size() != analysis.subject_count) {
    return Status::InvalidArgument("heatmap: " + std::to_string(subject_keys.size()) +
                                   " subject keys for " + std::to_string(analysis.subject_count) +
                                   " subjects");
  }
  if (options.min_cell < 1) return Status::InvalidArgument("heatmap: min_cell must be at least 1");
  if (level == SetLevel::kItem)
    return Status::InvalidArgument("heatmap: items are not a heatmap level");

  Heatmap heatmap;
  for (size_t k = 0; k < analysis.sets.size(); ++k) {
    if (analysis.sets[k].level == level) heatmap.columns.push_back(k);
  }
  std::vector<std::string> keys(subject_keys.begin(), subject_keys.end());
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  if (!keys.empty() && keys.front().empty()) keys.erase(keys.begin());
  heatmap.rows = keys;

  const size_t columns = heatmap.columns.size();
  std::vector<CellSums> sums(heatmap.rows.size() * columns);
  std::vector<CellSums> total(columns);
  std::vector<std::map<std::string, std::vector<CellSums>>> parent_sums(options.parents.size());
  heatmap.row_subjects.assign(heatmap.rows.size(), 0);
  std::vector<std::vector<CellSums>*> parents_of_subject(options.parents.size());
  for (size_t s = 0; s < analysis.subject_count; ++s) {
    const std::string& key = subject_keys[s];
    if (key.empty()) continue;
    const size_t row =
        std::lower_bound(heatmap.rows.begin(), heatmap.rows.end(), key) - heatmap.rows.begin();
    ++heatmap.row_subjects[row];
    for (size_t d = 0; d < options.parents.size(); ++d) {
      parents_of_subject[d] = nullptr;
      const auto& parent_of_row = options.parents[d].parent_of_row;
      if (auto it = parent_of_row.find(key); it != parent_of_row.end()) {
        parents_of_subject[d] = &parent_sums[d].try_emplace(it->second, columns).first->second;
      }
    }
    for (size_t c = 0; c < columns; ++c) {
      const Aggregate& a = analysis.At(s, heatmap.columns[c]);
      sums[row * columns + c].Add(a);
      total[c].Add(a);
      for (std::vector<CellSums>* parent : parents_of_subject) {
        if (parent != nullptr) (*parent)[c].Add(a);
      }
    }
  }

  heatmap.cells.reserve(sums.size());
  for (const CellSums& cell : sums) heatmap.cells.push_back(cell.Decide(options.min_cell));
  for (const CellSums& cell : total) heatmap.total.push_back(cell.Decide(options.min_cell));
  heatmap.parents.resize(parent_sums.size());
  for (size_t d = 0; d < parent_sums.size(); ++d) {
    for (const auto& [parent, cells] : parent_sums[d]) {
      std::vector<HeatmapCell>& decided = heatmap.parents[d][parent];
      for (const CellSums& cell : cells) decided.push_back(cell.Decide(options.min_cell));
    }
  }

  // Per column, the groups of cells whose sums are published: the total of the rows; per parent
  // dimension, the total of its parents and each parent of its rows. Protecting one group may
  // expose another, so repeat until nothing changes (withholding only grows, so this ends).
  // Parents come first: a complement chosen inside a parent also protects the total, not the
  // reverse.
  for (size_t c = 0; c < columns; ++c) {
    std::vector<CellGroup> groups;
    std::vector<CellGroup> totals;
    totals.push_back({&heatmap.total[c], {}});
    for (size_t r = 0; r < heatmap.rows.size(); ++r) {
      totals[0].members.push_back(&heatmap.cells[r * columns + c]);
    }
    for (size_t d = 0; d < heatmap.parents.size(); ++d) {
      std::map<std::string, size_t> group_of_parent;
      CellGroup by_parent{&heatmap.total[c], {}};
      for (auto& [parent, cells] : heatmap.parents[d]) {
        group_of_parent[parent] = groups.size();
        groups.push_back({&cells[c], {}});
        by_parent.members.push_back(&cells[c]);
      }
      for (size_t r = 0; r < heatmap.rows.size(); ++r) {
        const auto& parent_of_row = options.parents[d].parent_of_row;
        auto it = parent_of_row.find(heatmap.rows[r]);
        if (it == parent_of_row.end()) continue;
        groups[group_of_parent.at(it->second)].members.push_back(&heatmap.cells[r * columns + c]);
      }
      totals.push_back(std::move(by_parent));
    }
    for (CellGroup& group : totals) groups.push_back(std::move(group));
    bool changed = true;
    while (changed) {
      changed = false;
      for (CellGroup& group : groups) changed |= ProtectGroup(group);
    }
  }
  return heatmap;
}

std::vector<size_t> ColumnsByTotalMean(const Heatmap& heatmap) {
  std::vector<size_t> order;
  for (size_t c = 0; c < heatmap.columns.size(); ++c) {
    if (heatmap.total[c].Shown()) order.push_back(c);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return heatmap.total[a].mean > heatmap.total[b].mean + kEpsilon;
  });
  return order;
}

}  // namespace trellis::analytics
