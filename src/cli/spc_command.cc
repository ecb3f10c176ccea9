// cli/spc_command.cc — `trellis spc`: reads an indicator CSV, computes one Making Data Count
// XmR chart per indicator (analytics/spc.h) and writes them as JSON or CSV
// (formats/spc_output.h) to stdout or --out. Warnings (options that deviate from the
// reference, gaps in the dates, skipped missing values) go to stderr. Exit 1 with
// "file:line: field: problem" on bad input.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analytics/spc.h"
#include "cli/cli.h"
#include "formats/csv.h"
#include "formats/indicator_csv.h"
#include "formats/spc_output.h"

namespace trellis::cli {
namespace {

struct SpcArgs {
  std::string input;
  std::string improvement = "increase";
  std::optional<double> target;
  std::vector<std::string> rebase;
  std::optional<int> fix_after;
  bool no_screen = false;
  int run_length = 7;
  bool two_in_three_beyond_limits = false;
  bool skip_missing = false;
  std::string format = "json";
  std::string out;  // empty = stdout
};

Status WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::cout << text;
    std::cout.flush();
    return std::cout ? Status::Ok() : Status::Unavailable("cannot write to standard output");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << text;
  if (out) out.close();
  if (!out) return Status::InvalidArgument(path + ": cannot write the output file");
  return Status::Ok();
}

Status RunSpc(const SpcArgs& args) {
  analytics::SpcOptions options;
  options.improvement = *analytics::ParseImprovementDirection(args.improvement);  // CLI checked
  options.target = args.target;
  for (const std::string& d : args.rebase) {
    std::optional<analytics::SpcDay> day = analytics::ParseIsoDate(d);
    if (!day)
      return Status::InvalidArgument("--rebase: '" + d + "' is not a valid date (YYYY-MM-DD)");
    options.rebase_dates.push_back(*day);
  }
  if (args.fix_after && *args.fix_after < 12)
    return Status::InvalidArgument("--fix-after: must be 12 or more (got " +
                                   std::to_string(*args.fix_after) + ")");
  options.fix_after_n_points = args.fix_after;
  options.screen_outliers = !args.no_screen;
  options.run_length = args.run_length;
  options.two_in_three_beyond_limits = args.two_in_three_beyond_limits;
  options.skip_missing = args.skip_missing;
  TRELLIS_RETURN_IF_ERROR(analytics::ValidateSpcOptions(options));

  Result<std::string> text = formats::ReadFileToString(args.input);
  if (!text.ok()) return text.status();
  formats::IndicatorCsvOptions csv_options;
  csv_options.allow_missing = args.skip_missing;
  Result<std::vector<analytics::SpcSeries>> series =
      formats::ReadIndicatorCsv(*text, args.input, csv_options);
  if (!series.ok()) return series.status();
  if (options.target) {
    for (const analytics::SpcSeries& s : *series)
      if (s.target)
        return Status::InvalidArgument("--target: " + args.input +
                                       " has a 'target' column too; give the target in one place");
  }

  Result<std::vector<analytics::SpcChart>> charts = analytics::ComputeSpcCharts(*series, options);
  if (!charts.ok()) return charts.status();

  formats::SpcReport report;
  report.run_length = options.run_length;
  report.options = analytics::SpcNonDefaultOptions(options);
  report.warnings = analytics::SpcDeviationWarnings(options);
  report.charts = std::move(*charts);
  for (const analytics::SpcChart& c : report.charts)
    report.warnings.insert(report.warnings.end(), c.warnings.begin(), c.warnings.end());
  for (const std::string& w : report.warnings) std::cerr << "trellis: warning: " << w << "\n";

  const std::string out =
      args.format == "csv" ? formats::WriteSpcCsv(report) : formats::WriteSpcJson(report);
  return WriteOutput(args.out, out);
}

}  // namespace

void AddSpcCommand(CLI::App& app, GlobalOptions& /*global*/, int* exit_code) {
  auto args = std::make_shared<SpcArgs>();
  CLI::App* cmd = app.add_subcommand(
      "spc",
      "Making Data Count XmR charts (NHSRplotthedots v0.2.2 rules) for an indicator CSV "
      "(date,value[,target][,indicator])");
  cmd->add_option("--input", args->input, "Indicator CSV file")->required();
  cmd->add_option("--improvement", args->improvement, "Which direction is better")
      ->check(CLI::IsMember({"increase", "decrease", "neutral"}))
      ->capture_default_str();
  cmd->add_option("--target", args->target, "Assurance target for every indicator");
  cmd->add_option("--rebase", args->rebase,
                  "Dates (YYYY-MM-DD) that start a new rebase group; dates not in the data are "
                  "ignored");
  cmd->add_option("--fix-after", args->fix_after,
                  "Compute the mean and limits from the first N points of each group (N >= 12)");
  cmd->add_flag("--no-screen", args->no_screen,
                "Do not screen moving ranges >= 3.267 x AMR (as the MDC Excel tool)");
  cmd->add_option("--run-length", args->run_length,
                  "Points in a trend or shift: 7 (reference) or 6 (deviation, MDC Excel tool)")
      ->check(CLI::IsMember({7, 6}))
      ->capture_default_str();
  cmd->add_flag("--two-in-three-beyond-limits", args->two_in_three_beyond_limits,
                "Count points beyond 3 sigma in '2 in 3' (deviation, MDC since late 2023)");
  cmd->add_flag("--skip-missing", args->skip_missing,
                "Drop rows with an empty value instead of failing (deviation)");
  cmd->add_option("--format", args->format, "Output format")
      ->check(CLI::IsMember({"json", "csv"}))
      ->capture_default_str();
  cmd->add_option("--out", args->out, "Output file (default: standard output)");
  cmd->callback([args, exit_code] { *exit_code = Report(RunSpc(*args)); });
}

}  // namespace trellis::cli
