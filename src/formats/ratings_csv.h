// formats/ratings_csv.h — the ratings CSV reader of DESIGN.md ("Ratings CSV":
// `subject,rater,group,item,score[,comment]`), the hot path of `trellis analyse`.
// Files of 10 million rows are normal, so the reader maps the file, splits it at line boundaries
// into chunks parsed by several threads, interns ids per thread and merges them, and groups the
// rows by subject with a counting sort (see ratings_csv.cc for the design). Every problem is
// reported as "FILE:LINE: field 'NAME': problem" with the physical line on which the record
// starts. Thread-safe (no shared state); each call may start its own worker threads.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/framework.h"
#include "model/ratings.h"

namespace trellis::formats {

struct RatingsReadOptions {
  // Problems to list before giving up (≥ 1). The returned message holds up to this many
  // "FILE:LINE: …" lines, the first ones in file order, and a last line saying more were found
  // when that is so.
  size_t max_errors = 1;
  int threads = 0;             // worker threads; 0 = std::thread::hardware_concurrency()
  bool keep_comments = false;  // fill RatingSet::comments (costs memory; `analyse` does not)
  // Target bytes per parallel chunk; 0 = automatic. Tests set it small to put chunk boundaries
  // everywhere (inside quoted fields too).
  size_t chunk_bytes = 0;
  // When set, raised as bytes are parsed (progress display); may be read from another thread.
  std::atomic<uint64_t>* bytes_parsed = nullptr;
  // False: a file without other problems is returned without the checks across a subject's
  // rows (one group per rater, one rating per item), saving a pass over every row. For
  // `trellis analyse` only: analytics::Analyse refuses a set that breaks them, and the command
  // then reads the file again with the checks to report each problem with its line. A file
  // with other problems is checked in full either way, so the listed problems are the same.
  bool check_pairs = true;
};

// Parses ratings held in memory; `file_name` is used only in messages.
// Checks, each reported with file, line and field: the header names the columns subject, rater,
// group, item and score (any order; `comment` optional; other columns ignored); each record has
// as many fields as the header; well-formed quoting; valid UTF-8; a known item of `framework`;
// a known group; a score that is empty (not observed) or an integer on the framework's scale; a
// `self` row's rater is its subject and only a `self` row's is; one group per rater and subject;
// no second rating of an item by the same rater for the same subject (these two only when
// RatingsReadOptions::check_pairs is set, or the file has other problems: otherwise the set
// returned may break model::RatingSet's invariants, which analytics::Analyse refuses). A UTF-8
// BOM, CRLF line ends and blank lines are accepted.
// kInvalidArgument with one problem per line (see max_errors).
Result<model::RatingSet> ParseRatingsCsv(std::string_view text, std::string_view file_name,
                                         const model::Framework& framework,
                                         const RatingsReadOptions& options = {});

// Reads `path` (memory-mapped when it is a regular file; pages already parsed are released so
// resident memory stays small) and parses it as ParseRatingsCsv does, naming `path` in messages.
// kNotFound when it cannot be opened; otherwise as ParseRatingsCsv.
Result<model::RatingSet> ReadRatingsFile(const std::string& path, const model::Framework& framework,
                                         const RatingsReadOptions& options = {});

}  // namespace trellis::formats
