// cli/analyse_command.cc — `trellis analyse`: ratings CSV + framework → one JSON line per subject
// (DESIGN.md "Analysis semantics") and a campaign summary. Reads with formats/ratings_csv.h,
// computes with analytics/aggregate.h, writes with cli/analyse_output.h (blocks of subjects
// formatted by formats/report_jsonl.h on worker threads, each writing its blocks at their
// offsets, so the report — hundreds of MB for a national campaign — never sits in memory
// whole). docs/analysis.md is the manual.
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>

#include "analytics/aggregate.h"
#include "cli/analyse_output.h"
#include "cli/cli.h"
#include "cli/command_support.h"
#include "core/page_pool.h"
#include "formats/framework_io.h"
#include "formats/people_csv.h"
#include "formats/ratings_csv.h"
#include "formats/report_jsonl.h"
#include "service/framework_service.h"

namespace trellis::cli {
namespace {

struct AnalyseOptions {
  std::string framework;  // a framework file, or a framework code in the store
  std::string ratings;
  std::string out;
  std::string summary;
  std::string profiles;  // optional people.csv
  int min_group = 3;
  double flag_threshold = 1.0;
  size_t max_errors = 1;
  int threads = 0;
  bool timings = false;  // print each phase's wall time to stderr
};

// Phase timer for --timings: each phase's wall time, and the CPU time of the process's threads
// over it (so CPU/wall shows how many cores the phase kept busy).
class PhaseTimer {
 public:
  explicit PhaseTimer(bool enabled) : enabled_(enabled), last_cpu_(CpuSeconds()) {}
  void Lap(const char* phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double cpu = CpuSeconds();
    const double wall = std::chrono::duration<double>(now - last_).count();
    std::fprintf(stderr, "trellis: %-10s %7.3f s  (CPU %.3f s, %.2f cores)\n", phase, wall,
                 cpu - last_cpu_, wall > 0 ? (cpu - last_cpu_) / wall : 0.0);
    last_ = now;
    last_cpu_ = cpu;
  }

 private:
  static double CpuSeconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
  }

  bool enabled_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
  double last_cpu_;
};

// Hook for `--framework CODE`: a framework looked up by code in the store. Wired when the
// framework service lands; until then a code that is not a file is reported as not found.
// A framework code (optionally "CODE@VERSION") looked up in the store named by --db. The
// database must already exist: a lookup never creates one.
Result<model::Framework> LoadFrameworkByCode(const std::string& code_and_version,
                                             const GlobalOptions& global) {
  std::error_code ec;
  const bool is_url =
      global.db_path.rfind("postgres://", 0) == 0 || global.db_path.rfind("postgresql://", 0) == 0;
  if (!is_url && !std::filesystem::exists(global.db_path, ec))
    return Status::NotFound("framework '" + code_and_version +
                            "': no such file, and no database '" + global.db_path +
                            "' to look the code up in (pass a file or --db)");
  std::string code = code_and_version;
  std::optional<int> version;
  if (size_t at = code.rfind('@'); at != std::string::npos) {
    try {
      version = std::stoi(code.substr(at + 1));
    } catch (const std::exception&) {
      return Status::InvalidArgument("--framework '" + code_and_version +
                                     "': the version after '@' must be a number");
    }
    code.resize(at);
  }
  Result<std::unique_ptr<storage::Store>> store = OpenStoreFor(global);
  if (!store.ok()) return store.status();
  service::FrameworkService frameworks(**store);
  Result<storage::StoredFramework> stored = frameworks.Show(code, version);
  if (!stored.ok()) return stored.status();
  return std::move(stored->framework);
}

Result<model::Framework> LoadFramework(const std::string& file_or_code,
                                       const GlobalOptions& global) {
  std::error_code ec;
  if (std::filesystem::is_regular_file(file_or_code, ec))
    return formats::LoadFrameworkFile(file_or_code);
  return LoadFrameworkByCode(file_or_code, global);
}

// A one-line progress bar on stderr, redrawn by its own thread every 200 ms while enabled.
class ProgressBar {
 public:
  explicit ProgressBar(bool enabled) : enabled_(enabled) {
    if (enabled_) thread_ = std::thread([this] { Run(); });
  }
  ~ProgressBar() { Stop(); }

  // Starts a phase whose progress is `*done` out of `total` `unit`s (scaled by `divisor`).
  void Phase(const char* name, const std::atomic<uint64_t>* done, uint64_t total, const char* unit,
             double divisor) {
    std::lock_guard<std::mutex> lock(mu_);
    name_ = name;
    done_ = done;
    total_ = total;
    unit_ = unit;
    divisor_ = divisor;
  }
  void Stop() {
    if (!enabled_) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
    std::fputs("\r\033[K", stderr);
    std::fflush(stderr);
    enabled_ = false;
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!stop_) {
      if (done_ && total_ > 0) {
        const uint64_t done = std::min<uint64_t>(done_->load(), total_);
        const int width = 30, filled = static_cast<int>(width * done / total_);
        std::fprintf(stderr, "\r\033[Ktrellis: %-9s [%.*s%*s] %3d%%  %.0f/%.0f %s", name_, filled,
                     "##############################", width - filled, "",
                     static_cast<int>(100 * done / total_), done / divisor_, total_ / divisor_,
                     unit_);
        std::fflush(stderr);
      }
      cv_.wait_for(lock, std::chrono::milliseconds(200));
    }
  }

  bool enabled_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  const char* name_ = "";
  const std::atomic<uint64_t>* done_ = nullptr;
  uint64_t total_ = 0;
  const char* unit_ = "";
  double divisor_ = 1;
};

Status WriteFile(const std::string& path, const std::string& text) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::FailedPrecondition(path + ": cannot write (" + std::strerror(errno) + ")");
  const bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  if (std::fclose(f) != 0 || !ok)
    return Status::Unavailable(path + ": write failed (" + std::strerror(errno) + ")");
  return Status::Ok();
}

// Prints a status whose message may hold several "FILE:LINE: …" lines, each as "trellis: …".
int ReportLines(const Status& status) {
  if (status.ok()) return 0;
  const std::string& m = status.message();
  for (size_t start = 0; start <= m.size();) {
    size_t nl = m.find('\n', start);
    if (nl == std::string::npos) nl = m.size();
    std::cerr << "trellis: " << m.substr(start, nl - start) << "\n";
    start = nl + 1;
  }
  return ExitCodeFor(status);
}

Status RunAnalyse(const AnalyseOptions& opt, const GlobalOptions& global) {
  if (opt.min_group < 1) return Status::InvalidArgument("--min-group must be at least 1");
  if (!(opt.flag_threshold > 0))
    return Status::InvalidArgument("--flag-threshold must be greater than 0");
  if (opt.max_errors < 1) return Status::InvalidArgument("--max-errors must be at least 1");
  PhaseTimer timer(opt.timings);
  // The reader's parsed rows hand their pages on to the aggregate array (core/page_pool.h);
  // the scope ends with the analysis, so nothing freed is kept while the report is written.
  std::optional<PagePool::Scope> reuse_pages;
  reuse_pages.emplace();
  Result<model::Framework> framework = LoadFramework(opt.framework, global);
  if (!framework.ok()) return framework.status();

  const int threads =
      opt.threads > 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  std::error_code ec;
  const uint64_t size = std::filesystem::file_size(opt.ratings, ec);
  constexpr uint64_t kLargeInput = 50ull << 20;
  ProgressBar progress(::isatty(STDERR_FILENO) && !ec && size > kLargeInput);

  std::atomic<uint64_t> bytes_parsed{0};
  progress.Phase("reading", &bytes_parsed, ec ? 0 : size, "MB", 1 << 20);
  formats::RatingsReadOptions read;
  read.max_errors = opt.max_errors;
  read.threads = threads;
  read.bytes_parsed = &bytes_parsed;
  // The checks across a subject's rows are left to the analysis, which makes the same pass
  // over every row anyway (formats::RatingsReadOptions::check_pairs). Only for a regular file:
  // it is read again, with the checks, when anything fails before the analysis is done, so the
  // messages are those of a reader that checked everything itself; a pipe cannot be read twice.
  struct stat st;
  read.check_pairs = !(::stat(opt.ratings.c_str(), &st) == 0 && S_ISREG(st.st_mode));
  Result<model::RatingSet> ratings = formats::ReadRatingsFile(opt.ratings, *framework, read);
  if (!ratings.ok()) return ratings.status();
  timer.Lap("read");
  // Any failure from here until the analysis is done: a file that fails the deferred checks
  // reports those problems first, with their lines, as it did when the reader made them.
  auto failed_after_read = [&](const Status& failure, bool from_analysis) -> Status {
    if (read.check_pairs) return failure;
    progress.Phase("checking", nullptr, 0, "", 1);
    *ratings = model::RatingSet();
    read.check_pairs = true;
    read.bytes_parsed = nullptr;
    Result<model::RatingSet> checked = formats::ReadRatingsFile(opt.ratings, *framework, read);
    if (!checked.ok()) return checked.status();
    // The file passes the checks now: it changed while it was being read.
    return from_analysis ? Status::InvalidArgument(opt.ratings + ": " + failure.message() +
                                                   " (the file changed while it was read?)")
                         : failure;
  };

  formats::SubjectRoleProfiles profiles;
  if (!opt.profiles.empty()) {
    Result<std::map<std::string, formats::PersonRole>> people =
        formats::ReadPeopleFile(opt.profiles);
    if (!people.ok()) return failed_after_read(people.status(), false);
    profiles = formats::SubjectProfiles(*people, ratings->subject_ids, *framework);
  }

  std::atomic<uint64_t> subjects_done{0};
  progress.Phase("analysing", &subjects_done, ratings->SubjectCount(), "subjects", 1);
  analytics::AnalysisOptions analysis_options;
  analysis_options.min_group = opt.min_group;
  analysis_options.flag_threshold = opt.flag_threshold;
  analysis_options.threads = threads;
  analysis_options.subjects_done = &subjects_done;
  Result<analytics::CampaignAnalysis> analysis =
      analytics::Analyse(*framework, *ratings, profiles.of_subject, analysis_options);
  if (!analysis.ok()) return failed_after_read(analysis.status(), true);
  reuse_pages.reset();
  timer.Lap("analyse");
  // The rows are no longer needed; only the subject ids are. Their ~80 MB are returned to the
  // kernel on a helper thread while the report is written (a serial munmap otherwise).
  std::vector<std::string> subject_ids = std::move(ratings->subject_ids);
  std::jthread release_rows([rows = std::move(*ratings)]() mutable { rows = model::RatingSet(); });

  std::atomic<uint64_t> subjects_written{0};
  progress.Phase("writing", &subjects_written, subject_ids.size(), "subjects", 1);
  TRELLIS_RETURN_IF_ERROR(
      WriteReports(opt.out, *analysis, subject_ids, threads, &subjects_written));
  TRELLIS_RETURN_IF_ERROR(
      WriteFile(opt.summary, formats::WriteSummaryJson(*analysis, framework->code)));
  progress.Stop();
  timer.Lap("write");
  return Status::Ok();
}

}  // namespace

void AddAnalyseCommand(CLI::App& app, GlobalOptions& global, int* exit_code) {
  auto opt = std::make_shared<AnalyseOptions>();
  CLI::App* cmd = app.add_subcommand(
      "analyse", "Analyse 360 ratings: one JSON line per subject and a campaign summary");
  cmd->add_option("--framework", opt->framework,
                  "Framework file (CSV, JSON, CASE), or a code (CODE or CODE@VERSION) in --db")
      ->required();
  cmd->add_option("--ratings", opt->ratings,
                  "Ratings CSV: subject,rater,group,item,score[,comment]")
      ->required();
  cmd->add_option("--out", opt->out, "Reports, JSON Lines (one object per subject)")->required();
  cmd->add_option("--summary", opt->summary, "Campaign summary JSON")->required();
  cmd->add_option("--min-group", opt->min_group,
                  "Smallest number of anonymous raters a shown figure may rest on")
      ->capture_default_str();
  cmd->add_option("--flag-threshold", opt->flag_threshold,
                  "Self vs others difference that flags a blind spot or hidden strength")
      ->capture_default_str();
  cmd->add_option("--profiles", opt->profiles,
                  "People CSV (subject,level,function) selecting role profiles for profile_gap");
  cmd->add_option("--max-errors", opt->max_errors, "Problems to list before stopping")
      ->capture_default_str();
  cmd->add_option("--threads", opt->threads, "Worker threads (0: one per core)")
      ->capture_default_str();
  cmd->add_flag("--timings", opt->timings, "Print the wall time of each phase to stderr");
  AddDbOption(cmd, global);
  cmd->callback([opt, &global, exit_code] { *exit_code = ReportLines(RunAnalyse(*opt, global)); });
}

}  // namespace trellis::cli
