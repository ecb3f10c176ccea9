// formats/report_jsonl.h — writes the results of analytics/aggregate.h: the machine-readable
// report (JSON Lines, one object per subject, DESIGN.md "Analysis semantics") and the campaign
// summary (one JSON object). Used by `trellis analyse` (which formats blocks of subjects on
// several threads and writes them in order) and by the service layer.
// Hand-written rather than nlohmann::json: a 25,000-subject campaign is ~1.4 million AGG
// objects; building a DOM per line costs an allocation per node and dominated the run time,
// while appending to one reused buffer with std::to_chars (shortest round-trip doubles, so a
// reader gets back exactly the computed value) does not. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "analytics/aggregate.h"

namespace trellis::formats {

// A number's text as the report writer caches it; a value-initialised (zeroed) one is an empty
// slot. Trivial on purpose: the writer's thread_local cache of them then needs no guard.
struct CachedNumber {
  uint64_t bits;  // the double's bits
  char text[23];
  uint8_t size;  // 0: empty. Right after text, so text and size are copied as 24 bytes
};

// Caches a writer keeps from one report line to the next on one thread (trellis analyse's
// workers, cli/analyse_output.cc): percentiles per item set. Within a set they take as many
// values as the set has distinct means (a few hundred for an item), but the 55 sets of a line
// together have far more than the writer's small shared cache holds, so nearly all ~1.4 million
// percentiles of a national report missed it. 8 KiB a set; frameworks of more than 1,024 item
// sets are formatted without it. Not thread-safe: one per thread.
struct ReportLineCaches {
  std::vector<CachedNumber> percentiles;
};

// Appends subject `subject`'s report line, ending in '\n':
// {"subject":ID,"overall":AGG,"domains":{CODE:AGG},"competencies":{CODE:AGG},"items":{CODE:AGG}}
// AGG = {"self":x|null,"others":{"mean":x|null,"n":n},"groups":{NAME:{"mean":x,"n":n}},
//        "gap":x|null,"flag":s|null,"rwg":x|null,"percentile":x|null,"profile_gap":x|null}
// `groups` holds only the shown groups, in the order manager, peer, direct_report, partner,
// community, other, combined. Keys of domains/competencies/items follow the framework's order.
// `caches`: optional, see ReportLineCaches; the text is the same with or without.
void AppendReportLine(const analytics::CampaignAnalysis& analysis, size_t subject,
                      std::string_view subject_id, std::string* out,
                      ReportLineCaches* caches = nullptr);

// The same line written at `out`, which must have ReportLineBound(analysis, subject_id) bytes
// of room (the text is shorter; bytes past it may be overwritten); returns the end of the text.
// For writers that keep their own buffers (trellis analyse): no copy through a std::string.
char* WriteReportLine(const analytics::CampaignAnalysis& analysis, size_t subject,
                      std::string_view subject_id, char* out, ReportLineCaches* caches = nullptr);
size_t ReportLineBound(const analytics::CampaignAnalysis& analysis, std::string_view subject_id);

// The summary document:
// {"format":"trellis-analysis-summary","version":1,"framework":CODE,"min_group":n,
//  "flag_threshold":x,"totals":{...},"competencies":{CODE:{"alpha":x|null,
//  "alpha_responses":n,"subjects":n,"mean":x|null,"sd":x|null}}}
// ending in '\n'. See docs/analysis.md for each figure.
std::string WriteSummaryJson(const analytics::CampaignAnalysis& analysis,
                             std::string_view framework_code);

// Appends `text` as a JSON string (quotes, escapes of '"', '\\' and control characters; other
// UTF-8 passes through).
void AppendJsonString(std::string_view text, std::string* out);
// Appends a finite double in the shortest form that reads back as the same double; NaN → null.
void AppendJsonNumber(double x, std::string* out);

}  // namespace trellis::formats
