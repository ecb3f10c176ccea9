// model/ratings.cc — group names and the by-hand builder of a RatingSet.
#include "model/ratings.h"

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <tuple>
#include <utility>

namespace trellis::model {
namespace {

constexpr std::array<std::string_view, kRaterGroupCount> kGroupNames{
    "self", "manager", "peer", "direct_report", "partner", "community", "other"};

}  // namespace

std::string_view RaterGroupName(RaterGroup group) {
  return kGroupNames[static_cast<size_t>(group)];
}

std::optional<RaterGroup> ParseRaterGroup(std::string_view text) {
  for (size_t i = 0; i < kGroupNames.size(); ++i)
    if (kGroupNames[i] == text) return static_cast<RaterGroup>(i);
  return std::nullopt;
}

std::vector<const Item*> ItemsInOrder(const Framework& framework) {
  std::vector<const Item*> items;
  for (const Domain& d : framework.domains)
    for (const Competency& c : d.competencies)
      for (const Item& i : c.items) items.push_back(&i);
  return items;
}

Result<RatingSet> BuildRatingSet(const std::vector<RatingRow>& rows, size_t item_count) {
  RatingSet set;
  set.item_count = item_count;
  for (const RatingRow& r : rows) {
    set.subject_ids.push_back(r.subject);
    set.rater_ids.push_back(r.rater);
  }
  for (auto* ids : {&set.subject_ids, &set.rater_ids}) {
    std::sort(ids->begin(), ids->end());
    ids->erase(std::unique(ids->begin(), ids->end()), ids->end());
  }
  auto index_of = [](const std::vector<std::string>& ids, const std::string& id) {
    return static_cast<uint32_t>(std::lower_bound(ids.begin(), ids.end(), id) - ids.begin());
  };
  std::vector<uint32_t> subject_of(rows.size());
  for (size_t i = 0; i < rows.size(); ++i)
    subject_of[i] = index_of(set.subject_ids, rows[i].subject);
  std::vector<size_t> order(rows.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return subject_of[a] < subject_of[b]; });

  std::map<std::pair<uint32_t, uint32_t>, RaterGroup> group_of;  // (subject, rater) → group
  std::map<std::tuple<uint32_t, uint32_t, uint16_t>, bool> seen;
  set.subject_begin.assign(set.subject_ids.size() + 1, 0);
  for (size_t i : order) {
    const RatingRow& r = rows[i];
    const std::string where =
        "subject '" + r.subject + "', rater '" + r.rater + "', item " + std::to_string(r.item);
    if (r.item >= item_count) return Status::InvalidArgument(where + ": item index out of range");
    if (r.subject.empty() || r.rater.empty())
      return Status::InvalidArgument(where + ": empty subject or rater id");
    if ((r.group == RaterGroup::kSelf) != (r.rater == r.subject))
      return Status::InvalidArgument(where +
                                     ": a rater is in group 'self' exactly when it is "
                                     "the subject");
    uint32_t s = subject_of[i];
    uint32_t rater = index_of(set.rater_ids, r.rater);
    auto [it, inserted] = group_of.emplace(std::make_pair(s, rater), r.group);
    if (!inserted && it->second != r.group)
      return Status::InvalidArgument(where + ": rater in two groups");
    if (!seen.emplace(std::make_tuple(s, rater, r.item), true).second)
      return Status::InvalidArgument(where + ": duplicate rating");
    set.rater.push_back(rater);
    set.item.push_back(r.item);
    set.group.push_back(r.group);
    set.score.push_back(r.score);
    ++set.subject_begin[s + 1];
  }
  for (size_t s = 0; s < set.subject_ids.size(); ++s)
    set.subject_begin[s + 1] += set.subject_begin[s];
  return set;
}

}  // namespace trellis::model
