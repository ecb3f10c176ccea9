// bench/submit/bench_submit.cc — how many rater submissions per second `trellis serve` stores
// durably, and at what latency, with C concurrent keep-alive connections on loopback; and, in
// the same run on the same disk, how many single-row SQLite transactions commit per second
// (WAL, synchronous=FULL), the ceiling without group commit.
// Setup (through the services, never SQL): a temporary database with one open campaign on the
// built-in integrated-care framework, 1,000 subjects and external peers up to N nominations,
// whose links come from ExportInvitations. The server runs in process on 127.0.0.1:0 with the
// SubmissionBatcher, as `trellis serve` wires it. Each connection POSTs full questionnaires
// (action=submit, one answer per item, a unique submission_key) until the links run out or the
// time is up. Afterwards the number of submitted responses in the database must equal the
// number of 2xx answers. Exit status 0 when it does (goals are reported, not enforced).
// Also printed: the process's CPU time per submission (server, writer and clients together),
// which the machine's load changes far less than the rate. --seed-cache DIR keeps the seeded
// database and its links for later runs of the same binary on the same day (seeding is
// minutes on a busy disk).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../common/bench_support.h"
#include "../common/load_client.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/questionnaire_service.h"
#include "service/submission_batcher.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "web/app.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/static_files.h"

namespace {

using namespace trellis;
using bench::Connect;
using bench::Percentile;
using bench::ReadResponse;
using bench::SendAll;
using Clock = std::chrono::steady_clock;

struct Options {
  int connections = 64;
  int threads = 64;  // server request threads, as `trellis serve` by default
  int nominations = 20000;
  double seconds = 10;
  double raw_seconds = 3;
  std::string dir;  // where the databases go; default: the system temp directory
  // When set, a seeded database (and its links) is kept under this directory and copied for
  // later runs of this binary with as many nominations, the same day: seeding is 20,000
  // durable transactions, minutes on a busy disk.
  std::string seed_cache;
};

[[noreturn]] void Die(const std::string& what, const Status& s) {
  bench::Die("bench_submit", what, s);
}

std::string Date(std::chrono::system_clock::time_point tp) {
  std::time_t t = std::chrono::system_clock::to_time_t(tp);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// What seeding made: the campaign and the rater links' tokens.
struct Seeded {
  std::string campaign_id;
  std::vector<std::string> tokens;
};

// Seeds the database at `db` through the services (never SQL): a partnership, 1,000 subjects,
// the integrated-care framework, one open campaign and `nominations` nominations with links.
// The store is closed on return, so the file alone holds everything (WAL checkpointed).
Seeded Seed(const std::filesystem::path& db, const std::string& p, int nominations) {
  auto store = storage::SqliteStore::Open(db.string());
  if (!store.ok()) Die("opening the database", store.status());
  auto campaign_store = storage::OpenCampaignStore(**store);
  if (!campaign_store.ok()) Die("campaign store", campaign_store.status());
  auto directory_store = storage::OpenDirectoryStore(**store);
  if (!directory_store.ok()) Die("directory store", directory_store.status());
  if (Status s = (*directory_store)
                     ->CreatePartnership({p, "Bench", "2026-01-01T00:00:00Z"},
                                         bench::SeedAudit(p, "bench_submit"));
      !s.ok())
    Die("partnership", s);
  if (Status s = (*directory_store)
                     ->AddOrganisation({"org_bench", p, "Bench Trust", model::Sector::kAcute},
                                       bench::SeedAudit(p, "bench_submit"));
      !s.ok())
    Die("organisation", s);
  constexpr int kSubjects = 1000;
  std::vector<std::string> subject_ids;
  {
    storage::PeopleChanges changes;
    for (int i = 0; i < kSubjects; ++i) {
      model::Person person;
      person.id = "per_" + std::to_string(i);
      person.partnership_id = p;
      person.organisation_id = "org_bench";
      person.name = "Subject " + std::to_string(i);
      person.email = "subject" + std::to_string(i) + "@bench.example";
      changes.added.push_back(person);
      subject_ids.push_back(person.id);
    }
    if (Status s =
            (*directory_store)->SavePeople(p, changes, {bench::SeedAudit(p, "bench_submit")});
        !s.ok())
      Die("people", s);
  }
  service::FrameworkService frameworks(**store);
  auto imported =
      frameworks.Import(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/integrated-care.json");
  if (!imported.ok()) Die("importing the framework", imported.status());
  service::CampaignService::Options campaign_options;
  campaign_options.base_url = "http://bench";
  service::CampaignService campaigns(**store, **campaign_store, **directory_store, nullptr,
                                     campaign_options);
  service::CampaignSpec spec;
  spec.partnership_id = p;
  spec.name = "Bench 360";
  spec.framework_code = "integrated-care";
  const auto now = std::chrono::system_clock::now();
  spec.opens_on = Date(now - std::chrono::hours(24));
  spec.closes_on = Date(now + std::chrono::hours(24 * 30));
  spec.context_check = false;
  spec.subject_ids = subject_ids;
  auto campaign = campaigns.Create(spec, "bench");
  if (!campaign.ok()) Die("campaign", campaign.status());
  {
    // Self nominations come with the subjects; external peers make up the rest.
    std::vector<service::RaterSpec> raters;
    for (int i = 0; i < nominations - kSubjects; ++i) {
      raters.push_back({subject_ids[static_cast<size_t>(i % kSubjects)], "",
                        "Peer " + std::to_string(i), "peer" + std::to_string(i) + "@bench.example",
                        model::RaterGroup::kPeer});
    }
    auto nominated = campaigns.Nominate(p, campaign->id, raters, "bench");
    if (!nominated.ok()) Die("nominations", nominated.status());
  }
  if (Status s = campaigns.Open(p, campaign->id, "bench"); !s.ok()) Die("opening the campaign", s);
  auto invitations = campaigns.ExportInvitations(p, campaign->id, "bench");
  if (!invitations.ok()) Die("invitations", invitations.status());
  Seeded out;
  out.campaign_id = campaign->id;
  for (const service::Invitation& inv : *invitations)
    out.tokens.push_back(inv.link.substr(inv.link.rfind("/r/") + 3));
  return out;
}

// What a cache must have been made with: today's date and this very binary (its migrations
// and services seeded the file), e.g. "2026-11-25 bin 1764100000123456789".
std::string SeedCacheStamp() {
  std::error_code ec;
  const auto built = std::filesystem::last_write_time("/proc/self/exe", ec);
  return Date(std::chrono::system_clock::now()) + " bin " +
         std::to_string(ec ? 0 : built.time_since_epoch().count());
}

// The cache: DIR/trellis.db and DIR/links.txt (SeedCacheStamp(), the campaign id, then one
// token per line). True when a cache made today by this binary was copied to `db`.
bool LoadSeedCache(const std::filesystem::path& cache, const std::filesystem::path& db,
                   Seeded& out) {
  std::ifstream in(cache / "links.txt");
  std::string date;
  if (!in || !std::getline(in, date) || date != SeedCacheStamp() ||
      !std::getline(in, out.campaign_id)) {
    return false;
  }
  for (std::string token; std::getline(in, token);) out.tokens.push_back(token);
  std::error_code ec;
  std::filesystem::copy_file(cache / "trellis.db", db, ec);
  return !ec && !out.tokens.empty();
}

void SaveSeedCache(const std::filesystem::path& cache, const std::filesystem::path& db,
                   const Seeded& seeded) {
  std::error_code ec;
  std::filesystem::create_directories(cache, ec);
  std::filesystem::copy_file(db, cache / "trellis.db",
                             std::filesystem::copy_options::overwrite_existing, ec);
  if (ec) return;  // no cache, no harm
  std::ofstream out(cache / "links.txt");
  out << SeedCacheStamp() << "\n" << seeded.campaign_id << "\n";
  for (const std::string& token : seeded.tokens) out << token << "\n";
}

// One connection's results.
struct ClientResult {
  std::vector<double> latency_ms;  // of 2xx answers
  long ok = 0;
  long failed = 0;
  std::string first_error;
};

// CPU seconds (user + system) used so far by every thread of this process.
double ProcessCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

// Single-row INSERT transactions for `seconds` on a fresh WAL database with synchronous=FULL
// (the settings of the Trellis store); returns commits per second.
double RawCommitRate(const std::string& path, double seconds) {
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    std::cerr << "bench_submit: cannot open " << path << "\n";
    std::exit(1);
  }
  auto exec = [&](const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::cerr << "bench_submit: raw sqlite: " << (err ? err : "?") << "\n";
      std::exit(1);
    }
  };
  exec(
      "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO t(v) VALUES (?1)", -1, &insert, nullptr);
  const std::string payload(512, 'x');  // about one submission's answers
  long commits = 0;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration<double>(seconds);
  while (Clock::now() < end) {
    exec("BEGIN IMMEDIATE");
    sqlite3_bind_text(insert, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) exec("SELECT raise_error()");
    sqlite3_reset(insert);
    exec("COMMIT");
    ++commits;
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  sqlite3_finalize(insert);
  sqlite3_close(db);
  return static_cast<double>(commits) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--connections")
      opt.connections = std::atoi(argv[i + 1]);
    else if (a == "--nominations")
      opt.nominations = std::atoi(argv[i + 1]);
    else if (a == "--seconds")
      opt.seconds = std::atof(argv[i + 1]);
    else if (a == "--raw-seconds")
      opt.raw_seconds = std::atof(argv[i + 1]);
    else if (a == "--dir")
      opt.dir = argv[i + 1];
    else if (a == "--threads")
      opt.threads = std::atoi(argv[i + 1]);
    else if (a == "--seed-cache")
      opt.seed_cache = argv[i + 1];
    else {
      std::cerr << "usage: bench_submit [--connections 64] [--threads 64] [--nominations 20000]"
                   " [--seconds 10] [--raw-seconds 3] [--dir DIR] [--seed-cache DIR]\n";
      return 2;
    }
  }
  if (argc % 2 == 0 || opt.connections < 1 || opt.threads < 1 || opt.nominations < 2000 ||
      opt.seconds <= 0) {
    std::cerr << "bench_submit: bad arguments (nominations ≥ 2000)\n";
    return 2;
  }
  namespace fs = std::filesystem;
  fs::path base = opt.dir.empty() ? fs::temp_directory_path() : fs::path(opt.dir);
  std::string tmpl = (base / "bench-submit-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "bench_submit: cannot make a directory under " << base << "\n";
    return 1;
  }
  const fs::path dir = tmpl;
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{dir};

  // --- seed (or copy a cached seed) ---
  const auto seed_start = Clock::now();
  const fs::path db_path = dir / "trellis.db";
  const std::string p = "prt_bench";
  Seeded seeded;
  if (!opt.seed_cache.empty()) {
    const fs::path cache = fs::path(opt.seed_cache) / ("n" + std::to_string(opt.nominations));
    if (!LoadSeedCache(cache, db_path, seeded)) {
      seeded = Seed(db_path, p, opt.nominations);
      SaveSeedCache(cache, db_path, seeded);
    }
  } else {
    seeded = Seed(db_path, p, opt.nominations);
  }
  const std::vector<std::string>& tokens = seeded.tokens;
  auto store = storage::SqliteStore::Open(db_path.string());
  if (!store.ok()) Die("opening the database", store.status());
  auto campaign_store = storage::OpenCampaignStore(**store);
  if (!campaign_store.ok()) Die("campaign store", campaign_store.status());
  auto directory_store = storage::OpenDirectoryStore(**store);
  if (!directory_store.ok()) Die("directory store", directory_store.status());
  // The form body minus the key: one answer per item of the framework.
  auto framework = (*store)->GetFramework("integrated-care", std::nullopt);
  if (!framework.ok()) Die("framework", framework.status());
  std::string answers;
  int items = 0;
  for (const model::Domain& d : framework->framework.domains)
    for (const model::Competency& c : d.competencies)
      for (const model::Item& item : c.items) {
        const int score =
            framework->framework.scale.min +
            items % (framework->framework.scale.max - framework->framework.scale.min + 1);
        answers += "&item_" + item.code + "=" + std::to_string(score);
        ++items;
      }
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();
  service::FrameworkService frameworks(**store);
  service::CampaignService::Options campaign_options;
  campaign_options.base_url = "http://bench";
  service::CampaignService campaigns(**store, **campaign_store, **directory_store, nullptr,
                                     campaign_options);

  // --- serve, as `trellis serve` wires it ---
  service::AuthService auth(**directory_store);
  service::DirectoryService directory(**directory_store);
  service::SubmissionBatcher batcher(**campaign_store);
  service::QuestionnaireService questionnaires(**store, **campaign_store, &batcher);
  web::AppOptions app_options;
  app_options.template_dir = web::DefaultTemplateDir();
  app_options.static_dir = web::DefaultStaticDir();
  auto app =
      web::App::Create({auth, directory, frameworks, questionnaires, campaigns}, app_options);
  if (!app.ok()) Die("web app", app.status());
  auto router = (*app)->BuildRouter();
  if (!router.ok()) Die("router", router.status());
  web::ServerOptions server_options;
  server_options.threads = opt.threads;
  web::Server server(std::move(*router), server_options);
  auto port = server.Listen("127.0.0.1:0");
  if (!port.ok()) Die("listen", port.status());

  std::printf(
      "== bench/submit: %zu links, %d items per questionnaire, %d connections, %d threads, "
      "seeded in %.1f s, %u cores, load %s",
      tokens.size(), items, opt.connections, opt.threads, seed_s,
      std::thread::hardware_concurrency(), [] {
        static char load[64] = "?";
        if (FILE* f = std::fopen("/proc/loadavg", "r")) {
          if (!std::fgets(load, sizeof load, f)) load[0] = 0;
          std::fclose(f);
        }
        return load;
      }());

  // --- load ---
  std::atomic<size_t> next{0};
  std::vector<ClientResult> results(static_cast<size_t>(opt.connections));
  const double cpu_start = ProcessCpuSeconds();
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(opt.seconds);
  {
    std::vector<std::thread> clients;
    for (int c = 0; c < opt.connections; ++c) {
      clients.emplace_back([&, c] {
        ClientResult& r = results[static_cast<size_t>(c)];
        int fd = -1;
        std::string buf;
        while (Clock::now() < deadline) {
          const size_t i = next.fetch_add(1);
          if (i >= tokens.size()) break;
          if (fd < 0) {
            fd = Connect(*port);
            buf.clear();
            if (fd < 0) {
              ++r.failed;
              if (r.first_error.empty()) r.first_error = "connect failed";
              continue;
            }
          }
          const std::string body =
              "action=submit&submission_key=bench-" + std::to_string(i) + answers;
          const std::string request = "POST /r/" + tokens[i] +
                                      " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                      "application/x-www-form-urlencoded\r\nContent-Length: " +
                                      std::to_string(body.size()) + "\r\n\r\n" + body;
          const auto t0 = Clock::now();
          bool close_after = false;
          const int status = SendAll(fd, request) ? ReadResponse(fd, buf, close_after) : -1;
          const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
          if (status >= 200 && status < 300) {
            ++r.ok;
            r.latency_ms.push_back(ms);
          } else {
            ++r.failed;
            if (r.first_error.empty()) r.first_error = "HTTP status " + std::to_string(status);
          }
          if (status < 0 || close_after) {
            close(fd);
            fd = -1;
          }
        }
        if (fd >= 0) close(fd);
      });
    }
    for (std::thread& t : clients) t.join();
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  // Server, writer and the 64 clients together: a figure that depends little on the load.
  const double cpu_s = ProcessCpuSeconds() - cpu_start;
  server.Stop();
  batcher.Shutdown();

  std::vector<double> latency;
  long ok = 0, failed = 0;
  std::string first_error;
  for (const ClientResult& r : results) {
    ok += r.ok;
    failed += r.failed;
    latency.insert(latency.end(), r.latency_ms.begin(), r.latency_ms.end());
    if (first_error.empty()) first_error = r.first_error;
  }
  std::sort(latency.begin(), latency.end());
  const double rate = static_cast<double>(ok) / elapsed;
  const double p50 = Percentile(latency, 0.50), p99 = Percentile(latency, 0.99);
  const double max = latency.empty() ? 0 : latency.back();

  // --- check: every 2xx answer is a submitted response in the database ---
  auto progress = (*campaign_store)->Progress(p, seeded.campaign_id);
  if (!progress.ok()) Die("progress", progress.status());
  long stored = 0;
  for (const storage::GroupProgress& g : progress->by_subject_group) stored += g.submitted;

  // --- the disk's ceiling without group commit ---
  const double raw = RawCommitRate((dir / "raw.db").string(), opt.raw_seconds);

  const size_t batches = batcher.batches();
  std::printf("submissions: %ld ok, %ld failed in %.2f s%s\n", ok, failed, elapsed,
              first_error.empty() ? "" : (" (first failure: " + first_error + ")").c_str());
  std::printf("  durable submissions/s %8.0f   latency p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
              rate, p50, p99, max);
  std::printf("  commits (batches)     %8zu   mean batch %.1f submissions\n", batches,
              batches ? static_cast<double>(ok + failed) / static_cast<double>(batches) : 0.0);
  std::printf("  CPU per submission    %8.3f ms (user + system, server and clients)\n",
              ok + failed ? 1000 * cpu_s / static_cast<double>(ok + failed) : 0.0);
  std::printf(
      "raw SQLite commits/s  %8.0f   (single-row INSERT transactions, WAL, "
      "synchronous=FULL, same disk, %.0f s)\n",
      raw, opt.raw_seconds);
  std::printf("goal ≥ 2000 submissions/s with p99 ≤ 50 ms: %s (%.0f/s, p99 %.1f ms)\n",
              rate >= 2000 && p99 <= 50 ? "MET" : "NOT MET", rate, p99);
  std::printf("check: %ld responses submitted in the database, %ld 2xx answers: %s\n", stored, ok,
              stored == ok ? "agree" : "DISAGREE");
  return stored == ok && ok > 0 ? 0 : 1;
}
