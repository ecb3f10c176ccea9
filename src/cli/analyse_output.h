// cli/analyse_output.h — how `trellis analyse` writes its report file (JSON Lines, hundreds of
// MB for a national campaign): formatted in blocks of subjects on worker threads that write
// their own blocks at their offsets, into a preallocated file that replaces an existing report
// once it is complete. Split from analyse_command.cc, which parses options and runs the
// phases; docs/analysis.md "Performance design" explains the choices.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "analytics/aggregate.h"
#include "core/status.h"

namespace trellis::cli {

// Writes one report line per subject of `analysis` (formats::WriteReportLine) to `path`, in
// subject order, using `threads` threads (≥ 1; the calling thread is one of them).
// `subjects_written`, when set, counts the subjects written (progress display).
// An existing regular file is overwritten in place (not truncated first) and cut to the
// report's length at the end, so a reader during the write may see old and new lines mixed;
// a new file is created; a pipe or device is written in order.
// kFailedPrecondition "PATH: cannot write (REASON)" when it cannot be opened; kUnavailable
// "PATH: write failed (REASON)" when a write, the final truncation or the close fails (a
// regular file is then left empty).
Status WriteReports(const std::string& path, const analytics::CampaignAnalysis& analysis,
                    const std::vector<std::string>& subject_ids, int threads,
                    std::atomic<uint64_t>* subjects_written);

}  // namespace trellis::cli
