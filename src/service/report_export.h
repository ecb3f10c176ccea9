// service/report_export.h — one subject's report as a table for export (docs/reports.md
// "Exports"): CSV (RFC 4180) and xlsx (Debian libxlsxwriter). Both are read off a SubjectReport,
// whose figures already obey the anonymity rule, so an export shows exactly what the page shows:
// a withheld figure is an empty cell with the reason in the `withheld` column, and comments
// (xlsx only, sheet "Comments") are those the page shows, in the page's order.
// Pure functions apart from ReportXlsx's temporary file; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "core/status.h"
#include "service/report_service.h"

namespace trellis::service {

// The title of an item set in `framework`: "Overall", the domain or competency title, or the
// item's text.
std::string SetTitle(const model::Framework& framework, const analytics::ItemSet& set);

// One cell: text, or a number (null → empty cell).
struct ExportCell {
  bool is_number = false;
  double number = 0;
  std::string text;
};

// The figures table: a header row, then one row per item set (overall, domains, competencies,
// items). Columns: level, code, title, self, others_mean, others_n, then mean and n of each
// group (manager, peer, direct_report, partner, community, other, combined), gap, flag, rwg,
// percentile, profile_gap, withheld.
std::vector<std::vector<ExportCell>> ReportTable(const SubjectReport& report);

// The table as CSV, header first, "\r\n" line ends; numbers in the shortest form that reads
// back as the same double.
std::string ReportCsv(const SubjectReport& report);

// A worksheet: its name and rows (the first row, the header, in bold).
struct ExportSheet {
  std::string name;
  std::vector<std::vector<ExportCell>> rows;
};

// The sheets as an xlsx workbook's bytes (libxlsxwriter writes through a temporary file, removed
// afterwards). kInternal when the library or the temporary file fails.
Result<std::string> XlsxWorkbook(const std::vector<ExportSheet>& sheets);

// The table (sheet "Figures") and the shown comments (sheet "Comments": domain, group, text) as
// an xlsx workbook's bytes. kInternal when the library or the temporary file fails.
Result<std::string> ReportXlsx(const SubjectReport& report);

}  // namespace trellis::service
