// bench/analyse/gen_campaign.cc — writes a synthetic 360° campaign for the `trellis analyse`
// benchmark: a native framework JSON (5 domains × 2 competencies × 4 items, scale 1..5) and a
// ratings CSV `subject,rater,group,item,score,comment`. The default, 25,000 subjects with about
// 10 raters each over 40 items, is about 10 million rating rows (≈ 370 MB).
//
// Deterministic for a given --seed and --subjects (its own PRNG, no std:: distributions, whose
// output differs between standard libraries). Realistic on purpose where it matters for the
// analysis: group sizes 0–5 so the min_group suppression and `combined` merging bite; some
// subjects without a self-assessment or a manager; ~5% "not observed" (empty) scores; raters
// drawn from a shared pool, so one rater id rates several subjects; occasional quoted comments
// with commas, doubled quotes and non-ASCII text. Standard library only.
#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace {

// splitmix64: tiny, fast, and identical on every platform.
struct Rng {
  uint64_t state;
  uint64_t Next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }  // [0, 1)
  uint64_t Below(uint64_t n) { return Next() % n; }  // bias negligible for our n
  // Standard normal by Box–Muller (one value per call; simplicity over speed).
  double Normal() {
    double u1 = Uniform();
    if (u1 < 1e-300) u1 = 1e-300;
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Index drawn from cumulative-free weights.
  template <size_t N>
  int Pick(const std::array<double, N>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < N; ++i) {
      if (x < weights[i]) return static_cast<int>(i);
      x -= weights[i];
    }
    return static_cast<int>(N - 1);
  }
};

constexpr int kDomains = 5;
constexpr int kCompetenciesPerDomain = 2;
constexpr int kItemsPerCompetency = 4;
constexpr int kCompetencies = kDomains * kCompetenciesPerDomain;
constexpr int kItems = kCompetencies * kItemsPerCompetency;

struct DomainText {
  const char* title;
  const char* description;
  std::array<const char*, kCompetenciesPerDomain> competencies;
};
constexpr std::array<DomainText, kDomains> kDomainTexts = {{
    {"Shared purpose",
     "Sets and keeps a direction that the partner organisations own together.",
     {"Building a shared vision", "Aligning organisations"}},
    {"Accountability",
     "Makes commitments explicit and holds self and others to them.",
     {"Owning commitments", "Holding partners to account"}},
    {"Learning from data",
     "Uses shared data to understand the system and improve it.",
     {"Using shared data", "Improving through evidence"}},
    {"Working across boundaries",
     "Builds the relationships integration depends on.",
     {"Building relationships", "Negotiating resources"}},
    {"Developing people",
     "Grows the capability of teams across organisations.",
     {"Coaching and feedback", "Growing capability"}},
}};

// Rater groups other than self, with the weights of group sizes 0..5 for one subject.
// Expected anonymous raters per subject ≈ 8.4; with self (97%) and manager (95%) ≈ 10.4.
struct GroupSpec {
  const char* name;
  std::array<double, 6> size_weights;
};
constexpr std::array<GroupSpec, 5> kAnonymousGroups = {{
    {"peer", {0.05, 0.10, 0.20, 0.30, 0.20, 0.15}},
    {"direct_report", {0.15, 0.10, 0.15, 0.25, 0.20, 0.15}},
    {"partner", {0.30, 0.25, 0.20, 0.15, 0.07, 0.03}},
    {"community", {0.55, 0.20, 0.12, 0.08, 0.04, 0.01}},
    {"other", {0.80, 0.10, 0.05, 0.03, 0.01, 0.01}},
}};
constexpr double kSelfRate = 0.97;
constexpr double kManagerRate = 0.95;
constexpr double kNotObservedRate = 0.05;
constexpr double kCommentRate = 0.002;  // per row

// CSV-encoded comments (already quoted where needed): commas, doubled quotes, UTF-8.
constexpr std::array<const char*, 6> kComments = {
    "\"Clear about priorities, and shares the data with partners\"",
    "\"Says \"\"we\"\" not \"\"they\"\", which builds trust\"",
    "\"Follows up on actions, every time\"",
    "Listens well",
    "\"Works with the café network, the council and the GP federation\"",
    "\"Could delegate more – often the bottleneck, sadly\"",
};

struct Options {
  int subjects = 25000;
  uint64_t seed = 20240601;
  std::string out_dir = ".";
  bool shuffle = false;
};

[[noreturn]] void Usage(const char* why) {
  std::fprintf(stderr,
               "bench_gen_campaign: %s\n"
               "usage: bench_gen_campaign [--out DIR] [--subjects N] [--seed S] [--shuffle]\n"
               "  writes DIR/framework.json and DIR/ratings.csv (default: 25000 subjects,\n"
               "  about 10 million rows). --shuffle emits responses in a random order instead\n"
               "  of subject by subject.\n",
               why);
  std::exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    auto value = [&]() -> std::string_view {
      if (i + 1 >= argc) Usage("missing value");
      return argv[++i];
    };
    auto number = [&](std::string_view v, auto& out) {
      auto r = std::from_chars(v.data(), v.data() + v.size(), out);
      if (r.ec != std::errc() || r.ptr != v.data() + v.size()) Usage("bad number");
    };
    if (a == "--out") {
      o.out_dir = std::string(value());
    } else if (a == "--subjects") {
      number(value(), o.subjects);
      if (o.subjects < 1 || o.subjects > 999999) Usage("--subjects must be 1..999999");
    } else if (a == "--seed") {
      number(value(), o.seed);
    } else if (a == "--shuffle") {
      o.shuffle = true;
    } else if (a == "-h" || a == "--help") {
      Usage("help");
    } else {
      Usage("unknown argument");
    }
  }
  return o;
}

// "D1C2"; snprintf rather than string concatenation, which trips GCC 12's -Wrestrict.
std::string CompetencyCode(int c) {
  char code[32];
  std::snprintf(code, sizeof code, "D%dC%d", c / kCompetenciesPerDomain + 1,
                c % kCompetenciesPerDomain + 1);
  return code;
}
// "D1C2I3".
std::string ItemCode(int item) {
  char code[48];
  std::snprintf(code, sizeof code, "%sI%d", CompetencyCode(item / kItemsPerCompetency).c_str(),
                item % kItemsPerCompetency + 1);
  return code;
}

std::string FrameworkJson() {
  std::string j;
  j += "{\n  \"format\": \"trellis-framework\",\n  \"version\": 1,\n";
  j += "  \"code\": \"bench-national\",\n";
  j += "  \"title\": \"Integrated care management competencies (benchmark)\",\n";
  j +=
      "  \"scale\": {\"min\": 1, \"max\": 5, \"labels\": {\"1\": \"Rarely\", \"2\": \"Sometimes\", "
      "\"3\": \"Often\", \"4\": \"Usually\", \"5\": \"Consistently\"}},\n";
  j += "  \"domains\": [\n";
  for (int d = 0; d < kDomains; ++d) {
    const DomainText& dt = kDomainTexts[d];
    j += "    {\"code\": \"D" + std::to_string(d + 1) + "\", \"title\": \"" + dt.title +
         "\", \"description\": \"" + dt.description + "\", \"competencies\": [\n";
    for (int k = 0; k < kCompetenciesPerDomain; ++k) {
      int c = d * kCompetenciesPerDomain + k;
      j += "      {\"code\": \"" + CompetencyCode(c) + "\", \"title\": \"" + dt.competencies[k] +
           "\", \"description\": \"\", \"items\": [\n";
      for (int i = 0; i < kItemsPerCompetency; ++i) {
        int item = c * kItemsPerCompetency + i;
        j += "        {\"code\": \"" + ItemCode(item) + "\", \"text\": \"" + dt.competencies[k] +
             ": observable behaviour " + std::to_string(i + 1) + "\"}";
        j += i + 1 < kItemsPerCompetency ? ",\n" : "\n";
      }
      j += k + 1 < kCompetenciesPerDomain ? "      ]},\n" : "      ]}\n";
    }
    j += d + 1 < kDomains ? "    ]},\n" : "    ]}\n";
  }
  j += "  ],\n  \"role_profiles\": []\n}\n";
  return j;
}

// One response: a rater's 40 scores for one subject.
struct Response {
  int32_t subject;  // 0-based
  int32_t rater;    // pool index, or -1 for the self rater
  int8_t group;     // 0 self, 1 manager, 2.. kAnonymousGroups
  uint64_t seed;    // scores are drawn from this, so shuffling keeps the same data
};

const char* GroupName(int g) {
  if (g == 0) return "self";
  if (g == 1) return "manager";
  return kAnonymousGroups[g - 2].name;
}

class Writer {
 public:
  explicit Writer(FILE* f) : f_(f) { buf_.reserve(kCap + 256); }
  ~Writer() { Flush(); }
  void Put(std::string_view s) {
    buf_.append(s);
    if (buf_.size() >= kCap) Flush();
  }
  void Flush() {
    if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size()) {
      std::perror("bench_gen_campaign: write");
      std::exit(2);
    }
    buf_.clear();
  }

 private:
  static constexpr size_t kCap = 1 << 22;
  FILE* f_;
  std::string buf_;
};

}  // namespace

int main(int argc, char** argv) {
  Options opt = ParseArgs(argc, argv);
  Rng rng{opt.seed};

  std::string framework_path = opt.out_dir + "/framework.json";
  std::string ratings_path = opt.out_dir + "/ratings.csv";
  {
    FILE* f = std::fopen(framework_path.c_str(), "wb");
    if (!f) {
      std::fprintf(stderr, "bench_gen_campaign: %s: %s\n", framework_path.c_str(),
                   std::strerror(errno));
      return 1;
    }
    std::string j = FrameworkJson();
    std::fwrite(j.data(), 1, j.size(), f);
    std::fclose(f);
  }

  // Subjects: a true level per competency, and a self-view bias (some overrate themselves,
  // some underrate: blind spots and hidden strengths).
  const int n = opt.subjects;
  std::vector<std::array<float, kCompetencies>> ability(n);
  std::vector<float> self_bias(n);
  for (int s = 0; s < n; ++s) {
    double general = 3.3 + 0.45 * rng.Normal();
    for (int c = 0; c < kCompetencies; ++c) ability[s][c] = float(general + 0.35 * rng.Normal());
    self_bias[s] = float(0.25 + 0.55 * rng.Normal());
  }

  // Responses. Raters come from a pool of 4 × subjects ids (managers from the first fifth),
  // each id at most once per subject.
  const int pool = 4 * n;
  std::vector<Response> responses;
  responses.reserve(size_t(n) * 11);
  std::vector<int32_t> taken;
  for (int s = 0; s < n; ++s) {
    taken.clear();
    auto draw = [&](int range) {
      for (;;) {
        int32_t r = int32_t(rng.Below(uint64_t(range)));
        if (std::find(taken.begin(), taken.end(), r) == taken.end()) {
          taken.push_back(r);
          return r;
        }
      }
    };
    if (rng.Uniform() < kSelfRate) responses.push_back({s, -1, 0, rng.Next()});
    if (rng.Uniform() < kManagerRate)
      responses.push_back({s, draw(std::max(1, pool / 5)), 1, rng.Next()});
    for (size_t g = 0; g < kAnonymousGroups.size(); ++g) {
      int size = rng.Pick(kAnonymousGroups[g].size_weights);
      for (int k = 0; k < size; ++k)
        responses.push_back({s, draw(pool), int8_t(g + 2), rng.Next()});
    }
  }
  if (opt.shuffle) {
    for (size_t i = responses.size(); i > 1; --i)
      std::swap(responses[i - 1], responses[rng.Below(i)]);
  }

  std::vector<std::string> item_codes(kItems);
  for (int i = 0; i < kItems; ++i) item_codes[i] = ItemCode(i);

  FILE* f = std::fopen(ratings_path.c_str(), "wb");
  if (!f) {
    std::fprintf(stderr, "bench_gen_campaign: %s: %s\n", ratings_path.c_str(),
                 std::strerror(errno));
    return 1;
  }
  uint64_t rows = 0, empty = 0, comments = 0;
  {
    Writer w(f);
    w.Put("subject,rater,group,item,score,comment\n");
    char subject_id[16], rater_id[16];
    for (const Response& r : responses) {
      Rng rr{r.seed};
      std::snprintf(subject_id, sizeof subject_id, "S%06d", r.subject + 1);
      if (r.rater < 0) {
        std::memcpy(rater_id, subject_id, sizeof subject_id);  // DESIGN rule 2
      } else {
        std::snprintf(rater_id, sizeof rater_id, "R%07d", r.rater + 1);
      }
      // Leniency of this rater; self adds the subject's self-view bias.
      double lean = 0.35 * rr.Normal() + (r.group == 0 ? self_bias[r.subject] : 0.0) +
                    (r.group == 1 ? -0.1 : 0.0);
      const char* group = GroupName(r.group);
      for (int i = 0; i < kItems; ++i) {
        w.Put(subject_id);
        w.Put(",");
        w.Put(rater_id);
        w.Put(",");
        w.Put(group);
        w.Put(",");
        w.Put(item_codes[i]);
        w.Put(",");
        if (rr.Uniform() < kNotObservedRate) {
          ++empty;
        } else {
          double x = ability[r.subject][i / kItemsPerCompetency] + lean + 0.7 * rr.Normal();
          int score = std::clamp(int(std::lround(x)), 1, 5);
          char digit = char('0' + score);
          w.Put(std::string_view(&digit, 1));
        }
        w.Put(",");
        if (rr.Uniform() < kCommentRate) {
          w.Put(kComments[rr.Below(kComments.size())]);
          ++comments;
        }
        w.Put("\n");
        ++rows;
      }
    }
  }
  if (std::fclose(f) != 0) {
    std::perror("bench_gen_campaign: close");
    return 2;
  }
  std::fprintf(stderr,
               "bench_gen_campaign: %d subjects, %zu responses, %llu rows (%llu not observed, "
               "%llu with a comment) → %s, %s\n",
               n, responses.size(), (unsigned long long)rows, (unsigned long long)empty,
               (unsigned long long)comments, framework_path.c_str(), ratings_path.c_str());
  return 0;
}
