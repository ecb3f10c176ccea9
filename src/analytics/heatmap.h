// analytics/heatmap.h — the partnership view's heatmaps (docs/reports.md "Partnership view"):
// for one way of grouping subjects (organisation, sector, level or function) and every domain or
// competency, the mean of the subjects' shown others.mean (DESIGN.md rule 3), how many subjects
// it rests on, and how far they fall short of their role profiles (rule 8).
// Confidentiality: each subject's others.mean is already anonymous (rule 4); the heatmap also
// protects subjects: a cell resting on fewer than `min_cell` subjects is withheld, and so is a
// complementary cell wherever one withheld cell could otherwise be worked out by subtracting the
// shown cells from a published total (the whole partnership, or a parent row such as the sector
// of an organisation). Pure computation over a CampaignAnalysis: no I/O.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "core/status.h"

namespace trellis::analytics {

enum class CellWithheld : uint8_t {
  kShown,
  kTooFewSubjects,  // fewer than min_cell subjects with a shown others.mean
  kComplementary,   // shown, it would let a withheld cell be worked out from a published total
};

struct HeatmapCell {
  uint32_t subjects = 0;       // subjects of the row with a shown others.mean on the set
  double mean = kNull;         // the mean of their others.mean; null unless shown
  double profile_gap = kNull;  // mean profile_gap of those with one; null unless shown or none
  uint32_t with_profile = 0;   // subjects with a profile_gap (0 unless shown)
  uint32_t below_profile = 0;  // of them, those below their expected level (0 unless shown)
  CellWithheld withheld = CellWithheld::kTooFewSubjects;

  bool Shown() const { return withheld == CellWithheld::kShown; }
};

// A way of adding rows up into published parent rows: an organisation's sector, a role's level.
struct ParentDimension {
  std::map<std::string, std::string> parent_of_row;  // row key → parent key
};

struct HeatmapOptions {
  int min_cell = 5;  // ≥ 1; the default
  // Parent rows that are published too (each dimension's parents add up to the total); cells
  // are then also protected against subtraction from each parent. May be empty.
  std::vector<ParentDimension> parents;
};

struct Heatmap {
  std::vector<std::string> rows;       // distinct non-empty subject keys, sorted
  std::vector<uint32_t> row_subjects;  // subjects per row, whatever their figures
  std::vector<size_t> columns;         // indices into CampaignAnalysis::sets, in report order
  std::vector<HeatmapCell> cells;      // rows.size() × columns.size(), row-major
  std::vector<HeatmapCell> total;      // per column: every subject with a key
  // Per parent dimension (options.parents order), per parent key, one cell per column: the
  // parent's figures, protected like the rows. Show parent rows (sectors, levels) from here,
  // not from a heatmap built separately, so that what one withholds the other cannot give away.
  std::vector<std::map<std::string, std::vector<HeatmapCell>>> parents;

  const HeatmapCell& At(size_t row, size_t column) const {
    return cells[row * columns.size() + column];
  }
};

// Builds the heatmap of the sets of `level` (kDomain or kCompetency; kOverall gives one column)
// with one row per distinct key of `subject_keys` (one key per subject of `analysis`, in its
// subject order; "" leaves a subject out). kInvalidArgument if the key count differs from the
// analysis's subject count, min_cell < 1, or level is kItem.
Result<Heatmap> BuildHeatmap(const CampaignAnalysis& analysis,
                             std::span<const std::string> subject_keys, SetLevel level,
                             const HeatmapOptions& options);

// The columns of `heatmap` whose total is shown, strongest first (by total mean, then column
// order): the partnership's strongest competencies are the first few, its weakest the last.
std::vector<size_t> ColumnsByTotalMean(const Heatmap& heatmap);

}  // namespace trellis::analytics
