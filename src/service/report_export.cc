// service/report_export.cc — see report_export.h.
#include "service/report_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "formats/csv.h"
#include "formats/report_jsonl.h"

namespace trellis::service {
namespace {

using analytics::Aggregate;
using analytics::IsNull;
using analytics::ReportGroup;
using analytics::SetLevel;

ExportCell Text(std::string text) { return ExportCell{false, 0, std::move(text)}; }
ExportCell Number(double x) {
  if (IsNull(x)) return ExportCell{};
  return ExportCell{true, x, ""};
}

std::string_view LevelName(SetLevel level) {
  switch (level) {
    case SetLevel::kOverall:
      return "overall";
    case SetLevel::kDomain:
      return "domain";
    case SetLevel::kCompetency:
      return "competency";
    case SetLevel::kItem:
      return "item";
  }
  return "";
}

std::string CellText(const ExportCell& c) {
  if (!c.is_number) return c.text;
  std::string out;
  formats::AppendJsonNumber(c.number, &out);
  return out;
}

}  // namespace

std::string SetTitle(const model::Framework& framework, const analytics::ItemSet& set) {
  if (set.level == SetLevel::kOverall) return "Overall";
  for (const model::Domain& d : framework.domains) {
    if (set.level == SetLevel::kDomain && d.code == set.code) return d.title;
    for (const model::Competency& c : d.competencies) {
      if (set.level == SetLevel::kCompetency && c.code == set.code) return c.title;
      if (set.level == SetLevel::kItem)
        for (const model::Item& i : c.items)
          if (i.code == set.code) return i.text;
    }
  }
  return set.code;
}

std::vector<std::vector<ExportCell>> ReportTable(const SubjectReport& report) {
  const CampaignFigures& f = *report.figures;
  std::vector<std::vector<ExportCell>> rows;
  std::vector<ExportCell> header;
  for (const char* h : {"level", "code", "title", "self", "others_mean", "others_n"})
    header.push_back(Text(h));
  for (int g = 0; g < analytics::kReportGroupCount; ++g) {
    const std::string name(analytics::ReportGroupName(static_cast<ReportGroup>(g)));
    header.push_back(Text(name + "_mean"));
    header.push_back(Text(name + "_n"));
  }
  for (const char* h : {"gap", "flag", "rwg", "percentile", "profile_gap", "withheld"})
    header.push_back(Text(h));
  rows.push_back(std::move(header));
  for (size_t k = 0; k < f.competencies.sets.size(); ++k) {
    const analytics::ItemSet& set = f.competencies.sets[k];
    const Aggregate& a = f.competencies.At(report.subject, k);
    std::vector<ExportCell> row;
    row.push_back(Text(std::string(LevelName(set.level))));
    row.push_back(Text(set.code));
    row.push_back(Text(SetTitle(f.framework, set)));
    row.push_back(Number(a.self));
    row.push_back(Number(a.others_mean));
    row.push_back(Number(a.others_n));
    std::string withheld = OthersWithheldReason(f, report.subject, k);
    for (int g = 0; g < analytics::kReportGroupCount; ++g) {
      const auto group = static_cast<ReportGroup>(g);
      if (a.GroupShown(group)) {
        row.push_back(Number(a.group_mean[g]));
        row.push_back(Number(a.group_n[g]));
        continue;
      }
      row.push_back(ExportCell{});
      row.push_back(ExportCell{});
      const std::string why = WithheldReason(f, report.subject, k, group);
      if (!why.empty() && why.rfind("no ", 0) != 0) {
        if (!withheld.empty()) withheld += "; ";
        withheld += std::string(analytics::ReportGroupName(group)) + ": " + why;
      }
    }
    row.push_back(Number(a.gap));
    row.push_back(Text(std::string(analytics::FlagName(a.flag))));
    row.push_back(Number(a.rwg));
    row.push_back(Number(f.competencies.Percentile(report.subject, k)));
    row.push_back(Number(a.profile_gap));
    row.push_back(Text(withheld));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string ReportCsv(const SubjectReport& report) {
  std::string out;
  for (const std::vector<ExportCell>& row : ReportTable(report)) {
    for (size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(',');
      formats::AppendCsvField(CellText(row[i]), &out);
    }
    out.append("\r\n");
  }
  return out;
}

Result<std::string> XlsxWorkbook(const std::vector<ExportSheet>& sheets) {
  char path[] = "/tmp/trellis-export-XXXXXX";
  const int fd = mkstemp(path);
  if (fd < 0) return Status::Internal("cannot create a temporary file for the xlsx export");
  close(fd);
  struct Unlink {
    const char* p;
    ~Unlink() { std::remove(p); }
  } unlink_guard{path};

  lxw_workbook* wb = workbook_new(path);
  if (wb == nullptr) return Status::Internal("cannot start the xlsx export");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  for (const ExportSheet& sheet : sheets) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, sheet.name.c_str());
    for (size_t r = 0; r < sheet.rows.size(); ++r) {
      for (size_t c = 0; c < sheet.rows[r].size(); ++c) {
        const ExportCell& cell = sheet.rows[r][c];
        if (cell.is_number) {
          worksheet_write_number(ws, r, c, cell.number, nullptr);
        } else if (!cell.text.empty()) {
          worksheet_write_string(ws, r, c, cell.text.c_str(), r == 0 ? bold : nullptr);
        }
      }
    }
  }
  const lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    return Status::Internal(std::string("xlsx export failed: ") + lxw_strerror(err));
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open()) return Status::Internal("cannot read back the xlsx export");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Result<std::string> ReportXlsx(const SubjectReport& report) {
  std::vector<ExportSheet> sheets = {{"Figures", ReportTable(report)}, {"Comments", {}}};
  std::vector<std::vector<ExportCell>>& comments = sheets[1].rows;
  comments.push_back({{false, 0, "domain"}, {false, 0, "group"}, {false, 0, "comment"}});
  for (const VisibleComment& c : report.comments) {
    const std::string group =
        c.self ? std::string("self") : std::string(analytics::ReportGroupName(c.group));
    comments.push_back({{false, 0, c.domain_code}, {false, 0, group}, {false, 0, c.text}});
  }
  return XlsxWorkbook(sheets);
}

}  // namespace trellis::service
