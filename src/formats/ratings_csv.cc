// formats/ratings_csv.cc — the parallel ratings reader (see ratings_csv.h).
//
// Why hand-written: the generic reader (formats/csv.h) builds a std::string per field and a
// vector per row, which for 10 million rows costs more than all of the analysis. Here a record
// is tokenized into string_views over the mapped file (quoted fields are unescaped only when they
// hold a doubled quote), validated against the framework, and reduced to an 8-byte row (its
// subject kept once per run of rows) with ids interned in a per-thread open-addressing table.
// Nothing else is allocated per row.
//
// Parallel parsing and quotes: the data is cut into chunks at the first '\n' after evenly spaced
// offsets. Such a cut is a guess: the '\n' might sit inside a quoted comment. Each worker parses
// its chunk from its guessed start and records where its last record really ended ("reached").
// Afterwards the chunks are checked in file order: chunk c is right exactly when the previous,
// already verified chunk ended at c's start (a cut inside a quoted field is always overrun by the
// record containing it). A wrong chunk's results are dropped and the range is parsed again
// sequentially from the verified position. So any valid or invalid file gives the same rows and
// the same errors as a sequential parse; quotes only cost speed when a cut lands inside one.
//
// The repeat fast path: in a campaign file nearly every record starts as the previous valid one
// did (same subject, rater and group) and names the next item of the framework. Such a record is
// matched as bytes against that expected text and taken with the previous record's ids, without
// tokenizing or validating field by field or looking the ids up (RecordParser::ParseRepeat says
// why that is exact). It cut the reader's CPU time by about half on the benchmark campaign.
//
// Line numbers are not tracked while parsing: an error records the byte offset of its record,
// and lines are counted (one pass over the text) only when there are errors to report. Errors
// that need all rows of a subject (one rater in two groups, a duplicate rating) are found after
// grouping, by row position within the subject; their offsets come from a second, sequential
// scan that runs only then. A caller may leave those two checks to its own pass over the rows
// (RatingsReadOptions::check_pairs: `trellis analyse`, whose analysis checks them).
#include "formats/ratings_csv.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/page_pool.h"
#include "core/parallel.h"
#include "formats/csv.h"

namespace trellis::formats {
namespace {

using model::RaterGroup;

// ---------------------------------------------------------------------------------------------
// Interning.

inline uint64_t HashBytes(const char* p, size_t n) {
  uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 32;
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    // The 1–7 byte tail in at most two fixed-size loads (a variable-length memcpy compiles to a
    // byte loop, and item codes such as "D1C1I1" are all tail). Overlapping loads lose no byte;
    // the length is already mixed in.
    uint64_t w;
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = a | static_cast<uint64_t>(b) << 32;
    } else {
      const auto byte = [p](size_t i) { return static_cast<uint64_t>(static_cast<uint8_t>(p[i])); };
      w = byte(0) | byte(n / 2) << 8 | byte(n - 1) << 16;
    }
    h = (h ^ w) * 0xC4CEB9FE1A85EC53ull;
  }
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDull;
  h ^= h >> 29;
  return h;
}

// Equality of short strings without a call to memcmp: ids and codes are mostly 4–16 bytes and
// the reader compares several of them per row (last ids, the guessed item, self = subject).
// Overlapping fixed-size loads cover every byte of both strings and nothing outside them.
[[gnu::always_inline]] inline bool SameBytes(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* p = a.data();
  const char* q = b.data();
  if (n > 16) return std::memcmp(p, q, n) == 0;
  if (n >= 8) {
    uint64_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 8);
    std::memcpy(&y0, q, 8);
    std::memcpy(&x1, p + n - 8, 8);
    std::memcpy(&y1, q + n - 8, 8);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, p, 4);
    std::memcpy(&y0, q, 4);
    std::memcpy(&x1, p + n - 4, 4);
    std::memcpy(&y1, q + n - 4, 4);
    return ((x0 ^ y0) | (x1 ^ y1)) == 0;
  }
  for (size_t i = 0; i < n; ++i)
    if (p[i] != q[i]) return false;
  return true;
}

// Equality of n bytes at a and b (n of any size, typically 16–40: the repeated start of a
// record), in 16-byte SSE2 loads, the last one overlapping; reads nothing outside either range.
[[gnu::always_inline]] inline bool EqualBytes(const char* a, const char* b, size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    const auto differ = [](const char* x, const char* y) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(x));
      const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(y));
      return _mm_movemask_epi8(_mm_cmpeq_epi8(v, w)) != 0xFFFF;
    };
    for (size_t i = 0; i + 16 < n; i += 16)
      if (differ(a + i, b + i)) return false;
    return !differ(a + n - 16, b + n - 16);
  }
#endif
  return SameBytes(std::string_view(a, n), std::string_view(b, n));
}

// String → dense id (0, 1, 2 … in order of first insertion). Open addressing, linear probing.
// A slot holds the string's first 8 bytes (zero-padded), 28 bits of hash with its length (up
// to 15) and id + 1. Ids of up to 8 bytes (S000123, R0001234) are thus compared within the
// slot: with a campaign's hundreds of thousands of raters the table is far larger than the CPU
// caches, and looking at the stored string as well cost two more cache misses per lookup.
// The table (megabytes for raters) takes its memory from PagePool: inside `trellis analyse` the
// tables freed as it grows, and the last one after the merge, hand their pages on instead of
// the next large block faulting in fresh ones.
class Interner {
 public:
  static constexpr uint32_t kAbsent = UINT32_MAX;

  explicit Interner(size_t expected = 256) {
    size_t cap = 64;
    while (cap < expected * 2) cap <<= 1;
    slots_.assign(cap, Slot{});
    offsets_.push_back(0);
  }

  uint32_t Intern(std::string_view s) {
    const uint64_t h = HashBytes(s.data(), s.size());
    const uint64_t head = Head(s);
    const uint32_t tag = Tag(h, s.size());
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id1 == 0) {
        const uint32_t id = static_cast<uint32_t>(offsets_.size() - 1);
        arena_.append(s);
        offsets_.push_back(arena_.size());
        slots_[i] = Slot{head, tag, id + 1};
        if ((id + 1) * 2 > slots_.size()) Grow();
        return id;
      }
      if (Matches(slot, head, tag, s)) return slot.id1 - 1;
    }
  }

  uint32_t Find(std::string_view s) const {
    const uint64_t h = HashBytes(s.data(), s.size());
    const uint64_t head = Head(s);
    const uint32_t tag = Tag(h, s.size());
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      const Slot& slot = slots_[i];
      if (slot.id1 == 0) return kAbsent;
      if (Matches(slot, head, tag, s)) return slot.id1 - 1;
    }
  }

  // Valid until the next Intern().
  std::string_view View(uint32_t id) const {
    return std::string_view(arena_).substr(offsets_[id], offsets_[id + 1] - offsets_[id]);
  }
  size_t size() const { return offsets_.size() - 1; }

 private:
  struct Slot {
    uint64_t head = 0;  // first 8 bytes, zero-padded
    uint32_t tag = 0;   // hash bits 36..63, then min(length, 15) in the low 4 bits
    uint32_t id1 = 0;   // id + 1; 0 = empty
  };

  static uint64_t Head(std::string_view s) {
    const char* p = s.data();
    const size_t n = s.size();
    uint64_t w = 0;
    if (n >= 8) {
      std::memcpy(&w, p, 8);
    } else if (n >= 4) {  // two overlapping loads, each byte at its own position
      uint32_t a, b;
      std::memcpy(&a, p, 4);
      std::memcpy(&b, p + n - 4, 4);
      w = a | static_cast<uint64_t>(b) << (8 * (n - 4));
    } else {
      for (size_t i = 0; i < n; ++i)
        w |= static_cast<uint64_t>(static_cast<uint8_t>(p[i])) << 8 * i;
    }
    return w;
  }
  static uint32_t Tag(uint64_t h, size_t n) {
    return (static_cast<uint32_t>(h >> 32) & ~15u) | static_cast<uint32_t>(std::min<size_t>(n, 15));
  }
  // Equal tags imply equal lengths up to 15, so a string of at most 8 bytes matches on its head.
  bool Matches(const Slot& slot, uint64_t head, uint32_t tag, std::string_view s) const {
    if (slot.tag != tag || slot.head != head) return false;
    return s.size() <= 8 || SameBytes(View(slot.id1 - 1), s);
  }

  void Grow() {
    std::vector<Slot, PoolAllocator<Slot>> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id1 == 0) continue;
      const std::string_view s = View(slot.id1 - 1);
      size_t i = HashBytes(s.data(), s.size()) & mask;
      while (slots_[i].id1 != 0) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot, PoolAllocator<Slot>> slots_;
  std::string arena_;
  std::vector<size_t> offsets_;
};

// ---------------------------------------------------------------------------------------------
// Records.

enum Role : uint8_t { kSubject, kRater, kGroup, kItem, kScore, kComment, kIgnored };
constexpr int kKnownRoles = 6;
constexpr const char* kRoleNames[kKnownRoles] = {"subject", "rater", "group",
                                                 "item",    "score", "comment"};
constexpr std::string_view kExpectedColumns = "subject,rater,group,item,score[,comment]";

struct Layout {
  std::vector<Role> roles;                             // per column
  int column[kKnownRoles] = {-1, -1, -1, -1, -1, -1};  // per role; −1 when absent
  const Interner* items = nullptr;                     // item code → item index
  const std::string* framework_code = nullptr;
  int scale_min = 1, scale_max = 5;
  // Set when RecordParser's repeat fast path applies: the columns are exactly
  // subject,rater,group,item,score[,comment] and no item code holds a byte special to CSV.
  bool repeat_path = false;
  std::vector<std::string> item_fields;  // per item: its code followed by ','
};

// A valid record, reduced.
struct ParsedRow {
  std::string_view subject, rater, comment;
  RaterGroup group = RaterGroup::kPeer;
  uint16_t item = 0;
  int8_t score = model::kNotObserved;
  bool same_ids = false;  // subject and rater are those of the previous valid record
};

// A parsed row; its subject is that of its SubjectRun.
struct ChunkRow {
  uint32_t rater;  // worker-local id until merged
  uint16_t item;
  RaterGroup group;
  int8_t score;
};
static_assert(sizeof(ChunkRow) == 8, "a row must stay compact");
// A national campaign's parsed rows (~84 MB) are freed once sorted into columns; from
// PagePool, their pages go on to the analysis's aggregate array inside `trellis analyse`.
using ChunkRows = std::vector<ChunkRow, PoolAllocator<ChunkRow>>;

// Rows come in runs of one subject (a file is usually grouped by subject): the subject is kept
// once per run, which starts at row `begin` and ends where the next run starts. The counting
// sort and the scatter into columns go run by run without reading a subject per row (keeping
// one in every row made rows 12 bytes and cost the counting sort a pass over all of them).
struct SubjectRun {
  uint32_t subject;  // worker-local id until merged
  uint32_t begin;
};

struct ChunkComment {
  uint32_t row;      // in the chunk
  uint32_t subject;  // worker-local
  std::string text;
};

struct RowError {
  size_t offset = 0;  // of the record
  std::string message;
};

std::string Shown(std::string_view value) {
  constexpr size_t kMax = 40;
  if (value.size() <= kMax) return std::string(value);
  return std::string(value.substr(0, kMax)) + "…";
}

std::optional<RaterGroup> ParseGroupFast(std::string_view s) {
  // Dispatch on length first: this runs once per row (SameBytes: no memcmp call).
  switch (s.size()) {
    case 4:
      if (SameBytes(s, "self")) return RaterGroup::kSelf;
      if (SameBytes(s, "peer")) return RaterGroup::kPeer;
      break;
    case 5:
      if (SameBytes(s, "other")) return RaterGroup::kOther;
      break;
    case 7:
      if (SameBytes(s, "manager")) return RaterGroup::kManager;
      if (SameBytes(s, "partner")) return RaterGroup::kPartner;
      break;
    case 9:
      if (SameBytes(s, "community")) return RaterGroup::kCommunity;
      break;
    case 13:
      if (SameBytes(s, "direct_report")) return RaterGroup::kDirectReport;
      break;
  }
  return std::nullopt;
}

struct SpecialTable {
  bool special[256] = {};
  constexpr SpecialTable() {
    special[static_cast<unsigned char>(',')] = true;
    special[static_cast<unsigned char>('\n')] = true;
    special[static_cast<unsigned char>('\r')] = true;
    special[static_cast<unsigned char>('"')] = true;
  }
};
constexpr SpecialTable kSpecial;

// SWAR scan for the end of an unquoted field, 8 bytes at a time instead of a table lookup and a
// branch per byte (the byte loop was most of the tokenizer's time). ZeroBytes flags (high bit)
// the zero bytes of v; flags above the lowest one may be false (borrows), the lowest is exact,
// and only the lowest is used.
constexpr uint64_t kOnes = 0x0101010101010101ull, kHighBits = 0x8080808080808080ull;
constexpr uint64_t ZeroBytes(uint64_t v) { return (v - kOnes) & ~v & kHighBits; }
constexpr uint64_t SpecialBytes(uint64_t w) {
  return ZeroBytes(w ^ (kOnes * ',')) | ZeroBytes(w ^ (kOnes * '\n')) |
         ZeroBytes(w ^ (kOnes * '\r')) | ZeroBytes(w ^ (kOnes * '"'));
}

// Where parsing reports progress and gives pages back to the kernel.
struct ParseHooks {
  std::atomic<uint64_t>* bytes_parsed = nullptr;
  const char* mapped_base = nullptr;  // non-null when the text is a private file mapping
};

// Tokenizes and validates records. One per thread (holds scratch buffers).
class RecordParser {
 public:
  RecordParser(std::string_view text, const Layout& layout)
      : text_(text),
        layout_(layout),
        columns_(static_cast<int>(layout.roles.size())),
        fields_(layout.roles.size()),
        unescaped_(layout.roles.size()) {}

  // Parses the records starting in [pos, stop): calls on_row(const ParsedRow&, offset) for each
  // valid record and on_error(offset, message) for each bad one, which returns false to stop.
  // Returns where the next record starts (≥ stop unless stopped), or the text's end.
  template <typename OnRow, typename OnError>
  size_t Parse(size_t pos, size_t stop, const ParseHooks& hooks, OnRow&& on_row,
               OnError&& on_error) {
    constexpr size_t kReportEvery = 8u << 20;
    const size_t n = text_.size();
    const char* s = text_.data();
    size_t reported = pos, next_report = pos + kReportEvery;
    ParsedRow row;
    std::string problem;
    while (pos < stop && pos < n) {
      if (pos >= next_report) {
        Report(hooks, reported, pos);
        reported = pos;
        next_report = pos + kReportEvery;
      }
      // The file is read once, front to back, from pages mapped 64 KiB at a time; the CPU's
      // prefetcher stops at each 4 KiB page, and the first loads of a page's lines stalled
      // (the fast path's compares were ~40 % of this parser's time in a perf profile). Asking
      // for the line 2 KiB ahead took ~35 ms off the CPU time of a national `analyse`.
      if (pos + 2048 < n) __builtin_prefetch(s + pos + 2048);
      if (repeat_ready_) {
        const size_t next = ParseRepeat(pos, &row);
        if (next != 0) {
          on_row(row, pos);
          pos = next;
          continue;
        }
      }
      if (s[pos] == '\n') {  // blank line
        ++pos;
        continue;
      }
      if (s[pos] == '\r' && pos + 1 < n && s[pos + 1] == '\n') {
        pos += 2;
        continue;
      }
      const size_t record = pos;
      Tok tok = TokenizePlain(pos) ? Tok::kRecord : Tokenize(pos, &problem);
      if (tok == Tok::kRecord && Validate(&row, &problem)) {
        row.same_ids = false;
        if (layout_.repeat_path) RememberRepeat(row);
        on_row(row, record);
        continue;
      }
      if (!on_error(record, std::move(problem))) return pos;
      if (tok == Tok::kUnterminated) break;
    }
    Report(hooks, reported, std::min(pos, n));
    return std::min(pos, n);
  }

 private:
  enum class Tok { kRecord, kBad, kUnterminated };

  // The repeat fast path. Rows come in runs of one subject and rater scoring item after item, so
  // most records are `SUBJECT,RATER,GROUP,` of the previous valid record, then the code of the
  // item after its item, then a one-digit or empty score and an empty comment. Such a record is
  // recognised by comparing its bytes with those expected, and is valid with the same values:
  // the strings compared contain no byte special to CSV (',', '"', '\r', '\n'), so Tokenize
  // would split it into exactly these fields, and Validate would accept them as it accepted the
  // previous record's (same subject, rater and group) and the item and score (checked here).
  // Anything else, including a record that differs only in the comment or a line end, goes the
  // general way, so errors and their messages are unchanged. Returns the start of the next
  // record and fills `row`, or returns 0 (no match; `row` may have been changed).
  [[gnu::always_inline]] size_t ParseRepeat(size_t pos, ParsedRow* row) {
    const char* s = text_.data();
    const size_t n = text_.size();
    const size_t head = repeat_.size();
    const uint32_t guess = last_item_ + 1 < layout_.item_fields.size() ? last_item_ + 1 : 0;
    const std::string& item = layout_.item_fields[guess];
    // Room for the longest form: HEAD ITEM, digit, ',' (with a comment column), '\n'.
    const size_t p = pos + head + item.size();
    if (p + 3 > n || !EqualBytes(s + pos, repeat_.data(), head) ||
        !EqualBytes(s + pos + head, item.data(), item.size()))
      return 0;
    const char end = has_comment_ ? ',' : '\n';
    size_t q = p;
    int8_t score = model::kNotObserved;
    if (s[q] != end) {
      const int digit = s[q] - '0';
      if (digit < 0 || digit > 9 || digit < layout_.scale_min || digit > layout_.scale_max)
        return 0;
      score = static_cast<int8_t>(digit);
      ++q;
      if (s[q] != end) return 0;
    }
    ++q;
    if (has_comment_) {
      if (s[q] != '\n') return 0;
      ++q;
    }
    row->subject = std::string_view(s + pos, repeat_subject_);
    row->rater = std::string_view(s + pos + repeat_subject_ + 1, repeat_rater_);
    row->comment = std::string_view();
    row->group = repeat_group_;
    row->item = static_cast<uint16_t>(guess);
    row->score = score;
    row->same_ids = true;
    last_item_ = guess;
    return q;
  }

  // After a valid record from the general path: the start that the next records may repeat.
  void RememberRepeat(const ParsedRow& row) {
    const auto plain = [](std::string_view v) {
      for (char c : v)
        if (c == ',' || c == '"' || c == '\n' || c == '\r') return false;
      return true;
    };
    repeat_ready_ = plain(row.subject) && plain(row.rater);
    if (!repeat_ready_) return;
    repeat_.assign(row.subject);
    repeat_ += ',';
    repeat_.append(row.rater);
    repeat_ += ',';
    repeat_.append(model::RaterGroupName(row.group));
    repeat_ += ',';
    repeat_subject_ = row.subject.size();
    repeat_rater_ = row.rater.size();
    repeat_group_ = row.group;
  }

  void Report(const ParseHooks& hooks, size_t from, size_t to) {
    if (hooks.bytes_parsed && to > from) hooks.bytes_parsed->fetch_add(to - from);
    if (hooks.mapped_base && to > from) {
      // Give parsed pages back: they are clean file pages, re-read from the page cache if an
      // error path ever looks at them again. Keeps resident memory near the rows' size.
      const uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
      uintptr_t a = reinterpret_cast<uintptr_t>(text_.data() + from);
      uintptr_t b = reinterpret_cast<uintptr_t>(text_.data() + to);
      a = (a + page - 1) & ~(page - 1);
      b &= ~(page - 1);
      if (b > a) madvise(reinterpret_cast<void*>(a), b - a, MADV_DONTNEED);
    }
  }

  std::string FieldName(int col) const {
    if (col < columns_ && layout_.roles[col] != kIgnored)
      return std::string("field '") + kRoleNames[layout_.roles[col]] + "'";
    return "field " + std::to_string(col + 1);
  }

  size_t SkipLine(size_t p) const {
    const void* nl = std::memchr(text_.data() + p, '\n', text_.size() - p);
    return nl ? static_cast<const char*>(nl) - text_.data() + 1 : text_.size();
  }

  // The fast path of Tokenize for the common record: no quote, no '\r', the header's number of
  // fields, a '\n' at least 16 bytes before the end of the text. 16 bytes at a time (SSE2,
  // baseline on x86-64), a bit mask of the separators up to the record's '\n' gives every
  // field without looking at bytes one by one. Fills fields_ and high_ as Tokenize does and
  // returns true; returns false, having changed nothing that Tokenize does not set again, for
  // any other record, which Tokenize then handles (and reports) as before.
  bool TokenizePlain(size_t& pos) {
#if defined(__SSE2__)
    const char* s = text_.data();
    const size_t n = text_.size();
    const __m128i comma = _mm_set1_epi8(','), newline = _mm_set1_epi8('\n');
    const __m128i quote = _mm_set1_epi8('"'), cr = _mm_set1_epi8('\r');
    size_t field_start = pos;
    unsigned high = 0;
    int col = 0;
    for (size_t p = pos; p + 16 <= n; p += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + p));
      const unsigned nl = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, newline)));
      // Bytes of this record in the block: up to and including its '\n'.
      const unsigned mine = nl ? (nl ^ (nl - 1)) : 0xFFFFu;
      const unsigned bad = static_cast<unsigned>(
          _mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, cr))));
      if (bad & mine) return false;
      high |= static_cast<unsigned>(_mm_movemask_epi8(v)) & mine;
      unsigned separators =
          (static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, comma))) | nl) & mine;
      while (separators) {
        const size_t at = p + static_cast<size_t>(std::countr_zero(separators));
        if (col < columns_) fields_[col] = std::string_view(s + field_start, at - field_start);
        ++col;
        field_start = at + 1;
        separators &= separators - 1;
      }
      if (nl) {
        if (col != columns_) return false;  // Tokenize words the error
        high_ = high ? 0x80 : 0;
        pos = field_start;  // just past the '\n'
        return true;
      }
    }
#else
    (void)pos;
#endif
    return false;
  }

  // Splits the record at `pos` into fields_; advances `pos` to the next record.
  Tok Tokenize(size_t& pos, std::string* problem) {
    const char* s = text_.data();
    const size_t n = text_.size();
    size_t p = pos;
    int col = 0;
    unsigned char high = 0;
    for (;;) {
      std::string_view field;
      if (p < n && s[p] == '"') {
        std::string* buf = col < columns_ ? &unescaped_[col] : &overflow_;
        bool escaped = false;
        size_t segment = p + 1;
        for (size_t q = p + 1;;) {
          const void* hit = std::memchr(s + q, '"', n - q);
          if (!hit) {
            *problem = FieldName(col) + ": unterminated quoted field (a '\"' is never closed)";
            pos = n;
            return Tok::kUnterminated;
          }
          const size_t quote = static_cast<const char*>(hit) - s;
          if (quote + 1 < n && s[quote + 1] == '"') {  // a doubled quote stands for one
            if (!escaped) buf->clear();
            escaped = true;
            buf->append(s + segment, quote + 1 - segment);
            q = segment = quote + 2;
            continue;
          }
          if (escaped) {
            buf->append(s + segment, quote - segment);
            field = *buf;
          } else {
            field = std::string_view(s + p + 1, quote - p - 1);
          }
          p = quote + 1;
          break;
        }
        for (char c : field) high |= static_cast<unsigned char>(c);
        if (p < n && s[p] == '\r' && (p + 1 == n || s[p + 1] == '\n')) ++p;
        if (p < n && s[p] != ',' && s[p] != '\n') {
          *problem = FieldName(col) +
                     ": unexpected character after a closing quote (quote the whole field and "
                     "double any '\"' inside it)";
          pos = SkipLine(p);
          return Tok::kBad;
        }
      } else {
        const size_t start = p;
        if constexpr (std::endian::native == std::endian::little) {
          while (p + 8 <= n) {
            uint64_t w;
            std::memcpy(&w, s + p, 8);
            const uint64_t special = SpecialBytes(w);
            if (special == 0) {
              if (w & kHighBits) high |= 0x80;
              p += 8;
              continue;
            }
            const int k = std::countr_zero(special) / 8;  // bytes before the first special one
            if (k > 0 && (w & kHighBits & (~0ull >> (64 - 8 * k)))) high |= 0x80;
            p += static_cast<size_t>(k);
            break;
          }
        }
        for (;;) {
          while (p < n && !kSpecial.special[static_cast<unsigned char>(s[p])]) {
            high |= static_cast<unsigned char>(s[p]);
            ++p;
          }
          if (p < n && s[p] == '\r') {
            if (p + 1 == n || s[p + 1] == '\n') {  // CRLF: the '\r' is not data
              field = std::string_view(s + start, p - start);
              ++p;
              break;
            }
            ++p;  // a lone '\r' is data
            continue;
          }
          if (p < n && s[p] == '"') {
            *problem = FieldName(col) +
                       ": a '\"' inside an unquoted field (quote the field and double the '\"')";
            pos = SkipLine(p);
            return Tok::kBad;
          }
          field = std::string_view(s + start, p - start);
          break;
        }
      }
      if (col < columns_) fields_[col] = field;
      ++col;
      if (p >= n || s[p] == '\n') {
        pos = p < n ? p + 1 : n;
        break;
      }
      ++p;  // ','
    }
    if (col != columns_) {
      *problem = "expected " + std::to_string(columns_) + " fields as in the header, found " +
                 std::to_string(col);
      return Tok::kBad;
    }
    high_ = high;
    return Tok::kRecord;
  }

  std::string_view Field(Role role) const {
    const int c = layout_.column[role];
    return c < 0 ? std::string_view() : fields_[c];
  }

  bool Validate(ParsedRow* row, std::string* problem) {
    if (high_ & 0x80) {
      for (int c = 0; c < columns_; ++c) {
        if (!IsValidUtf8(fields_[c])) {
          *problem = FieldName(c) + ": invalid UTF-8 text";
          return false;
        }
      }
    }
    row->subject = Field(kSubject);
    row->rater = Field(kRater);
    if (row->subject.empty()) {
      *problem = "field 'subject': empty (every rating names its subject)";
      return false;
    }
    if (row->rater.empty()) {
      *problem = "field 'rater': empty (every rating names its rater)";
      return false;
    }
    const std::string_view group = Field(kGroup);
    std::optional<RaterGroup> g = ParseGroupFast(group);
    if (!g) {
      *problem = "field 'group': unknown group '" + Shown(group) +
                 "' (expected one of: self, manager, peer, direct_report, partner, community, "
                 "other)";
      return false;
    }
    row->group = *g;
    const std::string_view item = Field(kItem);
    // A rater's rows usually list the items in framework order: try the one after the last
    // item first, and hash only when that guess is wrong.
    const size_t item_count = layout_.items->size();
    const uint32_t guess = last_item_ + 1 < item_count ? last_item_ + 1 : 0;  // wraps from none
    const uint32_t item_index = item_count > 0 && SameBytes(layout_.items->View(guess), item)
                                    ? guess
                                    : layout_.items->Find(item);
    if (item_index == Interner::kAbsent) {
      *problem = "field 'item': unknown item '" + Shown(item) + "' (not in framework '" +
                 *layout_.framework_code + "')";
      return false;
    }
    row->item = static_cast<uint16_t>(item_index);
    last_item_ = item_index;
    const std::string_view score = Field(kScore);
    if (score.empty()) {
      row->score = model::kNotObserved;
    } else if (score.size() == 1 && score[0] >= '0' && score[0] <= '9') {  // the common case
      if (!SetScore(score[0] - '0', row, problem)) return false;
    } else {
      size_t i = (score[0] == '-' || score[0] == '+') ? 1 : 0;
      bool digits = i < score.size();
      int64_t value = 0;
      for (size_t k = i; k < score.size(); ++k) {
        if (score[k] < '0' || score[k] > '9') {
          digits = false;
          break;
        }
        if (value < 1000000) value = value * 10 + (score[k] - '0');
      }
      if (!digits) {
        *problem = "field 'score': '" + Shown(score) + "' is not an integer on the scale " +
                   std::to_string(layout_.scale_min) + ".." + std::to_string(layout_.scale_max) +
                   " (leave it empty for \"not observed\")";
        return false;
      }
      if (score[0] == '-') value = -value;
      if (!SetScore(value, row, problem)) return false;
    }
    if (row->group == RaterGroup::kSelf && !SameBytes(row->rater, row->subject)) {
      *problem = "field 'rater': a 'self' rating's rater must be its subject '" +
                 Shown(row->subject) + "', found '" + Shown(row->rater) + "'";
      return false;
    }
    if (row->group != RaterGroup::kSelf && SameBytes(row->rater, row->subject)) {
      *problem = "field 'group': rater '" + Shown(row->rater) +
                 "' is the subject, so the group must be 'self', found '" + std::string(group) +
                 "'";
      return false;
    }
    row->comment = Field(kComment);
    return true;
  }

  bool SetScore(int64_t value, ParsedRow* row, std::string* problem) const {
    if (value < layout_.scale_min || value > layout_.scale_max) {
      *problem = "field 'score': " + std::to_string(value) + " is outside the scale " +
                 std::to_string(layout_.scale_min) + ".." + std::to_string(layout_.scale_max);
      return false;
    }
    row->score = static_cast<int8_t>(value);
    return true;
  }

  std::string_view text_;
  const Layout& layout_;
  const int columns_;
  std::vector<std::string_view> fields_;
  std::vector<std::string> unescaped_;
  std::string overflow_;
  unsigned char high_ = 0;
  uint32_t last_item_ = UINT32_MAX;  // item index of the last valid record (see Validate)
  // The repeat fast path (ParseRepeat): the previous valid record's "SUBJECT,RATER,GROUP,".
  const bool has_comment_ = layout_.column[kComment] >= 0;
  bool repeat_ready_ = false;
  std::string repeat_;
  size_t repeat_subject_ = 0, repeat_rater_ = 0;
  RaterGroup repeat_group_ = RaterGroup::kPeer;
};

// ---------------------------------------------------------------------------------------------
// Chunks and workers.

struct Worker {
  Interner subjects{1024};
  Interner raters{16384};
};

struct Chunk {
  size_t begin = 0, end = 0;  // guessed record boundaries
  size_t reached = 0;         // where the last parsed record ended
  bool stopped = false;       // stopped after max_errors problems
  int worker = -1;
  ChunkRows rows;
  std::vector<SubjectRun> runs;
  std::vector<ChunkComment> comments;
  std::vector<RowError> errors;

  // The end of run r (exclusive).
  uint32_t RunEnd(size_t r) const {
    return r + 1 < runs.size() ? runs[r + 1].begin : static_cast<uint32_t>(rows.size());
  }
};

void ParseChunk(std::string_view text, const Layout& layout, const ParseHooks& hooks,
                size_t max_errors, bool keep_comments, size_t expected_rows, Worker& worker,
                int worker_index, Chunk& chunk) {
  RecordParser parser(text, layout);
  chunk.worker = worker_index;
  chunk.rows.reserve(expected_rows);
  // Rows usually come grouped by subject and rater, so the last ids are checked before hashing.
  uint32_t last_subject = Interner::kAbsent, last_rater = Interner::kAbsent;
  chunk.reached = parser.Parse(
      chunk.begin, chunk.end, hooks,
      [&](const ParsedRow& row, size_t) {
        if (row.same_ids) {  // same subject: the run goes on
          chunk.rows.push_back({last_rater, row.item, row.group, row.score});
          return;
        }
        if (last_subject == Interner::kAbsent ||
            !SameBytes(worker.subjects.View(last_subject), row.subject))
          last_subject = worker.subjects.Intern(row.subject);
        if (last_rater == Interner::kAbsent ||
            !SameBytes(worker.raters.View(last_rater), row.rater))
          last_rater = worker.raters.Intern(row.rater);
        const auto at = static_cast<uint32_t>(chunk.rows.size());
        if (chunk.runs.empty() || chunk.runs.back().subject != last_subject)
          chunk.runs.push_back({last_subject, at});
        if (keep_comments && !row.comment.empty())
          chunk.comments.push_back({at, last_subject, std::string(row.comment)});
        chunk.rows.push_back({last_rater, row.item, row.group, row.score});
      },
      [&](size_t offset, std::string message) {
        chunk.errors.push_back({offset, std::move(message)});
        if (chunk.errors.size() >= max_errors) {
          chunk.stopped = true;
          return false;
        }
        return true;
      });
}

// Merges the workers' interners: ids in byte order of the strings, and per worker a map from
// local to global id. `split`: sort the two halves on two threads, then merge them (the rater
// ids of a national campaign, a few hundred thousand, took one core ~20 ms to sort).
void MergeIds(const std::vector<const Interner*>& interners, std::vector<std::string>* ids,
              std::vector<std::vector<uint32_t>>* remap, bool split) {
  struct Entry {
    uint64_t prefix;  // first 8 bytes, big-endian: most comparisons stop here
    std::string_view text;
    uint32_t worker, local;
  };
  std::vector<Entry> entries;
  size_t total = 0;
  for (const Interner* in : interners) total += in->size();
  entries.reserve(total);
  remap->resize(interners.size());
  for (uint32_t w = 0; w < interners.size(); ++w) {
    (*remap)[w].assign(interners[w]->size(), 0);
    for (uint32_t id = 0; id < interners[w]->size(); ++id) {
      std::string_view s = interners[w]->View(id);
      uint64_t prefix = 0;
      for (size_t i = 0; i < 8; ++i)
        prefix = (prefix << 8) | (i < s.size() ? static_cast<unsigned char>(s[i]) : 0);
      entries.push_back({prefix, s, w, id});
    }
  }
  const auto less = [](const Entry& a, const Entry& b) {
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return a.text < b.text;
  };
  const auto middle = entries.begin() + static_cast<ptrdiff_t>(entries.size() / 2);
  if (split && entries.size() >= 65536) {
    std::thread half([&] { std::sort(entries.begin(), middle, less); });
    std::sort(middle, entries.end(), less);
    half.join();
    std::inplace_merge(entries.begin(), middle, entries.end(), less);
  } else {
    std::sort(entries.begin(), entries.end(), less);
  }
  ids->clear();
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i == 0 || entries[i].text != entries[i - 1].text) ids->emplace_back(entries[i].text);
    (*remap)[entries[i].worker][entries[i].local] = static_cast<uint32_t>(ids->size() - 1);
  }
}

// A problem found after grouping: the `occurrence`-th row (0-based, file order) of the pair
// (subject, rater) conflicts with its `earlier`-th row.
struct PairProblem {
  uint32_t subject = 0, rater = 0;
  uint32_t occurrence = 0, earlier = 0;
  bool duplicate = false;  // else: a second group
  uint16_t item = 0;
  RaterGroup group = RaterGroup::kPeer, earlier_group = RaterGroup::kPeer;
};

// Counts '\n' before each offset (sorted ascending) to give 1-based physical lines.
std::vector<size_t> LinesOf(std::string_view text, const std::vector<size_t>& offsets) {
  std::vector<size_t> lines;
  size_t line = 1, at = 0;
  for (size_t off : offsets) {
    line += std::count(text.begin() + at, text.begin() + off, '\n');
    at = off;
    lines.push_back(line);
  }
  return lines;
}

Result<model::RatingSet> ParseImpl(std::string_view text, std::string_view file_name,
                                   const model::Framework& framework,
                                   const RatingsReadOptions& options, const char* mapped_base) {
  const std::string file(file_name);
  const size_t max_errors = std::max<size_t>(1, options.max_errors);
  if (framework.scale.min < -127 || framework.scale.max > 127)
    return Status::InvalidArgument("the framework's scale does not fit the ratings store");
  const std::vector<const model::Item*> items = model::ItemsInOrder(framework);
  if (items.size() > 65535)
    return Status::InvalidArgument("frameworks of more than 65,535 items are not supported");
  Interner item_index(items.size());
  for (const model::Item* item : items) item_index.Intern(item->code);

  // Header: the first non-blank line, read with the generic reader (it may be quoted).
  size_t header_end = 0;
  {
    size_t p = 0;
    if (text.substr(0, 3) == "\xEF\xBB\xBF") p = 3;
    while (p < text.size() && (text[p] == '\n' || text[p] == '\r')) ++p;
    const size_t nl = text.find('\n', p);
    header_end = nl == std::string_view::npos ? text.size() : nl + 1;
  }
  Result<CsvTable> header = ParseCsv(text.substr(0, header_end), file_name, {false});
  if (!header.ok()) return header.status();
  Layout layout;
  layout.items = &item_index;
  layout.framework_code = &framework.code;
  layout.scale_min = framework.scale.min;
  layout.scale_max = framework.scale.max;
  for (size_t c = 0; c < header->header.size(); ++c) {
    Role role = kIgnored;
    for (int r = 0; r < kKnownRoles; ++r)
      if (header->header[c] == kRoleNames[r]) role = static_cast<Role>(r);
    if (role != kIgnored) {
      if (layout.column[role] >= 0)
        return Status::InvalidArgument(file + ":" + std::to_string(header->header_line) +
                                       ": column '" + kRoleNames[role] + "' appears twice");
      layout.column[role] = static_cast<int>(c);
    }
    layout.roles.push_back(role);
  }
  {
    bool canonical = layout.roles.size() == 5 || layout.roles.size() == 6;
    for (size_t c = 0; c < layout.roles.size() && canonical; ++c)
      canonical = layout.roles[c] == static_cast<Role>(c);
    for (const model::Item* item : items) {
      for (char ch : item->code)
        if (ch == ',' || ch == '"' || ch == '\n' || ch == '\r') canonical = false;
      layout.item_fields.push_back(item->code + ",");
    }
    layout.repeat_path = canonical && !items.empty();
  }
  for (int r = 0; r < kComment; ++r)
    if (layout.column[r] < 0)
      return Status::InvalidArgument(file + ":" + std::to_string(header->header_line) +
                                     ": missing column '" + kRoleNames[r] +
                                     "' (expected: " + std::string(kExpectedColumns) + ")");
  if (options.bytes_parsed) options.bytes_parsed->fetch_add(header_end);

  // Chunks: cut at the first '\n' after evenly spaced offsets.
  int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  threads = std::max(1, threads);
  const size_t data = text.size() - header_end;
  size_t target = options.chunk_bytes;
  if (target == 0) target = std::max<size_t>(4u << 20, data / (static_cast<size_t>(threads) * 4));
  std::vector<Chunk> chunks;
  for (size_t begin = header_end; begin < text.size();) {
    size_t end = text.size();
    if (text.size() - begin > target) {
      const size_t nl = text.find('\n', begin + target);
      end = nl == std::string_view::npos ? text.size() : nl + 1;
    }
    Chunk chunk;
    chunk.begin = begin;
    chunk.end = end;
    chunks.push_back(std::move(chunk));
    begin = end;
  }
  if (chunks.empty()) {
    chunks.emplace_back();
    chunks.back().begin = header_end;
    chunks.back().end = text.size();
  }
  // Rows per byte, from a sample, to reserve row vectors once.
  double rows_per_byte = 1.0 / 16;
  {
    std::string_view sample = text.substr(header_end, 1 << 16);
    const size_t lines = std::count(sample.begin(), sample.end(), '\n');
    if (lines > 16) rows_per_byte = static_cast<double>(lines) / sample.size();
  }
  auto expected_rows = [&](const Chunk& c) {
    return static_cast<size_t>((c.end - c.begin) * rows_per_byte * 1.02) + 16;
  };

  std::vector<Worker> workers(threads + 1);  // the last one re-parses wrong chunks
  ParseHooks hooks{options.bytes_parsed, mapped_base};
  ParallelFor(chunks.size(), threads, [&](size_t c, int w) {
    ParseChunk(text, layout, hooks, max_errors, options.keep_comments, expected_rows(chunks[c]),
               workers[w], w, chunks[c]);
  });

  // Verify the guessed cuts in file order (see the file comment); re-parse where wrong.
  std::vector<Chunk*> accepted;
  size_t verified = header_end;
  size_t error_count = 0;
  bool stopped_early = false;  // some of the file was not parsed because of max_errors
  ParseHooks quiet{nullptr, mapped_base};
  for (Chunk& chunk : chunks) {
    if (verified >= text.size()) break;
    if (error_count >= max_errors) {
      stopped_early = true;
      break;
    }
    if (chunk.begin != verified) {
      if (verified >= chunk.end) {  // an earlier record ran over the whole chunk
        chunk.rows = {};
        chunk.runs = {};
        continue;
      }
      const size_t end = chunk.end;
      chunk = Chunk{};
      chunk.begin = verified;
      chunk.end = end;
      ParseChunk(text, layout, quiet, max_errors - error_count, options.keep_comments,
                 expected_rows(chunk), workers[threads], threads, chunk);
    }
    accepted.push_back(&chunk);
    error_count += chunk.errors.size();
    verified = chunk.reached;
    if (chunk.stopped) {
      stopped_early = verified < text.size();
      break;
    }
  }
  // Drop chunks past the verified part (their results may rest on a wrong cut).
  for (Chunk& chunk : chunks)
    if (std::find(accepted.begin(), accepted.end(), &chunk) == accepted.end()) {
      chunk.rows = {};
      chunk.runs = {};
      chunk.comments = {};
      chunk.errors = {};
    }

  // Global ids in byte order (subjects and raters merged concurrently). Meanwhile the row
  // columns are allocated and zero-filled (taking their page faults), the rater column (half
  // the bytes) apart from the other three: the merges leave a core idle for much of their time.
  model::RatingSet set;
  set.item_count = items.size();
  size_t total_rows = 0;
  for (const Chunk* chunk : accepted) total_rows += chunk->rows.size();
  std::vector<std::vector<uint32_t>> subject_remap, rater_remap;
  {
    std::vector<const Interner*> subjects, raters;
    for (const Worker& w : workers) {
      subjects.push_back(&w.subjects);
      raters.push_back(&w.raters);
    }
    std::thread other([&] { MergeIds(raters, &set.rater_ids, &rater_remap, threads > 1); });
    std::thread columns([&] {
      ParallelFor(2, threads, [&](size_t part, int) {
        if (part == 0) {
          set.rater.resize(total_rows);
        } else {
          set.item.resize(total_rows);
          set.group.resize(total_rows);
          set.score.resize(total_rows);
        }
      });
    });
    MergeIds(subjects, &set.subject_ids, &subject_remap, false);
    other.join();
    columns.join();
  }
  workers.clear();
  workers.shrink_to_fit();

  // Counting sort by subject, stable (file order within a subject); one task per chunk.
  const size_t subject_count = set.subject_ids.size();
  std::vector<std::vector<uint32_t>> counts(accepted.size());
  ParallelFor(accepted.size(), threads, [&](size_t c, int) {
    counts[c].assign(subject_count, 0);
    const std::vector<uint32_t>& remap = subject_remap[accepted[c]->worker];
    // One count update per run of one subject (the rows are not read).
    const Chunk& chunk = *accepted[c];
    for (size_t r = 0; r < chunk.runs.size(); ++r)
      counts[c][remap[chunk.runs[r].subject]] += chunk.RunEnd(r) - chunk.runs[r].begin;
  });
  set.subject_begin.assign(subject_count + 1, 0);
  size_t placed = 0;
  for (size_t s = 0; s < subject_count; ++s) {
    set.subject_begin[s] = static_cast<uint32_t>(placed);
    for (size_t c = 0; c < accepted.size(); ++c) {
      const uint32_t count = counts[c][s];
      counts[c][s] = static_cast<uint32_t>(placed);  // becomes the chunk's write position
      placed += count;
    }
  }
  set.subject_begin[subject_count] = static_cast<uint32_t>(placed);
  std::vector<std::vector<model::RatingComment>> comments(accepted.size());
  ParallelFor(accepted.size(), threads, [&](size_t c, int) {
    Chunk& chunk = *accepted[c];
    const std::vector<uint32_t>& subjects = subject_remap[chunk.worker];
    const std::vector<uint32_t>& raters = rater_remap[chunk.worker];
    std::vector<uint32_t>& next = counts[c];
    // A run of rows of one subject lands in consecutive places, and a run of one rater keeps
    // its global id: the remap tables (megabytes for raters) are read once per run.
    const ChunkRows& rows = chunk.rows;
    uint32_t last_rater = Interner::kAbsent, rater_id = 0;
    for (size_t r = 0; r < chunk.runs.size(); ++r) {
      const uint32_t j = chunk.RunEnd(r);
      uint32_t i = chunk.runs[r].begin;
      uint32_t& place = next[subjects[chunk.runs[r].subject]];
      uint32_t at = place;
      place += j - i;
      for (; i < j; ++i, ++at) {
        const ChunkRow& row = rows[i];
        if (row.rater != last_rater) {
          last_rater = row.rater;
          rater_id = raters[row.rater];
        }
        set.rater[at] = rater_id;
        set.item[at] = row.item;
        set.group[at] = row.group;
        set.score[at] = row.score;
      }
    }
    for (ChunkComment& comment : chunk.comments) {
      const ChunkRow& row = chunk.rows[comment.row];
      comments[c].push_back(
          {subjects[comment.subject], raters[row.rater], row.item, std::move(comment.text)});
    }
    chunk.rows = {};
    chunk.runs = {};
    chunk.comments = {};
    next = {};
  });
  for (auto& part : comments)
    set.comments.insert(set.comments.end(), std::make_move_iterator(part.begin()),
                        std::make_move_iterator(part.end()));

  // Checks across the rows of a subject: one group per rater, one rating per item (unless left
  // to the caller, RatingsReadOptions::check_pairs).
  std::vector<std::vector<PairProblem>> pair_problems(threads);
  if (options.check_pairs || error_count > 0 || stopped_early) {
    constexpr size_t kBlock = 256;
    const size_t blocks = (subject_count + kBlock - 1) / kBlock;
    struct Scratch {
      std::vector<int32_t> local_of;
      std::vector<uint32_t> raters, seen_rows;
      std::vector<uint32_t> first_seen;  // local rater × item → occurrence + 1
      std::vector<RaterGroup> group;
    };
    std::vector<Scratch> scratch(threads);
    const size_t item_count = items.size();
    ParallelFor(blocks, threads, [&](size_t b, int w) {
      Scratch& sc = scratch[w];
      if (sc.local_of.empty()) sc.local_of.assign(set.rater_ids.size(), -1);
      for (size_t s = b * kBlock; s < std::min(subject_count, (b + 1) * kBlock); ++s) {
        const uint32_t begin = set.subject_begin[s], end = set.subject_begin[s + 1];
        sc.raters.clear();
        sc.seen_rows.clear();
        sc.group.clear();
        size_t found = 0;
        uint32_t last_g = Interner::kAbsent;  // rows come in runs of one rater
        int32_t r = -1;
        for (uint32_t row = begin; row < end; ++row) {
          const uint32_t g = set.rater[row];
          if (g != last_g) {
            last_g = g;
            r = sc.local_of[g];
          }
          if (r < 0) {
            r = sc.local_of[g] = static_cast<int32_t>(sc.raters.size());
            sc.raters.push_back(g);
            sc.seen_rows.push_back(0);
            sc.group.push_back(set.group[row]);
            sc.first_seen.resize(sc.raters.size() * item_count);
            std::fill_n(sc.first_seen.end() - item_count, item_count, 0);
          }
          const uint32_t occurrence = sc.seen_rows[r]++;
          uint32_t& first = sc.first_seen[r * item_count + set.item[row]];
          PairProblem problem;
          problem.subject = static_cast<uint32_t>(s);
          problem.rater = g;
          problem.occurrence = occurrence;
          problem.item = set.item[row];
          problem.group = set.group[row];
          problem.earlier_group = sc.group[r];
          if (set.group[row] != sc.group[r]) {
            problem.earlier = 0;
          } else if (first != 0) {
            problem.duplicate = true;
            problem.earlier = first - 1;
          } else {
            first = occurrence + 1;
            continue;
          }
          if (found++ < max_errors) pair_problems[w].push_back(problem);
        }
        for (uint32_t g : sc.raters) sc.local_of[g] = -1;
      }
    });
  }

  // Collect problems; find the offsets of pair problems by a sequential re-scan.
  std::vector<RowError> errors;
  for (Chunk* chunk : accepted)
    for (RowError& e : chunk->errors) errors.push_back(std::move(e));
  std::vector<PairProblem> problems;
  for (auto& part : pair_problems) problems.insert(problems.end(), part.begin(), part.end());
  if (errors.empty() && problems.empty()) return set;

  std::vector<std::pair<size_t, size_t>> problem_offsets(problems.size());  // row, earlier row
  if (!problems.empty()) {
    auto key = [](std::string_view subject, std::string_view rater) {
      return std::to_string(subject.size()) + ":" + std::string(subject) + std::string(rater);
    };
    std::unordered_set<std::string> subjects;
    struct Wanted {
      uint32_t occurrence;
      size_t problem;
      bool earlier;
    };
    std::unordered_map<std::string, std::vector<Wanted>> wanted;
    for (size_t i = 0; i < problems.size(); ++i) {
      const PairProblem& p = problems[i];
      subjects.insert(set.subject_ids[p.subject]);
      auto& list = wanted[key(set.subject_ids[p.subject], set.rater_ids[p.rater])];
      list.push_back({p.occurrence, i, false});
      list.push_back({p.earlier, i, true});
    }
    std::unordered_map<std::string, uint32_t> seen;
    RecordParser parser(text, layout);
    parser.Parse(
        header_end, text.size(), ParseHooks{},
        [&](const ParsedRow& row, size_t offset) {
          if (!subjects.count(std::string(row.subject))) return;
          const std::string k = key(row.subject, row.rater);
          auto it = wanted.find(k);
          if (it == wanted.end()) return;
          const uint32_t occurrence = seen[k]++;
          for (const Wanted& w : it->second) {
            if (w.occurrence != occurrence) continue;
            (w.earlier ? problem_offsets[w.problem].second : problem_offsets[w.problem].first) =
                offset;
          }
        },
        [](size_t, std::string) { return true; });
  }

  std::vector<size_t> offsets;
  for (const RowError& e : errors) offsets.push_back(e.offset);
  for (const auto& [row, earlier] : problem_offsets) {
    offsets.push_back(row);
    offsets.push_back(earlier);
  }
  std::sort(offsets.begin(), offsets.end());
  offsets.erase(std::unique(offsets.begin(), offsets.end()), offsets.end());
  const std::vector<size_t> lines = LinesOf(text, offsets);
  auto line_of = [&](size_t offset) {
    return lines[std::lower_bound(offsets.begin(), offsets.end(), offset) - offsets.begin()];
  };
  std::vector<std::pair<size_t, std::string>> messages;  // (offset, message)
  for (const RowError& e : errors)
    messages.emplace_back(e.offset,
                          file + ":" + std::to_string(line_of(e.offset)) + ": " + e.message);
  for (size_t i = 0; i < problems.size(); ++i) {
    const PairProblem& p = problems[i];
    const auto [row, earlier] = problem_offsets[i];
    const std::string who = "rater '" + Shown(set.rater_ids[p.rater]) + "' for subject '" +
                            Shown(set.subject_ids[p.subject]) + "'";
    std::string message =
        p.duplicate ? "field 'item': a second rating of item '" + items[p.item]->code + "' by " +
                          who + " (first at line " + std::to_string(line_of(earlier)) + ")"
                    : "field 'group': " + who + " is in group '" +
                          std::string(model::RaterGroupName(p.group)) + "' here but in group '" +
                          std::string(model::RaterGroupName(p.earlier_group)) + "' at line " +
                          std::to_string(line_of(earlier)) + " (one group per rater and subject)";
    messages.emplace_back(row, file + ":" + std::to_string(line_of(row)) + ": " + message);
  }
  std::stable_sort(messages.begin(), messages.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text_out;
  for (size_t i = 0; i < messages.size() && i < max_errors; ++i) {
    if (i > 0) text_out += "\n";
    text_out += messages[i].second;
  }
  if (messages.size() > max_errors || stopped_early)
    text_out += "\n" + file + ": stopped after " + std::to_string(max_errors) +
                (max_errors == 1 ? " problem" : " problems") + " (there may be more)";
  return Status::InvalidArgument(text_out);
}

}  // namespace

Result<model::RatingSet> ParseRatingsCsv(std::string_view text, std::string_view file_name,
                                         const model::Framework& framework,
                                         const RatingsReadOptions& options) {
  return ParseImpl(text, file_name, framework, options, nullptr);
}

Result<model::RatingSet> ReadRatingsFile(const std::string& path, const model::Framework& framework,
                                         const RatingsReadOptions& options) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Status::NotFound(path + ": cannot open (" + std::strerror(errno) + ")");
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0) {
    // Not a regular file (a pipe, say) or empty: read it whole.
    ::close(fd);
    Result<std::string> text = ReadFileToString(path);
    if (!text.ok()) return text.status();
    return ParseImpl(*text, path, framework, options, nullptr);
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) {
    Result<std::string> text = ReadFileToString(path);
    if (!text.ok()) return text.status();
    return ParseImpl(*text, path, framework, options, nullptr);
  }
  ::madvise(map, size, MADV_SEQUENTIAL);
  const char* base = static_cast<const char*>(map);
  Result<model::RatingSet> result =
      ParseImpl(std::string_view(base, size), path, framework, options, base);
  ::munmap(map, size);
  return result;
}

}  // namespace trellis::formats
