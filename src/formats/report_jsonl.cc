// formats/report_jsonl.cc — JSON Lines report and summary writer (see report_jsonl.h).
#include "formats/report_jsonl.h"

#include <array>
#include <charconv>
#include <cstring>
#include <memory>
#include <vector>

#include "formats/shortest_double.h"

namespace trellis::formats {
namespace {

using analytics::Aggregate;
using analytics::IsNull;
using analytics::ReportGroup;

// Shortest round-trip formatting (std::to_chars, Ryu in libstdc++) was ~15 % of the CPU time of
// `analyse`: a national report holds ~15 million numbers. Most are means of a few small
// integers (item-level self, others and group means, gap, rwg, percentile), so a few thousand
// values recur, and a per-thread direct-mapped cache from a double's bits to its text skips
// the formatting for them; the others go to WriteShortestDouble (formats/shortest_double.h).
// The text is std::to_chars's either way, so the output is unchanged. Kept small
// (64 KiB of 32-byte slots) so that lookups stay in the CPU caches, and zero-initialised (an
// empty slot has size 0) so that the thread_local needs no constructor or guard.
using NumberText = CachedNumber;
static_assert(sizeof(NumberText) == 32);
constexpr int kNumberCacheBits = 11;
thread_local NumberText number_cache[size_t{1} << kNumberCacheBits];

// Writes into a caller's buffer through a raw cursor: an aggregate used to cost ~30
// std::string::append calls (a capacity check and a memcpy call each), and then one append of
// a stack buffer (~2 % of `analyse`'s CPU time in that copy); now a whole line is written in
// place with fixed-size copies. The caller guarantees room (ReportLineBound for a line,
// kAggregateMax for an aggregate, 32 bytes for one number).
class Cursor {
 public:
  explicit Cursor(char* p) : p_(p) {}
  char* end() const { return p_; }

  template <size_t N>
  void Literal(const char (&text)[N]) {  // a string literal: a copy of known size
    std::memcpy(p_, text, N - 1);
    p_ += N - 1;
  }
  void Text(std::string_view text) {
    std::memcpy(p_, text.data(), text.size());
    p_ += text.size();
  }
  void Char(char c) { *p_++ = c; }
  // `text` as a JSON string (see AppendJsonString); needs 6 × text.size() + 2 bytes of room.
  void JsonString(std::string_view text) {
    static constexpr char kHex[] = "0123456789abcdef";
    *p_++ = '"';
    for (char c : text) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        *p_++ = '\\';
        *p_++ = c;
      } else if (u < 0x20) {
        *p_++ = '\\';
        switch (c) {
          case '\n':
            *p_++ = 'n';
            break;
          case '\r':
            *p_++ = 'r';
            break;
          case '\t':
            *p_++ = 't';
            break;
          default:
            Literal("u00");
            *p_++ = kHex[u >> 4];
            *p_++ = kHex[u & 15];
        }
      } else {
        *p_++ = c;
      }
    }
    *p_++ = '"';
  }
  void Int(uint64_t n) { p_ = std::to_chars(p_, p_ + 20, n).ptr; }
  // A finite double in the shortest form that reads back as the same double; NaN → null.
  // Needs 32 bytes of room (24 are copied whatever the number's length).
  void Number(double x) { Number(x, number_cache, kNumberCacheBits); }
  // The same, with a cache of 2^cache_bits slots of the caller's.
  void Number(double x, NumberText* cache, int cache_bits) {
    if (IsNull(x) || !std::isfinite(x)) {
      Literal("null");
      return;
    }
    uint64_t bits;
    std::memcpy(&bits, &x, sizeof bits);
    NumberText& slot = cache[(bits * 0x9E3779B97F4A7C15ull) >> (64 - cache_bits)];
    if (slot.size == 0 || slot.bits != bits) {
      char text[kShortestDoubleRoom];
      const size_t size = static_cast<size_t>(WriteShortestDouble(text, x) - text);
      if (size > sizeof slot.text) {  // longer than 23 characters: not cached (no report value is)
        slot.size = 0;
        std::memcpy(p_, text, 24);
        p_ += size;
        return;
      }
      std::memcpy(slot.text, text, sizeof slot.text);
      slot.size = static_cast<uint8_t>(size);
      slot.bits = bits;
    }
    std::memcpy(p_, slot.text, 24);  // fixed size: text and size byte; only `size` bytes count
    p_ += slot.size;
  }

 private:
  char* p_;
};

constexpr int kPercentileCacheBits = 8;  // slots per item set: 2^8 (ReportLineCaches)
constexpr size_t kPercentileCacheSets = 1024;

// The percentile caches of `caches` for `sets` item sets, or null (none given, or too many sets).
NumberText* PercentileCaches(ReportLineCaches* caches, size_t sets) {
  if (caches == nullptr || sets > kPercentileCacheSets) return nullptr;
  const size_t slots = sets << kPercentileCacheBits;
  if (caches->percentiles.size() < slots) caches->percentiles.resize(slots);
  return caches->percentiles.data();
}

// Room for any one aggregate: ~320 bytes of fixed text and group keys, 13 numbers of at most
// 24 characters (+ 8 bytes of over-copy), 8 integers of at most 10 digits: under 800.
constexpr size_t kAggregateMax = 1024;

using GroupKeyTexts = std::array<std::string, analytics::kReportGroupCount>;

// `"manager":{"mean":` … for each report group, in ReportGroup order.
const GroupKeyTexts& GroupKeys() {
  static const GroupKeyTexts keys = [] {
    GroupKeyTexts k;
    for (int g = 0; g < analytics::kReportGroupCount; ++g)
      k[g] = "\"" + std::string(analytics::ReportGroupName(static_cast<ReportGroup>(g))) +
             "\":{\"mean\":";
    return k;
  }();
  return keys;
}

void AppendInt(uint64_t n, std::string* out) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, n);
  out->append(buf, r.ptr);
}

// `percentile`: the subject's percentile on the set (CampaignAnalysis::Percentile);
// `percentile_cache`: this set's percentile cache (2^kPercentileCacheBits slots), or null.
void AppendAggregate(const Aggregate& a, double percentile, const GroupKeyTexts& group_keys,
                     NumberText* percentile_cache, Cursor& w) {
  w.Literal("{\"self\":");
  w.Number(a.self);
  w.Literal(",\"others\":{\"mean\":");
  w.Number(a.others_mean);
  w.Literal(",\"n\":");
  w.Int(a.others_n);
  w.Literal("},\"groups\":{");
  bool first = true;
  for (int g = 0; g < analytics::kReportGroupCount; ++g) {
    if (a.group_n[g] == 0) continue;
    if (!first) w.Char(',');
    first = false;
    w.Text(group_keys[g]);
    w.Number(a.group_mean[g]);
    w.Literal(",\"n\":");
    w.Int(a.group_n[g]);
    w.Char('}');
  }
  w.Literal("},\"gap\":");
  w.Number(a.gap);
  w.Literal(",\"flag\":");
  if (a.flag == analytics::Flag::kNone) {
    w.Literal("null");
  } else {
    w.Char('"');
    w.Text(analytics::FlagName(a.flag));
    w.Char('"');
  }
  w.Literal(",\"rwg\":");
  w.Number(a.rwg);
  w.Literal(",\"percentile\":");
  if (percentile_cache)
    w.Number(percentile, percentile_cache, kPercentileCacheBits);
  else
    w.Number(percentile);
  w.Literal(",\"profile_gap\":");
  w.Number(a.profile_gap);
  w.Char('}');
}

}  // namespace

void AppendJsonString(std::string_view text, std::string* out) {
  const size_t old = out->size();
  out->resize(old + 6 * text.size() + 2);
  Cursor w(out->data() + old);
  w.JsonString(text);
  out->resize(static_cast<size_t>(w.end() - out->data()));
}

void AppendJsonNumber(double x, std::string* out) {
  char buf[32];
  Cursor w(buf);
  w.Number(x);
  out->append(buf, w.end());
}

size_t ReportLineBound(const analytics::CampaignAnalysis& analysis, std::string_view subject_id) {
  size_t bound = 96 + 6 * subject_id.size() + kAggregateMax;  // keys, the id, overall
  for (size_t k = 1; k < analysis.sets.size(); ++k)
    bound += 6 * analysis.sets[k].code.size() + 4 + kAggregateMax;
  return bound;
}

char* WriteReportLine(const analytics::CampaignAnalysis& analysis, size_t subject,
                      std::string_view subject_id, char* out, ReportLineCaches* caches) {
  const size_t sets = analysis.sets.size();
  const Aggregate* aggregates = &analysis.aggregates[subject * sets];
  const GroupKeyTexts& group_keys = GroupKeys();
  NumberText* const percentile_caches = PercentileCaches(caches, sets);
  auto percentile_cache = [&](size_t k) {
    return percentile_caches ? percentile_caches + (k << kPercentileCacheBits) : nullptr;
  };
  Cursor w(out);
  w.Literal("{\"subject\":");
  w.JsonString(subject_id);
  w.Literal(",\"overall\":");
  AppendAggregate(aggregates[0], analysis.Percentile(subject, 0), group_keys, percentile_cache(0),
                  w);
  // Sets come grouped by level (overall, domains, competencies, items); open an object per level.
  static constexpr std::string_view kLevelKeys[] = {"", ",\"domains\":{", ",\"competencies\":{",
                                                    ",\"items\":{"};
  int level = 0;
  bool first = true;
  for (size_t k = 1; k < sets; ++k) {
    const int set_level = static_cast<int>(analysis.sets[k].level);
    while (level < set_level) {
      if (level > 0) w.Char('}');
      ++level;
      w.Text(kLevelKeys[level]);
      first = true;
    }
    if (!first) w.Char(',');
    first = false;
    w.JsonString(analysis.sets[k].code);
    w.Char(':');
    AppendAggregate(aggregates[k], analysis.Percentile(subject, k), group_keys, percentile_cache(k),
                    w);
  }
  while (level < 3) {  // levels with no sets (an empty framework) still get their object
    if (level > 0) w.Char('}');
    ++level;
    w.Text(kLevelKeys[level]);
  }
  w.Literal("}}\n");
  return w.end();
}

void AppendReportLine(const analytics::CampaignAnalysis& analysis, size_t subject,
                      std::string_view subject_id, std::string* out, ReportLineCaches* caches) {
  // The bound is ~4 × the line: written into a scratch buffer (not zero-filled) and copied.
  const auto line = std::make_unique_for_overwrite<char[]>(ReportLineBound(analysis, subject_id));
  const char* end = WriteReportLine(analysis, subject, subject_id, line.get(), caches);
  out->append(line.get(), static_cast<size_t>(end - line.get()));
}

std::string WriteSummaryJson(const analytics::CampaignAnalysis& analysis,
                             std::string_view framework_code) {
  std::string out;
  out.append("{\"format\":\"trellis-analysis-summary\",\"version\":1,\n\"framework\":");
  AppendJsonString(framework_code, &out);
  out.append(",\"min_group\":");
  AppendInt(static_cast<uint64_t>(analysis.min_group), &out);
  out.append(",\"flag_threshold\":");
  AppendJsonNumber(analysis.flag_threshold, &out);
  const analytics::AnalysisTotals& t = analysis.totals;
  out.append(",\n\"totals\":{\"subjects\":");
  AppendInt(t.subjects, &out);
  out.append(",\"subjects_with_others\":");
  AppendInt(t.subjects_with_others, &out);
  out.append(",\"raters\":");
  AppendInt(t.raters, &out);
  out.append(",\"responses\":");
  AppendInt(t.responses, &out);
  out.append(",\"ratings\":");
  AppendInt(t.ratings, &out);
  out.append(",\"not_observed\":");
  AppendInt(t.not_observed, &out);
  out.append("},\n\"competencies\":{");
  for (size_t c = 0; c < analysis.competencies.size(); ++c) {
    const analytics::CompetencySummary& s = analysis.competencies[c];
    out.append(c == 0 ? "\n" : ",\n");
    AppendJsonString(s.code, &out);
    out.append(":{\"alpha\":");
    AppendJsonNumber(s.alpha, &out);
    out.append(",\"alpha_responses\":");
    AppendInt(static_cast<uint64_t>(s.alpha_responses), &out);
    out.append(",\"subjects\":");
    AppendInt(s.subjects, &out);
    out.append(",\"mean\":");
    AppendJsonNumber(s.mean, &out);
    out.append(",\"sd\":");
    AppendJsonNumber(s.sd, &out);
    out.push_back('}');
  }
  out.append("\n}}\n");
  return out;
}

}  // namespace trellis::formats
