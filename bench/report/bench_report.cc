// bench/report/bench_report.cc — how fast the reports of issue 5 come, at partnership scale:
//   1. the figures of a released campaign of S subjects (default 5,000) built once from the
//      database (ReportService::Figures, cold) — the only aggregation, done once per campaign;
//   2. the partnership heatmap view built from those cached figures (BuildPartnershipView,
//      in process, many times) and served over HTTP (GET /partnership), goal ≤ 200 ms;
//   3. every report prerendered as at a server's start (ReportService::PrerenderReleased);
//   4. a subject's report page (GET /reports/{campaign}/{subject}, a different subject each
//      time, signed in as an admin) at C concurrent keep-alive connections (default 50),
//      goal p99 ≤ 20 ms.
// Setup through the services (never SQL) in a temporary SQLite database: 9 organisations over
// the sectors, S people over levels and functions, the built-in integrated-care framework (75
// items) and context check, one campaign with a self-assessment and R external peers per
// subject (default 6), every response submitted through CampaignStore::SubmitResponses in
// batches, then closed and released. The server runs in process as `trellis serve` wires it.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../common/bench_support.h"
#include "../common/load_client.h"
#include "service/audit_batcher.h"
#include "service/auth_service.h"
#include "service/campaign_service.h"
#include "service/directory_service.h"
#include "service/framework_service.h"
#include "service/partnership_view.h"
#include "service/questionnaire_service.h"
#include "service/report_service.h"
#include "storage/campaign_store.h"
#include "storage/directory_store.h"
#include "storage/report_share_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "web/app.h"
#include "web/pages.h"
#include "web/server.h"
#include "web/static_files.h"

namespace {

using namespace trellis;
using Clock = std::chrono::steady_clock;

struct Options {
  int subjects = 5000;
  int raters = 6;  // external peers per subject, besides the self-assessment
  int connections = 50;
  double seconds = 5;
  std::string dir;
};

[[noreturn]] void Die(const std::string& what, const Status& s) {
  bench::Die("bench_report", what, s);
}

template <typename T>
T Must(Result<T> r, const std::string& what) {
  if (!r.ok()) Die(what, r.status());
  return std::move(*r);
}

void Must(const Status& s, const std::string& what) {
  if (!s.ok()) Die(what, s);
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// The process's resident memory, from /proc/self/statm (0 where there is none).
double ResidentMiB() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long pages = 0, resident = 0;
  const int n = std::fscanf(f, "%ld %ld", &pages, &resident);
  std::fclose(f);
  return n == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) /
                      (1024.0 * 1024.0)
                : 0;
}

struct Latencies {
  std::vector<double> ms;
  long failed = 0;
  std::string first_error;
};

void PrintLatencies(const char* what, Latencies& l, double seconds) {
  std::sort(l.ms.begin(), l.ms.end());
  std::printf("%s: %zu ok, %ld failed%s in %.2f s (%.0f/s)\n", what, l.ms.size(), l.failed,
              l.first_error.empty() ? "" : (" (first: " + l.first_error + ")").c_str(), seconds,
              static_cast<double>(l.ms.size()) / seconds);
  std::printf("  latency p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", bench::Percentile(l.ms, 0.5),
              bench::Percentile(l.ms, 0.99), l.ms.empty() ? 0.0 : l.ms.back());
}

// GETs `paths` round-robin from `connections` keep-alive connections for `seconds`.
Latencies Load(uint16_t port, const std::string& cookie, const std::vector<std::string>& paths,
               int connections, double seconds, double* elapsed) {
  std::atomic<size_t> next{0};
  std::vector<Latencies> results(static_cast<size_t>(connections));
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::vector<std::thread> clients;
  for (int c = 0; c < connections; ++c) {
    clients.emplace_back([&, c] {
      Latencies& r = results[static_cast<size_t>(c)];
      int fd = -1;
      std::string buf;
      while (Clock::now() < deadline) {
        const std::string& path = paths[next.fetch_add(1) % paths.size()];
        if (fd < 0) {
          fd = bench::Connect(port);
          buf.clear();
          if (fd < 0) {
            ++r.failed;
            r.first_error = "connect failed";
            continue;
          }
        }
        const std::string request =
            "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: trellis_session=" + cookie +
            "\r\n\r\n";
        const auto t0 = Clock::now();
        bool close_after = false;
        const int status =
            bench::SendAll(fd, request) ? bench::ReadResponse(fd, buf, close_after) : -1;
        const double ms = Ms(Clock::now() - t0);
        if (status == 200) {
          r.ms.push_back(ms);
        } else {
          ++r.failed;
          if (r.first_error.empty()) r.first_error = path + ": HTTP " + std::to_string(status);
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
  *elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  Latencies all;
  for (Latencies& r : results) {
    all.ms.insert(all.ms.end(), r.ms.begin(), r.ms.end());
    all.failed += r.failed;
    if (all.first_error.empty()) all.first_error = r.first_error;
  }
  return all;
}

}  // namespace

int main(int argc, char** argv) {
  Options opt;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--subjects") {
      opt.subjects = std::atoi(argv[i + 1]);
    } else if (a == "--raters") {
      opt.raters = std::atoi(argv[i + 1]);
    } else if (a == "--connections") {
      opt.connections = std::atoi(argv[i + 1]);
    } else if (a == "--seconds") {
      opt.seconds = std::atof(argv[i + 1]);
    } else if (a == "--dir") {
      opt.dir = argv[i + 1];
    } else {
      std::cerr << "usage: bench_report [--subjects 5000] [--raters 6] [--connections 50]"
                   " [--seconds 5] [--dir DIR]\n";
      return 2;
    }
  }
  if (argc % 2 == 0 || opt.subjects < 10 || opt.raters < 3 || opt.connections < 1) {
    std::cerr << "bench_report: bad arguments (subjects ≥ 10, raters ≥ 3)\n";
    return 2;
  }
  namespace fs = std::filesystem;
  const fs::path base = opt.dir.empty() ? fs::temp_directory_path() : fs::path(opt.dir);
  std::string tmpl = (base / "bench-report-XXXXXX").string();
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::cerr << "bench_report: cannot make a directory under " << base << "\n";
    return 1;
  }
  struct Cleanup {
    fs::path dir;
    ~Cleanup() {
      std::error_code ignored;
      fs::remove_all(dir, ignored);
    }
  } cleanup{tmpl};

  // --- seed ---
  const auto seed_start = Clock::now();
  const std::string p = "prt_bench";
  auto store = Must(storage::SqliteStore::Open((fs::path(tmpl) / "trellis.db").string()), "db");
  auto campaign_store = Must(storage::OpenCampaignStore(*store), "campaign store");
  auto directory_store = Must(storage::OpenDirectoryStore(*store), "directory store");
  auto share_store = Must(storage::OpenReportShareStore(*store), "share store");
  Must(directory_store->CreatePartnership({p, "Bench", "2026-01-01T00:00:00Z"},
                                          bench::SeedAudit(p, "bench_report")),
       "partnership");
  constexpr model::Sector kSectors[] = {
      model::Sector::kAcute,        model::Sector::kPrimaryCare, model::Sector::kCommunityHealth,
      model::Sector::kMentalHealth, model::Sector::kSocialCare,  model::Sector::kLocalAuthority,
      model::Sector::kVoluntary,    model::Sector::kHousing,     model::Sector::kAcute};
  constexpr int kOrganisations = 9;
  for (int o = 0; o < kOrganisations; ++o) {
    Must(directory_store->AddOrganisation(
             {"org_" + std::to_string(o), p, "Organisation " + std::to_string(o), kSectors[o]},
             bench::SeedAudit(p, "bench_report")),
         "organisation");
  }
  constexpr model::Function kFunctions[] = {model::Function::kGeneralist,
                                            model::Function::kClinical, model::Function::kHr,
                                            model::Function::kFinance, model::Function::kIt};
  std::vector<std::string> subject_ids;
  {
    storage::PeopleChanges changes;
    for (int i = 0; i < opt.subjects; ++i) {
      model::Person person;
      person.id = "per_" + std::to_string(100000 + i);
      person.partnership_id = p;
      person.organisation_id = "org_" + std::to_string(i % kOrganisations);
      person.name = "Subject " + std::to_string(i);
      person.email = "subject" + std::to_string(i) + "@bench.example";
      person.level = i % 3 == 0 ? model::Level::kStrategic : model::Level::kOperational;
      person.function = kFunctions[(i / 3) % 5];
      changes.added.push_back(person);
      subject_ids.push_back(person.id);
    }
    Must(directory_store->SavePeople(p, changes, {bench::SeedAudit(p, "bench_report")}), "people");
  }
  service::FrameworkService frameworks(*store);
  Must(frameworks.Import(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/integrated-care.json"),
       "framework");
  Must(frameworks.Import(std::string(TRELLIS_SOURCE_DIR) + "/frameworks/context-check.json"),
       "context check");
  service::CampaignService::Options campaign_options;
  campaign_options.base_url = "http://bench";
  service::CampaignService campaigns(*store, *campaign_store, *directory_store, nullptr,
                                     campaign_options);
  service::CampaignSpec spec;
  spec.partnership_id = p;
  spec.name = "Bench 360";
  spec.framework_code = "integrated-care";
  spec.opens_on = "2026-01-01";
  spec.closes_on = "2099-12-31";
  spec.context_check = true;
  spec.subject_ids = subject_ids;
  const model::Campaign campaign = Must(campaigns.Create(spec, "bench"), "campaign");
  std::vector<service::RaterSpec> raters;
  for (int s = 0; s < opt.subjects; ++s) {
    for (int r = 0; r < opt.raters; ++r) {
      const std::string n = std::to_string(s) + "-" + std::to_string(r);
      raters.push_back(
          {subject_ids[static_cast<size_t>(s)], "", "Peer " + n, "peer" + n + "@bench.example",
           r % 3 == 0
               ? model::RaterGroup::kPeer
               : (r % 3 == 1 ? model::RaterGroup::kDirectReport : model::RaterGroup::kPartner)});
    }
  }
  Must(campaigns.Nominate(p, campaign.id, raters, "bench"), "nominations");
  Must(campaigns.Open(p, campaign.id, "bench"), "open");
  const model::Framework framework =
      Must(store->GetFramework("integrated-care", std::nullopt), "framework").framework;
  const model::Framework context =
      Must(store->GetFramework("context-check", std::nullopt), "context check").framework;
  std::vector<std::string> item_codes;
  for (const model::Framework* f : {&framework, &context}) {
    for (const model::Domain& d : f->domains) {
      for (const model::Competency& c : d.competencies) {
        for (const model::Item& item : c.items) item_codes.push_back(item.code);
      }
    }
  }
  const std::vector<model::Nomination> nominations =
      Must(campaigns.Nominations(p, campaign.id), "nominations");
  uint32_t seed = 20261125;
  auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) % 32768; };
  std::vector<storage::Submission> batch;
  size_t submitted = 0;
  for (size_t i = 0; i < nominations.size(); ++i) {
    storage::Submission sub;
    sub.partnership_id = p;
    sub.response.nomination_id = nominations[i].id;
    const int lean = static_cast<int>(next() % 3);  // each rater's own leniency
    for (const std::string& code : item_codes) {
      const int roll = static_cast<int>(next() % 20);
      std::optional<int> score;
      if (roll != 0) score = std::min(5, std::max(1, 2 + lean + roll % 3 - (roll % 7 == 0)));
      sub.response.answers.push_back({code, score});
    }
    sub.submission_key = "bench-" + std::to_string(i);
    sub.submitted_at = "2026-02-01T10:00:00Z";
    batch.push_back(std::move(sub));
    if (batch.size() == 2000 || i + 1 == nominations.size()) {
      auto outcomes = Must(campaign_store->SubmitResponses(batch), "submit");
      for (const auto& o : outcomes) {
        if (!o.ok()) Die("a submission", o.status());
      }
      submitted += batch.size();
      batch.clear();
    }
  }
  Must(campaigns.Close(p, campaign.id, "bench"), "close");
  Must(campaigns.Release(p, campaign.id, "bench"), "release");
  const double seed_s = std::chrono::duration<double>(Clock::now() - seed_start).count();

  // --- the web application, as `trellis serve` wires it ---
  service::AuthService auth(*directory_store);
  service::DirectoryService directory(*directory_store);
  service::QuestionnaireService questionnaires(*store, *campaign_store, nullptr);
  // As serve: report views audited through a group commit.
  service::AuditBatcher audit_batcher(*directory_store);
  service::ReportService::Options report_options;
  report_options.audit_batcher = &audit_batcher;
  service::ReportService reports(*store, *campaign_store, *directory_store, *share_store,
                                 report_options);
  service::NewAccount admin;
  admin.partnership_id = p;
  admin.email = "admin@bench.example";
  admin.display_name = "Bench Admin";
  admin.role = model::Role::kAdmin;
  const std::string password = "bench-password-2026";
  Must(auth.CreateAccount(admin, password, "bench"), "admin account");
  const service::SignedIn signed_in =
      Must(auth.Login(admin.email, password, std::chrono::system_clock::now()), "sign-in");

  std::printf(
      "== bench/report: %d subjects, %zu submitted responses (%zu answers each), seeded in "
      "%.1f s, %u cores, load %s\n",
      opt.subjects, submitted, item_codes.size(), seed_s, std::thread::hardware_concurrency(),
      bench::LoadAverage().c_str());

  // 1. Figures, cold: the one aggregation of the campaign.
  auto t0 = Clock::now();
  std::shared_ptr<const service::CampaignFigures> figures =
      Must(reports.Figures(p, campaign.id), "figures");
  const double figures_ms = Ms(Clock::now() - t0);
  t0 = Clock::now();
  Must(reports.Figures(p, campaign.id), "figures (cached)");
  const double cached_ms = Ms(Clock::now() - t0);
  std::printf("figures of the campaign, built once from the database: %.1f ms (cached: %.3f ms)\n",
              figures_ms, cached_ms);

  // 2a. The heatmap view from the cached figures, in process.
  std::vector<double> view_ms;
  for (int i = 0; i < 200; ++i) {
    t0 = Clock::now();
    auto view = Must(service::BuildPartnershipView(figures, {}), "view");
    view_ms.push_back(Ms(Clock::now() - t0));
  }
  std::sort(view_ms.begin(), view_ms.end());
  std::printf(
      "partnership view (every heatmap), in process: p50 %.2f ms, p99 %.2f ms, max %.2f ms"
      " (200 builds)\n",
      bench::Percentile(view_ms, 0.5), bench::Percentile(view_ms, 0.99), view_ms.back());

  web::AppOptions app_options;
  app_options.template_dir = web::DefaultTemplateDir();
  app_options.static_dir = web::DefaultStaticDir();
  web::AppServices services{auth, directory, frameworks, questionnaires, campaigns, &reports};
  auto app = Must(web::App::Create(services, app_options), "web app");
  web::ServerOptions server_options;
  server_options.threads = 8;
  web::Server server(Must(app->BuildRouter(), "router"), server_options);
  const uint16_t port = Must(server.Listen("127.0.0.1:0"), "listen");

  // 1b. As `trellis serve` starts: every released report rendered in the background.
  const double rss_before = ResidentMiB();
  t0 = Clock::now();
  Must(reports.PrerenderReleased(), "prerender");
  reports.WaitForPrerendering();
  const double prerender_s = std::chrono::duration<double>(Clock::now() - t0).count();
  std::printf("every report prerendered in the background: %zu in %.1f s, resident +%.0f MiB\n",
              reports.Prerendered(p, campaign.id), prerender_s, ResidentMiB() - rss_before);

  {
    // One report page, to show what a view sends (and, with BENCH_REPORT_PAGE=FILE, keep it).
    const int fd = bench::Connect(port);
    std::string buf, body;
    bool close_after = false;
    const int status =
        fd >= 0 && bench::SendAll(fd, "GET /reports/" + campaign.id + "/" + subject_ids[0] +
                                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: "
                                          "trellis_session=" +
                                          signed_in.token + "\r\n\r\n")
            ? bench::ReadResponse(fd, buf, close_after, &body)
            : -1;
    if (fd >= 0) close(fd);
    std::printf("a report page: HTTP %d, %zu bytes\n", status, body.size());
    if (const char* file = std::getenv("BENCH_REPORT_PAGE")) {
      if (std::FILE* out = std::fopen(file, "w")) {
        std::fwrite(body.data(), 1, body.size(), out);
        std::fclose(out);
      }
    }
  }

  // 2b. The heatmap page over HTTP, one connection at a time.
  double elapsed = 0;
  Latencies heatmap = Load(port, signed_in.token, {"/partnership?campaign=" + campaign.id}, 1,
                           std::min(opt.seconds, 3.0), &elapsed);
  PrintLatencies("GET /partnership (heatmap page, 1 connection)", heatmap, elapsed);
  const double heatmap_p99 = bench::Percentile(heatmap.ms, 0.99);

  // 3. Report pages of different subjects at C connections.
  std::vector<std::string> paths;
  for (size_t s = 0; s < subject_ids.size(); s += 7) {
    paths.push_back("/reports/" + campaign.id + "/" + subject_ids[s]);
  }
  // First views: each report's body was prerendered above (ReportService::Prerender); the
  // second pass, over the same reports, shows the steady state.
  Latencies first = Load(port, signed_in.token, paths, opt.connections, opt.seconds, &elapsed);
  char what[128];
  std::snprintf(what, sizeof what,
                "GET /reports/{campaign}/{subject}, %zu reports, first views (%d connections)",
                paths.size(), opt.connections);
  PrintLatencies(what, first, elapsed);
  Latencies pages = Load(port, signed_in.token, paths, opt.connections, opt.seconds, &elapsed);
  std::snprintf(what, sizeof what,
                "GET /reports/{campaign}/{subject}, the same reports again (%d connections)",
                opt.connections);
  PrintLatencies(what, pages, elapsed);
  const double first_p99 = bench::Percentile(first.ms, 0.99);
  const double report_p99 = bench::Percentile(pages.ms, 0.99);
  server.Stop();

  std::printf("goal heatmap ≤ 200 ms for %d subjects: %s (page p99 %.1f ms)\n", opt.subjects,
              heatmap_p99 <= 200 && heatmap.failed == 0 ? "MET" : "NOT MET", heatmap_p99);
  std::printf(
      "goal report page p99 ≤ 20 ms at %d connections: first views %s (p99 %.1f ms), "
      "repeat views %s (p99 %.1f ms)\n",
      opt.connections, first_p99 <= 20 && first.failed == 0 ? "MET" : "NOT MET", first_p99,
      report_p99 <= 20 && pages.failed == 0 ? "MET" : "NOT MET", report_p99);
  const bool ok = heatmap.failed == 0 && first.failed == 0 && pages.failed == 0;
  return ok && !pages.ms.empty() ? 0 : 1;
}
