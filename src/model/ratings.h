// model/ratings.h — the ratings of one 360 campaign as a compact columnar set: one entry per
// (subject, rater, item) score, grouped by subject. Built by formats/ratings_csv.h (the hot,
// parallel reader) or by RatingSetBuilder (tests, service); read by analytics/aggregate.h.
// A campaign of 10 million ratings must fit in little memory, so ids are interned once, items
// are indices into the framework, and a row costs 8 bytes (rater u32, item u16, group u8,
// score i8) in parallel columns. Plain values; const access is thread-safe.
// Invariants (established by the reader and the builder): subject_ids sorted by byte order and
// unique; the rows of one subject are contiguous; within a subject a rater has exactly one group
// and rates an item at most once; a kSelf row's rater id equals its subject id.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/framework.h"

namespace trellis::model {

// A rater's relation to the subject (DESIGN.md "Nominations"). Order matters: it is the order of
// groups in reports, and the tie order of rule 4 (later wins a tie among anonymous groups).
enum class RaterGroup : uint8_t {
  kSelf,
  kManager,
  kPeer,
  kDirectReport,
  kPartner,
  kCommunity,
  kOther,
};
inline constexpr int kRaterGroupCount = 7;

// Wire names: "self", "manager", "peer", "direct_report", "partner", "community", "other".
std::string_view RaterGroupName(RaterGroup group);
// nullopt unless `text` is exactly one of the wire names.
std::optional<RaterGroup> ParseRaterGroup(std::string_view text);
// Anonymous groups are all but self and manager (rule 3).
inline bool IsAnonymous(RaterGroup group) {
  return group != RaterGroup::kSelf && group != RaterGroup::kManager;
}

// Score of a row whose score field was empty ("not observed").
inline constexpr int8_t kNotObserved = std::numeric_limits<int8_t>::min();

// Items of a framework are numbered 0..ItemCount()-1 in document order (domains, then their
// competencies, then their items), so every competency, domain and the whole framework is a
// contiguous range of item indices. Returns the items in that order.
std::vector<const Item*> ItemsInOrder(const Framework& framework);

// A free-text comment attached to one rating (optional column `comment`); kept only when asked.
struct RatingComment {
  uint32_t subject = 0;  // index into RatingSet::subject_ids
  uint32_t rater = 0;    // index into RatingSet::rater_ids
  uint16_t item = 0;     // item index (see ItemsInOrder)
  std::string text;      // non-empty
};

struct RatingSet {
  std::vector<std::string> subject_ids;  // sorted, unique
  std::vector<std::string> rater_ids;    // sorted, unique; a self rater shares the subject's id
  size_t item_count = 0;                 // the framework's ItemCount() when the set was built
  // Rows of subject s are [subject_begin[s], subject_begin[s + 1]); size subject_ids.size() + 1.
  std::vector<uint32_t> subject_begin;
  // Columns, one entry per row (rating).
  std::vector<uint32_t> rater;          // index into rater_ids
  std::vector<uint16_t> item;           // item index (see ItemsInOrder)
  std::vector<RaterGroup> group;        // the rater's group for this subject
  std::vector<int8_t> score;            // on the framework's scale, or kNotObserved
  std::vector<RatingComment> comments;  // in no particular order; empty unless kept

  size_t SubjectCount() const { return subject_ids.size(); }
  size_t RowCount() const { return score.size(); }
};

// One rating with its ids spelt out, for building a set by hand.
struct RatingRow {
  std::string subject;
  std::string rater;
  RaterGroup group = RaterGroup::kPeer;
  uint16_t item = 0;
  int8_t score = kNotObserved;
};

// Builds a RatingSet from rows in any order (rows of a subject keep their relative order).
// kInvalidArgument (message names subject, rater and item) when a row breaks an invariant of
// RatingSet or names an item ≥ item_count. Not for the hot path: the CSV reader builds its sets
// directly.
Result<RatingSet> BuildRatingSet(const std::vector<RatingRow>& rows, size_t item_count);

}  // namespace trellis::model
