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
// When `path` is an existing regular file with one link owned by the caller, the report is
// written to a temporary file beside it (`PATH.tmp-PID`, with the old file's permissions) and
// renamed over it when complete (the old one is emptied meanwhile, as an in-place write would
// have truncated it), so a reader never sees a half-written report; otherwise (a new
// file, a pipe, a symlink, a hard-linked file, or a directory where no temporary file can be
// created) it is written in place, truncating the file first, as fopen(path, "wb") would.
// kFailedPrecondition "PATH: cannot write (REASON)" when it cannot be opened; kUnavailable
// "PATH: write failed (REASON)" when a write, the close or the rename fails (the temporary file
// is then removed).
Status WriteReports(const std::string& path, const analytics::CampaignAnalysis& analysis,
                    const std::vector<std::string>& subject_ids, int threads,
                    std::atomic<uint64_t>* subjects_written);

}  // namespace trellis::cli
